"""Search in Chromium, on the bundled site served under its sub-path (/factcheck/), as on
GitHub Pages: a reader types a name or a figure, filters by rating, opens a result; without
JavaScript, the links to browse by are there instead and work.

The queries come from the content, not from this file: a name in one claim and in no other
claim or claimant, and a figure written in one claim's text and in no other fact-check's
words, each of which must list that fact-check first.
"""

from __future__ import annotations

import re
from collections import Counter
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

import pytest
from browser import (
    LocalSite,
    browser_fixture,  # noqa: F401 (the `browser` fixture)
    bundled_server_fixture,  # noqa: F401 (the `bundled_server` fixture)
    local_context,
    open_page,
    serve_site,
)
from sitecheck import REPO, Expected, build_copy, load_expected
from test_readers_layout import png_size

from generator import load
from generator.config import Options, Paths
from generator.diagnostics import Diagnostics
from generator.render import search

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

SEARCH = "search/"
SCREENSHOTS = REPO / "test-artifacts" / "screenshots"


@pytest.fixture(scope="module")
def expected() -> Expected:
    return load_expected(REPO)


@pytest.fixture(scope="module")
def record_words() -> dict[str, str]:
    """Each fact-check's indexed words, by claim id, as the build gives them to Pagefind."""
    diags = Diagnostics()
    content = load.read(Paths.for_site(REPO), Options(), diags, {}, None)
    assert content is not None
    records = search.records(content, lambda claim: "")
    return {r.url.split("/")[1]: r.words for r in records}


def a_name_of_one_claim(expected: Expected) -> tuple[str, str]:
    """A name (capitalised words, not the first of the claim) in one claim and in no other
    fact-check's claim or claimant: what a reader looking for that check would type."""
    for cid in sorted(expected.claims):
        for name in re.findall(r"(?<=\w )[A-Z][a-z]+(?: [A-Z][a-z]+)+", expected.claim_text(cid)):
            pattern = re.compile(rf"\b{name}\b")
            named = [
                other
                for other in expected.claims
                if pattern.search(expected.claim_text(other) + "\n" + expected.claimant(other))
            ]
            if named == [cid]:
                return name, cid
    raise AssertionError("no name is in one bundled claim only")


def a_claimant_of_one_claim(expected: Expected) -> tuple[str, str]:
    """A claimant of one claim whose name no other claim or claimant has."""
    for cid in sorted(expected.claims):
        name = expected.claimant(cid)
        others = [
            other
            for other in expected.claims
            if other != cid and name in expected.claim_text(other) + "\n" + expected.claimant(other)
        ]
        if not others:
            return name, cid
    raise AssertionError("no claimant made one claim only")


def a_figure_of_one_claim(expected: Expected, words: dict[str, str]) -> tuple[str, str]:
    """A number of two digits or more in one claim's text and in no other record's words."""
    for cid in sorted(expected.claims):
        for number in re.findall(r"\b\d{2,}\b", expected.claim_text(cid)):
            pattern = re.compile(rf"\b{number}\b")
            if [other for other, text in words.items() if pattern.search(text)] == [cid]:
                return number, cid
    raise AssertionError("no figure of the bundled claims is in one fact-check only")


@pytest.fixture
def page(browser: Browser, bundled_server: LocalSite):  # type: ignore[no-untyped-def]
    with local_context(browser, bundled_server, viewport={"width": 1280, "height": 1000}) as ctx:
        yield ctx.new_page()


def searched(page: Page, site: LocalSite, words: str) -> list[str]:
    """Type into the search box; the addresses of the results, in order."""
    open_page(page, site.url(SEARCH))
    page.fill("#search-terms", words)
    page.wait_for_selector(".search-results li .card-title a")
    return results(page)


def results(page: Page) -> list[str]:
    return page.eval_on_selector_all(".search-results .card-title a", "as => as.map(a => a.href)")


def claim_of(url: str) -> str:
    return urlsplit(url).path.rstrip("/").rsplit("/", 1)[-1]


def test_the_site_is_served_under_a_sub_path(bundled_server: LocalSite) -> None:
    assert bundled_server.base not in ("", "/")


def test_a_name_lists_its_fact_check_first_and_the_link_opens_it(
    page: Page, bundled_server: LocalSite, expected: Expected
) -> None:
    name, cid = a_name_of_one_claim(expected)
    found = searched(page, bundled_server, name)
    assert claim_of(found[0]) == cid
    assert urlsplit(found[0]).path == bundled_server.base + f"claims/{cid}/"
    page.click(".search-results li:first-child .card-title a")
    page.wait_for_url(found[0])
    assert page.locator("h1").inner_text().strip() == expected.claim_text(cid)


def test_a_figure_lists_its_fact_check_first(
    page: Page, bundled_server: LocalSite, expected: Expected, record_words: dict[str, str]
) -> None:
    figure, cid = a_figure_of_one_claim(expected, record_words)
    found = searched(page, bundled_server, figure)
    assert claim_of(found[0]) == cid
    status = open_page(page, found[0])
    assert status.ok


def test_the_rating_filter_narrows_the_results_to_that_rating(
    page: Page, bundled_server: LocalSite, expected: Expected
) -> None:
    rated = Counter(expected.rating(cid).label for cid in expected.claims)
    label, count = rated.most_common()[-1]  # the rarest rating given
    words = "Facebook"
    everything = searched(page, bundled_server, words)
    page.select_option("#search-rating", label)
    # The list is emptied, then the new results are added all at once.
    page.wait_for_function(
        "n => { const found = document.querySelectorAll('.search-results li').length;"
        " return found > 0 && found < n; }",
        arg=len(everything),
    )
    narrowed = results(page)
    assert 0 < len(narrowed) < len(everything)
    assert {expected.rating(claim_of(url)).label for url in narrowed} == {label}
    assert set(narrowed) <= set(everything)
    # Without words, the filter lists every fact-check of the rating, newest first.
    page.fill("#search-terms", "")
    page.wait_for_function(
        "n => document.querySelectorAll('.search-results li').length === n", arg=count
    )
    listed = [claim_of(url) for url in results(page)]
    assert listed == expected.newest_first([c for c in expected.claims if c in listed])
    assert {expected.rating(cid).label for cid in listed} == {label}
    # The search is kept in the address: reloading shows it again.
    assert f"rating={label.replace(' ', '+')}" in page.url
    page.reload()
    page.wait_for_function(
        "n => document.querySelectorAll('.search-results li').length === n", arg=count
    )


def test_the_index_loads_only_when_the_reader_searches(
    page: Page, bundled_server: LocalSite, expected: Expected
) -> None:
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    open_page(page, bundled_server.url(SEARCH))
    page.wait_for_load_state("networkidle")
    bundle = bundled_server.url("pagefind/")
    assert [url for url in requested if url.startswith(bundle)] == []
    name, _ = a_name_of_one_claim(expected)
    page.fill("#search-terms", name)
    page.wait_for_selector(".search-results li")
    assert any(url == bundled_server.url(search.SCRIPT) for url in requested)
    assert all(urlsplit(url).path.startswith(bundled_server.base) for url in requested)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SCREENSHOTS / "search-results-1280.png", full_page=True)
    page.screenshot(path=SCREENSHOTS / "docs-search.png")


def test_other_pages_load_no_script(page: Page, bundled_server: LocalSite) -> None:
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    open_page(page, bundled_server.url(""))
    page.wait_for_load_state("networkidle")
    assert not [url for url in requested if url.endswith(".js")]


def test_without_javascript_the_browse_links_are_there_and_work(
    browser: Browser, bundled_server: LocalSite
) -> None:
    with local_context(browser, bundled_server, java_script_enabled=False) as context:
        page = context.new_page()
        open_page(page, bundled_server.url(SEARCH))
        assert not page.locator("#search-terms").is_visible()
        links = page.locator("nav.browse a")
        addresses = links.evaluate_all("as => as.map(a => a.href)")
        assert len(addresses) >= 3
        assert all(links.nth(i).is_visible() for i in range(len(addresses)))
        for address in addresses:
            assert open_page(page, address).ok
            assert page.locator("main h1").count() == 1


def test_the_readme_shows_the_search_page() -> None:
    """README's screenshot of a search (saved by test_the_index_loads_only_when_the_reader_searches
    as test-artifacts/screenshots/docs-search.png, copied to docs/)."""
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    shot = REPO / "docs" / "search.png"
    assert 'src="docs/search.png"' in readme
    assert png_size(shot) == (1280, 1000)
    assert shot.stat().st_size < 300 * 1024, "keep the repository light"


def test_the_search_speaks_the_sites_language(
    browser: Browser, tmp_path_factory: pytest.TempPathFactory
) -> None:
    """On the French fixture site: a claimant's name finds their check, the count is written
    in French in the plural form French uses for it, and the result's words are French."""
    french = build_copy(tmp_path_factory.mktemp("french-search"), "fr-site")
    exp = french.expected
    name, cid = a_claimant_of_one_claim(exp)
    with serve_site(french.out, "/verif/") as site, local_context(browser, site) as context:
        page = context.new_page()
        found = searched(page, site, name)
        status = page.locator(".search-status").inner_text()
        meta = page.locator(".search-results li:first-child .card-meta").inner_text()
    assert claim_of(found[0]) == cid
    count = len(found)
    assert status == exp.t("search.found", count=count)
    assert exp.t("card.claimed_by", claimant=exp.claimant(cid)) in meta
