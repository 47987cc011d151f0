"""ClaimReview: each claim page carries one JSON-LD ClaimReview that says what the page shows.

Checked on the bundled site and on the fictional fixture site (its own three-step scale and
corrections), and on a site whose claim text tries to break out of the <script> element.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml
from sitecheck import (
    Built,
    h1_text,
    html_files,
    json_ld,
    parse,
    squash,
    text_of,
    visible_text,
)

from generator import pipeline
from generator.config import Options, Paths


def the_review(soup) -> dict[str, Any]:
    scripts = soup.find_all("script", attrs={"type": "application/ld+json"})
    assert len(scripts) == 1, f"{len(scripts)} JSON-LD scripts"
    (review,) = json_ld(soup)
    assert review["@type"] == "ClaimReview"
    assert review["@context"] in {"https://schema.org", "https://schema.org/"}
    return review


def test_each_claim_page_has_one_claim_review_matching_the_page(built: Built) -> None:
    exp = built.expected
    scale = exp.ratings
    for cid, data in exp.claims.items():
        soup = built.page(f"claims/{cid}/")
        review = the_review(soup)
        assert review["url"] == exp.base_url + f"claims/{cid}/"
        assert review["url"] == soup.find("link", rel="canonical")["href"]
        assert review["claimReviewed"] == h1_text(soup) == exp.claim_text(cid)
        assert review["datePublished"] == data["published"].isoformat()
        assert dt.date.fromisoformat(review["datePublished"])
        assert review["author"]["name"] == exp.publisher
        assert squash(review["reviewBody"]) == text_of(soup.select_one("p.summary"))

        rating = review["reviewRating"]
        assert rating["worstRating"] >= 1
        assert rating["bestRating"] == len(scale)
        assert rating["worstRating"] <= rating["ratingValue"] <= rating["bestRating"]
        shown = visible_text(soup.select_one(".rating-line"))
        assert rating["alternateName"] == shown == exp.rating(cid).label
        # The scale is listed best first; the best rating has the highest value.
        position = rating["bestRating"] - rating["ratingValue"]
        assert scale[position].label == shown
        assert rating["worstRating"] == rating["bestRating"] - len(scale) + 1

        item = review["itemReviewed"]
        assert item["@type"] == "Claim"
        claimant = text_of(soup.select_one("p.byline a"))
        assert item["author"]["name"] == claimant == exp.claimant(cid)
        wanted_type = {"organization": "Organization"}.get(data.get("claimant_type"), "Person")
        assert item["author"]["@type"] == wanted_type
        if data.get("date"):
            assert item["datePublished"] == data["date"].isoformat()

        corrections = data.get("corrections", [])
        if corrections:
            latest = max(c["date"] for c in corrections)
            assert review["dateModified"] == max(latest, data["published"]).isoformat()
        else:
            assert "dateModified" not in review


def test_appearances_with_an_address_are_listed_in_the_claim_review(built: Built) -> None:
    exp = built.expected
    for cid, data in exp.claims.items():
        review = the_review(built.page(f"claims/{cid}/"))
        cited = dict.fromkeys(a["source"] for a in data["appearances"])
        wanted = [exp.sources[sid]["url"] for sid in cited if exp.sources[sid].get("url")]
        listed = [w["url"] for w in review["itemReviewed"].get("appearance", [])]
        assert listed == wanted


def test_no_other_page_has_a_claim_review(built: Built) -> None:
    claims_folder = built.out / "claims"
    checked = 0
    for page in html_files(built.out):
        if page.parent.parent == claims_folder:
            continue
        found = [d for d in json_ld(parse(page)) if d.get("@type") == "ClaimReview"]
        assert found == [], page.relative_to(built.out)
        checked += 1
    assert checked >= len(built.expected.sources) + 5


HOSTILE = 'Le budget </script><script>alert(1)</script> & <!-- "voté" -->'


def test_claim_text_cannot_break_out_of_the_json_ld(
    fixture_site: Callable[[str], Path], tmp_path: Path
) -> None:
    root = fixture_site("minimal-site")
    claim_file = root / "content" / "claims" / "dette-doublee.yaml"
    data = yaml.safe_load(claim_file.read_text(encoding="utf-8"))
    data["claim"] = HOSTILE
    claim_file.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), "utf-8")
    out = tmp_path / "_site"
    result = pipeline.build(Paths.for_site(root, out), Options())
    assert result.ok, "\n".join(d.format() for d in result.diagnostics)

    page = out / "claims" / "dette-doublee" / "index.html"
    soup = parse(page)
    assert len(soup.find_all("script")) == 1
    assert the_review(soup)["claimReviewed"] == HOSTILE
    assert h1_text(soup) == HOSTILE
    raw = page.read_text(encoding="utf-8")
    assert "</script><script>" not in raw
    assert "<!--" not in raw
    # Every page showing the claim shows it as text, and runs no script.
    shown = 0
    for other in html_files(out):
        other_soup = parse(other)
        scripts = other_soup.find_all("script")
        if other.relative_to(out).as_posix() == "search/index.html":
            # The theme's search script, the one a page may load (sitecheck.SEARCH_SCRIPT).
            assert [s.get("src") for s in scripts] == ["../static/search.js"]
            continue
        assert [s.get("type") for s in scripts] in ([], ["application/ld+json"])
        shown += [text_of(a) for a in other_soup.select(".card-title a")].count(HOSTILE)
    assert shown >= 2  # the home page and the 404 page at least
