"""Load: read the content files (located YAML), check them against the schemas, and build the
typed model (model.py) with the archived sources they cite."""

from __future__ import annotations

from pathlib import Path

from ..config import Options
from ..diagnostics import Diagnostics
from ..model import Content
from . import content, loader, validate


def read(
    root: Path,
    options: Options,
    diags: Diagnostics,
    skip: frozenset[str] = frozenset(),
    prebuilt: content.Prebuilt | None = None,
) -> Content | None:
    """The model of the site in `root`: its files read (but those in `skip`, whose objects are
    `prebuilt`), checked against the schemas and cross-checked; None without usable site
    settings. Errors and warnings go to `diags`."""
    raw = loader.load_content(root, diags, skip=skip)
    return content.build(validate.check_content(raw, diags), options, diags, prebuilt)
