"""Variants: find how other outlets worded a quotation, and class the differences word by word."""

from __future__ import annotations

import difflib
import re
from array import array
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import partial
from typing import Literal

from .. import parallel
from ..model import Source
from .anchoring import TYPOGRAPHY

# Approximate matching here only finds other outlets' wordings of a passage the editor has
# already anchored exactly (anchoring.py); it never accepts a quotation.

MIN_WORDS = 5  # passages shorter than this are not searched (too many chance matches)
MIN_SHARE = 0.6  # a variant must share at least this share of the passage's words, in order

# Passages are looked up by runs of three words. A variant of a short passage that still shares
# MIN_SHARE of its words may share no run of three ("we will not do that" / "we shall not do it"),
# so passages of fewer than _SHORT_BELOW words are looked up by runs of two instead.
_SHINGLE = 3
_SHORT_SHINGLE = 2
_SHORT_BELOW = 9

# What each word that is not matched costs when it sits between two matched runs of an alignment.
# SequenceMatcher happily matches a stray "the" or "I" far from the passage; an isolated match
# across a wide gap costs more than it brings, so it is left out of the variant's span.
_GAP_COST = 0.5

# A word: letters and digits, possibly joined by apostrophes, hyphens or dots ("didn't",
# "hour-long", "U.S"). Whatever else lies between words is punctuation.
_WORD = re.compile(r"\w+(?:['’‘ʼ.\-‐‑]\w+)*")
# Unifies quote marks and dashes inside words (don’t / don't), as anchoring does.
_UNIFY = str.maketrans(TYPOGRAPHY)
# A shingle found in more places than this is too common to point at a variant ("of the", "in
# the"); skipping it keeps each search proportional to the few places worth aligning. The
# limit is the same however large the archive (it once grew with it, at 5% of the sources, and
# with it the work per passage: the search as a whole grew with the square of the archive).
# Below it, every hit is looked at: a larger archive gives each passage more chance hits
# (shingles of common words found a few dozen times), and each costs a few microseconds to rule
# out (_Bounds). Skipping a hit that no other hit of the passage agrees with, or whose shingle
# is found in more than a few places, would make that cost constant, but it drops real
# variants: "learning from your mistakes and working out what you" and "learning from the
# mistakes and figuring out what you" (0.78, in the bundled articles) share one run of three
# words. Asking passages of nine words or more for two agreeing hits lost 14 of the 3,252
# variants of 9,428 passages cut from the bundled articles (of 5 to 30 words, every third word).
_COMMON = 64
# The last run of white space in a gap between two words.
_LAST_SPACE = re.compile(r"\s+(?=\S*$)")
# In the gap between two words, what ends the stretch a found wording may be widened over: the
# end of a sentence, a quotation mark, a paragraph break. (Single closing quotation marks are
# left out: they cannot be told from an apostrophe at the end of a word.)
_BOUNDARY = re.compile(r"[.!?\"“”„‟«»‹›‘\n]")


@dataclass(frozen=True)
class Variant:
    """Another outlet's wording of a passage, found by approximate matching."""

    # Id of the source it was found in.
    source: str
    # Offset in that source's original text (Source.text) of the first matched word.
    start: int
    # Offset just past the last matched word.
    end: int
    # Share of the passage's words matched in order (0..1).
    score: float


DiffOp = Literal["same", "removed", "added", "moved-from", "moved"]


@dataclass(frozen=True)
class DiffToken:
    """One word (or, from runs(), a run of words) of a word-by-word comparison, for display."""

    # A word as written, with the punctuation around it.
    text: str
    # "same": in both, in the same order; "removed": in the base only; "added": in the variant
    # only; "moved-from": in the base, at the place the variant moved it away from; "moved": in
    # the variant, at the place it moved the base's words to.
    op: DiffOp


DifferenceKind = Literal[
    "truncation", "extension", "omission", "insertion", "substitution", "reordering"
]


@dataclass(frozen=True)
class Difference:
    """One difference between two wordings, classed as in Simmons, Adamic & Adar (2011), with
    reordering added: the same words in another place."""

    # truncation/extension: words missing/added at the start or end; omission/insertion: in the
    # middle; substitution: base words replaced by other words, anywhere; reordering: base words
    # the variant has in another place.
    kind: DifferenceKind
    # The base's words involved, as written ("" for extension and insertion).
    base: str
    # The variant's words involved, as written ("" for truncation and omission).
    variant: str
    # truncation and extension: "start" or "end", the edge the words are missing or added at.
    edge: str = ""
    # reordering: the words just before the moved ones in the base and in the variant ("" when
    # they open the wording).
    base_after: str = ""
    variant_after: str = ""


@dataclass(frozen=True)
class _Word:
    """A word of a text: where it is, how it compares, how it is shown."""

    # Offset of its first letter in the text.
    start: int
    # Offset just past its last letter.
    end: int
    # Compared form: typography unified, lower case, no surrounding punctuation.
    key: str
    # As written, with the punctuation that clings to it ('"Not', 'mistake,"').
    shown: str


def _key(word: str) -> str:
    # Typographic marks are never ASCII: most words need lower() only.
    return word.lower() if word.isascii() else word.translate(_UNIFY).lower()


def _keys(text: str) -> list[str]:
    """The compared form of each word, without offsets: what counting shingles needs."""
    return [_key(word) for word in _WORD.findall(text)]


def _tokens(text: str) -> list[tuple[int, int, str]]:
    """(start, end, compared form) of each word: what the index needs, cheaper than _words."""
    return [(m.start(), m.end(), _key(m.group())) for m in _WORD.finditer(text)]


def _words(text: str) -> list[_Word]:
    """The words of a text; punctuation between words is shown with the word it touches."""
    spans = [(m.start(), m.end()) for m in _WORD.finditer(text)]
    words = []
    for k, (start, end) in enumerate(spans):
        before = text[spans[k - 1][1] if k else 0 : start]
        after = text[end : spans[k + 1][0] if k + 1 < len(spans) else len(text)]
        # Between two words, what follows the last space opens the next word ('“I'); the rest
        # closes the previous one ('said.', 'ours …'). A gap without space closes the previous.
        lead = before if k == 0 else ""
        space = _LAST_SPACE.search(before)
        if space:
            lead = before[space.end() :]
        space = _LAST_SPACE.search(after)
        trail = after[: space.start()] if space else after
        key = _key(text[start:end])
        shown = " ".join((lead + text[start:end] + trail).split())
        words.append(_Word(start, end, key, shown))
    return words


# A passage to find variants of: (source id, start offset, end offset) in Source.text.
Passage = tuple[str, int, int]
# A run of words that some passage holds -> where it occurs: the source's number and the
# position of its first word, packed (see _pack), as an int for one place and an array for
# more; _NO_HIT for none yet; None once it occurs in too many places to be worth looking at.
_Places = dict[tuple[str, ...], "int | array[int] | tuple[()] | None"]
# A wanted shingle not found yet.
_NO_HIT: tuple[()] = ()


class VariantIndex:
    """Finds other outlets' wordings of passages, through an index of word shingles, so that no
    passage is ever compared with every article.

    The passages are indexed, not the archive: each source is then read once per batch of
    passages (find_all), so memory grows with the passages searched, not with the archive.
    """

    def __init__(self, sources: dict[str, Source]) -> None:
        self._sources = sources
        # Sources are numbered in this order (see _pack).
        self._ids = list(sources)

    def find(self, source_id: str, start: int, end: int) -> list[Variant]:
        """Other sources' wordings of source_id's text[start:end]: the best per source, best
        first, each sharing at least MIN_SHARE of the passage's words in order."""
        return self.find_all([(source_id, start, end)])[(source_id, start, end)]

    def find_all(self, passages: Iterable[Passage]) -> dict[Passage, list[Variant]]:
        """find() for many passages at once, reading the archive once for all of them."""
        # Each distinct word is kept once, however many passages hold it: hundreds of thousands
        # of words, but few distinct ones.
        distinct: dict[str, str] = {}
        words = {p: [distinct.setdefault(k, k) for k in self._passage_words(p)] for p in passages}
        del distinct
        searched = {p: keys for p, keys in words.items() if len(keys) >= MIN_WORDS}
        places = self._places(s for keys in searched.values() for s in _shingles(keys))
        order = list(searched)
        work = self._work(order, searched, places)
        del places  # the largest thing the search holds: gone before the workers are forked
        # Each passage's words, counted once and as bit masks: what every window is checked with.
        bounds = [_bounds(searched[passage]) for passage in order]
        align = partial(self._align_in, order, searched, bounds)
        found: dict[Passage, list[Variant]] = {p: [] for p in words}
        for variants in parallel.run(align, list(work.items())):
            for passage, variant in variants:
                found[passage].append(variant)
        return {p: sorted(v, key=lambda v: (-v.score, v.source)) for p, v in found.items()}

    def _passage_words(self, passage: Passage) -> list[str]:
        sid, start, end = passage
        return _keys(self._sources[sid].text[start:end])

    def _places(self, wanted: Iterable[tuple[str, ...]]) -> _Places:
        """Where each wanted shingle occurs in the archive, counted up to the common limit."""
        # Most shingles occur once (in the passage itself): a single hit is kept as an int, an
        # array made for the second. (Made straight from `wanted`, not through a set of them
        # first: the set would weigh as much as this.)
        places: _Places = dict.fromkeys(wanted, _NO_HIT)
        sizes = sorted({len(s) for s in places})
        # Most words start no wanted shingle: they are skipped without building a tuple.
        firsts = {s[0] for s in places}
        for number, source in enumerate(self._sources.values()):
            keys = _keys(source.text)
            for pos, key in enumerate(keys):
                if key not in firsts:
                    continue
                for size in sizes:
                    if pos + size > len(keys):
                        break
                    hits = places.get(shingle := tuple(keys[pos : pos + size]), None)
                    if hits is None:  # not wanted, or too common
                        continue
                    hit = _pack(number, pos)
                    if isinstance(hits, array):
                        hits.append(hit)
                        if len(hits) > _COMMON:
                            places[shingle] = None
                    else:
                        places[shingle] = hit if hits is _NO_HIT else array("q", (hits, hit))
        return places

    def _work(
        self, order: list[Passage], searched: dict[Passage, list[str]], places: _Places
    ) -> dict[int, array]:
        """For each source sharing a shingle with a passage, the hits to align: (the passage's
        number in `order`, the diagonal: where the passage would start in that source if the
        hit were in place), passage after passage. Grouped by source, so that each source is
        split into words once however many passages it may hold a variant of."""
        numbers = {sid: number for number, sid in enumerate(self._ids)}
        work: dict[int, array] = defaultdict(lambda: array("q"))
        for index, passage in enumerate(order):
            keys = searched[passage]
            own = numbers[passage[0]]
            size = _shingle_size(keys)
            for i in range(len(keys) - size + 1):
                hits = places[tuple(keys[i : i + size])]
                for hit in (hits,) if isinstance(hits, int) else hits or ():
                    number, pos = _unpack(hit)
                    if number != own:
                        work[number].append(_pack(index, pos - i + _DIAGONAL))
        return work

    def _align_in(
        self,
        order: list[Passage],
        searched: dict[Passage, list[str]],
        bounds: list[_Bounds],
        work: tuple[int, array],
    ) -> list[tuple[Passage, Variant]]:
        """The variants one source holds of the passages it shares shingles with."""
        number, hits = work
        sid = self._ids[number]
        text = self._sources[sid].text
        keys = _keys(text)
        found = []
        # Sorted, the hits come passage by passage, each passage's by diagonal.
        for index, windows in _windows(sorted(hits), bounds, len(keys)):
            likely = bounds[index].likely(keys, windows)
            if not likely:
                continue  # nearly every passage a source shares shingles with
            passage = order[index]
            variant = _best_in(sid, text, searched[passage], keys, likely)
            if variant is not None and variant.score >= MIN_SHARE:
                found.append((passage, variant))
        return found


# Hits are packed two numbers to an int (a source's number and a word position; a passage's
# number and a diagonal, shifted to be positive), kept in arrays: a large archive has
# millions of hits, and a tuple per hit would take ten times the memory.
_DIAGONAL = 1 << 31


def _pack(high: int, low: int) -> int:
    return high << 32 | low


def _unpack(packed: int) -> tuple[int, int]:
    return packed >> 32, packed & 0xFFFFFFFF


def _shingle_size(passage: list[str]) -> int:
    return _SHORT_SHINGLE if len(passage) < _SHORT_BELOW else _SHINGLE


def _shingles(passage: list[str]) -> Iterator[tuple[str, ...]]:
    size = _shingle_size(passage)
    for i in range(len(passage) - size + 1):
        yield tuple(passage[i : i + size])


def _best_in(
    sid: str,
    text: str,
    passage: list[str],
    keys: list[str],
    windows: list[tuple[int, int]],
) -> Variant | None:
    """The best alignment of the passage over the windows of one source (_Bounds.likely)."""
    best: tuple[float, int, int] | None = None
    for lo, hi in windows:
        aligned = _align(passage, keys, lo, hi)
        if aligned is not None and (best is None or aligned[0] > best[0]):
            best = aligned
    if best is None:
        return None
    score, first, last = best
    if score < MIN_SHARE:
        return None  # not a variant: no need to find the whole of it
    # Where each word is, only now: one source in hundreds holds a variant.
    tokens = _tokens(text)
    first, last = _widen(passage, text, keys, tokens, first, last)
    return Variant(sid, tokens[first][0], tokens[last][1], score)


def _widen(
    passage: list[str],
    text: str,
    keys: list[str],
    tokens: list[tuple[int, int, str]],
    first: int,
    last: int,
) -> tuple[int, int]:
    """Widen an alignment (word positions first..last) to the whole of the other wording.

    The alignment keeps words in the passage's order, so words the other outlet moved ("the
    report of the whole audit" for "the whole audit report", "Before the summer, we will ...")
    fall outside it, and a wording would look cut short. The passage's words missing from the
    span are looked for beside it, within the same sentence and quotation: the span takes them
    in, at the cost of the words between (_GAP_COST each, as in the alignment), and runs to the
    sentence's edge when the sentence ends (or starts) with the passage's own last (first) word
    ("... before the end of the summer.")."""
    missing = Counter(passage)
    missing.subtract(keys[first : last + 1])
    if not +missing:
        return first, last
    last = _reach(missing, passage[-1], text, keys, tokens, last, 1, len(passage))
    first = _reach(missing, passage[0], text, keys, tokens, first, -1, len(passage))
    return first, last


def _reach(
    missing: Counter[str],
    edge_word: str,
    text: str,
    keys: list[str],
    tokens: list[tuple[int, int, str]],
    start: int,
    step: int,
    limit: int,
) -> int:
    """How far from word `start`, one way (`step`), the wording runs: see _widen. Takes the
    words it runs over out of `missing`."""
    worth, best_worth, best = 0.0, 0.0, start
    taken: Counter[str] = Counter()
    pos, at_boundary = start, False
    for _ in range(limit):
        nxt = pos + step
        if not 0 <= nxt < len(keys):
            at_boundary = True
            break
        gap = text[tokens[min(pos, nxt)][1] : tokens[max(pos, nxt)][0]]
        if _BOUNDARY.search(gap):
            at_boundary = True
            break
        pos = nxt
        key = keys[pos]
        if taken[key] < missing[key]:
            taken[key] += 1
            worth += 1
        else:
            worth -= _GAP_COST
        if worth > best_worth:
            best_worth, best = worth, pos
    if at_boundary and pos != start and keys[pos] == edge_word and missing[edge_word] > 0:
        best = pos
    for k in range(start + step, best + step, step):
        if missing[keys[k]] > 0:
            missing[keys[k]] -= 1
    return best


@dataclass(frozen=True, slots=True)
class _Bounds:
    """What a window of a source must hold for the passage's alignment with it to reach
    MIN_SHARE, checked before it is aligned: nearly every window a chance hit makes fails.

    An alignment matches a common subsequence of the passage and the window (its matching
    blocks, in order in both), so it never matches more words than the longest one, nor more
    than the window holds of the passage's words: a window that fails either bound could not
    be a variant, and skipping it changes no result."""

    # How many words the passage has.
    size: int
    # The fewest words an alignment must match: n / size >= MIN_SHARE, the score's own test,
    # so that a window is skipped exactly when the bound's share is below MIN_SHARE.
    need: int
    # Each word of the passage -> how many times it holds it.
    counts: Counter[str]
    # The passage's distinct words.
    words: frozenset[str]
    # How many of the passage's words repeat one before them (size - len(words)).
    repeats: int
    # Each word of the passage -> the positions it holds it at, as the bits of an int.
    masks: dict[str, int]

    def likely(self, keys: list[str], windows: list[tuple[int, int]]) -> list[tuple[int, int]]:
        """The windows keys[lo:hi] whose alignment might match `need` words. The passage's
        distinct words a window holds, and the repeated ones, are counted first, in one pass
        over the windows: that rules out most of them; then the rest are checked closely."""
        words, least = self.words, self.need - self.repeats
        return [
            (lo, hi)
            for lo, hi in windows
            if len(words.intersection(keys[lo:hi])) >= least and self._may_reach(keys, lo, hi)
        ]

    def _may_reach(self, keys: list[str], lo: int, hi: int) -> bool:
        """The exact count of the passage's words the window holds, then the longest common
        subsequence, which costs more and rules out most of the windows the count lets by."""
        if self.repeats:
            shared = self.words.intersection(keys[lo:hi])
            if sum(self.counts[word] for word in shared) < self.need:
                return False
        return _common(self.masks, self.size, keys, lo, hi) >= self.need


def _bounds(passage: list[str]) -> _Bounds:
    masks: dict[str, int] = {}
    for position, word in enumerate(passage):
        masks[word] = masks.get(word, 0) | 1 << position
    need = next(n for n in range(len(passage) + 1) if n / len(passage) >= MIN_SHARE)
    counts = Counter(passage)
    return _Bounds(len(passage), need, counts, frozenset(counts), len(passage) - len(counts), masks)


def _common(masks: dict[str, int], size: int, keys: list[str], lo: int, hi: int) -> int:
    """The length of the longest common subsequence of a passage of `size` words (as
    _Bounds.masks) and keys[lo:hi], bit-parallel: a few integer operations per word of the
    window, where aligning it costs a dynamic programme (Allison & Dix 1986; Hyyrö 2004,
    "Bit-parallel LCS-length computation revisited"). `row` is the programme's last row in
    differences: each cleared bit i is a step up of the longest length at passage word i, so
    the cleared bits count the longest common subsequence."""
    row = full = (1 << size) - 1
    for pos in range(lo, hi):
        match = masks.get(keys[pos], 0) & row
        if match:
            row = (row + match) | (row - match)
    return size - (row & full).bit_count()


def _windows(
    hits: list[int], bounds: list[_Bounds], length: int
) -> Iterator[tuple[int, list[tuple[int, int]]]]:
    """Word ranges of a source to align each passage with, from its hits sorted (as packed
    by _work: by passage, then by diagonal): one per cluster of hits, widened by the
    passage's length on each side so that added or missing words still fit."""
    index = -1
    first = prev = size = 0
    windows: list[tuple[int, int]] = []
    for hit in hits:
        number, diagonal = _unpack(hit)
        diagonal -= _DIAGONAL
        # Hits further apart than the passage is long are separate occurrences.
        if number == index and diagonal - prev <= size:
            prev = diagonal
            continue
        if index >= 0:
            windows.append((max(0, first - size), min(length, prev + 2 * size)))
        if number != index:
            if index >= 0:
                yield index, windows
            index, size, windows = number, bounds[number].size, []
        first = prev = diagonal
    if index >= 0:
        windows.append((max(0, first - size), min(length, prev + 2 * size)))
        yield index, windows


def _align(passage: list[str], keys: list[str], lo: int, hi: int) -> tuple[float, int, int] | None:
    """Align the passage with keys[lo:hi]: (share of the passage matched, first and last matched
    word positions in keys), keeping the run of matching blocks that is worth most."""
    matcher = difflib.SequenceMatcher(None, passage, keys[lo:hi], autojunk=False)
    blocks = [b for b in matcher.get_matching_blocks() if b.size]
    # The best run of blocks: (worth, words matched, index of its first and last block).
    best: tuple[float, int, int, int] | None = None
    for s in range(len(blocks)):
        worth, matched = 0.0, 0
        for e in range(s, len(blocks)):
            if e > s:
                prev, cur = blocks[e - 1], blocks[e]
                worth -= _GAP_COST * max(cur.a - prev.a - prev.size, cur.b - prev.b - prev.size)
            worth += blocks[e].size
            matched += blocks[e].size
            if best is None or worth > best[0]:
                best = (worth, matched, s, e)
    if best is None:
        return None
    _, matched, s, e = best
    return matched / len(passage), lo + blocks[s].b, lo + blocks[e].b + blocks[e].size - 1


def compare(base: str, variant: str) -> tuple[list[DiffToken], list[Difference]]:
    """Compare two wordings word by word, ignoring case, typography and surrounding punctuation
    (Quotebank's "identical after lower-casing and removing punctuation"); class each difference.

    Words are first aligned in order (difflib); then a run of words the variant leaves out in
    one place and has in another is paired as a move (see _moves), so that "the report of the
    whole audit" against "the whole audit report" is a reordering, not an omission here and an
    insertion there."""
    a, b = _words(base), _words(variant)
    ka, kb = [w.key for w in a], [w.key for w in b]
    opcodes = difflib.SequenceMatcher(None, ka, kb, autojunk=False).get_opcodes()
    moves = _moves(ka, kb, opcodes)
    moved_a = {i + k for i, _, n in moves for k in range(n)}
    moved_b = {j + k for _, j, n in moves for k in range(n)}
    tokens: list[DiffToken] = []
    differences: list[Difference] = []
    for op, i1, i2, j1, j2 in opcodes:
        if op == "equal":
            tokens += [DiffToken(w.shown, "same") for w in b[j1:j2]]
            continue
        tokens += [
            DiffToken(a[i].shown, "moved-from" if i in moved_a else "removed")
            for i in range(i1, i2)
        ]
        tokens += [
            DiffToken(b[j].shown, "moved" if j in moved_b else "added") for j in range(j1, j2)
        ]
        removed = [i for i in range(i1, i2) if i not in moved_a]
        added = [j for j in range(j1, j2) if j not in moved_b]
        # Each difference at the place it is in the variant: moves that land here, in order,
        # and what else this stretch removes or adds.
        found = [(j, _move(a, b, i, j, n)) for i, j, n in moves if j1 <= j < j2]
        rest = _change(a, b, removed, added)
        if rest is not None:
            found.append((added[0] if added else j1, rest))
        differences += [d for _, d in sorted(found, key=lambda pair: pair[0])]
    return tokens, differences


def _change(
    a: list[_Word], b: list[_Word], removed: list[int], added: list[int]
) -> Difference | None:
    """The difference of one changed stretch, its moved words set aside: base words `removed`
    and variant words `added` (positions)."""
    old = " ".join(a[i].shown for i in removed)
    new = " ".join(b[j].shown for j in added)
    if removed and added:
        return Difference("substitution", old, new)
    if removed:
        # The base's first or last word is missing: the variant is cut short.
        if removed[0] == 0 or removed[-1] == len(a) - 1:
            return Difference("truncation", old, "", "start" if removed[0] == 0 else "end")
        return Difference("omission", old, "")
    if added:
        if added[0] == 0 or added[-1] == len(b) - 1:
            return Difference("extension", "", new, "start" if added[0] == 0 else "end")
        return Difference("insertion", "", new)
    return None


def _move(a: list[_Word], b: list[_Word], i: int, j: int, n: int) -> Difference:
    """The reordering of the n words at base position i, which the variant has at position j,
    with the two words before each place, to say where they were and where they went."""
    return Difference(
        "reordering",
        " ".join(w.shown for w in a[i : i + n]),
        " ".join(w.shown for w in b[j : j + n]),
        base_after=" ".join(w.shown for w in a[max(0, i - 2) : i]),
        variant_after=" ".join(w.shown for w in b[max(0, j - 2) : j]),
    )


# A move: the position of its first word in the base, in the variant, and its number of words.
_Move = tuple[int, int, int]


def _moves(
    ka: list[str], kb: list[str], opcodes: list[tuple[str, int, int, int, int]]
) -> list[_Move]:
    """Runs of words the in-order alignment left out of the base in one place and added to the
    variant in another: the same words, moved. A run of two words or more is paired with its
    like, longest first; a single word only when it occurs once in each wording (one "the" left
    out and another added elsewhere is no move, "report" is)."""
    deleted = [(i1, i2) for op, i1, i2, _, _ in opcodes if op in ("delete", "replace")]
    inserted = [(j1, j2) for op, _, _, j1, j2 in opcodes if op in ("insert", "replace")]
    matcher = difflib.SequenceMatcher(None, ka, kb, autojunk=False)
    moves: list[_Move] = []
    while deleted and inserted:
        best = max(
            (
                matcher.find_longest_match(i1, i2, j1, j2)
                for i1, i2 in deleted
                for j1, j2 in inserted
            ),
            key=lambda m: m.size,
        )
        if best.size < 2:
            break
        moves.append((best.a, best.b, best.size))
        deleted = _cut(deleted, best.a, best.size)
        inserted = _cut(inserted, best.b, best.size)
    once_a, once_b = Counter(ka), Counter(kb)
    places = {kb[j]: j for j1, j2 in inserted for j in range(j1, j2) if once_b[kb[j]] == 1}
    for i1, i2 in deleted:
        for i in range(i1, i2):
            if once_a[ka[i]] == 1 and ka[i] in places:
                moves.append((i, places[ka[i]], 1))
    return sorted(moves)


def _cut(ranges: list[tuple[int, int]], start: int, size: int) -> list[tuple[int, int]]:
    """The ranges with positions start..start+size taken out."""
    result = []
    for lo, hi in ranges:
        if hi <= start or lo >= start + size:
            result.append((lo, hi))
            continue
        result += [r for r in ((lo, start), (start + size, hi)) if r[0] < r[1]]
    return result


def runs(tokens: list[DiffToken]) -> list[DiffToken]:
    """The tokens with each run of words of the same kind joined into one, for display: one
    mark per run, and one word of it for screen readers ("added: of the")."""
    joined: list[DiffToken] = []
    for token in tokens:
        if joined and joined[-1].op == token.op:
            joined[-1] = DiffToken(f"{joined[-1].text} {token.text}", token.op)
        else:
            joined.append(token)
    return joined


def words(text: str) -> tuple[str, ...]:
    """A wording's words as compare compares them: case, typography and punctuation set aside.
    Two wordings have the same words exactly when compare finds no difference between them."""
    return tuple(_key(match.group()) for match in _WORD.finditer(text))
