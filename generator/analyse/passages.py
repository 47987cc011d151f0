"""Passages: turn anchored quotations into highlights on source pages and into quotes in context."""

from __future__ import annotations

import bisect
import re
from array import array
from collections.abc import Iterator
from dataclasses import dataclass

from ..model import Anchor, QuoteRef, Source

# A sentence ends at . ! or ? (with any closing quote marks) followed by white space.
_SENTENCE_END = re.compile(r"[.!?][\"'”’)\]]*\s+")


@dataclass(frozen=True, slots=True)  # one per quoted passage: tens of thousands
class Highlight:
    """A highlighted passage on a source page: one or more overlapping quotations merged."""

    # Element id of its <mark>, stable while the archive is unchanged ("q-1234").
    id: str
    # Offset of its first character in the archived text.
    start: int
    # Offset just past its last character.
    end: int
    # The quotations it covers.
    refs: tuple[QuoteRef, ...]


@dataclass(frozen=True)
class Segment:
    """A run of text inside a paragraph, highlighted or not."""

    # The text.
    text: str
    # Id of the highlight it belongs to, or "" for plain text.
    mark: str = ""
    # The element id to put on this run: set on the first run of each highlight only.
    anchor: str = ""


def highlights(source: Source, anchors: dict[QuoteRef, Anchor]) -> list[Highlight]:
    """Merge the spans of every quotation into non-overlapping highlights, in reading order."""
    spans = sorted(
        (
            (start, end, ref)
            for ref, anchor in anchors.items()
            if anchor.source == source.id
            for start, end in anchor.spans
        ),
        key=lambda span: span[:2],
    )
    merged: list[list] = []
    for start, end, ref in spans:
        if merged and start < merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
            merged[-1][2].append(ref)
        else:
            merged.append([start, end, [ref]])
    return [Highlight(f"q-{s}", s, e, tuple(dict.fromkeys(refs))) for s, e, refs in merged]


def fragments(
    all_highlights: list[Highlight], anchors: dict[QuoteRef, Anchor]
) -> dict[QuoteRef, str]:
    """For each quotation, the id of the highlight holding its first span."""
    result = {}
    for highlight in all_highlights:
        for ref in highlight.refs:
            if highlight.start <= anchors[ref].start < highlight.end:
                result.setdefault(ref, highlight.id)
    return result


def paragraph_segments(source: Source, marks: list[Highlight]) -> list[list[Segment]]:
    """Each paragraph of the source as runs of text, highlights cut at paragraph ends."""
    result = []
    for paragraph in source.paragraphs:
        spans = [
            (h.start, h.end, h.id)
            for h in marks
            if h.start < paragraph.end and h.end > paragraph.start
        ]
        result.append(_segments(source.text, paragraph.start, paragraph.end, spans))
    return result


def _segments(text: str, start: int, end: int, spans: list[tuple[int, int, str]]) -> list[Segment]:
    """Cut text[start:end] into plain and marked runs; a mark's anchor goes on its true start."""
    runs = []
    cursor = start
    for span_start, span_end, mark in spans:
        a, b = max(span_start, start), min(span_end, end)
        if a > cursor:
            runs.append(Segment(text[cursor:a]))
        anchor = mark if span_start >= start else ""
        runs.append(Segment(text[a:b], mark, anchor))
        cursor = b
    if cursor < end:
        runs.append(Segment(text[cursor:end]))
    return runs


@dataclass(frozen=True)
class Sentences:
    """The sentence spans of an archived text, in order: their starts and ends as arrays. (The
    renderer keeps those of every source it quotes: as a tuple per sentence, each worker held
    tens of megabytes of them on a large site.)"""

    starts: array[int]
    ends: array[int]

    def __iter__(self) -> Iterator[tuple[int, int]]:
        return zip(self.starts, self.ends, strict=True)


def sentences(source: Source) -> Sentences:
    """Sentence spans of the archived text; a paragraph end always ends a sentence."""
    starts, ends = array("l"), array("l")
    for paragraph in source.paragraphs:
        start = paragraph.start
        chunk = source.text[paragraph.start : paragraph.end]
        for match in _SENTENCE_END.finditer(chunk):
            end = paragraph.start + match.end()
            starts.append(start)
            ends.append(end)
            start = end
        if start < paragraph.end:
            starts.append(start)
            ends.append(paragraph.end)
    return Sentences(starts, ends)


def context(source: Source, anchor: Anchor, spans: Sentences) -> list[list[Segment]]:
    """The quotation with the sentence before and the sentence after, paragraph by paragraph."""
    first = max(bisect.bisect_right(spans.starts, anchor.start) - 2, 0)
    last = min(bisect.bisect_right(spans.starts, anchor.end - 1), len(spans.starts) - 1)
    lo, hi = spans.starts[first], spans.ends[last]
    marked = [(s, e, "quote") for s, e in anchor.spans]
    result = []
    for paragraph in source.paragraphs:
        a, b = max(paragraph.start, lo), min(paragraph.end, hi)
        if a < b:
            inside = [m for m in marked if m[0] < b and m[1] > a]
            result.append(_segments(source.text, a, b, inside))
    return [_strip(runs) for runs in result]


def _strip(runs: list[Segment]) -> list[Segment]:
    """Drop the white space left at the edges of a context paragraph."""
    if runs and not runs[-1].mark:
        runs[-1] = Segment(runs[-1].text.rstrip())
    if runs and not runs[0].mark:
        runs[0] = Segment(runs[0].text.lstrip())
    return [r for r in runs if r.text]
