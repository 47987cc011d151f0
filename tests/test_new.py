"""`build.py new claim` and `build.py new source`, on a copy of the fixture site, run as a user
would: what they write, that it is valid, and that they never overwrite anything."""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from pathlib import Path

import pytest
import yaml
from conftest import REPO, run_cli

from generator import scaffold
from generator.diagnostics import Diagnostics, Location
from generator.load import loader, validate

FIRST_LINE = re.compile(r"# yaml-language-server: \$schema=(\S+)")
ARTICLE = "Headline of the article\n\nFirst paragraph, with “a quotation of several words”.\n"


@pytest.fixture
def site(fixture_site) -> Path:
    return fixture_site("minimal-site")


def snapshot(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file()}


def schema_of(path: Path) -> Path:
    """The schema the file's first line names, resolved from the file's folder."""
    match = FIRST_LINE.fullmatch(path.read_text("utf-8").split("\n", 1)[0])
    assert match, path
    return (path.parent / match[1]).resolve()


def validates(path: Path, root: Path, kind: str) -> bool:
    diags = Diagnostics()
    rel = path.relative_to(root).as_posix()
    data = loader.load_yaml(path, root, diags)
    ok = data is not None and validate.check(data, kind, Location(rel, 1, 1), diags)
    assert ok, [d.format() for d in diags.sorted()]
    return ok


# --- new claim -------------------------------------------------------------------------------


def test_new_claim_writes_a_valid_commented_skeleton(site: Path) -> None:
    result = run_cli("new", "claim", "budget-en-hausse", "--root", str(site))
    assert result.returncode == 0, result.stderr
    path = site / "content" / "claims" / "budget-en-hausse.yaml"
    assert result.stdout.splitlines()[0] == "wrote content/claims/budget-en-hausse.yaml"
    assert schema_of(path) == REPO / "schemas" / "claim.schema.json"
    text = path.read_text("utf-8")
    assert sum(line.startswith("#") for line in text.splitlines()) >= 10  # commented
    data = yaml.safe_load(text)
    assert data["published"] == dt.date.today()
    assert all(data[k].startswith("TODO") for k in ("claim", "claimant", "summary", "analysis"))
    assert validates(path, site, "claim")


def test_check_reports_the_placeholders_of_a_new_claim_and_nothing_else(site: Path) -> None:
    assert run_cli("new", "claim", "nouvelle", "--root", str(site)).returncode == 0
    result = run_cli("check", "--root", str(site))
    assert result.returncode == 1
    errors = [line for line in result.stderr.splitlines() if ": error: " in line]
    assert len(errors) == 2, result.stderr
    assert all(e.startswith("content/claims/nouvelle.yaml:") for e in errors)
    assert "unknown source 'todo-source'" in errors[0]
    assert "unknown rating 'todo-rating'" in errors[1]
    # The hints name what to write instead.
    assert "gazette-budget, radio-conseil" in result.stderr
    assert "vrai, trompeur, faux" in result.stderr


def test_a_filled_in_claim_skeleton_builds(site: Path) -> None:
    assert run_cli("new", "claim", "nouvelle", "--root", str(site)).returncode == 0
    path = site / "content" / "claims" / "nouvelle.yaml"
    text = path.read_text("utf-8")
    text = text.replace("source: todo-source", "source: radio-conseil")
    text = text.replace(
        '"TODO: the words, exactly as the archived text has them"',
        '"un emprunt de 600 000 euros pour la piscine Saint-Aubin"',
    )
    path.write_text(text.replace("rating: todo-rating", "rating: vrai"), "utf-8")
    result = run_cli("check", "--root", str(site))
    assert result.returncode == 0, result.stderr


def test_new_claim_never_overwrites_a_claim(site: Path) -> None:
    before = snapshot(site)
    result = run_cli("new", "claim", "dette-doublee", "--root", str(site))
    assert result.returncode == 1
    assert result.stderr.splitlines() == [
        "error: content/claims/dette-doublee.yaml already exists; nothing was written",
        "hint: edit it, or choose another id",
    ]
    assert result.stdout == ""
    assert snapshot(site) == before


@pytest.mark.parametrize("bad", ["Budget 2031", "budget_2031", "../escape", "a" * 101, "x-"])
def test_new_claim_refuses_an_id_that_is_not_a_slug(site: Path, bad: str) -> None:
    before = snapshot(site)
    result = run_cli("new", "claim", bad, "--root", str(site))
    assert result.returncode == 2
    assert result.stderr.startswith(f"error: not a claim id: {bad!r}\nhint: use a lowercase slug")
    assert snapshot(site) == before


def test_new_needs_a_site_folder(tmp_path: Path) -> None:
    result = run_cli("new", "claim", "x", "--root", str(tmp_path))
    assert result.returncode == 2
    assert "has no content/ folder" in result.stderr
    assert list(tmp_path.iterdir()) == []


def test_new_claim_library_never_prints_and_refuses_a_file_that_appeared(
    site: Path, capsys
) -> None:
    target = site / "content" / "claims" / "x.yaml"
    target.symlink_to(site / "content" / "site.yaml")  # even a link is never written through
    with pytest.raises(scaffold.ScaffoldError) as refused:
        scaffold.new_claim(site, "x", dt.date(2031, 1, 1))
    assert "already exists" in refused.value.message and not refused.value.usage
    assert capsys.readouterr() == ("", "")
    assert target.is_symlink()


# --- new source ------------------------------------------------------------------------------


def test_new_source_archives_the_text_and_writes_its_source_file(
    site: Path, tmp_path: Path
) -> None:
    article = tmp_path / "My Article.txt"
    article.write_bytes(b"\xef\xbb\xbf" + ARTICLE.encode().replace(b"\n", b"\r\n"))
    result = run_cli("new", "source", str(article), "--root", str(site))
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[:2] == [
        "wrote seeds/My Article.txt",
        "wrote content/sources/my-article.yaml",
    ]
    seed = site / "seeds" / "My Article.txt"
    assert seed.read_bytes() == article.read_bytes()  # byte for byte: BOM and CRLF kept
    path = site / "content" / "sources" / "my-article.yaml"
    assert schema_of(path) == REPO / "schemas" / "source.schema.json"
    data = yaml.safe_load(path.read_text("utf-8"))
    assert data == {
        "file": "My Article.txt",
        "title": "Headline of the article",
        "sha256": hashlib.sha256(article.read_bytes()).hexdigest(),
    }
    assert "# outlet:" in path.read_text("utf-8")  # the optional keys, commented
    assert validates(path, site, "source")
    # The build accepts it as it is: the checksum is right, the file is in seeds/.
    assert run_cli("check", "--root", str(site)).returncode == 0


def test_new_source_never_overwrites_its_source_file(site: Path, tmp_path: Path) -> None:
    article = tmp_path / "gazette-budget.txt"
    article.write_text(ARTICLE, "utf-8")
    before = snapshot(site)
    result = run_cli("new", "source", str(article), "--root", str(site))
    assert result.returncode == 1
    assert result.stderr.startswith(
        "error: content/sources/gazette-budget.yaml already exists; nothing was written\nhint: "
    )
    assert snapshot(site) == before


def test_new_source_never_overwrites_an_archived_text(site: Path, tmp_path: Path) -> None:
    (site / "content" / "sources" / "radio-conseil.yaml").unlink()
    article = tmp_path / "radio-conseil.txt"
    article.write_text(ARTICLE, "utf-8")
    before = snapshot(site)
    result = run_cli("new", "source", str(article), "--root", str(site))
    assert result.returncode == 1
    assert result.stderr.splitlines() == [
        "error: seeds/radio-conseil.txt already exists with other contents; nothing was written",
        "hint: rename the text file to archive it under another name",
    ]
    assert snapshot(site) == before


def test_new_source_reuses_an_identical_archived_text(site: Path, tmp_path: Path) -> None:
    (site / "content" / "sources" / "radio-conseil.yaml").unlink()
    article = tmp_path / "radio-conseil.txt"
    article.write_bytes((site / "seeds" / "radio-conseil.txt").read_bytes())
    result = run_cli("new", "source", str(article), "--root", str(site))
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[:2] == [
        "kept seeds/radio-conseil.txt: it already holds this very text",
        "wrote content/sources/radio-conseil.yaml",
    ]
    assert run_cli("check", "--root", str(site)).returncode == 0


def test_new_source_of_a_file_already_in_seeds_archives_it_in_place(site: Path) -> None:
    (site / "seeds" / "depeches").mkdir()
    seed = site / "seeds" / "depeches" / "Note.txt"
    seed.write_text(ARTICLE, "utf-8")
    result = run_cli("new", "source", str(seed), "--root", str(site))
    assert result.returncode == 0, result.stderr
    assert yaml.safe_load((site / "content/sources/note.yaml").read_text())["file"] == (
        "depeches/Note.txt"
    )
    assert sorted(p.name for p in (site / "seeds").rglob("*.txt")).count("Note.txt") == 1


@pytest.mark.parametrize(
    ("data", "code", "message"),
    [
        (None, 2, "error: no such file: "),
        (b"caf\xe9\n", 1, "is not UTF-8 text (byte 3)"),
    ],
)
def test_new_source_refuses_what_it_cannot_archive(
    site: Path, tmp_path: Path, data: bytes | None, code: int, message: str
) -> None:
    article = tmp_path / "article.txt"
    if data is not None:
        article.write_bytes(data)
    before = snapshot(site)
    result = run_cli("new", "source", str(article), "--root", str(site))
    assert result.returncode == code
    assert message in result.stderr.splitlines()[0]
    assert result.stderr.splitlines()[1].startswith("hint: ")
    assert snapshot(site) == before


def test_a_long_or_empty_first_line_gives_a_placeholder_title(tmp_path: Path, site: Path) -> None:
    long = tmp_path / "long.txt"
    long.write_text(" ".join(["word"] * 100) + "\nbody\n", "utf-8")
    empty = tmp_path / "empty.txt"
    empty.write_text("\n\n", "utf-8")
    for path in (long, empty):
        scaffold.new_source(site, path)
    titles = {
        p: yaml.safe_load((site / f"content/sources/{p}.yaml").read_text())["title"]
        for p in ("long", "empty")
    }
    assert len(titles["long"]) <= scaffold.TITLE_LIMIT + 2 and titles["long"].endswith(" …")
    assert titles["empty"] == "TODO: the headline"


def test_the_commands_are_in_the_help_and_the_readme() -> None:
    result = run_cli("--help")
    assert "new" in result.stdout and "suggest" in result.stdout
    readme = (REPO / "README.md").read_text("utf-8")
    for command in ("python build.py new claim", "python build.py new source", "suggest"):
        assert command in readme
