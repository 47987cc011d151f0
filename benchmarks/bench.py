"""Benchmark: build synthetic sites of N claims and print a table, with ratios to the floor.

    python benchmarks/bench.py                 # N = 1,000, 10,000 and 25,000
    python benchmarks/bench.py 1000 5000       # chosen sizes

For each N it measures, each in a fresh process so that times include start-up like a user's:
- the floor: the least our stack can do for the same claim pages in one process (read the
  files, parse YAML with libyaml, render Markdown, one Jinja2 template, write);
- a full cold build (no cache, empty output folder);
- a no-op rebuild (nothing changed);
- a one-claim edit (one claim's summary changed, then rebuilt);
and the peak memory (RSS) of the full build. Ratios are to the floor measured in the same run,
because absolute times on a shared machine are noisy.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from synthetic import write_site

REPO = Path(__file__).resolve().parent.parent
FLOOR = Path(__file__).resolve().parent / "floor.py"


def run(args: list[str]) -> tuple[float, int]:
    """Wall time in seconds and peak RSS in MB of one child process."""
    started = time.perf_counter()
    process = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(process.pid, 0)
    elapsed = time.perf_counter() - started
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"{' '.join(args)} failed:\n{process.stderr.read().decode()}")
    return elapsed, usage.ru_maxrss // 1024


def build(root: Path, out: Path) -> tuple[float, int]:
    return run(
        [sys.executable, str(REPO / "build.py"), "build", "--root", str(root), "--out", str(out)]
    )


def edit_one_claim(root: Path) -> None:
    path = root / "content" / "claims" / "claim-0.yaml"
    text = path.read_text()
    path.write_text(text.replace("summary: The record", "summary: Edited: the record", 1))


def measure(n: int, scratch: Path) -> dict[str, float]:
    root = write_site(scratch / f"site-{n}", n)
    out = scratch / f"out-{n}"
    floor, _ = run([sys.executable, str(FLOOR), str(root), str(scratch / f"floor-{n}")])
    cold, rss = build(root, out)
    noop, _ = build(root, out)
    edit_one_claim(root)
    edit, _ = build(root, out)
    return {"n": n, "floor": floor, "cold": cold, "noop": noop, "edit": edit, "rss": rss}


def table(rows: list[dict[str, float]]) -> str:
    lines = [
        "| N | floor | full cold build | no-op rebuild | one-claim edit | ms/claim (cold) "
        "| peak RSS | cold / floor | no-op / floor | edit / floor |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in rows:
        lines.append(
            f"| {r['n']:,} | {r['floor']:.2f} s | {r['cold']:.2f} s | {r['noop']:.2f} s "
            f"| {r['edit']:.2f} s | {1000 * r['cold'] / r['n']:.2f} | {r['rss']:,} MB "
            f"| {r['cold'] / r['floor']:.2f}x | {r['noop'] / r['floor']:.2f}x "
            f"| {r['edit'] / r['floor']:.2f}x |"
        )
    return "\n".join(lines)


def main(sizes: list[int]) -> None:
    scratch = Path(tempfile.mkdtemp(prefix="factcheck-bench-"))
    try:
        rows = []
        for n in sizes:
            rows.append(measure(n, scratch))
            print(table(rows[-1:]).split("\n")[-1], file=sys.stderr, flush=True)
        print(table(rows))
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


if __name__ == "__main__":
    main([int(a) for a in sys.argv[1:]] or [1_000, 10_000, 25_000])
