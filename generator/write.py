"""Write: put the rendered site on disk atomically, and never into a folder that is not ours."""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

from .config import OUTPUT_MARKER, Paths
from .diagnostics import Diagnostics, Location

MARKER_TEXT = "This folder is written by build.py and replaced at every build. Do not edit it.\n"


def check_output(paths: Paths, diags: Diagnostics) -> bool:
    """Refuse an output folder whose replacement would delete something the user wrote."""
    out = paths.out
    protected = [paths.root, paths.content, paths.seeds, paths.theme]
    for folder in protected:
        if (
            out == folder
            or folder.is_relative_to(out)
            or out.is_relative_to(paths.content)
            or out.is_relative_to(paths.seeds)
            or out.is_relative_to(paths.theme)
        ):
            diags.error(
                Location(str(out)),
                "refusing to write the site here: the build replaces "
                "this folder, which holds or is inside your content, seeds or theme",
                "choose another --out, such as _site inside the site folder",
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


def write_site(files: dict[str, bytes], out: Path) -> None:
    """Write every file into a fresh folder beside `out`, then swap it in as one step."""
    out.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{out.name}.new-", dir=out.parent))
    try:
        for rel, data in files.items():
            target = staging / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
        (staging / OUTPUT_MARKER).write_text(MARKER_TEXT)
        _make_readable(staging)
        _swap(staging, out)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise


def _make_readable(folder: Path) -> None:
    """mkdtemp makes a private folder; a web server (and GitHub Pages) needs to read it."""
    os.chmod(folder, 0o755)


def _swap(staging: Path, out: Path) -> None:
    """Replace `out` by `staging`; the old site is kept until the new one is in place."""
    if not out.exists():
        staging.rename(out)
        return
    old = out.parent / f".{out.name}.old-{os.getpid()}"
    out.rename(old)
    staging.rename(out)
    shutil.rmtree(old, ignore_errors=True)
