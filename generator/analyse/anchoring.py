"""Anchoring: find every quotation in its archived source, exactly and uniquely, or say why not.

Only typography is normalised before matching (quote marks, dashes, the ellipsis character, runs
of white space, and the spaces a language's typography puts around some marks, as French does in
"« oui ! »"), and in Arabic the marks writers add or leave out (short vowels, tatweel) and the
hamza or madda on an alef; letters, words and case never are. A quotation that is missing or matches
in several places is an error: we never pick a "close enough" passage for the reader.
"""

from __future__ import annotations

import bisect
import difflib
import re
from array import array
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass

from .. import languages, parallel
from ..diagnostics import Diagnostics
from ..model import Anchor, Content, QuoteRef, Source
from .passages import Highlight, fragments, highlights

# Typographic variants, each mapped to the plain character it stands for.
TYPOGRAPHY = {
    **dict.fromkeys("‘’‚‛‹›′", "'"),
    **dict.fromkeys("“”„‟«»″", '"'),
    **dict.fromkeys("‐‑‒–—―−", "-"),
    "…": "...",
}
# What normalising cannot copy character for character: a run of white space (to one space), an
# ellipsis (to "..."). A lone space stays as it is, so it is not matched: a match costs a Python
# step, and there is one space per word.
_CHANGES_LENGTH = re.compile(r"\s{2,}|[^\S ]|…")
# A language's typographic spaces ("« oui ! »" in French): dropped, so a quotation matches with
# them or without them ("oui !", "oui!"). Line breaks stay: they end paragraphs.
_TYPOGRAPHIC = "typographic"
# The marks a language matches with or without (Arabic's short vowels and tatweel): dropped too,
# and counted with the letter before them, so a highlight never leaves a vowel off its letter.
_IGNORED = "ignored"


def _changes_length(language: languages.Language) -> re.Pattern[str]:
    """_CHANGES_LENGTH, and before it the marks the language ignores and its typographic
    spaces, if it has any."""
    dropped = []
    if language.ignored:
        dropped.append(rf"(?P<{_IGNORED}>[{re.escape(language.ignored)}]+)")
    spaces = []
    if language.spaced_before:
        spaces.append(rf"[^\S\n]+(?=[{re.escape(language.spaced_before)}])")
    if language.spaced_after:
        spaces.append(rf"(?<=[{re.escape(language.spaced_after)}])[^\S\n]+")
    if spaces:
        dropped.append(rf"(?P<{_TYPOGRAPHIC}>{'|'.join(spaces)})")
    if not dropped:
        return _CHANGES_LENGTH
    return re.compile(f"{'|'.join(dropped)}|{_CHANGES_LENGTH.pattern}")


# Each language's pattern, made once when the module is imported.
_LENGTH_CHANGES = {code: _changes_length(lang) for code, lang in languages.LANGUAGES.items()}
_ONE_FOR_ONE = {k: v for k, v in TYPOGRAPHY.items() if len(v) == 1}
# Each language's characters changed one for one: the typography, and the letters it folds.
_ONE_FOR_ONE_BY = {
    code: str.maketrans({**_ONE_FOR_ONE, **lang.folded})
    for code, lang in languages.LANGUAGES.items()
}
# An elision in a quotation: "...", possibly with spaces around it.
_ELISION = re.compile(r"\s*\.\.\.\s*")
_WORD = re.compile(r"\w+")


@dataclass(frozen=True)
class Normalised:
    """A text with typography normalised, and a map back to offsets in the original."""

    # The normalised text.
    text: str
    # For each normalised character, the offset of the original character it came from.
    # (Compact arrays: a long archive would need tens of bytes per character as tuples.)
    starts: array
    # For each normalised character, the offset just past the original character(s).
    ends: array

    def original_span(self, start: int, end: int) -> tuple[int, int]:
        """Map a span of the normalised text back to the original text."""
        return self.starts[start], self.ends[end - 1]


def normalise(text: str, language: languages.Language = languages.ENGLISH) -> Normalised:
    """Normalise typography: quote marks, dashes, ellipses, runs of white space, and the
    language's typographic spaces, the marks it ignores and the letters it folds."""
    out: list[str] = []
    starts, ends = array("l"), array("l")
    position = 0
    table = _ONE_FOR_ONE_BY[language.code]
    for match in _LENGTH_CHANGES[language.code].finditer(text):
        _copy_one_for_one(text, position, match.start(), out, starts, ends, table)
        if match.lastgroup == _IGNORED and ends:
            ends[-1] = match.end()
        piece = _piece(match)
        out.append(piece)
        starts.extend([match.start()] * len(piece))
        ends.extend([match.end()] * len(piece))
        position = match.end()
    _copy_one_for_one(text, position, len(text), out, starts, ends, table)
    return Normalised("".join(out), starts, ends)


def _piece(match: re.Match[str]) -> str:
    """What a change of length becomes: nothing for a typographic space or an ignored mark,
    "..." for "…", one space for a run of white space."""
    if match.lastgroup in (_TYPOGRAPHIC, _IGNORED):
        return ""
    return "..." if match.group() == "…" else " "


def _copy_one_for_one(
    text: str, start: int, end: int, out: list[str], starts: array, ends: array, table: dict
) -> None:
    """Copy text[start:end], whose characters map one to one (quote marks, dashes, folded
    letters)."""
    out.append(text[start:end].translate(table))
    starts.extend(range(start, end))
    ends.extend(range(start + 1, end + 1))


def normalise_quote(quote: str, language: languages.Language = languages.ENGLISH) -> str:
    return normalise(quote.strip(), language).text


def quotation_language(source: Source, site_language: str) -> languages.Language:
    """The language a source's quotations are normalised in: its own, or the site's when it
    declares none. A language without a table has only the typography all of them share."""
    return languages.lookup(source.language or site_language) or languages.ENGLISH


@dataclass(frozen=True)
class Finding:
    """The outcome of looking for one quotation: an anchor, or an error message and hint."""

    anchor: Anchor | None
    message: str = ""
    hint: str = ""


class SourceIndex:
    """One archived source prepared for searching: normalised once, searched many times."""

    def __init__(self, source: Source, language: languages.Language = languages.ENGLISH) -> None:
        self.source = source
        self.language = language
        self.norm = normalise(source.text, language)
        # Paragraph boundaries in normalised offsets, for "same paragraph" checks.
        self._paragraph_starts = [p.start for p in source.paragraphs]

    def find(self, ref: QuoteRef) -> Finding:
        """Find a quotation: exactly one match after `prefix` and `occurrence` are applied."""
        parts = [p for p in _ELISION.split(normalise_quote(ref.text, self.language)) if p]
        if not parts:
            return Finding(None, "quote is empty", "write the words quoted, as in the source")
        candidates = self._candidates(parts)
        if not candidates:
            return self._not_found(ref, parts)
        if ref.prefix:
            candidates = [c for c in candidates if self._preceded_by(c[0][0], ref.prefix)]
            if not candidates:
                return Finding(
                    None,
                    f"quote found in source '{ref.source}', but not after the "
                    f"prefix {ref.prefix!r}",
                    "check the prefix against the source",
                )
        return self._choose(ref, candidates)

    def _candidates(self, parts: list[str]) -> list[list[tuple[int, int]]]:
        """Every match of the parts, in order; elided parts must share one paragraph."""
        results = []
        for start in self._occurrences(parts[0], 0):
            spans = [(start, start + len(parts[0]))]
            for part in parts[1:]:
                nxt = next(iter(self._occurrences(part, spans[-1][1])), None)
                if nxt is None:
                    break
                spans.append((nxt, nxt + len(part)))
            if len(spans) == len(parts) and self._one_paragraph(spans, len(parts)):
                results.append(spans)
        return results

    def _occurrences(self, part: str, begin: int) -> list[int]:
        """Offsets where `part` occurs from `begin`, on word boundaries."""
        text = self.norm.text
        found = []
        i = text.find(part, begin)
        while i != -1:
            if _on_word_boundaries(text, i, i + len(part)):
                found.append(i)
            i = text.find(part, i + 1)
        return found

    def _paragraph_of(self, norm_offset: int) -> int:
        original = self.norm.starts[norm_offset]
        return bisect.bisect_right(self._paragraph_starts, original)

    def _one_paragraph(self, spans: list[tuple[int, int]], parts: int) -> bool:
        if parts == 1:
            return True
        first = self._paragraph_of(spans[0][0])
        return all(self._paragraph_of(end - 1) == first for _, end in spans)

    def _preceded_by(self, norm_start: int, prefix: str) -> bool:
        before = self.norm.text[:norm_start].rstrip()
        return before.endswith(normalise_quote(prefix, self.language))

    def _choose(self, ref: QuoteRef, candidates: list[list[tuple[int, int]]]) -> Finding:
        if ref.occurrence is not None:
            if ref.occurrence > len(candidates):
                return Finding(
                    None,
                    f"occurrence {ref.occurrence} asked for, but the quote "
                    f"occurs {len(candidates)} time(s) in source '{ref.source}'",
                    f"use a number from 1 to {len(candidates)}",
                )
            return Finding(self._anchor(candidates[ref.occurrence - 1]))
        if len(candidates) > 1:
            lines = ", ".join(str(self._line(c[0][0])) for c in candidates)
            return Finding(
                None,
                f"quote is ambiguous: it occurs {len(candidates)} times in "
                f"source '{ref.source}' (archive lines {lines})",
                f"add 'occurrence: N' (1 to {len(candidates)}) or a 'prefix' with "
                "the words just before the passage you mean",
            )
        return Finding(self._anchor(candidates[0]))

    def _anchor(self, spans: list[tuple[int, int]]) -> Anchor:
        return Anchor(self.source.id, tuple(self.norm.original_span(s, e) for s, e in spans))

    def _line(self, norm_offset: int) -> int:
        return self.source.text.count("\n", 0, self.norm.starts[norm_offset]) + 1

    def _not_found(self, ref: QuoteRef, parts: list[str]) -> Finding:
        message = f"quote not found in source '{ref.source}': \"{ref.text.strip()}\""
        missing = next((p for p in parts if not self._occurrences(p, 0)), None)
        if len(parts) > 1 and missing is None:
            return Finding(
                None,
                message,
                "each part occurs, but not in this order within "
                "one paragraph; an elision ('...') cannot span paragraphs",
            )
        closest = self.closest(missing or parts[0])
        hint = f'closest passage: "{closest}"' if closest else "no similar passage in this source"
        return Finding(None, message, hint)

    def closest(self, quote: str) -> str:
        """The passage of the source most like `quote`, for the hint of a failed match."""
        words = [(m.start(), m.end()) for m in _WORD.finditer(self.norm.text)]
        wanted = _WORD.findall(quote)
        if not words or not wanted:
            return ""
        size = min(len(wanted), len(words))
        best = _best_windows(self.norm.text, words, wanted, size)
        scored = [(self._similarity(quote, w, size, words), w) for w in best]
        score, start = max(scored)
        if score < 0.5:
            return ""
        first, last = words[start][0], words[start + size - 1][1]
        a, b = self.norm.original_span(first, last)
        return " ".join(self.source.text[a:b].split())

    def _similarity(self, quote: str, start: int, size: int, words: list[tuple[int, int]]) -> float:
        passage = self.norm.text[words[start][0] : words[start + size - 1][1]]
        return difflib.SequenceMatcher(None, quote.lower(), passage.lower()).ratio()


def _best_windows(
    text: str, words: list[tuple[int, int]], wanted: list[str], size: int
) -> list[int]:
    """Start indexes of the windows of `size` words sharing the most words with the quote."""
    target = Counter(w.lower() for w in wanted)
    tokens = [text[a:b].lower() for a, b in words]
    window = Counter(tokens[:size])
    scores = [(sum((window & target).values()), 0)]
    for i in range(1, len(tokens) - size + 1):
        window[tokens[i - 1]] -= 1
        window[tokens[i + size - 1]] += 1
        scores.append((sum((window & target).values()), i))
    scores.sort(reverse=True)
    return [i for _, i in scores[:20]]


def _on_word_boundaries(text: str, start: int, end: int) -> bool:
    """A match must not begin or end in the middle of a word ("50 million" in "150 million")."""
    if text[start].isalnum() and start > 0 and text[start - 1].isalnum():
        return False
    return not (text[end - 1].isalnum() and end < len(text) and text[end].isalnum())


# A search: a source, the quotations to find in it, and the language it is normalised in.
Search = tuple[Source, list[QuoteRef], languages.Language]
# Finds the quotations of each search (find_all, or a memoised stand-in with its contract).
Locate = Callable[[list[Search]], list[list[Finding]]]
# A source's highlights and the highlight each of its quotations links to (marks_of, or a
# memoised stand-in).
Marks = tuple[list[Highlight], dict[QuoteRef, str]]
Mark = Callable[[Source, dict[QuoteRef, Anchor]], Marks]


def find_all(searches: list[Search]) -> list[list[Finding]]:
    """The finding of every quotation of every search, on every core: each source is
    normalised once, and only one normalised archive per process is held in memory at once."""
    return parallel.run(_find, searches)


def _find(search: Search) -> list[Finding]:
    source, refs, language = search
    index = SourceIndex(source, language)
    return [index.find(ref) for ref in refs]


def anchor_quotes(
    claims_quotes: list[QuoteRef],
    sources: dict[str, Source],
    diags: Diagnostics,
    locate: Locate = find_all,
    site_language: str = "",
) -> dict[QuoteRef, Anchor]:
    """Anchor every quotation in its own source; report each failure with a hint. A source
    that declares no language is in `site_language`."""
    by_source: dict[str, list[QuoteRef]] = {}
    for ref in claims_quotes:
        by_source.setdefault(ref.source, []).append(ref)
    searches = [
        (sources[sid], refs, quotation_language(sources[sid], site_language))
        for sid, refs in by_source.items()
    ]
    anchors: dict[QuoteRef, Anchor] = {}
    for (_, refs, _), findings in zip(searches, locate(searches), strict=True):
        for ref, finding in zip(refs, findings, strict=True):
            if finding.anchor is None:
                diags.error(ref.where, finding.message, finding.hint)
            else:
                anchors[ref] = finding.anchor
    return anchors


@dataclass(frozen=True)
class Analysis:
    """What the analysis stage found out about the content."""

    # Where each quotation is in its source.
    anchors: dict[QuoteRef, Anchor]
    # Highlighted passages of each source, by source id, in reading order.
    highlights: dict[str, list[Highlight]]
    # The highlight id each quotation links to on its source page.
    fragments: dict[QuoteRef, str]


def analyse(
    content: Content, diags: Diagnostics, locate: Locate = find_all, mark: Mark | None = None
) -> Analysis:
    """Anchor every quotation of every claim, then merge them into highlights per source.
    (`locate` and `mark` do the two steps: find_all and marks_of unless given stand-ins.)"""
    refs = [ref for claim in content.claims for ref in claim.quotes()]
    anchors = anchor_quotes(refs, content.sources, diags, locate, content.site.language)
    # Grouped by source first: each source's highlights then cost its own quotations only.
    by_source: dict[str, dict[QuoteRef, Anchor]] = {sid: {} for sid in content.sources}
    for ref, anchor in anchors.items():
        by_source[anchor.source][ref] = anchor
    marks: dict[str, list[Highlight]] = {}
    links: dict[QuoteRef, str] = {}
    for sid, source in content.sources.items():
        marks[sid], source_links = (mark or marks_of)(source, by_source[sid])
        links.update(source_links)
    return Analysis(anchors, marks, links)


def marks_of(source: Source, anchors: dict[QuoteRef, Anchor]) -> Marks:
    """A source's highlights, and the highlight each of its quotations links to. They follow
    from the source and its quotations' anchors."""
    marks = highlights(source, anchors)
    return marks, fragments(marks, anchors)
