"""Pipeline: the build, stage by stage. Nothing is written until everything has been checked."""

from __future__ import annotations

import time
from dataclasses import dataclass

from . import anchoring, content, discrepancies, loader, render, validate, write
from .config import Options, Paths
from .diagnostics import Diagnostic, Diagnostics, Location


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


def build(paths: Paths, options: Options, write_output: bool = True) -> BuildResult:
    """Load, validate, build the model, analyse (quotes, figures, variants), render, write."""
    started = time.perf_counter()
    diags = Diagnostics()
    # The output folder is checked first, so that its error is reported with the content's.
    writable = write_output and write.check_output(paths, diags)
    if writable:
        # What a killed build left goes now (and its previous site comes back), even if this
        # build then fails.
        write.remove_leftovers(paths.out)
    output = _checked_output(paths, options, diags)
    if output is not None and write.check_files(output.files, paths, diags) and writable:
        _write(output, paths, diags)
    ok = not diags.has_errors()
    pages = output.pages if output is not None and ok else 0
    return BuildResult(diags.sorted(), pages, ok, time.perf_counter() - started)


def _checked_output(paths: Paths, options: Options, diags: Diagnostics) -> render.Output | None:
    """Every stage up to rendering; None when any check (quotes included) reported an error."""
    raw = loader.load_content(paths.root, diags)
    valid = validate.check_content(raw, diags)
    model = content.build(valid, options, diags)
    if model is None:
        return None
    analysis = anchoring.analyse(model, diags)
    found = discrepancies.analyse(model, analysis.anchors, diags)
    content.check_paths(model, found.quotations, diags)
    if options.strict:
        diags.promote_warnings()
    if diags.has_errors():
        return None
    return render.render(model, analysis, found, paths.theme, diags)


def _write(output: render.Output, paths: Paths, diags: Diagnostics) -> None:
    """Write the site; a disk that is full or read-only is reported, not raised."""
    try:
        write.write_site(output.files, paths.out)
    except OSError as exc:
        diags.error(
            Location(str(paths.out)),
            f"cannot write the site: {exc.strerror or exc}"
            + (f" ({exc.filename})" if exc.filename else ""),
            "the previous site is unchanged; free disk space or check the folder's permissions",
        )
