"""Write: the output folder is swapped in whole, and never one that holds the user's files."""

from __future__ import annotations

import hashlib
import stat
from pathlib import Path

import pytest

from generator import pipeline
from generator.config import OUTPUT_MARKER, Options, Paths
from generator.diagnostics import Diagnostics
from generator.incremental.store import FOLDER as CACHE
from generator.output import write

SEED = b"Town news.\nThe mayor said the pool cost 2 million euros.\n"

SITE = {
    "content/site.yaml": (
        "title: Test\nbase_url: https://example.org/\npublisher:\n  name: Test Org\n"
    ),
    "seeds/a.txt": SEED,
    "content/sources/a.yaml": (
        f"file: a.txt\ntitle: Town news\nsha256: {hashlib.sha256(SEED).hexdigest()}\n"
    ),
    "content/claims/c.yaml": (
        "claim: The pool cost 2 million euros\n"
        "claimant: Jane Mayor\n"
        "appearances:\n"
        "  - source: a\n"
        "    quote: the pool cost 2 million euros\n"
        "rating: accurate\n"
        "summary: Confirmed.\n"
        "analysis: The article says so.\n"
        "published: 2024-03-05\n"
    ),
}


def snapshot(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def leftovers(out: Path) -> list[str]:
    """Staging or old copies left beside the output folder."""
    return sorted(p.name for p in out.parent.iterdir() if p.name.startswith(f".{out.name}."))


@pytest.fixture
def site(scratch_site) -> Path:
    return scratch_site(SITE)


# --- refusing dangerous output folders -----------------------------------------------------


@pytest.mark.parametrize(
    "where",
    ["root", "content", "seeds", "parent", "inside-content", "inside-seeds", "claims"],
)
def test_refuses_to_write_over_the_users_folders(site, where):
    out = {
        "root": site,
        "content": site / "content",
        "seeds": site / "seeds",
        "parent": site.parent,
        "inside-content": site / "content" / "_site",
        "inside-seeds": site / "seeds" / "out",
        "claims": site / "content" / "claims",
    }[where]
    before = snapshot(site.parent)
    diags = Diagnostics()
    assert write.check_output(Paths.for_site(site, out), diags) is False
    error = diags.errors[0]
    assert "refusing to write the site here" in error.message
    assert error.hint

    result = pipeline.build(Paths.for_site(site, out), Options())
    assert not result.ok
    assert any("refusing" in d.message for d in result.diagnostics)
    assert snapshot(site.parent) == before
    assert leftovers(out) == []


def test_refuses_to_write_over_the_sites_own_theme(scratch_site):
    root = scratch_site({**SITE, "theme/templates/base.html": "x", "theme/static/s.css": "y"})
    paths = Paths.for_site(root, root / "theme")
    assert paths.theme == root / "theme"
    diags = Diagnostics()
    assert write.check_output(paths, diags) is False
    assert "refusing" in diags.errors[0].message
    diags = Diagnostics()
    assert write.check_output(Paths.for_site(root, root / "theme" / "out"), diags) is False


def test_refuses_a_non_empty_folder_without_the_marker(site, tmp_path):
    out = tmp_path / "mine"
    out.mkdir()
    (out / "notes.txt").write_text("precious")
    diags = Diagnostics()
    assert write.check_output(Paths.for_site(site, out), diags) is False
    error = diags.errors[0]
    assert error.message == "refusing to replace a folder this generator did not create"
    assert OUTPUT_MARKER in error.hint

    result = pipeline.build(Paths.for_site(site, out), Options())
    assert not result.ok
    assert snapshot(out) == {"notes.txt": b"precious"}


def test_refuses_a_file_as_output(site, tmp_path):
    out = tmp_path / "afile"
    out.write_text("x")
    diags = Diagnostics()
    assert write.check_output(Paths.for_site(site, out), diags) is False
    assert diags.errors[0].message == "output path exists and is not a folder"
    assert out.read_text() == "x"


def test_accepts_missing_empty_or_marked_folders(site, tmp_path):
    missing = tmp_path / "new" / "out"
    empty = tmp_path / "empty"
    empty.mkdir()
    marked = tmp_path / "marked"
    marked.mkdir()
    (marked / OUTPUT_MARKER).write_text("x")
    (marked / "old.html").write_text("old")
    for out in (missing, empty, marked, site / "_site"):
        diags = Diagnostics()
        assert write.check_output(Paths.for_site(site, out), diags) is True, out
        assert diags.sorted() == []


# --- the swap ------------------------------------------------------------------------------


def test_write_site_replaces_the_old_output_completely(tmp_path):
    out = tmp_path / "_site"
    write.write_site({"index.html": b"one", "old/page.html": b"stale", "keep.txt": b"v1"}, out)
    (out / "stray.txt").write_text("left by someone")
    new_files = {"index.html": b"two", "claims/x/index.html": b"<p>x</p>", "keep.txt": b"v2"}
    write.write_site(new_files, out)
    assert snapshot(out) == {**new_files, OUTPUT_MARKER: write.MARKER_TEXT.encode()}
    assert leftovers(out) == []
    assert sorted(p.name for p in tmp_path.iterdir()) == ["_site"]


def test_write_site_creates_missing_parents_and_a_readable_folder(tmp_path):
    out = tmp_path / "a" / "b" / "_site"
    write.write_site({"index.html": b"hi"}, out)
    assert (out / "index.html").read_bytes() == b"hi"
    assert (out / OUTPUT_MARKER).read_text() == write.MARKER_TEXT
    mode = stat.S_IMODE(out.stat().st_mode)
    assert mode & 0o755 == 0o755
    assert leftovers(out) == []


def test_write_failure_keeps_the_old_output_and_cleans_up(tmp_path):
    out = tmp_path / "_site"
    write.write_site({"index.html": b"old"}, out)
    before = snapshot(out)
    # "a" is written as a file, so "a/b" cannot be: the write fails half-way.
    with pytest.raises(OSError):
        write.write_site({"a": b"file", "a/b": b"cannot"}, out)
    assert snapshot(out) == before
    assert leftovers(out) == []


def test_rebuild_through_the_pipeline_replaces_stale_files(site):
    paths = Paths.for_site(site)
    first = pipeline.build(paths, Options())
    assert first.ok, [d.format() for d in first.diagnostics]
    out = site / "_site"
    assert (out / "claims" / "c" / "index.html").is_file()
    (out / "stale.html").write_text("stale")

    (site / "content" / "claims" / "c.yaml").rename(site / "content" / "claims" / "d.yaml")
    second = pipeline.build(paths, Options())
    assert second.ok, [d.format() for d in second.diagnostics]
    assert not (out / "stale.html").exists()
    assert not (out / "claims" / "c").exists()
    assert (out / "claims" / "d" / "index.html").is_file()
    assert (out / OUTPUT_MARKER).is_file()
    assert leftovers(out) == []
    # The build's store (see incremental/store.py) aside, nothing is left beside the output.
    assert sorted(p.name for p in site.iterdir() if p.name != CACHE) == [
        "_site",
        "content",
        "seeds",
    ]


def test_check_mode_writes_nothing(site):
    result = pipeline.build(Paths.for_site(site), Options(), write_output=False)
    assert result.ok
    assert result.pages > 0
    assert not (site / "_site").exists()
