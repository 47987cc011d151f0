"""Pages per rating and their feeds, related fact-checks and share cards, read from built sites.

Rating pages are walked by their links like the other lists (test_pagination.py walks their
pages on a paginated site); feeds are parsed with feedparser; share cards are opened with
Pillow. Expectations come from the content files, as everywhere (see sitecheck.py).
"""

from __future__ import annotations

import datetime as dt
import io
import shutil
from pathlib import Path
from typing import Any

import feedparser
import pytest
import yaml
from bs4 import BeautifulSoup
from PIL import Image
from sitecheck import Built, cards, claim_id_of, main, parse, resolve, section, squash, text_of
from test_pagination import edit, newest_first, walk, write_site

from generator import pipeline, urls
from generator.config import DEFAULT_THEME, Options, Paths
from generator.diagnostics import Severity
from generator.model import Rating
from generator.render import cards as share
from generator.render.pages import RELATED_LIMIT, RELATED_WEIGHTS

REPO = Path(__file__).resolve().parent.parent


def build(root: Path, out: Path, **options: Any) -> pipeline.BuildResult:
    result = pipeline.build(Paths.for_site(root, out), Options(**options))
    assert result.ok, "\n".join(d.format() for d in result.diagnostics)
    return result


def listed(soup: BeautifulSoup) -> list[str]:
    return [claim_id_of(card["href"]) for card in cards(main(soup))]


def meta(soup: BeautifulSoup, key: str) -> str | None:
    found = soup.find_all("meta", attrs={"property": key}) + soup.find_all(
        "meta", attrs={"name": key}
    )
    assert len(found) <= 1, key
    return found[0]["content"] if found else None


def modified(data: dict[str, Any]) -> dt.date:
    return max([data["published"], *(c["date"] for c in data.get("corrections", []))])


# --- Pages per rating ------------------------------------------------------------------------


def test_every_fact_check_is_under_its_own_rating_only_newest_first(built: Built) -> None:
    exp = built.expected
    seen: list[str] = []
    for rating in exp.ratings:
        first = built.out / "ratings" / rating.id / "index.html"
        shown = [cid for _, soup in walk(built.out, first) for cid in listed(soup)]
        rated = [cid for cid in exp.claims if exp.claims[cid]["rating"] == rating.id]
        assert shown == exp.newest_first(rated), rating.id
        soup = parse(first)
        assert text_of(soup.h1) == exp.t("title.rating", rating=squash(rating.label))
        seen += shown
    assert sorted(seen) == sorted(exp.claims)  # each once: under its own rating only


def test_the_ratings_index_and_every_scale_link_to_the_rating_pages(built: Built) -> None:
    exp = built.expected
    index = built.out / "ratings" / "index.html"
    links = main(parse(index)).select("dl.scale-definitions dt a")
    assert [resolve(index, a["href"], built.out)[0] for a in links] == [
        built.out / "ratings" / r.id / "index.html" for r in exp.ratings
    ]
    counts = [text_of(dt_) for dt_ in main(parse(index)).select("dl.scale-definitions dt")]
    for rating, shown in zip(exp.ratings, counts, strict=True):
        count = sum(1 for c in exp.claims.values() if c["rating"] == rating.id)
        assert exp.t("count.fact_checks", count=count) in shown, (rating.id, shown)
    method = built.out / "methodology" / "index.html"
    targets = {resolve(method, a["href"], built.out)[0] for a in main(parse(method)).select("a")}
    assert {built.out / "ratings" / r.id / "index.html" for r in exp.ratings} <= targets
    for cid, data in exp.claims.items():
        page = built.out / "claims" / cid / "index.html"
        scale = parse(page).select("ol.scale li")
        assert [text_of(li) for li in scale] == [squash(r.label) for r in exp.ratings]
        for li, rating in zip(scale, exp.ratings, strict=True):
            target, _ = resolve(page, li.a["href"], built.out)
            assert target == built.out / "ratings" / rating.id / "index.html"
            assert (li.get("aria-current") == "true") == (rating.id == data["rating"])


def test_each_rating_has_a_feed_of_its_own_fact_checks_newest_first(built: Built) -> None:
    exp = built.expected
    base = exp.base_url
    for rating in exp.ratings:
        rated = {cid for cid, data in exp.claims.items() if data["rating"] == rating.id}
        file = built.out / "ratings" / rating.id / "feed.xml"
        page = built.out / "ratings" / rating.id / "index.html"
        own = parse(page).head.find_all("link", rel="alternate", type="application/atom+xml")
        if not rated:
            assert not file.exists() and len(own) == 1  # the site's feed only
            continue
        assert resolve(page, own[-1]["href"], built.out)[0] == file
        feed = feedparser.parse(file.read_bytes())
        assert not feed.bozo, feed.bozo_exception
        assert feed.feed.id == f"{base}ratings/{rating.id}/feed.xml"
        assert squash(rating.label) in feed.feed.title
        links = [entry.link.split("#")[0] for entry in feed.entries]
        assert {link.removeprefix(base + "claims/").strip("/") for link in links} == rated
        days = [dt.date(*entry.updated_parsed[:3]) for entry in feed.entries]
        assert days == sorted(days, reverse=True)
        newest = max(modified(exp.claims[cid]) for cid in rated)
        assert dt.date(*feed.feed.updated_parsed[:3]) == newest


# --- Related fact-checks ---------------------------------------------------------------------


def related(soup: BeautifulSoup) -> list[str]:
    box = section(soup, "related")
    return [claim_id_of(c["href"]) for c in cards(box)] if box else []


def test_related_lists_are_the_same_in_every_build(bundled: Built, tmp_path: Path) -> None:
    again = tmp_path / "_site"
    build(REPO, again)
    for cid in bundled.expected.claims:
        first = related(bundled.page(f"claims/{cid}/"))
        assert first == related(parse(again / "claims" / cid / "index.html")), cid
        assert cid not in first


def test_related_fact_checks_are_ranked_by_what_they_share_then_date_then_id(
    tmp_path: Path,
) -> None:
    """On the paginated scratch site (11 fact-checks, two claimants, topics budget and
    housing), with claim 9 also quoting claim 0's passage: every claim page lists the others
    by score (RELATED_WEIGHTS), the newer first, then by id."""
    root = write_site(tmp_path / "site")
    claim_9 = root / "content" / "claims" / "claim-09.yaml"
    edit(
        claim_9,
        "rating:",
        "evidence:\n  - source: minutes\n    quote: spent money on alpha\nrating:",
    )
    out = tmp_path / "_site"
    build(root, out)
    folder = root / "content" / "claims"
    claims = {p.stem: yaml.safe_load(p.read_text("utf-8")) for p in sorted(folder.glob("*.yaml"))}

    def quoted(data: dict[str, Any]) -> set[str]:
        return {q["quote"] for q in [*data["appearances"], *data.get("evidence", [])]}

    def score(a: dict[str, Any], b: dict[str, Any]) -> int:
        points = RELATED_WEIGHTS["claimant"] * (a["claimant"] == b["claimant"])
        points += RELATED_WEIGHTS["tag"] * len(set(a["tags"]) & set(b["tags"]))
        return points + RELATED_WEIGHTS["passage"] * len(quoted(a) & quoted(b))

    order = {cid: n for n, cid in enumerate(newest_first(claims))}
    for cid, data in claims.items():
        others = [o for o in claims if o != cid and score(data, claims[o])]
        others.sort(key=lambda o: (-score(data, claims[o]), order[o]))
        shown = related(parse(out / "claims" / cid / "index.html"))
        assert shown == others[:RELATED_LIMIT], cid
    assert related(parse(out / "claims" / "claim-00" / "index.html"))[0] == "claim-09"


# --- Share cards -----------------------------------------------------------------------------


def card_of(out: Path, cid: str) -> Image.Image:
    return Image.open(io.BytesIO((out / "claims" / cid / "card.png").read_bytes()))


def test_every_fact_check_has_its_card_named_by_its_page(built: Built) -> None:
    exp = built.expected
    found = sorted(p.parent.name for p in built.out.rglob("card.png"))
    assert found == sorted(exp.claims)  # one per fact-check, beside its page
    for cid in exp.claims:
        image = card_of(built.out, cid)
        assert (image.format, image.size) == ("PNG", (1200, 630))
        soup = built.page(f"claims/{cid}/")
        url = f"{exp.base_url}claims/{cid}/card.png"
        assert meta(soup, "og:image") == url == meta(soup, "twitter:image")
        assert (meta(soup, "og:image:width"), meta(soup, "og:image:height")) == ("1200", "630")
        assert meta(soup, "twitter:card") == "summary_large_image"
        claim, claimant, label = exp.claim_text(cid), exp.claimant(cid), exp.rating(cid).label
        alt = share.alt_text(claim, claimant, label, exp.ui)
        assert meta(soup, "og:image:alt") == alt == meta(soup, "twitter:image:alt")
    for page in built.out.rglob("*.html"):
        if page.parent.parent.name != "claims":
            assert meta(parse(page), "og:image") is None, page


def band(image: Image.Image) -> tuple[int, ...]:
    """The colour of the rating band, at the card's bottom left corner."""
    return image.convert("RGB").getpixel((5, 625))


def test_a_different_rating_gives_a_different_card(built: Built) -> None:
    exp = built.expected
    by_rating: dict[str, str] = {}
    for cid in exp.claims:
        by_rating.setdefault(exp.claims[cid]["rating"], cid)
    assert len(by_rating) > 1
    colours = {rating: band(card_of(built.out, cid)) for rating, cid in by_rating.items()}
    files = [built.out / "claims" / cid / "card.png" for cid in by_rating.values()]
    assert len({file.read_bytes() for file in files}) == len(files)
    # The badges' colours: ratings of different tones get different bands.
    assert len(set(colours.values())) > 1


def test_a_rating_changed_changes_the_card(bundled_copy: Path, tmp_path: Path) -> None:
    out = tmp_path / "_site"
    build(bundled_copy, out)
    before = card_of(out, "up-to-87-million")
    claim = bundled_copy / "content" / "claims" / "up-to-87-million.yaml"
    edit(claim, "rating: unproven", "rating: inaccurate")
    build(bundled_copy, out)
    after = card_of(out, "up-to-87-million")
    assert band(before) != band(after)


@pytest.fixture
def drawn(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The claims whose cards are drawn, build after build (one process: a spy does not see
    into forked workers)."""
    found: list[str] = []
    draw = share.card_png

    def spy(claim: str, *args: Any, **kw: Any) -> bytes:
        found.append(claim)
        return draw(claim, *args, **kw)

    monkeypatch.setattr(share, "card_png", spy)
    monkeypatch.setenv("FACTCHECK_PROCESSES", "1")
    return found


def test_a_card_is_drawn_again_only_when_what_it_shows_changes(
    bundled_copy: Path, tmp_path: Path, drawn: list[str]
) -> None:
    out = tmp_path / "_site"
    build(bundled_copy, out)
    assert len(drawn) == len(list((bundled_copy / "content" / "claims").glob("*.yaml")))
    claim = bundled_copy / "content" / "claims" / "up-to-87-million.yaml"
    drawn.clear()
    edit(claim, "The claim is Facebook's own estimate", "The claim is Facebook's estimate")
    build(bundled_copy, out)
    assert drawn == []  # the analysis is not on the card
    assert "Facebook's estimate" in (out / "claims" / "up-to-87-million" / "index.html").read_text()
    edit(claim, "may have been improperly shared", "may have been shared")
    build(bundled_copy, out)
    assert drawn == ["Up to 87 million users' data may have been shared"]
    # A template is not on the cards: editing one makes every page again, and no card.
    drawn.clear()
    theme = bundled_copy / "theme"
    if theme.is_symlink() or not theme.exists():  # the shipped theme: edit a copy of it
        theme.unlink(missing_ok=True)
        shutil.copytree(DEFAULT_THEME, theme)
    base = theme / "templates" / "base.html"
    base.write_text(base.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    build(bundled_copy, out)
    assert drawn == []
    assert (out / "index.html").read_bytes().endswith(b"\n\n")


# --- A card the font cannot draw ----------------------------------------------------------------


def test_a_card_the_font_cannot_draw_is_a_located_warning_and_no_card(tmp_path: Path) -> None:
    root = write_site(tmp_path / "site")
    claim = root / "content" / "claims" / "claim-03.yaml"
    edit(claim, 'claim: "The council spent', 'claim: "議会 The council spent')
    out = tmp_path / "_site"
    result = build(root, out)
    (warning,) = [d for d in result.diagnostics if "share card" in d.message]
    assert warning.severity is Severity.WARNING
    assert (warning.path, warning.line, warning.col) == ("content/claims/claim-03.yaml", 1, 8)
    assert "U+8B70" in warning.message
    assert not (out / "claims" / "claim-03" / "card.png").exists()
    soup = parse(out / "claims" / "claim-03" / "index.html")
    assert meta(soup, "og:image") is None and meta(soup, "twitter:card") == "summary"
    assert (out / "claims" / "claim-02" / "card.png").is_file()
    strict = pipeline.build(Paths.for_site(root, tmp_path / "strict"), Options(strict=True))
    assert not strict.ok
    assert any(
        d.severity is Severity.ERROR and "share card" in d.message for d in strict.diagnostics
    )


def test_the_card_check_agrees_with_the_drawing() -> None:
    """What the loader and the renderer ask (refusal) is what card_png refuses."""
    for texts in [("Fine", "A", "B", "C"), ("議会", "A", "B", "C"), ("Ελλάδα", "Б", "B", "C")]:
        why = share.refusal(texts, "ltr")
        try:
            share.card_png(texts[0], texts[1], texts[2], "#123456", texts[3])
        except share.CardError as error:
            assert why == str(error)
        else:
            assert why == ""


# --- No promise of a rich result ---------------------------------------------------------------


def test_nothing_promises_a_rich_result_in_google_search(built: Built) -> None:
    """ClaimReview stays (Fact Check Explorer reads it), but Google Search phased out the
    fact-check snippet in 2025: neither the site nor the README may promise one."""
    texts = [(REPO / "README.md").read_text(encoding="utf-8")]
    texts += [p.read_text(encoding="utf-8") for p in built.out.rglob("*.html")]
    for text in texts:
        lowered = " ".join(text.lower().split())
        assert "rich result" not in lowered and "rich snippet" not in lowered


def test_rating_urls() -> None:
    rating = Rating("false", "False", "Not so.", 1)
    assert urls.rating(rating) == "ratings/false/"
    assert urls.rating_feed(rating) == "ratings/false/feed.xml"
