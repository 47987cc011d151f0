"""Determinism: the same content gives byte-identical output, and every date shown is the content's.

Builds run in separate processes with different hash seeds, at different moments and in time
zones a whole day apart (UTC-12 and UTC+14 are never on the same date), and in this process
with the file system listing files in reverse order. Any use of the clock, of set or dict
order that depends on hashing, or of listing order would make two of them differ.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
import yaml
from sitecheck import site_tree

from generator import pipeline
from generator.config import Options, Paths

REPO = Path(__file__).resolve().parent.parent
FIXTURE = REPO / "tests" / "fixtures" / "minimal-site"

# (PYTHONHASHSEED, TZ) of each build: different seeds, and zones more than a day apart.
ENVIRONMENTS = [("0", "Etc/GMT+12"), ("1", "Etc/GMT-14"), ("4242", "Asia/Kathmandu")]


def tree_bytes(folder: Path) -> dict[str, bytes]:
    return site_tree(folder)


def tree_hash(folder: Path) -> str:
    digest = hashlib.sha256()
    for name, data in tree_bytes(folder).items():
        digest.update(name.encode() + b"\0" + hashlib.sha256(data).digest())
    return digest.hexdigest()


def build_in_child(root: Path, out: Path, hash_seed: str, zone: str) -> None:
    env = {**os.environ, "PYTHONHASHSEED": hash_seed, "TZ": zone}
    result = subprocess.run(
        [sys.executable, str(REPO / "build.py"), "build", "--root", str(root), "--out", str(out)],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr


@pytest.fixture(params=["bundled", "minimal"])
def site(request: pytest.FixtureRequest, tmp_path: Path) -> Path:
    if request.param == "bundled":
        return REPO
    root = tmp_path / "minimal-site"
    shutil.copytree(FIXTURE, root)
    return root


def test_builds_in_any_process_zone_and_moment_are_byte_identical(
    site: Path, tmp_path: Path
) -> None:
    hashes = []
    for number, (hash_seed, zone) in enumerate(ENVIRONMENTS):
        if number:
            time.sleep(1.1)  # a timestamp with seconds in it would differ between builds
        out = tmp_path / f"out-{number}"
        build_in_child(site, out, hash_seed, zone)
        hashes.append(tree_hash(out))
    assert len(set(hashes)) == 1, "outputs differ between builds"


def reversed_listing(monkeypatch: pytest.MonkeyPatch) -> None:
    """Make the file system list every folder in reverse order of name."""
    real_listdir, real_scandir = os.listdir, os.scandir

    def listdir(path: Any = ".") -> list[str]:
        return sorted(real_listdir(path), reverse=True)

    class Scandir:
        """An iterator, as os.scandir's is (os.walk calls next() on it)."""

        def __init__(self, path: Any = ".") -> None:
            with real_scandir(path) as entries:
                self.entries = iter(sorted(entries, key=lambda e: e.name, reverse=True))

        def __iter__(self) -> Any:
            return self

        def __next__(self) -> Any:
            return next(self.entries)

        def __enter__(self) -> Scandir:
            return self

        def __exit__(self, *exc: object) -> None:
            return None

        def close(self) -> None:
            return None

    monkeypatch.setattr(os, "listdir", listdir)
    monkeypatch.setattr(os, "scandir", Scandir)


def test_the_order_the_file_system_lists_files_does_not_matter(
    site: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = tmp_path / "first"
    assert pipeline.build(Paths.for_site(site, first), Options()).ok
    with monkeypatch.context() as patch:
        reversed_listing(patch)
        assert sorted(os.listdir(site / "content")) == os.listdir(site / "content")[::-1]
        second = tmp_path / "second"
        assert pipeline.build(Paths.for_site(site, second), Options()).ok
    assert tree_bytes(first) == tree_bytes(second)


def test_files_copied_in_another_order_build_the_same_site(tmp_path: Path) -> None:
    """Two copies of the site whose files were created in opposite orders (some file systems
    list files in the order they were created)."""
    outputs = []
    for name, order in (("forward", False), ("backward", True)):
        root = tmp_path / name
        for path in sorted(FIXTURE.rglob("*"), reverse=order):
            target = root / path.relative_to(FIXTURE)
            if path.is_file():
                target.parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(path, target)
        out = tmp_path / f"{name}-out"
        assert pipeline.build(Paths.for_site(root, out), Options()).ok
        outputs.append(tree_bytes(out))
    assert outputs[0] == outputs[1]


# --- dates ---------------------------------------------------------------------------------

ISO_DATE = re.compile(r"(?<!\d)(\d{4})-(\d{2})-(\d{2})(?!\d)")


def content_dates(root: Path) -> set[dt.date]:
    """Every date the content holds: YAML dates, and dates written in any content or seed file."""
    dates: set[dt.date] = set()

    def walk(value: Any) -> None:
        if isinstance(value, dt.date):
            dates.add(value if not isinstance(value, dt.datetime) else value.date())
        elif isinstance(value, dict):
            for item in value.values():
                walk(item)
        elif isinstance(value, list):
            for item in value:
                walk(item)

    for path in sorted((root / "content").rglob("*.yaml")):
        walk(yaml.safe_load(path.read_text(encoding="utf-8")))
    for path in [*(root / "content").rglob("*"), *(root / "seeds").rglob("*")]:
        if path.is_file():
            for match in ISO_DATE.finditer(path.read_text(encoding="utf-8", errors="replace")):
                with contextlib.suppress(ValueError):  # 2018-13-45 is not a date
                    dates.add(dt.date(*map(int, match.groups())))
    return dates


def shown_dates(out: Path) -> set[dt.date]:
    """Every ISO date in every output file: <time datetime>, JSON-LD, sitemap, feed, JSON."""
    found: set[dt.date] = set()
    for path in out.rglob("*"):
        if path.is_file() and path.suffix in {".html", ".xml", ".json", ".txt"}:
            for match in ISO_DATE.finditer(path.read_text(encoding="utf-8")):
                found.add(dt.date(*map(int, match.groups())))
    return found


def human(date: dt.date) -> str:
    return f"{date.day} {date:%B %Y}"


def test_every_date_shown_comes_from_the_content(site: Path, tmp_path: Path) -> None:
    out = tmp_path / "_site"
    assert pipeline.build(Paths.for_site(site, out), Options()).ok
    known = content_dates(site)
    shown = shown_dates(out)
    assert shown, "no dates found in the output"
    # 1970-01-01 is the feed's date when there is no fact-check at all; these sites have some.
    assert shown <= known, sorted(shown - known)
    # Nor is the build day shown in words, unless the content has that date too.
    today = {dt.date.today(), dt.datetime.now(dt.UTC).date()} - known
    text = "\n".join(p.read_text("utf-8") for p in out.rglob("*.html"))
    for date in today:
        assert human(date) not in text
