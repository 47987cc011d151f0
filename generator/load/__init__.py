"""Load: read the content files (located YAML), check them against the schemas, and build the
typed model (model.py) with the archived sources they cite."""

from __future__ import annotations

import dataclasses

from ..config import Options, Paths
from ..diagnostics import Diagnostics, Location
from ..model import Content
from . import content, loader, tables, validate


def read(
    paths: Paths,
    options: Options,
    diags: Diagnostics,
    skip: frozenset[str] = frozenset(),
    prebuilt: content.Prebuilt | None = None,
) -> Content | None:
    """The model of the site in `paths`: its files read (but those in `skip`, whose objects are
    `prebuilt`), checked against the schemas and cross-checked, with the interface's texts in
    the site's language (see tables.py); None without usable site settings. Errors and
    warnings go to `diags`."""
    raw = loader.load_content(paths.root, diags, skip=skip)
    model = content.build(validate.check_content(raw, diags), options, diags, prebuilt)
    if model is None:
        return None
    site = raw.site
    where = site.where("language") if "language" in site else Location("content/site.yaml")
    interface = tables.read(paths, model.site.language, where, diags)
    return dataclasses.replace(model, interface=interface)
