"""Inputs: every file a build reads, each with a digest of its bytes, to tell what changed.

A file whose size, times and inode are those of the last build keeps the digest it had then and
is not read again, as git's index does; a file changed less than RACY_NS before the last build
looked at it is read again all the same, since a second change within the file system's clock
tick would leave its times as they were.
"""

from __future__ import annotations

import marshal
import os
import sys
import time
from dataclasses import dataclass
from functools import cache, cached_property
from pathlib import Path
from stat import S_ISDIR
from typing import NamedTuple

from ..config import Options, Paths
from ..output.write import digest

# A change this close to the last scan may hide behind unchanged times: such files are re-read.
RACY_NS = 2_000_000_000

# The generator's code and its content schemas: a new version invalidates what a cache holds.
GENERATOR = Path(__file__).resolve().parent.parent
SCHEMAS = GENERATOR.parent / "schemas"


def combine(*parts: object) -> str:
    """One digest of several values: strings, numbers, None, and tuples, lists and dicts of
    them, written with marshal (three times as fast as repr; its format 2 has no references
    between objects, so equal values give equal bytes); other values (model objects) and
    anything holding one, with repr."""
    try:
        data = b"m" + marshal.dumps(parts, 2)
    except ValueError:  # unmarshallable
        data = b"r" + "\0".join(map(repr, parts)).encode()
    return digest(data)


class Stat(NamedTuple):
    """What tells a file unchanged without reading it. (A tuple: there is one per input file,
    and a cache holds tens of thousands of them.)"""

    # Size in bytes.
    size: int
    # Last change of the bytes, in nanoseconds.
    mtime_ns: int
    # Last change of the bytes or of the file's entry (which no tool can set back), in ns.
    ctime_ns: int
    # The file itself: a save through a temporary file gives a new one.
    inode: int


@dataclass(frozen=True)
class Inputs:
    """The files one build reads and the code and options it runs with."""

    # Path ("content/claims/x.yaml", "seeds/a.txt", a snapshot "seeds/a.warc.gz",
    # "theme/templates/base.html", a translation table "i18n/1/fr.yaml") -> digest of its
    # bytes ("" when it cannot be read). Theme files are named "theme/..." wherever the theme
    # is; the folders of translation tables "i18n/<n>/...", in the order they are merged
    # (Paths.tables: the shipped theme's, then the site's).
    files: dict[str, str]
    # Path -> its Stat when it was read, so that the next scan can trust its digest.
    stats: dict[str, Stat]
    # When this scan started (time.time_ns()).
    scanned_ns: int
    # The generator's code and the libraries that shape its output.
    generator: str
    # What the user asked of the build (it changes the pages too).
    options: Options

    @cached_property
    def key(self) -> str:
        """One digest of everything: equal keys, equal sites."""
        return combine(self.generator, self.options, sorted(self.files.items()))

    def under(self, prefix: str) -> dict[str, str]:
        """The files whose path starts with prefix ("seeds/"), with their digests."""
        return {path: d for path, d in self.files.items() if path.startswith(prefix)}

    def folder_key(self, prefix: str) -> str:
        """One digest of every file under prefix: whether anything in it changed."""
        return combine(prefix, sorted(self.under(prefix).items()))


def scan(paths: Paths, options: Options, previous: Inputs | None = None) -> Inputs:
    """Every file of content/, seeds/ and the theme, with its digest."""
    started = time.time_ns()
    folders = {"content": paths.content, "seeds": paths.seeds, "theme": paths.theme}
    folders |= {f"i18n/{number}": folder for number, folder in enumerate(paths.tables)}
    files: dict[str, str] = {}
    stats: dict[str, Stat] = {}
    for name, folder in folders.items():
        for path, real, stat in _walk(folder, name):
            files[path], stats[path] = _digest(path, real, stat, previous), stat
    return Inputs(files, stats, started, generator_key(), options)


def _walk(folder: Path, name: str) -> list[tuple[str, str, Stat]]:
    """(path as named in Inputs, path on disk, stat) of every file under folder; links are
    followed, as the loader follows them, but a link back up the tree only once."""
    found: list[tuple[str, str, Stat]] = []
    seen: set[tuple[int, int]] = set()

    def visit(real: str, named: str) -> None:
        try:
            here = os.stat(real)
            with os.scandir(real) as listing:
                entries = sorted(listing, key=lambda entry: entry.name)
        except OSError:  # not a folder, or removed while we walk: nothing to read
            return
        if (here.st_dev, here.st_ino) in seen:
            return
        seen.add((here.st_dev, here.st_ino))
        for entry in entries:
            try:
                st = entry.stat()
            except OSError:  # removed while we walk, or a dangling link
                continue
            if S_ISDIR(st.st_mode):
                visit(entry.path, f"{named}/{entry.name}")
            else:
                info = Stat(st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino)
                found.append((f"{named}/{entry.name}", entry.path, info))

    visit(str(folder), name)
    return found


def _digest(path: str, real: str, stat: Stat, previous: Inputs | None) -> str:
    """The file's digest: the last scan's when its stat is unchanged and was not racy."""
    if previous is not None and _unchanged(previous, path, stat):
        return previous.files[path]
    try:
        with open(real, "rb") as file:
            return digest(file.read())
    except OSError:
        return ""


def _unchanged(previous: Inputs, path: str, stat: Stat) -> bool:
    """Unchanged since the last scan, which came long enough after its last change to be sure."""
    return previous.stats.get(path) == stat and stat.ctime_ns < previous.scanned_ns - RACY_NS


@cache
def generator_key() -> str:
    """The generator's code and schemas, the Python running it and the libraries that write
    pages and share cards (Pillow, and whether it lays text out with Raqm; Babel, whose CLDR
    data writes dates, numbers and plurals): a new version of any of them may make other files
    of the same content."""
    import babel
    import jinja2
    import markdown_it
    import PIL
    import yaml
    from PIL import features

    files = [*GENERATOR.rglob("*.py"), *SCHEMAS.glob("*.json")]
    code = sorted((p.relative_to(GENERATOR.parent).as_posix(), p.read_bytes()) for p in files)
    versions = (
        sys.version,
        jinja2.__version__,
        markdown_it.__version__,
        yaml.__version__,
        PIL.__version__,
        bool(features.check("raqm")),
        babel.__version__,
    )
    return combine(versions, [(name, digest(data)) for name, data in code])
