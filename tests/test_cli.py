"""CLI: exit codes, every error reported at once in GCC format, and what is (not) written."""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

from conftest import REPO, run_cli
from sitecheck import site_tree

from generator.incremental.store import FOLDER as CACHE

SEED = (
    "Town news, 3 March.\n"
    "The mayor said the new pool cost 2 million euros in total.\n"
    "She added that “taxes will not rise” next year.\n"
).encode()
SHA = hashlib.sha256(SEED).hexdigest()

SITE_YAML = """\
title: Test checks
base_url: https://example.org/
publisher:
  name: Test Org
"""

SOURCE_YAML = f"""\
file: a.txt
title: Town news
sha256: {SHA}
"""


def claim_yaml(
    quote: str = "the new pool cost 2 million euros",
    claim: str = "The pool cost 2 million euros",
    extra: str = "",
) -> str:
    return (
        f'claim: "{claim}"\n'
        "claimant: Jane Mayor\n"
        "appearances:\n"
        "  - source: a\n"
        f'    quote: "{quote}"\n'
        "rating: accurate\n"
        "summary: The archive confirms it.\n"
        "analysis: |\n"
        "  The article says so.\n"
        "published: 2024-03-05\n"
        f"{extra}"
    )


def site_files(**overrides: str | bytes | None) -> dict[str, str | bytes]:
    """A minimal valid site; override a file by path, or drop it with None."""
    files: dict[str, str | bytes | None] = {
        "content/site.yaml": SITE_YAML,
        "seeds/a.txt": SEED,
        "content/sources/a.yaml": SOURCE_YAML,
        "content/claims/c.yaml": claim_yaml(),
        **overrides,
    }
    return {path: data for path, data in files.items() if data is not None}


def snapshot(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def line_of(text: str, needle: str) -> int:
    return next(i for i, line in enumerate(text.split("\n"), 1) if needle in line)


def error_headers(stderr: str) -> list[str]:
    """The `path:line:col: error: ...` lines of the output, in order."""
    return [line for line in stderr.splitlines() if ": error: " in line]


# --- success -------------------------------------------------------------------------------


def test_good_site_builds_with_exit_0(scratch_site):
    root = scratch_site(site_files())
    result = run_cli("build", "--root", str(root))
    assert result.returncode == 0, result.stderr
    out = root / "_site"
    assert out.is_dir()
    assert (out / "index.html").is_file()
    assert (out / "claims" / "c" / "index.html").is_file()
    assert (out / "sources" / "a" / "index.html").is_file()
    assert (out / ".factcheck-output").is_file()
    match = re.search(r"built (\d+) pages into (.+) in [\d.]+ s", result.stdout)
    assert match, result.stdout
    assert Path(match.group(2)) == out.resolve()
    html_files = [p for p in out.rglob("*.html")]
    assert int(match.group(1)) == len(html_files)
    assert "error" not in result.stderr


def test_out_option_chooses_the_folder(scratch_site, tmp_path):
    root = scratch_site(site_files())
    out = tmp_path / "elsewhere" / "public"
    result = run_cli("build", "--root", str(root), "--out", str(out))
    assert result.returncode == 0, result.stderr
    assert (out / "index.html").is_file()
    assert not (root / "_site").exists()


def test_no_command_means_build(scratch_site, tmp_path):
    root = scratch_site(site_files())
    explicit = tmp_path / "explicit"
    assert run_cli("build", "--root", str(root), "--out", str(explicit)).returncode == 0
    implicit = tmp_path / "implicit"
    result = run_cli("--root", str(root), "--out", str(implicit))
    assert result.returncode == 0, result.stderr
    assert site_tree(implicit) == site_tree(explicit)


def test_bare_build_py_builds_its_own_folder(scratch_site):
    """`python build.py` with no arguments at all builds the site beside the script."""
    root = scratch_site(site_files())
    shutil.copy(REPO / "build.py", root / "build.py")
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    result = subprocess.run(
        [sys.executable, str(root / "build.py")],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert (root / "_site" / "claims" / "c" / "index.html").is_file()
    assert "built" in result.stdout


# --- content errors ------------------------------------------------------------------------


def test_every_error_is_printed_at_once_sorted_in_gcc_format(scratch_site):
    claim = claim_yaml().replace("claimant: Jane Mayor", "claimant: 42")
    claim = claim.replace("rating: accurate", "rating: Mostly Accurate")
    claim = claim.replace("published: 2024-03-05", "published: soon")
    source = SOURCE_YAML.replace(SHA, "ab" * 32)
    root = scratch_site(
        site_files(**{"content/claims/c.yaml": claim, "content/sources/a.yaml": source})
    )
    result = run_cli("build", "--root", str(root))

    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    claim_path, source_path = "content/claims/c.yaml", "content/sources/a.yaml"
    expected = [
        f"{claim_path}:{line_of(claim, 'claimant:')}:{len('claimant: ') + 1}: error: "
        "'claimant' must be text, not a number (42)",
        f"{claim_path}:{line_of(claim, 'rating:')}:{len('rating: ') + 1}: error: "
        "'rating' must be a lowercase slug, not 'Mostly Accurate'",
        f"{claim_path}:{line_of(claim, 'published:')}:{len('published: ') + 1}: error: "
        "'published' must be a date, not text ('soon')",
        f"{source_path}:{line_of(source, 'sha256:')}:{len('sha256: ') + 1}: error: "
        "archived file seeds/a.txt has changed: its sha256 is not the one recorded",
    ]
    assert error_headers(result.stderr) == expected
    # Each error is followed by its hint.
    lines = result.stderr.splitlines()
    for header in expected:
        assert lines[lines.index(header) + 1].startswith("hint: ")
    assert "4 errors, 0 warnings; nothing was written" in result.stderr
    assert not (root / "_site").exists()


def test_errors_of_every_stage_are_reported_together(scratch_site):
    """A quote that is not found is reported even when other files fail validation."""
    bad_quote = claim_yaml(quote="the old pool cost 2 million euros")
    typo = claim_yaml(extra="claimnt: typo\n")
    root = scratch_site(
        site_files(
            **{
                "content/claims/c.yaml": bad_quote,
                "content/claims/d.yaml": typo,
                "seeds/b.txt": b"Another article.\n",
                "content/sources/b.yaml": "file: b.txt\ntitle: Other\n",
            }
        )
    )
    result = run_cli("check", "--root", str(root))
    assert result.returncode == 1
    headers = error_headers(result.stderr)
    assert [h.split(":")[0] for h in headers] == [
        "content/claims/c.yaml",
        "content/claims/d.yaml",
        "content/sources/b.yaml",
    ]
    assert "quote not found in source 'a'" in headers[0]
    assert "unknown key 'claimnt'" in headers[1]
    assert "missing required key 'sha256'" in headers[2]
    assert "3 errors, 0 warnings; nothing was written" in result.stderr


def test_errors_in_several_claim_files_are_sorted_by_file(scratch_site):
    bad = claim_yaml(extra="claimnt: typo\n")
    root = scratch_site(
        site_files(
            **{
                "content/claims/b.yaml": bad,
                "content/claims/c.yaml": claim_yaml().replace("rating: accurate", "rating: 5"),
                "content/claims/a.yaml": claim_yaml().replace("published: 2024-03-05\n", ""),
            }
        )
    )
    result = run_cli("check", "--root", str(root))
    assert result.returncode == 1
    paths = [h.split(":")[0] for h in error_headers(result.stderr)]
    assert paths == sorted(paths)
    assert set(paths) == {
        "content/claims/a.yaml",
        "content/claims/b.yaml",
        "content/claims/c.yaml",
    }


def test_quote_not_found_is_reported_with_closest_passage(scratch_site):
    claim = claim_yaml(quote="the new pool cost 3 million euros")
    root = scratch_site(site_files(**{"content/claims/c.yaml": claim}))
    result = run_cli("build", "--root", str(root))
    assert result.returncode == 1
    line = line_of(claim, "quote:")
    col = claim.split("\n")[line - 1].index('"') + 1
    assert (
        f"content/claims/c.yaml:{line}:{col}: error: quote not found in source 'a': "
        '"the new pool cost 3 million euros"'
    ) in result.stderr.splitlines()
    assert 'hint: closest passage: "the new pool cost 2 million euros"' in result.stderr
    assert "Traceback" not in result.stderr


def test_missing_sha256_hint_gives_the_files_checksum(scratch_site):
    source = "file: a.txt\ntitle: Town news\n"
    root = scratch_site(site_files(**{"content/sources/a.yaml": source}))
    result = run_cli("check", "--root", str(root))
    assert result.returncode == 1
    assert "missing required key 'sha256'" in result.stderr
    digest = hashlib.sha256((root / "seeds" / "a.txt").read_bytes()).hexdigest()
    assert f"hint: add the line: sha256: {digest}" in result.stderr.splitlines()


def test_wrong_sha256_hint_gives_the_files_checksum(scratch_site):
    root = scratch_site(site_files())
    (root / "seeds" / "a.txt").write_bytes(SEED.replace(b"2 million", b"3 million"))
    result = run_cli("build", "--root", str(root))
    assert result.returncode == 1
    digest = hashlib.sha256((root / "seeds" / "a.txt").read_bytes()).hexdigest()
    assert digest != SHA
    assert f"hint: if the change is intended, set sha256: {digest}" in result.stderr.splitlines()
    assert not (root / "_site").exists()


def test_missing_archive_is_an_error_with_a_suggestion(scratch_site):
    source = SOURCE_YAML.replace("file: a.txt", "file: b.txt")
    root = scratch_site(site_files(**{"content/sources/a.yaml": source}))
    result = run_cli("check", "--root", str(root))
    assert result.returncode == 1
    assert "content/sources/a.yaml:1:7: error: archived file not found: seeds/b.txt" in (
        result.stderr.splitlines()
    )
    assert "hint: did you mean 'a.txt'?" in result.stderr


def test_archive_outside_seeds_is_refused(scratch_site):
    source = SOURCE_YAML.replace("file: a.txt", "file: ../content/site.yaml")
    root = scratch_site(site_files(**{"content/sources/a.yaml": source}))
    result = run_cli("check", "--root", str(root))
    assert result.returncode == 1
    assert "archived file must be inside seeds/" in result.stderr


# --- usage errors --------------------------------------------------------------------------


def test_unknown_flag_is_a_usage_error(scratch_site):
    root = scratch_site(site_files())
    for args in (["build", "--root", str(root), "--bogus"], ["--bogus"], ["frobnicate"]):
        result = run_cli(*args)
        assert result.returncode == 2, args
        assert "Traceback" not in result.stderr
        assert "usage:" in result.stderr
    assert not (root / "_site").exists()


def test_root_without_content_is_a_usage_error(tmp_path):
    (tmp_path / "seeds").mkdir()
    for command in ("build", "check"):
        result = run_cli(command, "--root", str(tmp_path))
        assert result.returncode == 2
        assert "has no content/ folder" in result.stderr
        assert "Traceback" not in result.stderr
    assert list(tmp_path.iterdir()) == [tmp_path / "seeds"]


def test_help_exits_0():
    result = run_cli("--help")
    assert result.returncode == 0
    assert "build" in result.stdout and "check" in result.stdout


# --- check, failed builds, strict ----------------------------------------------------------


def test_check_writes_nothing(scratch_site):
    root = scratch_site(site_files())
    before = snapshot(root)
    result = run_cli("check", "--root", str(root))
    assert result.returncode == 0, result.stderr
    assert re.search(r"checked \d+ pages: no errors", result.stdout)
    assert snapshot(root) == before
    assert sorted(p.name for p in root.iterdir()) == ["content", "seeds"]


def test_check_reports_errors_with_exit_1(scratch_site):
    root = scratch_site(site_files(**{"content/claims/c.yaml": claim_yaml(quote="not there")}))
    result = run_cli("check", "--root", str(root))
    assert result.returncode == 1
    assert "quote not found in source 'a'" in result.stderr


def test_failed_build_leaves_previous_output_unchanged(scratch_site):
    root = scratch_site(site_files())
    assert run_cli("build", "--root", str(root)).returncode == 0
    out = root / "_site"
    before = snapshot(out)
    assert before

    scratch_site({"content/claims/c.yaml": claim_yaml(quote="the new pool cost nothing")})
    result = run_cli("build", "--root", str(root))
    assert result.returncode == 1
    assert "quote not found" in result.stderr
    assert "nothing was written" in result.stderr
    assert snapshot(out) == before
    # The build's store (see incremental/store.py) aside, nothing is left beside the output.
    assert sorted(p.name for p in root.iterdir() if p.name != CACHE) == [
        "_site",
        "content",
        "seeds",
    ]


def test_long_claim_is_a_warning_and_an_error_under_strict(scratch_site):
    long_claim = "The mayor said that the new municipal pool cost two million euros in total"
    long_claim += " and more"
    assert len(long_claim) > 75
    claim = claim_yaml(claim=long_claim)
    root = scratch_site(site_files(**{"content/claims/c.yaml": claim}))
    location = f"content/claims/c.yaml:{line_of(claim, 'claim:')}:{len('claim: ') + 1}"
    message = f"claim is {len(long_claim)} characters, over the 75 that ClaimReview recommends"

    relaxed = run_cli("build", "--root", str(root))
    assert relaxed.returncode == 0, relaxed.stderr
    assert f"{location}: warning: {message}" in relaxed.stderr.splitlines()
    assert "1 warning" in relaxed.stderr
    assert (root / "_site" / "index.html").is_file()
    shutil.rmtree(root / "_site")

    for command in ("build", "check"):
        strict = run_cli(command, "--root", str(root), "--strict")
        assert strict.returncode == 1
        assert f"{location}: error: {message}" in strict.stderr.splitlines()
        assert not (root / "_site").exists()


def test_claim_of_75_characters_is_not_a_warning(scratch_site):
    claim = "x" * 75
    root = scratch_site(site_files(**{"content/claims/c.yaml": claim_yaml(claim=claim)}))
    result = run_cli("check", "--root", str(root), "--strict")
    assert result.returncode == 0, result.stderr
    assert "warning" not in result.stderr


def test_out_at_the_site_root_is_refused(scratch_site):
    root = scratch_site(site_files())
    before = snapshot(root)
    result = run_cli("build", "--root", str(root), "--out", str(root))
    assert result.returncode == 1
    assert "refusing to write the site here" in result.stderr
    assert snapshot(root) == before
