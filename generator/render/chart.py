"""Chart: draw a measure's figures as intervals on one axis, as inline SVG made at build time.

Each figure is one row: a dot for an exact figure, a band for "about", and a bar running to the
edge of the axis, ending in an arrow, for "at least" and "at most". Colours come from the
page's stylesheet (classes only), so the chart follows dark mode and print. Every value marker
carries its value, and the <svg> its scale, so tests can check what is drawn where.

The axis runs left to right in every language (`direction="ltr"` on the <svg>): in a
right-to-left page an inherited `direction: rtl` would anchor every label at its right end,
so that the labels drawn from the plot's left edge would run off the drawing. Each label's
own words keep their order (the Unicode bidirectional algorithm): an Arabic label reads right
to left, its numbers left to right.

A chart is drawn twice, wide and narrow (see Layout), and the stylesheet shows one of the two
by the width of the screen: an SVG scales its text with it, so the wide drawing squeezed into
a phone's width would print its words at half their size.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from html import escape

from ..analyse.discrepancies import FigureRow, MeasureReport, quantity
from ..i18n import Interface, english

WIDTH = 600
LEFT, RIGHT = 16, 584  # the wide plot's horizontal extent
ROW = 46  # height of one row: a label line, then the interval
NOTE = 18  # extra height of a row whose figure counts something else: a line saying what
LINE = 18  # extra height of each further line of a row's label
NOTE_LINE = 16  # extra height of each further line of a row's note
AXIS = 34  # room for the axis and its tick labels
# Figures spanning more than two orders of magnitude are drawn on a log scale.
LOG_THRESHOLD = 100
# Average width of a character, in ems, to tell how much room a text takes: a little more than
# system sans-serif fonts' average, so that estimates err on the side of room.
CHAR_EM = 0.6
# Font sizes of the chart's texts, in SVG units: style.css sets the same (.chart text, .tick,
# .row-note); here they size lines and room between tick labels.
LABEL_SIZE, SMALL_SIZE = 15, 13


@dataclass(frozen=True)
class Layout:
    """The geometry of one of a chart's two drawings."""

    # "wide" or "narrow": the class by which the stylesheet shows one drawing or the other.
    name: str
    # Width of the drawing, and the plot's horizontal extent within it, in SVG units.
    width: int
    left: float
    right: float
    # The longest line of a row's label and of its note, in characters; longer ones wrap.
    # (None: one line whatever its length, as the wide drawing has room for.)
    label_chars: int | None
    note_chars: int | None


# The wide drawing, shown from 40rem (640 px) up: the stylesheet shows it at least 600 px wide,
# so its 13-unit texts are at least 13 CSS px.
WIDE = Layout("wide", WIDTH, LEFT, RIGHT, None, None)
# The narrow drawing, for phones: 280 units shown at least 280 px wide (a 320 px screen leaves
# 288 px between the margins), its labels wrapped to what 264 units hold at 15 units a letter.
NARROW = Layout("narrow", 280, 8, 272, 28, 34)
LAYOUTS = (WIDE, NARROW)


@dataclass(frozen=True)
class Scale:
    """Maps values to x positions."""

    # "linear" or "log".
    kind: str
    # The values at the left and right ends of the axis.
    low: float
    high: float
    # The x positions of those ends.
    left: float = LEFT
    right: float = RIGHT

    def x(self, value: float) -> float:
        """The x position of a value, clamped to the plot (open ends run to the edge)."""
        left, right = self.left, self.right
        if value == -math.inf or value <= self.low:
            return left
        if value == math.inf or value >= self.high:
            return right
        if self.kind == "log":
            share = (math.log10(value) - math.log10(self.low)) / (
                math.log10(self.high) - math.log10(self.low)
            )
        else:
            share = (value - self.low) / (self.high - self.low)
        return round(left + share * (right - left), 2)

    def ticks(self) -> list[float]:
        if self.kind == "log":
            first, last = round(math.log10(self.low)), round(math.log10(self.high))
            return [10.0**e for e in range(first, last + 1)]
        step = _nice_step(self.high / 4)
        return [step * i for i in range(int(self.high // step) + 1)]


def scale_for(rows: list[FigureRow], layout: Layout = WIDE) -> Scale:
    """A linear axis from 0, or a log axis when the figures span more than two orders."""
    values = [v for r in rows for v in _finite_ends(r) if v > 0] or [1.0]
    low, high = min(values), max(values)
    ends = layout.left, layout.right
    if high / low > LOG_THRESHOLD:
        exponents = math.floor(math.log10(low)), math.ceil(math.log10(high))
        return Scale("log", 10.0 ** exponents[0], 10.0 ** exponents[1], *ends)
    step = _nice_step(high * 1.15 / 4)
    return Scale("linear", 0.0, step * math.ceil(high * 1.15 / step), *ends)


def _finite_ends(row: FigureRow) -> list[float]:
    ends = [row.figure.value, row.interval.low, row.interval.high]
    return [v for v in ends if math.isfinite(v)]


def _nice_step(raw: float) -> float:
    """1, 2 or 5 times a power of ten, at least `raw`."""
    power = 10.0 ** math.floor(math.log10(raw)) if raw > 0 else 1.0
    return next(m * power for m in (1, 2, 5, 10) if m * power >= raw)


def measure_chart(
    report: MeasureReport,
    highlight: str = "",
    compact: bool = False,
    layout: Layout = WIDE,
    ui: Interface | None = None,
) -> str:
    """The SVG of one measure; `highlight` marks one claim's row, `compact` is for claim pages;
    its words and numbers in the interface's language (English by default)."""
    return Drawing(report, ui or english(), compact, layout).svg(highlight)


def measure_charts(
    report: MeasureReport, ui: Interface, highlight: str = "", compact: bool = False
) -> str:
    """Both drawings of one measure, wide then narrow, for a page to show one by its width."""
    return "\n".join(measure_chart(report, highlight, compact, layout, ui) for layout in LAYOUTS)


class Drawing:
    """One measure's chart, drawn once for every page that shows it.

    Every claim page of a measure shows the same compact chart but for the row it highlights,
    so the chart is kept in pieces: the pieces before the rows, and each row drawn plain; a
    page's chart redraws only its highlighted row. (A report does not change while a build
    renders its pages, so the pieces stay right for as long as the report lives.)
    """

    def __init__(
        self, report: MeasureReport, ui: Interface, compact: bool, layout: Layout = WIDE
    ) -> None:
        self.scale = scale_for(report.rows, layout)
        # Each row with where it starts, its label and note in lines, and drawn without
        # highlight.
        self.rows: list[tuple[FigureRow, int, list[str], list[str]]] = []
        top = AXIS
        for row in report.rows:
            lines = _wrap(label(row, ui), layout.label_chars)
            note = _wrap(_note(row, report.rows[0], ui), layout.note_chars)
            self.rows.append((row, top, lines, note))
            top += (
                ROW + LINE * (len(lines) - 1) + (NOTE + NOTE_LINE * (len(note) - 1) if note else 0)
            )
        height = top + 8
        self.head = _head(report, self.scale, height, compact, layout, ui)
        self.plain = [_row(*row, self.scale, False) for row in self.rows]

    def svg(self, highlight: str = "") -> str:
        """The whole SVG, with the rows of the claim `highlight` (if any) highlighted."""
        rows = [
            _row(*row, self.scale, True) if row[0].claim.id == highlight else plain
            for row, plain in zip(self.rows, self.plain, strict=True)
        ]
        return "\n".join([*self.head, *rows, "</svg>"])


def _head(
    report: MeasureReport,
    scale: Scale,
    height: int,
    compact: bool,
    layout: Layout,
    ui: Interface,
) -> list[str]:
    """What comes before the rows: the <svg> element, its title and description, the axis."""
    narrow = "-narrow" if layout is NARROW else ""
    prefix = f"chart-{report.measure.id}{'-small' if compact else ''}{narrow}"
    width = layout.width
    return [
        f'<svg class="chart chart-{layout.name}{" compact" if compact else ""}" '
        f'viewBox="0 0 {width} {height}" width="{width}" height="{height}" direction="ltr" '
        'role="img" '
        f'aria-labelledby="{prefix}-title {prefix}-desc" data-scale="{scale.kind}" '
        f'data-low="{_attr(scale.low)}" data-high="{_attr(scale.high)}" '
        f'data-left="{_attr(layout.left)}" data-right="{_attr(layout.right)}" '
        'xmlns="http://www.w3.org/2000/svg">',
        f'<title id="{prefix}-title">'
        f"{escape(ui.text('chart.title', measure=report.measure.title))}</title>",
        f'<desc id="{prefix}-desc">{escape(_description(report, compact, ui))}</desc>',
        *_axis(scale, height, ui),
    ]


def _wrap(text: str, chars: int | None) -> list[str]:
    """Text in lines of at most `chars` characters, broken between words (a longer word is a
    line of its own); [] for no text."""
    if not text:
        return []
    if chars is None:
        return [text]
    lines: list[str] = []
    for word in text.split():
        if lines and len(lines[-1]) + 1 + len(word) <= chars:
            lines[-1] += " " + word
        else:
            lines.append(word)
    return lines


def _lines(kind: str, x: float, y: int, lines: list[str], step: int) -> str:
    """A <text> of one or more lines, `step` units apart. Each line but the last keeps its
    trailing space, so that the element's text is the label's, word for word."""
    if len(lines) == 1:
        return f'<text class="{kind}" x="{x}" y="{y}">{escape(lines[0])}</text>'
    spans = "".join(
        f'<tspan x="{x}" dy="{step if n else 0}">{escape(line)}{" " if n < len(lines) - 1 else ""}'
        "</tspan>"
        for n, line in enumerate(lines)
    )
    return f'<text class="{kind}" x="{x}" y="{y}">{spans}</text>'


def _description(report: MeasureReport, compact: bool, ui: Interface) -> str:
    rows = ui.text("list.semicolon").join(label(r, ui) for r in report.rows)
    # The compact chart (claim pages) has no table beside it; the measure's page has.
    key = "chart.description_page" if compact else "chart.description_table"
    return ui.text(key, count=len(report.rows), rows=rows)


def _attr(value: float) -> str:
    """A number for a data attribute, every significant digit kept (25000001, not 2.5e+07)."""
    return f"{value:.15g}"


def label(row: FigureRow, ui: Interface) -> str:
    """Who gives the figure, and the figure as they word it ("Facebook: up to 87 million")."""
    return ui.text("chart.label", claimant=row.claim.claimant, figure=bound_text(row, ui))


def bound_text(row: FigureRow, ui: Interface) -> str:
    """The figure as its quotation words it: its bound words, or the interface's when the
    quotation has none ("about"), and the number the site's way ("87 millions")."""
    value = ui.figure(row.figure.value)
    key = _BOUND_KEYS[row.figure.bound]
    words = row.bound_words or (ui.text(key) if key else "")
    # An elided word ("plus d’", "dell’") runs into the number, as it does in the quotation.
    space = "" if words.endswith(("’", "'")) else " "
    return f"{words}{space}{value}".strip()


# How a bound is written when the quotation has no bound word of its own: the key of its words.
_BOUND_KEYS = {
    "exact": "",
    "about": "figure.about",
    "at-least": "figure.at_least",
    "at-most": "figure.at_most",
}


def _axis(scale: Scale, height: int, ui: Interface) -> list[str]:
    left, right = scale.left, scale.right
    parts = [f'<line class="axis" x1="{left}" x2="{right}" y1="{AXIS - 12}" y2="{AXIS - 12}"/>']
    ticks = scale.ticks()
    labelled = _labelled(scale, ticks, ui)
    for tick in ticks:
        x = scale.x(tick)
        parts.append(f'<line class="grid" x1="{x}" x2="{x}" y1="{AXIS - 12}" y2="{height - 4}"/>')
        if tick in labelled:
            parts.append(
                f'<text class="tick" x="{x}" y="{AXIS - 18}" text-anchor="{_anchor(scale, x)}">'
                f"{escape(ui.figure(tick))}</text>"
            )
    return parts


def _labelled(scale: Scale, ticks: list[float], ui: Interface) -> set[float]:
    """The ticks whose labels fit: a narrow axis has room for fewer. The first is always
    labelled, then the last if it fits, then those between that leave room on both sides (a
    tick without a label keeps its grid line)."""
    spans = {tick: _tick_span(scale, tick, ui) for tick in ticks}
    kept = [ticks[0]]
    if len(ticks) > 1 and spans[ticks[-1]][0] >= spans[ticks[0]][1] + SMALL_SIZE:
        kept.append(ticks[-1])
    for tick in ticks[1:-1]:
        start, end = spans[tick]
        before = max((spans[k][1] for k in kept if k < tick), default=-math.inf)
        after = min((spans[k][0] for k in kept if k > tick), default=math.inf)
        if start >= before + SMALL_SIZE and end + SMALL_SIZE <= after:
            kept.append(tick)
    return set(kept)


def _tick_span(scale: Scale, tick: float, ui: Interface) -> tuple[float, float]:
    """Where a tick's label is drawn, estimated from its length."""
    x = scale.x(tick)
    width = len(ui.figure(tick)) * SMALL_SIZE * CHAR_EM
    anchor = _anchor(scale, x)
    start = x if anchor == "start" else x - width if anchor == "end" else x - width / 2
    return start, start + width


def _anchor(scale: Scale, x: float) -> str:
    return "start" if x <= scale.left else "end" if x >= scale.right else "middle"


def _row(
    row: FigureRow, top: int, lines: list[str], note: list[str], scale: Scale, highlighted: bool
) -> str:
    bound = row.figure.bound
    x = scale.x(row.figure.value)
    y = top + 30 + LINE * (len(lines) - 1)  # the interval's centre line, below the label
    classes = f"figure-row bound-{bound}{' highlighted' if highlighted else ''}"
    shapes = [
        f'<g class="{classes}" data-claim="{escape(row.claim.id)}" '
        f'data-value="{_attr(row.figure.value)}" data-bound="{bound}">',
        _lines("row-label", scale.left, top + 14, lines, LINE),
    ]
    if note:
        shapes.append(_lines("row-note", scale.left, y + 28, note, NOTE_LINE))
    shapes += _interval_shapes(row, scale, x, y)
    shapes.append(
        f'<line class="value-mark" x1="{x}" x2="{x}" y1="{y - 8}" y2="{y + 8}" '
        f'data-value="{_attr(row.figure.value)}"/>'
    )
    shapes.append("</g>")
    return "\n".join(shapes)


def _note(row: FigureRow, main: FigureRow, ui: Interface) -> str:
    """How a figure of another quantity differs, so it is never read as a rival figure."""
    counted, scope = quantity(row)
    if (counted, scope) == quantity(main):
        return ""
    if counted != quantity(main)[0]:
        return ui.text("chart.counts_else", counted=row.figure.counted or _unstated(ui))
    return ui.text("chart.other_scope", scope=row.figure.scope or _unstated(ui))


def _unstated(ui: Interface) -> str:
    return ui.text("chart.not_stated_note")


def _interval_shapes(row: FigureRow, scale: Scale, x: float, y: int) -> list[str]:
    bound = row.figure.bound
    if bound == "exact":
        return [f'<circle class="point" cx="{x}" cy="{y}" r="6"/>']
    if bound == "about":
        low, high = scale.x(row.interval.low), scale.x(row.interval.high)
        return [_rect("band", low, high, y, 7), f'<circle class="point" cx="{x}" cy="{y}" r="4"/>']
    if bound == "at-least":
        return [_rect("bar", x, scale.right - 8, y, 5), _arrow(scale.right, -10, y)]
    return [_rect("bar", scale.left + 8, x, y, 5), _arrow(scale.left, 10, y)]


def _rect(kind: str, x1: float, x2: float, y: int, half: int) -> str:
    width = max(round(x2 - x1, 2), 0)
    return f'<rect class="{kind}" x="{x1}" y="{y - half}" width="{width}" height="{2 * half}"/>'


def _arrow(tip: float, back: int, y: int) -> str:
    """The open end of an interval: an arrowhead pointing off the axis."""
    base = tip + back
    return f'<path class="open-end" d="M{base},{y - 9} L{tip},{y} L{base},{y + 9} Z"/>'
