"""Render: turn the model and its analysis into the site's files, in memory, via the theme."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jinja2

from . import chart, markdown, passages, publish, structured, urls
from .anchoring import Analysis
from .diagnostics import Diagnostics, Location
from .discrepancies import Discrepancies, MeasureReport, Quotation
from .model import Claim, Content, Page, QuoteRef, Rating, Source
from .passages import Segment

# How many related fact-checks a claim page lists, chosen among the newest of each shared tag.
RELATED_LIMIT = 5
RELATED_CANDIDATES = 50


@dataclass(frozen=True)
class QuoteView:
    """A verified quotation as a page shows it."""

    # The source it comes from.
    source: Source
    # The archived wording; elided parts are joined by " … ".
    text: str
    # The quotation with a sentence before and after, paragraph by paragraph.
    context: list[list[Segment]]
    # The highlight id on the source page.
    fragment: str
    # A text-fragment link into the original article, or "" when its address is unknown.
    original: str


@dataclass(frozen=True)
class EvidenceView:
    """One piece of evidence as a page shows it."""

    # The quotation, or None for an outside document.
    quote: QuoteView | None
    # Outside document's address and title, when not a quotation.
    url: str
    title: str
    # What the evidence shows.
    note: str


@dataclass(frozen=True)
class Citation:
    """A fact-check citing a highlighted passage, as a source page lists it."""

    claim: Claim
    # "appearance" (the claim appears here) or "evidence" (cited as evidence).
    role: str


@dataclass(frozen=True)
class ParagraphView:
    """A paragraph of an archived article as its source page shows it."""

    # 1-based number; the element id is "p<number>".
    number: int
    # Its text, in plain and highlighted runs.
    segments: list[Segment]
    # Fact-checks citing the highlights that start in this paragraph.
    citations: list[Citation]


@dataclass(frozen=True)
class MeasureView:
    """A measure's report with its chart, as the discrepancy and claim pages show it."""

    report: MeasureReport
    # The inline SVG.
    chart: str
    # Each figure as worded ("up to 87 million"), by claim id.
    labels: dict[str, str]
    # The figures whose claims are dated, oldest first.
    timeline: list[Any]


@dataclass(frozen=True)
class Output:
    """The rendered site: output path (relative, "/"-separated) -> file contents."""

    files: dict[str, bytes]
    # How many HTML pages, for the build report.
    pages: int


def render(
    content: Content,
    analysis: Analysis,
    found: Discrepancies,
    theme: Path,
    diags: Diagnostics,
) -> Output | None:
    """Render every page, collect the static files; None (with diagnostics) on template errors."""
    site = _SiteRenderer(content, analysis, found, theme)
    try:
        rendered = site.pages()
    except jinja2.TemplateError as exc:
        diags.error(
            _template_location(exc, theme),
            f"template error: {exc.message}",
            "fix the template in the theme",
        )
        return None
    files = {urls.output_file(path): html.encode() for path, html in rendered}
    files.update(_static_files(theme / "static"))
    files.update(publish.outputs(content, analysis, [path for path, _ in rendered]))
    return Output(files, len(rendered))


def _template_location(exc: jinja2.TemplateError, theme: Path) -> Location:
    name = getattr(exc, "filename", None) or getattr(exc, "name", None) or "templates"
    line = getattr(exc, "lineno", 0) or 0
    path = Path(name)
    shown = path.relative_to(theme.parent).as_posix() if path.is_relative_to(theme.parent) else name
    return Location(shown, line, 0)


def _static_files(folder: Path) -> dict[str, bytes]:
    if not folder.is_dir():
        return {}
    return {
        urls.static(p.relative_to(folder).as_posix()): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and not p.name.startswith(".")
    }


class _SiteRenderer:
    """Holds what every page needs (the environment, lookups) and renders page by page."""

    def __init__(
        self, content: Content, analysis: Analysis, found: Discrepancies, theme: Path
    ) -> None:
        self.content = content
        self.analysis = analysis
        self.found = found
        self.site = content.site
        self.env = _environment(theme)
        # Newest first; claims published the same day in file-name order.
        self.claims = sorted(content.claims, key=lambda c: (-c.published.toordinal(), c.id))
        self.position = {c.id: i for i, c in enumerate(self.claims)}
        self.sentences = {sid: passages.sentences(s) for sid, s in content.sources.items()}
        self.by_claimant = _group(self.claims, lambda c: [c.claimant_slug])
        self.by_tag = _group(self.claims, lambda c: c.tags)
        self.citations = _citations(self.claims)

    def pages(self) -> list[tuple[str, str]]:
        """(path, html) for every page of the site."""
        return [
            self.index(),
            *(self.claim(c) for c in self.claims),
            *(self.source(s) for s in self._sorted_sources()),
            self.claimants(),
            *(self.claimant(slug, claims) for slug, claims in self.by_claimant.items()),
            self.tags(),
            *(self.tag(tag, claims) for tag, claims in self.by_tag.items()),
            self.methodology(),
            self.discrepancies(),
            *(self.measure(report) for report in self.found.measures),
            *(self.quotation(quotation) for quotation in self.found.quotations),
            *(self.page(p) for p in self.content.pages),
            self.not_found(),
        ]

    def _render(self, path: str, template: str, title: str, **context: Any) -> tuple[str, str]:
        html = self.env.get_template(template).render(
            site=self.site,
            pages=sorted(self.content.pages, key=lambda p: p.title),
            link=urls.Links(path, self.site.base_url),
            canonical=urls.absolute(path, self.site.base_url),
            title=title,
            path=path,
            **context,
        )
        return path, html

    # Pages, in the order of the page map in the README.

    def index(self) -> tuple[str, str]:
        return self._render(urls.HOME, "index.html", self.site.title, claims=self.claims)

    def claim(self, claim: Claim) -> tuple[str, str]:
        review = structured.claim_review(claim, self.site, self.content.sources)
        return self._render(
            urls.claim(claim),
            "claim.html",
            claim.claim,
            claim=claim,
            analysis=markdown.render(claim.analysis, heading_offset=2),
            appearances=[self._quote(ref) for ref in claim.appearances],
            evidence=[self._evidence(e) for e in claim.evidence],
            related=self._related(claim),
            claim_review=structured.to_script(review),
            description=claim.summary,
            measure=self._measure_view(self.found.measure_of(claim), claim.id),
            quotations=self.found.quotations_of(claim),
        )

    def source(self, source: Source) -> tuple[str, str]:
        marks = self.analysis.highlights.get(source.id, [])
        return self._render(
            urls.source(source),
            "source.html",
            source.title,
            source=source,
            paragraphs=self._paragraphs(source, marks),
            citing=self._citing(source),
        )

    def claimants(self) -> tuple[str, str]:
        return self._render(
            urls.CLAIMANTS, "claimants.html", "Claimants", claimants=self.by_claimant
        )

    def claimant(self, slug: str, claims: list[Claim]) -> tuple[str, str]:
        return self._render(
            urls.claimant(slug),
            "claimant.html",
            claims[0].claimant,
            claimant=claims[0].claimant,
            claims=claims,
            counts=self._rating_counts(claims),
        )

    def tags(self) -> tuple[str, str]:
        return self._render(urls.TAGS, "tags.html", "Topics", tags=self.by_tag)

    def tag(self, tag: str, claims: list[Claim]) -> tuple[str, str]:
        return self._render(urls.tag(tag), "tag.html", f"Topic: {tag}", tag=tag, claims=claims)

    def methodology(self) -> tuple[str, str]:
        return self._render(
            urls.METHODOLOGY,
            "methodology.html",
            "How we fact-check",
            sources=self._sorted_sources(),
        )

    def discrepancies(self) -> tuple[str, str]:
        return self._render(
            urls.DISCREPANCIES,
            "discrepancies.html",
            "Discrepancies",
            measures=[self._measure_view(r) for r in self.found.measures],
            quotations=self.found.quotations,
        )

    def measure(self, report: MeasureReport) -> tuple[str, str]:
        return self._render(
            urls.measure(report.measure),
            "measure.html",
            report.measure.title,
            view=self._measure_view(report),
            description=report.measure.description,
        )

    def quotation(self, quotation: Quotation) -> tuple[str, str]:
        return self._render(
            urls.quotation(quotation),
            "quotation.html",
            f"How outlets quoted: {quotation.claim.claim}",
            quotation=quotation,
            fragments=[self._passage(w.source, w.start) for w in quotation.wordings],
        )

    def page(self, page: Page) -> tuple[str, str]:
        return self._render(
            urls.page(page),
            "page.html",
            page.title,
            page=page,
            body=markdown.render(page.body, heading_offset=1),
            description=page.description,
        )

    def not_found(self) -> tuple[str, str]:
        return self._render(urls.NOT_FOUND, "404.html", "Page not found", claims=self.claims[:5])

    # Views and lookups.

    def _measure_view(self, report: MeasureReport | None, highlight: str = "") -> Any:
        if report is None:
            return None
        return MeasureView(
            report=report,
            chart=chart.measure_chart(report, highlight=highlight, compact=bool(highlight)),
            labels={r.claim.id: chart.bound_text(r) for r in report.rows},
            timeline=sorted((r for r in report.rows if r.claim.date), key=lambda r: r.claim.date),
        )

    def _passage(self, source: Source, offset: int) -> str:
        """The id to link to for an offset: its highlight if quoted, else its paragraph."""
        marks = self.analysis.highlights.get(source.id, [])
        mark = next((h.id for h in marks if h.start <= offset < h.end), None)
        if mark:
            return mark
        number = next(p.number for p in source.paragraphs if p.start <= offset < p.end + 1)
        return f"p{number}"

    def _quote(self, ref: QuoteRef) -> QuoteView:
        source = self.content.sources[ref.source]
        anchor = self.analysis.anchors[ref]
        pieces = [" ".join(source.text[a:b].split()) for a, b in anchor.spans]
        original = urls.text_fragment(source.url, pieces) if source.url else ""
        return QuoteView(
            source=source,
            text=" … ".join(pieces),
            context=passages.context(source, anchor, self.sentences[source.id]),
            fragment=self.analysis.fragments[ref],
            original=original,
        )

    def _evidence(self, evidence: Any) -> EvidenceView:
        quote = self._quote(evidence.quote) if evidence.quote else None
        return EvidenceView(quote, evidence.url, evidence.title, evidence.note)

    def _related(self, claim: Claim) -> list[Claim]:
        """Other fact-checks sharing tags, those sharing most first."""
        # Only the newest claims of each tag are candidates, so the cost per page stays the same
        # however large a tag grows.
        shared = Counter(
            other.id
            for tag in claim.tags
            for other in self.by_tag.get(tag, [])[:RELATED_CANDIDATES]
            if other.id != claim.id
        )
        ranked = sorted(shared, key=lambda cid: (-shared[cid], self.position[cid]))
        return [self.claims[self.position[cid]] for cid in ranked[:RELATED_LIMIT]]

    def _paragraphs(self, source: Source, marks: list[passages.Highlight]) -> list[ParagraphView]:
        segments = passages.paragraph_segments(source, marks)
        views = []
        for paragraph, runs in zip(source.paragraphs, segments, strict=True):
            starting = [h for h in marks if paragraph.start <= h.start < paragraph.end]
            cited = [c for h in starting for ref in h.refs for c in self.citations[ref]]
            views.append(ParagraphView(paragraph.number, runs, list(dict.fromkeys(cited))))
        return views

    def _citing(self, source: Source) -> list[Claim]:
        return [c for c in self.claims if any(r.source == source.id for r in c.quotes())]

    def _rating_counts(self, claims: list[Claim]) -> list[tuple[Rating, int]]:
        counts = Counter(c.rating.id for c in claims)
        return [(r, counts[r.id]) for r in self.site.ratings]

    def _sorted_sources(self) -> list[Source]:
        return sorted(self.content.sources.values(), key=lambda s: s.id)


def _group(claims: list[Claim], keys: Any) -> dict[str, list[Claim]]:
    """Claims grouped by each key `keys(claim)` yields, groups sorted by key."""
    groups: dict[str, list[Claim]] = defaultdict(list)
    for claim in claims:
        for key in keys(claim):
            groups[key].append(claim)
    return dict(sorted(groups.items()))


def _citations(claims: list[Claim]) -> dict[QuoteRef, list[Citation]]:
    """Which fact-checks cite each quotation, and in which role."""
    result: dict[QuoteRef, list[Citation]] = defaultdict(list)
    for claim in claims:
        for ref in claim.appearances:
            result[ref].append(Citation(claim, "appearance"))
        for evidence in claim.evidence:
            if evidence.quote:
                result[evidence.quote].append(Citation(claim, "evidence"))
    return result


def _environment(theme: Path) -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(theme / "templates"),
        autoescape=True,  # every template, whatever its file name
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["date"] = _format_date
    return env


def _format_date(value: Any) -> str:
    """ "4 April 2018": unambiguous in every English-speaking country."""
    return f"{value.day} {value:%B %Y}" if value else ""
