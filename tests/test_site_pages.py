"""The built site, page type by page type: every page exists and shows what the content files say.

Each test runs on the bundled site and on the fictional fixture site (tests/fixtures/minimal-site),
which has its own rating scale, language, corrections and a source with an original address.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from bs4 import BeautifulSoup
from sitecheck import (
    Built,
    archive_words,
    cards,
    claim_id_of,
    h1_text,
    highlighted,
    html_files,
    main,
    mark_leads_to,
    markdown_words,
    node_index,
    page_problems,
    parse,
    quote_pieces,
    resolve,
    section,
    sha256,
    squash,
    text_of,
    visible_text,
    words,
)

from generator.load.content import INTRO_PAGES
from generator.render.pages import RELATED_LIMIT


def claim_page(built: Built, claim_id: str):
    return built.page(f"claims/{claim_id}/")


def claimant_pages(built: Built) -> dict[str, Path]:
    """Claimant name -> the file its claims' bylines link to (one file per claimant)."""
    found: dict[str, set[Path]] = {}
    for cid in built.expected.claims:
        page = built.out / "claims" / cid / "index.html"
        link = parse(page).select_one("p.byline a")
        target, _ = resolve(page, link["href"], built.out)
        found.setdefault(built.expected.claimant(cid), set()).add(target)
    for name, targets in found.items():
        assert len(targets) == 1, f"claims by {name} link to different pages: {targets}"
    return {name: targets.pop() for name, targets in found.items()}


def test_every_page_is_well_formed_and_accessible(built: Built) -> None:
    files = html_files(built.out)
    assert len(files) > len(built.expected.claims)
    problems = {
        f.relative_to(built.out).as_posix(): p
        for f in files
        if (p := page_problems(parse(f), built.expected.language))
    }
    assert problems == {}


def test_site_has_exactly_the_expected_pages(built: Built) -> None:
    exp = built.expected
    wanted = {"index.html", "404.html", "methodology/index.html", "corrections/index.html"}
    if exp.site.get("submit_url"):
        wanted.add("submit/index.html")
    wanted |= {"claimants/index.html", "tags/index.html"}
    wanted |= {f"claims/{cid}/index.html" for cid in exp.claims}
    wanted |= {f"sources/{sid}/index.html" for sid in exp.sources}
    wanted |= {f"tags/{tag}/index.html" for tag in exp.tags()}
    wanted |= {f"{slug}/index.html" for slug in exp.pages}
    wanted |= {p.relative_to(built.out).as_posix() for p in claimant_pages(built).values()}
    wanted |= {"discrepancies/index.html", "search/index.html"}
    wanted |= {"ratings/index.html", *(f"ratings/{r.id}/index.html" for r in exp.ratings)}
    wanted |= {f"discrepancies/{mid}/index.html" for mid in exp.measures_with_figures()}
    found = {p.relative_to(built.out).as_posix() for p in html_files(built.out)}
    # Quotation pages depend on what the build finds; each must be listed on /discrepancies/.
    quotes = {p for p in found if p.startswith("discrepancies/quotes/")}
    index = built.out / "discrepancies" / "index.html"
    listed = {
        resolve(index, a["href"], built.out)[0].relative_to(built.out).as_posix()
        for a in main(built.page("discrepancies/")).select("a[href*='quotes/']")
    }
    assert quotes == listed
    assert found - quotes == wanted
    assert len({p for p in found if p.startswith("claimants/") and p.count("/") == 2}) == len(
        {exp.claimant(cid) for cid in exp.claims}
    )


def test_home_lists_every_claim_newest_first(built: Built) -> None:
    exp = built.expected
    soup = built.page("")
    assert h1_text(soup) == squash(exp.site["title"])
    listed = cards(main(soup))
    assert [claim_id_of(c["href"]) for c in listed] == exp.newest_first()
    dates = [c["date"] for c in listed]
    assert dates == sorted(dates, reverse=True)
    for card in listed:
        cid = claim_id_of(card["href"])
        data = exp.claims[cid]
        assert card["title"] == squash(exp.claim_text(cid))
        assert card["rating"] == exp.rating(cid).label
        assert exp.t("card.claimed_by", claimant=squash(exp.claimant(cid))) in card["meta"]
        assert card["summary"] == squash(data["summary"])
        assert card["date"] == data["published"].isoformat()
        target, _ = resolve(built.out / "index.html", card["href"], built.out)
        assert target == built.out / "claims" / cid / "index.html"


def test_claim_page_header_and_verdict(built: Built) -> None:
    exp = built.expected
    labels = [r.label for r in exp.ratings]
    for cid, data in exp.claims.items():
        soup = claim_page(built, cid)
        assert h1_text(soup) == exp.claim_text(cid)
        byline = soup.select_one("p.byline")
        assert text_of(byline.find("a")) == exp.claimant(cid)
        times = [t["datetime"] for t in byline.find_all("time")]
        assert data["published"].isoformat() in times
        if data.get("date"):
            assert data["date"].isoformat() in times

        rating = exp.rating(cid)
        verdict = section(soup, "verdict")
        assert visible_text(verdict.select_one(".rating-line")) == rating.label
        meaning = verdict.select_one(".rating-meaning")
        assert text_of(meaning.find("strong")) == rating.label
        assert squash(rating.description) in text_of(meaning)
        scale = verdict.select("ol.scale > li")
        assert [text_of(li) for li in scale] == labels
        current = [text_of(li) for li in scale if li.get("aria-current")]
        assert current == [rating.label]
        assert text_of(verdict.select_one("p.summary")) == squash(data["summary"])


def test_claim_page_analysis_and_evidence(built: Built) -> None:
    exp = built.expected
    for cid, data in exp.claims.items():
        soup = claim_page(built, cid)
        analysis = section(soup, "analysis")
        heading = words(text_of(analysis.find(id="analysis")))
        shown = words(text_of(analysis))
        assert shown[: len(heading)] == heading
        assert shown[len(heading) :] == markdown_words(data["analysis"]), cid

        evidence = data.get("evidence", [])
        box = section(soup, "evidence")
        if not evidence:
            assert box is None
            continue
        items = box.select("ul.evidence > li")
        assert len(items) == len(evidence)
        for item, wanted in zip(items, evidence, strict=True):
            if "quote" in wanted:
                quoted = words(text_of(item.find("blockquote")))
                assert quoted == [w for piece in quote_pieces(wanted["quote"]) for w in piece]
                link = item.select_one(".evidence-source a")
                target, fragment = resolve(claim_page_file(built, cid), link["href"], built.out)
                assert target == built.out / "sources" / wanted["source"] / "index.html"
                assert parse(target).find(id=fragment).name == "mark"
            else:
                link = item.find("a", href=wanted["url"])
                assert link is not None and text_of(link) == squash(wanted["title"])
            if wanted.get("note"):
                assert text_of(item.select_one("p.note")) == squash(wanted["note"])


def claim_page_file(built: Built, cid: str) -> Path:
    return built.out / "claims" / cid / "index.html"


def test_appearances_show_quote_in_context_and_link_to_its_mark(built: Built) -> None:
    exp = built.expected
    streams = {}
    for cid, data in exp.claims.items():
        soup = claim_page(built, cid)
        figures = section(soup, "appearances").select("figure.quote")
        assert len(figures) == len(data["appearances"])
        for figure, appearance in zip(figures, data["appearances"], strict=True):
            pieces = quote_pieces(appearance["quote"])
            context = figure.find("blockquote")
            marked = [w for m in context.find_all("mark") for w in words(m.get_text())]
            assert marked == [w for piece in pieces for w in piece], (cid, appearance["quote"])
            # The context is more than the quotation: at least one word around it.
            assert len(words(text_of(context))) > len(marked)
            source = exp.sources[appearance["source"]]
            assert squash(source["title"]) in text_of(figure.find("figcaption"))

            link = figure.select_one("p.quote-links a")
            prefix = f"../../sources/{appearance['source']}/#"
            assert link["href"].startswith(prefix), link["href"]
            fragment = link["href"][len(prefix) :]
            target = built.out / "sources" / appearance["source"] / "index.html"
            mark = parse(target).find(id=fragment)
            assert mark is not None and mark.name == "mark", link["href"]
            if target not in streams:
                streams[target] = archive_words(parse(target))
            assert mark_leads_to(streams[target], mark, pieces[0]), link["href"]


def test_corrections_are_shown_before_the_verdict(built: Built) -> None:
    for cid, data in built.expected.claims.items():
        soup = claim_page(built, cid)
        box = section(soup, "corrections")
        corrections = data.get("corrections", [])
        if not corrections:
            assert box is None
            continue
        assert box is not None, f"{cid}: corrections are not shown"
        assert node_index(soup, box) < node_index(soup, section(soup, "verdict"))
        items = box.find_all("li")
        newest_first = sorted(corrections, key=lambda c: c["date"], reverse=True)
        assert [li.find("time")["datetime"] for li in items] == [
            c["date"].isoformat() for c in newest_first
        ]
        for li, correction in zip(items, newest_first, strict=True):
            assert squash(correction["text"]) in text_of(li)
        latest = newest_first[0]["date"].isoformat()
        assert latest in [t["datetime"] for t in soup.select("p.byline time")]


def related_ids(soup: BeautifulSoup) -> list[str]:
    box = section(soup, "related")
    return [claim_id_of(c["href"]) for c in cards(box)] if box else []


def test_related_fact_checks_share_something_and_never_the_page_itself(built: Built) -> None:
    """Each related fact-check shares a measure, a claimant, a topic or a quoted passage (its
    source, here) with the page; topics, claimants and measures alone fill the list when
    they have enough (see test_related.py for the exact order)."""
    exp = built.expected
    for cid, data in exp.claims.items():
        shown = related_ids(claim_page(built, cid))
        assert cid not in shown
        assert len(set(shown)) == len(shown) <= RELATED_LIMIT
        keys = related_keys(data)
        sharing = {
            other for other, o in exp.claims.items() if other != cid and keys & related_keys(o)
        }
        quoting = quoted_sources(exp, cid)
        for other in shown:
            assert other in sharing or quoting & quoted_sources(exp, other), (cid, other)
        # A list shorter than the limit leaves out nothing that shares something.
        if len(shown) < RELATED_LIMIT:
            assert sharing <= set(shown), cid
        if not sharing and not shown:
            assert section(claim_page(built, cid), "related") is None


def related_keys(data: dict) -> set[str]:
    """What a claim file says it may share: its measure, claimant and topics."""
    keys = {f"claimant:{squash(data['claimant'])}", *(f"tag:{t}" for t in data.get("tags", []))}
    if "figure" in data:
        keys.add(f"measure:{data['figure']['measure']}")
    return keys


def quoted_sources(exp, cid: str) -> set[str]:
    return {q["source"] for _, q in exp.quotes(cid)}


def test_claim_tags_link_to_tag_pages(built: Built) -> None:
    for cid, data in built.expected.claims.items():
        links = claim_page(built, cid).select("p.tags a")
        assert [text_of(a) for a in links] == list(dict.fromkeys(data.get("tags", [])))
        for a in links:
            target, _ = resolve(claim_page_file(built, cid), a["href"], built.out)
            assert target == built.out / "tags" / text_of(a) / "index.html"


def test_source_pages_show_the_archive_paragraph_by_paragraph(built: Built) -> None:
    exp = built.expected
    for sid, data in exp.sources.items():
        soup = built.page(f"sources/{sid}/")
        assert h1_text(soup) == squash(data["title"])
        facts = soup.select_one("dl.facts")
        shown = {
            text_of(dt): dd
            for dt, dd in zip(facts.find_all("dt"), facts.find_all("dd"), strict=True)
        }
        digest = sha256(exp.seed_bytes(sid))
        assert digest == data["sha256"]
        # The facts by their names in the interface's language.
        keys = ("sha256", "outlet", "original", "published")
        shown = {
            key: shown[exp.t(f"source.{key}")] for key in keys if exp.t(f"source.{key}") in shown
        }
        assert text_of(shown["sha256"]) == digest
        if data.get("outlet"):
            assert text_of(shown["outlet"]) == squash(data["outlet"])
        else:
            assert text_of(shown["outlet"])  # says it is not named, never blank
        if data.get("url"):
            assert shown["original"].find("a")["href"] == data["url"]
        else:
            assert shown["original"].find("a") is None
        if data.get("published"):
            assert shown["published"].find("time")["datetime"] == data["published"].isoformat()

        paragraphs = soup.select("div.archive > p[id]")
        expected = exp.paragraphs(sid)
        assert [p["id"] for p in paragraphs] == [f"p{n}" for n in range(1, len(expected) + 1)]
        assert [p.get_text() for p in paragraphs] == expected


def test_source_pages_highlight_every_quote_and_link_back(built: Built) -> None:
    exp = built.expected
    for sid in exp.sources:
        page = built.out / "sources" / sid / "index.html"
        soup = parse(page)
        stream = archive_words(soup)
        for mark in soup.select("div.archive mark"):
            assert mark.find_parent("p", id=True) is not None
        citing = exp.citing(sid)
        for cid in citing:
            for _, quote in exp.quotes(cid):
                if quote["source"] == sid:
                    assert highlighted(stream, quote_pieces(quote["quote"])), (cid, quote)

        listed = section(soup, "citing")
        if not citing:
            assert listed is None
            continue
        linked = {claim_id_of(a["href"]) for a in listed.find_all("a")}
        assert linked == citing
        cited_in = {claim_id_of(a["href"]) for a in soup.select("p.cited-in a")}
        assert cited_in == citing
        for a in soup.select("p.cited-in a"):
            target, _ = resolve(page, a["href"], built.out)
            assert target == built.out / "claims" / claim_id_of(a["href"]) / "index.html"
            assert text_of(a) == exp.claim_text(claim_id_of(a["href"]))


def test_claimant_pages_count_ratings_without_percentages(built: Built) -> None:
    exp = built.expected
    labels = [r.label for r in exp.ratings]
    pages = claimant_pages(built)
    for name, page in pages.items():
        soup = parse(page)
        assert h1_text(soup) == name
        theirs = [cid for cid in exp.claims if exp.claimant(cid) == name]
        assert [claim_id_of(c["href"]) for c in cards(main(soup))] == exp.newest_first(theirs)
        table = soup.select_one("table.counts")
        assert "%" not in table.get_text()
        rows = table.select("tbody tr")
        counted = {text_of(r.find("th")): int(text_of(r.find("td"))) for r in rows}
        assert [text_of(r.find("th")) for r in rows] == labels
        assert counted == {
            label: Counter(exp.rating(cid).label for cid in theirs)[label] for label in labels
        }
        assert sum(counted.values()) == len(theirs)

    index = built.out / "claimants" / "index.html"
    links = main(parse(index)).select("ul a")
    assert {text_of(a) for a in links} == set(pages)
    for a in links:
        assert resolve(index, a["href"], built.out)[0] == pages[text_of(a)]


def test_tag_pages_list_their_claims(built: Built) -> None:
    exp = built.expected
    for tag in exp.tags():
        soup = built.page(f"tags/{tag}/")
        assert h1_text(soup) == tag
        tagged = [cid for cid, c in exp.claims.items() if tag in c.get("tags", [])]
        assert [claim_id_of(c["href"]) for c in cards(main(soup))] == exp.newest_first(tagged)
    index = built.out / "tags" / "index.html"
    links = main(parse(index)).select("ul a")
    assert sorted(text_of(a) for a in links) == sorted(exp.tags())
    for a in links:
        target, _ = resolve(index, a["href"], built.out)
        assert target == built.out / "tags" / text_of(a) / "index.html"


def test_methodology_lists_every_rating(built: Built) -> None:
    exp = built.expected
    scale = built.page("methodology/").select_one("dl.scale-definitions")
    terms = [visible_text(dt) for dt in scale.find_all("dt")]
    definitions = [text_of(dd) for dd in scale.find_all("dd")]
    assert terms == [r.label for r in exp.ratings]
    assert definitions == [squash(r.description) for r in exp.ratings]
    sources = built.page("methodology/").select("table.sources tbody tr")
    assert len(sources) == len(exp.sources)
    hashes = {text_of(row.select_one("code.hash")) for row in sources}
    assert hashes == {sha256(exp.seed_bytes(sid)) for sid in exp.sources}


def test_markdown_pages_have_their_title_and_body(built: Built) -> None:
    exp = built.expected
    assert exp.pages, "the site should have at least one Markdown page"
    for slug, page in exp.pages.items():
        if slug in INTRO_PAGES:
            continue  # they open a generated page instead (tests/test_transparency.py)
        soup = built.page(f"{slug}/")
        assert h1_text(soup) == squash(page["title"])
        article = main(soup)
        shown = words(text_of(article))
        title = words(page["title"])
        assert shown[: len(title)] == title
        assert shown[len(title) :] == markdown_words(page["body"])
        nav = [text_of(a) for a in soup.select("nav a")]
        assert squash(page["title"]) in nav


def test_not_found_page(built: Built) -> None:
    soup = parse(built.out / "404.html")
    assert h1_text(soup)
    listed = [claim_id_of(c["href"]) for c in cards(main(soup))]
    assert listed == built.expected.newest_first()[: len(listed)]
    assert listed, "the 404 page should offer the latest fact-checks"


def test_page_checks_catch_broken_pages() -> None:
    """The page checker itself fails on the mistakes it is meant to catch."""
    good = (
        '<!doctype html><html lang="fr"><head><title>t</title></head><body>'
        '<a href="#main">skip</a><nav aria-label="Site"></nav>'
        '<main id="main"><h1>x</h1><h2>y</h2></main></body></html>'
    )
    assert page_problems(BeautifulSoup(good, "html.parser"), "fr") == []
    broken = {
        "lang": good.replace('lang="fr"', 'lang="en"'),
        "skip": good.replace('href="#main"', 'href="#nowhere"'),
        "levels": good.replace("<h2>y</h2>", "<h3>y</h3>"),
        "two h1": good.replace("<h2>y</h2>", "<h1>y</h1>"),
        "nav label": good.replace(' aria-label="Site"', ""),
        "script": good.replace("</main>", "</main><script>alert(1)</script>"),
        "main": good.replace("main", "div"),
    }
    for name, html in broken.items():
        assert page_problems(BeautifulSoup(html, "html.parser"), "fr"), name
