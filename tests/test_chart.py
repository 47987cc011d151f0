"""Chart: every figure drawn where its value is on the axis, read back from the SVG itself.

Positions are recomputed here from the scale the <svg> states (data-scale, data-low, data-high,
data-left, data-right) and each figure's value as the YAML (or the test) gives it, with the
linear or log10 formula, and compared with what is drawn.
"""

from __future__ import annotations

import datetime as dt
import itertools
import math
import re
from dataclasses import replace
from pathlib import Path

import pytest
import yaml
from bs4 import BeautifulSoup, Tag
from sitecheck import REPO, parse

from generator.analyse import figures
from generator.analyse.discrepancies import FigureRow, MeasureReport
from generator.diagnostics import Location
from generator.model import Claim, Figure, Measure, Rating
from generator.render import chart

TOLERANCE = 0.01
BOUNDS = ("exact", "about", "at-least", "at-most")


# --- reading the SVG -------------------------------------------------------------------------


def num(tag: Tag, attr: str) -> float:
    return float(tag[attr])


def expected_x(svg: Tag, value: float) -> float:
    """Where a value belongs on the axis the SVG states, clamped to the plot."""
    low, high = num(svg, "data-low"), num(svg, "data-high")
    left, right = num(svg, "data-left"), num(svg, "data-right")
    if value <= low:
        return left
    if value >= high:
        return right
    if svg["data-scale"] == "log":
        share = (math.log10(value) - math.log10(low)) / (math.log10(high) - math.log10(low))
    else:
        assert svg["data-scale"] == "linear", svg["data-scale"]
        share = (value - low) / (high - low)
    return left + share * (right - left)


def rows_of(svg: Tag) -> dict[str, Tag]:
    rows = svg.select("g.figure-row[data-claim]")
    ids = [g["data-claim"] for g in rows]
    assert len(ids) == len(set(ids)), f"a claim has several rows: {ids}"
    return {g["data-claim"]: g for g in rows}


def path_xs(path: Tag) -> list[float]:
    """The x coordinates of a path's points ("M26,101 L16,110 L26,119 Z")."""
    return [float(x) for x, _ in re.findall(r"(-?[\d.]+),(-?[\d.]+)", path["d"])]


def check_row(svg: Tag, row: Tag, value: float, bound: str) -> None:
    """One figure's row: its value, its bound, its value mark and its shapes where they belong."""
    left, right = num(svg, "data-left"), num(svg, "data-right")
    assert float(row["data-value"]) == pytest.approx(value, rel=1e-9)
    assert row["data-bound"] == bound
    (mark,) = row.select("line.value-mark")
    x = expected_x(svg, value)
    assert num(mark, "x1") == pytest.approx(x, abs=TOLERANCE)
    assert num(mark, "x2") == pytest.approx(x, abs=TOLERANCE)
    assert float(mark["data-value"]) == pytest.approx(value, rel=1e-9)
    assert left <= x <= right
    points, bands, bars = (
        row.select("circle.point"),
        row.select("rect.band"),
        row.select("rect.bar"),
    )
    ends = row.select("path.open-end")
    if bound == "exact":
        (point,) = points
        assert num(point, "cx") == pytest.approx(x, abs=TOLERANCE)
        assert not bands and not bars and not ends
    elif bound == "about":
        (band,) = bands
        start, end = num(band, "x"), num(band, "x") + num(band, "width")
        tolerance = figures.ABOUT_TOLERANCE
        assert start == pytest.approx(expected_x(svg, value * (1 - tolerance)), abs=TOLERANCE)
        assert end == pytest.approx(expected_x(svg, value * (1 + tolerance)), abs=TOLERANCE)
        assert start < x < end
        assert not bars and not ends
    elif bound == "at-least":
        (bar,) = bars
        (end,) = ends
        assert num(bar, "x") == pytest.approx(x, abs=TOLERANCE)
        xs = path_xs(end)
        # The arrow's tip is the right edge; it points right, and the bar runs into it.
        assert max(xs) == pytest.approx(right, abs=TOLERANCE)
        assert min(xs) < max(xs)
        assert num(bar, "x") + num(bar, "width") >= min(xs) - TOLERANCE
        assert not bands and not points
    else:
        assert bound == "at-most"
        (bar,) = bars
        (end,) = ends
        assert num(bar, "x") + num(bar, "width") == pytest.approx(x, abs=TOLERANCE)
        xs = path_xs(end)
        assert min(xs) == pytest.approx(left, abs=TOLERANCE)
        assert max(xs) > min(xs)
        assert num(bar, "x") <= max(xs) + TOLERANCE
        assert not bands and not points


def check_ticks(svg: Tag) -> None:
    """Tick labels in increasing order, each at the position of the value it names."""
    ticks = svg.select("text.tick")
    assert len(ticks) >= 2
    xs = [num(t, "x") for t in ticks]
    values = []
    for tick in ticks:
        (mention,) = figures.parse_numbers(tick.get_text())
        values.append(mention.value)
    assert xs == sorted(xs) and len(set(xs)) == len(xs)
    assert values == sorted(values) and len(set(values)) == len(values)
    for x, value in zip(xs, values, strict=True):
        assert x == pytest.approx(expected_x(svg, value), abs=TOLERANCE)
    # The ticks cover the plot from edge to edge.
    assert xs[0] == pytest.approx(num(svg, "data-left"))
    assert values[0] == pytest.approx(num(svg, "data-low"))


def check_accessible(svg: Tag) -> None:
    assert svg.get("role") == "img"
    labelled = svg["aria-labelledby"].split()
    title, desc = svg.find("title"), svg.find("desc")
    assert title is not None and title.get_text(strip=True)
    assert desc is not None and desc.get_text(strip=True)
    assert title.get("id") in labelled and desc.get("id") in labelled
    assert all(svg.find(id=i) is not None for i in labelled)
    assert svg.find("script") is None
    for tag in [svg, *svg.find_all(True)]:
        assert not [a for a in tag.attrs if a.lower().startswith("on")], tag.name
        assert "javascript:" not in str(tag.get("href", "")).lower()


def expected_scale_kind(values: list[float]) -> str:
    return "log" if max(values) / min(values) > 100 else "linear"


def check_scale(svg: Tag, rows: list[tuple[float, str]]) -> None:
    """The axis holds every finite end of every figure, linear or log as the span requires."""
    ends = []
    for value, bound in rows:
        interval = figures.interval(value, bound)  # type: ignore[arg-type]
        ends += [v for v in (value, interval.low, interval.high) if math.isfinite(v) and v > 0]
    assert svg["data-scale"] == expected_scale_kind(ends)
    # Left to right in every language: a right-to-left page must not turn the axis around.
    assert svg["direction"] == "ltr"
    low, high = num(svg, "data-low"), num(svg, "data-high")
    assert low <= min(ends) and high >= max(ends)
    if svg["data-scale"] == "linear":
        assert low == 0


# --- the bundled site ------------------------------------------------------------------------


def bundled_figures() -> dict[str, dict[str, tuple[float, str]]]:
    """measure -> claim id -> (value, bound), from the bundled claim files."""
    result: dict[str, dict[str, tuple[float, str]]] = {}
    for path in sorted((REPO / "content" / "claims").glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        if "figure" in data:
            figure = data["figure"]
            result.setdefault(figure["measure"], {})[path.stem] = (
                float(figure["value"]),
                figure["bound"],
            )
    return result


FIGURES = bundled_figures()


LAYOUTS = [layout.name for layout in chart.LAYOUTS]


def drawings(container: Tag) -> list[Tag]:
    """A page's charts: each measure drawn twice, wide then narrow (the stylesheet shows one)."""
    svgs = container.find_all("svg")
    assert [c[6:] for svg in svgs for c in svg["class"] if c.startswith("chart-")] == LAYOUTS
    return svgs


def measure_svg(site: Path, measure: str, layout: str = "wide") -> Tag:
    main = parse(site / "discrepancies" / measure / "index.html").find("main")
    return drawings(main)[LAYOUTS.index(layout)]


def test_bundled_site_has_figures_of_every_bound():
    assert FIGURES
    assert {bound for claims in FIGURES.values() for _, bound in claims.values()} == set(BOUNDS)


@pytest.mark.parametrize("layout", LAYOUTS)
@pytest.mark.parametrize("measure", sorted(FIGURES))
def test_bundled_chart_draws_every_figure_at_its_value(bundled_site, measure, layout):
    svg = measure_svg(bundled_site, measure, layout)
    rows = rows_of(svg)
    assert set(rows) == set(FIGURES[measure])
    for cid, (value, bound) in FIGURES[measure].items():
        check_row(svg, rows[cid], value, bound)


@pytest.mark.parametrize("layout", LAYOUTS)
@pytest.mark.parametrize("measure", sorted(FIGURES))
def test_bundled_chart_scale_and_ticks(bundled_site, measure, layout):
    svg = measure_svg(bundled_site, measure, layout)
    check_scale(svg, list(FIGURES[measure].values()))
    check_ticks(svg)
    check_accessible(svg)


def test_bundled_affected_users_chart_is_logarithmic(bundled_site):
    # 311,127 and 87 million are more than two orders of magnitude apart.
    values = [v for v, _ in FIGURES["affected-users"].values()]
    assert max(values) / min(values) > 100
    for layout in LAYOUTS:
        assert measure_svg(bundled_site, "affected-users", layout)["data-scale"] == "log"


@pytest.mark.parametrize("layout", LAYOUTS)
def test_larger_values_are_drawn_further_right(bundled_site, layout):
    for measure, claims in FIGURES.items():
        rows = rows_of(measure_svg(bundled_site, measure, layout))
        drawn = sorted(
            (value, num(rows[cid].select_one("line.value-mark"), "x1"))
            for cid, (value, _) in claims.items()
        )
        for (v1, x1), (v2, x2) in itertools.pairwise(drawn):
            assert x1 < x2 if v1 < v2 else x1 == x2


def test_compact_chart_on_claim_pages_highlights_that_claim_only(bundled_site):
    for claims in FIGURES.values():
        for cid, (value, bound) in claims.items():
            page = parse(bundled_site / "claims" / cid / "index.html")
            for svg in drawings(page.find("main")):
                assert "compact" in svg["class"]
                rows = rows_of(svg)
                assert set(rows) == set(claims)
                highlighted = [c for c, g in rows.items() if "highlighted" in g["class"]]
                assert highlighted == [cid]
                check_row(svg, rows[cid], value, bound)
                check_accessible(svg)


def test_claim_pages_without_a_figure_have_no_chart(bundled_site):
    with_figure = {cid for claims in FIGURES.values() for cid in claims}
    for path in sorted((REPO / "content" / "claims").glob("*.yaml")):
        if path.stem in with_figure:
            continue
        page = parse(bundled_site / "claims" / path.stem / "index.html")
        assert page.find("svg") is None, path.stem


def test_chart_description_only_points_to_a_table_that_is_there(bundled_site):
    pages = [bundled_site / "discrepancies" / m / "index.html" for m in FIGURES]
    pages += [bundled_site / "claims" / c / "index.html" for cs in FIGURES.values() for c in cs]
    for path in pages:
        main = parse(path).find("main")
        for svg in drawings(main):
            desc = svg.find("desc").get_text()
            if "table" in desc.lower():
                table = svg.find_next("table")
                assert table is not None and table.find_parent("main") is main, path
                assert len(table.select("tbody tr")) == len(rows_of(svg))


# --- scratch figures drawn with chart.measure_chart ------------------------------------------

RATING = Rating("unproven", "Unproven", "Not settled.", 3)
MEASURE = Measure("things", "Things counted", "things", "How many things.", Location("m.yaml"))


def row(cid: str, value: float, bound: str, counted: str = "things", scope: str = "") -> FigureRow:
    figure = Figure("things", value, bound, "things", counted, scope, Location(f"{cid}.yaml"))
    claim = Claim(
        id=cid,
        claim=f"There are {value} things",
        claimant=f"Claimant {cid}",
        claimant_slug=f"claimant-{cid}",
        claimant_type="person",
        date=None,
        appearances=(),
        rating=RATING,
        summary="",
        analysis="",
        evidence=(),
        tags=(),
        published=dt.date(2024, 1, 1),
        corrections=(),
        figure=figure,
        where=Location(f"content/claims/{cid}.yaml"),
    )
    return FigureRow(claim, figure, figures.interval(value, bound), "")  # type: ignore[arg-type]


def draw(
    rows: list[FigureRow], highlight: str = "", compact: bool = False, layout: str = "wide"
) -> Tag:
    (drawn,) = [lay for lay in chart.LAYOUTS if lay.name == layout]
    report = MeasureReport(MEASURE, rows, [])
    svg_text = chart.measure_chart(report, highlight, compact, drawn)
    soup = BeautifulSoup(svg_text, "html.parser")
    (svg,) = soup.find_all("svg")
    return svg


# Within two orders of magnitude: a linear axis.
LINEAR = [
    ("exact-40", 40.0, "exact"),
    ("about-120", 120.0, "about"),
    ("least-60", 60.0, "at-least"),
    ("most-90", 90.0, "at-most"),
    ("exact-7", 7.0, "exact"),
]
# Over five orders of magnitude: a log axis.
LOG = [
    ("exact-2000", 2_000.0, "exact"),
    ("about-5m", 5_000_000.0, "about"),
    ("least-30k", 30_000.0, "at-least"),
    ("most-900", 900.0, "at-most"),
    ("exact-311127", 311_127.0, "exact"),
]


@pytest.mark.parametrize("layout", LAYOUTS)
@pytest.mark.parametrize(("cases", "kind"), [(LINEAR, "linear"), (LOG, "log")])
def test_scratch_chart_draws_every_figure_at_its_value(cases, kind, layout):
    svg = draw([row(cid, value, bound) for cid, value, bound in cases], layout=layout)
    assert svg["data-scale"] == kind
    rows = rows_of(svg)
    assert list(rows) == [cid for cid, _, _ in cases]
    for cid, value, bound in cases:
        check_row(svg, rows[cid], value, bound)
    check_scale(svg, [(value, bound) for _, value, bound in cases])
    check_ticks(svg)
    check_accessible(svg)


@pytest.mark.parametrize(
    ("values", "kind"),
    [
        ([1.0, 100.0], "linear"),  # exactly two orders: still linear
        ([1.0, 100.01], "log"),  # just over
        ([3.0, 300.0], "linear"),
        ([3.0, 301.0], "log"),
        ([250_000.0, 25_000_000.0], "linear"),
        ([250_000.0, 25_000_001.0], "log"),
        ([5.0, 5.0], "linear"),
    ],
)
def test_axis_turns_logarithmic_exactly_beyond_two_orders_of_magnitude(values, kind):
    rows = [row(f"r{i}", v, "exact") for i, v in enumerate(values)]
    assert chart.scale_for(rows).kind == kind
    svg = draw(rows)
    assert svg["data-scale"] == kind
    drawn = rows_of(svg)
    for i, v in enumerate(values):
        check_row(svg, drawn[f"r{i}"], v, "exact")
    check_ticks(svg)


def test_open_ends_do_not_widen_the_axis():
    # "at most 1" runs to the left edge and "at least 50" to the right: neither end is a value.
    rows = [
        row("most-1", 1.0, "at-most"),
        row("exact-50", 50.0, "exact"),
        row("least-50", 50.0, "at-least"),
    ]
    scale = chart.scale_for(rows)
    assert scale.kind == "linear"
    assert math.isfinite(scale.low) and math.isfinite(scale.high)
    svg = draw(rows)
    drawn = rows_of(svg)
    check_row(svg, drawn["most-1"], 1.0, "at-most")
    check_row(svg, drawn["least-50"], 50.0, "at-least")


def test_scale_positions_match_the_formulas():
    linear = chart.Scale("linear", 0.0, 200.0)
    assert linear.x(0.0) == chart.LEFT
    assert linear.x(200.0) == chart.RIGHT
    assert linear.x(50.0) == pytest.approx(chart.LEFT + 0.25 * (chart.RIGHT - chart.LEFT), abs=0.01)
    log = chart.Scale("log", 1_000.0, 1_000_000.0)
    assert log.x(10_000.0) == pytest.approx(chart.LEFT + (chart.RIGHT - chart.LEFT) / 3, abs=0.01)
    # Open ends run to the edges; values outside the axis are clamped to it.
    assert log.x(-math.inf) == chart.LEFT and log.x(math.inf) == chart.RIGHT
    assert log.x(1.0) == chart.LEFT and log.x(1e9) == chart.RIGHT


def test_compact_chart_highlights_only_the_given_claim():
    rows = [row(cid, value, bound) for cid, value, bound in LINEAR]
    svg = draw(rows, highlight="least-60", compact=True)
    assert "compact" in svg["class"]
    marked = [g["data-claim"] for g in svg.select("g.figure-row.highlighted")]
    assert marked == ["least-60"]
    full = draw(rows)
    assert full.select("g.highlighted") == []
    # The two charts can share a page: their label ids differ.
    assert set(svg["aria-labelledby"].split()).isdisjoint(full["aria-labelledby"].split())


def test_rows_of_another_quantity_say_what_they_count():
    rows = [
        row("main-1", 100.0, "exact", counted="things", scope="here"),
        row("main-2", 120.0, "exact", counted="things", scope="here"),
        row("scope", 5.0, "exact", counted="things", scope="elsewhere"),
        row("counted", 7.0, "exact", counted="boxes", scope="here"),
    ]
    svg = draw(rows)
    drawn = rows_of(svg)
    assert drawn["main-1"].select("text.row-note") == []
    assert drawn["main-2"].select("text.row-note") == []
    (scope_note,) = drawn["scope"].select("text.row-note")
    assert "elsewhere" in scope_note.get_text()
    (counted_note,) = drawn["counted"].select("text.row-note")
    assert "boxes" in counted_note.get_text()


def test_labels_are_escaped_and_name_the_claimant():
    tricky = row("x", 10.0, "exact")
    claim = replace(tricky.claim, claimant='A <b>bold</b> & "quoted" claimant')
    svg = draw([FigureRow(claim, tricky.figure, tricky.interval, "")])
    assert svg.find("b") is None
    (label,) = svg.select("text.row-label")
    assert label.get_text() == 'A <b>bold</b> & "quoted" claimant: 10'


# --- the narrow drawing ------------------------------------------------------------------------


def test_narrow_labels_wrap_between_words_and_keep_every_word():
    long = row("long", 87_000_000.0, "at-most", counted="people whose data was shared", scope="x")
    claim = replace(long.claim, claimant="A claimant with a rather long name, Inc.")
    rows = [
        row("main", 50_000_000.0, "at-least", counted="things", scope="here"),
        FigureRow(claim, long.figure, long.interval, "up to"),
    ]
    wide, narrow = draw(rows), draw(rows, layout="narrow")
    for svg in (wide, narrow):
        check_row(svg, rows_of(svg)["long"], 87_000_000.0, "at-most")
    (wide_label,) = rows_of(wide)["long"].select("text.row-label")
    (narrow_label,) = rows_of(narrow)["long"].select("text.row-label")
    assert wide_label.find("tspan") is None
    lines = [t.get_text() for t in narrow_label.find_all("tspan")]
    assert len(lines) >= 2
    assert all(len(line.strip()) <= chart.NARROW.label_chars for line in lines)
    # Read as one text (as screen readers and the row's description do), the label is whole.
    assert (
        narrow_label.get_text()
        == wide_label.get_text()
        == ("A claimant with a rather long name, Inc.: up to 87 million")
    )
    # The note of another quantity wraps too, below the interval, and every row keeps its
    # shapes apart: each row starts below the last line of the one before.
    (note,) = rows_of(narrow)["long"].select("text.row-note")
    assert note.find_all("tspan") and "people whose data was shared" in note.get_text()
    assert num(narrow, "width") == chart.NARROW.width < num(wide, "width")


@pytest.mark.parametrize("layout", LAYOUTS)
@pytest.mark.parametrize("cases", [LINEAR, LOG], ids=["linear", "log"])
def test_tick_labels_leave_room_between_them(cases, layout):
    svg = draw([row(cid, value, bound) for cid, value, bound in cases], layout=layout)
    spans = []
    for tick in svg.select("text.tick"):
        x, width = num(tick, "x"), len(tick.get_text()) * chart.SMALL_SIZE * chart.CHAR_EM
        anchor = tick["text-anchor"]
        start = x if anchor == "start" else x - width if anchor == "end" else x - width / 2
        spans.append((start, start + width))
        assert start >= 0 and start + width <= num(svg, "width") + TOLERANCE
    for (_, end), (start, _) in itertools.pairwise(spans):
        assert start - end >= chart.SMALL_SIZE - TOLERANCE
