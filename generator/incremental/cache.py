"""Cache: what the last build of an output folder knew, kept beside it for the next build.

    <the output's parent>/.factcheck-cache/<the output's name>/
        manifest.pickle          the last build: its inputs, output files, diagnostics
        <table>-<shard>.pickle   results of expensive steps, by what they were computed from

Nothing in it is trusted blindly. Each file starts with the cache format and the generator's
key (its code, schemas and libraries: see inputs.generator_key); a file written by another
version, a file that cannot be read or unpickled, or a manifest of another output folder is
ignored, and the build redoes what it would have given (the first build of a version removes
the files of others). Memo entries are keyed by digests of everything they were computed from,
so an entry found is right whichever build wrote it; the output files a manifest lists are
checked on disk (size, time, inode) before any is reused.
Deleting the folder is always safe: the next build is a full one.

A cache is only read by whoever can write the output folder, and is unpickled: like the
output, it must not come from someone else.
"""

from __future__ import annotations

import contextlib
import gc
import os
import pickle
import zlib
from collections.abc import Hashable, Iterator
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any, NamedTuple

from ..diagnostics import Diagnostic
from .inputs import Inputs, generator_key

# The cache folder beside the output folder; one subfolder per output folder name.
FOLDER = ".factcheck-cache"
# Bumped when the layout of the cache files changes.
FORMAT = 2
# Each table is split in this many files, so that a small edit rewrites a small file.
SHARDS = 16
# A fixed protocol: the same objects give the same bytes in every supported Python.
PROTOCOL = 5


class OutputFile(NamedTuple):
    """A file of the built site as the last build left it. (A tuple: there is one per output
    file, and a site has tens of thousands.)"""

    # Digest of what the page shows (see render.py), or of the bytes for other files.
    fingerprint: str
    # Digest of the file's bytes.
    digest: str
    # What tells the file untouched since: size, modification time (ns) and inode.
    size: int
    mtime_ns: int
    inode: int


@dataclass(frozen=True)
class Manifest:
    """What the last successful build read and wrote."""

    # Its input files with their digests, the generator and the options.
    inputs: Inputs
    # Output path ("claims/x/index.html") -> the file it wrote.
    outputs: dict[str, OutputFile]
    # Output folder ("" for the top, "claims/x") -> (modification time ns, inode): a file
    # added to the output by hand changes its folder's time.
    folders: dict[str, tuple[int, int]]
    # Its warnings, shown again when nothing changed and the build is skipped.
    diagnostics: tuple[Diagnostic, ...]
    # How many HTML pages it wrote.
    pages: int


# The manifest's fields, in order: each is pickled on its own (see Cache._write).
_MANIFEST_FIELDS = tuple(field.name for field in fields(Manifest))


class Table:
    """Results of one kind (the model of a content file, an anchor, a passage's variants) by a
    key naming everything they were computed from. Entries a build does not use are dropped
    when the cache is saved, so the table follows the content instead of growing for ever;
    but a build that never looks at a table leaves it whole (a style edit reuses claims.json
    without looking up where its lines are: the next claim edit still needs that)."""

    def __init__(self, shards: list[dict[Hashable, Any]] | None = None) -> None:
        self._start(shards or [{} for _ in range(SHARDS)])

    def _start(self, shards: list[dict[Hashable, Any]]) -> None:
        # The entries this build used or added: what the next build gets. (Emptied first: when
        # a table is settled, the last build's go before the lookup below is made.)
        self._used: dict[Hashable, Any] = {}
        # The entries as loaded (or kept by the last build), one dict per shard file.
        self._shards = shards
        # The shard each of those keys is in. (Not the keys this build adds: their shards are
        # worked out when they are saved, so that a cold build does not hold a second dict of
        # hundreds of thousands of keys for the whole build.)
        self._shard_of = {key: i for i, shard in enumerate(shards) for key in shard}
        # Whether this build looked anything up.
        self._consulted = False

    def get(self, key: Hashable) -> Any:
        """The entry for key, or None."""
        self._consulted = True
        if key in self._used:
            return self._used[key]
        shard = self._shard_of.get(key)
        if shard is None:
            return None
        value = self._used[key] = self._shards[shard][key]
        return value

    def put(self, key: Hashable, value: Any) -> None:
        self._used[key] = value

    def settle(self) -> list[int]:
        """Keep only what this build used; return the shards that changed (to write). Only
        those are made again: an edit changes a few entries of tables of tens of thousands."""
        if not self._consulted and not self._used:
            return []  # not used at all: kept as it is
        added = {key: _shard(key) for key in self._used if key not in self._shard_of}
        unused = self._shard_of.keys() - self._used.keys()
        changed = set(added.values()) | {self._shard_of[key] for key in unused}
        shards = [{} if i in changed else shard for i, shard in enumerate(self._shards)]
        for key, value in self._used.items():
            i = added[key] if key in added else self._shard_of[key]
            if i in changed:
                shards[i][key] = value
        del added  # before the new lookup is made (see _start)
        self._start(shards)
        return sorted(changed)

    def shard(self, i: int) -> dict[Hashable, Any]:
        return self._shards[i]

    def entries(self) -> list[tuple[Hashable, Any]]:
        """The entries this build used or added."""
        return list(self._used.items())


def _shard(key: Hashable) -> int:
    """A key's shard: the same in every process (unlike hash(), which is salted per process)."""
    return zlib.crc32(repr(key).encode()) % SHARDS


class Cache:
    """The state one build hands to the next: in memory, and in a folder unless it is None
    (the live preview keeps it in memory only)."""

    def __init__(self, folder: Path | None, out: Path) -> None:
        self.folder = folder
        # The output folder it describes; a manifest of another one is ignored.
        self.out = str(out)
        self._manifest: Manifest | None = None
        self._manifest_read = folder is None
        self._tables: dict[str, Table] = {}
        # The tables never written to disk (see memory()).
        self._memory_only: set[str] = set()

    @classmethod
    def beside(cls, out: Path) -> Cache:
        """The cache of an output folder, kept on disk next to it."""
        return cls(out.parent / FOLDER / out.name, out)

    @property
    def manifest(self) -> Manifest | None:
        """The last successful build's manifest, or None."""
        if not self._manifest_read:
            self._manifest_read = True
            parts = self._read("manifest.pickle", ("manifest", self.out), len(_MANIFEST_FIELDS))
            self._manifest = Manifest(*parts) if parts is not None else None
        return self._manifest

    def table(self, name: str) -> Table:
        """The table of that name."""
        if name not in self._tables:
            found = [self._read(f"{name}-{i:02d}.pickle", ("table", name)) for i in range(SHARDS)]
            shards = [parts[0] if parts and isinstance(parts[0], dict) else {} for parts in found]
            self._tables[name] = Table(shards)
        return self._tables[name]

    def memory(self, name: str) -> Table | None:
        """A table kept in memory only, from one build to the next of the same Cache: the live
        preview's, whose builds share one process; for results holding model objects, not
        worth writing to disk. None for a cache kept on disk, each of whose builds runs in a
        process of its own and would never find anything in it."""
        if self.folder is not None:
            return None
        if name not in self._tables:
            self._tables[name] = Table()
            self._memory_only.add(name)
        return self._tables[name]

    def save(self, manifest: Manifest) -> None:
        """Keep this build's state for the next; write what changed to the folder (if any). A
        cache that cannot be written only makes the next build slower: it is not an error."""
        first = self.manifest is None  # the first build, or the first of a new generator
        self._manifest, self._manifest_read = manifest, True
        for name, table in self._tables.items():
            changed = table.settle()
            if name in self._memory_only:
                continue
            for i in changed:
                self._write(f"{name}-{i:02d}.pickle", ("table", name), table.shard(i))
        parts = [getattr(manifest, name) for name in _MANIFEST_FIELDS]
        self._write("manifest.pickle", ("manifest", self.out), *parts)
        if first:
            self._sweep()

    def _sweep(self) -> None:
        """Remove the files of another version of the generator (or that cannot be read):
        they are never used, and the tables a version had that this one does not would stay
        for ever (in a deploy's cache too). Done by the first build of a version only."""
        if self.folder is None:
            return
        with contextlib.suppress(OSError):
            for path in self.folder.glob("*.pickle"):
                if not _current(path):
                    path.unlink(missing_ok=True)

    def _read(self, name: str, what: tuple[str, ...], parts: int = 1) -> list[Any] | None:
        """The parts a file holds (see _write), or None when it cannot be trusted."""
        if self.folder is None:
            return None
        try:
            with open(self.folder / name, "rb") as file, _no_gc():
                if pickle.load(file) != (FORMAT, generator_key(), *what):
                    return None
                return [pickle.load(file) for _ in range(parts)]
        except Exception:  # missing, unreadable, truncated, or from classes that changed
            return None

    def _write(self, name: str, what: tuple[str, ...], *parts: Any) -> None:
        """A file of the cache: a header naming the cache format, the generator and what the
        file holds, then each part, pickled one after the other. (Each pickle remembers every
        object it holds until it is done, tens of megabytes for a manifest pickled whole at
        25,000 claims: in parts, at the end of the build, the largest moment of its memory.)"""
        if self.folder is None:
            return
        temporary = self.folder / f".{name}.{os.getpid()}"
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            with open(temporary, "wb") as file:
                for part in ((FORMAT, generator_key(), *what), *parts):
                    pickle.dump(part, file, PROTOCOL)
            os.replace(temporary, self.folder / name)  # atomic: a reader sees old or new
        except OSError:
            with contextlib.suppress(OSError):
                temporary.unlink(missing_ok=True)


def _current(path: Path) -> bool:
    """Whether a cache file was written by this cache format and generator (its header)."""
    try:
        with open(path, "rb") as file:
            header = pickle.load(file)
    except Exception:  # unreadable, truncated, or not a pickle
        return False
    return isinstance(header, tuple) and header[:2] == (FORMAT, generator_key())


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
