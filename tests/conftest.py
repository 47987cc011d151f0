"""Shared fixtures: the bundled site built once per session, scratch sites written from strings."""

from __future__ import annotations

import shutil
import subprocess
import sys
import textwrap
from collections.abc import Callable
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from sitecheck import Built, build_copy, load_expected

from generator import pipeline
from generator.config import DEFAULT_THEME, Options, Paths

REPO = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"


def parse(path: Path) -> BeautifulSoup:
    """A built page, parsed."""
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def run_cli(*args: str, cwd: Path = REPO) -> subprocess.CompletedProcess[str]:
    """Run `python build.py ARGS` as a user would, capturing its output."""
    return subprocess.run(
        [sys.executable, str(REPO / "build.py"), *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.fixture(scope="session")
def bundled_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The bundled site, built once per session; returns its output folder."""
    out = tmp_path_factory.mktemp("bundled") / "_site"
    result = pipeline.build(Paths.for_site(REPO, out), Options())
    assert result.ok, "\n".join(d.format() for d in result.diagnostics)
    return out


@pytest.fixture(scope="session")
def bundled_subpath_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The bundled site built for publication under a sub-path (/factcheck/)."""
    out = tmp_path_factory.mktemp("bundled-sub") / "_site"
    options = Options(base_url="http://127.0.0.1/factcheck/")
    result = pipeline.build(Paths.for_site(REPO, out), options)
    assert result.ok, "\n".join(d.format() for d in result.diagnostics)
    return out


# The bundled site, the minimal fixture site and the Arabic one, with what each is expected to
# show (sitecheck.Expected), for the tests that check every site they are given the same way.


@pytest.fixture(scope="module")
def bundled(bundled_site: Path) -> Built:
    return Built(REPO, bundled_site, load_expected(REPO))


@pytest.fixture(scope="module")
def minimal(tmp_path_factory: pytest.TempPathFactory) -> Built:
    return build_copy(tmp_path_factory.mktemp("minimal"), "minimal-site")


@pytest.fixture(scope="session")
def arabic(tmp_path_factory: pytest.TempPathFactory) -> Built:
    """The Arabic fixture site (tests/fixtures/ar-site): right to left, its own figures."""
    return build_copy(tmp_path_factory.mktemp("arabic"), "ar-site")


@pytest.fixture(params=["bundled", "minimal", "arabic"])
def built(request: pytest.FixtureRequest) -> Built:
    return request.getfixturevalue(request.param)


# Where the paginated copy of the bundled site is published (see bundled_paginated_site).
PAGINATED_BASE_URL = "https://example.org/factcheck-paginated/"
# Its page size: the bundled site's 18 fact-checks on 6 home pages, and several topics and
# claimants on two pages or more.
PAGINATED_PAGE_SIZE = 3


@pytest.fixture(scope="session")
def bundled_paginated_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The bundled site with `page_size: 3` in its site.yaml, for the pages only a site with
    more fact-checks than fit on a page has (page/2/ ...); returns its output folder."""
    root = tmp_path_factory.mktemp("bundled-paginated") / "site"
    for folder in ("content", "seeds"):
        shutil.copytree(REPO / folder, root / folder)
    with (root / "content" / "site.yaml").open("a", encoding="utf-8") as site_yaml:
        site_yaml.write(f"page_size: {PAGINATED_PAGE_SIZE}\n")
    out = root.parent / "_site"
    result = pipeline.build(Paths.for_site(root, out), Options(base_url=PAGINATED_BASE_URL))
    assert result.ok, "\n".join(d.format() for d in result.diagnostics)
    return out


SiteFactory = Callable[[dict[str, str | bytes]], Path]


@pytest.fixture
def scratch_site(tmp_path: Path) -> SiteFactory:
    """Write a site from {relative path: text} into a temporary folder and return its root.

    Text values are dedented, so tests can write YAML inline with natural indentation.
    """

    def make(files: dict[str, str | bytes]) -> Path:
        root = tmp_path / "site"
        for rel, data in files.items():
            path = root / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            if isinstance(data, bytes):
                path.write_bytes(data)
            else:
                path.write_text(textwrap.dedent(data).lstrip("\n"), encoding="utf-8")
        return root

    return make


@pytest.fixture
def bundled_copy(tmp_path: Path) -> Path:
    """A copy of the bundled site (measures, variants, intros), with a theme of its own, for
    tests that edit it."""
    root = tmp_path / "site"
    for folder in ("content", "seeds"):
        shutil.copytree(REPO / folder, root / folder)
    shutil.copytree(DEFAULT_THEME, root / "theme")
    return root


@pytest.fixture
def fixture_site(tmp_path: Path) -> Callable[[str], Path]:
    """Copy tests/fixtures/<name> into a temporary folder, so tests may edit it."""

    def copy(name: str) -> Path:
        target = tmp_path / name
        shutil.copytree(FIXTURES / name, target)
        return target

    return copy
