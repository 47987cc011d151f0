"""Incremental builds: after any series of edits, an incremental build writes the very bytes a
full build writes; files that did not change are left untouched (same inode, same time); a
cache that is corrupt, stale or from another generator version never gives a wrong site; and
builds on every core write what a single process writes.
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import sys
import time
from collections.abc import Callable
from pathlib import Path
from urllib.parse import urldefrag, urljoin

import pytest
import yaml
from bs4 import BeautifulSoup
from sitecheck import site_tree

from generator import parallel, pipeline, serve, urls
from generator.analyse import variants
from generator.config import OUTPUT_MARKER, Options, Paths
from generator.incremental import engine, inputs, store
from generator.load import loader
from generator.output import write
from generator.render import pages as render

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "benchmarks"))
from synthetic import edit_one_claim, write_site  # noqa: E402

CLAIMS = "content/claims"
CLAIM = f"{CLAIMS}/up-to-87-million.yaml"


def tree(folder: Path) -> dict[str, bytes]:
    """What two builds of the same content share (see sitecheck.site_tree)."""
    return site_tree(folder)


def files(folder: Path) -> dict[str, bytes]:
    """Every file by its name, with its bytes."""
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def states(folder: Path) -> dict[str, tuple[int, int]]:
    """Every file's inode and modification time: what tells a file rewritten from one kept."""
    return {
        p.relative_to(folder).as_posix(): (p.stat().st_ino, p.stat().st_mtime_ns)
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def build(root: Path, out: Path, **options: object) -> pipeline.BuildResult:
    result = pipeline.build(Paths.for_site(root, out), Options(**options))  # type: ignore[arg-type]
    assert result.ok, "\n".join(d.format() for d in result.diagnostics)
    return result


def edit(path: Path, old: str, new: str, count: int = 1) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, count), encoding="utf-8")


@pytest.fixture
def site(bundled_copy: Path) -> Path:
    return bundled_copy


# --- edits, one after another ---------------------------------------------------------------


def edit_claim_text(root: Path) -> None:
    edit(root / CLAIM, "the archive confirms that", "the archive confirms plainly that")


def edit_quote(root: Path) -> None:
    edit(
        root / CLAIM,
        "It very well could be less but we wanted to put out the maximum that we\n"
        "      felt it could be as soon as we had that analysis",
        "we wanted to put out the maximum that we felt it could be",
    )


def edit_rating(root: Path) -> None:
    """Moves the claim between rating pages and feeds, and recolours its share card."""
    edit(root / CLAIM, "rating: unproven", "rating: misleading")


def edit_claim_statement(root: Path) -> None:
    """The statement checked: on its share card, and on the claim pages listing it as related."""
    edit(root / CLAIM, "may have been improperly shared", "may have been shared")


def edit_claimant(root: Path) -> None:
    """A claimant renamed: the claim leaves Facebook's related lists for a claimant of its own."""
    edit(root / CLAIM, "claimant: Facebook\n", "claimant: Facebook Inc\n")


def edit_source_file(root: Path) -> None:
    """An archive corrected (a new paragraph at its end), and its checksum with it."""
    source = root / "content" / "sources" / "daily-dot.yaml"
    name = re.search(r"^file: (.+)$", source.read_text(encoding="utf-8"), re.M)[1]  # type: ignore[index]
    seed = root / "seeds" / name
    seed.write_bytes(seed.read_bytes() + b"\nA paragraph added to the archive.\n")
    old = re.search(r"^sha256: (\w+)$", source.read_text(encoding="utf-8"), re.M)[1]  # type: ignore[index]
    edit(source, old, hashlib.sha256(seed.read_bytes()).hexdigest())


def edit_source_outlet(root: Path) -> None:
    """A source's outlet renamed: every page naming the outlet changes, its archive does not."""
    edit(root / "content" / "sources" / "daily-dot.yaml", "outlet: The Daily Dot", "outlet: Dot")


def edit_template(root: Path) -> None:
    edit(
        root / "theme" / "templates" / "claim.html",
        "{% block main %}",
        "{% block main %}\n<!-- v2 -->",
    )


def delete_claim(root: Path) -> None:
    (root / "content" / "claims" / "will-not-quit.yaml").unlink()


def rename_tag(root: Path) -> None:
    for claim in (root / "content" / "claims").glob("*.yaml"):
        text = claim.read_text(encoding="utf-8")
        if "press-call" in text:
            claim.write_text(text.replace("press-call", "press-conference"), encoding="utf-8")


def edit_measure(root: Path) -> None:
    measure = root / "content" / "measures" / "affected-users.yaml"
    edit(measure, "title: ", "title: Revised, ")


def edit_site_settings(root: Path) -> None:
    """The site's title: on every page and every share card."""
    edit(root / "content" / "site.yaml", 'title: "The Zuckerberg', 'title: "The press call')


def add_measure(root: Path) -> None:
    """A new measure, and a claim's figure moved to it: a measure page appears, and the figure
    leaves the other measure's chart."""
    (root / "content" / "measures" / "australian-users.yaml").write_text(
        "title: Australian Facebook users whose data went to Cambridge Analytica\n"
        "unit: users\n"
        "description: How many of the affected users were in Australia.\n",
        encoding="utf-8",
    )
    edit(
        root / "content" / "claims" / "australian-users.yaml",
        "measure: affected-users",
        "measure: australian-users",
    )


def edit_page(root: Path) -> None:
    page = root / "content" / "pages" / "about.md"
    edit(page, "\n---\n", "\n---\n\nA sentence added to the page.\n")


EDITS: list[Callable[[Path], None]] = [
    edit_claim_text,
    edit_quote,
    edit_rating,
    edit_claim_statement,
    edit_claimant,
    edit_source_file,
    edit_source_outlet,
    edit_template,
    delete_claim,
    rename_tag,
    edit_measure,
    add_measure,
    edit_site_settings,
    edit_page,
]


@pytest.mark.parametrize("in_place", [False, True], ids=["swapped", "in-place"])
def test_incremental_builds_write_what_full_builds_write_after_every_edit(
    site: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, in_place: bool
) -> None:
    """Each edit written the two ways a build can: a new site swapped in, or the old one
    updated in place (on a site this small, an edit changes too many files for that)."""
    monkeypatch.setattr(write, "IN_PLACE_SHARE", 1.0 if in_place else 0.0)
    out = tmp_path / "incremental" / "_site"
    build(site, out)
    for number, change in enumerate(EDITS):
        folder = out.stat().st_ino
        change(site)
        build(site, out)
        assert (out.stat().st_ino == folder) == in_place, f"after {change.__name__}"
        full = tmp_path / f"full-{number}" / "_site"  # a folder of its own: no cache
        build(site, full)
        assert tree(out) == tree(full), f"after {change.__name__}"
    # What the edits removed is gone from the output: the deleted claim, the renamed tag.
    assert not (out / "claims" / "will-not-quit").exists()
    assert not (out / "tags" / "press-call").exists()
    assert (out / "tags" / "press-conference" / "index.html").is_file()
    assert "will-not-quit" not in (out / "index.html").read_text(encoding="utf-8")


def test_a_cold_build_reading_claims_a_chunk_at_a_time_writes_the_same_site(
    site: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    whole = tmp_path / "whole" / "_site"
    build(site, whole)
    monkeypatch.setattr(engine, "CHUNK", 3)
    chunks: list[int] = []
    run = parallel.run

    def spying(task: Callable[..., object], items: list[object], *args: object, **kw: object):
        chunks.extend(len(item) for item in items if kw.get("heavy"))  # type: ignore[arg-type]
        return run(task, items, *args, **kw)  # type: ignore[arg-type]

    monkeypatch.setattr(parallel, "run", spying)
    edit(site / CLAIM, "rating: unproven", "rating: nonsense")  # an error in one chunk
    chunked = tmp_path / "chunked" / "_site"
    result = pipeline.build(Paths.for_site(site, chunked), Options())
    assert [d.message for d in result.diagnostics] == ["unknown rating 'nonsense'"]
    edit(site / CLAIM, "rating: nonsense", "rating: unproven")
    build(site, chunked)
    assert tree(chunked) == tree(whole)
    # Both builds read every claim in chunks of at most 3, handed to every core together.
    claims = len(list((site / "content" / "claims").glob("*.yaml")))
    assert sum(chunks) == 2 * claims and max(chunks) == 3


def test_a_rebuild_names_every_source_and_measure_in_its_hints(site: Path, tmp_path: Path) -> None:
    # Sources and measures reused from the last build are not read again, yet still exist.
    out = tmp_path / "_site"
    build(site, out)
    edit(site / CLAIM, "  - source: resign-report", "  - source: resign-reprot")
    edit(site / CLAIM, "  measure: affected-users", "  measure: affected-user")
    result = pipeline.build(Paths.for_site(site, out), Options())
    hints = {d.message: d.hint for d in result.diagnostics}
    assert "resign-report" in hints["unknown source 'resign-reprot'"]
    assert "affected-users" in hints["unknown measure 'affected-user'"]


def test_a_deleted_claims_pages_disappear(site: Path, tmp_path: Path) -> None:
    out = tmp_path / "_site"
    build(site, out)
    assert (out / "claims" / "will-not-quit" / "index.html").is_file()
    delete_claim(site)
    build(site, out)
    assert not (out / "claims" / "will-not-quit").exists()
    for page in out.rglob("*.html"):
        assert "claims/will-not-quit/" not in page.read_text(encoding="utf-8"), page


# --- files that did not change are not touched ----------------------------------------------


def test_an_edit_rewrites_only_the_files_whose_bytes_change(site: Path, tmp_path: Path) -> None:
    out = tmp_path / "_site"
    build(site, out)
    before, old_bytes = states(out), files(out)
    edit_claim_text(site)
    build(site, out)
    after, new_bytes = states(out), files(out)

    changed = {name for name in new_bytes if new_bytes[name] != old_bytes.get(name)}
    assert "claims/up-to-87-million/index.html" in changed
    assert "sources/daily-dot/index.html" not in changed
    for name in new_bytes.keys() - {OUTPUT_MARKER}:
        kept = before.get(name) == after[name]
        assert kept == (name not in changed), name
    assert len(changed) < len(new_bytes) / 3


def linking_to(out: Path, base_url: str, page: str) -> set[str]:
    """The output files of the pages with a link to the page at URL path `page`."""
    target = base_url + page
    found = set()
    for file in out.rglob("*.html"):
        name = file.relative_to(out).as_posix()
        here = base_url + name.removesuffix("index.html")
        links = BeautifulSoup(file.read_bytes(), "html.parser").find_all("a", href=True)
        if any(urldefrag(urljoin(here, a["href"])).url == target for a in links):
            found.add(name)
    return found


def neighbours(root: Path, cid: str) -> set[str]:
    """The output files of the claim pages that may show something of claim `cid`: those of
    the claims sharing one of its topics (their related fact-checks are chosen among the
    newest of each topic) or its measure (their chart draws its figure)."""
    claims = {p.stem: yaml.safe_load(p.read_text("utf-8")) for p in (root / CLAIMS).glob("*.yaml")}
    measure = (claims[cid].get("figure") or {}).get("measure")
    return {
        f"claims/{other}/index.html"
        for other, data in claims.items()
        if set(data.get("tags", [])) & set(claims[cid].get("tags", []))
        or (measure and (data.get("figure") or {}).get("measure") == measure)
    }


def test_a_claim_edit_renders_again_only_the_pages_that_show_the_claim(
    site: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Dependency tracking: the pages made again after an edit to a fact-check are its own,
    pages that show it and so link to it (lists, its claimant and topics, the sources it
    quotes, its measure, the quotations it shares), the claim pages that may show it (see
    neighbours) and the discrepancies index (its measure's state)."""
    out = tmp_path / "_site"
    build(site, out)
    made: list[str] = []
    make_page = render._SiteRenderer._make
    monkeypatch.setattr(
        render._SiteRenderer,
        "_make",
        lambda self, path, *a: made.append(urls.output_file(path)) or make_page(self, path, *a),
    )
    monkeypatch.setenv("FACTCHECK_PROCESSES", "1")  # a spy does not see into forked workers
    edit_claim_text(site)
    build(site, out)
    page = "claims/up-to-87-million/"
    may_show = (
        linking_to(out, "https://example.org/factcheck/", page)
        | neighbours(site, "up-to-87-million")
        | {"discrepancies/index.html"}
    )
    assert page + "index.html" in made
    assert set(made) <= may_show
    # Each kind of page that shows the claim is made again.
    for kind in ("", "claimants/", "tags/", "sources/", "discrepancies/affected-users/"):
        assert any(name.startswith(kind) and name != page + "index.html" for name in made), kind
    assert len(made) < len(list(out.rglob("*.html"))) / 3


def test_a_build_with_nothing_changed_touches_nothing(site: Path, tmp_path: Path) -> None:
    out = tmp_path / "_site"
    first = build(site, out)
    before, folder = states(out), out.stat()
    second = build(site, out)
    assert states(out) == before
    assert (out.stat().st_ino, out.stat().st_mtime_ns) == (folder.st_ino, folder.st_mtime_ns)
    assert (second.pages, second.diagnostics) == (first.pages, first.diagnostics)


def test_a_warning_is_reported_again_by_a_build_that_reuses_everything(
    site: Path, tmp_path: Path
) -> None:
    edit(site / CLAIM, 'claim: "Up to 87 million', 'claim: "Up to 87 million (and many more words)')
    out = tmp_path / "_site"
    first = build(site, out)
    assert [d.message for d in first.diagnostics if "characters" in d.message]
    assert build(site, out).diagnostics == first.diagnostics  # nothing changed: skipped
    edit_rating(site)  # another file read again, the warned one reused
    assert build(site, out).diagnostics == first.diagnostics


def test_files_changed_in_the_output_by_hand_are_put_right(site: Path, tmp_path: Path) -> None:
    out = tmp_path / "_site"
    build(site, out)
    expected = tree(out)
    (out / "claims" / "will-not-quit" / "index.html").write_text("edited by hand")
    (out / "sources" / "daily-dot" / "index.html").unlink()
    (out / "stray.html").write_text("left by someone")
    build(site, out)
    assert tree(out) == expected


def test_a_large_old_site_is_removed_in_the_background(
    site: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(write, "BACKGROUND_REMOVAL", 1)  # every old site counts as large
    out = tmp_path / "_site"
    build(site, out)
    edit_claim_text(site)
    build(site, out)
    deadline = time.monotonic() + 30
    while any(p.name.startswith("._site.") for p in tmp_path.iterdir()):
        assert time.monotonic() < deadline, "the old site was never removed"
        time.sleep(0.05)
    full = tmp_path / "full" / "_site"
    build(site, full)
    assert tree(out) == tree(full)


# --- caches that cannot be trusted ----------------------------------------------------------


def cache_files(out: Path) -> list[Path]:
    files = sorted((out.parent / store.FOLDER).glob(f"{out.name}.sqlite*"))
    assert files, "the build kept no store"
    return files


@pytest.mark.parametrize("damage", ["garbage", "truncated", "empty"])
def test_a_corrupt_cache_is_ignored(site: Path, tmp_path: Path, damage: str) -> None:
    out = tmp_path / "_site"
    build(site, out)
    for file in cache_files(out):
        data = file.read_bytes()
        file.write_bytes(
            {"garbage": b"\x80\x05not a pickle", "truncated": data[:7], "empty": b""}[damage]
        )
    edit_claim_text(site)
    build(site, out)
    full = tmp_path / "full" / "_site"
    build(site, full)
    assert tree(out) == tree(full)


def test_a_cache_of_another_generator_version_is_ignored(
    site: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "_site"
    build(site, out)
    before = states(out)
    monkeypatch.setattr(inputs, "generator_key", lambda: "another version")
    monkeypatch.setattr(store, "generator_key", lambda: "another version")
    build(site, out)
    after = states(out)
    # Nothing of the old cache was trusted: every file was made and written again.
    assert all(after[name] != before.get(name) for name in after if not name.startswith("."))
    full = tmp_path / "full" / "_site"
    build(site, full)
    assert tree(out) == tree(full)


def test_a_cache_copied_from_another_output_folder_is_ignored(site: Path, tmp_path: Path) -> None:
    first, second = tmp_path / "a" / "_site", tmp_path / "b" / "_site"
    build(site, first)
    build(site, second, base_url="https://example.org/other/")
    shutil.rmtree(second.parent / store.FOLDER)
    shutil.copytree(first.parent / store.FOLDER, second.parent / store.FOLDER)
    build(site, second, base_url="https://example.org/other/")
    full = tmp_path / "full" / "_site"
    build(site, full, base_url="https://example.org/other/")
    assert tree(second) == tree(full)


def test_the_options_are_part_of_what_the_cache_knows(site: Path, tmp_path: Path) -> None:
    out = tmp_path / "_site"
    build(site, out)
    build(site, out, base_url="https://example.org/elsewhere/")
    full = tmp_path / "full" / "_site"
    build(site, full, base_url="https://example.org/elsewhere/")
    assert tree(out) == tree(full)


# --- the live preview ------------------------------------------------------------------------


class Reports:
    def __init__(self) -> None:
        self.results: list[pipeline.BuildResult] = []

    def built(self, result: pipeline.BuildResult, first: bool) -> None:
        self.results.append(result)

    def serving(self, url: str, folder: Path) -> None:
        pass


def test_the_preview_updates_its_folder_in_place_to_what_a_build_writes(
    site: Path, tmp_path: Path
) -> None:
    options = Options(base_url="http://127.0.0.1:8000/")
    preview = Paths.for_site(site, tmp_path / "preview" / "site")
    rebuilder = serve.Rebuilder(preview, options, Reports())
    rebuilder.build()
    for change in EDITS:  # the preview keeps analyses in memory too (Cache.memory)
        change(site)
        before = states(preview.out)
        assert rebuilder.build().ok
        full = tmp_path / f"full-{change.__name__}" / "_site"
        build(site, full, base_url=options.base_url)
        assert tree(preview.out) == tree(full), change.__name__
        after = states(preview.out)
        unchanged = [name for name in after if name in before and after[name] == before[name]]
        assert unchanged or change is edit_template
    # The preview keeps its cache in memory only: nothing beside its folder.
    assert not (preview.out.parent / store.FOLDER).exists()


def test_a_failed_preview_build_leaves_its_folder_as_it_was(site: Path, tmp_path: Path) -> None:
    preview = Paths.for_site(site, tmp_path / "preview" / "site")
    rebuilder = serve.Rebuilder(preview, Options(), Reports())
    rebuilder.build()
    before = tree(preview.out)
    edit_claim_text(site)
    edit(
        site / "theme" / "templates" / "claim.html",
        "{% block main %}",
        "{% block main %}{{ undefined_name }}",
    )
    assert not rebuilder.build().ok
    assert tree(preview.out) == before  # and no temporary file is left


def test_preview_edits_one_after_another_search_the_archive_for_nothing_known(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The preview remembers each claim's findings; the variants they came from must stay known
    # too, though a rebuild that reuses the findings does not look them up for itself.
    root = write_site(tmp_path / "synthetic", 40)
    rebuilder = serve.Rebuilder(Paths.for_site(root, tmp_path / "preview"), Options(), Reports())
    assert rebuilder.build().ok
    searched: list[object] = []
    find_all = variants.VariantIndex.find_all
    monkeypatch.setattr(
        variants.VariantIndex,
        "find_all",
        lambda self, passages: searched.append(list(passages)) or find_all(self, passages),
    )
    claim_1 = root / "content" / "claims" / "claim-1.yaml"
    edits = [
        lambda: edit_one_claim(root, 1),
        lambda: edit_one_claim(root, 2),
        lambda: edit(claim_1, "summary: As edited, the record", "summary: The record"),
        lambda: edit_one_claim(root, 3),
    ]
    for change in edits:
        change()
        assert rebuilder.build().ok
    assert searched == []


def test_a_deploy_restoring_the_last_site_and_store_makes_only_what_changed(
    site: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """What the Pages workflow does: the last deploy's site and store restored beside a fresh
    checkout, every file with a new time and inode (a cache keeps neither): only the edited
    claim is parsed, only its passages searched, only the pages that show it rendered."""
    checkout = tmp_path / "runner"  # the same folder on every run of the workflow
    shutil.copytree(site, checkout / "site")
    build(checkout / "site", checkout / "_site")
    saved = tmp_path / "saved"  # what actions/cache keeps: the site and the store
    for name in ("_site", store.FOLDER):
        shutil.move(checkout / name, saved / name)
    shutil.rmtree(checkout)
    edit_claim_text(site)
    shutil.copytree(site, checkout / "site", copy_function=shutil.copy)  # new times
    for name in ("_site", store.FOLDER):  # restored: new times and inodes
        shutil.copytree(saved / name, checkout / name, copy_function=shutil.copy)
    loaded: list[frozenset[str]] = []
    load_content = loader.load_content

    def loading(root: Path, diags: object, skip: frozenset[str] = frozenset()) -> object:
        loaded.append(skip)
        return load_content(root, diags, skip)  # type: ignore[arg-type]

    monkeypatch.setattr(loader, "load_content", loading)
    searched: list[list[object]] = []
    find_all = variants.VariantIndex.find_all
    monkeypatch.setattr(
        variants.VariantIndex,
        "find_all",
        lambda self, passages: searched.append(list(passages)) or find_all(self, passages),
    )
    made: list[str] = []
    make_page = render._SiteRenderer._make
    monkeypatch.setattr(
        render._SiteRenderer,
        "_make",
        lambda self, path, *a: made.append(path) or make_page(self, path, *a),
    )
    monkeypatch.setenv("FACTCHECK_PROCESSES", "1")  # a spy does not see into forked workers
    build(checkout / "site", checkout / "_site")

    claims = {f"content/claims/{p.name}" for p in (site / "content" / "claims").glob("*.yaml")}
    assert claims - loaded[0] == {CLAIM}  # only the edited claim is parsed
    assert sum(len(passages) for passages in searched) <= 3  # and only its passages searched
    assert "claims/up-to-87-million/" in made
    assert len(made) < len(list((checkout / "_site").rglob("*.html"))) / 3
    monkeypatch.undo()
    build(site, tmp_path / "full" / "_site")
    assert tree(checkout / "_site") == tree(tmp_path / "full" / "_site")


# --- every core -----------------------------------------------------------------------------


def test_builds_on_every_core_write_what_one_process_writes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = write_site(tmp_path / "synthetic", 60)
    forked: list[int] = []
    real_context = parallel.multiprocessing.get_context

    def spying(method: str) -> object:
        forked.append(1)
        return real_context(method)

    monkeypatch.setattr(parallel.multiprocessing, "get_context", spying)
    monkeypatch.setattr(parallel, "MIN_ITEMS", 10)
    monkeypatch.setenv("FACTCHECK_PROCESSES", "1")
    build(root, tmp_path / "one" / "_site")
    assert not forked
    monkeypatch.setenv("FACTCHECK_PROCESSES", "2")
    build(root, tmp_path / "two" / "_site")
    assert forked
    assert tree(tmp_path / "one" / "_site") == tree(tmp_path / "two" / "_site")
    # And an edit rebuilt on two cores writes what a full build writes.
    edit_one_claim(root, 3)
    build(root, tmp_path / "two" / "_site")
    build(root, tmp_path / "three" / "_site")
    assert tree(tmp_path / "two" / "_site") == tree(tmp_path / "three" / "_site")


def test_a_file_digest_is_trusted_only_when_its_change_is_long_past(tmp_path: Path) -> None:
    """A file changed just before the last scan may have changed again within the same clock
    tick, leaving its times as they were: it is read again."""
    root = tmp_path / "site"
    (root / "content").mkdir(parents=True)
    file = root / "content" / "site.yaml"
    file.write_text("title: one\n")
    paths = Paths.for_site(root)
    first = inputs.scan(paths, Options())
    file.write_text("title: two\n")  # same size; perhaps the same time
    stat = file.stat()
    os.utime(file, ns=(stat.st_atime_ns, first.stats["content/site.yaml"].mtime_ns))
    second = inputs.scan(paths, Options(), first)
    assert second.files["content/site.yaml"] != first.files["content/site.yaml"]
