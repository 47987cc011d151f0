"""XSS in a real browser: no payload runs on any page of the hostile site (see test_security.py).

Every page is opened in headless Chromium from a local server. A payload that ran would open a
dialog (alert), log the marker to the console, or leave an element or attribute that runs code;
the test watches for all three, and for any request leaving 127.0.0.1 (a payload's <img> or
<base>). Event handlers that need a user (onmouseover, onfocus) are covered by the DOM check:
there must be no event handler attribute at all.
"""

from __future__ import annotations

import functools
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

import pytest
from browser import browser_fixture  # noqa: F401 (the `browser` fixture)
from test_security import MARKER, hostile_site

from generator import pipeline
from generator.config import Options, Paths

if TYPE_CHECKING:
    from playwright.sync_api import Browser, ConsoleMessage, Dialog, Request

# Run in each page once it has loaded: what in the DOM could run code.
# The search page's own script and form (search.html) are the theme's, there once and nowhere else.
DOM_PROBLEMS = """() => {
  const problems = [];
  const searchPage = /\\/search\\/(index\\.html)?$/.test(location.pathname);
  const theme = searchPage ? [
    document.querySelector('script[src="../static/search.js"]'),
    document.querySelector('.search > form.search-form'),
  ] : [];
  for (const script of document.querySelectorAll('script')) {
    if (theme.includes(script)) continue;
    if (script.type !== 'application/ld+json' || script.src) {
      problems.push('script: ' + script.outerHTML.slice(0, 80));
    }
  }
  for (const element of document.querySelectorAll('*')) {
    for (const attribute of element.attributes) {
      const name = attribute.name.toLowerCase();
      const value = attribute.value.replace(/[\\u0000-\\u0020]/g, '').toLowerCase();
      if (name.startsWith('on')) problems.push(`<${element.localName} ${name}>`);
      const link = ['href', 'src', 'action', 'formaction', 'xlink:href', 'data'].includes(name);
      if (link && /^(javascript|vbscript|data):/.test(value)) {
        problems.push(`<${element.localName} ${name}=${value}>`);
      }
    }
    if (theme.includes(element)) continue;
    if (['iframe', 'object', 'embed', 'base', 'img', 'form'].includes(element.localName)) {
      problems.push('element: ' + element.outerHTML.slice(0, 80));
    }
  }
  return problems;
}"""


class QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


@contextmanager
def serve(folder: Path) -> Iterator[str]:
    """Serve a folder on 127.0.0.1; yields its address."""
    handler = functools.partial(QuietHandler, directory=str(folder))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="module")
def hostile_out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The hostile site, built; returns its output folder."""
    folder = tmp_path_factory.mktemp("xss-browser")
    root = hostile_site(folder)
    out = folder / "_site"
    result = pipeline.build(Paths.for_site(root, out), Options())
    assert result.ok, "\n".join(d.format() for d in result.diagnostics)
    return out


def page_addresses(out: Path) -> list[str]:
    return sorted(p.relative_to(out).as_posix() for p in out.rglob("*.html"))


def scripts_that_ran(browser: Browser, base: str, addresses: list[str]) -> list[str]:
    """Open each page; every sign that a payload ran or could run, as "page: what"."""
    ran: list[str] = []
    context = browser.new_context()
    page = context.new_page()

    def on_dialog(dialog: Dialog) -> None:
        ran.append(f"{page.url}: dialog {dialog.type} {dialog.message!r}")
        dialog.dismiss()

    def on_console(message: ConsoleMessage) -> None:
        if MARKER in message.text:
            ran.append(f"{page.url}: console {message.text!r}")

    def on_request(request: Request) -> None:
        if urlsplit(request.url).hostname != "127.0.0.1":
            ran.append(f"{page.url}: request to {request.url}")

    page.on("dialog", on_dialog)
    page.on("console", on_console)
    page.on("request", on_request)
    context.route(
        "**/*",
        lambda route: (
            route.continue_()
            if urlsplit(route.request.url).hostname == "127.0.0.1"
            else route.abort()
        ),
    )
    try:
        for address in addresses:
            page.goto(base + address, wait_until="load")
            page.wait_for_timeout(50)  # let onload/onerror/ontoggle handlers fire, if any
            ran.extend(f"{address}: {problem}" for problem in page.evaluate(DOM_PROBLEMS))
            page.evaluate(TOUCH_EVERYTHING)
    finally:
        context.close()
    return ran


# Hover and focus every element: handlers that wait for a user would fire now.
TOUCH_EVERYTHING = """() => {
  for (const e of document.querySelectorAll('*')) {
    e.dispatchEvent(new MouseEvent('mouseover', {bubbles: true}));
    if (e.focus) e.focus();
  }
}"""


def test_no_script_runs_on_any_page(browser: Browser, hostile_out: Path) -> None:
    addresses = page_addresses(hostile_out)
    assert len(addresses) > 15
    with serve(hostile_out) as base:
        assert scripts_that_ran(browser, base, addresses) == []


def test_searching_for_a_payload_shows_it_as_text(browser: Browser, hostile_out: Path) -> None:
    """The search lists the hostile fact-checks, their claims and excerpts holding the payloads:
    shown as text, nothing of them runs."""
    with serve(hostile_out) as base:
        ran = scripts_that_ran(browser, base, ["search/?q=" + MARKER])
        context = browser.new_context()
        page = context.new_page()
        page.goto(base + "search/?q=" + MARKER)
        page.wait_for_selector(".search-results li")
        titles = page.locator(".search-results .card-title").all_inner_texts()
        excerpts = page.locator(".search-results .search-excerpt").all_inner_texts()
        elements = page.evaluate(
            "() => [...document.querySelectorAll('.search-results *')].map(e => e.localName)"
        )
        context.close()
    assert ran == []
    assert any(MARKER in title for title in titles)
    assert any(MARKER in excerpt for excerpt in excerpts)
    assert set(elements) <= {"li", "article", "h2", "a", "p", "span", "mark"}


def test_the_checks_see_a_payload_that_runs(browser: Browser, tmp_path: Path) -> None:
    """The same checks on pages where payloads were pasted unescaped: each one is caught."""
    pages = {
        "alert.html": f"<p><script>alert('{MARKER}')</script></p>",
        "console.html": f"<img src=x onerror=\"console.log('{MARKER}')\">",
        "handler.html": f"<p onmouseover=\"alert('{MARKER}')\">x</p>",
        "link.html": f"<a href=\" javascript:alert('{MARKER}')\">x</a>",
        "remote.html": '<link rel="stylesheet" href="https://evil.example/x.css">',
    }
    for name, body in pages.items():
        (tmp_path / name).write_text(f"<!doctype html><title>t</title>{body}", "utf-8")
    with serve(tmp_path) as base:
        ran = scripts_that_ran(browser, base, sorted(pages))
    for name in pages:
        assert any(name in problem for problem in ran), (name, ran)
    assert any("dialog alert" in problem for problem in ran)
    assert any("console" in problem for problem in ran)


def test_the_payloads_are_shown_to_the_reader_as_text(browser: Browser, hostile_out: Path) -> None:
    page = browser.new_page()
    try:
        with serve(hostile_out) as base:
            page.goto(base + "claims/dette-doublee/", wait_until="load")
            heading = page.inner_text("h1")
    finally:
        page.close()
    assert f"<script>console.log('{MARKER}')</script>" in heading
    assert "<svg onload=" in heading
