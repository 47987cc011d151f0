"""The bundled content: seeds kept byte for byte, every seed cited, enough fact-checks."""

from __future__ import annotations

import hashlib
import re
import shutil
from pathlib import Path

import pytest
import yaml

from generator.analyse import anchoring
from generator.config import Options
from generator.diagnostics import Diagnostics
from generator.load import content, loader, validate

REPO = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def model() -> content.Content:
    diags = Diagnostics()
    raw = validate.check_content(loader.load_content(REPO, diags), diags)
    built = content.build(raw, Options(strict=True), diags)
    assert built is not None, [d.format() for d in diags.sorted()]
    content.check_claimants(built.claims, diags)
    anchoring.analyse(built, diags)
    assert not diags.sorted(), [d.format() for d in diags.sorted()]
    return built


def test_every_archived_seed_matches_the_checksum_its_source_records() -> None:
    """The seeds are kept byte for byte: each source records its file's sha256 (the build
    refuses a file that no longer matches it), and every seed is covered by one."""
    recorded = {}
    for path in sorted((REPO / "content" / "sources").glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        assert re.fullmatch(r"[0-9a-f]{64}", data.get("sha256", "")), path.name
        recorded[data["file"]] = data["sha256"]
    seeds = {p.name: p.read_bytes() for p in (REPO / "seeds").iterdir()}
    assert sorted(recorded) == sorted(seeds)
    for name, data in seeds.items():
        assert hashlib.sha256(data).hexdigest() == recorded[name], name


def test_a_changed_byte_in_a_bundled_seed_fails_the_build(tmp_path: Path) -> None:
    site = tmp_path / "site"
    shutil.copytree(REPO / "content", site / "content")
    shutil.copytree(REPO / "seeds", site / "seeds")
    seed = min((site / "seeds").iterdir())
    data = seed.read_bytes()
    seed.write_bytes(data[:-2] + bytes([data[-2] ^ 1]) + data[-1:])
    diags = Diagnostics()
    raw = validate.check_content(loader.load_content(site, diags), diags)
    content.build(raw, Options(), diags)
    messages = [d.message for d in diags.sorted()]
    assert f"archived file seeds/{seed.name} has changed: its sha256 is not the one recorded" in (
        messages
    )


def test_every_seed_has_a_source_file(model: content.Content) -> None:
    described = {source.file for source in model.sources.values()}
    assert described == {p.name for p in (REPO / "seeds").iterdir()}


def test_every_seed_is_cited_by_a_fact_check(model: content.Content) -> None:
    cited = {ref.source for claim in model.claims for ref in claim.quotes()}
    assert cited == set(model.sources)


def test_at_least_twelve_fact_checks_pass_strict_checks(model: content.Content) -> None:
    assert len(model.claims) >= 12


def test_no_source_has_an_invented_address_or_date() -> None:
    """The archived texts give no original address or publication date, so none may appear."""
    for path in (REPO / "content" / "sources").glob("*.yaml"):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        text = (REPO / "seeds" / data["file"]).read_text(encoding="utf-8")
        assert "published" not in data, f"{path.name}: no archived text states its date"
        if "url" in data:
            assert data["url"] in text, f"{path.name}: url not given by the archive"
        if "author" in data:
            assert data["author"] in text, f"{path.name}: author not named in the archive"
        if "outlet" in data:
            assert data["outlet"] in text, f"{path.name}: outlet not named in the archive"


def first_sentence(text: str) -> str:
    """The text up to the end of its first sentence (a full stop followed by a space)."""
    return re.split(r"(?<=[.!?])\s", " ".join(text.split()), maxsplit=1)[0]


def test_every_summary_opens_with_its_finding(model: content.Content) -> None:
    """A reader who reads one sentence learns the verdict and why: the summary opens with the
    rating's label, then says in the same sentence what the check found."""
    for claim in model.claims:
        opening = first_sentence(claim.summary)
        label = claim.rating.label
        assert opening.lower().startswith(f"{label.lower()}: "), (claim.id, opening)
        finding = opening[len(label) + 2 :]
        assert len(finding.split()) >= 8, (claim.id, opening)


def test_an_unproven_check_says_first_what_cannot_be_settled(model: content.Content) -> None:
    unproven = [claim for claim in model.claims if claim.rating.id == "unproven"]
    assert unproven
    for claim in unproven:
        opening = first_sentence(claim.summary).lower()
        assert re.search(r"\b(cannot|neither|no archived|not known|nothing|only)\b", opening), (
            opening
        )
