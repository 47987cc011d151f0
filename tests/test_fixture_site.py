"""A site that is not the bundled one: tests/fixtures/minimal-site, built as a user would.

The fixture is fictional (an invented town council budget), in French, with its own
three-step rating scale, a source with an original address (example.org), an elided quotation,
an outside-link evidence and a fact-check with corrections. Every expectation below is read
from its files.
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Callable
from urllib.parse import unquote

import pytest
from conftest import run_cli
from sitecheck import (
    ELISION,
    FIXTURES,
    REPO,
    Built,
    disk_crawl,
    h1_text,
    html_files,
    json_ld,
    load_expected,
    main,
    markdown_words,
    node_index,
    page_problems,
    parse,
    quote_pieces,
    section,
    sha256,
    text_of,
    words,
)

from generator.config import DEFAULT_RATINGS

TEXT_DIRECTIVE = "#:~:text="
# What a percent-encoded text directive value may contain: no raw space, "-", "," or "&".
ENCODED = re.compile(r"[A-Za-z0-9%._~]+")


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Built:
    """The fixture site, copied and built with the command line, as a user would."""
    folder = tmp_path_factory.mktemp("fixture-cli")
    root = folder / "minimal-site"
    shutil.copytree(FIXTURES / "minimal-site", root)
    out = folder / "public"
    done = run_cli("build", "--root", str(root), "--out", str(out), "--strict")
    assert done.returncode == 0, done.stderr
    assert done.stderr == ""  # not even a warning
    pages = int(re.search(r"built (\d+) pages", done.stdout).group(1))
    assert pages == len(html_files(out))
    return Built(root, out, load_expected(root))


def claims_with(site: Built, test: Callable[[dict], bool]) -> list[str]:
    found = [cid for cid, data in site.expected.claims.items() if test(data)]
    assert found, "the fixture should have such a claim"
    return found


def test_fixture_differs_from_the_bundled_site(site: Built) -> None:
    exp, bundled = site.expected, load_expected(REPO)
    assert exp.language != bundled.language
    assert [r.id for r in exp.ratings] != [r[0] for r in DEFAULT_RATINGS]
    assert len(exp.ratings) == 3
    assert not set(exp.sources) & set(bundled.sources)
    assert not set(exp.claims) & set(bundled.claims)
    for sid, data in exp.sources.items():
        assert data["sha256"] == sha256(exp.seed_bytes(sid))
        assert re.search(r"\bfictif|fictive\b", exp.seed_bytes(sid).decode("utf-8"))


def test_every_page_is_in_the_site_language(site: Built) -> None:
    language = site.expected.language
    assert language == "fr"
    for page in html_files(site.out):
        assert parse(page).find("html")["lang"] == language
        assert page_problems(parse(page), language) == [], page


def test_every_link_resolves(site: Built) -> None:
    result = disk_crawl(site.out, site.expected.base_url)
    assert result.problems == []
    assert len(result.pages) == len(html_files(site.out))  # every page, 404.html included
    # Outside addresses are only those the content gives, and never loaded.
    claims = site.expected.claims.values()
    given = {e["url"] for c in claims for e in c.get("evidence", []) if "url" in e}
    given |= {s["url"] for s in site.expected.sources.values() if s.get("url")}
    for url in result.external:
        assert url.split("#")[0] in given, url


def test_claim_review_uses_the_custom_scale(site: Built) -> None:
    exp = site.expected
    for cid in exp.claims:
        (review,) = json_ld(site.page(f"claims/{cid}/"))
        rating = review["reviewRating"]
        assert (rating["worstRating"], rating["bestRating"]) == (1, 3)
        position = [r.id for r in exp.ratings].index(exp.claims[cid]["rating"])
        assert rating["ratingValue"] == 3 - position
        assert rating["alternateName"] == exp.ratings[position].label
    # The scale's labels, not the default ones, are what readers see.
    methodology = text_of(site.page("methodology/").select_one("dl.scale-definitions"))
    for rating in exp.ratings:
        assert rating.label in methodology
    assert "Mostly accurate" not in methodology


def test_corrections_are_at_the_top_and_date_the_review(site: Built) -> None:
    for cid in claims_with(site, lambda c: bool(c.get("corrections"))):
        data = site.expected.claims[cid]
        soup = site.page(f"claims/{cid}/")
        sections = soup.select("article.claim > section")
        assert sections[0] is section(soup, "corrections")
        assert node_index(soup, sections[0]) < node_index(soup, section(soup, "verdict"))
        dates = sorted((c["date"] for c in data["corrections"]), reverse=True)
        shown = [t["datetime"] for t in sections[0].find_all("time")]
        assert shown == [d.isoformat() for d in dates]
        (review,) = json_ld(soup)
        assert review["dateModified"] == dates[0].isoformat()
        assert review["datePublished"] == data["published"].isoformat()
        byline = [t["datetime"] for t in soup.select("p.byline time")]
        assert byline[-1] == dates[0].isoformat()  # "last corrected"
    for cid in claims_with(site, lambda c: not c.get("corrections")):
        (review,) = json_ld(site.page(f"claims/{cid}/"))
        assert "dateModified" not in review


def test_elided_quote_is_shown_as_separate_highlights(site: Built) -> None:
    elided = claims_with(site, lambda c: any(ELISION.search(a["quote"]) for a in c["appearances"]))
    for cid in elided:
        soup = site.page(f"claims/{cid}/")
        figures = section(soup, "appearances").select("figure.quote")
        appearances = site.expected.claims[cid]["appearances"]
        for figure, appearance in zip(figures, appearances, strict=True):
            pieces = quote_pieces(appearance["quote"])
            if len(pieces) < 2:
                continue
            marks = figure.find("blockquote").find_all("mark")
            assert [words(m.get_text()) for m in marks] == pieces
            # The words left out are shown in the context, outside the highlights.
            between = marks[0].next_siblings
            gap = []
            for node in between:
                if node is marks[1]:
                    break
                gap += words(node.get_text() if hasattr(node, "get_text") else str(node))
            assert gap, "the elided words should be shown between the highlights"


def test_outside_evidence_is_a_plain_link(site: Built) -> None:
    for cid in claims_with(site, lambda c: any("url" in e for e in c.get("evidence", []))):
        soup = site.page(f"claims/{cid}/")
        for evidence in site.expected.claims[cid]["evidence"]:
            if "url" not in evidence:
                continue
            (link,) = section(soup, "evidence").find_all("a", href=evidence["url"])
            assert text_of(link) == evidence["title"]
            assert "noopener" in link.get("rel", [])


def fragment_checks(site: Built) -> list[tuple[str, str, str]]:
    """(link, source url, quotation) for every quotation from a source with an address."""
    exp = site.expected
    found = []
    for cid in exp.claims:
        soup = site.page(f"claims/{cid}/")
        containers = section(soup, "appearances").select("figure.quote")
        evidence = section(soup, "evidence")
        containers += evidence.select("ul.evidence > li") if evidence else []
        items = exp.claims[cid]["appearances"] + exp.claims[cid].get("evidence", [])
        assert len(containers) == len(items)
        for box, quote in zip(containers, items, strict=True):
            url = exp.sources[quote["source"]].get("url", "") if "quote" in quote else ""
            directives = [a["href"] for a in box.find_all("a") if TEXT_DIRECTIVE in a["href"]]
            if not url:
                assert directives == [], "no original link for a source without an address"
                continue
            assert len(directives) == 1
            found.append((directives[0], url, quote["quote"]))
    return found


def test_text_fragment_links_point_into_the_original(site: Built) -> None:
    checks = fragment_checks(site)
    assert checks
    decoded_all = []
    for href, url, quote in checks:
        assert href.startswith(url + TEXT_DIRECTIVE)
        parts = href[len(url + TEXT_DIRECTIVE) :].split(",")
        assert 1 <= len(parts) <= 2, href
        for part in parts:
            assert ENCODED.fullmatch(part), f"not percent-encoded: {part!r}"
        decoded = [unquote(p).split() for p in parts]
        decoded_all.append(decoded)
        pieces = [part.split() for part in ELISION.split(quote.strip()) if part.strip()]
        if len(parts) == 1:
            assert pieces == decoded, href
        else:
            start, end = decoded
            assert start and pieces[0][: len(start)] == start, href
            assert end and pieces[-1][-len(end) :] == end, href
    # The fixture exercises the cases that need care: both forms, and characters the
    # directive itself uses ("-" and ",") inside the quoted words.
    assert {len(d) for d in decoded_all} == {1, 2}
    flat = " ".join(" ".join(w) for d in decoded_all for w in d)
    assert "-" in flat and "," in flat


def test_markdown_page_headings_fit_under_the_title(site: Built) -> None:
    for slug, page in site.expected.pages.items():
        soup = site.page(f"{slug}/")
        assert h1_text(soup) == page["title"]
        written = [
            (len(m.group(1)), m.group(2).strip())
            for m in re.finditer(r"(?m)^(#{1,6})\s+(.*)$", page["body"])
        ]
        assert written, "the fixture page should have headings"
        shown = [(int(h.name[1]), text_of(h)) for h in main(soup).find_all(re.compile("^h[2-6]$"))]
        top = min(level for level, _ in written)
        assert [text for _, text in shown] == [text for _, text in written]
        assert [level for level, _ in shown] == [level - top + 2 for level, _ in written]
        assert words(text_of(main(soup)))[len(words(page["title"])) :] == markdown_words(
            page["body"]
        )
