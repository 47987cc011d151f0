"""Scaffold: start a new content file (`build.py new claim`, `build.py new source`).

Each writes a commented skeleton whose first line points editors to its JSON Schema. Nothing
is ever overwritten: when a file to write already exists, nothing at all is written. Every
placeholder starts with TODO, and the placeholders that name other files (the source, the
rating) name none that exists, so `check` reports the skeleton until it is filled in.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
from dataclasses import dataclass
from pathlib import Path

from .load import validate

# A title placeholder longer than this is cut at a word: a first line may be a whole paragraph.
TITLE_LIMIT = 150


class ScaffoldError(Exception):
    """Why nothing was written: a message, a hint, and whether it is a usage error."""

    def __init__(self, message: str, hint: str = "", usage: bool = False) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint
        self.usage = usage


@dataclass(frozen=True)
class Created:
    """What a scaffold command did: paths relative to the site root, '/'-separated."""

    # Files written, in the order they were written.
    written: tuple[str, ...]
    # Files that already existed and are used as they are (an identical archived text).
    reused: tuple[str, ...] = ()
    # What else the user should know (a redirect followed), one line each.
    notes: tuple[str, ...] = ()


def schema_line(target: Path, schema: str) -> str:
    """The first line of a content file: its schema, as a path relative to the file."""
    path = validate.schema_path(schema)
    try:
        ref = os.path.relpath(path, target.resolve().parent).replace(os.sep, "/")
    except ValueError:  # another drive (Windows): no relative path exists
        ref = path.as_uri()
    return f"# yaml-language-server: $schema={ref}\n"


# --- new claim -------------------------------------------------------------------------------


def new_claim(root: Path, slug: str, today: dt.date) -> Created:
    """Write content/claims/<slug>.yaml, a skeleton; `today` fills in `published`."""
    if not validate.is_valid("slug", slug):
        raise ScaffoldError(
            f"not a claim id: {slug!r}",
            f"use a lowercase slug (a-z, 0-9, single hyphens), e.g. {validate.slugify(slug)}",
            usage=True,
        )
    target = root / "content" / "claims" / f"{slug}.yaml"
    _refuse_existing(root, target, "edit it, or choose another id")
    _write_new(target, schema_line(target, validate.CLAIM) + _claim_text(root, today))
    return Created((_rel(root, target),))


def _claim_text(root: Path, today: dt.date) -> str:
    sources = sorted(p.stem for p in (root / "content" / "sources").glob("*.yaml"))
    known = ", ".join(sources) if sources else "none yet; add one with: python build.py new source"
    return f"""\
# A new fact-check. Replace every TODO, then run: python build.py check
# Until then, check reports the placeholders (an unknown source, an unknown rating).
# Every key is described in the content reference of README.md, and by editors that read
# the schema named on the first line.

# The statement checked, in neutral words, at most 75 characters, without the verdict.
claim: "TODO: the statement checked"
# Who made the claim; claims with the same claimant share a page.
claimant: "TODO: who made the claim"
# person or organization.
claimant_type: person
# When the claim was made (YYYY-MM-DD, unquoted); leave it out if unknown.
# date: {today.isoformat()}

# Where the claim appears: quoted word for word from archived sources.
appearances:
  # A file name in content/sources/, without .yaml: {known}.
  - source: todo-source
    quote: "TODO: the words, exactly as the archived text has them"

# An id from the rating scale (see site.yaml, or the methodology page).
rating: todo-rating
summary: "TODO: the verdict in one or two plain sentences."
analysis: |
  TODO: what the claim says, what each source says, and what the archive cannot
  settle, in Markdown.

# Evidence: quotations from archived sources, or outside documents with their title.
# evidence:
#   - source: todo-source
#     quote: "TODO: the words, exactly as the archived text has them"
#     note: "TODO: what this shows"
#   - url: https://example.org/report
#     title: "TODO: the document's title"
#     note: "TODO: what this shows"

# Topics, as lowercase slugs.
# tags: [todo-topic]

# When the fact-check is published: update it on the day.
published: {today.isoformat()}

# Dated corrections, once published.
# corrections:
#   - date: {today.isoformat()}
#     text: "TODO: what was wrong and what was changed"
"""


# --- new source ------------------------------------------------------------------------------


def new_source(root: Path, text_file: Path) -> Created:
    """Archive a text file into seeds/ and write content/sources/<slug>.yaml for it."""
    if not text_file.is_file():
        raise ScaffoldError(
            f"no such file: {text_file}", "give the path of the article's text file", usage=True
        )
    data = text_file.read_bytes()
    try:
        text = data.decode("utf-8").removeprefix("\ufeff")
    except UnicodeDecodeError as exc:
        raise ScaffoldError(
            f"{text_file} is not UTF-8 text (byte {exc.start})",
            "save the article as UTF-8 plain text, then run this again",
        ) from None
    seeds = (root / "seeds").resolve()
    resolved = text_file.resolve()
    # A file already in seeds/ is archived where it is; any other is copied in by its name.
    in_seeds = resolved.is_relative_to(seeds)
    seed = resolved if in_seeds else seeds / text_file.name
    slug = validate.slugify(text_file.stem)
    target = root / "content" / "sources" / f"{slug}.yaml"
    _refuse_existing(
        root, target, "edit it, or rename the text file to archive it under another id"
    )
    reused = in_seeds or seed.exists()
    if seed.exists() and seed.read_bytes() != data:
        raise ScaffoldError(
            f"{_rel(root, seed)} already exists with other contents; nothing was written",
            "rename the text file to archive it under another name",
        )
    name = seed.relative_to(seeds).as_posix()
    yaml_text = schema_line(target, validate.SOURCE) + _source_text(
        name, _title(text), hashlib.sha256(data).hexdigest()
    )
    written = []
    if not reused:
        _write_new(seed, data)
        written.append(_rel(root, seed))
    _write_new(target, yaml_text)
    written.append(_rel(root, target))
    return Created(tuple(written), (_rel(root, seed),) if reused else ())


def _title(text: str) -> str:
    """The first non-blank line, as a placeholder headline; control characters dropped."""
    line = next((line for line in text.splitlines() if line.strip()), "")
    line = " ".join(validate.CONTROL.sub(" ", line).split())
    if len(line) > TITLE_LIMIT:
        line = line[:TITLE_LIMIT].rsplit(" ", 1)[0] + " …"
    return line or "TODO: the headline"


def _source_text(name: str, title: str, digest: str) -> str:
    return f"""\
# An archived source. Check each value against the archived text, and leave out what the
# text does not say (never guess). Then cite it from a claim as: source: <this file's name>

# The archived text, under seeds/. Never edit that file: quotations are checked against it.
file: {_quoted(name)}
# The headline. TODO: this is the text's first line; check that it is the headline.
title: {_quoted(title)}
# SHA-256 of the archived file, checked at every build.
sha256: {digest}

# The publication, if the archived text names it.
# outlet: "TODO: the publication"
# When the article was published (YYYY-MM-DD, unquoted), if known.
# published: 2018-04-04
# The byline, if known.
# author: "TODO: the author"
# The original address, if known (never guess one).
# url: https://example.org/article
# One sentence about the archive, shown on the source page.
# note: "TODO: how and when it was archived"
"""


def _quoted(text: str) -> str:
    """A YAML double-quoted scalar (JSON's string syntax is valid YAML)."""
    return json.dumps(text, ensure_ascii=False)


# --- Writing without overwriting -------------------------------------------------------------


def _refuse_existing(root: Path, target: Path, hint: str) -> None:
    if target.exists() or target.is_symlink():
        raise ScaffoldError(f"{_rel(root, target)} already exists; nothing was written", hint)


def _write_new(path: Path, data: str | bytes) -> None:
    """Create a file; refuse (never overwrite) if it appeared in the meantime."""
    path.parent.mkdir(parents=True, exist_ok=True)
    raw = data.encode("utf-8") if isinstance(data, str) else data
    try:
        with path.open("xb") as handle:
            handle.write(raw)
    except FileExistsError:
        raise ScaffoldError(f"{path} already exists; nothing more was written") from None


def _rel(root: Path, path: Path) -> str:
    """A path relative to the site root when it is inside it, else as given."""
    try:
        return path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return str(path)
