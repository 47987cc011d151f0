"""Browser: the `browser` fixture, a headless Chromium from the system driven by Playwright.

Use it with `from browser import browser_fixture  # noqa: F401` and a `browser` argument.
The browser is Debian's (`apt-get install chromium`, done by .ci/run), never one Playwright
downloads. Without it the tests skip on a developer's machine, but fail under CI=true, where a
skipped browser test would hide a broken setup.

Also here, for the readers' tests: the bundled site served from 127.0.0.1 (`bundled_server`,
imported the same way), with a copy of it whose lists are paginated and the Arabic fixture
site (right to left) beside it, and `local_context`, a browser context that may load nothing
else.
"""

from __future__ import annotations

import functools
import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from http import HTTPStatus
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar, NoReturn
from urllib.parse import urlsplit

import pytest
from conftest import PAGINATED_BASE_URL
from sitecheck import REPO, Built, load_expected

from generator.load.validate import name_slug

if TYPE_CHECKING:
    from playwright.sync_api import Browser, BrowserContext, Page, Response, Route

CHROMIUM = Path("/usr/bin/chromium")

# Headless, sandbox off (CI runs as root, where Chromium's sandbox refuses to start), and no
# background traffic: nothing but the page under test goes over the network.
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


# Module scope: each test module imports the fixture, so pytest holds one definition per module;
# with session scope the second module would start Playwright inside the first one's loop.
@pytest.fixture(scope="module", name="browser")
def browser_fixture() -> Iterator[Browser]:
    """One Chromium per test module; each test opens its own pages."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _unavailable("playwright is not installed (pip install -r requirements-dev.txt)")
    if not CHROMIUM.is_file():
        _unavailable(f"no Chromium at {CHROMIUM} (apt-get install chromium)")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


def _unavailable(reason: str) -> NoReturn:
    unavailable(reason)


def unavailable(reason: str) -> NoReturn:
    """Skip for a missing tool on a developer's machine; fail under CI=true, which must run all."""
    if os.environ.get("CI") == "true":
        pytest.fail(f"{reason}: CI must run the browser tests", pytrace=False)
    pytest.skip(reason)


# --- A built site served from 127.0.0.1, and browser contexts that may only talk to it -----

# One page of each type of the bundled site: what the readers' tests (test_readers_*.py) open.
BUNDLED_PAGE_TYPES = {
    "home": "",
    "claim": "claims/up-to-87-million/",
    "source": "sources/independent/",
    "claimants": "claimants/",
    "claimant": "claimants/facebook/",
    "tags": "tags/",
    "tag": "tags/user-numbers/",
    "ratings": "ratings/",
    "search": "search/",
    "rating": "ratings/unproven/",
    "discrepancies": "discrepancies/",
    "measure": "discrepancies/affected-users/",
    "quotation": "discrepancies/quotes/broad-enough-view/",
    "methodology": "methodology/",
    "markdown-page": "about/",
    "corrections": "corrections/",
    "submit": "submit/",
    "404": "404.html",
}

# Pages of lists longer than a page, from the paginated copy of the bundled site (conftest's
# `bundled_paginated_site`, 3 fact-checks to a page): a first page (next, a gap in the page
# numbers), a middle one (previous and next) and a last one (previous only, no rating counts).
PAGINATED_PAGE_TYPES = {
    "list-first-page": "",
    "list-middle-page": "tags/cambridge-analytica/page/2/",
    "list-last-page": "claimants/mark-zuckerberg/page/3/",
    "rating-middle-page": "ratings/unproven/page/2/",
}
# One page of each type of the Arabic fixture site (tests/fixtures/ar-site, conftest's
# `arabic`), served beside the bundled one: right to left, with Arabic text, Arabic-Indic
# digits and charts. (It has no quotation variants and no submission address.)
ARABIC_PAGE_TYPES = {
    "ar-home": "",
    "ar-claim": "claims/police-25000/",
    "ar-source": "sources/wadi-radio/",
    "ar-claimants": "claimants/",
    "ar-claimant": f"claimants/{name_slug('سلمى الحداد')}/",
    "ar-tags": "tags/",
    "ar-tag": "tags/mahrajan-al-tumur/",
    "ar-ratings": "ratings/",
    "ar-rating": "ratings/sahih/",
    "ar-discrepancies": "discrepancies/",
    "ar-measure": "discrepancies/festival-visitors/",
    "ar-methodology": "methodology/",
    "ar-markdown-page": "about/",
    "ar-corrections": "corrections/",
    "ar-search": "search/",
    "ar-404": "404.html",
}
# Every page type the readers' tests open (see LocalSite.page_url).
PAGE_TYPES = [*BUNDLED_PAGE_TYPES, *PAGINATED_PAGE_TYPES, *ARABIC_PAGE_TYPES]


@dataclass(frozen=True)
class LocalSite:
    """A built site served at http://127.0.0.1:<port><base>, as a static host would serve it."""

    folder: Path
    origin: str  # http://127.0.0.1:<port>
    base: str  # the path the site is published under, from its base_url: "/factcheck/"
    # The paginated copy of the bundled site, served beside it (same origin, another base).
    paginated: LocalSite | None = None
    # The Arabic fixture site, served beside it the same way.
    arabic: LocalSite | None = None

    def url(self, path: str = "") -> str:
        """The address of a page given relative to the site: "claims/x/" or "404.html"."""
        return self.origin + self.base + path

    def page_url(self, page_type: str) -> str:
        """The address of the page of a type of PAGE_TYPES, on this site, its paginated copy or
        the Arabic site beside it."""
        if page_type in PAGINATED_PAGE_TYPES:
            assert self.paginated is not None, "this server has no paginated copy"
            return self.paginated.url(PAGINATED_PAGE_TYPES[page_type])
        if page_type in ARABIC_PAGE_TYPES:
            assert self.arabic is not None, "this server has no Arabic site"
            return self.arabic.url(ARABIC_PAGE_TYPES[page_type])
        return self.url(BUNDLED_PAGE_TYPES[page_type])


class _SiteHandler(SimpleHTTPRequestHandler):
    """Serves each folder of `mounts` under its base path; a missing address gets the site's
    404.html with status 404, as GitHub Pages and most static hosts do, so the 404 page is
    tested where it is used."""

    # Base path -> the built site served under it.
    mounts: ClassVar[dict[str, Path]] = {}

    def translate_path(self, path: str) -> str:
        url_path = urlsplit(path).path
        for base in sorted(self.mounts, key=len, reverse=True):
            if url_path.startswith(base):
                # A handler serves one request: this is the folder it, and its 404, come from.
                self.directory = str(self.mounts[base])
                return super().translate_path("/" + url_path[len(base) :])
        return str(Path(self.directory) / ".outside-the-base-path")  # does not exist

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        page = Path(self.directory) / "404.html"
        if code != HTTPStatus.NOT_FOUND or not page.is_file():
            super().send_error(code, message, explain)
            return
        body = page.read_bytes()
        self.send_response(HTTPStatus.NOT_FOUND)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        pass  # keep the test output for the tests


@contextmanager
def serve_site(
    folder: Path, base: str = "/", beside: dict[str, Path] | None = None
) -> Iterator[LocalSite]:
    """Serve a built site on a free port of 127.0.0.1 until the block ends, and the sites of
    `beside` (base path -> folder) from the same origin."""
    handler = type("Handler", (_SiteHandler,), {"mounts": {base: folder, **(beside or {})}})
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(handler, directory=folder))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield LocalSite(folder, f"http://127.0.0.1:{server.server_address[1]}", base)
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="session", name="bundled_server")
def bundled_server_fixture(
    bundled_site: Path, bundled_paginated_site: Path, arabic: Built
) -> Iterator[LocalSite]:
    """The bundled site (conftest's `bundled_site`), served under its base_url's path, so that
    the 404 page's links, which start from that path, work as they do once published; and its
    paginated copy (`bundled_paginated_site`) and the Arabic site (`arabic`) each under its
    own, from the same origin, which is all a browser context of local_context may load from."""
    base = urlsplit(load_expected(REPO).base_url).path
    paginated = urlsplit(PAGINATED_BASE_URL).path
    arabic_base = urlsplit(arabic.expected.base_url).path
    beside = {paginated: bundled_paginated_site, arabic_base: arabic.out}
    with serve_site(bundled_site, base, beside) as site:
        yield replace(
            site,
            paginated=LocalSite(bundled_paginated_site, site.origin, paginated),
            arabic=LocalSite(arabic.out, site.origin, arabic_base),
        )


@contextmanager
def local_context(browser: Browser, site: LocalSite, **options: Any) -> Iterator[BrowserContext]:
    """A browser context (options as for `browser.new_context`) whose pages may load nothing but
    the local site. Any other request is aborted, so nothing leaves the machine, and fails the
    test when the block ends: a page that needs another host is not light, nor private."""
    context = browser.new_context(**options)
    strays: list[str] = []

    def guard(route: Route) -> None:
        if _origin(route.request.url) == site.origin:
            route.continue_()
        else:
            strays.append(route.request.url)
            route.abort()

    context.route("**/*", guard)
    try:
        yield context
    finally:
        context.close()
    assert not strays, "requests to another host than the local server:\n" + "\n".join(strays)


def open_page(page: Page, url: str, status: int = HTTPStatus.OK) -> Response:
    """Go to `url` and check the status the server answered."""
    response = page.goto(url)
    assert response is not None, f"no response for {url}"
    assert response.status == status, f"{url}: status {response.status}, not {status}"
    return response


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"
