"""Reliability: a build never loses what the user has, and bad input gets a located error.

Builds are killed (SIGKILL) and interrupted (SIGINT) while they write, the output folder is
pointed at every folder it must not replace, archives are changed behind the build's back, pages
are made to collide, and YAML is fed every kind of mistake an editor (or a paste) can make.
"""

from __future__ import annotations

import errno
import hashlib
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml
from sitecheck import site_tree

from generator import pipeline
from generator.config import DEFAULT_THEME, OUTPUT_MARKER, Options, Paths
from generator.diagnostics import Diagnostics
from generator.incremental import store
from generator.load import content, loader
from generator.output import write

REPO = Path(__file__).resolve().parent.parent
FIXTURE = REPO / "tests" / "fixtures" / "minimal-site"
CLAIM = "content/claims/dette-doublee.yaml"
SUMMARY = "La dette a augmenté d’environ 55 % en six ans ; elle n’a pas doublé."
# A GCC-style location followed by the severity: what every error must start with.
LOCATED = re.compile(r"^[\w./-]+:\d+:\d+: error: ")


def tree_hash(folder: Path) -> str:
    """One hash of a whole folder: every path, every file's bytes, every symbolic link."""
    digest = hashlib.sha256()
    for path in sorted(folder.rglob("*")):
        digest.update(path.relative_to(folder).as_posix().encode() + b"\0")
        if path.is_symlink():
            digest.update(b"link:" + os.readlink(path).encode())
        elif path.is_file():
            digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


def file_states(folder: Path) -> dict[str, tuple[bytes, int]]:
    """Every file's bytes and modification time, to show a build wrote none of them."""
    return {
        p.relative_to(folder).as_posix(): (p.read_bytes(), p.stat().st_mtime_ns)
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def leftovers(out: Path) -> list[str]:
    """Staging folders or old sites beside the output folder."""
    return sorted(p.name for p in out.parent.iterdir() if p.name.startswith(f".{out.name}."))


def build(root: Path, out: Path, **options: object) -> pipeline.BuildResult:
    return pipeline.build(Paths.for_site(root, out), Options(**options))  # type: ignore[arg-type]


def formatted(result: pipeline.BuildResult) -> str:
    return "\n".join(d.format() for d in result.diagnostics)


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def dead_pid() -> int:
    """The id of a process that has exited (and been reaped), as a killed build's would be."""
    process = subprocess.Popen([sys.executable, "-c", "pass"])
    process.wait()
    return process.pid


@pytest.fixture
def site(tmp_path: Path) -> Path:
    root = tmp_path / "site"
    shutil.copytree(FIXTURE, root)
    return root


@pytest.fixture
def built(site: Path, tmp_path: Path) -> Path:
    """The fixture site, built once; returns the output folder."""
    out = tmp_path / "_site"
    result = build(site, out)
    assert result.ok, formatted(result)
    return out


# --- interrupted builds --------------------------------------------------------------------


@pytest.fixture(scope="module")
def big_theme(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The default theme with 10,000 small static files, a real (if large) theme: writing it
    takes about a second, long enough to interrupt a build while it writes, with no test hook."""
    theme = tmp_path_factory.mktemp("big") / "theme"
    shutil.copytree(DEFAULT_THEME, theme)
    for folder in range(100):
        assets = theme / "static" / "assets" / f"set{folder:03d}"
        assets.mkdir(parents=True)
        for number in range(100):
            (assets / f"icon{number:03d}.txt").write_bytes(b"x" * 2048)
    return theme


def wait_for_staging(out: Path, process: subprocess.Popen[bytes]) -> Path:
    """The build's staging folder, once it holds more than the marker: the build is writing."""
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        assert process.poll() is None, "the build ended before it could be interrupted"
        for path in out.parent.glob(f".{out.name}.new-*"):
            try:
                if len(list(path.iterdir())) > 1:
                    return path
            except FileNotFoundError:
                pass
        time.sleep(0.001)
    raise AssertionError("the build never started writing")


@pytest.mark.parametrize("sig", [signal.SIGKILL, signal.SIGINT], ids=["SIGKILL", "SIGINT"])
def test_a_build_interrupted_while_writing_leaves_the_previous_site_intact(
    site: Path, tmp_path: Path, big_theme: Path, sig: signal.Signals
) -> None:
    (site / "theme").symlink_to(big_theme, target_is_directory=True)
    out = tmp_path / "_site"
    assert build(site, out).ok
    before = tree_hash(out)
    edit(site / CLAIM, SUMMARY, "Nouveau résumé.")
    # Without its cache the build writes a whole new site beside the output (a small edit
    # would be written in place: see the tests of updates in place below).
    shutil.rmtree(tmp_path / store.FOLDER)

    process = subprocess.Popen(
        [sys.executable, str(REPO / "build.py"), "build", "--root", str(site), "--out", str(out)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    staging = wait_for_staging(out, process)
    process.send_signal(sig)
    process.communicate(timeout=60)

    assert process.returncode != 0
    assert tree_hash(out) == before
    if sig == signal.SIGKILL:
        assert leftovers(out) == [staging.name]  # a killed build cannot clean up after itself
    else:
        assert leftovers(out) == []  # Ctrl-C: the build removes its staging folder
    # The next build succeeds, removes what the killed one left, and writes the new content.
    result = build(site, out)
    assert result.ok, formatted(result)
    assert leftovers(out) == []
    page = (out / "claims" / "dette-doublee" / "index.html").read_text(encoding="utf-8")
    assert "Nouveau résumé." in page


def test_a_build_killed_between_the_two_renames_gets_the_previous_site_back(
    site: Path, built: Path
) -> None:
    before = tree_hash(built)
    pid = dead_pid()
    # The killed build had renamed the old site away and not yet renamed its new one in.
    staging = built.parent / f".{built.name}.new-{pid}-k1ll3d"
    shutil.copytree(built, staging)
    built.rename(built.parent / f".{built.name}.old-{pid}-0a1b2c3d")
    edit(site / CLAIM, "rating: faux", "rating: nonsense")  # and the next build fails

    result = build(site, built)
    assert not result.ok
    assert tree_hash(built) == before
    assert leftovers(built) == []


# A build run in a process of its own, killed (SIGKILL) at the moment `when` names: before the
# n-th call of a function of the write module (or of os) whose first argument holds a given
# text, with pages made in the build's own process.
KILLED_BUILD = """
import os, signal, sys
from generator import cli
from generator.output import write

module, name, n, text = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
owner = write if module == "write" else os
real, calls = getattr(owner, name), []

def killing(*args, **kwargs):
    calls.extend([args] if text in str(args[0]) else [])
    if len(calls) == n:
        os.kill(os.getpid(), signal.SIGKILL)
    return real(*args, **kwargs)

setattr(owner, name, killing)
sys.exit(cli.main(["build", "--root", sys.argv[5], "--out", sys.argv[6]]))
"""


def killed_build(site: Path, out: Path, when: tuple[str, str, int, str]) -> None:
    process = subprocess.run(
        [sys.executable, "-c", KILLED_BUILD, *map(str, when), str(site), str(out)],
        cwd=REPO,
        env={**os.environ, "FACTCHECK_PROCESSES": "1"},
        capture_output=True,
    )
    assert process.returncode == -signal.SIGKILL, process.stderr.decode()


def journals(out: Path) -> list[str]:
    return [p.name for p in out.parent.glob(f".{out.name}.update-*")]


def temporary_files(out: Path) -> list[str]:
    return [p.name for p in out.rglob("*.new")]


@pytest.fixture
def large(site: Path, tmp_path: Path, big_theme: Path) -> Path:
    """The fixture site with the large theme, built once: an edit changes few of its files,
    and is written in place. Returns the output folder."""
    (site / "theme").symlink_to(big_theme, target_is_directory=True)
    out = tmp_path / "_site"
    assert build(site, out).ok
    return out


def test_an_update_in_place_killed_while_making_pages_leaves_the_previous_site(
    site: Path, large: Path
) -> None:
    built = large
    pages = file_states(built)
    edit(site / CLAIM, SUMMARY, "Nouveau résumé.")
    killed_build(site, built, ("write", "_make", 2, ""))  # one page made, not the second

    assert journals(built) and temporary_files(built)  # what the killed build was doing
    kept = {p: b for p, b in file_states(built).items() if not p.endswith(".new")}
    assert kept == pages  # every page as it was, bytes and times
    # The next build, even one that fails, undoes what the killed one left.
    edit(site / CLAIM, "rating: faux", "rating: nonsense")
    assert not build(site, built).ok
    assert file_states(built) == pages
    assert journals(built) == [] and temporary_files(built) == []


def test_an_update_in_place_killed_while_renaming_is_finished_by_the_next_build(
    site: Path, large: Path, tmp_path: Path
) -> None:
    built = large
    edit(site / CLAIM, SUMMARY, "Nouveau résumé.")
    edited = tmp_path / "edited"
    assert build(site, edited).ok  # the site the killed build was writing, built in full
    killed_build(site, built, ("os", "replace", 2, ".new"))  # one page renamed, not two

    assert journals(built)
    # The next build, even one that fails, first finishes the killed one's update.
    edit(site / CLAIM, "rating: faux", "rating: nonsense")
    assert not build(site, built).ok
    assert site_tree(built) == site_tree(edited)
    assert journals(built) == [] and temporary_files(built) == []


def test_a_small_edit_is_written_in_place_and_a_template_edit_swapped_in(
    bundled_copy: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The bundled site (it has its own theme): an edit to one summary changes about a tenth of
    # the files (its pages and the search index's changed parts), a template edit every page,
    # half of them. (On the minimal site the search index is a quarter of the files, and both
    # edits change about half.)
    monkeypatch.setattr(write, "IN_PLACE_SHARE", 0.3)
    site, built = bundled_copy, tmp_path / "bundled-out"
    theme = site / "theme"
    assert build(site, built).ok
    folder = built.stat().st_ino
    claim = site / "content" / "claims" / "up-to-87-million.yaml"
    summary = yaml.safe_load(claim.read_text(encoding="utf-8"))["summary"]
    edit(claim, summary.split()[0], "Nouveau")
    assert build(site, built).ok
    assert built.stat().st_ino == folder  # updated in place: the same folder
    edit(theme / "templates" / "base.html", "<body", "<body data-v2")
    assert build(site, built).ok
    assert built.stat().st_ino != folder  # every page changed: a new site swapped in
    assert leftovers(built) == [] and journals(built) == []


def test_leftovers_of_other_builds_are_left_alone(site: Path, built: Path) -> None:
    parent = built.parent
    pid = dead_pid()
    not_ours = parent / f".{built.name}.new-{pid}-n0tours"  # no marker: not written by us
    not_ours.mkdir()
    (not_ours / "notes.txt").write_text("precious")
    other_output = parent / f".elsewhere.new-{pid}-0th3r"  # another output folder's
    other_output.mkdir()
    (other_output / OUTPUT_MARKER).write_text(write.MARKER_TEXT)
    with subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"]) as running:
        in_progress = parent / f".{built.name}.new-{running.pid}-runn1ng"  # a build still running
        in_progress.mkdir()
        (in_progress / OUTPUT_MARKER).write_text(write.MARKER_TEXT)
        try:
            assert build(site, built).ok
        finally:
            running.kill()
    assert (not_ours / "notes.txt").read_text() == "precious"
    assert (other_output / OUTPUT_MARKER).is_file()
    assert (in_progress / OUTPUT_MARKER).is_file()


def test_a_half_deleted_leftover_is_recognised_by_its_marker(site: Path, built: Path) -> None:
    """Leftovers are deleted marker last, so one interrupted while being deleted is still ours."""
    leftover = built.parent / f".{built.name}.old-{dead_pid()}-5a1f0000"
    leftover.mkdir()
    (leftover / OUTPUT_MARKER).write_text(write.MARKER_TEXT)
    assert build(site, built).ok
    assert leftovers(built) == []


def test_a_full_disk_is_reported_and_keeps_the_previous_site(
    site: Path, built: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = tree_hash(built)
    edit(site / CLAIM, SUMMARY, "Nouveau résumé.")
    real_write = Path.write_bytes
    written: list[Path] = []

    def fill_up(path: Path, data: bytes) -> int:
        if len(written) == 5:
            raise OSError(errno.ENOSPC, "No space left on device", str(path))
        written.append(path)
        return real_write(path, data)

    monkeypatch.setattr(Path, "write_bytes", fill_up)
    result = build(site, built)
    monkeypatch.undo()

    assert not result.ok
    (error,) = result.diagnostics
    assert error.message.startswith("cannot write the site: No space left on device (")
    assert "previous site is unchanged" in error.hint
    assert tree_hash(built) == before
    assert leftovers(built) == []


# --- the output guard ----------------------------------------------------------------------


def guarded(paths: Paths) -> str:
    """The guard's error for an output folder (asserting it refuses and says what to do)."""
    diags = Diagnostics()
    assert write.check_output(paths, diags) is False, paths.out
    (error,) = diags.errors
    assert error.message.startswith("refusing to write the site here: the build replaces")
    assert error.hint == "choose another --out, such as _site inside the site folder"
    return error.message


@pytest.fixture
def themed_site(site: Path) -> Path:
    """The fixture site with a theme of its own."""
    shutil.copytree(DEFAULT_THEME, site / "theme")
    return site


@pytest.mark.parametrize(
    ("where", "reason"),
    [
        (".", "is the site folder"),
        ("content", "is content/"),
        ("seeds", "is seeds/"),
        ("theme", "is the theme"),
        ("content/claims", "is inside content/"),
        ("seeds/archive", "is inside seeds/"),
        ("theme/static", "is inside the theme"),
        ("..", "holds the site folder"),
        ("../..", "holds the site folder"),
    ],
)
def test_the_guard_refuses_the_users_folders_and_their_parents(
    themed_site: Path, where: str, reason: str
) -> None:
    out = (themed_site / where).resolve()
    before = file_states(themed_site)
    assert guarded(Paths.for_site(themed_site, out)).endswith(reason)
    result = build(themed_site, out)
    assert not result.ok
    assert any(reason in d.message for d in result.diagnostics)
    assert file_states(themed_site) == before
    assert not list(out.parent.glob(f".{out.name}.new-*"))


def test_the_guard_sees_through_a_symbolic_link(site: Path, tmp_path: Path) -> None:
    link = tmp_path / "out-link"
    link.symlink_to(site / "content", target_is_directory=True)
    assert guarded(Paths.for_site(site, link)).endswith("is content/")


@pytest.mark.parametrize(
    ("out", "reason"),
    [
        (write.GENERATOR, "is the generator's code"),
        (write.GENERATOR / "templates", "is inside the generator's code"),
        (DEFAULT_THEME, "is the default theme"),
        (DEFAULT_THEME / "static", "is inside the default theme"),
        (REPO, "holds the default theme"),
        (Path("/"), "holds the site folder"),
    ],
)
def test_the_guard_refuses_the_generators_own_folders(
    themed_site: Path, out: Path, reason: str
) -> None:
    # Only the guard is asked: were it wrong, a build would replace the generator itself.
    assert guarded(Paths.for_site(themed_site, out)).endswith(reason)


def test_the_guard_refuses_the_default_theme_for_a_site_using_it(site: Path) -> None:
    assert guarded(Paths.for_site(site, DEFAULT_THEME / "out")).endswith("is inside the theme")


def test_no_option_deletes_a_folder_the_build_did_not_create() -> None:
    result = subprocess.run(
        [sys.executable, str(REPO / "build.py"), "build", "--help"],
        capture_output=True,
        text=True,
        check=True,
    )
    options = set(re.findall(r"--[a-z-]+", result.stdout))
    assert not options & {"--force", "--clean", "--delete", "--overwrite", "--yes"}


# --- archives ------------------------------------------------------------------------------


def read_only(folder: Path) -> Iterator[Path]:
    for path in sorted(folder.rglob("*"), reverse=True):
        path.chmod(0o555 if path.is_dir() else 0o444)
        yield path
    folder.chmod(0o555)


def test_builds_never_write_to_content_or_archives(site: Path, tmp_path: Path) -> None:
    before = file_states(site)
    protected = [*read_only(site / "seeds"), *read_only(site / "content")]
    try:
        out = tmp_path / "_site"
        assert build(site, out).ok
        assert build(site, out).ok
        assert pipeline.build(Paths.for_site(site, out), Options(), write_output=False).ok
    finally:
        for path in [*protected, site / "seeds", site / "content"]:
            path.chmod(0o755 if path.is_dir() else 0o644)
    assert file_states(site) == before


def test_a_changed_archive_is_caught_by_its_checksum(site: Path, built: Path) -> None:
    before = tree_hash(built)
    seed = site / "seeds" / "gazette-budget.txt"
    edit(seed, "19 voix contre 8", "20 voix contre 7")
    changed = seed.read_bytes()

    result = build(site, built)
    assert not result.ok
    (error,) = result.diagnostics
    source = (site / "content" / "sources" / "gazette-budget.yaml").read_text("utf-8")
    line = next(n for n, text in enumerate(source.split("\n"), 1) if text.startswith("sha256:"))
    assert (error.path, error.line, error.col) == ("content/sources/gazette-budget.yaml", line, 9)
    assert error.message == (
        "archived file seeds/gazette-budget.txt has changed: its sha256 is not the one recorded"
    )
    assert error.hint == (
        f"if the change is intended, set sha256: {hashlib.sha256(changed).hexdigest()}"
    )
    assert seed.read_bytes() == changed  # the build reports; it never restores or rewrites
    assert tree_hash(built) == before


@pytest.mark.parametrize(
    "file",
    ["../content/site.yaml", "/etc/hostname", "sub/../../content/site.yaml", "link.txt", "dir/a"],
)
def test_an_archive_outside_seeds_is_refused(site: Path, tmp_path: Path, file: str) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "a").write_text("secret")
    (site / "seeds" / "link.txt").symlink_to(outside / "a")
    (site / "seeds" / "dir").symlink_to(outside, target_is_directory=True)
    edit(site / "content/sources/radio-conseil.yaml", "file: radio-conseil.txt", f"file: {file}")
    result = build(site, tmp_path / "_site")
    assert not result.ok
    (error,) = result.diagnostics
    assert error.path == "content/sources/radio-conseil.yaml"
    assert (error.line, error.col) == (2, 7)  # line 1 names the file's schema
    assert error.message == f"archived file must be inside seeds/: {file!r}"


def test_a_link_inside_seeds_to_a_file_inside_seeds_is_accepted(site: Path, tmp_path: Path) -> None:
    (site / "seeds" / "radio.txt").symlink_to(site / "seeds" / "radio-conseil.txt")
    edit(site / "content/sources/radio-conseil.yaml", "file: radio-conseil.txt", "file: radio.txt")
    assert build(site, tmp_path / "_site").ok


# --- pages written to one path -------------------------------------------------------------


def test_two_claims_whose_ids_differ_only_in_case_are_an_error(site: Path, tmp_path: Path) -> None:
    claims = site / "content" / "claims"
    twin = claims / "Dette-Doublee.yaml"
    if twin.exists():
        pytest.skip("case-insensitive file system: the two files cannot both exist")
    shutil.copy(claims / "dette-doublee.yaml", twin)
    result = build(site, tmp_path / "_site")
    assert not result.ok
    (error,) = [d for d in result.diagnostics if d.severity == "error"]
    assert error.path == "content/claims/Dette-Doublee.yaml"
    assert "is not a lowercase slug" in error.message
    assert error.hint == "rename the file to dette-doublee.yaml"
    assert not (tmp_path / "_site").exists()


@pytest.mark.parametrize("slug", sorted(content.RESERVED_SLUGS))
def test_a_page_named_like_a_section_is_an_error(site: Path, tmp_path: Path, slug: str) -> None:
    shutil.copy(site / "content/pages/about.md", site / f"content/pages/{slug}.md")
    result = build(site, tmp_path / "_site")
    assert not result.ok
    (error,) = result.diagnostics
    assert error.path == f"content/pages/{slug}.md"
    assert error.message == f"page name '{slug}' is taken by a section the generator builds"


def test_a_measure_named_like_the_quotation_pages_is_an_error(site: Path, tmp_path: Path) -> None:
    (site / "content" / "measures").mkdir()
    (site / "content/measures/quotes.yaml").write_text("title: T\nunit: u\ndescription: D\n")
    result = build(site, tmp_path / "_site")
    assert not result.ok
    (error,) = result.diagnostics
    assert error.path == "content/measures/quotes.yaml"
    assert error.message == "measure name 'quotes' is taken by the quotation pages"


COLLIDING_SEED = (
    "Town news.\n"
    "The mayor said the new pool cost two million euros to build last year.\n"
    "The council said the library will open again in the spring after repairs.\n"
    "The police chief said crime fell by a third in the old town this winter.\n"
)


def colliding_claim(quotes: list[str], published: str) -> str:
    appearances = "".join(f"  - source: a\n    quote: {q}\n" for q in quotes)
    return (
        f"claim: Claim\nclaimant: Jane Mayor\nappearances:\n{appearances}rating: accurate\n"
        f"summary: S.\nanalysis: A.\npublished: {published}\n"
    )


def test_two_quotation_pages_written_to_one_path_are_an_error(scratch_site) -> None:
    """Claim "x" quotes two passages that two outlets share, so it gets the quotation pages
    x-1 and x-2; claim "x-1" gets the page x-1 too."""
    files: dict[str, str | bytes] = {
        "content/site.yaml": "title: T\nbase_url: https://example.org/\npublisher:\n  name: P\n",
        "content/claims/x.yaml": colliding_claim(
            ["the new pool cost two million euros", "the library will open again"], "2024-03-05"
        ),
        "content/claims/x-1.yaml": colliding_claim(["crime fell by a third"], "2024-03-06"),
    }
    for name in ("a", "b"):
        seed = COLLIDING_SEED.replace("Town", name.upper()).encode()
        files[f"seeds/{name}.txt"] = seed
        files[f"content/sources/{name}.yaml"] = (
            f"file: {name}.txt\ntitle: {name}\nsha256: {hashlib.sha256(seed).hexdigest()}\n"
        )
    root = scratch_site(files)
    result = build(root, root / "_site")
    assert not result.ok
    (error,) = result.diagnostics
    assert error.path == "content/claims/x-1.yaml"
    assert error.message == (
        "a quotation page of claim 'x-1' would be written to discrepancies/quotes/x-1/, "
        "where a quotation page of claim 'x' (content/claims/x.yaml) is written"
    )
    assert error.hint == "rename one of the two files so that their addresses differ"
    assert not (root / "_site").exists()


def test_output_files_differing_only_in_case_are_an_error(
    themed_site: Path, tmp_path: Path
) -> None:
    static = themed_site / "theme" / "static"
    (static / "Logo.svg").write_text("<svg/>")
    if (static / "logo.svg").exists():
        pytest.skip("case-insensitive file system: the two files cannot both exist")
    (static / "logo.svg").write_text("<svg></svg>")
    result = build(themed_site, tmp_path / "_site")
    assert not result.ok
    (error,) = result.diagnostics
    assert error.path == "theme/static/logo.svg"
    assert error.message == (
        "output files static/Logo.svg and static/logo.svg differ only in case or accents"
    )
    assert not (tmp_path / "_site").exists()


def test_check_files_catches_case_accents_and_file_folder_clashes(site: Path) -> None:
    paths = Paths.for_site(site)
    diags = Diagnostics()
    names = ["a/index.html", "A/index.html", "caf\u00e9.css", "cafe\u0301.css", "x", "x/y.html"]
    assert write.check_files(names, paths, diags) is False
    assert [e.message for e in diags.errors] == [
        "output files A/index.html and a/index.html differ only in case or accents",
        "output files cafe\u0301.css and caf\u00e9.css differ only in case or accents",
        "output file x has the name of a folder of the site",
    ]
    assert write.check_files(["a/index.html", "b/index.html"], paths, Diagnostics()) is True


# --- YAML mistakes, through a whole build --------------------------------------------------


BAD_CLAIMS: dict[str, tuple[bytes, str, str]] = {
    # name: (file contents, what the message says, what the hint says)
    "not UTF-8": (b"claim: caf\xe9\n", "file is not valid UTF-8 (byte 0xe9)", "save the file"),
    "tab": (b"claim: x\ntags:\n\t- a\n", "invalid YAML", "replace the tab with spaces"),
    "empty": (b"", "file is empty", "see the README"),
    "blank": (b"  \n\n", "file is empty", "see the README"),
    "list for the whole file": (b"- claim: x\n", "must be a mapping", "key: value"),
    "list where a mapping belongs": (
        b"claim: x\nfigure: [a, b]\n",
        "'figure' must be a mapping",
        "key: value",
    ),
    "number where text belongs": (b"claim: 42\n", "'claim' must be text", "double quotes"),
    "impossible date": (b"published: 2031-02-30\n", "invalid value '2031-02-30'", "must exist"),
    "duplicate key": (b"claim: a\nclaim: b\n", "duplicate key 'claim' (first set on line 1)", ""),
    "alias": (b"claim: &c x\nsummary: *c\n", "YAML aliases (*name) are not allowed", ""),
    "python tag": (b"claim: !!python/name:os.system x\n", "YAML tag", "remove the tag"),
    "control character": (b'claim: "a\\x1bb"\n', "invisible control character U+001B", ""),
    "raw control character": (b"claim: a\x1bb\n", "U+001B is not allowed in YAML", ""),
    "too deep": (b"claim: " + b"[" * 60 + b"]" * 60 + b"\n", "nested more than 50", ""),
    "syntax": (b"claim: a: b\n", "invalid YAML", "quoted"),
    "a value YAML reads as a tag": (b"claim: =\n", "invalid value '='", "quote the value"),
}


@pytest.mark.parametrize("name", list(BAD_CLAIMS))
def test_every_yaml_mistake_gets_a_located_error_and_a_hint(
    site: Path, built: Path, name: str
) -> None:
    data, message, hint = BAD_CLAIMS[name]
    before = tree_hash(built)
    (site / CLAIM).write_bytes(data)
    result = build(site, built)
    assert not result.ok
    mine = [d for d in result.diagnostics if d.path == CLAIM]
    assert mine, formatted(result)
    assert any(message in d.message for d in mine), formatted(result)
    for diagnostic in mine:
        assert LOCATED.match(diagnostic.format()), diagnostic.format()
        assert diagnostic.line >= 1
        assert diagnostic.hint, diagnostic.format()
        assert hint in diagnostic.hint or not hint or message not in diagnostic.message
    assert tree_hash(built) == before


def test_a_file_over_the_size_limit_is_a_whole_file_error(site: Path, built: Path) -> None:
    (site / CLAIM).write_bytes(b"claim: " + b"x" * loader.MAX_FILE_BYTES + b"\n")
    result = build(site, built)
    (error,) = result.diagnostics
    assert error.format().startswith(f"{CLAIM}: error: file is ")
    assert f"over the limit of {loader.MAX_FILE_BYTES:,}" in error.message
    assert error.hint


def test_the_size_limit_is_documented() -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    assert f"{loader.MAX_FILE_BYTES:,} bytes" in readme
    assert f"{loader.MAX_DEPTH} levels" in readme


def test_billion_laughs_is_refused_quickly(site: Path, built: Path) -> None:
    lines = ['lol: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for level, name in enumerate("bcdefghi"):
        previous = "a" if level == 0 else "bcdefghi"[level - 1]
        lines.append(f"{name}: &{name} [{', '.join([f'*{previous}'] * 9)}]")
    (site / CLAIM).write_text("\n".join(lines) + "\n", encoding="utf-8")
    started = time.perf_counter()
    result = build(site, built)
    assert time.perf_counter() - started < 5
    assert not result.ok
    aliases = [d for d in result.diagnostics if "aliases" in d.message]
    # Every alias is refused; the first few are reported, each where it is written.
    assert len(aliases) == loader.MAX_ALIAS_REPORTS
    assert (aliases[0].line, aliases[0].col) == (2, 8)


def test_deep_nesting_is_an_error_not_a_crash(site: Path, tmp_path: Path) -> None:
    # libyaml would overflow the C stack here; run it in a child so a crash fails this test only.
    (site / CLAIM).write_bytes(b"claim: " + b"[" * 200_000 + b"]" * 200_000 + b"\n")
    result = subprocess.run(
        [sys.executable, str(REPO / "build.py"), "check", "--root", str(site)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 1, result.stderr
    assert f"{CLAIM}:1:" in result.stderr
    assert f"values are nested more than {loader.MAX_DEPTH} levels deep" in result.stderr


def test_bom_and_crlf_are_accepted_and_change_nothing(site: Path, built: Path) -> None:
    before = tree_hash(built)
    for path in [*(site / "content").rglob("*.yaml"), *(site / "content").rglob("*.md")]:
        text = path.read_bytes().replace(b"\n", b"\r\n")
        path.write_bytes(b"\xef\xbb\xbf" + text)
    result = build(site, built)
    assert result.ok, formatted(result)
    assert result.diagnostics == []
    assert tree_hash(built) == before


def with_figures(site: Path, *values: str) -> None:
    """Give the fixture's claims figures of one measure, with these values."""
    (site / "content" / "measures").mkdir()
    (site / "content/measures/debt.yaml").write_text("title: Debt\nunit: euros\ndescription: D\n")
    claims = sorted((site / "content" / "claims").glob("*.yaml"))
    for path, value in zip(claims, values, strict=False):
        figure = f"figure:\n  measure: debt\n  value: {value}\n  bound: exact\n"
        path.write_text(path.read_text("utf-8") + figure, "utf-8")


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("87e6", "'value' must be a number, not text ('87e6')"),  # YAML reads it as text
        (".nan", "'value' must be a finite number, not nan"),
        ("-.inf", "'value' must be a finite number, not -inf"),
        ("5.0e-324", "'value' must be between 1e-30 and 1e30 in size, not 5e-324"),
        ("1.7976931348623157e+308", "'value' must be between 1e-30 and 1e30 in size, not "),
    ],
)
def test_a_figure_no_chart_can_draw_is_a_located_error(
    site: Path, tmp_path: Path, value: str, message: str
) -> None:
    with_figures(site, "1000", value)
    result = build(site, tmp_path / "_site")
    assert not result.ok
    (error,) = [d for d in result.diagnostics if d.severity == "error"]
    assert error.message.startswith(message)
    assert LOCATED.match(error.format())
    assert error.hint == "write digits only, such as 87000000, or 8.7e+7"


def test_figures_at_the_limits_are_drawn(site: Path, tmp_path: Path) -> None:
    with_figures(site, "1.0e+30", "1.0e-30", "-5")
    result = build(site, tmp_path / "_site")
    assert result.ok, formatted(result)
    assert (tmp_path / "_site" / "discrepancies" / "debt" / "index.html").is_file()


# --- every error at once -------------------------------------------------------------------


def test_every_error_of_every_stage_is_reported_in_one_build(site: Path) -> None:
    edit(site / "content/claims/impots-stables.yaml", "claim: ", "claim: one\nclaim: ")
    edit(site / "content/claims/piscine-sans-emprunt.yaml", "rating: faux", "rating: 42")
    edit(site / "content/sources/radio-conseil.yaml", "file: radio-conseil.txt", "file: gone.txt")
    edit(site / CLAIM, "doublé en six ans »", "triplé en six ans »")
    shutil.copy(site / "content/pages/about.md", site / "content/pages/claims.md")
    result = build(site, site / "content")  # and an output folder the guard refuses

    paths = {d.path for d in result.diagnostics}
    assert paths >= {
        "content/claims/impots-stables.yaml",  # loader: duplicate key
        "content/claims/piscine-sans-emprunt.yaml",  # validation: a number for a slug
        "content/sources/radio-conseil.yaml",  # model: the archive is missing
        CLAIM,  # analysis: the quotation is not in the archive
        "content/pages/claims.md",  # model: the page takes a section's address
        str(site / "content"),  # the output guard
    }, formatted(result)
    assert not result.ok
