"""Splice: claims.json made again from the copy the last build wrote, each line that did not
change copied from it instead of being made again.

One fact-check per line, claims.json is 35 MB at 10,000 fact-checks, and an edit to one of
them changes one line. Making every other line again (or keeping each one, compressed, in
the cache and unpacking it) costs more than the rest of such an edit's pages together; copying
it from the last build's file costs a read. Each build notes where it wrote each line, by
what the line shows (render.py's key), in a store table under the fingerprint of the file; the
next build copies from that file only if the output still holds it exactly as the manifest
records it (size, time and inode). Otherwise every line is made, as in a first build.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import BinaryIO

from ..analyse.anchoring import Analysis
from ..model import Claim, Content
from ..output.write import OutputFile
from ..render import publish
from .store import Table

# Where each line of a claims.json is: the key of what the line shows -> (start, end) offsets.
Layout = dict[str, tuple[int, int]]


def claims_json(
    content: Content,
    analysis: Analysis,
    key: Callable[[Claim], str],
    layouts: Table,
    last: tuple[Path, OutputFile] | None,
    fingerprint: str,
) -> Iterator[bytes]:
    """claims.json in pieces (see publish.claims_json), copying from `last` (the last build's
    file and its record) each line whose `key` it has; the new file's layout is kept in
    `layouts` under its `fingerprint`, once every piece is made."""
    layout: Layout = {}
    with _Lines(content, analysis, key, _last_file(layouts, last), layout) as lines:
        yield from publish.claims_json(content, analysis, lines.line)
    layouts.put(fingerprint, layout)


class _Lines:
    """Gives each fact-check's line, copied or made, and notes where it goes (in `layout`)."""

    def __init__(
        self,
        content: Content,
        analysis: Analysis,
        key: Callable[[Claim], str],
        last: tuple[BinaryIO, Layout] | None,
        layout: Layout,
    ) -> None:
        self.content = content
        self.analysis = analysis
        self.key = key
        self.last = last
        self.layout = layout

    def __enter__(self) -> _Lines:
        return self

    def __exit__(self, *exc: object) -> None:
        if self.last is not None:
            self.last[0].close()

    def line(self, claim: Claim, offset: int) -> bytes:
        """The line of `claim`, to be written at `offset` of the new file."""
        key = self.key(claim)
        data = self._copied(key) or publish.claim_row(self.content, self.analysis, claim).encode()
        self.layout[key] = (offset, offset + len(data))
        return data

    def _copied(self, key: str) -> bytes | None:
        if self.last is None or key not in self.last[1]:
            return None
        file, layout = self.last
        start, end = layout[key]
        file.seek(start)
        data = file.read(end - start)
        return data if len(data) == end - start else None


def _last_file(
    layouts: Table, last: tuple[Path, OutputFile] | None
) -> tuple[BinaryIO, Layout] | None:
    """The last build's claims.json, open, and its layout: if both are known and the file is
    the one that build wrote; else None."""
    if last is None:
        return None
    path, record = last
    layout = layouts.get(record.fingerprint)
    if layout is None:
        return None
    try:
        file = open(path, "rb")  # noqa: SIM115 (closed by _Lines)
    except OSError:
        return None
    stat = os.fstat(file.fileno())
    if (stat.st_size, stat.st_mtime_ns, stat.st_ino) != record[2:]:
        file.close()
        return None
    return file, layout
