"""Chart: draw a measure's figures as intervals on one axis, as inline SVG made at build time.

Each figure is one row: a dot for an exact figure, a band for "about", and a bar running to the
edge of the axis, ending in an arrow, for "at least" and "at most". Colours come from the
page's stylesheet (classes only), so the chart follows dark mode and print. Every value marker
carries its value, and the <svg> its scale, so tests can check what is drawn where.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from html import escape

from . import figures
from .discrepancies import FigureRow, MeasureReport, quantity

WIDTH = 600
LEFT, RIGHT = 16, 584  # the plot's horizontal extent
ROW = 46  # height of one row: a label line, then the interval
NOTE = 18  # extra height of a row whose figure counts something else: a line saying what
AXIS = 34  # room for the axis and its tick labels
# Figures spanning more than two orders of magnitude are drawn on a log scale.
LOG_THRESHOLD = 100


@dataclass(frozen=True)
class Scale:
    """Maps values to x positions."""

    # "linear" or "log".
    kind: str
    # The values at the left and right ends of the axis.
    low: float
    high: float

    def x(self, value: float) -> float:
        """The x position of a value, clamped to the plot (open ends run to the edge)."""
        if value == -math.inf or value <= self.low:
            return LEFT
        if value == math.inf or value >= self.high:
            return RIGHT
        if self.kind == "log":
            share = (math.log10(value) - math.log10(self.low)) / (
                math.log10(self.high) - math.log10(self.low)
            )
        else:
            share = (value - self.low) / (self.high - self.low)
        return round(LEFT + share * (RIGHT - LEFT), 2)

    def ticks(self) -> list[float]:
        if self.kind == "log":
            first, last = round(math.log10(self.low)), round(math.log10(self.high))
            return [10.0**e for e in range(first, last + 1)]
        step = _nice_step(self.high / 4)
        return [step * i for i in range(int(self.high // step) + 1)]


def scale_for(rows: list[FigureRow]) -> Scale:
    """A linear axis from 0, or a log axis when the figures span more than two orders."""
    values = [v for r in rows for v in _finite_ends(r) if v > 0] or [1.0]
    low, high = min(values), max(values)
    if high / low > LOG_THRESHOLD:
        return Scale(
            "log", 10.0 ** math.floor(math.log10(low)), 10.0 ** math.ceil(math.log10(high))
        )
    step = _nice_step(high * 1.15 / 4)
    return Scale("linear", 0.0, step * math.ceil(high * 1.15 / step))


def _finite_ends(row: FigureRow) -> list[float]:
    ends = [row.figure.value, row.interval.low, row.interval.high]
    return [v for v in ends if math.isfinite(v)]


def _nice_step(raw: float) -> float:
    """1, 2 or 5 times a power of ten, at least `raw`."""
    power = 10.0 ** math.floor(math.log10(raw)) if raw > 0 else 1.0
    return next(m * power for m in (1, 2, 5, 10) if m * power >= raw)


def measure_chart(report: MeasureReport, highlight: str = "", compact: bool = False) -> str:
    """The SVG of one measure; `highlight` marks one claim's row, `compact` is for claim pages."""
    return Drawing(report, compact).svg(highlight)


class Drawing:
    """One measure's chart, drawn once for every page that shows it.

    Every claim page of a measure shows the same compact chart but for the row it highlights,
    so the chart is kept in pieces: the pieces before the rows, and each row drawn plain; a
    page's chart redraws only its highlighted row. (A report does not change while a build
    renders its pages, so the pieces stay right for as long as the report lives.)
    """

    def __init__(self, report: MeasureReport, compact: bool) -> None:
        self.scale = scale_for(report.rows)
        notes = [_note(r, report.rows[0]) for r in report.rows]
        height = AXIS + ROW * len(report.rows) + NOTE * sum(1 for n in notes if n) + 8
        self.head = _head(report, self.scale, height, compact)
        # Each row with where it starts and its note, and drawn without highlight.
        self.rows: list[tuple[FigureRow, int, str]] = []
        top = AXIS
        for row, note in zip(report.rows, notes, strict=True):
            self.rows.append((row, top, note))
            top += ROW + (NOTE if note else 0)
        self.plain = [_row(row, self.scale, top, note, False) for row, top, note in self.rows]

    def svg(self, highlight: str = "") -> str:
        """The whole SVG, with the rows of the claim `highlight` (if any) highlighted."""
        rows = [
            _row(row, self.scale, top, note, True) if row.claim.id == highlight else plain
            for (row, top, note), plain in zip(self.rows, self.plain, strict=True)
        ]
        return "\n".join([*self.head, *rows, "</svg>"])


def _head(report: MeasureReport, scale: Scale, height: int, compact: bool) -> list[str]:
    """What comes before the rows: the <svg> element, its title and description, the axis."""
    prefix = f"chart-{report.measure.id}{'-small' if compact else ''}"
    return [
        f'<svg class="chart{" compact" if compact else ""}" viewBox="0 0 {WIDTH} {height}" '
        f'width="{WIDTH}" height="{height}" role="img" '
        f'aria-labelledby="{prefix}-title {prefix}-desc" data-scale="{scale.kind}" '
        f'data-low="{_attr(scale.low)}" data-high="{_attr(scale.high)}" data-left="{LEFT}" '
        f'data-right="{RIGHT}" xmlns="http://www.w3.org/2000/svg">',
        f'<title id="{prefix}-title">{escape(report.measure.title)}: figures compared</title>',
        f'<desc id="{prefix}-desc">{escape(_description(report, compact))}</desc>',
        *_axis(scale, height),
    ]


def _description(report: MeasureReport, compact: bool) -> str:
    rows = "; ".join(f"{label(r)}" for r in report.rows)
    # The compact chart (claim pages) has no table beside it; the measure's page has.
    table = "The discrepancy page gives" if compact else "The table below gives"
    return f"{len(report.rows)} figures, one per row: {rows}. {table} the same data."


def _attr(value: float) -> str:
    """A number for a data attribute, every significant digit kept (25000001, not 2.5e+07)."""
    return f"{value:.15g}"


def label(row: FigureRow) -> str:
    """Who gives the figure, and the figure as they word it ("Facebook: up to 87 million")."""
    return f"{row.claim.claimant}: {bound_text(row)}"


def bound_text(row: FigureRow) -> str:
    value = figures.format_value(row.figure.value)
    words = row.bound_words or _BOUND_WORDS[row.figure.bound]
    return f"{words} {value}".strip()


# How a bound is written when the quotation has no bound word of its own.
_BOUND_WORDS = {"exact": "", "about": "about", "at-least": "at least", "at-most": "at most"}


def _axis(scale: Scale, height: int) -> list[str]:
    parts = [f'<line class="axis" x1="{LEFT}" x2="{RIGHT}" y1="{AXIS - 12}" y2="{AXIS - 12}"/>']
    for tick in scale.ticks():
        x = scale.x(tick)
        parts.append(f'<line class="grid" x1="{x}" x2="{x}" y1="{AXIS - 12}" y2="{height - 4}"/>')
        anchor = "start" if x <= LEFT else "end" if x >= RIGHT else "middle"
        parts.append(
            f'<text class="tick" x="{x}" y="{AXIS - 18}" text-anchor="{anchor}">'
            f"{escape(figures.format_value(tick))}</text>"
        )
    return parts


def _row(row: FigureRow, scale: Scale, top: int, note: str, highlighted: bool) -> str:
    bound = row.figure.bound
    x = scale.x(row.figure.value)
    y = top + 30  # the interval's centre line
    classes = f"figure-row bound-{bound}{' highlighted' if highlighted else ''}"
    shapes = [
        f'<g class="{classes}" data-claim="{escape(row.claim.id)}" '
        f'data-value="{_attr(row.figure.value)}" data-bound="{bound}">',
        f'<text class="row-label" x="{LEFT}" y="{top + 14}">{escape(label(row))}</text>',
    ]
    if note:
        shapes.append(f'<text class="row-note" x="{LEFT}" y="{top + 58}">{escape(note)}</text>')
    shapes += _interval_shapes(row, scale, x, y)
    shapes.append(
        f'<line class="value-mark" x1="{x}" x2="{x}" y1="{y - 8}" y2="{y + 8}" '
        f'data-value="{_attr(row.figure.value)}"/>'
    )
    shapes.append("</g>")
    return "\n".join(shapes)


def _note(row: FigureRow, main: FigureRow) -> str:
    """How a figure of another quantity differs, so it is never read as a rival figure."""
    counted, scope = quantity(row)
    if (counted, scope) == quantity(main):
        return ""
    if counted != quantity(main)[0]:
        return f"Counts something else: {row.figure.counted or 'not stated'}"
    return f"A different scope: {row.figure.scope or 'not stated'}"


def _interval_shapes(row: FigureRow, scale: Scale, x: float, y: int) -> list[str]:
    bound = row.figure.bound
    if bound == "exact":
        return [f'<circle class="point" cx="{x}" cy="{y}" r="6"/>']
    if bound == "about":
        low, high = scale.x(row.interval.low), scale.x(row.interval.high)
        return [_rect("band", low, high, y, 7), f'<circle class="point" cx="{x}" cy="{y}" r="4"/>']
    if bound == "at-least":
        return [_rect("bar", x, RIGHT - 8, y, 5), _arrow(RIGHT, -10, y)]
    return [_rect("bar", LEFT + 8, x, y, 5), _arrow(LEFT, 10, y)]


def _rect(kind: str, x1: float, x2: float, y: int, half: int) -> str:
    width = max(round(x2 - x1, 2), 0)
    return f'<rect class="{kind}" x="{x1}" y="{y - half}" width="{width}" height="{2 * half}"/>'


def _arrow(tip: float, back: int, y: int) -> str:
    """The open end of an interval: an arrowhead pointing off the axis."""
    base = tip + back
    return f'<path class="open-end" d="M{base},{y - 9} L{tip},{y} L{base},{y + 9} Z"/>'
