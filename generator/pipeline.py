"""Pipeline: the build, stage by stage. Nothing is written until everything has been checked.

The stages (load/, analyse/, render/, output/) are plain functions of their inputs. Beside them
the incremental layer (incremental/engine.py) remembers what earlier builds made: it tells the
loader which files it knows, lends the analyses memoised steps, and fingerprints each file.
"""

from __future__ import annotations

import time

from . import load
from .analyse import anchoring, discrepancies
from .config import Options, Paths
from .diagnostics import BuildResult, Diagnostics
from .incremental.engine import Engine, Store
from .output import write
from .progress import SILENT, Progress
from .render import pages


def build(
    paths: Paths,
    options: Options,
    write_output: bool = True,
    store: Store | None = None,
    atomic: bool = True,
    progress: Progress = SILENT,
) -> BuildResult:
    """Load, validate, build the model, analyse, render, write. `store`: what earlier builds
    made (by default kept beside the output); `atomic`: a killed build leaves a whole site
    (the preview's private folder does without); `progress` hears of each stage and file."""
    started, diags, made = time.perf_counter(), Diagnostics(), 0
    writable = write_output and write.prepare(paths, diags)
    engine = Engine.open(paths, options, writable, store)
    if (last := engine.unchanged()) is not None:
        return BuildResult(list(last.diagnostics), last.pages, True, time.perf_counter() - started)
    known = engine.known_files(diags, progress)
    progress.stage("reading content")
    model = load.read(paths, options, diags, known.files, known.prebuilt)
    if model is not None:
        engine.remember(model, known, diags)
        load.content.check_claimants(model.claims, diags)
        progress.stage("checking quotations")
        analysis = anchoring.analyse(model, diags, engine.locate(), engine.mark())
        progress.stage("comparing figures and wordings")
        found = discrepancies.analyse(model, analysis.anchors, diags, engine.figure_steps(model))
        load.content.check_paths(model, found.quotations, diags)
        diags.promote_warnings(options.strict)
    if model is not None and not diags.has_errors():
        output = pages.render(model, analysis, found, paths.theme, paths.seeds, engine.rendering())
        if engine.paths_checked(output, diags):
            jobs = engine.jobs(model, analysis, found, output)
            progress.stage("writing files", len(jobs))
            written = write.write(jobs, paths, engine.previous, atomic, writable, diags, progress)
            engine.save(written, diags, output.pages)
            made = output.pages
    ok = not diags.has_errors()
    return BuildResult(diags.sorted(), made if ok else 0, ok, time.perf_counter() - started)
