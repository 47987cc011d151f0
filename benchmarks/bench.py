"""Benchmark: build synthetic sites of N claims and print a table, with ratios to the floor.

    python benchmarks/bench.py                 # N = 1,000, 10,000 and 25,000
    python benchmarks/bench.py 1000 5000       # chosen sizes

For each N it measures, each in a fresh process so that times include start-up like a user's:
- the floor: the least our stack can do for the same claim pages in one process (read the
  files, parse YAML with libyaml, render Markdown, one Jinja2 template, write);
- a full cold build (no cache, no output folder), on every core, and on one;
- a no-op rebuild (nothing changed);
- a one-claim edit (one claim's summary changed, then rebuilt);
- the live preview's rebuild after a one-claim edit: the preview's own code path (its
  Rebuilder, its cache in memory, after its first build), from the rebuild's start to the
  pages written (the preview waits SETTLE_SECONDS for saves to settle before that);
- the search index alone (benchmarks/search_index.py): Pagefind indexing every fact-check,
  which a cold build and every edit that changes a fact-check's words pay (Pagefind cannot
  update an index: the bundle is made whole again);
and the peak memory (RSS) of the cold build's largest process (Pagefind's included, a child
the build waits for) and of Pagefind alone. Ratios are to the floor
measured in the same run, because absolute times on a shared machine are noisy.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from synthetic import edit_one_claim, write_site

REPO = Path(__file__).resolve().parent.parent
FLOOR = Path(__file__).resolve().parent / "floor.py"
PREVIEW = Path(__file__).resolve().parent / "preview.py"
SEARCH = Path(__file__).resolve().parent / "search_index.py"


def build(root: Path, out: Path, processes: str = "") -> tuple[float, int]:
    env = {"FACTCHECK_PROCESSES": processes} if processes else None
    seconds, rss, _ = timed(
        [sys.executable, str(REPO / "build.py"), "build", "--root", str(root), "--out", str(out)],
        env,
    )
    return seconds, rss


def timed(args: list[str], env: dict[str, str] | None = None) -> tuple[float, int, str]:
    """Wall time in seconds, peak RSS in MB and standard output of one child process. The peak
    is the largest of the process and of the children it waited for (its worker processes)."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        started = time.perf_counter()
        process = subprocess.Popen(args, stdout=out, stderr=err, env=child_env(env))
        _, status, usage = os.wait4(process.pid, 0)
        elapsed = time.perf_counter() - started
        process.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        if process.returncode != 0:
            raise SystemExit(f"{' '.join(args)} failed:\n{err.read().decode()}")
        return elapsed, usage.ru_maxrss // 1024, out.read().decode()


def child_env(extra: dict[str, str] | None) -> dict[str, str]:
    """The environment of a timed process: this one's, with Python's compiled-module cache
    on, as on a user's machine (a sandbox may turn it off: each start then compiles every
    module of the generator again, a tenth of a second)."""
    env = {**os.environ, **(extra or {})}
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    return env


def measure(n: int, scratch: Path) -> dict[str, float]:
    root = write_site(scratch / f"site-{n}", n)
    floor, _, _ = timed([sys.executable, str(FLOOR), str(root), str(scratch / f"floor-{n}")])
    cold, rss = build(root, scratch / f"out-{n}")
    single, _ = build(root, scratch / f"single-{n}", processes="1")
    noop, _ = build(root, scratch / f"out-{n}")
    edit_one_claim(root, 0)
    edit, _ = build(root, scratch / f"out-{n}")
    _, _, report = timed([sys.executable, str(PREVIEW), str(root)])
    preview = json.loads(report)["edit"]
    _, _, report = timed([sys.executable, str(SEARCH), str(root)])
    index, index_rss = json.loads(report)["index"], json.loads(report)["rss"]
    return {
        "n": n,
        "floor": floor,
        "cold": cold,
        "single": single,
        "noop": noop,
        "edit": edit,
        "preview": preview,
        "search": index,
        "search_rss": index_rss,
        "rss": rss,
    }


def table(rows: list[dict[str, float]]) -> str:
    lines = [
        "| N | floor | cold build | cold, 1 process | no-op rebuild | one-claim edit "
        "| preview edit | search index | ms/claim (floor, cold) | peak RSS | Pagefind's RSS "
        "| cold / floor | no-op / floor | edit / floor | search / edit |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in rows:
        per_claim = f"{1000 * r['floor'] / r['n']:.2f}, {1000 * r['cold'] / r['n']:.2f}"
        lines.append(
            f"| {r['n']:,} | {r['floor']:.2f} s | {r['cold']:.2f} s | {r['single']:.2f} s "
            f"| {r['noop']:.2f} s | {r['edit']:.2f} s | {r['preview']:.2f} s "
            f"| {r['search']:.2f} s | {per_claim} | {r['rss']:,} MB | {r['search_rss']:,} MB "
            f"| {r['cold'] / r['floor']:.2f}x | {r['noop'] / r['floor']:.2f}x "
            f"| {r['edit'] / r['floor']:.2f}x | {r['search'] / r['edit']:.2f}x |"
        )
    return "\n".join(lines)


def scaling(rows: list[dict[str, float]]) -> str:
    """ms/claim of the largest N over the smallest, for the cold build and the floor."""
    small, large = rows[0], rows[-1]
    if small is large:
        return ""

    def ratio(key: str) -> float:
        return (large[key] / large["n"]) / (small[key] / small["n"])

    return (
        f"ms/claim at {large['n']:,} over ms/claim at {small['n']:,}: cold build "
        f"{ratio('cold'):.2f}x, floor {ratio('floor'):.2f}x"
    )


def main(sizes: list[int]) -> None:
    scratch = Path(tempfile.mkdtemp(prefix="factcheck-bench-"))
    try:
        rows = []
        for n in sizes:
            rows.append(measure(n, scratch))
            print(table(rows[-1:]).split("\n")[-1], file=sys.stderr, flush=True)
        print(table(rows))
        print(scaling(rows))
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


if __name__ == "__main__":
    main([int(a) for a in sys.argv[1:]] or [1_000, 10_000, 25_000])
