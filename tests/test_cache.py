"""The cache's tables: what a build used is kept, the rest dropped, and only changed shards
are written again; files of another generator version are removed."""

from __future__ import annotations

import pickle
import shutil
from pathlib import Path

from generator import pipeline
from generator.config import Options, Paths
from generator.incremental.cache import FORMAT, SHARDS, Cache, Table, _current, _shard

FIXTURE = Path(__file__).resolve().parent / "fixtures" / "minimal-site"


def build(root: Path, out: Path) -> None:
    result = pipeline.build(Paths.for_site(root, out), Options())
    assert result.ok, "\n".join(d.format() for d in result.diagnostics)


def test_a_table_keeps_what_a_build_used_and_drops_the_rest() -> None:
    table = Table()
    for n in range(100):
        table.put(("k", n), n)
    assert len(table.settle()) == SHARDS  # every shard got entries
    for n in range(50):
        assert table.get(("k", n)) == n
    changed = table.settle()
    assert changed == sorted({_shard(("k", n)) for n in range(50, 100)})
    assert {k for i in range(SHARDS) for k in table.shard(i)} == {("k", n) for n in range(50)}
    assert table.get(("k", 70)) is None


def test_a_build_that_never_looks_at_a_table_keeps_it_whole() -> None:
    table = Table()
    for n in range(40):
        table.put(("k", n), n)
    table.settle()
    assert table.settle() == []  # a build that did not look
    assert all(table.get(("k", n)) == n for n in range(40))
    table.settle()
    table.get(("k", 0))  # one that looked at one entry only
    assert table.settle() != []
    assert table.get(("k", 1)) is None


def test_a_build_that_uses_every_entry_changes_no_shard() -> None:
    table = Table()
    for n in range(40):
        table.put(("k", n), n)
    table.settle()
    for n in range(40):
        table.get(("k", n))
    assert table.settle() == []


def test_one_new_entry_changes_only_its_shard() -> None:
    table = Table()
    for n in range(200):
        table.put(("k", n), n)
    table.settle()
    for n in range(200):
        table.get(("k", n))
    table.put(("new", 1), "x")
    assert table.settle() == [_shard(("new", 1))]


def test_only_a_cache_in_memory_keeps_tables_in_memory(tmp_path: Path) -> None:
    # A cache on disk serves builds that each run in a process of their own.
    assert Cache.beside(tmp_path / "_site").memory("marks") is None
    cache = Cache(None, tmp_path / "_site")
    table = cache.memory("marks")
    assert table is not None and cache.memory("marks") is table


def test_the_first_build_of_a_version_removes_the_files_of_others(tmp_path: Path) -> None:
    """A table an older generator kept, and this one no longer has, is never read: the first
    build of this version removes its files (and unreadable ones); later builds leave the
    folder alone."""
    site, out = tmp_path / "site", tmp_path / "_site"
    shutil.copytree(FIXTURE, site)
    build(site, out)
    folder = Cache.beside(out).folder
    assert folder is not None
    kept = sorted(p.name for p in folder.glob("*.pickle"))
    older = folder / "rows-03.pickle"
    with open(older, "wb") as file:
        pickle.dump((FORMAT, "an older generator", "table", "rows"), file)
        pickle.dump({"key": b"line"}, file)
    (folder / "broken.pickle").write_bytes(b"not a pickle")
    claim = next((site / "content" / "claims").glob("*.yaml"))
    claim.write_text(claim.read_text(encoding="utf-8") + "# edited\n", encoding="utf-8")
    build(site, out)  # a build with a usable manifest: it looks at nothing else
    assert older.exists()
    (folder / "manifest.pickle").unlink()  # as after a new version: no usable manifest
    build(site, out)
    assert not older.exists() and not (folder / "broken.pickle").exists()
    left = {p.name for p in folder.glob("*.pickle")}
    assert set(kept) <= left and all(_current(folder / name) for name in left)
    assert Cache.beside(out).manifest is not None
