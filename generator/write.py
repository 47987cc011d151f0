"""Write: put the rendered site on disk atomically, and never into a folder that is not ours.

The new site is written to a staging folder beside the output (`.<out>.new-<pid>-<random>`) and
swapped in by renaming once it is complete, so an error, Ctrl-C or a kill leaves the previous
site as it was. A build that is killed cannot clean up after itself; the next build removes what
it left, recognising it by its name, the marker file inside it and its process no longer running.
"""

from __future__ import annotations

import os
import re
import secrets
import shutil
import tempfile
import time
import unicodedata
from collections.abc import Iterable
from pathlib import Path, PurePosixPath

from .config import DEFAULT_THEME, OUTPUT_MARKER, Paths
from .diagnostics import Diagnostics, Location
from .loader import relative

MARKER_TEXT = "This folder is written by build.py and replaced at every build. Do not edit it.\n"

# The generator's own code, which no output folder may replace.
GENERATOR = Path(__file__).resolve().parent

# Where process ids cannot be checked (Windows), a leftover this old is taken as abandoned.
STALE_SECONDS = 24 * 60 * 60

_HINT = "choose another --out, such as _site inside the site folder"


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


def write_site(files: dict[str, bytes], out: Path) -> None:
    """Write every file into a fresh folder beside `out`, then swap it in as one step."""
    out.parent.mkdir(parents=True, exist_ok=True)
    remove_leftovers(out)
    staging = Path(tempfile.mkdtemp(prefix=f".{out.name}.new-{os.getpid()}-", dir=out.parent))
    try:
        # The marker goes first, so that a build killed half-way leaves a folder that the next
        # build can recognise as its own and remove.
        (staging / OUTPUT_MARKER).write_text(MARKER_TEXT)
        for rel, data in files.items():
            target = staging / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
        _make_readable(staging)
        _swap(staging, out)
    except BaseException:
        _remove(staging)
        raise


def _make_readable(folder: Path) -> None:
    """mkdtemp makes a private folder; a web server (and GitHub Pages) needs to read it."""
    os.chmod(folder, 0o755)


def _swap(staging: Path, out: Path) -> None:
    """Replace `out` by `staging`; the old site is kept until the new one is in place."""
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
    _remove(old)


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
    killed between the two renames of the swap."""
    if not out.parent.is_dir():
        return
    pattern = re.compile(rf"\.{re.escape(out.name)}\.(new|old)-(\d+)-\w+")
    for path in sorted(out.parent.iterdir()):
        match = pattern.fullmatch(path.name)
        if match is None or not _abandoned(path, int(match[2])):
            continue
        if match[1] == "old" and not out.exists():
            path.rename(out)
        else:
            _remove(path)


def _abandoned(path: Path, pid: int) -> bool:
    """A leftover of ours whose build is no longer running (a running one is left alone)."""
    if path.is_symlink() or not path.is_dir():
        return False
    if not (path / OUTPUT_MARKER).is_file() and any(path.iterdir()):
        return False  # not written by this generator
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
