"""Reuse: what the last builds made of content files that have not changed since, and a digest
naming each model object, for the fingerprints of the pages that show it.

A file's model object depends on the file and on a few others, all named in its key:

- a measure, on its file only;
- a source, on its file and the archive (any file of seeds/, to keep it simple);
- a claim, on its file, site.yaml (the rating scale), the measures (their units) and which
  sources exist, and the options.

Files with errors are never kept, so they are read (and their errors reported) again.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..diagnostics import Diagnostic, Severity
from ..load.content import Prebuilt
from ..model import Content
from .inputs import Inputs, Stat, combine
from .store import Table

# The content folders whose files are kept, and the kind of object each file gives.
KINDS = {"sources": "source", "measures": "measure", "claims": "claim"}


@dataclass(frozen=True)
class Reused:
    """The model objects of unchanged files, as the last builds made them."""

    # Content files not to load ("content/claims/x.yaml"): their objects are below.
    files: frozenset[str]
    # Their objects.
    prebuilt: Prebuilt
    # The warnings those files gave.
    diagnostics: tuple[Diagnostic, ...]


class Keys:
    """The memo key of each content file: everything its model object is made from."""

    def __init__(self, inputs: Inputs) -> None:
        self.files = inputs.files
        self.seeds = inputs.folder_key("seeds/")
        measures = inputs.under("content/measures/")
        sources = [p for p in inputs.files if p.startswith("content/sources/")]
        self.claim_context = combine(
            inputs.options, inputs.files.get("content/site.yaml"), sorted(measures.items()), sources
        )

    def key(self, path: str) -> tuple[str, ...] | None:
        """None for a file that is not kept (site.yaml, pages, other files)."""
        parts = path.split("/")
        if len(parts) != 3 or parts[0] != "content" or not parts[2].endswith(".yaml"):
            return None
        kind = KINDS.get(parts[1])
        if kind == "source":
            return (kind, path, self.files[path], self.seeds)
        if kind == "claim":
            return (kind, path, self.files[path], self.claim_context)
        if kind == "measure":
            return (kind, path, self.files[path])
        return None


def reusable(inputs: Inputs, memo: Table) -> Reused:
    """The objects the memo holds for this build's files."""
    keys = Keys(inputs)
    by_key = {key: path for path in inputs.files if (key := keys.key(path)) is not None}
    entries = memo.get_many(by_key)
    found: dict[str, dict[str, Any]] = {kind: {} for kind in KINDS.values()}
    files, diagnostics = [], []
    for key, path in by_key.items():  # in the order of the files
        if key in entries:
            obj, warnings = entries[key]
            found[key[0]][_stem(path)] = obj
            files.append(path)
            diagnostics.extend(warnings)
    prebuilt = Prebuilt(found["source"], found["measure"], found["claim"])
    return Reused(frozenset(files), prebuilt, tuple(diagnostics))


def remember(
    content: Content,
    inputs: Inputs,
    reused: Reused,
    diagnostics: list[Diagnostic],
    memo: Table,
    root: Path,
) -> None:
    """Keep the objects made from files read this time, each with its file's warnings: under
    the digest the file had when the build began, so not a file changed since (by an editor
    saving during the build), whose object may come from its new bytes."""
    keys = Keys(inputs)
    by_file: dict[str, list[Diagnostic]] = {}
    for diagnostic in diagnostics:
        by_file.setdefault(diagnostic.path, []).append(diagnostic)
    made = [
        *(("sources", s.id, s) for s in content.sources.values()),
        *(("measures", m.id, m) for m in content.measures.values()),
        *(("claims", c.id, c) for c in content.claims),
    ]
    for folder, stem, obj in made:
        path = f"content/{folder}/{stem}.yaml"
        key = keys.key(path) if path in inputs.files else None
        if key is None or path in reused.files:
            continue
        found = tuple(by_file.get(path, ()))
        if not any(d.severity is Severity.ERROR for d in found) and _same(root, path, inputs):
            memo.put(key, (obj, found))


@dataclass(frozen=True)
class Identities:
    """A digest naming each model object: equal digests, equal objects (see the module's doc)."""

    # Claim id -> digest of its memo key.
    claims: dict[str, str]
    # Source id -> digest of its file and of its archive.
    sources: dict[str, str]
    # Measure id -> digest of its file.
    measures: dict[str, str]
    # The site settings and options, and the pages every header and footer links to.
    site: str


def identities(content: Content, inputs: Inputs) -> Identities:
    keys = Keys(inputs)
    files = inputs.files
    return Identities(
        claims={c.id: combine(keys.key(f"content/claims/{c.id}.yaml")) for c in content.claims},
        sources={
            s.id: combine(files.get(f"content/sources/{s.id}.yaml"), s.sha256)
            for s in content.sources.values()
        },
        measures={
            m.id: combine(files.get(f"content/measures/{m.id}.yaml"))
            for m in content.measures.values()
        },
        site=combine(
            inputs.options,
            content.site,
            [(p.slug, p.title) for p in content.pages],
            [(slug, p.title) for slug, p in sorted(content.intros.items())],
        ),
    )


def _same(root: Path, path: str, inputs: Inputs) -> bool:
    """Whether a file is still as the build's scan found it."""
    try:
        stat = os.stat(root / path)
    except OSError:
        return False
    return Stat(stat.st_size, stat.st_mtime_ns, stat.st_ctime_ns, stat.st_ino) == inputs.stats[path]


def _stem(path: str) -> str:
    return path.rsplit("/", 1)[1].removesuffix(".yaml")
