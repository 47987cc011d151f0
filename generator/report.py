"""Report: what the command line shows of a build: progress bars on a terminal, then the
diagnostics and a summary line, as text, as one JSON document or as GitHub annotations.

The library never prints (pipeline.build returns a BuildResult, and tells a Progress of its
stages); this module, used by cli.py only, decides what a person, a script or a CI log sees.
"""

from __future__ import annotations

import json
import shutil
import sys
from typing import TextIO

from .diagnostics import Diagnostic, Severity
from .pipeline import BuildResult
from .progress import SILENT, Progress

FORMATS = ("text", "json", "github")
# The version of the JSON document `--format json` prints; raised when a field changes meaning
# or goes (new fields may be added without it).
JSON_VERSION = 1


# --- Progress ---------------------------------------------------------------------------------


class Bars:
    """A progress bar per stage on the terminal (stderr), each cleared when the next begins,
    so that only the summary line stays behind."""

    def __init__(self, stream: TextIO) -> None:
        self.stream = stream
        self.bar = None

    def stage(self, name: str, total: int = 0) -> None:
        import tqdm  # imported only when bars are drawn: a build in CI never needs it

        # tqdm's monitor is a thread, and a build forks its workers only while no other
        # thread runs (parallel.can_fork): without this, bars would make builds one-core.
        tqdm.tqdm.monitor_interval = 0
        self.close()
        # A terminal that reports no size (0 x 0: tqdm would draw nothing) gets 80 x 24.
        size = shutil.get_terminal_size()
        self.bar = tqdm.tqdm(
            total=total or None,
            desc=name,
            file=self.stream,
            leave=False,
            ncols=size.columns,
            nrows=size.lines,
            mininterval=0.1,
            unit=" files" if total else "",
            # A stage that does not count its items shows its name and the time it has taken.
            bar_format=None if total else "{desc}... {elapsed}",
        )

    def advance(self, count: int = 1) -> None:
        if self.bar is not None:
            self.bar.update(count)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()
            self.bar = None


def progress_display(quiet: bool, output_format: str) -> Bars | None:
    """Bars when a person watches: text format, not --quiet, and both stdout and stderr a
    terminal (a pipe or a CI log gets only the summary and the diagnostics)."""
    watched = sys.stdout.isatty() and sys.stderr.isatty()
    if quiet or output_format != "text" or not watched:
        return None
    return Bars(sys.stderr)


def as_progress(bars: Bars | None) -> Progress:
    return bars if bars is not None else SILENT


# --- Diagnostics and the summary --------------------------------------------------------------


def show(result: BuildResult, output_format: str, command: str, summary: str) -> None:
    """Print a finished build's diagnostics and its summary line (`summary`: what a build that
    succeeded says) in the chosen format."""
    if output_format == "json":
        print(json.dumps(as_json(result, command), ensure_ascii=False, indent=2))
        return
    if output_format == "github":
        for diagnostic in result.diagnostics:
            print(github_command(diagnostic))
        print(summary if result.ok else failure_line(result.diagnostics), flush=True)
        return
    text(result.diagnostics)
    if result.ok:
        print(summary, flush=True)


def text(diagnostics: list[Diagnostic]) -> None:
    """The diagnostics GCC-style on stderr, then their count."""
    for diagnostic in diagnostics:
        print(diagnostic.format(), file=sys.stderr)
    errors, warnings = counts(diagnostics)
    if errors:
        print(failure_line(diagnostics), file=sys.stderr)
    elif warnings:
        print(plural(warnings, "warning"), file=sys.stderr)


def failure_line(diagnostics: list[Diagnostic]) -> str:
    errors, warnings = counts(diagnostics)
    return f"{plural(errors, 'error')}, {plural(warnings, 'warning')}; nothing was written"


def counts(diagnostics: list[Diagnostic]) -> tuple[int, int]:
    """How many errors and how many warnings."""
    errors = sum(d.severity is Severity.ERROR for d in diagnostics)
    return errors, len(diagnostics) - errors


def plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def as_json(result: BuildResult, command: str) -> dict[str, object]:
    """The JSON document of `--format json` (documented in the README)."""
    errors, warnings = counts(result.diagnostics)
    return {
        "version": JSON_VERSION,
        "command": command,
        "ok": result.ok,
        "pages": result.pages,
        "seconds": round(result.seconds, 3),
        "counts": {"errors": errors, "warnings": warnings},
        "diagnostics": [
            {
                "path": d.path,
                "line": d.line,
                "col": d.col,
                "severity": d.severity.value,
                "message": d.message,
                "hint": d.hint,
            }
            for d in result.diagnostics
        ],
    }


def github_command(diagnostic: Diagnostic) -> str:
    """A GitHub Actions workflow command (`::error file=...,line=...::message`), which GitHub
    shows as an annotation on that line of a pull request's diff."""
    properties = {"file": diagnostic.path}
    if diagnostic.line:
        properties["line"] = str(diagnostic.line)
        if diagnostic.col:
            properties["col"] = str(diagnostic.col)
    properties["title"] = f"fact-check {diagnostic.severity.value}"
    listed = ",".join(f"{key}={escape_property(value)}" for key, value in properties.items())
    message = diagnostic.message + (f"\nhint: {diagnostic.hint}" if diagnostic.hint else "")
    return f"::{diagnostic.severity.value} {listed}::{escape_data(message)}"


def escape_data(text: str) -> str:
    """A command's message, escaped as GitHub's toolkit does (escapeData)."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    """A command's property value, escaped as GitHub's toolkit does (escapeProperty)."""
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")
