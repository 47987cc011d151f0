"""The benchmark runs as the README says, on small synthetic sites, and prints its table: every
measure for each N, and each ratio worked out from the floor measured in the same run."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
COLUMNS = [
    "N",
    "floor",
    "cold build",
    "cold, 1 process",
    "no-op rebuild",
    "one-claim edit",
    "preview edit",
    "search index",
    "ms/claim (floor, cold)",
    "peak RSS",
    "Pagefind's RSS",
    "cold / floor",
    "no-op / floor",
    "edit / floor",
    "search / edit",
]


def cells(line: str) -> list[str]:
    return [cell.strip() for cell in line.strip().strip("|").split("|")]


def seconds(cell: str) -> float:
    match = re.fullmatch(r"(\d+\.\d\d) s", cell)
    assert match, cell
    return float(match.group(1))


def test_the_benchmark_prints_its_table_with_ratios_to_the_floor_of_the_same_run() -> None:
    run = subprocess.run(
        [sys.executable, str(REPO / "benchmarks" / "bench.py"), "20", "40"],
        capture_output=True,
        text=True,
        timeout=300,
        cwd=REPO,
    )
    assert run.returncode == 0, run.stderr
    lines = run.stdout.strip().splitlines()
    assert cells(lines[0]) == COLUMNS
    rows = [dict(zip(COLUMNS, cells(line), strict=True)) for line in lines[2:4]]
    assert [row["N"] for row in rows] == ["20", "40"]
    for row in rows:
        floor = seconds(row["floor"])
        assert floor > 0
        for measure, ratio in [
            ("cold build", "cold / floor"),
            ("no-op rebuild", "no-op / floor"),
            ("one-claim edit", "edit / floor"),
        ]:
            # From the printed (rounded) times: equal to within their rounding.
            expected = seconds(row[measure]) / floor
            assert float(row[ratio].removesuffix("x")) == pytest.approx(expected, rel=0.05)
        for measure in ("cold, 1 process", "preview edit", "search index"):
            assert seconds(row[measure]) > 0
        search_share = seconds(row["search index"]) / seconds(row["one-claim edit"])
        assert float(row["search / edit"].removesuffix("x")) == pytest.approx(
            search_share, abs=0.02
        )
        assert re.fullmatch(r"[1-9][\d,]* MB", row["peak RSS"])
        assert re.fullmatch(r"[1-9][\d,]* MB", row["Pagefind's RSS"])
        per_claim = [float(x) for x in row["ms/claim (floor, cold)"].split(", ")]
        n = int(row["N"])
        expected = [1000 * seconds(row[m]) / n for m in ("floor", "cold build")]
        assert per_claim == pytest.approx(expected, rel=0.05)
    assert re.fullmatch(
        r"ms/claim at 40 over ms/claim at 20: cold build \d+\.\d\dx, floor \d+\.\d\dx", lines[4]
    )
