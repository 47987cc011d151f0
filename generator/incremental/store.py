"""Store: what the last build of an output folder knew, kept in one SQLite file beside it.

    <the output's parent>/.factcheck-cache/<the output's name>.sqlite

    meta      the store's format, the generator's key and the output folder it describes
    build     the last build's options, scan time, diagnostics and page count
    inputs    every file it read: digest, size, times, inode (see inputs.Inputs)
    outputs   every file it wrote: fingerprint, digest, size, time, inode (write.OutputFile)
    folders   every folder of the output as it left them (time, inode)
    memo      results of costly steps (a claim's model, an anchor, a passage's variants), each
              under a key naming everything it was computed from

It is read lazily: a build reads the inputs table to tell what changed, and from the memo only
the entries it looks up; it writes, at its end and in one transaction, only what changed. A
build killed at any moment leaves the store as the last build committed it (SQLite rolls back
what was half-written). A file written by another format or generator, or that is not a readable
SQLite database, is removed: the build is then a full one. One describing another output folder
(copied along with a site) keeps its memo, whose entries hold wherever they were made, but not
its last build.
Deleting the folder is always safe.

The preview keeps its store in memory (Store.in_memory): the same tables as dictionaries of
live objects, nothing pickled.

A store is only read by whoever can write the output folder, and holds pickles: like the
output, it must not come from someone else.
"""

from __future__ import annotations

import contextlib
import gc
import marshal
import pickle
import sqlite3
from collections.abc import Hashable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..diagnostics import Diagnostic
from ..output.write import OutputFile, Previous
from .inputs import Inputs, Stat, generator_key

# The folder beside the output folder.
FOLDER = ".factcheck-cache"
# Bumped when the layout of the tables changes.
FORMAT = 4
# A fixed pickle protocol: the same objects give the same bytes in every supported Python.
PROTOCOL = 5
# SQLite takes at most this many parameters in one statement (999 in older builds).
BATCH = 900
# A table is swept of the entries no build used when it holds more than this many times the
# entries the last build used (and a few): so it follows the content instead of growing for
# ever, without a sweep at every edit.
SWEEP_FACTOR = 2

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (name TEXT PRIMARY KEY, value BLOB) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS build (name TEXT PRIMARY KEY, value BLOB) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS inputs (
    path TEXT PRIMARY KEY, digest TEXT, size INT, mtime_ns INT, ctime_ns INT, inode INT
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS outputs (
    path TEXT PRIMARY KEY, fingerprint TEXT, digest TEXT, size INT, mtime_ns INT, inode INT
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS folders (path TEXT PRIMARY KEY, mtime_ns INT, inode INT)
    WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS memo (kind TEXT, key BLOB, value BLOB, PRIMARY KEY (kind, key))
    WITHOUT ROWID;
"""


@dataclass(frozen=True)
class Last:
    """What the last successful build read and wrote."""

    # Its input files with their digests, the generator and the options.
    inputs: Inputs
    # The files and folders it left in the output.
    output: Previous
    # Its warnings, shown again when nothing changed and the build is skipped.
    diagnostics: tuple[Diagnostic, ...]
    # How many HTML pages it wrote.
    pages: int


class Table:
    """Results of one kind (the model of a content file, an anchor, a passage's variants), by
    a key naming everything they were computed from. Entries are read when first looked up,
    and the entries this build used or added are what it hands the next."""

    def __init__(self, kind: str, store: Store) -> None:
        self.kind = kind
        self._store = store
        # The entries this build used or added, by key.
        self.used: dict[Hashable, Any] = {}
        # The keys of those it added (to write).
        self.added: set[Hashable] = set()

    def get(self, key: Hashable) -> Any:
        """The entry for key, or None."""
        return self.get_many([key]).get(key)

    def get_many(self, keys: Iterable[Hashable]) -> dict[Hashable, Any]:
        """The entries found for keys, by key (a key with none is left out)."""
        keys = list(keys)
        missing = [key for key in keys if key not in self.used]
        if missing:
            self.used.update(self._store.fetch(self.kind, missing))
        self._store.consulted.add(self.kind)
        return {key: self.used[key] for key in keys if key in self.used}

    def put(self, key: Hashable, value: Any) -> None:
        self.used[key] = value
        self.added.add(key)


class Store:
    """The state one build hands to the next: in a SQLite file, or in memory (path None)."""

    def __init__(self, path: Path | None, out: Path) -> None:
        self.path = path
        # The output folder it describes; a store of another one is not used.
        self.out = str(Path(out).resolve())
        self._tables: dict[str, Table] = {}
        # The tables this build looked anything up in (the others are left whole).
        self.consulted: set[str] = set()
        # In memory: the last build's state and memo entries, as live objects.
        self._last: Last | None = None
        self._memory: dict[str, dict[Hashable, Any]] = {}
        self._db: sqlite3.Connection | None = None
        self._opened = path is None

    @classmethod
    def beside(cls, out: Path) -> Store:
        """The store of an output folder, kept on disk next to it."""
        return cls(out.parent / FOLDER / f"{out.name}.sqlite", out)

    @classmethod
    def in_memory(cls, out: Path) -> Store:
        """A store kept in this process only (the live preview's)."""
        return cls(None, out)

    def table(self, kind: str) -> Table:
        if kind not in self._tables:
            self._tables[kind] = Table(kind, self)
        return self._tables[kind]

    def memory(self, kind: str) -> Table | None:
        """A table for results holding model objects, not worth writing to disk: the preview's
        (whose builds share one process), None for a store on disk."""
        return self.table(kind) if self.path is None else None

    @property
    def last(self) -> Last | None:
        """The last successful build, or None."""
        db = self._connect()
        if db is None or self._last is not None:
            return self._last
        self._last = _read_last(db, self.out)
        return self._last

    def fetch(self, kind: str, keys: list[Hashable]) -> dict[Hashable, Any]:
        """The stored entries of keys, by key."""
        db = self._connect()
        if db is None:
            kept = self._memory.get(kind, {})
            return {key: kept[key] for key in keys if key in kept}
        by_digest = {_key(key): key for key in keys}
        found: dict[Hashable, Any] = {}
        digests = list(by_digest)
        with _no_gc():
            for start in range(0, len(digests), BATCH):
                batch = digests[start : start + BATCH]
                marks = ",".join("?" * len(batch))
                rows = db.execute(
                    f"SELECT key, value FROM memo WHERE kind = ? AND key IN ({marks})",
                    (kind, *batch),
                )
                for digest, value in rows:
                    found[by_digest[digest]] = pickle.loads(value)
        return found

    def save(self, last: Last) -> None:
        """Keep this build's state for the next, in one transaction. A store that cannot be
        written only makes the next build slower: it is not an error."""
        previous, self._last = self.last, last
        db = self._connect()
        if db is None:
            self._keep_in_memory()
            return
        try:
            with _transaction(db):
                _write_last(db, last, previous)
                for table in self._tables.values():
                    self._write_table(db, table)
        except sqlite3.Error:
            return
        self._settle()

    def close(self) -> None:
        if self._db is not None:
            self._db.close()
            self._db = None

    def _keep_in_memory(self) -> None:
        for kind, table in self._tables.items():
            if kind in self.consulted or table.added:
                self._memory[kind] = dict(table.used)
        self._settle()

    def _settle(self) -> None:
        """Start the next build's bookkeeping (a preview's store serves many builds)."""
        self._tables.clear()
        self.consulted.clear()

    def _write_table(self, db: sqlite3.Connection, table: Table) -> None:
        # Pickled one row at a time as SQLite takes them: a cold build adds a hundred thousand
        # entries, and a list of them all, pickled, would be the build's largest moment.
        rows = (
            (table.kind, _key(key), pickle.dumps(table.used[key], PROTOCOL)) for key in table.added
        )
        db.executemany("INSERT OR REPLACE INTO memo VALUES (?, ?, ?)", rows)
        if table.kind in self.consulted:
            _sweep(db, table)

    def _connect(self) -> sqlite3.Connection | None:
        """The database, opened (and made, or made again if it is not ours) on first use."""
        if not self._opened:
            self._opened = True
            self._db = _open(self.path, self.out) if self.path is not None else None
        return self._db


def _open(path: Path, out: str) -> sqlite3.Connection | None:
    """The store at path if it is ours (this format, generator and output folder); otherwise
    a new one in its place. None if no store can be made there."""
    for attempt in range(2):
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            db = sqlite3.connect(path, timeout=30, isolation_level=None)
            db.execute("PRAGMA synchronous = NORMAL")
            db.executescript(_SCHEMA)
            header = dict(db.execute("SELECT name, value FROM meta"))
            expected = {"format": FORMAT, "generator": generator_key(), "out": out}
            if header == expected:
                return db
            if header and attempt == 0 and _version(header) != _version(expected):
                raise sqlite3.DatabaseError("another generator's store")
            with _transaction(db):  # new, or another output's: its memo holds, its last build not
                for table in ("build", "inputs", "outputs", "folders"):
                    db.execute(f"DELETE FROM {table}")
                db.executemany("INSERT OR REPLACE INTO meta VALUES (?, ?)", expected.items())
            return db
        except sqlite3.Error:  # not a database, another version's, or locked for too long
            with contextlib.suppress(Exception):
                db.close()
            with contextlib.suppress(OSError):
                for leftover in (path, path.with_name(path.name + "-journal")):
                    leftover.unlink(missing_ok=True)
        except OSError:
            return None
    return None


def _key(key: Hashable) -> bytes:
    """A memo key as stored: its own bytes, written with marshal (format 2 has no references
    between objects, so equal keys give equal bytes; a digest of them would cost more than it
    saves), or its repr for a key marshal cannot write."""
    try:
        return b"m" + marshal.dumps(key, 2)
    except ValueError:
        return b"r" + repr(key).encode()


def _version(header: dict[str, Any]) -> tuple[Any, Any]:
    return header.get("format"), header.get("generator")


def _read_last(db: sqlite3.Connection, out: str) -> Last | None:
    try:
        build = {name: pickle.loads(value) for name, value in db.execute("SELECT * FROM build")}
        if not build:
            return None
        files, stats = {}, {}
        for path, digest, *stat in db.execute("SELECT * FROM inputs"):
            files[path], stats[path] = digest, Stat(*stat)
        inputs = Inputs(files, stats, build["scanned_ns"], generator_key(), build["options"])
        outputs = {row[0]: OutputFile(*row[1:]) for row in db.execute("SELECT * FROM outputs")}
        folders = {row[0]: (row[1], row[2]) for row in db.execute("SELECT * FROM folders")}
        return Last(inputs, Previous(outputs, folders), build["diagnostics"], build["pages"])
    except (sqlite3.Error, KeyError, pickle.UnpicklingError, AttributeError, TypeError):
        return None


def _write_last(db: sqlite3.Connection, last: Last, previous: Last | None) -> None:
    """The build's state: the rows of inputs, outputs and folders that changed, and the rest."""
    build = {
        "options": last.inputs.options,
        "scanned_ns": last.inputs.scanned_ns,
        "diagnostics": last.diagnostics,
        "pages": last.pages,
    }
    db.executemany(
        "INSERT OR REPLACE INTO build VALUES (?, ?)",
        [(name, pickle.dumps(value, PROTOCOL)) for name, value in build.items()],
    )
    before = previous.inputs if previous else None
    inputs = {p: (d, *last.inputs.stats[p]) for p, d in last.inputs.files.items()}
    old_inputs = {p: (d, *before.stats[p]) for p, d in before.files.items()} if before else {}
    _replace_rows(db, "inputs", inputs, old_inputs)
    old = previous.output if previous else Previous({}, {})
    _replace_rows(db, "outputs", dict(last.output.outputs), dict(old.outputs))
    _replace_rows(db, "folders", last.output.folders, old.folders)


def _replace_rows(
    db: sqlite3.Connection, name: str, rows: dict[str, tuple[Any, ...]], old: dict[str, Any]
) -> None:
    """Make table `name` hold `rows` (path -> columns), knowing it holds `old`."""
    gone = [(path,) for path in old.keys() - rows.keys()]
    db.executemany(f"DELETE FROM {name} WHERE path = ?", gone)
    changed = [(path, *row) for path, row in rows.items() if tuple(old.get(path, ())) != row]
    marks = ",".join("?" * (1 + len(next(iter(rows.values()), ()))))
    if changed:
        db.executemany(f"INSERT OR REPLACE INTO {name} VALUES ({marks})", changed)


def _sweep(db: sqlite3.Connection, table: Table) -> None:
    """Remove the entries no recent build used, once they outnumber the used ones."""
    (count,) = db.execute("SELECT count(*) FROM memo WHERE kind = ?", (table.kind,)).fetchone()
    if count <= SWEEP_FACTOR * len(table.used) + 64:
        return
    db.execute("CREATE TEMP TABLE IF NOT EXISTS kept (key BLOB PRIMARY KEY) WITHOUT ROWID")
    db.execute("DELETE FROM kept")
    db.executemany("INSERT OR IGNORE INTO kept VALUES (?)", ((_key(k),) for k in table.used))
    db.execute(
        "DELETE FROM memo WHERE kind = ? AND key NOT IN (SELECT key FROM kept)", (table.kind,)
    )


@contextlib.contextmanager
def _transaction(db: sqlite3.Connection) -> Iterator[None]:
    """All the statements inside, or none: committed at the end, rolled back on any error or
    interruption (and by SQLite itself, from its journal, if the process is killed)."""
    db.execute("BEGIN IMMEDIATE")
    try:
        yield
    except BaseException:
        db.execute("ROLLBACK")
        raise
    db.execute("COMMIT")


@contextlib.contextmanager
def _no_gc() -> Iterator[None]:
    """Unpickling creates objects by the hundred thousand, none of them garbage, and each one
    kept for the whole build: the cyclic garbage collector would walk them all, again and
    again, for nothing. It is paused while they are made, and they are then moved out of its
    sight (gc.freeze; they are still freed when no longer used)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()
        if enabled:
            gc.enable()
