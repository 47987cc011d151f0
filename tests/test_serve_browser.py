"""Serve in a real browser: the open tab reloads by itself, through livereload's own script."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from browser import browser_fixture  # noqa: F401 (the `browser` fixture)
from test_serve import BROKEN, CLAIM_FILE, CLAIM_PAGE, SUMMARY, Preview, start_preview

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

# livereload.js fires this event on the document once its WebSocket handshake is done; the
# page records it so the test edits only once the tab is listening (as a user's tab would be).
LISTEN_FOR_LIVERELOAD = (
    "document.addEventListener('LiveReloadConnect', () => { window.liveReloadConnected = true })"
)
WAIT_MS = 10_000


@pytest.fixture
def preview(fixture_site: Callable[[str], Path], tmp_path: Path) -> Iterator[Preview]:
    running = start_preview(fixture_site("minimal-site"), tmp_path / "logs")
    yield running
    running.stop()


def wait_for_text(page: Page, text: str) -> None:
    page.wait_for_function(
        "text => document.body.innerText.includes(text)", arg=text, timeout=WAIT_MS
    )


def wait_until_listening(page: Page) -> None:
    page.wait_for_function("window.liveReloadConnected === true", timeout=WAIT_MS)


def test_the_tab_reloads_by_itself_on_each_save(browser: Browser, preview: Preview) -> None:
    page = browser.new_page()
    page.add_init_script(LISTEN_FOR_LIVERELOAD)
    page.goto(preview.url + CLAIM_PAGE)
    assert SUMMARY in page.inner_text("body")
    wait_until_listening(page)
    # Survives only as long as this document: gone after a reload, kept by a DOM patch.
    page.evaluate("window.notReloaded = true")

    preview.edit(SUMMARY, "First edit seen in the tab")
    wait_for_text(page, "First edit seen in the tab")
    assert page.evaluate("window.notReloaded") is None, "the page was reloaded"

    # A second save right after the reload: livereload 2.7.1 would drop it (issue #161).
    wait_until_listening(page)
    preview.edit("First edit seen in the tab", "Second edit seen in the tab")
    wait_for_text(page, "Second edit seen in the tab")


def test_the_tab_shows_errors_then_the_fixed_page(browser: Browser, preview: Preview) -> None:
    page = browser.new_page()
    page.add_init_script(LISTEN_FOR_LIVERELOAD)
    page.goto(preview.url + CLAIM_PAGE)
    wait_until_listening(page)

    preview.edit(*BROKEN)
    wait_for_text(page, f"{CLAIM_FILE}:9:8: error: invalid YAML")
    assert page.locator("#build-errors").is_visible()

    wait_until_listening(page)
    preview.edit(BROKEN[1], BROKEN[0])
    preview.edit(SUMMARY, "Fixed, and the tab knows")
    wait_for_text(page, "Fixed, and the tab knows")
    assert page.locator("#build-errors").count() == 0


def test_the_errors_are_readable_without_javascript(browser: Browser, preview: Preview) -> None:
    preview.edit(*BROKEN)
    preview.wait_for_page(lambda body: "build-errors" in body)
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(preview.url + CLAIM_PAGE)
    assert page.locator("#build-errors").is_visible()
    assert f"{CLAIM_FILE}:9:8: error: invalid YAML" in page.inner_text("#build-errors")
    context.close()
