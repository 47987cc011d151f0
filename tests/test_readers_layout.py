"""Readers on phones and desktops: every page type laid out at 320, 375, 768 and 1280 px, those
of the Arabic fixture site (ar-*, right to left) too.

At each width the page must not scroll sideways (neither the document nor any box inside it:
text hidden behind a table's scroll bar is as lost on a phone), and no two pieces of text may
overlap. Text is measured as the browser draws it: each text node's line boxes
(Range.getClientRects), cut to what any clipping ancestor leaves visible, so visually hidden
labels and scrolled-away text do not count; SVG text is measured by its element's box. Two
boxes of different text nodes that intersect by more than 1 px each way overlap: inline runs
that merely touch (a <mark> inside a sentence) are not reported.

The run saves a full-page screenshot of each page type at 375 and 1280 px in
test-artifacts/screenshots/ for people to look at (ar-claim-375.png for the Arabic claim page),
and the top of the claim page and of the discrepancy view at 1280 px as README.md shows them:
copy those two (docs-*.png) to docs/ when the theme changes.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from browser import (
    BUNDLED_PAGE_TYPES,
    PAGE_TYPES,
    LocalSite,
    browser_fixture,  # noqa: F401 (the `browser` fixture)
    bundled_server_fixture,  # noqa: F401 (the `bundled_server` fixture)
    local_context,
    open_page,
)
from sitecheck import REPO

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

WIDTHS = [320, 375, 768, 1280]
HEIGHT = 1000
SCREENSHOT_WIDTHS = {375, 1280}
SCREENSHOTS = REPO / "test-artifacts" / "screenshots"
# The screenshots README.md shows, from docs/: the top of a page at 1280 x HEIGHT px.
README_SHOTS = {"claim": "claim-page.png", "measure": "discrepancy-view.png"}

# Boxes that scroll sideways: the document, and any element that scrolls its overflow.
SIDEWAYS = """() => {
  const root = document.documentElement;
  const found = [];
  if (root.scrollWidth > root.clientWidth) {
    found.push(`the page: ${root.scrollWidth} px wide in a ${root.clientWidth} px window`);
  }
  for (const el of document.querySelectorAll('body *')) {
    const overflow = getComputedStyle(el).overflowX;
    if ((overflow === 'auto' || overflow === 'scroll') && el.scrollWidth > el.clientWidth + 1) {
      found.push(`<${el.localName} class="${el.className}">: ${el.scrollWidth} px of content `
        + `in ${el.clientWidth} px`);
    }
  }
  return found;
}"""

# Pairs of text boxes that overlap, as described in the module docstring.
OVERLAPS = """() => {
  const clips = el => {
    const s = getComputedStyle(el);
    return s.overflowX !== 'visible' || s.overflowY !== 'visible' || s.clip !== 'auto'
      || s.clipPath !== 'none';
  };
  const visiblePart = (rect, el) => {
    let r = {left: rect.left, top: rect.top, right: rect.right, bottom: rect.bottom};
    for (let a = el; a && a !== document.documentElement; a = a.parentElement) {
      if (!clips(a)) continue;
      const c = a.getBoundingClientRect();
      r = {left: Math.max(r.left, c.left), top: Math.max(r.top, c.top),
           right: Math.min(r.right, c.right), bottom: Math.min(r.bottom, c.bottom)};
    }
    return r;
  };
  const boxes = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(), n = 0; node; node = walker.nextNode(), n++) {
    const text = node.textContent.trim();
    const el = node.parentElement;
    if (!text || getComputedStyle(el).visibility !== 'visible') continue;
    let rects;
    if (el instanceof SVGElement) {
      rects = [el.getBoundingClientRect()];
    } else {
      const range = document.createRange();
      range.selectNodeContents(node);
      rects = [...range.getClientRects()];
    }
    for (const rect of rects) {
      const r = visiblePart(rect, el);
      if (r.right - r.left >= 1 && r.bottom - r.top >= 1) boxes.push({n, text, ...r});
    }
  }
  const found = [];
  for (let i = 0; i < boxes.length; i++) {
    for (let j = i + 1; j < boxes.length; j++) {
      const a = boxes[i], b = boxes[j];
      if (a.n === b.n) continue;
      const w = Math.min(a.right, b.right) - Math.max(a.left, b.left);
      const h = Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top);
      if (w > 1 && h > 1) {
        found.push(`"${a.text.slice(0, 40)}" and "${b.text.slice(0, 40)}" overlap by `
          + `${Math.round(w)}x${Math.round(h)} px`);
      }
    }
  }
  return found;
}"""


@pytest.fixture(scope="module")
def page(browser: Browser, bundled_server: LocalSite) -> Iterator[Page]:
    """One page for the module, resized for each test: a context per test costs more."""
    with local_context(browser, bundled_server) as context:
        yield context.new_page()


def layout_problems(page: Page) -> list[str]:
    return page.evaluate(SIDEWAYS) + page.evaluate(OVERLAPS)


@pytest.mark.parametrize("page_type", PAGE_TYPES)
@pytest.mark.parametrize("width", WIDTHS)
def test_no_sideways_scrolling_and_no_overlapping_text(
    page: Page, bundled_server: LocalSite, width: int, page_type: str
) -> None:
    page.set_viewport_size({"width": width, "height": HEIGHT})
    open_page(page, bundled_server.page_url(page_type))
    if width in SCREENSHOT_WIDTHS:
        save_screenshots(page, page_type, width)
    assert layout_problems(page) == [], f"{page_type} page at {width} px"


def save_screenshots(page: Page, page_type: str, width: int) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    shots = {SCREENSHOTS / f"{page_type}-{width}.png": True}
    if width == 1280 and page_type in README_SHOTS:
        shots[SCREENSHOTS / f"docs-{README_SHOTS[page_type]}"] = False
    for shot, full_page in shots.items():
        page.screenshot(path=shot, full_page=full_page)
        assert png_size(shot)[0] == width, shot


def png_size(path: Path) -> tuple[int, int]:
    """Width and height from a PNG's header (its IHDR chunk)."""
    data = path.read_bytes()[:24]
    assert data.startswith(b"\x89PNG\r\n\x1a\n"), f"{path} is not a PNG"
    return int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")


def test_the_readme_shows_a_claim_page_and_the_discrepancy_view() -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    for name in README_SHOTS.values():
        shot = REPO / "docs" / name
        assert f'src="docs/{name}"' in readme, name
        assert png_size(shot) == (1280, HEIGHT), name
        assert shot.stat().st_size < 300 * 1024, f"{name}: keep the repository light"


def test_the_checks_catch_overlaps_and_sideways_scrolling(page: Page) -> None:
    """Overlapping text and both kinds of sideways scrolling are found; text that is visually
    hidden, merely touching, or scrolled out of its box is not counted as overlapping."""
    page.set_viewport_size({"width": 320, "height": 600})
    page.set_content(
        "<style>body { margin: 0; font: 16px/1.2 sans-serif; }"
        ".hidden { position: absolute; width: 1px; height: 1px; overflow: hidden;"
        " clip: rect(0 0 0 0); white-space: nowrap; }</style>"
        "<h1 style='margin: 0'>First heading</h1>"
        "<p style='margin: -1em 0 0 2em'>Pulled up over the heading</p>"
        "<p>Touching <mark>runs</mark> <span class='hidden'>Hidden label over it</span></p>"
        "<div style='overflow-x: auto'><p style='width: 900px'>Wide box</p></div>"
        "<div style='width: 400px'>Wider than the window</div>"
    )
    problems = layout_problems(page)
    assert any("First heading" in p and "Pulled up" in p for p in problems), problems
    assert any(p.startswith("the page: 400 px") for p in problems), problems
    assert any("900 px of content" in p for p in problems), problems
    assert not any("Touching" in p or "Hidden" in p or "runs" in p for p in problems), problems


def test_the_narrow_figures_table_is_still_a_table_to_screen_readers(
    page: Page, bundled_server: LocalSite
) -> None:
    """Below 32rem the figures table is laid out as blocks (style.css); Chromium must still
    expose it as a table with its column and row headers."""
    page.set_viewport_size({"width": 320, "height": HEIGHT})
    open_page(page, bundled_server.url(BUNDLED_PAGE_TYPES["measure"]))
    row = "getComputedStyle(document.querySelector('table.figures tr')).display"
    assert page.evaluate(row) == "block", "the stacked layout is in use"
    tree = page.locator("table.figures").aria_snapshot()
    assert tree.startswith("- table ")
    for role in ("columnheader", "rowheader", "cell"):
        assert f"- {role} " in tree, role
