"""Where a one-claim edit's time goes: a cProfile of the rebuild, summed by part of the generator.

    python benchmarks/edit_profile.py N            # a synthetic site of N claims
    python benchmarks/edit_profile.py N --preview  # the live preview's rebuild instead

Writes a synthetic site of N claims (benchmarks/synthetic.py), builds it once, changes one
claim's summary, then profiles the rebuild: from the command line (a fresh process, as a user
runs it: start-up and imports included) or in the preview's Rebuilder (its store in memory).
Prints the CPU seconds spent in each part (the time of functions whose code is in it, their
own time, not what they call), and the functions that cost most. CPU time, not wall time: the
machine is shared. The profiler adds about a third to the time of Python code.
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
import shutil
import subprocess
import sys
import tempfile
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from synthetic import edit_one_claim, write_site

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

# Where a function's code is -> the part it is counted in, first match wins.
PARTS = [
    ("/generator/incremental/", "incremental layer (store, steps, fingerprints)"),
    ("/generator/load/", "load (YAML, validation, model)"),
    ("/generator/analyse/", "analyse (anchors, figures, variants)"),
    ("/generator/render/", "render (pages, Markdown, charts)"),
    ("/generator/output/", "output (writing files)"),
    ("/generator/", "generator, other (cli, pipeline, parallel)"),
    ("/jinja2/", "Jinja2 templates"),
    ("/markdown_it/", "Markdown (markdown-it-py)"),
    ("/yaml/", "YAML (PyYAML)"),
    ("/jsonschema/", "JSON Schema"),
    ("_pickle", "pickle"),
    ("sqlite3", "SQLite"),
    ("<frozen importlib", "imports"),
    ("marshal", "digests (marshal, BLAKE2b)"),
    ("blake2b", "digests (marshal, BLAKE2b)"),
]


def part(filename: str, name: str) -> str:
    where = f"{filename}:{name}"
    return next((label for key, label in PARTS if key in where), "Python and other libraries")


def profile_cli(root: Path, out: Path, stats_file: Path) -> None:
    args = [sys.executable, "-m", "cProfile", "-o", str(stats_file), str(REPO / "build.py")]
    subprocess.run(
        [*args, "build", "--root", str(root), "--out", str(out)], check=True, capture_output=True
    )


def profile_preview(root: Path, out: Path, stats_file: Path) -> None:
    from generator import serve
    from generator.config import Options, Paths

    class Quiet:
        def built(self, result: object, first: bool) -> None:
            pass

    rebuilder = serve.Rebuilder(Paths.for_site(root, out), Options(), Quiet(), settle=0)
    rebuilder.build()
    edit_one_claim(root, 1)
    cProfile.runctx("rebuilder.build()", globals(), {"rebuilder": rebuilder}, str(stats_file))


def summary(stats_file: Path, top: int) -> str:
    stats = pstats.Stats(str(stats_file))
    by_part: dict[str, float] = defaultdict(float)
    rows = []
    for (filename, _, name), (_, _, own, cumulative, _) in stats.stats.items():  # type: ignore[attr-defined]
        by_part[part(filename, name)] += own
        rows.append((own, cumulative, f"{Path(filename).name}:{name}"))
    total = sum(by_part.values())
    lines = ["| part | CPU s | share |", "|---|---:|---:|"]
    for label, seconds in sorted(by_part.items(), key=lambda item: -item[1]):
        lines.append(f"| {label} | {seconds:.2f} | {100 * seconds / total:.0f}% |")
    lines.append(f"| all | {total:.2f} | |")
    lines += ["", "| function | own s | with callees s |", "|---|---:|---:|"]
    for own, cumulative, where in sorted(rows, reverse=True)[:top]:
        lines.append(f"| `{where}` | {own:.3f} | {cumulative:.3f} |")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("n", type=int)
    parser.add_argument("--preview", action="store_true")
    parser.add_argument("--top", type=int, default=15)
    args = parser.parse_args()
    scratch = Path(tempfile.mkdtemp(prefix="factcheck-edit-profile-"))
    try:
        root, out = write_site(scratch / "site", args.n), scratch / "_site"
        stats_file = scratch / "edit.prof"
        if args.preview:
            profile_preview(root, out, stats_file)
        else:
            subprocess.run(
                [
                    sys.executable,
                    str(REPO / "build.py"),
                    "build",
                    "--root",
                    str(root),
                    "--out",
                    str(out),
                ],
                check=True,
                capture_output=True,
            )
            edit_one_claim(root, 1)
            profile_cli(root, out, stats_file)
        print(summary(stats_file, args.top))
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


if __name__ == "__main__":
    main()
