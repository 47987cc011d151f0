"""Write: put the rendered site on disk atomically, and never into a folder that is not ours.

A new site, or one most of whose files change, is written to a staging folder beside the
output (`.<out>.new-<pid>-<random>`) and swapped in by renaming once it is complete. An edit
that changes a few files of a large site is written in place instead: the swap would build a
whole new tree (a folder and a hard link for every page, seconds for a site of ten thousand
pages) to change a dozen files. Each changed file is written under a temporary name beside the
one it replaces, and once every one is made, a journal beside the output lists them and they
are renamed over the old ones (see InPlace). Either way an error, Ctrl-C or a kill while pages
are made leaves the previous site as it was. A build that is killed cannot clean up after
itself; the next build finishes or undoes what it left, recognising it by its name, the marker
file inside it and its process no longer running.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
import secrets
import shutil
import tempfile
import time
import unicodedata
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from functools import partial
from pathlib import Path, PurePosixPath
from typing import NamedTuple

from .. import parallel
from ..config import DEFAULT_THEME, OUTPUT_MARKER, Paths
from ..diagnostics import Diagnostics, Location, Problem
from ..load.loader import relative
from ..progress import SILENT, Progress

MARKER_TEXT = "This folder is written by build.py and replaced at every build. Do not edit it.\n"

# The generator's own code, which no output folder may replace.
GENERATOR = Path(__file__).resolve().parent.parent

# Where process ids cannot be checked (Windows), a leftover this old is taken as abandoned.
STALE_SECONDS = 24 * 60 * 60

# An old site of this many files is removed in the background (see _remove_later).
BACKGROUND_REMOVAL = 2000

# A published site is updated in place when at most this share of its files change (see
# write_jobs); more, and a new site is written beside it and swapped in. The swap costs a
# folder and a link for every file of the site, an update in place two renames per changed
# file; a large update (a template edit) is better kept whole by the swap.
IN_PLACE_SHARE = 0.1

_HINT = "choose another --out, such as _site inside the site folder"

# BLAKE2b, 128 bits, of each file's bytes: short, collision-resistant, fast.
DIGEST_SIZE = 16


def digest(data: bytes) -> str:
    """A digest of bytes, as hex."""
    return hashlib.blake2b(data, digest_size=DIGEST_SIZE).hexdigest()


class OutputFile(NamedTuple):
    """A file of the built site as a build left it. (A tuple: there is one per output file,
    and a site has tens of thousands.)"""

    # The fingerprint of what it shows (its Job's), given by whoever made the jobs.
    fingerprint: str
    # Digest of the file's bytes.
    digest: str
    # What tells the file untouched since: size, modification time (ns) and inode.
    size: int
    mtime_ns: int
    inode: int


@dataclass(frozen=True)
class Previous:
    """What the last build left in the output folder, as it recorded it."""

    # Output path ("claims/x/index.html") -> the file it wrote.
    outputs: dict[str, OutputFile]
    # Output folder ("" for the top, "claims/x") -> (modification time ns, inode): a file
    # added to the output by hand changes its folder's time.
    folders: dict[str, tuple[int, int]]


def prepare(paths: Paths, diags: Diagnostics) -> bool:
    """Whether the site may be written to its output folder (see check_output); if so, what a
    killed build left there is cleaned up first (and its previous site comes back), even if
    this build then fails."""
    if not check_output(paths, diags):
        return False
    remove_leftovers(paths.out)
    return True


def check_output(paths: Paths, diags: Diagnostics) -> bool:
    """Refuse an output folder whose replacement would delete something the user wrote."""
    out = paths.out
    reason = _protected_reason(paths)
    if reason:
        diags.error(
            Location(str(out)),
            f"refusing to write the site here: the build replaces this folder, which {reason}",
            _HINT,
        )
        return False
    if out.exists() and not out.is_dir():
        diags.error(
            Location(str(out)), "output path exists and is not a folder", "choose another --out"
        )
        return False
    if out.is_dir() and any(out.iterdir()) and not (out / OUTPUT_MARKER).is_file():
        diags.error(
            Location(str(out)),
            "refusing to replace a folder this generator did not create",
            f"empty or remove it yourself, or choose another --out (a built site holds "
            f"a {OUTPUT_MARKER} file)",
        )
        return False
    return True


def _protected_reason(paths: Paths) -> str:
    """Why the output folder may not be replaced, or "" when it may."""
    out = paths.out
    folders = [
        ("the site folder", paths.root),
        ("content/", paths.content),
        ("seeds/", paths.seeds),
        ("the theme", paths.theme),
        ("the default theme", DEFAULT_THEME),
        ("the generator's code", GENERATOR),
    ]
    for name, folder in folders:
        folder = folder.resolve()
        if out == folder:
            return f"is {name}"
        if folder.is_relative_to(out):
            return f"holds {name}"
        # Inside the site folder is where the output belongs (_site); inside the others it is not.
        if out.is_relative_to(folder) and folder != paths.root.resolve():
            return f"is inside {name}"
    return ""


def check_files(files: Iterable[str], paths: Paths, diags: Diagnostics) -> bool:
    """Refuse output paths that one file system would confuse: two names equal but for case
    or Unicode normalisation (macOS and Windows keep only one), or a file where a folder goes."""
    names = sorted(files)
    folders = {_fold(str(parent)) for name in names for parent in PurePosixPath(name).parents}
    seen: dict[str, str] = {}
    ok = True
    for name in names:
        key = _fold(name)
        if key in seen:
            diags.error(
                _locate(name, paths),
                f"output files {seen[key]} and {name} differ only in case or accents",
                "a case-insensitive file system (macOS, Windows) would keep only one; rename one",
            )
            ok = False
        elif key in folders:
            diags.error(
                _locate(name, paths),
                f"output file {name} has the name of a folder of the site",
                "rename the file",
            )
            ok = False
        seen.setdefault(key, name)
    return ok


def _fold(name: str) -> str:
    return unicodedata.normalize("NFC", name).casefold()


def _locate(name: str, paths: Paths) -> Location:
    """Static files come from the theme: locate them there; other files by their output path."""
    if name.startswith("static/"):
        return Location(relative(paths.theme / name, paths.root))
    return Location(relative(paths.out / name, paths.root))


@dataclass(frozen=True, slots=True)  # one per file: tens of thousands
class Job:
    """One file of the site, made only if the last build's copy cannot be reused."""

    # Output path, "/"-separated ("claims/x/index.html").
    path: str
    # Digest of everything the file is made from: when it is the last build's and that
    # build's file is still in place, the file is reused without being made. None: always made.
    fingerprint: str | None
    # Makes the file's bytes, or its bytes piece by piece (a large file, written as it comes).
    make: Callable[[], bytes | Iterable[bytes]]
    # Made in the build's own process, never in a worker: making it has effects beyond its
    # bytes that a worker's would lose (claims.json notes where its lines are).
    here: bool = False


def write_jobs(
    jobs: list[Job],
    out: Path,
    last: Previous | None,
    atomic: bool = True,
    processes: int | None = None,
    progress: Progress = SILENT,
) -> dict[str, OutputFile]:
    """Write the site into `out`, whose last build is `last`; return what each file is on disk,
    for the next build. `progress` is told of every file as it is reused or written.

    A file whose fingerprint is the last build's is reused as the output holds it (neither
    made nor written: its modification time stays), and so is one made again whose bytes come
    out unchanged. The others are made on every core and written.

    `atomic`: the site is published, so a build killed half-way must leave a whole site, the
    old or the new: a small update is made in place under a journal, any other written beside
    the output and swapped in (see the module's docstring). Without it the output is always
    updated in place: only for the live preview's private folder.

    `jobs` is emptied once the files made in worker processes are written, so that what the
    pages were made from is not held to the end of the build (the largest process of a build
    is at its end: the cache is saved then).
    """
    previous = last.outputs if last else {}
    if not atomic or _small_update(jobs, out, last):
        return _update_in_place(jobs, out, previous, processes, progress)
    with Staging(out) as staging:
        written = _place(jobs, staging, previous, processes, progress)
        staging.swap(in_background=len(previous) >= BACKGROUND_REMOVAL)
    return written


def write(
    jobs: list[Job],
    paths: Paths,
    last: Previous | None,
    atomic: bool,
    writable: bool,
    diags: Diagnostics,
    progress: Progress,
) -> dict[str, OutputFile] | None:
    """write_jobs into the output folder, or only make every file when it may not be written
    (check, or an output folder refused: a template error is reported all the same). What
    each file written is, or None when none was: not `writable`, a template error, or a disk
    full or read-only (reported to `diags`; the previous site is then unchanged)."""
    try:
        if not writable:
            make_only(jobs, progress)
            return None
        return write_jobs(jobs, paths.out, last, atomic, progress=progress)
    except Problem as problem:
        diags.problem(problem)
    except OSError as exc:
        where = f" ({exc.filename})" if exc.filename else ""
        diags.error(
            Location(str(paths.out)),
            f"cannot write the site: {exc.strerror or exc}{where}",
            "the previous site is unchanged; free disk space or check the folder's permissions",
        )
    return None


def make_only(jobs: list[Job], progress: Progress) -> None:
    """Make every file without writing it (check, or an output folder refused), so that a
    template error is reported too."""
    parallel.run(_make_job, jobs, done=progress.advance)


def _make_job(job: Job) -> None:
    job.make()


def _small_update(jobs: list[Job], out: Path, last: Previous | None) -> bool:
    """Whether to update the output in place: it is as the last build left it (no file added
    or removed by hand since: every folder has the time and inode it had), at most
    IN_PLACE_SHARE of its files are to be made again or removed, and no new file goes where
    an old one makes a folder impossible."""
    if last is None or not folders_intact(out, last.folders):
        return False
    previous = last.outputs
    stale = sum(1 for job in jobs if _fingerprint(previous.get(job.path)) != job.fingerprint)
    paths = {job.path for job in jobs}
    removed = len(previous.keys() - paths)
    if stale + removed > IN_PLACE_SHARE * len(jobs):
        return False
    return not any(folder in previous for path in paths for folder in parents(path))


def _fingerprint(old: OutputFile | None) -> str | None:
    return old.fingerprint if old is not None else None


def folders_intact(out: os.PathLike[str], folders: dict[str, tuple[int, int]]) -> bool:
    """Whether every folder of the output has the time and inode the last build left it with:
    a file added to or removed from a folder changes its time."""
    try:
        for name, (mtime_ns, inode) in folders.items():
            stat = os.stat(os.path.join(out, name))
            if (stat.st_mtime_ns, stat.st_ino) != (mtime_ns, inode):
                return False
    except OSError:
        return False
    return True


def _update_in_place(
    jobs: list[Job],
    out: Path,
    previous: dict[str, OutputFile],
    processes: int | None,
    progress: Progress,
) -> dict[str, OutputFile]:
    folder = InPlace(out)
    try:
        written = _place(jobs, folder, previous, processes, progress)
    except BaseException:
        folder.abandon()
        raise
    folder.commit(written, previous)
    return written


class _Target:
    """Where a build puts its files: a staging folder, or the output itself."""

    def reuse(self, rel: str, old: OutputFile) -> OutputFile | None:
        """Keep the last build's file, if it is still as that build wrote it; else None."""
        raise NotImplementedError

    def _path(self, rel: str) -> Path:
        """Where the new file's bytes go, its folder created."""
        raise NotImplementedError

    def write(
        self, rel: str, data: bytes | Iterable[bytes], old: OutputFile | None = None
    ) -> OutputFile:
        """Write a file, from its bytes or piece by piece; when its bytes come out as the last
        build's (`old`), that build's file is kept instead (and with it its time)."""
        if isinstance(data, bytes):
            made = digest(data)
            kept = self.reuse(rel, old) if old is not None and old.digest == made else None
            if kept is not None:
                return kept
            path = self._path(rel)
            path.write_bytes(data)
            return _record(path, made)
        path = self._path(rel)
        pieces = path.with_name(f"{path.name}.part")
        made = _write_pieces(pieces, data)
        kept = self.reuse(rel, old) if old is not None and old.digest == made else None
        if kept is not None:
            pieces.unlink()
            return kept
        os.replace(pieces, path)
        return _record(path, made)


def _write_pieces(path: Path, pieces: Iterable[bytes]) -> str:
    """Write bytes as they come; return their digest."""
    hashed = hashlib.blake2b(digest_size=DIGEST_SIZE)
    with open(path, "wb") as file:
        for piece in pieces:
            hashed.update(piece)
            file.write(piece)
    return hashed.hexdigest()


def _place(
    jobs: list[Job],
    target: _Target,
    previous: dict[str, OutputFile],
    processes: int | None,
    progress: Progress,
) -> dict[str, OutputFile]:
    """Reuse what did not change, make and write the rest; what each file is, in job order.
    Empties `jobs` (see write_jobs)."""
    paths = [job.path for job in jobs]
    written: dict[str, OutputFile] = {}
    anywhere, here = [], []
    for job in jobs:
        old = previous.get(job.path)
        same = (
            old is not None and job.fingerprint is not None and old.fingerprint == job.fingerprint
        )
        kept = target.reuse(job.path, old) if same else None  # type: ignore[arg-type]
        if kept is None:
            (here if job.here else anywhere).append(job)
        else:
            written[job.path] = kept
    progress.advance(len(written))
    made = parallel.run(
        partial(_make, target, previous), anywhere, processes, done=progress.advance
    )
    written.update(zip([job.path for job in anywhere], made, strict=True))
    # The jobs hold what their files are made from (the renderer, its lookups): it goes before
    # the files made here, which fill the cache (claims.json: 30 MB at 25,000 fact-checks).
    jobs.clear()
    del anywhere, made
    for job in here:
        written[job.path] = _make(target, previous, job)
        progress.advance()
    return {path: written[path] for path in paths}


def _make(target: _Target, previous: dict[str, OutputFile], job: Job) -> OutputFile:
    written = target.write(job.path, job.make(), previous.get(job.path))
    return written._replace(fingerprint=job.fingerprint or "")


def write_site(files: dict[str, bytes], out: Path) -> None:
    """Write every file into a fresh folder beside `out`, then swap it in as one step."""
    with Staging(out) as staging:
        for rel, data in files.items():
            staging.write(rel, data)
        staging.swap()


def _unchanged(path: Path, old: OutputFile) -> OutputFile | None:
    """The file as it is now if it still holds what the last build wrote, else None: `old`
    itself when its size, time and inode are those recorded; when they are not (a copy of the
    output restored by a deploy, from a cache that keeps neither times nor inodes), the file
    as it is now if its bytes have the recorded digest."""
    try:
        stat = os.stat(path, follow_symlinks=False)
    except OSError:
        return None
    if (stat.st_size, stat.st_mtime_ns, stat.st_ino) == old[2:]:
        return old
    if stat.st_size != old.size:
        return None
    try:
        same = _file_digest(path) == old.digest
    except OSError:
        return None
    return old._replace(mtime_ns=stat.st_mtime_ns, inode=stat.st_ino) if same else None


def _file_digest(path: Path) -> str:
    """digest() of a file's bytes, read in pieces."""
    with open(path, "rb") as file:
        blake = hashlib.file_digest(file, partial(hashlib.blake2b, digest_size=DIGEST_SIZE))
    return blake.hexdigest()


def _record(path: Path, made: str) -> OutputFile:
    stat = os.stat(path)
    return OutputFile("", made, stat.st_size, stat.st_mtime_ns, stat.st_ino)


class _Folders:
    """Creates the folders files go in, each once."""

    def __init__(self, root: Path) -> None:
        self.root = root
        # Folders known to exist (relative, "/"-separated).
        self.made: set[str] = {""}

    def path(self, rel: str) -> Path:
        """root/rel, its folder created if need be."""
        parent = rel.rpartition("/")[0]
        if parent not in self.made:
            (self.root / parent).mkdir(parents=True, exist_ok=True)
            self.made.update(_up(parent))
        return self.root / rel


class Staging(_Target):
    """The next site, written in a fresh folder beside the output and swapped in once complete.

    Used as a context manager: leaving it without swap() (an error, Ctrl-C) removes the folder,
    and the output stays as it was.
    """

    def __init__(self, out: Path) -> None:
        self.out = out
        self.folder = out  # set on entering
        self.folders = _Folders(out)
        self.swapped = False

    def __enter__(self) -> Staging:
        self.out.parent.mkdir(parents=True, exist_ok=True)
        remove_leftovers(self.out)
        self.folder = Path(
            tempfile.mkdtemp(prefix=f".{self.out.name}.new-{os.getpid()}-", dir=self.out.parent)
        )
        self.folders = _Folders(self.folder)
        try:
            # The marker goes first, so that a build killed half-way leaves a folder that the
            # next build can recognise as its own and remove.
            (self.folder / OUTPUT_MARKER).write_text(MARKER_TEXT)
        except BaseException:
            _remove(self.folder)
            raise
        return self

    def __exit__(self, *exc: object) -> None:
        if not self.swapped:
            _remove(self.folder)

    def _path(self, rel: str) -> Path:
        return self.folders.path(rel)

    def reuse(self, rel: str, old: OutputFile) -> OutputFile | None:
        """Put the output's current copy of a file in the new site, if it is still as the last
        build wrote it: a hard link (no bytes written, the time kept), else a copy. None when
        the file was changed or removed since, and must be written again."""
        source = self.out / rel
        current = _unchanged(source, old)
        if current is None:
            return None
        old = current
        target = self.folders.path(rel)
        try:
            os.link(source, target)
        except OSError:  # a file system without hard links: copy, keeping the time
            shutil.copy2(source, target)
            return _record(target, old.digest)._replace(fingerprint=old.fingerprint)
        return old

    def swap(self, in_background: bool = False) -> None:
        """Make the new site the output, in one step; `in_background`: remove the old one in
        a process of its own (see _remove_later)."""
        _make_readable(self.folder)
        _swap(self.folder, self.out, _remove_later if in_background else _remove)
        self.swapped = True


class InPlace(_Target):
    """The output, brought up to date file by file, under a journal.

    Each changed file is written beside its old version under a temporary name
    (`.<name>.<pid>.new`). Once every one is made, a journal beside the output
    (`.<out>.update-<pid>-<random>`, see Journal) lists the files to rename and to remove, and
    only then are the old files replaced. A build that fails or is stopped while it makes files
    leaves the output as it was (its temporary files are removed, by it or by the next build);
    one killed while it renames leaves a journal, and the next build finishes the renaming
    first. Every file is whole at every moment: a rename replaces a file in one step.
    """

    def __init__(self, out: Path) -> None:
        self.out = out
        self.folders = _Folders(out)
        # Temporary files are named after the build's process, whichever worker writes them.
        self.suffix = _suffix(os.getpid())
        out.mkdir(parents=True, exist_ok=True)
        self.journal = Journal.begin(out)
        if not (out / OUTPUT_MARKER).is_file():
            (out / OUTPUT_MARKER).write_text(MARKER_TEXT)

    def _path(self, rel: str) -> Path:
        # A temporary name, renamed by commit(): a rename keeps the file's time and inode.
        return _temporary(self.folders.path(rel), self.suffix)

    def reuse(self, rel: str, old: OutputFile) -> OutputFile | None:
        return _unchanged(self.out / rel, old)

    def commit(self, written: dict[str, OutputFile], previous: dict[str, OutputFile]) -> None:
        """Put every new file in place; remove the last build's files this one did not write,
        and their folders once empty."""
        removed = sorted(previous.keys() - written.keys())
        replaced = [
            rel
            for rel, record in written.items()
            if (old := previous.get(rel)) is None or old.inode != record.inode
        ]
        self.journal.commit(removed, replaced)
        _apply(self.out, removed, replaced, self.suffix)
        self.journal.close()

    def abandon(self) -> None:
        """Remove the temporary files of a build that failed, and its journal."""
        _remove_temporary(self.out, self.suffix)
        self.journal.close()


class Journal:
    """What an update in place is doing, in a file beside the output, for the next build to
    finish or undo if this one is killed: while files are made it holds nothing (undo: remove
    the temporary files), once they are all made the files to remove and to rename (finish)."""

    def __init__(self, path: Path) -> None:
        self.path = path

    @classmethod
    def begin(cls, out: Path) -> Journal:
        name = f".{out.name}.update-{os.getpid()}-{secrets.token_hex(4)}"
        journal = cls(out.parent / name)
        journal.path.write_text("")
        return journal

    def commit(self, removed: list[str], replaced: list[str]) -> None:
        """Record the changes in one step (written aside, then renamed over the empty one)."""
        text = json.dumps({"remove": removed, "replace": replaced})
        aside = self.path.with_name(self.path.name + ".part")
        aside.write_text(text, encoding="utf-8")
        os.replace(aside, self.path)

    def close(self) -> None:
        self.path.unlink(missing_ok=True)

    def recover(self, out: Path, pid: int) -> None:
        """Finish the update of a killed build (pid) if it had made every file, else undo it."""
        try:
            changes = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError):  # empty: killed while it made files
            changes = None
        if changes is None:
            _remove_temporary(out, _suffix(pid))
        else:
            _apply(out, changes["remove"], changes["replace"], _suffix(pid))
        self.path.with_name(self.path.name + ".part").unlink(missing_ok=True)
        self.close()


def _apply(out: Path, removed: list[str], replaced: list[str], suffix: str) -> None:
    """Remove files (and their folders once empty), then rename new files into place. Each
    step may have been done already (by a build killed half-way through this)."""
    # Removed first: a file of the new site may take the name of an old folder.
    for rel in removed:
        (out / rel).unlink(missing_ok=True)
        for folder in parents(rel):
            try:
                (out / folder).rmdir()
            except OSError:  # not empty (a folder of the site still), or gone already
                break
    for rel in replaced:
        target = out / rel
        with contextlib.suppress(FileNotFoundError):  # renamed already
            os.replace(_temporary(target, suffix), target)


def _remove_temporary(out: Path, suffix: str) -> None:
    for path in out.rglob(f"*{suffix}"):
        path.unlink(missing_ok=True)


def _suffix(pid: int) -> str:
    return f".{pid}.new"


def _temporary(target: Path, suffix: str) -> Path:
    return target.with_name(f".{target.name}{suffix}")


def parents(path: str) -> Iterator[str]:
    """The folders a file is in, innermost first ("a/b/c.html" -> "a/b", "a")."""
    return _up(path.rpartition("/")[0])


def _up(folder: str) -> Iterator[str]:
    """A folder and every folder above it ("a/b" -> "a/b", "a")."""
    while folder:
        yield folder
        folder = folder.rpartition("/")[0]


def _make_readable(folder: Path) -> None:
    """mkdtemp makes a private folder; a web server (and GitHub Pages) needs to read it."""
    os.chmod(folder, 0o755)


def _swap(staging: Path, out: Path, remove: Callable[[Path], None] | None = None) -> None:
    """Replace `out` by `staging`; the old site is kept until the new one is in place, then
    removed (by `remove`, default _remove)."""
    if not out.exists():
        staging.rename(out)
        return
    old = out.parent / f".{out.name}.old-{os.getpid()}-{secrets.token_hex(4)}"
    out.rename(old)
    try:
        staging.rename(out)
    except BaseException:
        old.rename(out)  # interrupted between the two renames: put the previous site back
        raise
    (remove or _remove)(old)


def _remove_later(folder: Path) -> None:
    """Remove an old site in a detached process, so that the build need not wait: removing
    ten thousand folders takes about a second. The process first renames the folder after
    itself, so that builds leave it alone while it runs; if it is killed, the next build
    removes what is left, as it does what any killed build left."""
    if not parallel.can_fork():
        _remove(folder)
        return
    child = os.fork()
    if child == 0:  # pragma: no cover - runs in the child
        try:
            os.setsid()
            if os.fork() == 0:  # the grandchild, adopted by init: never a zombie of ours
                prefix, _, token = folder.name.rsplit("-", 2)  # .<out>.old-<pid>-<token>
                mine = folder.with_name(f"{prefix}-{os.getpid()}-{token}")
                folder.rename(mine)
                _remove(mine)
        finally:
            os._exit(0)
    os.waitpid(child, 0)


def _remove(folder: Path) -> None:
    """Delete one of our folders, its marker last: if this is interrupted too, what is left
    still carries the marker, so the next build knows it may delete it."""
    if not folder.is_dir():
        return
    for path in folder.iterdir():
        if path.name == OUTPUT_MARKER:
            continue
        if path.is_dir() and not path.is_symlink():
            shutil.rmtree(path, ignore_errors=True)
        else:
            path.unlink(missing_ok=True)
    shutil.rmtree(folder, ignore_errors=True)


def remove_leftovers(out: Path) -> None:
    """Remove what killed builds left beside `out`; put the previous site back if a build was
    killed between the two renames of the swap; finish or undo an update in place that a
    build was killed in (see InPlace)."""
    if not out.parent.is_dir():
        return
    pattern = re.compile(rf"\.{re.escape(out.name)}\.(new|old|update)-(\d+)-\w+")
    found = [(path, pattern.fullmatch(path.name)) for path in sorted(out.parent.iterdir())]
    leftovers = [(path, m[1], int(m[2])) for path, m in found if m is not None]
    for path, kind, pid in leftovers:
        if kind != "update" and _abandoned(path, pid):
            if kind == "old" and not out.exists():
                path.rename(out)
            else:
                _remove(path)
    # Journals last: the site they update may just have been put back.
    for path, kind, pid in leftovers:
        if kind == "update" and path.is_file() and out.is_dir() and _ended(path, pid):
            Journal(path).recover(out, pid)


def _abandoned(path: Path, pid: int) -> bool:
    """A leftover of ours whose build is no longer running (a running one is left alone)."""
    if path.is_symlink() or not path.is_dir():
        return False
    if not (path / OUTPUT_MARKER).is_file() and any(path.iterdir()):
        return False  # not written by this generator
    return _ended(path, pid)


def _ended(path: Path, pid: int) -> bool:
    """Whether the build that left `path` is no longer running."""
    if pid == os.getpid():
        return False  # another build in this process (the dev server) may be writing it
    if os.name != "posix":
        return time.time() - path.stat().st_mtime > STALE_SECONDS
    try:
        os.kill(pid, 0)  # signal 0 only asks whether the process exists
    except ProcessLookupError:
        return True
    except PermissionError:
        return False  # it exists, under another user
    return False
