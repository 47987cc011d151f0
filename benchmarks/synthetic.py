"""Synthetic sites for benchmarks: N fact-checks in the real content format, deterministic."""

from __future__ import annotations

import hashlib
import random
from pathlib import Path

# Claims per archived article: each article holds the quoted passages of this many claims.
CLAIMS_PER_SOURCE = 10
# Claims per measure: every claim gives a figure, grouped into measures of this size.
CLAIMS_PER_MEASURE = 20


def _vocabulary(size: int) -> list[str]:
    """Pronounceable pseudo-words, so text has a realistic number of distinct words."""
    rng = random.Random(0)
    syllables = [c + v for c in "bcdfghklmnprstvz" for v in "aeiou"]
    words = {"".join(rng.choice(syllables) for _ in range(rng.randint(1, 4))) for _ in range(size)}
    return sorted(words)


COMMON = [
    "the",
    "of",
    "and",
    "to",
    "in",
    "a",
    "is",
    "that",
    "for",
    "on",
    "was",
    "with",
    "as",
    "by",
    "it",
    "at",
    "from",
]
WORDS = COMMON + _vocabulary(3000)
# Zipf's law: the n-th most common word appears about 1/n as often as the first.
WEIGHTS = [1 / (rank + 1) for rank in range(len(WORDS))]
PEOPLE = [f"Speaker {chr(65 + i)}{chr(65 + j)}" for i in range(26) for j in range(4)]
TAGS = [f"topic-{i}" for i in range(60)]
RATINGS = ["accurate", "mostly-accurate", "unproven", "misleading", "inaccurate"]
BOUNDS = [("exact", ""), ("about", "about "), ("at-least", "at least "), ("at-most", "up to ")]


def _sentence(rng: random.Random, words: int) -> str:
    text = " ".join(rng.choices(WORDS, WEIGHTS, k=words))
    return text[0].upper() + text[1:] + "."


def _quote(claim: int, part: int) -> str:
    """A passage unique to one claim, so every quotation matches exactly once."""
    rng = random.Random(claim * 10 + part)
    return f"Item {claim}-{part} " + " ".join(rng.choices(WORDS, WEIGHTS, k=9))


def _figure_sentence(claim: int, value: int, words: str) -> str:
    rng = random.Random(claim * 10)
    before, after = rng.choices(WORDS, WEIGHTS, k=5), rng.choices(WORDS, WEIGHTS, k=4)
    return f"{' '.join(before)} counted {words}{value:,} cases {' '.join(after)}"


def _article(rng: random.Random, claims: range) -> str:
    paragraphs = [f"Synthetic report {claims.start // CLAIMS_PER_SOURCE}"]
    for claim in claims:
        value, (_, words) = _figure(claim)
        paragraphs.append(f"{_sentence(rng, 14)} {_quote(claim, 1)}. {_sentence(rng, 10)}")
        paragraphs.append(f"{_sentence(rng, 12)} {_quote(claim, 2)}, the minister said.")
        paragraphs.append(f"{_figure_sentence(claim, value, words)}. {_sentence(rng, 16)}")
    return "\n\n".join(paragraphs) + "\n"


def _figure(claim: int) -> tuple[int, tuple[str, str]]:
    return 1000 + (claim * 7919) % 90000, BOUNDS[claim % len(BOUNDS)]


def _analysis(rng: random.Random) -> str:
    """About 2 KB of Markdown: paragraphs, a list, emphasis and a link."""
    parts = []
    for i in range(4):
        parts.append(" ".join(_sentence(rng, 12) for _ in range(3)))
        if i == 1:
            items = (f"- *{rng.choice(WORDS)}*: {_sentence(rng, 8)}" for _ in range(3))
            parts.append("\n".join(items))
    parts.append("See [the methodology](https://example.org/methodology) for details.")
    return "\n\n".join(parts)


def _claim_yaml(rng: random.Random, claim: int, source: str) -> str:
    value, (bound, words) = _figure(claim)
    quote = _figure_sentence(claim, value, words)
    analysis = "\n".join("  " + line if line else "" for line in _analysis(rng).split("\n"))
    tags = sorted(rng.sample(TAGS, 2))
    correction = ""
    if claim % 10 == 0:
        correction = "corrections:\n  - date: 2024-03-02\n    text: A figure was corrected.\n"
    return (
        f"claim: Record {claim} shows {words}{value:,} cases\n"
        f"claimant: {PEOPLE[claim % len(PEOPLE)]}\n"
        f"date: 2024-01-{1 + claim % 28:02d}\n"
        "appearances:\n"
        f'  - source: {source}\n    quote: "{quote}"\n'
        f'  - source: {source}\n    quote: "{_quote(claim, 1)}"\n'
        f"rating: {RATINGS[claim % len(RATINGS)]}\n"
        f"summary: The record gives {words}{value:,} cases; the committee review supports it.\n"
        f"analysis: |\n{analysis}\n"
        "evidence:\n"
        f'  - source: {source}\n    quote: "{_quote(claim, 2)}"\n    note: The approval.\n'
        f"tags: [{', '.join(tags)}]\n"
        f"published: 2024-02-{1 + claim % 28:02d}\n"
        f"{correction}"
        "figure:\n"
        f"  measure: measure-{claim // CLAIMS_PER_MEASURE}\n"
        f"  value: {value}\n"
        f"  bound: {bound}\n"
    )


def write_site(root: Path, claims: int, seed: int = 1) -> Path:
    """Write a site with `claims` fact-checks into root; the same arguments give the same bytes."""
    rng = random.Random(seed)
    for folder in ("content/claims", "content/sources", "content/measures", "seeds"):
        (root / folder).mkdir(parents=True, exist_ok=True)
    (root / "content/site.yaml").write_text(
        "title: Synthetic fact-checks\nbase_url: https://example.org/\n"
        "publisher:\n  name: Benchmark desk\n"
    )
    for start in range(0, claims, CLAIMS_PER_SOURCE):
        source = f"source-{start // CLAIMS_PER_SOURCE}"
        text = _article(rng, range(start, min(start + CLAIMS_PER_SOURCE, claims)))
        (root / "seeds" / f"{source}.txt").write_text(text)
        digest = hashlib.sha256(text.encode()).hexdigest()
        (root / "content/sources" / f"{source}.yaml").write_text(
            f"file: {source}.txt\ntitle: Synthetic report {source}\noutlet: The Synthetic Post\n"
            f"sha256: {digest}\n"
        )
        for claim in range(start, min(start + CLAIMS_PER_SOURCE, claims)):
            path = root / "content/claims" / f"claim-{claim}.yaml"
            path.write_text(_claim_yaml(rng, claim, source))
    for measure in range((claims + CLAIMS_PER_MEASURE - 1) // CLAIMS_PER_MEASURE):
        (root / "content/measures" / f"measure-{measure}.yaml").write_text(
            f"title: Cases in group {measure}\nunit: cases\ndescription: Synthetic figures.\n"
        )
    return root


def edit_one_claim(root: Path, claim: int) -> None:
    """Change one claim's summary, as an editor fixing a sentence would."""
    path = root / "content" / "claims" / f"claim-{claim}.yaml"
    text = path.read_text()
    path.write_text(text.replace("summary: The record", "summary: As edited, the record", 1))
