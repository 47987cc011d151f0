"""The cache's tables: what a build used is kept, the rest dropped, and only changed shards
are written again."""

from __future__ import annotations

from pathlib import Path

from generator.cache import SHARDS, Cache, Table, _shard


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
