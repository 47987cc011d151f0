"""Publish: the machine-readable outputs: sitemap, robots.txt, Atom feed, claims.json.

Every address in them is absolute (base_url + path), since they are read out of context by
crawlers, feed readers and scripts. Every date comes from the content (a fact-check's
publication and corrections), never from the clock, so two builds of the same content give
the same bytes. XML is built with ElementTree, which escapes all text; JSON with json.dumps.
"""

from __future__ import annotations

import datetime as dt
import heapq
import json
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from functools import partial
from typing import Any

from .. import urls
from ..analyse.anchoring import Analysis
from ..i18n import Interface
from ..model import Claim, Content, Figure, QuoteRef, Site, Source

SITEMAP = "sitemap.xml"
ROBOTS = "robots.txt"
FEED = "feed.xml"
CLAIMS_JSON = "claims.json"
# Tells GitHub Pages not to run Jekyll, which would drop paths starting with "_". Only needed when
# publishing from a branch; the Actions workflow's artifact leaves it out, which is harmless.
NOJEKYLL = ".nojekyll"

SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"
# Where a sitemap gives a page's language: an xhtml:link alternate with its hreflang (the form
# search engines read; a sitemap has no language element of its own).
XHTML_NS = "http://www.w3.org/1999/xhtml"
ATOM_NS = "http://www.w3.org/2005/Atom"
XML_NS = "http://www.w3.org/XML/1998/namespace"
# Bumped when a key of claims.json changes meaning or disappears (adding keys does not).
CLAIMS_JSON_VERSION = 1


def outputs(
    content: Content,
    analysis: Analysis,
    pages: Iterable[str],
    dates: Mapping[str, dt.date],
    entries: Sequence[Entry],
) -> dict[str, Callable[[], bytes | Iterator[bytes]]]:
    """Every machine-readable file, by output path, as a function that makes it; `pages` are
    the URL paths of the HTML pages, `dates` their page_dates, `entries` the feed's
    (feed_entries)."""
    site = content.site
    return {
        SITEMAP: partial(sitemap, site, pages, dates),
        ROBOTS: partial(robots, site),
        FEED: partial(feed, site, entries),
        CLAIMS_JSON: partial(claims_json, content, analysis),
        NOJEKYLL: lambda: b"",
    }


# Sitemap.


def sitemap(site: Site, pages: Iterable[str], dates: Mapping[str, dt.date]) -> bytes:
    """sitemaps.org <urlset>: every page but 404.html, with lastmod where content dates it
    (`dates`: see page_dates) and its language as an xhtml:link hreflang."""
    urlset = ET.Element("urlset", {"xmlns": SITEMAP_NS, "xmlns:xhtml": XHTML_NS})
    for path in sorted(set(pages) - {urls.NOT_FOUND}):
        url = ET.SubElement(urlset, "url")
        address = urls.absolute(path, site.base_url)
        ET.SubElement(url, "loc").text = address
        if path in dates:
            ET.SubElement(url, "lastmod").text = dates[path].isoformat()
        # The page's language: the site's, each page being in one language only.
        language = {"rel": "alternate", "hreflang": site.language, "href": address}
        ET.SubElement(url, "xhtml:link", language)
    return _xml(urlset)


def page_dates(claims: Iterable[Claim], lists: Mapping[str, Sequence[Claim]]) -> dict[str, dt.date]:
    """When each page made of fact-checks last changed: its newest publication or correction.

    A claim page changes with its fact-check; each page of the home, claimant and topic lists
    (`lists`: the fact-checks each page shows, by URL path) shows fact-checks (rating, summary),
    so it changes with the newest of its own, and the corrections page with the newest
    correction. Other pages (sources, methodology, Markdown pages) have no date in the content,
    and get none rather than a made-up one.
    """
    dates: dict[str, dt.date] = {}
    # Each fact-check's date, worked out once: it is on many list pages.
    modified: dict[str, dt.date] = {}

    def bump(path: str, date: dt.date) -> None:
        dates[path] = max(date, dates.get(path, date))

    for claim in claims:
        modified[claim.id] = claim.modified
        bump(urls.claim(claim), modified[claim.id])
        for correction in claim.corrections:
            bump(urls.CORRECTIONS, correction.date)  # the log of every correction
    for path, shown in lists.items():
        if shown:  # an empty home page (no fact-check yet) has no date
            dates[path] = max(modified[claim.id] for claim in shown)
    return dates


# robots.txt.


def robots(site: Site) -> bytes:
    """Allow everything and name the sitemap.

    Crawlers read robots.txt only at a domain's root, so under a sub-path (a GitHub project
    site) this file is ignored; it is still written, for sites published at a root.
    """
    sitemap_url = urls.absolute(SITEMAP, site.base_url)
    return f"User-agent: *\nDisallow:\n\nSitemap: {sitemap_url}\n".encode()


# Atom feed.


@dataclass(frozen=True)
class Entry:
    """One feed entry: a fact-check, or a correction to one. (Everything the feed shows of it,
    so that the feed's fingerprint can be made of its entries: see render.py.)"""

    id: str
    title: str
    link: str
    published: dt.date
    updated: dt.date
    summary: str


def feed_entries(site: Site, claims: Sequence[Claim], ui: Interface) -> list[Entry]:
    """The entries the feed carries: the newest `feed_size` of every fact-check and every
    correction, by their dates (a day's by id), newest first. Feed readers only want what is
    new, and a feed of every entry would be made again after any edit to any fact-check.
    (Entries are made only for the fact-checks that can give one: those with an entry at
    least as new as the feed_size-th newest date.) Their titles are in the interface's
    language (`ui`)."""
    dates = [d for claim in claims for d in (claim.modified, *(c.date for c in claim.corrections))]
    if not dates:
        return []
    oldest = heapq.nlargest(site.feed_size, dates)[-1]
    candidates = [claim for claim in claims if claim.modified >= oldest]
    return heapq.nsmallest(
        site.feed_size,
        (e for e in _entries(site, candidates, ui) if e.updated >= oldest),
        key=lambda e: (-e.updated.toordinal(), e.id),
    )


def feed(
    site: Site,
    entries: Sequence[Entry],
    path: str = FEED,
    title: str = "",
    page: str = urls.HOME,
) -> bytes:
    """An Atom feed (RFC 4287) of fact-checks and, as entries of their own, their corrections
    (`entries`: see feed_entries).

    A correction gets its own entry so that subscribers, who have already read the fact-check,
    are told about it. Entries are newest first; <updated> is the newest content date.
    `path`, `title` and `page`: where the feed is, its title (the site's by default) and the
    page it is the feed of (the home page; a rating's feed, its rating's page).
    """
    # ElementTree writes the attribute {XML_NS}lang as xml:lang, the language of all the text.
    root = ET.Element("feed", {"xmlns": ATOM_NS, f"{{{XML_NS}}}lang": site.language})
    _atom(root, "id", urls.absolute(path, site.base_url))
    _atom(root, "title", title or site.title)
    if site.description and not title:
        _atom(root, "subtitle", site.description)
    _atom_link(root, urls.absolute(path, site.base_url), rel="self", kind="application/atom+xml")
    _atom_link(root, urls.absolute(page, site.base_url))
    # With no fact-check there is no content date; the epoch keeps the build reproducible.
    newest = max((e.updated for e in entries), default=dt.date(1970, 1, 1))
    _atom(root, "updated", _timestamp(newest))
    author = _atom(root, "author")
    _atom(author, "name", site.publisher.name)
    _atom(author, "uri", site.publisher.url)
    for entry in entries:
        _feed_entry(root, entry)
    return _xml(root)


def _entries(site: Site, claims: Iterable[Claim], ui: Interface) -> Iterator[Entry]:
    for claim in claims:
        page = urls.absolute(urls.claim(claim), site.base_url)
        yield Entry(
            id=page,
            title=ui.text("feed.entry", rating=claim.rating.label, claim=claim.claim),
            link=page,
            published=claim.published,
            updated=claim.modified,
            summary=claim.summary,
        )
        # Numbered from the oldest, so an entry keeps its id when a newer correction is added.
        for number, correction in enumerate(reversed(claim.corrections), start=1):
            yield Entry(
                id=f"{page}#correction-{number}",
                title=ui.text("feed.correction", claim=claim.claim),
                link=f"{page}#corrections",
                published=correction.date,
                updated=correction.date,
                summary=correction.text,
            )


def _feed_entry(root: ET.Element, entry: Entry) -> None:
    element = _atom(root, "entry")
    _atom(element, "id", entry.id)
    _atom(element, "title", entry.title)
    _atom_link(element, entry.link)
    _atom(element, "published", _timestamp(entry.published))
    _atom(element, "updated", _timestamp(entry.updated))
    _atom(element, "summary", entry.summary)


def _atom(parent: ET.Element, name: str, text: str | None = None) -> ET.Element:
    element = ET.SubElement(parent, name)
    if text is not None:
        element.text = text
    return element


def _atom_link(
    parent: ET.Element, href: str, rel: str = "alternate", kind: str = "text/html"
) -> None:
    ET.SubElement(parent, "link", {"rel": rel, "type": kind, "href": href})


def _timestamp(date: dt.date) -> str:
    """Atom needs a full RFC 3339 date-time; the content has days, so midnight UTC."""
    return f"{date.isoformat()}T00:00:00Z"


# claims.json.


def claims_json(
    content: Content, analysis: Analysis, line: Callable[[Claim, int], bytes] | None = None
) -> Iterator[bytes]:
    """Every fact-check as data, in the shape the README documents, sorted by id: indented at
    the top, one fact-check per line (readable, diff-friendly, and written by json's fast C
    encoder; indenting everything would use its much slower pure-Python one).

    Made in pieces, a line at a time, to be written as they come: with 25,000 fact-checks the
    file is 85 MB, better not held in memory (let alone in several copies). `line` gives a
    fact-check's line, encoded, given where in the file it goes (claim_row, or a copy of the
    last build's: see splice.py)."""
    site = content.site
    data = {
        "version": CLAIMS_JSON_VERSION,
        "site": {
            "title": site.title,
            "url": site.base_url,
            "language": site.language,
            "publisher": {"name": site.publisher.name, "url": site.publisher.url},
        },
        "rating_scale": [
            {"id": r.id, "label": r.label, "value": r.value, "description": r.description}
            for r in site.ratings
        ],
    }
    line = line or partial(_encoded_row, content, analysis)
    head = json.dumps(data, ensure_ascii=False, indent=2).removesuffix("\n}")
    claims = sorted(content.claims, key=lambda c: c.id)
    if not claims:
        yield f'{head},\n  "claims": []\n}}\n'.encode()
        return
    start = f'{head},\n  "claims": [\n'.encode()
    yield start
    offset, separator = len(start), b"    "
    for claim in claims:
        data = line(claim, offset + len(separator))
        yield separator + data
        offset += len(separator) + len(data)
        separator = b",\n    "
    yield b"\n  ]\n}\n"


def _encoded_row(content: Content, analysis: Analysis, claim: Claim, offset: int) -> bytes:
    return claim_row(content, analysis, claim).encode()


def claim_row(content: Content, analysis: Analysis, claim: Claim) -> str:
    """One fact-check's line of claims.json."""
    return json.dumps(_claim_data(claim, content, analysis), ensure_ascii=False)


def _claim_data(claim: Claim, content: Content, analysis: Analysis) -> dict[str, Any]:
    base = content.site.base_url
    return {
        "id": claim.id,
        "url": urls.absolute(urls.claim(claim), base),
        "claim": claim.claim,
        "claimant": {"name": claim.claimant, "type": claim.claimant_type},
        "claim_date": _date(claim.date),
        "published": claim.published.isoformat(),
        "modified": claim.modified.isoformat(),
        "rating": {"id": claim.rating.id, "label": claim.rating.label, "value": claim.rating.value},
        "summary": claim.summary,
        "appearances": [_quote_data(ref, content, analysis) for ref in claim.appearances],
        "evidence": [
            {
                "note": e.note,
                "quote": _quote_data(e.quote, content, analysis) if e.quote else None,
                "url": e.url or None,
                "title": e.title or None,
            }
            for e in claim.evidence
        ],
        "figure": _figure_data(claim.figure, content) if claim.figure else None,
        "tags": list(claim.tags),
        "corrections": [{"date": c.date.isoformat(), "text": c.text} for c in claim.corrections],
        "analysis_markdown": claim.analysis,
    }


def _quote_data(ref: QuoteRef, content: Content, analysis: Analysis) -> dict[str, Any]:
    source = content.sources[ref.source]
    anchor = analysis.anchors[ref]
    base = content.site.base_url
    passage = urls.absolute(urls.source(source), base) + "#" + analysis.fragments[ref]
    return {
        "quote": ref.text,
        # The archived wording (typography as archived), elided parts joined by " … ".
        "archived_text": " … ".join(" ".join(source.text[a:b].split()) for a, b in anchor.spans),
        "passage_url": passage,
        "source": _source_data(source, base),
    }


def _source_data(source: Source, base_url: str) -> dict[str, Any]:
    return {
        "id": source.id,
        "title": source.title,
        "outlet": source.outlet or None,
        "author": source.author or None,
        "published": _date(source.published),
        "url": source.url or None,
        "archive_url": urls.absolute(urls.source(source), base_url),
        "archive_file": source.file,
        "sha256": source.sha256,
        # The article's language tag, when it declares one (the site's language applies).
        "language": source.language or None,
    }


def _figure_data(figure: Figure, content: Content) -> dict[str, Any]:
    measure = content.measures[figure.measure]
    return {
        "measure": {"id": measure.id, "title": measure.title, "unit": measure.unit},
        # Whole numbers as integers: 87000000, not 87000000.0.
        "value": int(figure.value) if figure.value.is_integer() else figure.value,
        "bound": figure.bound,
        "unit": figure.unit,
        "counted": figure.counted or None,
        "scope": figure.scope or None,
    }


# Helpers.


def _date(value: dt.date | None) -> str | None:
    return value.isoformat() if value else None


def _xml(root: ET.Element) -> bytes:
    """The document, indented. Elements are built unqualified under a root carrying the default
    namespace as a plain xmlns attribute: no prefixes, and no global ET.register_namespace."""
    ET.indent(root)
    body = ET.tostring(root, encoding="unicode")
    return f'<?xml version="1.0" encoding="UTF-8"?>\n{body}\n'.encode()
