"""Links: every internal link of the built site leads to a file, and every #fragment to an element.

The site is crawled twice from its home page: on disk (as published at its base_url, for the
bundled build and the /factcheck/ sub-path build), and over HTTP from a real local server that
mounts the sub-path build under /factcheck/, the way GitHub Pages publishes a project site.
No request leaves 127.0.0.1, and no page loads anything (stylesheet, script, image) from
another host. Over HTTP, the stylesheet, favicon and feed the pages link to are fetched and
parsed, and every address in sitemap.xml is requested.
"""

from __future__ import annotations

import functools
import http.server
import threading
import urllib.error
import urllib.request
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterator
from pathlib import Path
from urllib.parse import urldefrag, urljoin, urlsplit

import pytest
from bs4 import BeautifulSoup
from sitecheck import (
    MISSING_PATH,
    REPO,
    Crawl,
    crawl,
    disk_crawl,
    html_files,
    links_of,
    load_expected,
    parse,
)

SUBPATH_BASE = "http://127.0.0.1/factcheck/"
# How a static server may label an XML file (Python's http.server says text/xml).
XML_TYPES = {"application/xml", "text/xml", "application/atom+xml"}


@pytest.fixture(params=["bundled", "subpath"])
def built_site(request: pytest.FixtureRequest) -> tuple[Path, str]:
    """(output folder, base_url it was built for)."""
    if request.param == "bundled":
        return request.getfixturevalue("bundled_site"), load_expected(REPO).base_url
    return request.getfixturevalue("bundled_subpath_site"), SUBPATH_BASE


def test_every_internal_link_and_fragment_resolves_on_disk(built_site: tuple[Path, str]) -> None:
    out, base_url = built_site
    result = disk_crawl(out, base_url)
    assert result.problems == []
    assert len(result.pages) > 10


def test_crawl_from_home_reaches_every_page(built_site: tuple[Path, str]) -> None:
    out, base_url = built_site
    result = disk_crawl(out, base_url, with_not_found=False)
    reached = {urlsplit(u).path for u in result.targets | set(result.pages)}
    base_path = urlsplit(base_url).path
    for page in html_files(out):
        rel = page.relative_to(out).as_posix()
        if rel == "404.html":
            continue
        url_path = base_path + rel.removesuffix("index.html")
        assert url_path in reached, f"{rel} is not linked from anywhere"
    assert base_path + "static/style.css" in reached
    assert base_path + "static/favicon.svg" in reached


def test_canonical_links(built_site: tuple[Path, str]) -> None:
    out, base_url = built_site
    for page in html_files(out):
        rel = page.relative_to(out).as_posix()
        canonical = parse(page).find_all("link", rel="canonical")
        assert len(canonical) == 1, rel
        assert canonical[0]["href"] == base_url + rel.removesuffix("index.html")


def test_no_page_loads_anything_from_another_host(built_site: tuple[Path, str]) -> None:
    out, _ = built_site
    for page in html_files(out):
        for name, href, rel in links_of(parse(page)):
            if name == "a" or "canonical" in rel:
                continue
            parts = urlsplit(href)
            assert not parts.scheme and not parts.netloc, f"{page}: <{name} {href}>"


def test_crawler_reports_broken_links(tmp_path: Path) -> None:
    """The crawler itself notices missing files, missing fragments and outside resources."""
    base = "https://example.org/site/"
    (tmp_path / "a").mkdir()
    (tmp_path / "index.html").write_text(
        '<a href="a/">ok</a><a href="missing/">x</a><a href="a/#nope">y</a>'
        '<a href="../../elsewhere/">z</a><img src="https://cdn.example.com/i.png">'
        '<a href="https://example.com/">external is fine</a>'
    )
    (tmp_path / "a" / "index.html").write_text('<p id="here"><a href="../#">top</a></p>')
    result = disk_crawl(tmp_path, base, with_not_found=False)
    joined = "\n".join(result.problems)
    assert "missing/ does not exist" in joined
    assert "id='nope'" in joined
    assert "leaves the site's folder" in joined
    assert "another host" in joined
    assert len(result.problems) == 4
    assert result.external == {"https://example.com/"}


# Over HTTP.


class _Handler(http.server.SimpleHTTPRequestHandler):
    """Serves files, and /factcheck/404.html (status 404) for any missing address, like Pages."""

    not_found: Path

    def send_error(self, code: int, message: str | None = None, explain: str | None = None):
        if code != 404:
            return super().send_error(code, message, explain)
        body = self.not_found.read_bytes()
        self.send_response(404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)
        return None

    def log_message(self, format: str, *args: object) -> None:
        pass


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: object, **kwargs: object) -> None:
        return None  # a redirect is reported as an error: links must name the final address


# No proxy, no redirects: every request goes straight to the local server, or fails.
_opener = urllib.request.build_opener(urllib.request.ProxyHandler({}), _NoRedirect())


@pytest.fixture(scope="module")
def server(bundled_subpath_site: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The sub-path build served at http://127.0.0.1:<port>/factcheck/; yields that address."""
    docroot = tmp_path_factory.mktemp("docroot")
    (docroot / "factcheck").symlink_to(bundled_subpath_site, target_is_directory=True)
    handler = type("Handler", (_Handler,), {"not_found": bundled_subpath_site / "404.html"})
    httpd = http.server.ThreadingHTTPServer(
        ("127.0.0.1", 0), functools.partial(handler, directory=str(docroot))
    )
    thread = threading.Thread(target=httpd.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}/factcheck/"
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join(timeout=5)


def get(url: str) -> tuple[int, bytes, str]:
    """(status, body, media type) of a local URL; refuses any other host."""
    parts = urlsplit(url)
    assert parts.scheme == "http" and parts.hostname == "127.0.0.1", f"refusing to fetch {url}"
    try:
        with _opener.open(url, timeout=10) as response:
            return response.status, response.read(), response.headers.get_content_type()
    except urllib.error.HTTPError as error:
        with error:
            return error.code, error.read(), error.headers.get_content_type()


def http_fetcher(problems: list[str]) -> Callable[[str], tuple[bytes, str] | None]:
    def fetch(url: str) -> tuple[bytes, str] | None:
        status, body, media = get(url)
        if status != 200:
            problems.append(f"GET {url}: status {status}")
            return None
        return body, media

    return fetch


def test_served_under_subpath_every_link_returns_200(
    server: str, bundled_subpath_site: Path
) -> None:
    statuses: list[str] = []
    result = crawl([server], server, http_fetcher(statuses))
    assert result.problems == []
    assert statuses == []
    every_page = {
        server + p.relative_to(bundled_subpath_site).as_posix().removesuffix("index.html")
        for p in html_files(bundled_subpath_site)
        if p.name != "404.html"
    }
    assert set(result.pages) == every_page
    # What every page loads or points to in its <head>, each the same file for every page.
    assert linked(result, "stylesheet") == {server + "static/style.css"}
    status, body, media = get(server + "static/style.css")
    assert (status, media) == (200, "text/css") and body.strip()
    assert linked(result, "icon") == {server + "static/favicon.svg"}
    status, body, media = get(server + "static/favicon.svg")
    assert (status, media) == (200, "image/svg+xml")
    assert ET.fromstring(body).tag == "{http://www.w3.org/2000/svg}svg"
    # The site's feed, on every page, and each rating's, on its rating's pages.
    rated = {c["rating"] for c in load_expected(REPO).claims.values()}
    feeds = {server + "feed.xml", *(f"{server}ratings/{r}/feed.xml" for r in rated)}
    assert linked(result, "alternate") == feeds
    for feed in feeds:
        status, body, media = get(feed)
        assert status == 200 and media in XML_TYPES
        assert ET.fromstring(body).tag == "{http://www.w3.org/2005/Atom}feed"


def linked(result: Crawl, rel: str) -> set[str]:
    """The addresses of every <link rel=...> with this rel, on every page crawled."""
    return {
        urljoin(url, href)
        for url, soup in result.pages.items()
        for name, href, rels in links_of(soup)
        if name == "link" and rel in rels
    }


def test_sitemap_and_robots_txt_name_addresses_served_under_subpath(server: str) -> None:
    """The sitemap's absolute addresses (built for http://127.0.0.1/factcheck/) all exist."""
    status, body, media = get(server + "sitemap.xml")
    assert status == 200 and media in XML_TYPES
    ns = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
    locs = [loc.text or "" for loc in ET.fromstring(body).iter(f"{ns}loc")]
    assert len(locs) > 10
    for loc in locs:
        assert loc.startswith(SUBPATH_BASE), loc
        status, _, media = get(server + loc.removeprefix(SUBPATH_BASE))
        assert (status, media) == (200, "text/html"), loc
    status, body, _ = get(server + "robots.txt")
    assert status == 200 and f"Sitemap: {SUBPATH_BASE}sitemap.xml" in body.decode().splitlines()
    status, _, media = get(server + "claims.json")
    assert (status, media) == (200, "application/json")


def test_missing_page_serves_404_whose_links_work_from_a_deep_address(server: str) -> None:
    missing = server + MISSING_PATH
    status, body, media = get(missing)
    assert (status, media) == (404, "text/html")
    soup = BeautifulSoup(body.decode("utf-8"), "html.parser")
    assert soup.find("h1") is not None
    links = list(links_of(soup))
    assert any("stylesheet" in rel for _, _, rel in links)
    assert any("icon" in rel for _, _, rel in links)
    checked = 0
    for name, href, rel in links:
        if "canonical" in rel:
            continue
        target, fragment = urldefrag(urljoin(missing, href))
        assert target.startswith(server), f"<{name} {href}> leaves the site from {missing}"
        if target == missing:  # the skip link, within the page
            assert fragment and soup.find(id=fragment) is not None, href
            continue
        status, page, media = get(target)
        assert status == 200, f"<{name} {href}> from {missing} -> {target}: {status}"
        if "stylesheet" in rel:
            assert media == "text/css" and page.strip()
        if fragment:
            found = BeautifulSoup(page.decode("utf-8"), "html.parser").find(id=fragment)
            assert found is not None, f"{target}#{fragment}"
        checked += 1
    assert checked >= 5


def test_directory_address_without_slash_is_not_a_200(server: str) -> None:
    """Guard for the crawl above: a link missing its trailing slash would be reported."""
    status, _, _ = get(server + "methodology")
    assert status == 301
    status, _, _ = get(server + "methodology/")
    assert status == 200
