"""Readers without JavaScript, and what every page asks the network for.

With JavaScript disabled, Chromium starts at the home page, the 404 page and a missing address
and follows every link of the bundled site, and of its copy whose lists are paginated (a page
size of 3): every page must be reached, every internal link (anchors, stylesheets, icon, feed)
must load with status 200 and land on an element that exists when it has a #fragment, and
every page must show the same text as with JavaScript on.
Links to other hosts (original articles) are not followed: nothing here leaves the machine.

The browser contexts abort and report any request that is not to the local server
(tests/browser.py); each page may load only its HTML, the stylesheets and icon it links to,
which is what tests/test_readers_weight.py counts.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING
from urllib.parse import urldefrag, urlsplit

import pytest
from browser import (
    LocalSite,
    browser_fixture,  # noqa: F401 (the `browser` fixture)
    bundled_server_fixture,  # noqa: F401 (the `bundled_server` fixture)
    local_context,
)

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page, Request

MISSING = "no/such/page/"
SEARCH = "search/"

# What a page offers: its text as shown, the ids its fragments can target, and every link
# (a, area, link elements), resolved to absolute addresses by the browser.
PAGE_FACTS = """() => ({
  text: document.body ? document.body.innerText : '',
  ids: [...document.querySelectorAll('[id]')].map(el => el.id),
  names: [...document.querySelectorAll('a[name]')].map(el => el.name),
  links: [...document.querySelectorAll('a[href], area[href], link[href]')].map(el => el.href),
  linked: [...document.querySelectorAll('link[rel~="stylesheet"], link[rel~="icon"]')]
    .map(el => el.href),
})"""


@dataclass
class Visit:
    status: int
    content_type: str
    text: str = ""
    targets: set[str] = field(default_factory=set)  # ids and names a fragment may point to
    links: list[str] = field(default_factory=list)
    linked: list[str] = field(default_factory=list)  # its stylesheets and icon
    requests: list[str] = field(default_factory=list)  # every address it loaded


def visit(page: Page, url: str) -> Visit:
    """Open a page as a reader would; other files (CSS, icon, feed) are only fetched, since
    the browser would offer some of them as downloads."""
    if not urlsplit(url).path.endswith(("/", ".html")):
        response = page.context.request.get(url)
        return Visit(response.status, response.headers.get("content-type", ""))
    requests: list[str] = []

    def record(request: Request) -> None:
        requests.append(request.url)

    page.on("request", record)
    try:
        response = page.goto(url)
    finally:
        page.remove_listener("request", record)
    assert response is not None, url
    facts = page.evaluate(PAGE_FACTS)
    return Visit(
        response.status,
        response.headers.get("content-type", ""),
        text=facts["text"],
        targets=set(facts["ids"]) | set(facts["names"]),
        links=facts["links"],
        linked=facts["linked"],
        requests=requests,
    )


def crawl(page: Page, site: LocalSite) -> dict[str, Visit]:
    """Every address reached from the starts by following links on the local site."""
    queue = [site.url(""), site.url("404.html"), site.url(MISSING)]
    visits: dict[str, Visit] = {}
    while queue:
        url = queue.pop(0)
        if url in visits:
            continue
        visits[url] = visit(page, url)
        for link in visits[url].links:
            target = urldefrag(link).url
            if urlsplit(link).netloc == urlsplit(site.origin).netloc and target not in visits:
                queue.append(target)
    return visits


@pytest.fixture(scope="module", params=["bundled", "paginated"])
def served(request: pytest.FixtureRequest, bundled_server: LocalSite) -> LocalSite:
    """The bundled site, or its copy with paginated lists (served beside it)."""
    if request.param == "paginated":
        assert bundled_server.paginated is not None
        return bundled_server.paginated
    return bundled_server


@pytest.fixture(scope="module")
def visits(browser: Browser, served: LocalSite) -> dict[str, Visit]:
    with local_context(browser, served, java_script_enabled=False) as context:
        return crawl(context.new_page(), served)


def page_urls(site: LocalSite) -> list[str]:
    """The address of every HTML page the build wrote."""
    return [
        site.url(path.relative_to(site.folder).as_posix().removesuffix("index.html"))
        for path in sorted(site.folder.rglob("*.html"))
    ]


def test_every_page_is_reached_by_following_links(
    visits: dict[str, Visit], served: LocalSite
) -> None:
    unreached = [url for url in page_urls(served) if url not in visits]
    assert unreached == []


def broken_links(visits: dict[str, Visit], origin: str) -> list[str]:
    """Links to the local site that end on an error or on a fragment that is not there."""
    broken = []
    for url, page in visits.items():
        for link in page.links:
            if urlsplit(link).netloc != urlsplit(origin).netloc:
                continue  # another host: never requested by these tests
            target, fragment = urldefrag(link)
            reached = visits[target]
            # A link within the page (the skip link) works on the 404 page too.
            if reached.status != 200 and target != url:
                broken.append(f"{url} -> {link}: status {reached.status}")
            elif fragment and fragment not in reached.targets:
                broken.append(f"{url} -> {link}: no element with id {fragment!r}")
    return broken


def test_every_link_works_without_javascript(visits: dict[str, Visit], served: LocalSite) -> None:
    assert broken_links(visits, served.origin) == []
    fragments = [link for page in visits.values() for link in page.links if "#q-" in link]
    assert fragments, "links to quoted passages (#q-...) are among those checked"


def test_the_link_check_catches_a_missing_page_and_a_missing_fragment() -> None:
    origin = "http://127.0.0.1:1"
    visits = {
        f"{origin}/a": Visit(200, "text/html", links=[f"{origin}/b", f"{origin}/a#nowhere"]),
        f"{origin}/b": Visit(404, "text/html"),
    }
    assert broken_links(visits, origin) == [
        f"{origin}/a -> {origin}/b: status 404",
        f"{origin}/a -> {origin}/a#nowhere: no element with id 'nowhere'",
    ]


def test_a_missing_address_shows_the_404_page_with_working_links(
    visits: dict[str, Visit], served: LocalSite
) -> None:
    missing = visits[served.url(MISSING)]
    assert missing.status == 404
    assert missing.text == visits[served.url("404.html")].text
    assert served.url("static/style.css") in missing.linked
    # Its links start from the base path, so they are the same addresses as from 404.html
    # (but for links within the page itself).
    page = served.url("404.html")
    assert outward(missing.links, served.url(MISSING)) == outward(visits[page].links, page)


def outward(links: list[str], page: str) -> set[str]:
    return {link for link in links if urldefrag(link).url != page}


def test_every_page_shows_the_same_text_with_javascript_on_and_off(
    visits: dict[str, Visit], browser: Browser, served: LocalSite
) -> None:
    pages = {url: page for url, page in visits.items() if page.text}
    assert len(pages) >= len(page_urls(served))
    different = []
    with local_context(browser, served, java_script_enabled=True) as context:
        page = context.new_page()
        for url, without in pages.items():
            if url == served.url(SEARCH):
                continue  # below
            if visit(page, url).text != without.text:
                different.append(url)
        # The search page alone is more with JavaScript: the search form, above the links to
        # browse by that it shows without (test_search_browser.py checks them).
        with_script = visit(page, served.url(SEARCH)).text
    assert different == []
    shown = pages[served.url(SEARCH)].text
    assert with_script != shown
    assert [line for line in shown.splitlines() if line not in with_script] == []


def test_javascript_is_really_off_in_the_crawl(browser: Browser, bundled_server: LocalSite) -> None:
    """A page whose script adds text shows it with JavaScript on only: the comparison above
    would see a page that needs JavaScript."""
    canary = bundled_server.url("canary/")
    html = "<!doctype html><title>t</title><p>Static</p><script>document.write('Added')</script>"
    texts = {}
    for enabled in (True, False):
        with local_context(browser, bundled_server, java_script_enabled=enabled) as context:
            context.route(canary, lambda route: route.fulfill(body=html, content_type="text/html"))
            texts[enabled] = visit(context.new_page(), canary).text
    assert texts == {True: "Static\n\nAdded", False: "Static"}


def test_each_page_loads_only_itself_its_stylesheet_and_icon(
    visits: dict[str, Visit], served: LocalSite
) -> None:
    """Nothing else is fetched (no script, font or image from anywhere), so the page's weight
    is its HTML and CSS; the icon is fetched once per site and is under 1 KB."""
    extra = {
        url: [r for r in page.requests if r != url and r not in page.linked]
        for url, page in visits.items()
    }
    assert {url: found for url, found in extra.items() if found} == {}
    icon = served.folder / "static" / "favicon.svg"
    assert icon.stat().st_size < 1024


def test_a_request_to_another_host_is_stopped_and_fails_the_test(
    browser: Browser, bundled_server: LocalSite
) -> None:
    # 192.0.2.0/24 is reserved for documentation: never a real host, and aborted anyway.
    stray = "http://192.0.2.1/pixel.png"
    with (
        pytest.raises(AssertionError, match="another host"),
        local_context(browser, bundled_server) as context,
    ):
        context.new_page().set_content(f'<img src="{stray}" alt="">')
