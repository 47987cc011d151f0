"""Readers on phones: a measure's chart is readable at every width, down to 320 px.

An SVG scales its text with its width, so the size a reader sees is the font size the page
gives a text times the scale the SVG is drawn at. This measures it in the browser: for every
text of every chart shown (the wide or the narrow drawing, as the stylesheet picks), the
computed font size times the horizontal scale of the text's screen transformation matrix
(getScreenCTM), and checks that each text lies inside its chart (a word cut off by the SVG's
edge is as unreadable as a small one). Pages: the bundled measure page and a claim page with its
compact chart, and the same from tests/fixtures/reworded-site.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from browser import (
    BUNDLED_PAGE_TYPES,
    LocalSite,
    browser_fixture,  # noqa: F401 (the `browser` fixture)
    local_context,
    open_page,
    serve_site,
)
from sitecheck import build_copy

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

# Readable text on a phone: WCAG sets no minimum, but 12 CSS px is the least the issue asks,
# and the least most style guides accept for labels.
SMALLEST_PX = 12
# 320 px is WCAG's reflow width; 640 and 641 px are either side of the stylesheet's switch.
WIDTHS = [320, 375, 480, 640, 641, 768, 1280]
# Where the fixture site is served, beside the bundled one.
REWORDED_BASE = "/harbour-check/"

# Every chart text as drawn: its font size in CSS px, as the reader sees it, and whether it lies
# within its <svg>; and which drawings are shown.
CHART_TEXTS = """() => {
  const charts = [...document.querySelectorAll('main svg.chart')];
  const shown = charts.filter(svg => svg.getBoundingClientRect().width > 0);
  const texts = [];
  for (const svg of shown) {
    const box = svg.getBoundingClientRect();
    for (const text of svg.querySelectorAll('text, tspan')) {
      const matrix = text.getScreenCTM();
      const scale = Math.hypot(matrix.a, matrix.b);
      const rect = text.getBoundingClientRect();
      texts.push({
        text: text.textContent.trim().slice(0, 40),
        layout: [...svg.classList].find(c => c.startsWith('chart-')),
        px: parseFloat(getComputedStyle(text).fontSize) * scale,
        inside: rect.left >= box.left - 1 && rect.right <= box.right + 1
          && rect.top >= box.top - 1 && rect.bottom <= box.bottom + 1,
      });
    }
  }
  return {charts: charts.length, shown: shown.map(svg => svg.getAttribute('class')), texts};
}"""


@pytest.fixture(scope="module")
def sites(bundled_site: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[LocalSite]:
    """The bundled site, and tests/fixtures/reworded-site beside it on the same origin."""
    reworded = build_copy(tmp_path_factory.mktemp("reworded"), "reworded-site")
    with serve_site(bundled_site, "/", {REWORDED_BASE: reworded.out}) as site:
        yield site


@pytest.fixture(scope="module")
def page(browser: Browser, sites: LocalSite) -> Iterator[Page]:
    with local_context(browser, sites) as context:
        yield context.new_page()


def chart_pages(sites: LocalSite) -> dict[str, str]:
    fixture = sites.origin + REWORDED_BASE
    return {
        "bundled measure": sites.url(BUNDLED_PAGE_TYPES["measure"]),
        "bundled claim": sites.url(BUNDLED_PAGE_TYPES["claim"]),
        "fixture measure": fixture + "discrepancies/audit-cost/",
        "fixture claim": fixture + "claims/audit-cost-150000/",
    }


@pytest.mark.parametrize("width", WIDTHS)
def test_every_chart_text_is_at_least_12_css_px_and_inside_its_chart(
    page: Page, sites: LocalSite, width: int
) -> None:
    page.set_viewport_size({"width": width, "height": 900})
    for name, url in chart_pages(sites).items():
        open_page(page, url)
        found = page.evaluate(CHART_TEXTS)
        # Each chart is drawn twice; one drawing of the two is shown, the narrow one on phones.
        assert found["charts"] == 2 * len(found["shown"]) == 2, (name, found["shown"])
        (shown,) = found["shown"]
        assert ("chart-narrow" in shown) == (width <= 640), (name, width, shown)
        texts = found["texts"]
        assert texts, name
        small = [t for t in texts if t["px"] < SMALLEST_PX]
        assert small == [], f"{name} at {width} px: text under {SMALLEST_PX} px: {small}"
        cut = [t for t in texts if not t["inside"]]
        assert cut == [], f"{name} at {width} px: text outside its chart: {cut}"


def test_the_measurement_catches_a_wide_chart_shrunk_onto_a_phone(
    page: Page, sites: LocalSite
) -> None:
    """The wide drawing, forced onto a 320 px screen, measures under 12 px: what this test
    would report if the narrow drawing were gone."""
    page.set_viewport_size({"width": 320, "height": 900})
    open_page(page, sites.url(BUNDLED_PAGE_TYPES["measure"]))
    page.add_style_tag(
        content=".chart-wide { display: block !important; }"
        " .chart-narrow { display: none !important; }"
    )
    texts = page.evaluate(CHART_TEXTS)["texts"]
    assert min(t["px"] for t in texts) < 8
