"""The bundled content: seeds kept byte for byte, every seed cited, enough fact-checks."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from generator import anchoring, content, loader, validate
from generator.config import Options
from generator.diagnostics import Diagnostics

REPO = Path(__file__).resolve().parent.parent
ORIGINALS = REPO.parent / "shared" / "seeds"


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


def test_archived_seeds_are_byte_identical_to_the_originals() -> None:
    if not ORIGINALS.is_dir():
        pytest.fail(f"the original seeds are expected beside the repository at {ORIGINALS}")
    originals = sorted(p.name for p in ORIGINALS.iterdir())
    assert sorted(p.name for p in (REPO / "seeds").iterdir()) == originals
    for name in originals:
        assert (REPO / "seeds" / name).read_bytes() == (ORIGINALS / name).read_bytes(), name


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
