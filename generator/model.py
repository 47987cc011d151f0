"""Model: the typed, frozen data that every stage after validation works on."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from .diagnostics import Location, Slotted

if TYPE_CHECKING:
    from .i18n import Interface

# When site.yaml does not say: how many fact-checks a list page (home, claimant, topic) shows,
# and how many entries the feed carries. Lists of thousands would weigh megabytes on a phone, and
# remaking them (and the feed) after every edit would cost as much as the edit itself.
PAGE_SIZE = 50
FEED_SIZE = 50


@dataclass(frozen=True)
class Rating:
    """One step of the rating scale."""

    # Slug used in claim files ("mostly-accurate").
    id: str
    # What readers see ("Mostly accurate").
    label: str
    # What the rating means, shown on claim pages and the methodology page.
    description: str
    # Numeric value for ClaimReview: the worst rating is 1, the best is len(scale).
    value: int


@dataclass(frozen=True)
class Publisher:
    """The organisation that publishes the fact-checks (ClaimReview `author`)."""

    # Its name.
    name: str
    # Its home page; the site's own address when not given.
    url: str


@dataclass(frozen=True)
class Site:
    """Site-wide settings from content/site.yaml."""

    # Site title, shown in the header and in <title>.
    title: str
    # One-sentence description for the home page and meta tags.
    description: str
    # Absolute address where the site is published, always ending in "/".
    base_url: str
    # Language tag for <html lang>.
    language: str
    # Who publishes the fact-checks.
    publisher: Publisher
    # The rating scale, best first.
    ratings: tuple[Rating, ...]
    # Where readers submit a claim to check (mailto: or http(s)); "" when not given.
    submit_url: str = ""
    # Fact-checks per list page; longer lists continue on <list>/page/2/, page/3/ ...
    page_size: int = PAGE_SIZE
    # Entries of the Atom feed: the newest fact-checks and corrections.
    feed_size: int = FEED_SIZE

    def rating(self, rating_id: str) -> Rating:
        return next(r for r in self.ratings if r.id == rating_id)


@dataclass(frozen=True, slots=True)
class Paragraph(Slotted):
    """One paragraph of an archived article (one non-empty line of the text file)."""

    # 1-based position among the article's paragraphs; the page anchor is "p<number>".
    number: int
    # Character offset of its first character in the archived text.
    start: int
    # Character offset just past its last character.
    end: int


@dataclass(frozen=True)
class Source:
    """An archived article, from content/sources/<id>.yaml and its file in seeds/."""

    # File stem of the YAML file.
    id: str
    # Path of the archived text relative to seeds/.
    file: str
    # Publication name, when the archive names it.
    outlet: str
    # Headline.
    title: str
    # Publication date, when known.
    published: dt.date | None
    # Byline, when known.
    author: str
    # Address of the original article, when known (never guessed).
    url: str
    # SHA-256 of the archived file, as verified at this build.
    sha256: str
    # Editor's note about the archive.
    note: str
    # The archived text, decoded, with line endings normalised to "\n".
    text: str
    # The text split into paragraphs.
    paragraphs: tuple[Paragraph, ...]
    # Where the YAML file is, for diagnostics.
    where: Location
    # Language tag of the article, when known ("" otherwise: the site's language applies).
    language: str = ""
    # The page as served, when it was captured (python build.py new source URL).
    snapshot: Snapshot | None = None
    # When the snapshot was fetched, as the editor records it.
    captured: dt.date | None = None
    # A public archive copy (the Wayback Machine, archive.today), when the editor adds one.
    archive_url: str = ""


@dataclass(frozen=True)
class Snapshot:
    """A source's page as served, from its WARC file in seeds/, verified at this build."""

    # Path of the WARC file relative to seeds/.
    file: str
    # SHA-256 of the WARC file.
    sha256: str
    # The address the page was fetched from (after redirects), as the WARC records it.
    page_url: str
    # The HTTP status of the page (200), or None for a page saved from a browser.
    status: int | None
    # When the page was fetched, as the WARC records it (ISO 8601, UTC).
    fetched: str
    # SHA-256 and size of the page's HTML as served (the WARC record's payload).
    html_sha256: str
    html_size: int


@dataclass(frozen=True)
class QuoteRef:
    """A quotation as written in a claim file, before it is found in its source."""

    # Id of the source it quotes.
    source: str
    # The quotation; "..." marks an elision.
    text: str
    # Picks the n-th match (1-based) when the quotation occurs several times.
    occurrence: int | None
    # Text that must come right before the quotation, to pick one match.
    prefix: str
    # Where the quote is written, for diagnostics.
    where: Location

    def __hash__(self) -> int:
        # Anchors, highlights and citations are dicts keyed by quotations, looked up many times
        # per quotation: the hash is computed once per object. It is left out of pickles,
        # since string hashes differ from one process to the next.
        cached = self.__dict__.get("_hash")
        if cached is None:
            cached = self.__dict__["_hash"] = hash(
                (self.source, self.text, self.occurrence, self.prefix, self.where)
            )
        return cached

    def __getstate__(self) -> dict[str, object]:
        return {k: v for k, v in self.__dict__.items() if k != "_hash"}


# The classes a site has one or more of per quotation, claim or paragraph have slots: with tens
# of thousands of claims, an attribute dict each would add about 20 MB.


@dataclass(frozen=True, slots=True)
class Anchor(Slotted):
    """Where a quotation was found: character spans in the archived text, one per elided part."""

    # Id of the source.
    source: str
    # (start, end) offsets into Source.text, in reading order.
    spans: tuple[tuple[int, int], ...]

    @property
    def start(self) -> int:
        return self.spans[0][0]

    @property
    def end(self) -> int:
        return self.spans[-1][1]


@dataclass(frozen=True, slots=True)
class Evidence(Slotted):
    """One piece of evidence: a verified quotation, or a link to an outside document."""

    # The quotation from an archived source, or None for an outside link.
    quote: QuoteRef | None
    # Outside address, or "".
    url: str
    # Title of the outside document, or "".
    title: str
    # What this evidence shows.
    note: str


@dataclass(frozen=True, slots=True)
class Correction(Slotted):
    """A dated correction, shown at the top of the fact-check."""

    # When the correction was made.
    date: dt.date
    # What was corrected.
    text: str


@dataclass(frozen=True)
class Measure:
    """A quantity several claims give figures for, from content/measures/<id>.yaml."""

    # File stem; the page is /discrepancies/<id>/.
    id: str
    # What is measured ("People whose Facebook data was obtained").
    title: str
    # Unit of its figures ("users").
    unit: str
    # What the quantity is and why its figures differ, in a sentence or two.
    description: str
    # Where the file is, for diagnostics.
    where: Location


@dataclass(frozen=True, slots=True)
class Figure(Slotted):
    """The figure a claim gives for a measure."""

    # Id of the measure.
    measure: str
    # The number, e.g. 87000000.
    value: float
    # exact, about, at-least or at-most (see figures.py).
    bound: str
    # Unit, the measure's unit when not given.
    unit: str
    # What exactly is counted, when it differs between figures ("" = not stated).
    counted: str
    # Where or to whom the figure applies ("worldwide", "Australia"; "" = not stated).
    scope: str
    # Where the figure is written, for diagnostics.
    where: Location


@dataclass(frozen=True, slots=True)
class Claim(Slotted):
    """One fact-check, from content/claims/<id>.yaml."""

    # File stem; the page is /claims/<id>/.
    id: str
    # The statement checked, in neutral words.
    claim: str
    # Who made it.
    claimant: str
    # Slug of the claimant page.
    claimant_slug: str
    # "person" or "organization", for ClaimReview.
    claimant_type: str
    # When the claim was made, when known.
    date: dt.date | None
    # Where the claim appears: quotations from archived sources.
    appearances: tuple[QuoteRef, ...]
    # The verdict.
    rating: Rating
    # The verdict in one or two sentences.
    summary: str
    # The analysis, as Markdown source.
    analysis: str
    # Supporting evidence.
    evidence: tuple[Evidence, ...]
    # Tag slugs.
    tags: tuple[str, ...]
    # When the fact-check was published.
    published: dt.date
    # Corrections, newest first.
    corrections: tuple[Correction, ...]
    # The figure the claim gives, if it gives one for a measure.
    figure: Figure | None
    # Where the claim file is, for diagnostics.
    where: Location

    @property
    def modified(self) -> dt.date:
        """The date of the latest correction, or the publication date."""
        return max([self.published, *(c.date for c in self.corrections)])

    def quotes(self) -> tuple[QuoteRef, ...]:
        """Every quotation the fact-check uses, appearances first."""
        return self.appearances + tuple(e.quote for e in self.evidence if e.quote)


@dataclass(frozen=True)
class Page:
    """A Markdown page from content/pages/<slug>.md."""

    # File stem; the page is /<slug>/.
    slug: str
    # Page title.
    title: str
    # Optional one-sentence description.
    description: str
    # Markdown body.
    body: str
    # Where the file is, for diagnostics.
    where: Location


@dataclass(frozen=True)
class Content:
    """Everything the site is made from, loaded, validated and cross-checked."""

    site: Site
    sources: dict[str, Source]
    claims: tuple[Claim, ...]
    pages: tuple[Page, ...]
    measures: dict[str, Measure]
    # Markdown pages that open a generated page instead of being pages of their own, by slug:
    # "corrections" (the policy, above the log of corrections), "submit" (how to submit a claim).
    intros: dict[str, Page] = field(default_factory=dict)
    # The interface's texts in the site's language, from the theme's translation tables (None
    # until they are read, or when they are incomplete: the build stops then).
    interface: Interface | None = None
