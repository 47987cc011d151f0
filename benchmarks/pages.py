"""Rendering alone: the CPU time of making every page of a site, by page type, in one process.

    python benchmarks/pages.py SITE_ROOT [--repeat N] [--profile FILE]

Runs the build's stages up to rendering once (with no cache, nothing written), then, once per
repeat, renders the site afresh (a new renderer, so that nothing it memoises carries over from
one repeat to the next) and makes every HTML page, timing each with the process's CPU time
(the machine is shared, so wall time is noisy). Prints, per page type (the first part of its
path: "claims", "sources", ...), how many pages and the best repeat's milliseconds per page.
`--profile` saves a cProfile of one more pass over the claim pages, for `python -m pstats`.
"""

from __future__ import annotations

import argparse
import cProfile
import sys
import time
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from generator import pipeline
from generator.config import Options, Paths
from generator.render import pages as render
from generator.render.pages import File


def renderer(root: Path) -> Callable[[], list[File]]:
    """What renders the site at `root` afresh, its HTML pages as files not yet made: the
    build's stages up to rendering run once (nothing written), and render's arguments kept."""
    paths = Paths.for_site(root, Path("/nonexistent-output"))
    kept: list[tuple[tuple[Any, ...], dict[str, Any]]] = []
    original = render.render

    def keep(*args: Any, **kwargs: Any) -> render.Output:
        kept.append((args, kwargs))
        return original(*args, **kwargs)

    render.render = keep  # type: ignore[assignment]
    try:
        result = pipeline.build(paths, Options(), write_output=False)
    finally:
        render.render = original
    if not result.ok or not kept:
        raise SystemExit("\n".join(d.format() for d in result.diagnostics))

    def files() -> list[File]:
        # The same arguments every time, compiled templates included (as the store keeps them).
        args, kwargs = kept[0]
        made = render.render(*args, **kwargs)
        return [file for file in made.files if file.path.endswith(".html")]

    return files


def kind(job: File) -> str:
    return job.path.split("/")[0] if "/" in job.path else job.path


def time_pages(jobs: list[File]) -> dict[str, float]:
    """CPU seconds spent making the pages of each type."""
    spent: dict[str, float] = defaultdict(float)
    for job in jobs:
        started = time.process_time()
        job.make()
        spent[kind(job)] += time.process_time() - started
    return spent


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("root", type=Path)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--profile", type=Path)
    args = parser.parse_args()
    fresh = renderer(args.root)
    jobs = fresh()
    counts: dict[str, int] = defaultdict(int)
    for job in jobs:
        counts[kind(job)] += 1
    best: dict[str, float] = {}
    for _ in range(args.repeat):
        for name, seconds in time_pages(fresh()).items():
            best[name] = min(best.get(name, seconds), seconds)
    for name in sorted(best, key=lambda n: -best[n]):
        per_page = 1000 * best[name] / counts[name]
        print(f"{name:20} {counts[name]:6d} pages {per_page:8.3f} ms/page {best[name]:7.2f} s")
    print(f"{'all':20} {len(jobs):6d} pages {'':17} {sum(best.values()):7.2f} s")
    if args.profile:
        claims = [job for job in fresh() if kind(job) == "claims"]
        cProfile.runctx("time_pages(claims)", globals(), {"claims": claims}, str(args.profile))


if __name__ == "__main__":
    main()
