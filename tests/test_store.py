"""The store (generator/incremental/store.py): entries read one by one as they are looked
up, kept from one build to the next, swept once they outnumber what builds use; a store that
cannot be trusted is replaced; a build killed while saving leaves the last build's state."""

from __future__ import annotations

import pickle
import shutil
import sqlite3
from pathlib import Path

import pytest

from generator import pipeline
from generator.config import Options, Paths
from generator.incremental import store as store_module
from generator.incremental.inputs import Inputs
from generator.incremental.store import SWEEP_FACTOR, Last, Store
from generator.output.write import OutputFile, Previous

FIXTURE = Path(__file__).resolve().parent / "fixtures" / "minimal-site"


def built(tmp_path: Path) -> tuple[Path, Path]:
    site, out = tmp_path / "site", tmp_path / "_site"
    shutil.copytree(FIXTURE, site)
    result = pipeline.build(Paths.for_site(site, out), Options())
    assert result.ok, "\n".join(d.format() for d in result.diagnostics)
    return site, out


def last_of(store: Store, pages: int) -> Last:
    """A Last like a build's, with `pages` to tell one from another."""
    previous = store.last
    assert previous is not None
    output = Previous({"a.html": OutputFile("f", "d", 1, 2, 3)}, {"": (1, 2)})
    return Last(previous.inputs, output, (), pages)


def saved_with_one_entry(tmp_path: Path) -> Path:
    """The output folder of a built site whose store holds one entry, "a": 1, and a last
    build of 5 pages."""
    _, out = built(tmp_path)
    store = Store.beside(out)
    store.table("test").put("a", 1)
    store.save(last_of(store, 5))
    store.close()
    return out


def memo_rows(path: Path, kind: str) -> int:
    with sqlite3.connect(path) as db:
        return db.execute("SELECT count(*) FROM memo WHERE kind = ?", (kind,)).fetchone()[0]


def test_entries_are_kept_between_builds_and_read_only_when_looked_up(tmp_path: Path) -> None:
    _, out = built(tmp_path)
    first = Store.beside(out)
    first.last  # noqa: B018 (opens it)
    table = first.table("test")
    for n in range(10):
        table.put(("k", n), {"value": n})
    first.save(last_of(first, 7))
    first.close()

    second = Store.beside(out)
    fetched: list[list[object]] = []
    fetch = second.fetch
    second.fetch = lambda kind, keys: fetched.append(list(keys)) or fetch(kind, keys)  # type: ignore[method-assign]
    assert second.last is not None and second.last.pages == 7
    assert second.table("test").get(("k", 3)) == {"value": 3}
    assert second.table("test").get_many([("k", 4), ("k", 99)]) == {("k", 4): {"value": 4}}
    assert fetched == [[("k", 3)], [("k", 4), ("k", 99)]]  # what was looked up, nothing more


def test_unused_entries_are_swept_once_they_outnumber_the_used_ones(tmp_path: Path) -> None:
    _, out = built(tmp_path)
    path = out.parent / store_module.FOLDER / f"{out.name}.sqlite"
    store = Store.beside(out)
    table = store.table("test")
    total = 1000
    for n in range(total):
        table.put(n, n)
    store.save(last_of(store, 1))
    # A build that uses a few entries: the rest are kept while they do not outnumber them.
    kept = total // SWEEP_FACTOR
    store.table("test").get_many(range(kept))
    store.save(last_of(store, 2))
    assert memo_rows(path, "test") == total
    # One that uses fewer: the entries it did not use go.
    store.table("test").get_many(range(10))
    store.save(last_of(store, 3))
    assert memo_rows(path, "test") == 10
    # One that never looks at the table leaves it whole.
    store.save(last_of(store, 4))
    assert memo_rows(path, "test") == 10


def test_a_build_killed_while_saving_leaves_the_last_builds_state(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = saved_with_one_entry(tmp_path)

    dying = Store.beside(out)
    dying.last  # noqa: B018
    for n in range(100):
        dying.table("test").put(("new", n), n)
    dumps = pickle.dumps
    written = 0

    def killed_half_way(value: object, protocol: int) -> bytes:
        nonlocal written
        written += 1
        if written == 50:
            raise KeyboardInterrupt  # as a kill would, in the middle of the transaction
        return dumps(value, protocol)

    monkeypatch.setattr(store_module.pickle, "dumps", killed_half_way)
    with pytest.raises(KeyboardInterrupt):
        dying.save(last_of(dying, 6))
    dying.close()
    monkeypatch.undo()

    after = Store.beside(out)
    assert after.last is not None and after.last.pages == 5
    assert after.table("test").get("a") == 1
    assert after.table("test").get(("new", 3)) is None


def test_a_store_copied_beside_another_output_keeps_its_memo_but_not_its_last_build(
    tmp_path: Path,
) -> None:
    out = saved_with_one_entry(tmp_path)
    other = tmp_path / "elsewhere" / "_site"
    (other.parent / store_module.FOLDER).mkdir(parents=True)
    shutil.copy(
        out.parent / store_module.FOLDER / "_site.sqlite",
        other.parent / store_module.FOLDER / "_site.sqlite",
    )
    copied = Store.beside(other)
    assert copied.last is None
    assert copied.table("test").get("a") == 1


def test_a_store_of_another_generator_is_replaced(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = saved_with_one_entry(tmp_path)
    monkeypatch.setattr(store_module, "generator_key", lambda: "another version")
    newer = Store.beside(out)
    assert newer.last is None
    assert newer.table("test").get("a") is None


def test_the_preview_keeps_live_objects_in_memory(tmp_path: Path) -> None:
    _, out = built(tmp_path)
    memory = Store.in_memory(out)
    assert Store.beside(out).memory("marks") is None  # results not worth writing to disk
    table = memory.memory("marks")
    assert table is not None
    value = object()
    table.put("k", value)
    memory.save(Last(Inputs({}, {}, 0, "", Options()), Previous({}, {}), (), 0))
    assert memory.memory("marks").get("k") is value  # type: ignore[union-attr]
