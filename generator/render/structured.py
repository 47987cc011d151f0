"""Structured data: the schema.org ClaimReview of a claim page, as JSON-LD safe to embed in HTML."""

from __future__ import annotations

import json
from typing import Any

from .. import urls
from ..model import Claim, Site, Source


def claim_review(claim: Claim, site: Site, sources: dict[str, Source]) -> dict[str, Any]:
    """The ClaimReview for one fact-check; every text in it is the text the page shows."""
    review: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "ClaimReview",
        "url": urls.absolute(urls.claim(claim), site.base_url),
        "claimReviewed": claim.claim,
        "datePublished": claim.published.isoformat(),
        # The language of the review (its claim, summary and rating as the page gives them).
        "inLanguage": site.language,
        "author": {"@type": "Organization", "name": site.publisher.name, "url": site.publisher.url},
        "reviewRating": {
            "@type": "Rating",
            "ratingValue": claim.rating.value,
            "bestRating": len(site.ratings),
            "worstRating": 1,
            "alternateName": claim.rating.label,
        },
        "reviewBody": claim.summary,
        "itemReviewed": _claim_item(claim, sources),
    }
    if claim.corrections:
        review["dateModified"] = claim.modified.isoformat()
    return review


def _claim_item(claim: Claim, sources: dict[str, Source]) -> dict[str, Any]:
    item: dict[str, Any] = {
        "@type": "Claim",
        "author": {
            "@type": "Organization" if claim.claimant_type == "organization" else "Person",
            "name": claim.claimant,
        },
    }
    if claim.date:
        item["datePublished"] = claim.date.isoformat()
    appearances = [_appearance(sources[sid]) for sid in _cited_sources(claim) if sources[sid].url]
    if appearances:
        item["appearance"] = appearances
    return item


def _cited_sources(claim: Claim) -> list[str]:
    return list(dict.fromkeys(ref.source for ref in claim.appearances))


def _appearance(source: Source) -> dict[str, Any]:
    work: dict[str, Any] = {"@type": "CreativeWork", "url": source.url, "headline": source.title}
    if source.language:
        work["inLanguage"] = source.language
    if source.outlet:
        work["publisher"] = {"@type": "Organization", "name": source.outlet}
    if source.published:
        work["datePublished"] = source.published.isoformat()
    return work


def to_script(data: dict[str, Any]) -> str:
    """JSON for a <script> element; `<`, `>` and `&` escaped so no text can close it."""
    text = json.dumps(data, ensure_ascii=False, indent=2, sort_keys=False)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
