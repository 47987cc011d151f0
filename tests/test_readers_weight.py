"""Light pages: what each page of the bundled site weighs, HTML, CSS and scripts, uncompressed.

A page costs its HTML file plus every stylesheet and script it links to, as bytes on disk,
which is what a reader downloads before compression (tests/test_readers_nojs.py checks in the
browser that a page loads nothing else but the icon, under 1 KB and once per site). Only the
search page has a script; the search index it loads when the reader searches is not counted
here (tests/test_search_browser.py checks that nothing of it loads before).

The budget:

- every page: 50 KB (51,200 bytes);
- the home page, which lists every fact-check: 50 KB + 1 KB per fact-check (a card is its
  claim, claimant, rating, date and one- or two-sentence summary, about 0.7 KB);
- a source page, which reproduces its archived article: 50 KB + the archived text's bytes
  + 50 bytes per paragraph (its anchor) + 500 bytes per quotation from that article (the
  highlight, and the link to the fact-check with its claim).

So a page grows only with its content, never with the size of the site. The table of sizes
is printed (run pytest with -s to see it) and written to test-artifacts/sizes.txt.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest
from bs4 import BeautifulSoup
from sitecheck import REPO, Expected, load_expected

KB = 1024
PAGE_BUDGET = 50 * KB
PER_FACT_CHECK = 1 * KB
PER_PARAGRAPH = 50
PER_QUOTATION = 500
SIZES = REPO / "test-artifacts" / "sizes.txt"


@dataclass(frozen=True)
class Weight:
    page: str  # the page's file, relative to the site
    html: int
    css: int  # its stylesheets and scripts
    budget: int
    rule: str  # how the budget was worked out

    @property
    def total(self) -> int:
        return self.html + self.css


def stylesheets(page: Path, out: Path, base: str) -> list[Path]:
    """The files of the stylesheets and scripts a page links to, relative links or from the
    base path."""
    here = "http://site" + base + page.relative_to(out).as_posix()
    found = []
    soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
    for link in soup.select('link[rel~="stylesheet"][href], script[src]'):
        address = link.get("href") or link["src"]
        path = urlsplit(urljoin(here, address)).path
        assert path.startswith(base), f"{page}: {address} is not on the site"
        found.append(out / path.removeprefix(base))
    return found


def budget(relative: str, expected: Expected) -> tuple[int, str]:
    """The budget of the page at `relative` (e.g. "sources/x/index.html"), and why."""
    parts = relative.split("/")
    if relative == "index.html":
        count = len(expected.claims)
        return PAGE_BUDGET + PER_FACT_CHECK * count, f"50 KB + 1 KB x {count} fact-checks"
    if len(parts) == 3 and parts[0] == "sources" and parts[1] in expected.sources:
        source = parts[1]
        text = len(expected.seed_bytes(source))
        paragraphs = len(expected.paragraphs(source))
        quotations = sum(
            1 for cid in expected.claims for _, q in expected.quotes(cid) if q["source"] == source
        )
        allowance = text + PER_PARAGRAPH * paragraphs + PER_QUOTATION * quotations
        rule = f"50 KB + {text} B text + {paragraphs} paragraphs + {quotations} quotations"
        return PAGE_BUDGET + allowance, rule
    return PAGE_BUDGET, "50 KB"


def weigh(out: Path, expected: Expected) -> list[Weight]:
    base = urlsplit(expected.base_url).path
    weights = []
    for page in sorted(out.rglob("*.html")):
        relative = page.relative_to(out).as_posix()
        css = sum(sheet.stat().st_size for sheet in stylesheets(page, out, base))
        weights.append(Weight(relative, page.stat().st_size, css, *budget(relative, expected)))
    return weights


def table(weights: list[Weight]) -> str:
    width = max(len(w.page) for w in weights)
    lines = [f"{'page':<{width}}  {'HTML':>7}  {'CSS+JS':>6}  {'total':>7}  {'budget':>7}  rule"]
    for w in sorted(weights, key=lambda w: -w.total):
        lines.append(
            f"{w.page:<{width}}  {w.html:>7,}  {w.css:>6,}  {w.total:>7,}  {w.budget:>7,}  {w.rule}"
        )
    return "\n".join(lines) + "\n"


def over_budget(weights: list[Weight]) -> list[str]:
    return [f"{w.page}: {w.total:,} B over {w.budget:,} B" for w in weights if w.total > w.budget]


@pytest.fixture(scope="module")
def weights(bundled_site: Path) -> list[Weight]:
    return weigh(bundled_site, load_expected(REPO))


def test_every_page_stays_within_its_budget(weights: list[Weight]) -> None:
    report = table(weights)
    SIZES.parent.mkdir(parents=True, exist_ok=True)
    SIZES.write_text(report, encoding="utf-8")
    print("\nPage weights, bytes (HTML, CSS and scripts, uncompressed):\n" + report)
    assert len(weights) > 50
    assert all(w.css > 0 for w in weights), "every page links to the stylesheet"
    assert over_budget(weights) == []


def test_only_the_home_and_source_pages_get_more_than_50_kb(weights: list[Weight]) -> None:
    larger = {w.page.split("/")[0] for w in weights if w.budget > PAGE_BUDGET}
    assert larger == {"index.html", "sources"}


def test_the_budget_check_catches_a_heavy_page() -> None:
    heavy = Weight("claims/x/index.html", PAGE_BUDGET, 1, PAGE_BUDGET, "50 KB")
    assert over_budget([heavy]) == ["claims/x/index.html: 51,201 B over 51,200 B"]
