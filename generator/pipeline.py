"""Pipeline: the build, stage by stage. Nothing is written until everything has been checked.

Each build redoes only what changed since the last one: the cache beside the output folder
(cache.py) holds what the last build read and wrote, and what it made of each file. With no
input changed the build stops after reading the files' times; otherwise unchanged content files
are not parsed again, known quotations not searched again, and pages that show nothing new not
rendered again (their files are reused as they are).
"""

from __future__ import annotations

import os
import time
from dataclasses import dataclass
from functools import partial
from pathlib import Path

from . import parallel
from .analyse import anchoring, discrepancies
from .config import Options, Paths
from .diagnostics import Diagnostic, Diagnostics, Location
from .incremental import inputs, reuse
from .incremental.cache import Cache, Manifest, OutputFile, Table
from .load import content, loader, validate
from .model import Content
from .output import write
from .progress import SILENT, Progress
from .render import pages as render
from .render import publish

# A cold build reads the claims this many at a time (see _read_in_chunks).
CHUNK = 1000


@dataclass(frozen=True)
class BuildResult:
    """What a build did, for the CLI (or the dev server) to report."""

    # Every error and warning, sorted by file and line.
    diagnostics: list[Diagnostic]
    # HTML pages rendered (0 when the build failed).
    pages: int
    # Whether the site was written (build) or would have been (check).
    ok: bool
    # Wall time of the build in seconds.
    seconds: float


def build(
    paths: Paths,
    options: Options,
    write_output: bool = True,
    cache: Cache | None = None,
    atomic: bool = True,
    progress: Progress = SILENT,
) -> BuildResult:
    """Load, validate, build the model, analyse (quotes, figures, variants), render, write.

    `cache` carries what one build knows to the next: by default the one kept beside the
    output folder (the live preview keeps its own in memory). `atomic`: a build killed
    half-way leaves a whole site (see write.write_jobs); the preview's private folder does
    without. `progress` is told of each stage as it starts, and of each file read and page
    made.
    """
    started = time.perf_counter()
    diags = Diagnostics()
    # The output folder is checked first, so that its error is reported with the content's.
    writable = write_output and write.check_output(paths, diags)
    if writable:
        # What a killed build left goes now (and its previous site comes back), even if this
        # build then fails.
        write.remove_leftovers(paths.out)
    cache = cache or (Cache.beside(paths.out) if writable else Cache(None, paths.out))
    last = cache.manifest if writable else None
    files = inputs.scan(paths, options, last.inputs if last else None)
    if last is not None and last.inputs.key == files.key and _intact(paths.out, last):
        return BuildResult(list(last.diagnostics), last.pages, True, _since(started))
    output = _checked_output(paths, options, files, cache, diags, progress)
    if output is not None and _paths_checked(output, last, paths, diags):
        progress.stage("writing files", len(output.jobs))
        if writable:
            _write(output, paths, files, cache, diags, atomic, progress)
        else:
            _render(output, diags, progress)
    ok = not diags.has_errors()
    pages = output.pages if output is not None and ok else 0
    return BuildResult(diags.sorted(), pages, ok, _since(started))


def _checked_output(
    paths: Paths,
    options: Options,
    files: inputs.Inputs,
    cache: Cache,
    diags: Diagnostics,
    progress: Progress,
) -> render.Output | None:
    """Every stage up to rendering; None when any check (quotes included) reported an error."""
    model = _model(paths, options, files, cache, diags, progress)
    if model is None:
        return None
    content.check_claimants(model.claims, diags)
    progress.stage("checking quotations")
    analysis = anchoring.analyse(model, diags, cache.table("anchors"), cache.memory("marks"))
    known = discrepancies.Known(
        *(cache.table(name) for name in ("variants", "bounds", "pairs")), cache.memory("claims")
    )
    ids = reuse.identities(model, files)
    progress.stage("comparing figures and wordings")
    found = discrepancies.analyse(model, analysis.anchors, diags, known, ids)
    content.check_paths(model, found.quotations, diags)
    if options.strict:
        diags.promote_warnings()
    if diags.has_errors():
        return None
    made = render.Known(cache.table("templates"), cache.table("layouts"), _last_json(paths, cache))
    return render.render(model, analysis, found, paths.theme, files, ids, made, paths.seeds)


def _last_json(paths: Paths, cache: Cache) -> tuple[Path, OutputFile] | None:
    """The last build's claims.json, which the new one is made from (see splice.py)."""
    record = cache.manifest.outputs.get(publish.CLAIMS_JSON) if cache.manifest else None
    return (paths.out / publish.CLAIMS_JSON, record) if record else None


def _model(
    paths: Paths,
    options: Options,
    files: inputs.Inputs,
    cache: Cache,
    diags: Diagnostics,
    progress: Progress,
) -> Content | None:
    """Load, validate and build the model, reusing what the files that did not change gave.
    (A stage of its own: the loaded files, the largest thing a build holds, go when it ends.)"""
    reused = reuse.reusable(files, cache.table("files"))
    if _read_in_chunks(paths, options, files, cache, reused, progress):
        reused = reuse.reusable(files, cache.table("files"))  # now with the chunks read
    diags.extend(list(reused.diagnostics))
    progress.stage("reading content")
    raw = loader.load_content(paths.root, diags, skip=reused.files)
    valid = validate.check_content(raw, diags)
    model = content.build(valid, options, diags, reused)
    if model is not None:
        reuse.remember(model, files, reused, diags.sorted(), cache.table("files"), paths.root)
    return model


def _read_in_chunks(
    paths: Paths,
    options: Options,
    files: inputs.Inputs,
    cache: Cache,
    reused: reuse.Reused,
    progress: Progress,
) -> bool:
    """When many claims are new (a cold build), read them CHUNK at a time into the cache, as
    builds of those claims alone would, before the build proper reuses them: the loaded YAML,
    ten times the size of the model made from it, is then never all in memory. The sources and
    measures are read first (every claim is checked against them), then the chunks of claims
    on every core. What these reads report is left to the build proper: it reads again the
    files with errors (never kept) and reports again the warnings of the others (kept with
    them). Whether it read any."""
    new = [path for path in files.files if _is_claim(path) and path not in reused.files]
    if len(new) <= CHUNK:
        return False
    progress.stage("reading fact-checks", len(new))
    table = cache.table("files")
    entries = _read_chunk(paths, options, files, reused, frozenset(new), [])
    if entries is None:
        return True  # no usable site.yaml: the build proper says why
    for key, value in entries:
        table.put(key, value)
    # The sources and measures just read serve every chunk; the claims of the others are left
    # out of each chunk's model.
    known = reuse.reusable(files, table)
    reused = reuse.Reused(known.files, known.sources, known.measures, {}, ())
    chunks = [new[start : start + CHUNK] for start in range(0, len(new), CHUNK)]
    read = partial(_read_chunk, paths, options, files, reused, frozenset(new))
    sizes = iter([len(chunk) for chunk in chunks])

    def counted(count: int) -> None:  # the chunks finish in order: tell how many claims
        progress.advance(sum(next(sizes) for _ in range(count)))

    for entries in parallel.run(read, chunks, heavy=True, done=counted):
        for key, value in entries or []:
            table.put(key, value)
    return True


def _read_chunk(
    paths: Paths,
    options: Options,
    files: inputs.Inputs,
    reused: reuse.Reused,
    new: frozenset[str],
    chunk: list[str],
) -> list[tuple[object, object]] | None:
    """Read the content files not yet `reused`, of the `new` claims only those of `chunk`;
    return the cache entries of the files read, or None if the site cannot be built."""
    scratch, kept = Diagnostics(), Table()
    raw = loader.load_content(paths.root, scratch, skip=reused.files | (new - set(chunk)))
    model = content.build(validate.check_content(raw, scratch), options, scratch, reused)
    if model is None:
        return None
    reuse.remember(model, files, reused, scratch.sorted(), kept, paths.root)
    return kept.entries()


def _is_claim(path: str) -> bool:
    return path.startswith("content/claims/") and path.endswith(".yaml") and path.count("/") == 2


def _paths_checked(
    output: render.Output, last: Manifest | None, paths: Paths, diags: Diagnostics
) -> bool:
    """write.check_files, unless the last build wrote the very same paths (and checked them)."""
    if last is not None and last.outputs.keys() == set(output.paths):
        return True
    return write.check_files(output.paths, paths, diags)


def _write(
    output: render.Output,
    paths: Paths,
    files: inputs.Inputs,
    cache: Cache,
    diags: Diagnostics,
    atomic: bool,
    progress: Progress,
) -> None:
    """Write the site, reusing the files that did not change, and keep what the next build
    needs; a template error, or a disk that is full or read-only, is reported, not raised."""
    last = cache.manifest
    try:
        written = write.write_jobs(output.jobs, paths.out, last, atomic, progress=progress)
    except render.TemplateProblem as problem:
        diags.error(problem.where, problem.message, "fix the template in the theme")
        return
    except OSError as exc:
        diags.error(
            Location(str(paths.out)),
            f"cannot write the site: {exc.strerror or exc}"
            + (f" ({exc.filename})" if exc.filename else ""),
            "the previous site is unchanged; free disk space or check the folder's permissions",
        )
        return
    folders = _folders(paths.out, written)
    cache.save(Manifest(files, written, folders, tuple(diags.sorted()), output.pages))


def _render(output: render.Output, diags: Diagnostics, progress: Progress) -> None:
    """Render every page without writing (check, or an output folder refused), so that a
    template error is reported too."""
    try:
        parallel.run(_make, output.jobs, done=progress.advance)
    except render.TemplateProblem as problem:
        diags.error(problem.where, problem.message, "fix the template in the theme")


def _make(job: write.Job) -> None:
    job.make()


def _folders(out: os.PathLike[str], written: dict[str, OutputFile]) -> dict[str, tuple[int, int]]:
    """Every folder of the output with its time and inode: a file added to one changes them."""
    names = {""} | {parent for path in written for parent in write.parents(path)}
    return {name: _stamp(os.stat(os.path.join(out, name))) for name in sorted(names)}


def _stamp(stat: os.stat_result) -> tuple[int, int]:
    return stat.st_mtime_ns, stat.st_ino


def _intact(out: os.PathLike[str], last: Manifest) -> bool:
    """Whether the output is still exactly what the last build wrote: every file and folder
    with the size, time and inode it had (a file changed, removed or added by hand shows)."""
    if not write.folders_intact(out, last.folders):
        return False
    try:
        for name, record in last.outputs.items():
            stat = os.stat(os.path.join(out, name), follow_symlinks=False)
            if (stat.st_size, stat.st_mtime_ns, stat.st_ino) != record[2:]:
                return False
    except OSError:
        return False
    return True


def _since(started: float) -> float:
    return time.perf_counter() - started
