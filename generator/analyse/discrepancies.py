"""Discrepancies: check each figure against its quotations, compare the figures of each measure,
and gather the wordings different outlets give for the same quotation."""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property
from itertools import combinations
from typing import TYPE_CHECKING

from .. import languages
from ..diagnostics import Diagnostic, Diagnostics
from ..incremental.inputs import combine
from ..model import Anchor, Claim, Content, Figure, Measure, QuoteRef, Source
from . import figures, variants

if TYPE_CHECKING:
    from ..incremental.cache import Table
    from ..incremental.reuse import Identities


@dataclass(frozen=True)
class FigureRow:
    """One claim's figure, ready to compare and draw."""

    # The claim that gives it.
    claim: Claim
    # The figure as the claim file states it.
    figure: Figure
    # The values it allows.
    interval: figures.Interval
    # The bound phrase as quoted ("up to"), or "" when the quotation has none.
    bound_words: str


@dataclass(frozen=True)
class Pair:
    """Two figures of one measure and how they relate."""

    a: FigureRow
    b: FigureRow
    # compatible, contradictory or different-quantity.
    kind: str


@dataclass(frozen=True)
class MeasureReport:
    """Everything the discrepancy page of one measure shows."""

    measure: Measure
    # Its figures, the main quantity first, then by value, largest first.
    rows: list[FigureRow]
    # How the figures of each pair relate, in the order of `pairs`.
    kinds: Sequence[str]

    @property
    def pairs(self) -> list[Pair]:
        """Every pair of figures, made anew at each call: there are hundreds of thousands on a
        large site, and a page needs only its own measure's for as long as it is rendered (kept
        on the report, each forked worker held every pair of the measures it rendered)."""
        pairs = combinations(self.rows, 2)
        return [Pair(a, b, kind) for (a, b), kind in zip(pairs, self.kinds, strict=True)]

    def count(self, kind: str) -> int:
        return self.kinds.count(kind)

    def other_quantities(self) -> int:
        """How many figures count something other than the main quantity (the first row's)."""
        return sum(1 for row in self.rows if quantity(row) != quantity(self.rows[0]))


@dataclass(frozen=True)
class Wording:
    """How one outlet worded a quotation."""

    # The archived source.
    source: Source
    # Offsets of the passage in the archived text.
    start: int
    end: int
    # The passage as the archive words it, from its first word to its last, runs of white space
    # (line breaks included) made one space.
    text: str
    # True when an editor quoted it; False when the build found it.
    annotated: bool
    # Word-level diff against the first wording ([] for the first wording itself).
    tokens: list[variants.DiffToken]
    # The differences, classed.
    differences: list[variants.Difference]

    @property
    def runs(self) -> list[variants.DiffToken]:
        """The word-level diff in runs of words of one kind, as the page marks them."""
        return variants.runs(self.tokens)


@dataclass(frozen=True)
class Quotation:
    """A statement quoted by several outlets, with each outlet's wording."""

    # Page slug under /discrepancies/quotes/.
    id: str
    # The fact-check that quotes it.
    claim: Claim
    # The first wording is the one the fact-check quotes first; the others are compared to it.
    wordings: list[Wording]

    @property
    def distinct(self) -> int:
        """How many different wordings there are, case, typography and punctuation set aside
        as in the comparison (two wordings that differ only by a full stop are one)."""
        return len({variants.words(wording.text) for wording in self.wordings})


@dataclass(frozen=True)
class Discrepancies:
    """What the discrepancy pages show."""

    # One report per measure with figures, in measure id order.
    measures: list[MeasureReport]
    # Every quotation found in more than one source.
    quotations: list[Quotation]

    def measure_of(self, claim: Claim) -> MeasureReport | None:
        if claim.figure is None:
            return None
        return self._by_measure.get(claim.figure.measure)

    def quotations_of(self, claim: Claim) -> list[Quotation]:
        return self._by_claim.get(claim.id, [])

    # Indexes, so that looking up every claim's report and quotations stays linear.

    @cached_property
    def _by_measure(self) -> dict[str, MeasureReport]:
        return {m.measure.id: m for m in self.measures}

    @cached_property
    def _by_claim(self) -> dict[str, list[Quotation]]:
        result: dict[str, list[Quotation]] = {}
        for quotation in self.quotations:
            result.setdefault(quotation.claim.id, []).append(quotation)
        return result


@dataclass(frozen=True)
class Known:
    """What earlier builds worked out, each by everything it was worked out from (see
    cache.Table): none of it is worked out again."""

    # The variants of a passage, by the digest of every archived text and the passage.
    variants: Table
    # What a quotation says of a figure's bound, by where the quotation is and the value.
    bounds: Table
    # How the figures of a measure relate, pair by pair, by the figures, in their order.
    pairs: Table
    # What each claim gave (see _Findings), by the identity of the claim and of every source
    # (reuse.Identities): kept in memory only (Cache.memory), for the live preview.
    claims: Table | None = None


@dataclass(frozen=True)
class _Findings:
    """What the analysis found of one claim, given the archive."""

    # Its figure's row, if it gives a figure.
    row: FigureRow | None
    # The warnings its figure gave.
    warnings: tuple[Diagnostic, ...]
    # Its quotations found in more than one source.
    quotations: list[Quotation]


def analyse(
    content: Content,
    anchors: dict[QuoteRef, Anchor],
    diags: Diagnostics,
    known: Known | None = None,
    ids: Identities | None = None,
) -> Discrepancies:
    """Check figures against their quotations, compare them, and find quotation variants.
    (`ids` name the claims and sources, for known.claims.)"""
    findings = _claim_findings(content, anchors, known, ids)
    rows: dict[str, list[FigureRow]] = {}
    for claim in content.claims:
        found = findings[claim.id]
        diags.extend(list(found.warnings))
        if found.row is not None:
            rows.setdefault(found.row.figure.measure, []).append(found.row)
    reports = [
        _measure_report(m, rows.get(mid, []), known) for mid, m in sorted(content.measures.items())
    ]
    claims = sorted(content.claims, key=lambda c: c.id)
    return Discrepancies(
        measures=[r for r in reports if r.rows],
        quotations=[q for claim in claims for q in findings[claim.id].quotations],
    )


def _claim_findings(
    content: Content, anchors: dict[QuoteRef, Anchor], known: Known | None, ids: Identities | None
) -> dict[str, _Findings]:
    """What each claim gives: remembered for the claims known.claims holds under the same
    identities of the claim and of every source (the claim's anchors, and so all the rest,
    follow from those); worked out for the others, their variants searched together."""
    memo = known.claims if known is not None else None
    keys = _memo_keys(content, ids) if memo is not None and ids is not None else {}
    archive = _archive(content.sources)
    findings: dict[str, _Findings] = {}
    for claim in content.claims:
        remembered = memo.get(keys[claim.id]) if keys and memo is not None else None
        if remembered is not None and known is not None:
            findings[claim.id] = remembered
            _keep(claim, content, anchors, archive, known)
    todo = sorted((c for c in content.claims if c.id not in findings), key=lambda c: c.id)
    passages = [
        (ref.source, anchors[ref].start, anchors[ref].end)
        for claim in todo
        for ref in claim.appearances
        if ref in anchors
    ]
    found = _variants(content.sources, passages, archive, known.variants if known else None)
    for claim in todo:
        findings[claim.id] = _findings(claim, content, anchors, found, known)
        if keys and memo is not None:
            memo.put(keys[claim.id], findings[claim.id])
    return findings


def _keep(
    claim: Claim, content: Content, anchors: dict[QuoteRef, Anchor], archive: str, known: Known
) -> None:
    """Look up again the known variants and bound readings a remembered claim was made from:
    a table keeps only what a build looked up, and the next edit of the claim needs them."""
    figure = claim.figure
    for ref in claim.appearances:
        if ref in anchors:
            anchor = anchors[ref]
            known.variants.get((archive, ref.source, anchor.start, anchor.end))
            source = content.sources[ref.source]
            language = _language(source, content.site.language)
            if figure is not None and language is not None:
                known.bounds.get(_bound_key(source, anchor, figure.value, language))


def _memo_keys(content: Content, ids: Identities) -> dict[str, tuple[str, str]]:
    """Each claim's key in known.claims: its identity and that of every source."""
    sources = combine(sorted(ids.sources.items()))
    return {claim.id: (ids.claims[claim.id], sources) for claim in content.claims}


def _findings(
    claim: Claim,
    content: Content,
    anchors: dict[QuoteRef, Anchor],
    found: dict[variants.Passage, list[variants.Variant]],
    known: Known | None,
) -> _Findings:
    quotations = _quotations(claim, anchors, found, content)
    if claim.figure is None:
        return _Findings(None, (), quotations)
    diags = Diagnostics()
    row = _row(claim, content, anchors, diags, known)
    return _Findings(row, tuple(diags.sorted()), quotations)


def _archive(sources: dict[str, Source]) -> str:
    """A digest of every archived text."""
    return hashlib.blake2b(
        "\n".join(f"{sid} {s.sha256}" for sid, s in sorted(sources.items())).encode()
    ).hexdigest()


# Figures.


def _row(
    claim: Claim,
    content: Content,
    anchors: dict[QuoteRef, Anchor],
    diags: Diagnostics,
    known: Known | None,
) -> FigureRow:
    figure = claim.figure
    assert figure is not None
    readings, unread = [], 0
    for ref in (r for r in claim.appearances if r in anchors):
        source = content.sources[ref.source]
        language = _language(source, content.site.language)
        if language is None:
            languages.warn_unread(source, content.site.language, diags)
            unread += 1
            continue
        readings.append(_read_bound(source, anchors[ref], figure.value, language, known))
    found = [r for r in readings if r.found]
    if readings or not unread:
        _check_bound(figure, found, diags)
    words = next((r.words for r in found if r.words), "")
    return FigureRow(claim, figure, figures.interval(figure.value, figure.bound), words)


def _language(source: Source, site_language: str) -> languages.Language | None:
    """The language a source's figures are read in: its own, or the site's when it declares
    none; None when that language has no table."""
    return languages.lookup(source.language or site_language)


def _read_bound(
    source: Source,
    anchor: Anchor,
    value: float,
    language: languages.Language,
    known: Known | None,
) -> figures.BoundReading:
    if known is None:
        return figures.read_bound(_quoted(source, anchor), value, language)
    key = _bound_key(source, anchor, value, language)
    reading = known.bounds.get(key)
    if reading is None:
        reading = figures.read_bound(_quoted(source, anchor), value, language)
        known.bounds.put(key, reading)
    return reading


def _bound_key(
    source: Source, anchor: Anchor, value: float, language: languages.Language
) -> tuple[str, str, str, object, float]:
    # Where the quotation is rather than its words: the key then holds no copy of them (and a
    # known reading costs no join). The language reads them: a source's or the site's language
    # can change while its text does not.
    return source.id, source.sha256, language.code, anchor.spans, value


def _quoted(source: Source, anchor: Anchor) -> str:
    return " ... ".join(source.text[a:b] for a, b in anchor.spans)


def _check_bound(figure: Figure, found: list[figures.BoundReading], diags: Diagnostics) -> None:
    """The bound in the YAML must agree with the bound words of the quotation it comes from."""
    shown = figures.format_value(figure.value)
    if not found:
        diags.warning(
            figure.where,
            f"figure {shown} does not appear in any quotation of this claim",
            "check 'value', or quote the passage that gives the number in 'appearances'",
        )
        return
    for reading in found:
        if reading.bound and reading.bound != figure.bound:
            diags.warning(
                figure.where,
                f"figure says bound '{figure.bound}', but the quotation says "
                f'"{reading.words} {shown}" ({reading.bound})',
                f"set 'bound: {reading.bound}', or quote the passage the figure comes from",
            )
            return


def _measure_report(measure: Measure, rows: list[FigureRow], known: Known | None) -> MeasureReport:
    main = _mainquantity(rows)
    ordered = sorted(rows, key=lambda r: (quantity(r) != main, -r.figure.value, r.claim.id))
    return MeasureReport(measure, ordered, _pair_kinds(ordered, known))


def _pair_kinds(ordered: list[FigureRow], known: Known | None) -> tuple[str, ...]:
    """figures.classify of every pair; a measure's pairs grow with the square of its figures,
    so they are worked out again only when one of its figures changed."""
    f = [row.figure for row in ordered]
    key = tuple((x.value, x.bound, x.counted, x.scope) for x in f)  # what classify compares
    kinds = known.pairs.get(key) if known is not None else None
    if kinds is None:
        pairs = combinations(ordered, 2)
        kinds = tuple(figures.classify(_facts(a), _facts(b)) for a, b in pairs)
        if known is not None:
            known.pairs.put(key, kinds)
    return kinds


def _facts(row: FigureRow) -> figures.FigureFacts:
    f = row.figure
    return figures.FigureFacts(f.value, f.bound, f.counted, f.scope)  # type: ignore[arg-type]


def quantity(row: FigureRow) -> tuple[str, str]:
    """What a figure counts and where, normalised for comparison."""
    return (
        " ".join(row.figure.counted.casefold().split()),
        " ".join(row.figure.scope.casefold().split()),
    )


def _mainquantity(rows: list[FigureRow]) -> tuple[str, str] | None:
    """What most figures count: drawn first, the others after it."""
    counts = Counter(quantity(r) for r in rows)
    return counts.most_common(1)[0][0] if counts else None


# Quotations.


def _quotations(
    claim: Claim,
    anchors: dict[QuoteRef, Anchor],
    found: dict[variants.Passage, list[variants.Variant]],
    content: Content,
) -> list[Quotation]:
    """A claim's quotations that more than one source words."""
    groups = _groups(claim, anchors, found)
    named = len(groups) > 1
    result = []
    for n, group in enumerate(groups, 1):
        name = f"{claim.id}-{n}" if named else claim.id
        result.append(Quotation(name, claim, _wordings(group, content.sources)))
    return result


# What the variants of a passage depend on: every archived text (their digest) and the passage.
VariantKey = tuple[str, str, int, int]


def _variants(
    sources: dict[str, Source],
    passages: list[variants.Passage],
    archive: str,
    known: Table | None,
) -> dict[variants.Passage, list[variants.Variant]]:
    """The variants of every passage; those found by an earlier build of the same archive are
    not searched again (and when none is new, the archive is not read at all)."""
    found: dict[variants.Passage, list[variants.Variant]] = {}
    for passage in passages:
        remembered = known.get((archive, *passage)) if known is not None else None
        if remembered is not None:
            found[passage] = remembered
    missing = [p for p in passages if p not in found]
    if missing:
        found.update(variants.VariantIndex(sources).find_all(missing))
    if known is not None:
        for passage in missing:
            known.put((archive, *passage), found[passage])
    return found


# A passage: (source id, start, end, annotated by an editor).
_Span = tuple[str, int, int, bool]


def _groups(
    claim: Claim,
    anchors: dict[QuoteRef, Anchor],
    found: dict[variants.Passage, list[variants.Variant]],
) -> list[list[_Span]]:
    """The claim's appearances with the variants found for them; overlapping passages merge."""
    groups: list[list[_Span]] = []
    for ref in claim.appearances:
        if ref not in anchors:
            continue
        anchor = anchors[ref]
        spans: list[_Span] = [(ref.source, anchor.start, anchor.end, True)]
        spans += [
            (v.source, v.start, v.end, False) for v in found[(ref.source, anchor.start, anchor.end)]
        ]
        _merge(groups, spans)
    return [g for g in groups if len({s[0] for s in g}) > 1]


def _merge(groups: list[list[_Span]], spans: list[_Span]) -> None:
    """Add spans to the first group they overlap, else start a new group; one span per source."""
    target = next((g for g in groups if any(_overlap(a, b) for a in g for b in spans)), None)
    if target is None:
        target = []
        groups.append(target)
    for span in spans:
        same_source = [s for s in target if s[0] == span[0]]
        if not same_source:
            target.append(span)
        elif span[3] and not any(s[3] for s in same_source) and _overlap(same_source[0], span):
            target[target.index(same_source[0])] = span  # an editor's quotation beats a found one


def _overlap(a: _Span, b: _Span) -> bool:
    return a[0] == b[0] and a[1] < b[2] and b[1] < a[2]


def _wordings(group: list[_Span], sources: dict[str, Source]) -> list[Wording]:
    texts = [" ".join(sources[sid].text[a:b].split()) for sid, a, b, _ in group]
    result = []
    for i, ((sid, start, end, annotated), text) in enumerate(zip(group, texts, strict=True)):
        tokens, differences = variants.compare(texts[0], text) if i else ([], [])
        result.append(Wording(sources[sid], start, end, text, annotated, tokens, differences))
    return result
