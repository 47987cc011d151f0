"""Machine-readable outputs: sitemap.xml, robots.txt, feed.xml, claims.json and the meta tags.

Each output is parsed the way its readers parse it: the sitemap against the sitemaps.org schema
(tests/data/sitemap.xsd) and with ElementTree, robots.txt with urllib.robotparser, the feed with
feedparser, claims.json with json. Expectations come from the content files, on the bundled site
and on the fictional fixture site (which has corrections), never from hard-coded texts.
"""

from __future__ import annotations

import dataclasses
import heapq
import json
import re
import urllib.robotparser
import xml.etree.ElementTree as ET
from datetime import date
from pathlib import Path
from typing import Any
from urllib.parse import urldefrag

import feedparser
import pytest
import xmlschema
from bs4 import BeautifulSoup
from sitecheck import (
    REPO,
    Built,
    archive_words,
    cards,
    claim_id_of,
    find_run,
    html_files,
    main,
    output_file,
    parse,
    quote_pieces,
    sha256,
    squash,
    words,
)

from generator import i18n, pipeline
from generator.config import Options, Paths
from generator.diagnostics import Diagnostics
from generator.load import content, loader, validate
from generator.render import publish

SITEMAP_SCHEMA = Path(__file__).parent / "data" / "sitemap.xsd"
# The xhtml:link each <url> carries for its language (the sitemaps.org schema checks elements
# of other namespaces strictly, against a schema it is given).
XHTML_LINK_SCHEMA = Path(__file__).parent / "data" / "xhtml-link.xsd"
XHTML_NS = "{http://www.w3.org/1999/xhtml}"
SITEMAP_NS = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
ATOM_NS = "{http://www.w3.org/2005/Atom}"
W3C_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


# What the content files say.


def claim_url(built: Built, claim_id: str) -> str:
    return f"{built.expected.base_url}claims/{claim_id}/"


def last_change(data: dict[str, Any]) -> date:
    """A fact-check's latest correction, or its publication date."""
    return max([data["published"], *(c["date"] for c in data.get("corrections", []))])


def page_urls(built: Built) -> set[str]:
    """The absolute address of every HTML page but 404.html."""
    return {
        built.expected.base_url + p.relative_to(built.out).as_posix().removesuffix("index.html")
        for p in html_files(built.out)
        if p.name != "404.html"
    }


def local_file(built: Built, url: str) -> tuple[Path, str]:
    """The built file an absolute address of the site is served from, and its fragment."""
    address, fragment = urldefrag(url)
    base = built.expected.base_url
    assert address.startswith(base), f"{url} is not under {base}"
    return built.out / output_file(address[len(base) :]), fragment


# sitemap.xml


def sitemap_urls(built: Built) -> list[tuple[str, str | None]]:
    """(loc, lastmod or None) for each <url>, in document order."""
    root = ET.parse(built.out / "sitemap.xml").getroot()
    assert root.tag == f"{SITEMAP_NS}urlset"
    found = []
    for url in root:
        assert url.tag == f"{SITEMAP_NS}url"
        lastmod = url.find(f"{SITEMAP_NS}lastmod")
        found.append((url.findtext(f"{SITEMAP_NS}loc"), None if lastmod is None else lastmod.text))
    return found


def sitemap_schema() -> xmlschema.XMLSchema:
    xhtml = ("http://www.w3.org/1999/xhtml", str(XHTML_LINK_SCHEMA))
    return xmlschema.XMLSchema(SITEMAP_SCHEMA, locations=[xhtml])


def test_sitemap_is_valid_against_the_sitemaps_org_schema(built: Built) -> None:
    sitemap_schema().validate(built.out / "sitemap.xml")


def test_the_sitemap_gives_each_page_the_sites_language(built: Built) -> None:
    root = ET.parse(built.out / "sitemap.xml").getroot()
    urls = root.findall(f"{SITEMAP_NS}url")
    assert len(urls) > 10
    for url in urls:
        links = url.findall(f"{XHTML_NS}link")
        assert [(a.get("rel"), a.get("hreflang"), a.get("href")) for a in links] == [
            ("alternate", built.expected.language, url.findtext(f"{SITEMAP_NS}loc"))
        ]


def test_the_schema_check_rejects_invalid_sitemaps() -> None:
    """Guard for the test above: the schema really is applied."""
    schema = sitemap_schema()
    ns = 'xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"'
    good = f"<urlset {ns}><url><loc>https://example.org/a/</loc><lastmod>2026-11-22</lastmod></url></urlset>"
    assert schema.is_valid(good)
    link = '<xhtml:link rel="alternate" hreflang="fr" href="https://example.org/a/"/>'
    xhtml = 'xmlns:xhtml="http://www.w3.org/1999/xhtml"'
    with_language = good.replace(ns, f"{ns} {xhtml}").replace("</url>", f"{link}</url>")
    assert schema.is_valid(with_language)
    assert not schema.is_valid(with_language.replace('rel="alternate"', 'rel="next"'))
    assert not schema.is_valid(good.replace("2026-11-22", "22/11/2026"))
    assert not schema.is_valid(good.replace(ns, 'xmlns="http://example.org/other"'))
    assert not schema.is_valid(f"<urlset {ns}><url><lastmod>2026-11-22</lastmod></url></urlset>")


def test_sitemap_lists_every_page_once_by_its_absolute_address(built: Built) -> None:
    locs = [loc for loc, _ in sitemap_urls(built)]
    assert len(locs) == len(set(locs))
    assert set(locs) == page_urls(built)
    assert all(loc.startswith(built.expected.base_url) for loc in locs)


def test_sitemap_lastmod_is_the_last_correction_or_publication(built: Built) -> None:
    exp = built.expected
    lastmods = {loc: lastmod for loc, lastmod in sitemap_urls(built) if lastmod is not None}
    assert all(W3C_DATE.match(d) for d in lastmods.values())
    wanted = {claim_url(built, cid): last_change(data) for cid, data in exp.claims.items()}
    # The home, claimant, topic and rating pages change with the newest fact-check they list
    # (a rating no fact-check has has no date).
    listings = [""] + [
        loc.removeprefix(exp.base_url)
        for loc in page_urls(built)
        if re.search(r"/(claimants|tags|ratings)/[^/]+/$", loc)
    ]
    for path in listings:
        listed = [claim_id_of(c["href"]) for c in cards(main(built.page(path)))]
        if listed:
            wanted[exp.base_url + path] = max(last_change(exp.claims[cid]) for cid in listed)
    # The corrections page changes with the newest correction.
    corrected = [c["date"] for data in exp.claims.values() for c in data.get("corrections", [])]
    if corrected:
        wanted[exp.base_url + "corrections/"] = max(corrected)
    assert lastmods == {url: day.isoformat() for url, day in wanted.items()}


# robots.txt


def test_robots_txt_allows_everything_and_names_the_sitemap(built: Built) -> None:
    base = built.expected.base_url
    robots = urllib.robotparser.RobotFileParser()
    robots.parse((built.out / "robots.txt").read_text(encoding="utf-8").splitlines())
    assert robots.site_maps() == [base + "sitemap.xml"]
    for url in page_urls(built):
        assert robots.can_fetch("SomeBot", url), url


# feed.xml


def read_feed(built: Built) -> Any:
    feed = feedparser.parse((built.out / "feed.xml").read_bytes())
    assert not feed.bozo, feed.get("bozo_exception")
    assert feed.version == "atom10"
    return feed


def day_of(parsed: Any) -> date:
    return date(parsed.tm_year, parsed.tm_mon, parsed.tm_mday)


def test_feed_is_valid_atom_describing_the_site(built: Built) -> None:
    exp = built.expected
    feed = read_feed(built).feed
    assert feed.title == squash(exp.site["title"])
    assert feed.id == exp.base_url + "feed.xml"
    links = {(link.rel, link.href) for link in feed.links}
    assert links == {("self", exp.base_url + "feed.xml"), ("alternate", exp.base_url)}
    assert feed.author_detail.name == exp.publisher
    assert feed.language == exp.language


@pytest.mark.parametrize("root", [REPO, REPO / "tests" / "fixtures" / "minimal-site"])
def test_the_feed_entries_are_the_newest_of_all_entries_whatever_its_size(root: Path) -> None:
    """feed_entries makes entries only for the fact-checks that can be among the newest: what
    it picks must be what sorting every entry picks, ties on the oldest day included."""
    diags = Diagnostics()
    raw = validate.check_content(loader.load_content(root, diags), diags)
    model = content.build(raw, Options(), diags)
    assert model is not None
    ui = i18n.english()
    every = list(publish._entries(model.site, model.claims, ui))
    for size in range(1, len(every) + 2):
        site = dataclasses.replace(model.site, feed_size=size)
        newest = heapq.nsmallest(size, every, key=lambda e: (-e.updated.toordinal(), e.id))
        assert publish.feed_entries(site, model.claims, ui) == newest, size


def test_feed_has_an_entry_per_fact_check_and_per_correction(built: Built) -> None:
    exp = built.expected
    entries = read_feed(built).entries
    wanted = set()
    for cid, data in exp.claims.items():
        claim = exp.claim_text(cid)
        wanted.add(
            (
                exp.ui.text("feed.entry", rating=exp.rating(cid).label, claim=claim),
                claim_url(built, cid),
                data["published"],
                squash(data["summary"]),
            )
        )
        for correction in data.get("corrections", []):
            wanted.add(
                (
                    exp.ui.text("feed.correction", claim=claim),
                    claim_url(built, cid) + "#corrections",
                    correction["date"],
                    squash(correction["text"]),
                )
            )
    found = [(e.title, e.link, day_of(e.published_parsed), e.summary) for e in entries]
    assert len(found) == len(wanted)
    assert set(found) == wanted
    assert len({e.id for e in entries}) == len(entries)


def test_a_correction_is_an_entry_of_its_own(minimal: Built) -> None:
    """The fixture's corrected fact-check gives one entry per correction, dated by it."""
    corrected = {cid: d for cid, d in minimal.expected.claims.items() if d.get("corrections")}
    assert corrected, "the fixture site must have a corrected fact-check"
    entries = read_feed(minimal).entries
    for cid, data in corrected.items():
        own = [e for e in entries if e.link == claim_url(minimal, cid) + "#corrections"]
        assert sorted(day_of(e.updated_parsed) for e in own) == sorted(
            c["date"] for c in data["corrections"]
        )
        (checked,) = [e for e in entries if e.link == claim_url(minimal, cid)]
        assert day_of(checked.updated_parsed) == last_change(data)


def test_feed_is_newest_first_and_updated_at_the_newest_content_date(built: Built) -> None:
    """<updated> comes from the content (a publication or correction), never the build's clock."""
    feed = read_feed(built)
    days = [day_of(e.updated_parsed) for e in feed.entries]
    assert days == sorted(days, reverse=True)
    newest = max(last_change(data) for data in built.expected.claims.values())
    assert day_of(feed.feed.updated_parsed) == newest


def test_every_feed_link_leads_to_a_built_page(built: Built) -> None:
    for entry in read_feed(built).entries:
        path, fragment = local_file(built, entry.link)
        assert path.is_file(), entry.link
        if fragment:
            assert parse(path).find(id=fragment) is not None, entry.link


# claims.json


def read_claims(built: Built) -> dict[str, Any]:
    return json.loads((built.out / "claims.json").read_text(encoding="utf-8"))


def documented_keys() -> dict[str, set[str]]:
    """Keys of each object of claims.json, from the README's tables ("| claim key | ... |").

    A row may document several keys at once ("`outlet`, `author`, `published`").
    """
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    section = readme.split("### `claims.json`", 1)[1].split("\n## ", 1)[0]
    tables: dict[str, set[str]] = {}
    current = None
    for line in section.splitlines():
        header = re.match(r"^\| ([a-z-]+) key \|", line)
        if header:
            current = tables.setdefault(header.group(1), set())
        elif current is not None and line.startswith("| `"):
            first_cell = line.split("|")[1]
            current.update(re.findall(r"`([a-z0-9_]+)`", first_cell))
        elif not line.startswith("|"):
            current = None
    return tables


def test_claims_json_has_the_shape_the_readme_documents(built: Built) -> None:
    doc = documented_keys()
    assert set(doc) == {"top-level", "claim", "quotation", "source", "figure"}
    data = read_claims(built)
    assert set(data) == doc["top-level"]
    quotations = []
    for claim in data["claims"]:
        assert set(claim) == doc["claim"], claim["id"]
        quotations += claim["appearances"]
        quotations += [e["quote"] for e in claim["evidence"] if e["quote"]]
        if claim["figure"]:
            assert set(claim["figure"]) == doc["figure"]
    assert quotations
    for quotation in quotations:
        assert set(quotation) == doc["quotation"]
        assert set(quotation["source"]) == doc["source"]


def test_claims_json_says_what_the_content_files_say(built: Built) -> None:
    exp = built.expected
    data = read_claims(built)
    scale = [r.id for r in exp.ratings]
    assert [r["id"] for r in data["rating_scale"]] == scale
    assert data["site"]["url"] == exp.base_url
    assert [c["id"] for c in data["claims"]] == sorted(exp.claims)
    for claim in data["claims"]:
        yaml_claim = exp.claims[claim["id"]]
        rating = exp.rating(claim["id"])
        assert claim["url"] == claim_url(built, claim["id"])
        assert claim["claim"] == exp.claim_text(claim["id"])
        assert claim["claimant"] == {
            "name": exp.claimant(claim["id"]),
            "type": yaml_claim.get("claimant_type", "person"),
        }
        assert claim["claim_date"] == (
            yaml_claim["date"].isoformat() if "date" in yaml_claim else None
        )
        assert claim["published"] == yaml_claim["published"].isoformat()
        assert claim["modified"] == last_change(yaml_claim).isoformat()
        assert claim["rating"] == {
            "id": rating.id,
            "label": rating.label,
            "value": len(scale) - scale.index(rating.id),
        }
        assert claim["summary"] == squash(yaml_claim["summary"])
        assert [(a["source"]["id"], a["quote"]) for a in claim["appearances"]] == [
            (a["source"], a["quote"]) for a in yaml_claim["appearances"]
        ]
        assert claim["tags"] == yaml_claim.get("tags", [])
        newest_first = sorted(yaml_claim.get("corrections", []), key=lambda c: c["date"])[::-1]
        assert claim["corrections"] == [
            {"date": c["date"].isoformat(), "text": squash(c["text"])} for c in newest_first
        ]
        figure = yaml_claim.get("figure")
        if figure is None:
            assert claim["figure"] is None
        else:
            assert claim["figure"]["measure"]["id"] == figure["measure"]
            assert (claim["figure"]["value"], claim["figure"]["bound"]) == (
                figure["value"],
                figure["bound"],
            )


def test_claims_json_quotations_lead_to_their_verified_passage(built: Built) -> None:
    exp = built.expected
    for claim in read_claims(built)["claims"]:
        for quotation in claim["appearances"]:
            source = quotation["source"]
            assert source["sha256"] == sha256(exp.seed_bytes(source["id"]))
            assert source["archive_file"] == exp.sources[source["id"]]["file"]
            page, fragment = local_file(built, quotation["passage_url"])
            soup = parse(page)
            mark = soup.find(id=fragment)
            assert mark is not None and mark.name == "mark", quotation["passage_url"]
            stream = archive_words(soup)
            for piece in quote_pieces(quotation["archived_text"]):
                assert find_run(stream, piece), (claim["id"], piece)
            assert words(quotation["archived_text"]) == words(quotation["quote"])


# Meta tags.


def meta(soup: BeautifulSoup, key: str) -> str:
    """The content of the one <meta> with this property or name."""
    found = soup.find_all("meta", attrs={"property": key}) + soup.find_all(
        "meta", attrs={"name": key}
    )
    assert len(found) == 1, f"{len(found)} <meta> {key}"
    return found[0]["content"]


def test_every_page_has_open_graph_and_twitter_card_tags(built: Built) -> None:
    site_title = squash(built.expected.site["title"])
    for page in html_files(built.out):
        soup = parse(page)
        description = meta(soup, "description")
        assert description, page
        assert meta(soup, "og:site_name") == site_title
        assert meta(soup, "og:url") == soup.find("link", rel="canonical")["href"]
        assert meta(soup, "og:title") and meta(soup, "og:title") in soup.title.get_text()
        assert meta(soup, "og:description") == description
        assert meta(soup, "og:type") in {"website", "article"}
        # A fact-check's page shows its share card large (see test_share_cards.py).
        large = page.parent.parent.name == "claims"
        assert meta(soup, "twitter:card") == ("summary_large_image" if large else "summary")
        assert meta(soup, "twitter:title") == meta(soup, "og:title")
        assert meta(soup, "twitter:description") == description


def test_claim_pages_describe_the_fact_check_by_its_summary(built: Built) -> None:
    exp = built.expected
    for cid, data in exp.claims.items():
        soup = built.page(f"claims/{cid}/")
        assert meta(soup, "og:title") == exp.claim_text(cid)
        assert meta(soup, "og:description") == squash(data["summary"])
        assert meta(soup, "twitter:description") == squash(data["summary"])
        assert meta(soup, "og:type") == "article"
        assert meta(soup, "article:published_time") == data["published"].isoformat()
        assert meta(soup, "article:modified_time") == last_change(data).isoformat()


def test_every_page_links_the_feed_for_readers_to_discover(built: Built) -> None:
    for page in html_files(built.out):
        soup = parse(page)
        # The site's feed first; a rating's pages then link to their rating's feed too.
        link, *more = soup.find_all("link", rel="alternate", type="application/atom+xml")
        if page.name != "404.html":  # its links start from the base path; see test_links
            target = (page.parent / link["href"]).resolve()
            assert target == (built.out / "feed.xml").resolve(), page
        if more:  # (test_rating_pages.py checks that every rating with a feed links it)
            (own,) = more
            rating = page.relative_to(built.out).parts[1]
            target = (page.parent / own["href"]).resolve()
            assert target == (built.out / "ratings" / rating / "feed.xml").resolve(), page


# Favicon and .nojekyll.


def test_favicon_is_a_small_self_contained_svg(built: Built) -> None:
    icon = built.out / "static" / "favicon.svg"
    root = ET.parse(icon).getroot()
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    assert root.get("viewBox")
    assert icon.stat().st_size < 2048
    # Nothing in it loads anything: no links, images or styles from anywhere.
    for element in root.iter():
        assert not any(name.endswith("href") for name in element.attrib), element.tag
    for page in html_files(built.out):
        (link,) = parse(page).find_all("link", rel="icon")
        assert link["type"] == "image/svg+xml"
        if page.name != "404.html":
            assert (page.parent / link["href"]).resolve() == icon.resolve(), page


def test_nojekyll_is_written(built: Built) -> None:
    assert (built.out / ".nojekyll").read_bytes() == b""


# Escaping and reproducibility, on a copy of the fixture site.

TRICKY = 'Une <b>« hausse »</b> & un "script" <script>alert(1)</script> ]]> fin'


def test_user_text_is_escaped_in_every_output(fixture_site, tmp_path: Path) -> None:
    root = fixture_site("minimal-site")
    claim_file = root / "content" / "claims" / "dette-doublee.yaml"
    text = claim_file.read_text(encoding="utf-8")
    summary_line = next(line for line in text.splitlines() if line.startswith("summary:"))
    claim_file.write_text(text.replace(summary_line, f"summary: {json.dumps(TRICKY)}"))
    out = tmp_path / "out"
    result = pipeline.build(Paths.for_site(root, out), Options())
    assert result.ok, [d.format() for d in result.diagnostics]

    feed = feedparser.parse((out / "feed.xml").read_bytes())
    assert not feed.bozo
    assert TRICKY in [e.summary for e in feed.entries]
    atom = ET.parse(out / "feed.xml").getroot()
    assert TRICKY in [s.text for s in atom.iter(f"{ATOM_NS}summary")]
    data = json.loads((out / "claims.json").read_text(encoding="utf-8"))
    assert [c["summary"] for c in data["claims"] if c["id"] == "dette-doublee"] == [TRICKY]
    page = parse(out / "claims" / "dette-doublee" / "index.html")
    assert meta(page, "og:description") == TRICKY
    # The summary is in the ClaimReview JSON-LD too, and must not close that element.
    assert [s.get("type") for s in page.find_all("script")] == ["application/ld+json"]


def test_outputs_are_the_same_bytes_at_every_build(fixture_site, tmp_path: Path) -> None:
    root = fixture_site("minimal-site")
    builds = []
    for name in ("first", "second"):
        out = tmp_path / name
        assert pipeline.build(Paths.for_site(root, out), Options()).ok
        builds.append(out)
    for name in ("sitemap.xml", "robots.txt", "feed.xml", "claims.json"):
        assert (builds[0] / name).read_bytes() == (builds[1] / name).read_bytes(), name
