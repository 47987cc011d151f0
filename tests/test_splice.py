"""claims.json made from the last build's copy: after an edit, only the edited fact-check's
line is made, every other one copied, and the file is byte for byte what a full build writes;
a copy that is not the one the last build wrote is never copied from."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from generator import pipeline
from generator.config import Options, Paths
from generator.render import publish

REPO = Path(__file__).resolve().parent.parent
CLAIM = "content/claims/up-to-87-million.yaml"


def build(root: Path, out: Path) -> None:
    result = pipeline.build(Paths.for_site(root, out), Options())
    assert result.ok, "\n".join(d.format() for d in result.diagnostics)


def full_build(root: Path, tmp_path: Path) -> bytes:
    """claims.json as a build with no cache and no previous site writes it."""
    out = tmp_path / "full" / "_site"
    build(root, out)
    return (out / "claims.json").read_bytes()


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def edit_claim(root: Path) -> None:
    edit(root / CLAIM, "the archive confirms that", "the archive confirms plainly that")


@pytest.fixture
def site(bundled_copy: Path) -> Path:
    return bundled_copy


@pytest.fixture
def made(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The ids of the fact-checks whose line of claims.json is made (not copied)."""
    ids: list[str] = []
    claim_row = publish.claim_row
    monkeypatch.setattr(
        publish, "claim_row", lambda c, a, claim: ids.append(claim.id) or claim_row(c, a, claim)
    )
    return ids


def claim_ids(root: Path) -> list[str]:
    return sorted(p.stem for p in (root / "content" / "claims").glob("*.yaml"))


def test_an_edit_makes_only_its_own_line_and_copies_the_others(
    site: Path, tmp_path: Path, made: list[str]
) -> None:
    out = tmp_path / "_site"
    build(site, out)
    assert made == claim_ids(site)  # a first build makes every line
    made.clear()
    edit_claim(site)
    build(site, out)
    assert made == ["up-to-87-million"]
    written = (out / "claims.json").read_bytes()
    assert written == full_build(site, tmp_path)
    entry = next(c for c in json.loads(written)["claims"] if c["id"] == "up-to-87-million")
    assert "the archive confirms plainly that" in entry["summary"]


def test_a_template_edit_copies_every_line_from_the_site_it_replaces(
    site: Path, tmp_path: Path, made: list[str]
) -> None:
    """A template edit changes every page, so the new site is written beside the old one and
    swapped in: the lines are copied from the old site's file before it goes."""
    out = tmp_path / "_site"
    build(site, out)
    edit(site / "theme" / "templates" / "base.html", "<body", "<body data-v2")
    made.clear()
    build(site, out)
    assert made == []
    assert (out / "claims.json").read_bytes() == full_build(site, tmp_path)


def test_a_claim_edit_after_a_style_edit_still_copies_the_other_lines(
    site: Path, tmp_path: Path, made: list[str]
) -> None:
    """The style sheet edit reuses claims.json without looking up where its lines are: that
    must still be known to the next build that makes the file."""
    out = tmp_path / "_site"
    build(site, out)
    styles = next((site / "theme" / "static").rglob("*.css"))
    styles.write_text(styles.read_text(encoding="utf-8") + "\n/* v2 */\n", encoding="utf-8")
    build(site, out)
    made.clear()
    edit_claim(site)
    build(site, out)
    assert made == ["up-to-87-million"]


@pytest.mark.parametrize("change", ["same size", "removed"])
def test_a_claims_json_changed_by_hand_is_not_copied_from(
    site: Path, tmp_path: Path, made: list[str], change: str
) -> None:
    out = tmp_path / "_site"
    build(site, out)
    published = out / "claims.json"
    if change == "removed":
        published.unlink()
    else:  # the same number of bytes, so that only its time and inode tell
        text = published.read_text(encoding="utf-8")
        published.write_text(text.replace("Facebook", "Fakebook"), encoding="utf-8")
    made.clear()
    edit_claim(site)
    build(site, out)
    assert made == claim_ids(site)
    assert published.read_bytes() == full_build(site, tmp_path)


def test_a_deleted_fact_check_leaves_no_line(site: Path, tmp_path: Path, made: list[str]) -> None:
    out = tmp_path / "_site"
    build(site, out)
    gone = sorted((site / "content" / "claims").glob("*.yaml"))[0]
    gone.unlink()
    made.clear()
    build(site, out)
    ids = [c["id"] for c in json.loads((out / "claims.json").read_bytes())["claims"]]
    assert gone.stem not in ids and ids == claim_ids(site)
    assert (out / "claims.json").read_bytes() == full_build(site, tmp_path)
