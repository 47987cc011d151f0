"""Discrepancies: check each figure against its quotations, compare the figures of each measure,
and gather the wordings different outlets give for the same quotation."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from itertools import combinations

from .. import languages
from ..diagnostics import Diagnostic, Diagnostics
from ..model import Anchor, Claim, Content, Figure, Measure, QuoteRef, Source
from . import figures, variants


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


def find_variants(
    sources: dict[str, Source], passages: list[variants.Passage]
) -> dict[variants.Passage, list[variants.Variant]]:
    """The variants of every passage, in every other archived text."""
    return variants.VariantIndex(sources).find_all(passages) if passages else {}


# A bound to read: the quotation (its source and where it is) and the figure's value.
# A bound to read: the quotation (its source and where it is), the figure's value, and the
# language the quotation is read in.
BoundQuery = tuple[Source, Anchor, float, languages.Language]


def read_bounds(queries: list[BoundQuery]) -> list[figures.BoundReading]:
    """What each quotation says of the bound of its figure's value (its bound words)."""
    return [
        figures.read_bound(" ... ".join(source.text[a:b] for a, b in anchor.spans), value, lang)
        for source, anchor, value, lang in queries
    ]


def classify_pairs(facts: tuple[figures.FigureFacts, ...]) -> tuple[str, ...]:
    """figures.classify of every pair of figures, in the order of combinations()."""
    return tuple(figures.classify(a, b) for a, b in combinations(facts, 2))


@dataclass(frozen=True)
class Steps:
    """The analysis's costly steps, each a plain function of its arguments: by default the
    ones above; the incremental layer hands in memoised stand-ins with the same contract."""

    # The variants of passages (a passage's grow with the archive).
    variants: Callable[
        [dict[str, Source], list[variants.Passage]], dict[variants.Passage, list[variants.Variant]]
    ] = find_variants
    # What quotations say of their figures' bounds.
    bounds: Callable[[list[BoundQuery]], list[figures.BoundReading]] = read_bounds
    # The kinds of every pair of a measure's figures (their number grows with its square).
    pairs: Callable[[tuple[figures.FigureFacts, ...]], tuple[str, ...]] = classify_pairs


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
    steps: Steps = Steps(),
) -> Discrepancies:
    """Check figures against their quotations, compare them, and find quotation variants."""
    findings = _claim_findings(content, anchors, steps)
    rows: dict[str, list[FigureRow]] = {}
    for claim in content.claims:
        found = findings[claim.id]
        diags.extend(list(found.warnings))
        if found.row is not None:
            rows.setdefault(found.row.figure.measure, []).append(found.row)
    reports = [
        _measure_report(m, rows.get(mid, []), steps) for mid, m in sorted(content.measures.items())
    ]
    claims = sorted(content.claims, key=lambda c: c.id)
    return Discrepancies(
        measures=[r for r in reports if r.rows],
        quotations=[q for claim in claims for q in findings[claim.id].quotations],
    )


def _claim_findings(
    content: Content, anchors: dict[QuoteRef, Anchor], steps: Steps
) -> dict[str, _Findings]:
    """What each claim gives, the variants of every claim's passages searched together."""
    claims = sorted(content.claims, key=lambda c: c.id)
    passages = [
        (ref.source, anchors[ref].start, anchors[ref].end)
        for claim in claims
        for ref in claim.appearances
        if ref in anchors
    ]
    found = steps.variants(content.sources, passages)
    readings = _readings(claims, content, anchors, steps)
    return {
        claim.id: _findings(claim, content, anchors, found, readings.get(claim.id))
        for claim in claims
    }


@dataclass
class _Readings:
    """What the quotations of a claim's figure say of its bound."""

    # The readings of the quotations in sources whose language has a table.
    found: list[figures.BoundReading] = field(default_factory=list)
    # The sources of the others: their figures are not read (see languages.warn_unread).
    unread: list[Source] = field(default_factory=list)


def _readings(
    claims: list[Claim], content: Content, anchors: dict[QuoteRef, Anchor], steps: Steps
) -> dict[str, _Readings]:
    """What the quotations of each claim giving a figure say of its bound, by claim id: read
    all at once (a step of its own), each in its source's language."""
    readings: dict[str, _Readings] = {}
    asked: list[tuple[str, BoundQuery]] = []
    for claim in claims:
        if claim.figure is None:
            continue
        mine = readings[claim.id] = _Readings()
        for ref in (r for r in claim.appearances if r in anchors):
            source = content.sources[ref.source]
            language = _language(source, content.site.language)
            if language is None:
                mine.unread.append(source)
            else:
                asked.append((claim.id, (source, anchors[ref], claim.figure.value, language)))
    for (cid, _), reading in zip(asked, steps.bounds([q for _, q in asked]), strict=True):
        readings[cid].found.append(reading)
    return readings


def _language(source: Source, site_language: str) -> languages.Language | None:
    """The language a source's figures are read in: its own, or the site's when it declares
    none; None when that language has no table."""
    return languages.lookup(source.language or site_language)


def _findings(
    claim: Claim,
    content: Content,
    anchors: dict[QuoteRef, Anchor],
    found: dict[variants.Passage, list[variants.Variant]],
    readings: _Readings | None,
) -> _Findings:
    quotations = _quotations(claim, anchors, found, content)
    if claim.figure is None or readings is None:
        return _Findings(None, (), quotations)
    diags = Diagnostics()
    for source in readings.unread:
        languages.warn_unread(source, content.site.language, diags)
    row = _row(claim, readings, diags)
    return _Findings(row, tuple(diags.sorted()), quotations)


# Figures.


def _row(claim: Claim, readings: _Readings, diags: Diagnostics) -> FigureRow:
    figure = claim.figure
    assert figure is not None
    found = [r for r in readings.found if r.found]
    if readings.found or not readings.unread:
        _check_bound(figure, found, diags)
    words = next((r.words for r in found if r.words), "")
    return FigureRow(claim, figure, figures.interval(figure.value, figure.bound), words)


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


def _measure_report(measure: Measure, rows: list[FigureRow], steps: Steps) -> MeasureReport:
    main = _mainquantity(rows)
    ordered = sorted(rows, key=lambda r: (quantity(r) != main, -r.figure.value, r.claim.id))
    return MeasureReport(measure, ordered, steps.pairs(tuple(_facts(row) for row in ordered)))


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
