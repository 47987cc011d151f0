"""Content: turn validated files into the typed model, checking every reference between them."""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, TypeVar

from .. import urls
from ..config import DEFAULT_RATINGS, Options
from ..diagnostics import Diagnostics, Location
from ..model import (
    FEED_SIZE,
    PAGE_SIZE,
    Claim,
    Content,
    Correction,
    Evidence,
    Figure,
    Measure,
    Page,
    Publisher,
    QuoteRef,
    Rating,
    Site,
    Source,
)
from ..render import cards
from . import sources as archive
from . import validate
from .loader import RawContent, YList, YMap

if TYPE_CHECKING:
    from ..analyse.discrepancies import Quotation

T = TypeVar("T")

# ClaimReview's guideline: "Try to keep this less than 75 characters".
CLAIM_LENGTH = 75

# URL paths the generator writes itself; a Markdown page cannot take one of them.
RESERVED_SLUGS = {
    "claims",
    "sources",
    "claimants",
    "tags",
    "ratings",
    "methodology",
    "discrepancies",
    "static",
    "404",
}

# Markdown pages that do not become pages of their own, but open the page the generator builds
# at the same address: the corrections policy above the log of every correction, and how to
# submit a claim (above the link from site.yaml's submit_url, if any).
INTRO_PAGES = {"corrections", "submit"}

# Measure pages share discrepancies/ with the quotation pages, which live in discrepancies/quotes/.
RESERVED_MEASURES = {"quotes"}


@dataclass(frozen=True)
class Prebuilt:
    """Model objects made earlier from files the loader was told to skip (unchanged since), by
    file stem: the model is made of them and of the files read now."""

    sources: dict[str, Source] = field(default_factory=dict)
    measures: dict[str, Measure] = field(default_factory=dict)
    claims: dict[str, Claim] = field(default_factory=dict)


def build(
    raw: RawContent, options: Options, diags: Diagnostics, reused: Prebuilt | None = None
) -> Content | None:
    """Build the model from the files that passed validation; None without usable site settings.

    When other files have errors, the model holds what could be built, so that the next stage
    still checks its quotations and every problem is reported at once; the caller stops there.
    `reused` holds the objects of the files the loader skipped.
    Checks across files are left to check_claimants and check_paths.
    """
    site = _site(raw, options, diags)
    measures = {mid: m for mid, data in raw.measures.items() if (m := _measure(mid, data, diags))}
    measures = _with(reused.measures if reused else {}, measures)
    sources = {sid: s for sid, data in raw.sources.items() if (s := _source(sid, data, raw, diags))}
    sources = _with(reused.sources if reused else {}, sources)
    claims = {
        cid: c
        for cid, data in raw.claims.items()
        if (c := _claim(cid, data, raw, site, sources, measures, diags))
    }
    claims = _with(_references_found(reused.claims, sources, measures) if reused else {}, claims)
    pages = tuple(p for slug, md in raw.pages.items() if (p := _page(slug, md, raw, diags)))
    if site is None:
        return None
    intros = {p.slug: p for p in pages if p.slug in INTRO_PAGES}
    pages = tuple(p for p in pages if p.slug not in INTRO_PAGES)
    return Content(site, sources, tuple(claims.values()), pages, measures, intros)


def _references_found(
    claims: dict[str, Claim], sources: dict[str, Source], measures: dict[str, Measure]
) -> dict[str, Claim]:
    """The reused claims whose sources and measure are still there: like _claim, a claim citing
    a source or measure whose own file has errors is left out (that file's errors say why)."""
    return {
        cid: claim
        for cid, claim in claims.items()
        if all(ref.source in sources for ref in claim.quotes())
        and (claim.figure is None or claim.figure.measure in measures)
    }


def _with(reused: dict[str, T], built: dict[str, T]) -> dict[str, T]:
    """The objects built now and those reused, by file stem, in the order of their file names,
    as if all had been built now."""
    if not reused:
        return built
    merged = {**reused, **built}
    return {stem: merged[stem] for stem in sorted(merged, key=lambda stem: f"{stem}.yaml")}


def _where(raw: RawContent, folder: str, stem: str, suffix: str = ".yaml") -> Location:
    return Location(f"content/{folder}/{stem}{suffix}", 1, 1)


def _site(raw: RawContent, options: Options, diags: Diagnostics) -> Site | None:
    data = raw.site
    if data is None:
        return None
    base_url = options.base_url or data["base_url"]
    if options.base_url and not validate.is_valid("url", options.base_url):
        diags.error(Location("--base-url"), f"not an http(s) address: {options.base_url!r}")
        return None
    publisher = data["publisher"]
    ratings = _ratings(data.get("ratings"), diags)
    return Site(
        title=data["title"],
        description=data.get("description", ""),
        base_url=base_url.rstrip("/") + "/",
        language=data.get("language", "en"),
        publisher=Publisher(publisher["name"], publisher.get("url", base_url)),
        ratings=ratings,
        submit_url=data.get("submit_url", ""),
        # int(): the schema also accepts a whole number written 2.0.
        page_size=int(data.get("page_size", PAGE_SIZE)),
        feed_size=int(data.get("feed_size", FEED_SIZE)),
    )


def _ratings(data: YList | None, diags: Diagnostics) -> tuple[Rating, ...]:
    """The scale, best first; the worst gets value 1 and the best len(scale)."""
    rows = [(r["id"], r["label"], r["description"]) for r in data] if data else DEFAULT_RATINGS
    seen: set[str] = set()
    for i, (rating_id, _, _) in enumerate(rows):
        if rating_id in seen and data is not None:
            diags.error(data.item_locs[i], f"rating id '{rating_id}' is used twice")
        seen.add(rating_id)
    count = len(rows)
    return tuple(Rating(rid, label, desc, count - i) for i, (rid, label, desc) in enumerate(rows))


def _source(sid: str, data: Any, raw: RawContent, diags: Diagnostics) -> Source | None:
    where = _where(raw, "sources", sid)
    if not _check_id(sid, where, "source", diags):
        return None
    found = archive.read_archive(raw.root, data, diags)
    snapshot = archive.read_snapshot(raw.root, data, diags)
    wants_snapshot = "snapshot" in data or "snapshot_sha256" in data
    if found is None or (wants_snapshot and snapshot is None):
        return None
    return Source(
        id=sid,
        file=data["file"],
        outlet=data.get("outlet", ""),
        title=data["title"],
        published=data.get("published"),
        author=data.get("author", ""),
        url=data.get("url", ""),
        sha256=found.sha256,
        note=data.get("note", ""),
        text=found.text,
        paragraphs=found.paragraphs,
        where=where,
        language=data.get("language", ""),
        snapshot=snapshot,
        captured=data.get("captured"),
        archive_url=data.get("archive_url", ""),
    )


def _check_id(stem: str, where: Location, kind: str, diags: Diagnostics) -> bool:
    """A file stem becomes a URL path, so it must be a lowercase slug."""
    if validate.SLUG.match(stem):
        return True
    diags.error(
        Location(where.path),
        f"{kind} id '{stem}' (the file name) is not a lowercase slug",
        f"rename the file to {validate.slugify(stem)}{where.path[where.path.rfind('.') :]}",
    )
    return False


def _claim(
    cid: str,
    data: Any,
    raw: RawContent,
    site: Site | None,
    sources: dict[str, Source],
    measures: dict[str, Measure],
    diags: Diagnostics,
) -> Claim | None:
    where = _where(raw, "claims", cid)
    ok = _check_id(cid, where, "claim", diags)
    figure = _figure(data.get("figure"), raw, measures, diags)
    ok &= "figure" not in data or figure is not None
    appearances = tuple(_quote(q, raw, sources, diags) for q in data["appearances"])
    evidence = tuple(_evidence(e, raw, sources, diags) for e in data.get("evidence", []))
    ok &= _check_rating(data, site, diags)
    _check_claim_length(data, diags)
    if ok and site is not None:
        _check_card(data, site, diags)
    if not ok or site is None or None in appearances or None in evidence:
        return None
    return Claim(
        id=cid,
        claim=data["claim"].strip(),
        claimant=data["claimant"].strip(),
        claimant_slug=validate.name_slug(data["claimant"]),
        claimant_type=data.get("claimant_type", "person"),
        date=data.get("date"),
        appearances=appearances,  # type: ignore[arg-type]
        rating=site.rating(data["rating"]),
        summary=data["summary"].strip(),
        analysis=data["analysis"],
        evidence=evidence,  # type: ignore[arg-type]
        tags=tuple(dict.fromkeys(data.get("tags", []))),
        published=data["published"],
        corrections=tuple(
            sorted(
                (Correction(c["date"], c["text"].strip()) for c in data.get("corrections", [])),
                key=lambda c: c.date,
                reverse=True,
            )
        ),
        figure=figure,
        where=where,
    )


def _measure(mid: str, data: YMap, diags: Diagnostics) -> Measure | None:
    where = Location(f"content/measures/{mid}.yaml", 1, 1)
    if not _check_id(mid, where, "measure", diags):
        return None
    if mid in RESERVED_MEASURES:
        diags.error(
            where,
            f"measure name '{mid}' is taken by the quotation pages",
            "rename the file, e.g. to quotes-count.yaml",
        )
        return None
    return Measure(mid, data["title"], data["unit"], data["description"].strip(), where)


def _figure(
    data: YMap | None, raw: RawContent, measures: dict[str, Measure], diags: Diagnostics
) -> Figure | None:
    """A claim's figure, whose measure must exist; its unit defaults to the measure's."""
    if data is None:
        return None
    measure = measures.get(data["measure"])
    if measure is None:
        if not raw.exists("measures", data["measure"]):
            # Those read now and those reused from the last build (not read again).
            known = ", ".join(sorted({*raw.measures, *measures})) or "none yet"
            diags.error(
                data.where("measure"),
                f"unknown measure '{data['measure']}'",
                f"measures are the files in content/measures/: {known}",
            )
        return None
    return Figure(
        measure=measure.id,
        value=float(data["value"]),
        bound=data["bound"],
        unit=data.get("unit", measure.unit),
        counted=data.get("counted", "").strip(),
        scope=data.get("scope", "").strip(),
        where=data.loc,
    )


def _quote(
    data: YMap, raw: RawContent, sources: dict[str, Source], diags: Diagnostics
) -> QuoteRef | None:
    """A quotation whose source exists; it is anchored later, in the analysis stage."""
    if data["source"] not in sources:
        if not raw.exists("sources", data["source"]):
            known = ", ".join(sorted({*raw.sources, *sources})) or "none yet"
            diags.error(
                data.where("source"),
                f"unknown source '{data['source']}'",
                f"sources are the files in content/sources/: {known}",
            )
        return None
    return QuoteRef(
        data["source"],
        data["quote"],
        # JSON Schema counts 2.0 as a whole number; the anchoring counts with ints.
        None if data.get("occurrence") is None else int(data["occurrence"]),
        data.get("prefix", ""),
        data.where("quote"),
    )


def _evidence(
    data: YMap, raw: RawContent, sources: dict[str, Source], diags: Diagnostics
) -> Evidence | None:
    # The schema makes it one or the other: a quotation (source, quote) or a link (url, title).
    note = data.get("note", "").strip()
    if "url" in data:
        return Evidence(None, data["url"], data["title"], note)
    quote = _quote(data, raw, sources, diags)
    return Evidence(quote, "", "", note) if quote else None


def _check_rating(data: YMap, site: Site | None, diags: Diagnostics) -> bool:
    if site is None or any(r.id == data["rating"] for r in site.ratings):
        return True
    ids = ", ".join(r.id for r in site.ratings)
    diags.error(data.where("rating"), f"unknown rating '{data['rating']}'", f"use one of: {ids}")
    return False


def _check_claim_length(data: YMap, diags: Diagnostics) -> None:
    length = len(data["claim"].strip())
    if length > CLAIM_LENGTH:
        diags.warning(
            data.where("claim"),
            f"claim is {length} characters, over the {CLAIM_LENGTH} that ClaimReview recommends",
            "shorten it; the full wording belongs in the appearances",
        )


def _check_card(data: YMap, site: Site, diags: Diagnostics) -> None:
    """Warn when the fact-check's share card cannot be drawn (a script its font lacks): its
    page is then published without one, rather than with a card of empty boxes. Checked here,
    where the claim's line is known, with what the renderer asks too (cards.refusal)."""
    texts = (data["claim"], data["claimant"], site.rating(data["rating"]).label, site.title)
    why = cards.refusal(texts, cards.site_direction(site.language))
    if why:
        diags.warning(
            data.where("claim"),
            f"this fact-check gets no share card: {why}",
            "its page is published without an image for link previews (og:image); "
            "the card's font covers Latin, Greek, Cyrillic, Hebrew and Arabic",
        )


def _page(slug: str, md: Any, raw: RawContent, diags: Diagnostics) -> Page | None:
    where = _where(raw, "pages", slug, ".md")
    if not _check_id(slug, where, "page", diags):
        return None
    if slug in RESERVED_SLUGS:
        diags.error(
            where,
            f"page name '{slug}' is taken by a section the generator builds",
            f"rename the file; reserved names: {', '.join(sorted(RESERVED_SLUGS))}",
        )
        return None
    return Page(slug, md.meta["title"], md.meta.get("description", ""), md.body, where)


def check_claimants(claims: tuple[Claim, ...], diags: Diagnostics) -> None:
    """Warn when one claimant page would gather names spelled differently."""
    spelling: dict[str, Claim] = {}
    for claim in claims:
        first = spelling.setdefault(claim.claimant_slug, claim)
        if first.claimant != claim.claimant:
            diags.warning(
                claim.where,
                f"claimant '{claim.claimant}' is spelled '{first.claimant}' in {first.where.path}",
                "spell the name the same way in every claim",
            )


def check_paths(content: Content, quotations: Iterable[Quotation], diags: Diagnostics) -> None:
    """Report two pages that would be written to one path: the second would silently replace
    the first. Paths are compared as a case-insensitive file system (macOS, Windows) sees them."""
    owners: dict[str, tuple[str, Location]] = {}
    for path, what, where in _owned_pages(content, quotations):
        key = unicodedata.normalize("NFC", path).casefold()
        if key not in owners:
            owners[key] = (what, where)
            continue
        first, first_where = owners[key]
        diags.error(
            where,
            f"{what} would be written to {path}, where {first} ({first_where.path}) is written",
            "rename one of the two files so that their addresses differ",
        )


def _owned_pages(
    content: Content, quotations: Iterable[Quotation]
) -> Iterator[tuple[str, str, Location]]:
    """(URL path, what it shows, the file it comes from) for each page one content file owns.

    Claimant and topic pages are left out: claims share them on purpose.
    """
    for claim in content.claims:
        yield urls.claim(claim), f"claim '{claim.id}'", claim.where
    for source in content.sources.values():
        yield urls.source(source), f"source '{source.id}'", source.where
    for page in content.pages:
        yield urls.page(page), f"page '{page.slug}'", page.where
    for measure in content.measures.values():
        yield urls.measure(measure), f"measure '{measure.id}'", measure.where
    for quotation in quotations:
        what = f"a quotation page of claim '{quotation.claim.id}'"
        yield urls.quotation(quotation), what, quotation.claim.where
