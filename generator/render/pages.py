"""Pages: every file of the site, each with the function that makes it and what it shows.

Every file names what it reads of the model besides what every page reads (the templates, the
site's settings, the pages its menus list): the fact-checks, sources, measures and quotations
it shows, by id, and any other value (see Reads). What a page reads is written beside the
method that renders it (see _SiteRenderer.jobs()): a new value passed to a template must be
added to its page's reads. The incremental layer makes a file again only when something it
reads has changed; nothing here knows of that.
"""

from __future__ import annotations

import contextlib
from bisect import bisect_left
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import cached_property, partial
from itertools import chain
from pathlib import Path
from typing import Any

import jinja2
from markupsafe import Markup, escape

from .. import languages, urls
from ..analyse import passages
from ..analyse.anchoring import Analysis
from ..analyse.discrepancies import Discrepancies, MeasureReport, Pair, Quotation, Wording
from ..analyse.passages import Segment
from ..config import DEFAULT_THEME
from ..diagnostics import Location, Problem
from ..i18n import Interface, Untranslated
from ..load import sources
from ..model import Claim, Content, Correction, Page, QuoteRef, Rating, Site, Source
from . import cards, chart, markdown, publish, search, structured

# How many related fact-checks a claim page lists, and how many of the newest fact-checks of
# each thing it shares (see _SiteRenderer._related) it chooses them from: a bound that keeps
# the cost of a page the same however large a topic or a claimant's list grows.
RELATED_LIMIT = 5
RELATED_CANDIDATES = 50
# What sharing each kind of key is worth to a related fact-check: a figure for the same
# measure says most about the same question, a quotation of the same passage (or a wording
# of it in the same quotation group) next, then the same claimant, then each shared topic.
RELATED_WEIGHTS = {"measure": 4, "passage": 3, "claimant": 2, "tag": 1}


@dataclass(frozen=True)
class ShareCard:
    """A fact-check's share card as its page's <head> names it (og:image, twitter:image)."""

    # Its absolute address: link previews are made by crawlers, out of the page's context.
    url: str
    # Its text alternative (cards.alt_text): the claim, the claimant and the rating in words.
    alt: str
    # Its size in pixels, which lets a preview be laid out before the image loads.
    width: int = cards.WIDTH
    height: int = cards.HEIGHT


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


@dataclass(frozen=True, slots=True)  # one per quotation: tens of thousands
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


class MeasureShared:
    """What every page showing one measure shows alike (its figures' labels and timeline, its
    counts, its compact chart in pieces: see chart.Drawing), made when the first of them is
    rendered: a measure has a claim page per figure.

    Safe to share: it is made of the measure's report alone, which does not change while a
    build renders, and it is kept by the renderer of one build (each forked worker fills
    its own copy)."""

    def __init__(self, report: MeasureReport, ui: Interface) -> None:
        self.report = report
        self.ui = ui
        # Each figure as worded ("up to 87 million"), by claim id.
        self.labels = {r.claim.id: chart.bound_text(r, ui) for r in report.rows}
        # The figures whose claims are dated, oldest first.
        self.timeline = sorted((r for r in report.rows if r.claim.date), key=lambda r: r.claim.date)
        # How many pairs of figures contradict each other; how many figures count another
        # quantity than the main one.
        self.contradictions = report.count("contradictory")
        self.others = report.other_quantities()

    @cached_property
    def compact(self) -> list[chart.Drawing]:
        """The chart of its claim pages, wide and narrow, each highlighting its own claim's row.
        (Kept, about 20 KB a measure; the full chart is drawn for one page and not kept.)"""
        return [chart.Drawing(self.report, self.ui, True, layout) for layout in chart.LAYOUTS]


@dataclass(frozen=True)
class MeasureView:
    """A measure's report with its chart, as the discrepancy and claim pages show it."""

    shared: MeasureShared
    # The claim whose figure a claim page's compact chart highlights; "" for the full chart.
    highlight: str

    @property
    def report(self) -> MeasureReport:
        return self.shared.report

    @property
    def labels(self) -> dict[str, str]:
        return self.shared.labels

    @property
    def timeline(self) -> list[Any]:
        return self.shared.timeline

    @property
    def contradictions(self) -> int:
        return self.shared.contradictions

    @property
    def others(self) -> int:
        return self.shared.others

    def pairs(self, kind: str) -> list[Pair]:
        """The pairs of figures of one kind ("contradictory", "compatible",
        "different-quantity"), in the report's order. (Jinja's selectattr filter does the same
        at a few microseconds a pair, and a measure of n figures has n(n-1)/2 pairs.)"""
        return self._pairs_by_kind.get(kind, [])

    @cached_property
    def _pairs_by_kind(self) -> dict[str, list[Pair]]:
        """The report's pairs, made once for the page (which lists every kind) and gone with it."""
        by_kind: dict[str, list[Pair]] = defaultdict(list)
        for pair in self.report.pairs:
            by_kind[pair.kind].append(pair)
        return by_kind

    @property
    def chart(self) -> str:
        """The inline SVGs, wide and narrow, drawn only for the pages that show them (not the
        discrepancy list)."""
        if self.highlight:
            return "\n".join(drawing.svg(self.highlight) for drawing in self.shared.compact)
        return chart.measure_charts(self.report, self.shared.ui)


@dataclass(frozen=True)
class CorrectionView:
    """One correction, as the corrections page lists it."""

    # The fact-check corrected; the entry links to its corrections.
    claim: Claim
    correction: Correction


@dataclass(frozen=True)
class Pager:
    """One page of a list of fact-checks (home, claimant, topic), `size` to a page: which
    fact-checks it shows, and the pages its navigation links to."""

    # The list's address, which its first page keeps ("" for the home page, "tags/x/").
    first: str
    # This page's number, from 1, and how many pages the list has (1 for a short or empty list).
    number: int
    count: int
    # Fact-checks in the whole list, and on a full page.
    total: int
    size: int

    @property
    def path(self) -> str:
        return urls.list_page(self.first, self.number)

    @property
    def start(self) -> int:
        """Index in the list of the first fact-check this page shows."""
        return (self.number - 1) * self.size

    @property
    def stop(self) -> int:
        """Index just past the last fact-check this page shows."""
        return min(self.total, self.start + self.size)

    def numbers(self) -> list[int | None]:
        """The page numbers the navigation links to: the first, the last, and two either side
        of this one; None where numbers are left out (a gap of one number shows the number)."""
        near = range(max(1, self.number - 2), min(self.count, self.number + 2) + 1)
        shown: list[int | None] = []
        last = 0
        for number in sorted({1, *near, self.count}):
            if number == last + 2:
                shown.append(last + 1)
            elif number > last + 2:
                shown.append(None)
            shown.append(number)
            last = number
        return shown


def pagers(first: str, total: int, size: int) -> list[Pager]:
    """The pages of a list of `total` fact-checks: one at least, so that an empty home page is
    still made."""
    count = max(1, -(-total // size))
    return [Pager(first, number, count, total, size) for number in range(1, count + 1)]


@dataclass(frozen=True, slots=True)  # one per page: tens of thousands
class Reads:
    """What a file shows of the model besides what every page shows (the theme's templates,
    the site's settings and options, the pages its menus and footer list), by name."""

    # Fact-checks it shows, by id.
    claims: tuple[str, ...] = ()
    # Sources it shows or links into, by id (a link names one of the source's highlights).
    sources: tuple[str, ...] = ()
    # Measures it names, by id.
    measures: tuple[str, ...] = ()
    # Measures whose figures it shows (their report: order, pairs, bound words), by id.
    reports: tuple[str, ...] = ()
    # Quotations whose wordings it shows, by id.
    quotations: tuple[str, ...] = ()
    # Lists of fact-checks it chooses from, by name in Output.lists (the newest sharing a
    # topic, a claimant, a measure or a passage, from which a claim page picks its related
    # fact-checks).
    lists: tuple[str, ...] = ()
    # Input files it is a copy of ("theme/static/style.css"), named as inputs.scan names them.
    files: tuple[str, ...] = ()
    # Anything else it shows, as plain values (strings, numbers, tuples and lists of them).
    values: object = ()
    # Whether it is a page, showing what every page shows besides (the templates, the site's
    # settings and options, the pages its menus list): not a static file, a snapshot or a
    # share card, which a template or a setting does not change.
    page: bool = True


@dataclass(frozen=True, slots=True)  # one per file: tens of thousands
class File:
    """One file of the site: where it goes, what it shows, and how to make it."""

    # Output path, "/"-separated ("claims/x/index.html").
    path: str
    # What it shows (see Reads).
    reads: Reads
    # Makes the file's bytes, or its bytes piece by piece (a large file, written as it comes).
    make: Callable[[], bytes | Iterable[bytes]]


@dataclass(frozen=True)
class Output:
    """The site's files, each made when written."""

    files: list[File]
    # How many HTML pages, for the build report.
    pages: int
    # The named lists of fact-checks that pages read (see Reads.lists): name -> claim ids.
    lists: dict[str, tuple[str, ...]]

    @property
    def paths(self) -> list[str]:
        return [file.path for file in self.files]


@dataclass(frozen=True)
class Steps:
    """The render stage's costly steps, which the incremental layer may lend memoised."""

    # Where Jinja keeps the templates it compiles, if anywhere.
    compiled: jinja2.BytecodeCache | None = None
    # Makes the search bundle of the fact-checks' records (search.bundle).
    index: search.Index = search.bundle


def render(
    content: Content,
    analysis: Analysis,
    found: Discrepancies,
    theme: Path,
    seeds: Path | None = None,
    steps: Steps = Steps(),
) -> Output:
    """Every file of the site: pages, static files, snapshots (read from `seeds`), feeds, the
    search bundle. A template error raises a Problem when a page using the template is made,
    as does a search bundle Pagefind could not make."""
    site = _SiteRenderer(content, analysis, found, theme, steps.compiled)
    ui = site.ui
    _load_templates(site.env)
    pages = site.files()
    lists = {p.path: claims[p.start : p.stop] for p, claims in site.list_pages()}
    files = [
        *(file for _, file in pages),
        *site.card_files(),
        *site.rating_feeds(),
        *site.search_files(steps.index),
        *_static_files(theme / "static"),
        *(_snapshot_files(content, seeds) if seeds is not None else []),
        *_publish_files(content, analysis, [path for path, _ in pages], lists, ui),
    ]
    return Output(files, len(pages), site.named_lists)


def _template_location(exc: jinja2.TemplateError, theme: Path) -> Location:
    name = getattr(exc, "filename", None) or getattr(exc, "name", None) or "templates"
    line = getattr(exc, "lineno", 0) or 0
    path = Path(name)
    shown = path.relative_to(theme.parent).as_posix() if path.is_relative_to(theme.parent) else name
    return Location(shown, line, 0)


def _static_files(folder: Path) -> list[File]:
    """The theme's static files, copied as they are."""
    if not folder.is_dir():
        return []
    files = [p for p in sorted(folder.rglob("*")) if p.is_file() and not p.name.startswith(".")]
    return [
        File(urls.static(name), Reads(files=(f"theme/static/{name}",), page=False), file.read_bytes)
        for file in files
        for name in [file.relative_to(folder).as_posix()]
    ]


def _snapshot_files(content: Content, seeds: Path) -> list[File]:
    """Each captured source's snapshot: the WARC file as it is, and the page's HTML from it
    as text. Both show the WARC, whose checksum was verified when the source was read."""
    files = []
    for source in sorted(content.sources.values(), key=lambda s: s.id):
        if source.snapshot is None:
            continue
        path, sha = seeds / source.snapshot.file, source.snapshot.sha256
        files.append(
            File(
                urls.snapshot(source, "warc"),
                Reads(values=("warc", sha), page=False),
                path.read_bytes,
            )
        )
        html = partial(sources.snapshot_html, path)
        files.append(
            File(urls.snapshot(source, "html"), Reads(values=("html", sha), page=False), html)
        )
    return files


def _publish_files(
    content: Content,
    analysis: Analysis,
    pages: list[str],
    lists: dict[str, list[Claim]],
    ui: Interface,
) -> list[File]:
    """The machine-readable files (see publish.py), each with what it shows; `lists` are the
    fact-checks each list page shows, by URL path (for the sitemap's dates)."""
    dates = publish.page_dates(content.claims, lists)
    # The feed shows its entries alone (and the site), so an edit to a fact-check too old to be
    # in it leaves it as it is.
    entries = publish.feed_entries(content.site, content.claims, ui)
    every = tuple(sorted(c.id for c in content.claims))
    reads = {
        publish.SITEMAP: Reads(values=(pages, sorted(dates.items()))),
        publish.ROBOTS: Reads(),
        publish.FEED: Reads(values=[repr(entry) for entry in entries]),
        # Each quotation's passage link names its highlight; each figure, its measure.
        publish.CLAIMS_JSON: Reads(
            claims=every,
            sources=tuple(sorted(content.sources)),
            measures=tuple(sorted(content.measures)),
        ),
        publish.NOJEKYLL: Reads(),
    }
    makers = publish.outputs(content, analysis, pages, dates, entries)
    return [File(path, reads[path], make) for path, make in makers.items()]


# A page to render: its URL path, the method that renders it, its arguments, what it shows.
_PageRow = tuple[str, Callable[..., tuple[str, str]], tuple[Any, ...], object]


class _SiteRenderer:
    """Holds what every page needs (the environment, lookups) and renders page by page."""

    def __init__(
        self,
        content: Content,
        analysis: Analysis,
        found: Discrepancies,
        theme: Path,
        compiled: jinja2.BytecodeCache | None,
    ) -> None:
        self.content = content
        self.analysis = analysis
        self.found = found
        self.site = content.site
        assert content.interface is not None, "the tables are read with the content"
        self.ui = content.interface
        self.env = _environment(theme, compiled, self.ui, self.site.language)
        # Newest first; claims published the same day in file-name order.
        self.claims = sorted(content.claims, key=lambda c: (-c.published.toordinal(), c.id))
        self.position = {c.id: i for i, c in enumerate(self.claims)}
        self.by_claimant = _group(self.claims, lambda c: [c.claimant_slug])
        self.by_tag = _group(self.claims, lambda c: c.tags)
        # Each rating's fact-checks, newest first, in the scale's order (best first).
        self.by_rating: dict[str, list[Claim]] = {r.id: [] for r in self.site.ratings}
        for claim in self.claims:
            self.by_rating[claim.rating.id].append(claim)
        self.citations = _citations(self.claims)
        self.citing = _citing(self.claims)
        self.sentences: dict[str, passages.Sentences] = {}
        self.candidates: dict[str, list[int]] = {}
        self.theme = theme
        # The lists of fact-checks pages read (see Reads.lists), named as they are first read.
        self.named_lists: dict[str, tuple[str, ...]] = {}
        # Each fact-check's keys (see _keys), by claim id.
        self._keys_of: dict[str, list[str]] = {}
        # The pages every menu lists, by title, and the links every footer has.
        self.menu_pages = sorted(content.pages, key=lambda p: p.title)
        self.footer = _footer_links(content, self.ui)
        # What the pages of each measure share, by measure id, made as they are rendered.
        self.measures: dict[str, MeasureShared] = {}
        # The direction of the site's language, worked out once: every page's <html dir>, and
        # the share cards' direction and language (for Raqm); and the colour of each rating's
        # band (the theme's).
        self.direction = cards.site_direction(self.site.language)
        self.script = (self.direction, self.site.language)
        self.colours = _rating_colours(self.site, theme)
        # Where each source's highlights start, for finding the one a wording falls in.
        self.mark_starts: dict[str, list[int]] = {}

    def files(self) -> list[tuple[str, File]]:
        """Every page of the site as (URL path, file). Each row below names a page, the method
        that renders it with its arguments, and what the page reads besides what every page
        reads (see Reads): all that its method passes to its template."""
        intros = self.content.intros
        every_source = tuple(sorted(self.content.sources))
        # Rows are made one at a time as the files are (a chain, not a list).
        pages: Iterable[_PageRow] = chain(
            # A page of a list shows its own fact-checks, not the list's: an edit to one
            # fact-check makes again only the page of each list that holds it.
            (
                (p.path, self.index, (p,), self._list_shows(p, self.claims))
                for p in self._pagers(urls.HOME, self.claims)
            ),
            ((urls.claim(c), self.claim, (c,), self._claim_shows(c)) for c in self.claims),
            (
                (urls.source(x), self.source, (x,), self._source_shows(x))
                for x in self._sorted_sources()
            ),
            # The indexes show each claimant's or topic's name and count, not the fact-checks.
            [
                (
                    urls.CLAIMANTS,
                    self.claimants,
                    (),
                    Reads(values=[(s, c[0].claimant, len(c)) for s, c in self.by_claimant.items()]),
                )
            ],
            (
                (
                    p.path,
                    self.claimant,
                    (slug, claims, p),
                    # Every page names the claimant; the first counts the ratings.
                    self._list_shows(p, claims, claims[0].claimant, self._rating_ids(claims, p)),
                )
                for slug, claims in self.by_claimant.items()
                for p in self._pagers(urls.claimant(slug), claims)
            ),
            [
                (
                    urls.TAGS,
                    self.tags,
                    (),
                    Reads(values=[(tag, len(c)) for tag, c in self.by_tag.items()]),
                )
            ],
            (
                (p.path, self.tag, (tag, claims, p), self._list_shows(p, claims))
                for tag, claims in self.by_tag.items()
                for p in self._pagers(urls.tag(tag), claims)
            ),
            # The scale (labels, descriptions) is the site's, which every page reads.
            [
                (
                    urls.RATINGS,
                    self.ratings,
                    (),
                    Reads(values=[(r, len(c)) for r, c in self.by_rating.items()]),
                )
            ],
            (
                (p.path, self.rating, (rating, self.by_rating[rating.id], p), shows)
                for rating in self.site.ratings
                for p in self._pagers(urls.rating(rating), self.by_rating[rating.id])
                for shows in [self._list_shows(p, self.by_rating[rating.id])]
            ),
            # The search page shows the rating scale, which every page reads; the topics and
            # claimants its filters offer come from the search bundle.
            [(urls.SEARCH, self.search, (), Reads())],
            [(urls.METHODOLOGY, self.methodology, (), Reads(sources=every_source))],
            [
                (
                    urls.CORRECTIONS,
                    self.corrections,
                    (),
                    Reads(
                        claims=tuple(c.id for c in self.claims if c.corrections),
                        values=_page_values(intros.get("corrections")),
                    ),
                )
            ],
            (
                [(urls.SUBMIT, self.submit, (), Reads(values=_page_values(intros.get("submit"))))]
                if _has_submit_page(self.content)
                else []
            ),
            [
                (
                    urls.DISCREPANCIES,
                    self.discrepancies,
                    (),
                    Reads(
                        reports=tuple(r.measure.id for r in self.found.measures),
                        quotations=tuple(q.id for q in self.found.quotations),
                    ),
                )
            ],
            (
                (urls.measure(r.measure), self.measure, (r,), Reads(reports=(r.measure.id,)))
                for r in self.found.measures
            ),
            (
                (urls.quotation(q), self.quotation, (q,), self._quotation_shows(q))
                for q in self.found.quotations
            ),
            (
                (urls.page(p), self.page, (p,), Reads(values=_page_values(p)))
                for p in self.content.pages
            ),
            [
                (
                    urls.NOT_FOUND,
                    self.not_found,
                    (),
                    Reads(claims=tuple(c.id for c in self.claims[:5])),
                )
            ],
        )
        return [
            (path, File(urls.output_file(path), reads, partial(self._make, path, method, *args)))
            for path, method, args, reads in pages
        ]

    def list_pages(self) -> list[tuple[Pager, list[Claim]]]:
        """Every page of the lists of fact-checks (home, claimants, topics, ratings), each with
        the whole list it is a page of."""
        lists = [
            (urls.HOME, self.claims),
            *((urls.claimant(slug), claims) for slug, claims in self.by_claimant.items()),
            *((urls.tag(tag), claims) for tag, claims in self.by_tag.items()),
            *((urls.rating(r), self.by_rating[r.id]) for r in self.site.ratings),
        ]
        return [(p, claims) for first, claims in lists for p in self._pagers(first, claims)]

    def _pagers(self, first: str, claims: list[Claim]) -> list[Pager]:
        return pagers(first, len(claims), self.site.page_size)

    def _list_shows(self, pager: Pager, claims: list[Claim], *more: object) -> Reads:
        """What a page of a list shows: its own fact-checks, how many the list has and on how
        many pages (and what else the page type shows, `more`)."""
        shown = tuple(c.id for c in claims[pager.start : pager.stop])
        return Reads(claims=shown, values=(pager.total, pager.count, more))

    def _rating_ids(self, claims: list[Claim], pager: Pager) -> list[tuple[str, int]]:
        """The count per rating a claimant's first page shows, by rating id."""
        if pager.number > 1:
            return []
        return [(rating.id, count) for rating, count in self._rating_counts(claims)]

    def _claim_shows(self, claim: Claim) -> Reads:
        report = self.found.measure_of(claim)
        keys = self._shared_keys(claim)
        return Reads(
            claims=(claim.id,),
            sources=tuple(ref.source for ref in claim.quotes()),
            reports=(report.measure.id,) if report else (),
            quotations=tuple(q.id for q in self.found.quotations_of(claim)),
            # What _related chooses from: the newest fact-checks sharing each of its keys, in
            # order (each list's ids and what each of those fact-checks shows)...
            lists=tuple(self._newest_of(key) for key in keys),
            # ...and which keys they are, which weigh differently (a passage's key comes from
            # the analysis, not from the claim's file); and whether its card exists.
            values=(keys, self._card_refusal(claim)),
        )

    def _newest_of(self, key: str) -> str:
        """The name of the list of the newest fact-checks sharing a key (see Reads.lists)."""
        name = f"newest:{key}"
        if name not in self.named_lists:
            newest = self._sharing[key][:RELATED_CANDIDATES]
            self.named_lists[name] = tuple(c.id for c in newest)
        return name

    def _card_shows(self, claim: Claim) -> Reads:
        """What a share card shows: exactly what it is drawn from (and the font it is drawn
        with), so that an edit to the analysis or the summary leaves it as it is."""
        return Reads(values=("card", *self._card_arguments(claim), cards.font_digest()), page=False)

    def _source_shows(self, source: Source) -> Reads:
        cited = [
            (h.id, [(c.claim.id, c.role) for r in h.refs for c in self.citations[r]])
            for h in self.analysis.highlights.get(source.id, [])
        ]
        citing = self.citing.get(source.id, [])
        # The citing claims' ids are among the values (with their roles); `claims` adds what
        # each shows (a card of every citing claim).
        return Reads(claims=tuple(c.id for c in citing), sources=(source.id,), values=cited)

    def _quotation_shows(self, quotation: Quotation) -> Reads:
        return Reads(
            claims=(quotation.claim.id,),
            sources=tuple(w.source.id for w in quotation.wordings),
            quotations=(quotation.id,),
        )

    def _make(self, path: str, method: Callable[..., tuple[str, str]], *args: Any) -> bytes:
        """Render one page, its template errors as TemplateProblem."""
        try:
            rendered, html = method(*args)
        except jinja2.TemplateError as exc:
            where = _template_location(exc, self.theme)
            message = f"template error: {exc.message}"
            raise Problem(where, message, "fix the template in the theme") from None
        except Untranslated as exc:
            where = Location(self.ui.table)
            message = f"missing translation of '{exc.args[0]}' for language '{self.ui.language}'"
            raise Problem(where, message, f"add it to {self.ui.table}") from None
        assert rendered == path, (rendered, path)
        return html.encode()

    def _paged(self, title: str, pager: Pager) -> str:
        """A list page's title: the list's on its first page, numbered on the others, so that
        every page has a title of its own ("Topic: privacy, page 2 of 7")."""
        if pager.number == 1:
            return title
        return self.ui.text("title.paged", title=title, number=pager.number, count=pager.count)

    def _render(self, path: str, template: str, title: str, **context: Any) -> tuple[str, str]:
        html = self.env.get_template(template).render(
            site=self.site,
            direction=self.direction,
            pages=self.menu_pages,
            footer_links=self.footer,
            link=urls.Links(path, self.site.base_url),
            canonical=urls.absolute(path, self.site.base_url),
            title=title,
            path=path,
            **context,
        )
        return path, html

    # Pages, in the order of the page map in the README.

    def index(self, pager: Pager) -> tuple[str, str]:
        everything = self.ui.text("title.all_fact_checks")
        title = self.site.title if pager.number == 1 else self._paged(everything, pager)
        return self._render(
            pager.path,
            "index.html",
            title,
            claims=self.claims[pager.start : pager.stop],
            pager=pager,
        )

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
            share_card=self._share_card(claim),
        )

    def source(self, source: Source) -> tuple[str, str]:
        marks = self.analysis.highlights.get(source.id, [])
        return self._render(
            urls.source(source),
            "source.html",
            source.title,
            source=source,
            paragraphs=self._paragraphs(source, marks),
            citing=self.citing.get(source.id, []),
        )

    def claimants(self) -> tuple[str, str]:
        return self._render(
            urls.CLAIMANTS,
            "claimants.html",
            self.ui.text("title.claimants"),
            claimants=self.by_claimant,
        )

    def claimant(self, slug: str, claims: list[Claim], pager: Pager) -> tuple[str, str]:
        """A page of a claimant's fact-checks; the first also counts them per rating."""
        return self._render(
            pager.path,
            "claimant.html",
            self._paged(claims[0].claimant, pager),
            claimant=claims[0].claimant,
            claims=claims[pager.start : pager.stop],
            pager=pager,
            counts=self._rating_counts(claims) if pager.number == 1 else [],
        )

    def tags(self) -> tuple[str, str]:
        return self._render(urls.TAGS, "tags.html", self.ui.text("title.topics"), tags=self.by_tag)

    def tag(self, tag: str, claims: list[Claim], pager: Pager) -> tuple[str, str]:
        return self._render(
            pager.path,
            "tag.html",
            self._paged(self.ui.text("title.topic", tag=tag), pager),
            tag=tag,
            claims=claims[pager.start : pager.stop],
            pager=pager,
        )

    def ratings(self) -> tuple[str, str]:
        """The rating scale, each rating with how many fact-checks have it and its page."""
        counts = [(r, len(self.by_rating[r.id])) for r in self.site.ratings]
        title = self.ui.text("title.ratings")
        return self._render(urls.RATINGS, "ratings.html", title, counts=counts)

    def search(self) -> tuple[str, str]:
        """The search page: a form search.js shows and runs, and links to browse by."""
        title = self.ui.text("search.title")
        return self._render(urls.SEARCH, "search.html", title, bundle=search.SCRIPT)

    def rating(self, rating: Rating, claims: list[Claim], pager: Pager) -> tuple[str, str]:
        """A page of one rating's fact-checks, newest first; its feed beside the first."""
        return self._render(
            pager.path,
            "rating.html",
            self._paged(self.ui.text("title.rating", rating=rating.label), pager),
            rating=rating,
            claims=claims[pager.start : pager.stop],
            pager=pager,
            description=self.ui.text("description.rating", rating=rating.label),
        )

    def methodology(self) -> tuple[str, str]:
        return self._render(
            urls.METHODOLOGY,
            "methodology.html",
            self.ui.text("title.methodology"),
            sources=self._sorted_sources(),
        )

    def corrections(self) -> tuple[str, str]:
        """Every correction of every fact-check, newest first; the policy (an intro) above."""
        entries = [CorrectionView(c, fix) for c in self.claims for fix in c.corrections]
        # Newest first; a day's corrections by fact-check id, each fact-check's in its order.
        entries.sort(key=lambda e: (-e.correction.date.toordinal(), e.claim.id))
        policy = self.content.intros.get("corrections")
        return self._render(
            urls.CORRECTIONS,
            "corrections.html",
            self.ui.text("title.corrections"),
            corrections=entries,
            policy=policy,
            body=markdown.render(policy.body, heading_offset=2) if policy else "",
            description=(policy.description if policy else "")
            or self.ui.text("description.corrections"),
        )

    def submit(self) -> tuple[str, str]:
        """How to submit a claim (an intro), and the address from site.yaml's submit_url."""
        intro = self.content.intros.get("submit")
        url = self.site.submit_url
        return self._render(
            urls.SUBMIT,
            "submit.html",
            intro.title if intro else self.ui.text("title.submit"),
            body=markdown.render(intro.body, heading_offset=1) if intro else "",
            submit_url=url,
            submit_email=url[len("mailto:") :] if url.lower().startswith("mailto:") else "",
            description=(intro.description if intro else "") or self.ui.text("description.submit"),
        )

    def discrepancies(self) -> tuple[str, str]:
        return self._render(
            urls.DISCREPANCIES,
            "discrepancies.html",
            self.ui.text("title.discrepancies"),
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
            self.ui.text("title.quotation", claim=quotation.claim.claim),
            quotation=quotation,
            passages=[self._wording_links(w) for w in quotation.wordings],
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
        title = self.ui.text("title.not_found")
        return self._render(urls.NOT_FOUND, "404.html", title, claims=self.claims[:5])

    # Views and lookups.

    def _measure_view(self, report: MeasureReport | None, highlight: str = "") -> Any:
        if report is None:
            return None
        # One report per measure: found.measures holds it, found.measure_of returns it.
        shared = self.measures.get(report.measure.id)
        if shared is None:
            shared = self.measures[report.measure.id] = MeasureShared(report, self.ui)
        return MeasureView(shared, highlight)

    def _passage(self, source: Source, offset: int) -> str:
        """The id to link to for an offset: its highlight if quoted, else its paragraph."""
        marks = self.analysis.highlights.get(source.id, [])
        mark = next((h.id for h in marks if h.start <= offset < h.end), None)
        if mark:
            return mark
        number = next(p.number for p in source.paragraphs if p.start <= offset < p.end + 1)
        return f"p{number}"

    def _wording_links(self, wording: Wording) -> tuple[str, str]:
        """Where a quotation page links a wording to, as claim pages link a quotation: the id of
        its passage on the archived copy's page, and a text-fragment link into the original
        article ("" when its address is unknown)."""
        source = wording.source
        original = urls.text_fragment(source.url, [wording.text]) if source.url else ""
        return self._passage(source, wording.start), original

    def _quote(self, ref: QuoteRef) -> QuoteView:
        source = self.content.sources[ref.source]
        anchor = self.analysis.anchors[ref]
        pieces = [" ".join(source.text[a:b].split()) for a, b in anchor.spans]
        original = urls.text_fragment(source.url, pieces) if source.url else ""
        return QuoteView(
            source=source,
            text=" … ".join(pieces),
            context=passages.context(source, anchor, self._sentences(source)),
            fragment=self.analysis.fragments[ref],
            original=original,
        )

    def _evidence(self, evidence: Any) -> EvidenceView:
        quote = self._quote(evidence.quote) if evidence.quote else None
        return EvidenceView(quote, evidence.url, evidence.title, evidence.note)

    def _related(self, claim: Claim) -> list[Claim]:
        """The RELATED_LIMIT other fact-checks that share most with this one.

        Each fact-check has keys: its measure, the passages it quotes (and those where its
        quotation groups' wordings are), its claimant, its topics. A candidate scores the
        RELATED_WEIGHTS of the keys it shares; the highest scores come first, ties going to
        the newer, then to the smaller id. Only the RELATED_CANDIDATES newest fact-checks of
        each key are candidates, so a page costs the same however long a list grows."""
        # Counted by position in self.claims (newest first, a day's by id), so that sorting
        # (-score, position) pairs gives the order.
        me = self.position[claim.id]
        scores: Counter[int] = Counter()
        for key in self._shared_keys(claim):
            weight = RELATED_WEIGHTS[key.partition(":")[0]]
            for position in self._candidates(key):
                if position != me:
                    scores[position] += weight
        ranked = sorted((-score, position) for position, score in scores.items())
        return [self.claims[position] for _, position in ranked[:RELATED_LIMIT]]

    def _candidates(self, key: str) -> list[int]:
        """The positions of the newest fact-checks sharing a key, those _related chooses from."""
        if key not in self.candidates:
            newest = self._sharing[key][:RELATED_CANDIDATES]
            self.candidates[key] = [self.position[c.id] for c in newest]
        return self.candidates[key]

    def _keys(self, claim: Claim) -> list[str]:
        """Everything a fact-check may share with others ("measure:x", "passage:source#q-12",
        "claimant:x", "tag:x"), each once; worked out once per fact-check (every claim page
        asks, and _sharing asks of every fact-check)."""
        found = self._keys_of.get(claim.id)
        if found is None:
            keys = [f"measure:{claim.figure.measure}"] if claim.figure else []
            keys += (f"passage:{passage}" for passage in self._passages(claim))
            keys.append(f"claimant:{claim.claimant_slug}")
            keys += (f"tag:{tag}" for tag in claim.tags)
            found = self._keys_of[claim.id] = list(dict.fromkeys(keys))
        return found

    def _shared_keys(self, claim: Claim) -> list[str]:
        """The keys of a fact-check that another one has too: the others choose nothing."""
        return [key for key in self._keys(claim) if len(self._sharing[key]) > 1]

    @cached_property
    def _sharing(self) -> dict[str, list[Claim]]:
        """The fact-checks having each key, newest first: one pass over the site."""
        groups: dict[str, list[Claim]] = defaultdict(list)
        for claim in self.claims:
            for key in self._keys(claim):
                groups[key].append(claim)
        return groups

    def _passages(self, claim: Claim) -> list[str]:
        """The highlighted passages ("source#q-12") a fact-check quotes, and those its
        quotation groups' other wordings fall in (quoted by some other fact-check)."""
        found = [f"{ref.source}#{self.analysis.fragments[ref]}" for ref in claim.quotes()]
        for quotation in self.found.quotations_of(claim):
            for wording in quotation.wordings:
                mark = self._mark_at(wording.source.id, wording.start, wording.end)
                if mark:
                    found.append(f"{wording.source.id}#{mark}")
        return found

    def _mark_at(self, sid: str, start: int, end: int) -> str:
        """The id of the first highlight of a source overlapping [start, end), or ""."""
        marks = self.analysis.highlights.get(sid, [])
        if sid not in self.mark_starts:
            self.mark_starts[sid] = [h.start for h in marks]
        # Highlights are merged, so they do not overlap: sorted by start, by end too.
        index = bisect_left(self.mark_starts[sid], end) - 1
        while index > 0 and marks[index - 1].end > start:
            index -= 1
        return marks[index].id if index >= 0 and marks[index].end > start else ""

    # Share cards.

    def _card_arguments(self, claim: Claim) -> tuple[str, ...]:
        """What a card is drawn from: card_png's arguments, in its order."""
        rating = claim.rating
        colour = self.colours[rating.id]
        site = self.site
        return (claim.claim, claim.claimant, rating.label, colour, site.title, *self.script)

    def _card_refusal(self, claim: Claim) -> str:
        """Why the fact-check has no card (see load.content._check_card), or ""."""
        texts = (claim.claim, claim.claimant, claim.rating.label, self.site.title)
        return cards.refusal(texts, self.direction)

    def _share_card(self, claim: Claim) -> ShareCard | None:
        if self._card_refusal(claim):
            return None
        url = urls.absolute(urls.card(claim), self.site.base_url)
        alt = cards.alt_text(claim.claim, claim.claimant, claim.rating.label, self.ui)
        return ShareCard(url, alt)

    def card_files(self) -> list[File]:
        """The share card of every fact-check that can have one, made by the write stage's
        workers like the pages (about 20 ms each)."""
        return [
            File(
                urls.card(claim),
                self._card_shows(claim),
                partial(_card_png, self._card_arguments(claim), claim.where),
            )
            for claim in self.claims
            if not self._card_refusal(claim)
        ]

    def search_files(self, index: search.Index) -> list[File]:
        """The search bundle (see search.py), made now: its files' names are digests of their
        contents. Each file shows its own bytes, so an edit that changes no record, or only
        some of the index, leaves the other files as they are. A bundle Pagefind could not
        make is one file whose making reports why."""
        records = search.records(self.content, self._shown_date)
        try:
            bundle = index(records, search.index_language(self.site.language))
        except search.SearchError as error:
            problem = Problem(
                Location(search.SCRIPT, 0, 0),
                f"cannot build the search index: {error}",
                "install the locked requirements: pip install -r requirements.txt",
            )
            failed = Reads(values=str(error), page=False)
            return [File(search.SCRIPT, failed, partial(_raise, problem))]
        return [
            File(path, Reads(values=digest, page=False), make)
            for path, digest, make in search.files_of(bundle)
        ]

    def _shown_date(self, claim: Claim) -> str:
        return self.env.filters["date"](claim.published)

    def rating_feeds(self) -> list[File]:
        """Each rating's Atom feed, made like feed.xml from its newest entries only. A rating
        no fact-check has yet has none (a feed without entries would have no date to give)."""
        files = []
        for rating in self.site.ratings:
            if not self.by_rating[rating.id]:
                continue
            entries = publish.feed_entries(self.site, self.by_rating[rating.id], self.ui)
            path = urls.rating_feed(rating)
            title = self.ui.text("feed.rating", site=self.site.title, rating=rating.label)
            make = partial(publish.feed, self.site, entries, path, title, urls.rating(rating))
            files.append(File(path, Reads(values=[repr(entry) for entry in entries]), make))
        return files

    def _paragraphs(self, source: Source, marks: list[passages.Highlight]) -> list[ParagraphView]:
        segments = passages.paragraph_segments(source, marks)
        views = []
        for paragraph, runs in zip(source.paragraphs, segments, strict=True):
            starting = [h for h in marks if paragraph.start <= h.start < paragraph.end]
            cited = [c for h in starting for ref in h.refs for c in self.citations[ref]]
            views.append(ParagraphView(paragraph.number, runs, list(dict.fromkeys(cited))))
        return views

    def _sentences(self, source: Source) -> passages.Sentences:
        """The source's sentences, split once, when a page first quotes it."""
        if source.id not in self.sentences:
            self.sentences[source.id] = passages.sentences(source)
        return self.sentences[source.id]

    def _rating_counts(self, claims: list[Claim]) -> list[tuple[Rating, int]]:
        counts = Counter(c.rating.id for c in claims)
        return [(r, counts[r.id]) for r in self.site.ratings]

    def _sorted_sources(self) -> list[Source]:
        return sorted(self.content.sources.values(), key=lambda s: s.id)


def _rating_colours(site: Site, theme: Path) -> dict[str, str]:
    """Each rating's band colour on its card: its badge's tone in the theme's stylesheet (the
    shipped theme's when the site's own names no tones), by rating id."""
    tones: dict[int, str] = {}
    for folder in (theme, DEFAULT_THEME):
        sheet = folder / "static" / "style.css"
        if not tones and sheet.is_file():
            tones = cards.theme_tones(sheet.read_text(encoding="utf-8"))
    steps = len(site.ratings)
    return {r.id: tones.get(cards.tone(r.value, steps), cards.MUTED) for r in site.ratings}


def _raise(problem: Problem) -> bytes:
    raise problem


def _card_png(arguments: tuple[str, ...], where: Location) -> bytes:
    """A share card; a text it cannot draw (which the loader warned of) as an error there."""
    claim, claimant, label, colour, title, direction, language = arguments
    try:
        return cards.card_png(
            claim,
            claimant,
            label,
            colour,
            title,
            direction,
            language,  # type: ignore[arg-type]
        )
    except cards.CardError as error:
        raise Problem(where, f"cannot draw the share card: {error}") from None


def _page_values(page: Page | None) -> object:
    """What a page written in Markdown shows: its text and metadata (None when absent)."""
    if page is None:
        return None
    return (page.slug, page.title, page.description, page.body)


def _has_submit_page(content: Content) -> bool:
    return bool(content.site.submit_url) or "submit" in content.intros


def _footer_links(content: Content, ui: Interface) -> list[tuple[str, str]]:
    """(URL path, link text) of the pages every footer links to: what a fact-checker shows
    about itself (corrections, methodology, who it is, how to reach it), those that exist."""
    links = [
        (urls.CORRECTIONS, ui.text("title.corrections")),
        (urls.METHODOLOGY, ui.text("title.methodology")),
    ]
    about = next((p for p in content.pages if p.slug == "about"), None)
    if about is not None:
        links.append((urls.page(about), about.title))
    if _has_submit_page(content):
        intro = content.intros.get("submit")
        links.append((urls.SUBMIT, intro.title if intro else ui.text("title.submit")))
    return links


def _group(claims: list[Claim], keys: Any) -> dict[str, list[Claim]]:
    """Claims grouped by each key `keys(claim)` yields, groups sorted by key."""
    groups: dict[str, list[Claim]] = defaultdict(list)
    for claim in claims:
        for key in keys(claim):
            groups[key].append(claim)
    return dict(sorted(groups.items()))


def _citing(claims: list[Claim]) -> dict[str, list[Claim]]:
    """The fact-checks quoting each source, by source id, in the order of `claims`."""
    result: dict[str, list[Claim]] = defaultdict(list)
    for claim in claims:
        for sid in dict.fromkeys(ref.source for ref in claim.quotes()):
            result[sid].append(claim)
    return result


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


class _Cards:
    """Fact-checks' cards in lists (the theme's claim_card macro, which its claim_list macro
    calls as `card`), each made once for all the pages that show it alike.

    The newest fact-checks of each topic are the related fact-checks of many claim pages.
    A macro sees nothing but its arguments (macros.html is imported without context): a card
    shows its fact-check, the site's rating scale and links relative to the page's folder
    (urls.Links), so within one build (one environment, one site) a fact-check's card is the
    same on every page with the same link prefix and heading level.
    """

    # Cards kept at most, so that the memo's memory stays bounded on a large site: when full,
    # it is emptied and starts again (the cards worth keeping, the newest fact-checks of each
    # topic, are soon made again).
    LIMIT = 5000

    def __init__(self, env: jinja2.Environment) -> None:
        self.env = env
        self.made: dict[tuple[str, str, int], Markup] = {}

    def __call__(self, claim: Claim, site: Site, link: urls.Links, level: int = 2) -> Markup:
        key = (claim.id, link.prefix, level)
        card = self.made.get(key)
        if card is None:
            if len(self.made) >= self.LIMIT:
                self.made.clear()
            card = self.made[key] = self.claim_card(claim, site, link, level)
        return card

    @cached_property
    def claim_card(self) -> Callable[..., Markup]:
        """The macro, from the theme's macros.html (loaded when a page first lists a card)."""
        return self.env.get_template("macros.html").module.claim_card  # type: ignore[attr-defined]


def _load_templates(env: jinja2.Environment) -> None:
    """Load (compile) every template now, in the build's process: the workers that make the
    pages are forked from it and share them, instead of each compiling its own. A template
    that fails is left to fail again, with its location, when a page using it is made."""
    for name in env.list_templates(filter_func=lambda name: name.endswith(".html")):
        with contextlib.suppress(jinja2.TemplateError):
            env.get_template(name)


def _environment(
    theme: Path, compiled: jinja2.BytecodeCache | None, ui: Interface, language: str
) -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(theme / "templates"),
        bytecode_cache=compiled,
        # Each build makes its own environment: its templates need not be checked on disk
        # again at every page (a check per template a page uses).
        auto_reload=False,
        autoescape=True,  # every template, whatever its file name
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    # The interface's texts (see i18n.py): t("key", count=n, name=value) as HTML, its values
    # escaped but for markup (a link made with {% set %}); t_hidden, the same with its words
    # for screen readers only. Dates and numbers the language's way.
    env.globals["t"] = ui.markup
    env.globals["t_hidden"] = ui.hidden
    env.globals["t_forms"] = ui.forms
    env.globals["ui"] = ui
    env.globals["quoted_lang"] = partial(_quoted_lang, language)
    env.filters["date"] = ui.date
    env.filters["bdi"] = _isolated
    env.globals["card"] = _Cards(env)
    return env


def _isolated(text: object) -> Markup:
    """A name or a figure's words inside a sentence, isolated (<bdi>): one written right to left
    in a left-to-right sentence, or the reverse, keeps its own order and does not pull the
    sentence's punctuation or numbers into it. (Not Markup.format: a discrepancy page isolates
    four names a pair, and its formatter costs ten times the escape.)"""
    return Markup(f"<bdi>{escape(text)}</bdi>")


def _quoted_lang(site_language: str, source: Source) -> Markup:
    """The attributes of a quotation from a source in another language than the site's: its
    lang, and its direction when that differs too (so that a left-to-right quotation in an
    Arabic page, or the reverse, is laid out on its own); none for the site's language."""
    tag = source.language
    if not tag or languages.primary(tag) == languages.primary(site_language):
        return Markup("")
    attributes = f' lang="{escape(tag)}"'
    direction = cards.site_direction(tag)
    if direction != cards.site_direction(site_language):
        attributes += f' dir="{direction}"'
    return Markup(attributes)
