"""Profile of the cold build: CPU seconds per stage, per claim and per passage, at each size.

    python benchmarks/cold_profile.py [N ...] [--before REV] [--repeat K] [--profile] [--top T]

Writes a synthetic site of N claims (benchmarks/synthetic.py) and measures, in a fresh
process on one core (FACTCHECK_PROCESSES=1, so that every stage's CPU time is this
process's), the build's stages one after the other: reading the YAML (loader), validating,
making the model, anchoring the quotations, the variant search (VariantIndex.find_all, as
discrepancies calls it) and the rest of the discrepancy analysis; then a whole cold build
(`build.py build`, no cache, no output) in another process, whose CPU time includes
rendering and writing. CPU time, not wall time: the machine is shared.

`--before REV` measures the generator of a git revision too (extracted into a scratch
folder), alternating with this one K times (`--repeat`, default 2) and keeping each one's
best, so that the ratios come from the same run. `--profile` runs the whole cold build of
the largest N under cProfile as well and prints its top functions by own time (`--top`).
Prints Markdown tables, as the README shows them.
"""

from __future__ import annotations

import argparse
import json
import os
import pstats
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "benchmarks"))

from synthetic import write_site  # noqa: E402

# The stages, in the order they run, as measured() names them.
STAGES = ["read YAML", "validate", "model", "anchor", "variant search", "other analysis"]
# What each stage's cost is shown per: claim files read, or passages searched.
PER_PASSAGE = {"variant search"}


@dataclass(frozen=True)
class Measure:
    """One size measured with one generator."""

    # Number of claims.
    n: int
    # Passages the variant search was given (every anchored appearance).
    passages: int
    # CPU seconds of each stage, by name (STAGES).
    stages: dict[str, float]
    # CPU seconds of the whole cold build, in its own process.
    build: float


def measured(root: Path) -> dict[str, Any]:
    """Run the stages up to the analysis on the site at `root`, in this process, and return
    the CPU seconds of each (run with the generator first on sys.path)."""
    from generator import anchoring, content, discrepancies, loader, validate, variants
    from generator.config import Options
    from generator.diagnostics import Diagnostics

    diags = Diagnostics()
    spent: dict[str, float] = {}
    raw = _timed(spent, "read YAML", lambda: loader.load_content(root, diags))
    valid = _timed(spent, "validate", lambda: validate.check_content(raw, diags))
    model = _timed(spent, "model", lambda: content.build(valid, Options(), diags))
    analysis = _timed(spent, "anchor", lambda: anchoring.analyse(model, diags))
    passages = [
        (ref.source, analysis.anchors[ref].start, analysis.anchors[ref].end)
        for claim in model.claims
        for ref in claim.appearances
        if ref in analysis.anchors
    ]
    # The variant search timed where discrepancies calls it, the rest of its analysis apart.
    search = variants.VariantIndex.find_all
    searching: dict[str, float] = {}

    def find_all(self: Any, wanted: Any) -> Any:
        return _timed(searching, "variant search", lambda: search(self, wanted))

    variants.VariantIndex.find_all = find_all
    try:
        _timed(spent, "analysis", lambda: discrepancies.analyse(model, analysis.anchors, diags))
    finally:
        variants.VariantIndex.find_all = search
    spent["variant search"] = searching["variant search"]
    spent["other analysis"] = spent.pop("analysis") - spent["variant search"]
    if diags.has_errors():
        raise SystemExit("\n".join(d.format() for d in diags.sorted()[:5]))
    return {"passages": len(passages), "stages": spent}


def _timed(spent: dict[str, float], name: str, work: Callable[[], Any]) -> Any:
    started = time.process_time()
    result = work()
    spent[name] = spent.get(name, 0.0) + time.process_time() - started
    return result


def measure(code: Path, root: Path, n: int, scratch: Path) -> Measure:
    """The stages and the whole cold build of the site at `root`, with the generator at
    `code`, each in a fresh process on one core."""
    env = {**os.environ, "FACTCHECK_PROCESSES": "1"}
    stages = subprocess.run(
        [sys.executable, __file__, "--stages", str(root), "--code", str(code)],
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )
    found = json.loads(stages.stdout)
    # A folder of its own, for the output and the cache the build keeps beside it.
    folder = Path(tempfile.mkdtemp(dir=scratch))
    out = folder / "site"
    build = _child_cpu(
        [sys.executable, str(code / "build.py"), "build", "--root", str(root), "--out", str(out)],
        env,
    )
    shutil.rmtree(folder)
    return Measure(n, found["passages"], found["stages"], build)


def _child_cpu(args: list[str], env: dict[str, str]) -> float:
    """CPU seconds (user and system) of a command run to its end."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    subprocess.run(args, env=env, check=True, stdout=subprocess.DEVNULL)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def best(measures: list[Measure]) -> Measure:
    """Each stage's least CPU time over repeats: the machine's noise only ever adds."""
    first = measures[0]
    stages = {name: min(m.stages[name] for m in measures) for name in first.stages}
    return Measure(first.n, first.passages, stages, min(m.build for m in measures))


def extract(rev: str, scratch: Path) -> Path:
    """The generator of a git revision, with what a build needs beside it, in a folder."""
    folder = scratch / f"code-{rev}"
    folder.mkdir()
    archive = subprocess.run(
        ["git", "-C", str(REPO), "archive", rev, "build.py", "generator", "schemas", "theme"],
        check=True,
        capture_output=True,
    )
    subprocess.run(["tar", "-x", "-C", str(folder)], input=archive.stdout, check=True)
    return folder


def table(after: list[Measure], before: list[Measure] | None) -> str:
    """Stage by stage: CPU seconds and cost per claim (per passage for the variant search),
    at each size, with the ratio to `before` when measured."""
    head = "| stage | " + " | ".join(f"{m.n:,} claims" for m in after) + " |"
    rows = [head, "|---|" + "---:|" * len(after)]
    names = [*STAGES, "cold build, whole"]
    for name in names:
        cells = []
        for k, m in enumerate(after):
            cell = _cell(name, m)
            if before is not None:
                old = _seconds(name, before[k])
                cell += f" ({_seconds(name, m) / old:.2f}x)" if old else ""
            cells.append(cell)
        rows.append(f"| {name} | " + " | ".join(cells) + " |")
    return "\n".join(rows)


def _seconds(name: str, m: Measure) -> float:
    return m.build if name == "cold build, whole" else m.stages[name]


def _cell(name: str, m: Measure) -> str:
    seconds = _seconds(name, m)
    if name in PER_PASSAGE:
        return f"{seconds:.2f} s, {1000 * seconds / m.passages:.3f} ms/passage"
    return f"{seconds:.2f} s, {1000 * seconds / m.n:.3f} ms/claim"


def profile(code: Path, root: Path, scratch: Path, top: int) -> str:
    """The whole cold build under cProfile, one process: where its time goes by module, then
    its top functions by own time."""
    out, stats = scratch / "profiled-out", scratch / "build.prof"
    env = {**os.environ, "FACTCHECK_PROCESSES": "1"}
    command = ["build.py", "build", "--root", str(root), "--out", str(out)]
    args = [sys.executable, "-m", "cProfile", "-o", str(stats), *command]
    subprocess.run(args, cwd=code, env=env, check=True, stdout=subprocess.DEVNULL)
    report = pstats.Stats(str(stats))
    total = report.total_tt
    entries = report.stats.items()
    modules: dict[str, float] = {}
    for (path, _, _), (_, _, own, _, _) in entries:
        modules[_module(path)] = modules.get(_module(path), 0.0) + own
    rows = [f"By module (own time; {total:.1f} s in all, under the profiler):", ""]
    rows += ["| module | own s | share |", "|---|---:|---:|"]
    for module, own in sorted(modules.items(), key=lambda item: -item[1])[:top]:
        rows.append(f"| {module} | {own:.2f} | {own / total:.0%} |")
    rows += ["", "| function | own s | share | with callees s |", "|---|---:|---:|---:|"]
    for (path, line, function), (_, _, own, cumulative, _) in sorted(
        entries, key=lambda item: -item[1][2]
    )[:top]:
        where = f"{_module(path)}: {Path(path).name}:{line} {function}" if line else function
        rows.append(f"| `{where}` | {own:.2f} | {own / total:.0%} | {cumulative:.2f} |")
    return "\n".join(rows)


def _module(path: str) -> str:
    """What a profiled function's file belongs to: one of our modules, a library, a template,
    or built-in functions (which cProfile files under "~")."""
    if path == "~":
        return "built-in functions (I/O, str, re, ...)"
    parts = Path(path).parts
    if "site-packages" in parts:
        return parts[parts.index("site-packages") + 1]
    if "generator" in parts and path.endswith(".py"):
        return "generator/" + parts[-1]
    if path.endswith(".html") or path.endswith(".xml") or path.endswith(".json"):
        return "templates (compiled)"
    return "standard library" if "python3" in path else Path(path).name


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("sizes", nargs="*", type=int, default=[1000, 5000])
    parser.add_argument("--before", help="a git revision to measure too, for ratios")
    parser.add_argument("--repeat", type=int, default=2)
    parser.add_argument("--profile", action="store_true")
    parser.add_argument("--top", type=int, default=15)
    parser.add_argument("--stages", type=Path, help=argparse.SUPPRESS)  # in the child
    parser.add_argument("--code", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.stages:
        sys.path.insert(0, str(args.code))
        print(json.dumps(measured(args.stages)))
        return
    with tempfile.TemporaryDirectory(prefix="cold-profile-") as name:
        scratch = Path(name)
        before_code = extract(args.before, scratch) if args.before else None
        after: list[Measure] = []
        before: list[Measure] = []
        for n in args.sizes:
            root = write_site(scratch / f"site-{n}", n)
            mine, theirs = [], []
            for _ in range(args.repeat):
                mine.append(measure(REPO, root, n, scratch))
                if before_code is not None:
                    theirs.append(measure(before_code, root, n, scratch))
            after.append(best(mine))
            if theirs:
                before.append(best(theirs))
        if before_code is not None:
            print(f"Before ({args.before}):\n\n{table(before, None)}\n\nNow (ratio to before):\n")
        print(table(after, before or None))
        if args.profile:
            largest = scratch / f"site-{max(args.sizes)}"
            print(f"\nTop functions of a cold build of {max(args.sizes):,} claims (cProfile):\n")
            print(profile(REPO, largest, scratch, args.top))


if __name__ == "__main__":
    main()
