"""Share cards: the 1200x630 PNG of one fact-check (claim, claimant, rating) and its alt text."""

from __future__ import annotations

import functools
import hashlib
import io
import itertools
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from PIL import Image, ImageColor, ImageDraw, ImageFont, features

from .. import languages
from ..config import DEFAULT_THEME
from ..i18n import Interface, english
from ..languages import Direction

# The size social networks crop least (Open Graph's recommended 1.91:1).
WIDTH, HEIGHT = 1200, 630
# Nothing but the band's colour is drawn within this distance of the card's edges.
MARGIN = 64
# The rating band across the bottom: full width, so the colour reads even as a thumbnail.
BAND_HEIGHT = 150
BAND_TOP = HEIGHT - BAND_HEIGHT

# The theme's light palette (theme/static/style.css): the card is a light image everywhere.
BACKGROUND = "#ffffff"
TEXT = "#1b1b1b"
MUTED = "#4a4a4a"
BLACK, WHITE = "#000000", "#ffffff"

FONT_FOLDER = DEFAULT_THEME / "fonts"
REGULAR, BOLD = "DejaVuSans.ttf", "DejaVuSans-Bold.ttf"

# Type sizes in pixels. The claim starts large and shrinks, down to CLAIM_MIN, until it fits;
# below that it would be unreadable in a feed's thumbnail, so it is cut with an ellipsis.
TITLE_SIZE = 30
CLAIMANT_SIZE = 34
CLAIM_MAX, CLAIM_MIN, CLAIM_STEP = 64, 36, 4
RATING_MAX, RATING_MIN = 60, 36
ELLIPSIS = "…"

# WCAG 2.x, success criterion 1.4.3: normal text needs 4.5:1 against what is behind it.
MIN_CONTRAST = 4.5


class CardError(ValueError):
    """A card that cannot be drawn correctly; the message says why and what to do."""


# --- Colours -----------------------------------------------------------------------------------


def rgb(colour: str) -> tuple[int, int, int]:
    """A CSS colour ("#a32018", "#fff", a name) as red, green and blue, 0 to 255."""
    try:
        r, g, b, *_ = ImageColor.getrgb(colour)
    except ValueError as error:
        raise CardError(f"not a colour: {colour!r}") from error
    return r, g, b


def luminance(colour: str) -> float:
    """WCAG relative luminance: 0 for black, 1 for white."""

    def linear(channel: int) -> float:
        c = channel / 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (linear(c) for c in rgb(colour))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast_ratio(first: str, second: str) -> float:
    """WCAG contrast ratio between two colours, from 1 (same) to 21 (black on white)."""
    lighter, darker = sorted((luminance(first), luminance(second)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def text_colour_on(band: str) -> str:
    """Black or white, whichever contrasts more with the band.

    One of the two always reaches 4.5:1: the worse case, a band of luminance 0.179, gives both
    4.58:1. So a theme may pick any colour for a rating and its card stays readable.
    """
    return max((BLACK, WHITE), key=lambda text: contrast_ratio(text, band))


def tone(value: int, steps: int) -> int:
    """The tone (1 worst to 5 best) of a rating, as theme/templates/macros.html works it out.

    Python's round, like Jinja's `round` filter, rounds halves to even: the same tone results.
    """
    return round((value - 1) * 4 / max(steps - 1, 1)) + 1


def theme_tones(stylesheet: str) -> dict[int, str]:
    """The light palette's `--tone-N` colours of a stylesheet, by tone.

    Read from the theme rather than copied here, so a site's own theme colours its cards too.
    """
    root = re.search(r":root\s*\{(.*?)\}", stylesheet, re.DOTALL)
    found = re.findall(r"--tone-(\d+)\s*:\s*(#[0-9a-fA-F]{3,8})", root.group(1) if root else "")
    return {int(number): colour for number, colour in found}


# --- Fonts and layout engines -------------------------------------------------------------------


def raqm_available() -> bool:
    """Whether Pillow can shape text with Raqm (it needs the system's FriBiDi: libfribidi0)."""
    return features.check("raqm")


@functools.lru_cache(maxsize=64)
def font(folder: Path, name: str, size: int, raqm: bool) -> ImageFont.FreeTypeFont:
    # Loading a font reads and parses the whole file: once per size, not once per card.
    engine = ImageFont.Layout.RAQM if raqm else ImageFont.Layout.BASIC
    return ImageFont.truetype(str(folder / name), size, layout_engine=engine)


def needs_raqm(text: str) -> bool:
    """Whether the text holds right-to-left letters, which only Raqm orders and joins."""
    return any(unicodedata.bidirectional(ch) in ("R", "AL", "AN") for ch in text)


@functools.lru_cache(maxsize=4096)
def has_glyph(folder: Path, name: str, ch: str) -> bool:
    """Whether the font draws this character, rather than its "missing" box (.notdef).

    Pillow does not expose a font's character map; a character it lacks is drawn as the
    .notdef glyph, so the two drawings are compared.
    """
    return _drawing(folder, name, ch) != _drawing(folder, name, "\U0010fffd")


def _drawing(folder: Path, name: str, ch: str) -> bytes:
    face = font(folder, name, 32, raqm=False)
    image = Image.new("L", (96, 96))
    ImageDraw.Draw(image).text((16, 16), ch, font=face, fill=255)
    return image.tobytes()


def missing_glyphs(text: str, folder: Path = FONT_FOLDER, name: str = REGULAR) -> str:
    """The characters of the text the font cannot draw, each once, in order of appearance."""
    # Spaces and format characters (joiners, direction marks) draw nothing whatever the font.
    drawn = (ch for ch in text if unicodedata.category(ch) not in ("Zs", "Zl", "Zp", "Cc", "Cf"))
    return "".join(dict.fromkeys(ch for ch in drawn if not has_glyph(folder, name, ch)))


# --- Lines ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Style:
    """How one piece of text is set: its font, its base direction and its language."""

    face: ImageFont.FreeTypeFont
    direction: Direction
    language: str | None
    raqm: bool

    def width(self, text: str) -> float:
        """The room the line takes: its advance, or its ink where a glyph overhangs that."""
        # Ink can stick out of the advance by a pixel or two (the tail of a "j", anti-aliasing
        # at the last letter): measured by advance alone, a full line crosses the margin.
        options = self.options()
        left, _, right, _ = self.face.getbbox(text, **options) if text else (0, 0, 0, 0)
        return max(right, self.face.getlength(text, **options)) - min(left, 0)

    def options(self) -> dict[str, str]:
        # BASIC layout refuses direction and language: it sets text left to right, as stored.
        if not self.raqm:
            return {}
        return {
            "direction": self.direction,
            **({"language": self.language} if self.language else {}),
        }

    def line_height(self) -> int:
        ascent, descent = self.face.getmetrics()
        return max(round(self.face.size * 1.22), ascent + descent)


@dataclass(frozen=True)
class Styles:
    """Makes the Style of one card's text at a given font and size."""

    folder: Path
    direction: Direction
    language: str | None
    raqm: bool

    def __call__(self, name: str, size: int) -> Style:
        return Style(
            font(self.folder, name, size, self.raqm), self.direction, self.language, self.raqm
        )


def wrap(text: str, style: Style, width: float, limit: int | None = None) -> list[str]:
    """The text in lines no wider than `width`, broken between words (in logical order); only
    the first `limit` + 1 lines when a limit is given, enough to know the rest is left out.

    Lines are broken before they are laid out, so each line is reordered and shaped on its
    own with the paragraph's direction, as a browser does. A word wider than a line is broken
    between characters: a long address must not stick out of the card.
    """
    lines = _lines(text, style, width)
    return list(lines if limit is None else itertools.islice(lines, limit + 1))


def _lines(text: str, style: Style, width: float) -> Iterator[str]:
    # Lazily: a claim of thousands of words costs the few lines a card can show, not all.
    line = ""
    for word in text.split():
        candidate = f"{line} {word}" if line else word
        if style.width(candidate) <= width:
            line = candidate
            continue
        if line:
            yield line
        line = ""
        for piece in _break_word(word, style, width):
            if line:
                yield line
            line = piece
    if line:
        yield line


def _break_word(word: str, style: Style, width: float) -> Iterator[str]:
    """The word in pieces that fit, the last one possibly short; at least one character each."""
    while word:
        # The longest prefix that fits, found by doubling then halving: a word of thousands of
        # characters costs a few measures of lines' length per piece, not one per character.
        low, high = 1, 8
        while high < len(word) and style.width(word[:high]) <= width:
            low, high = high, high * 2
        high = min(high, len(word))
        while low < high:
            middle = (low + high + 1) // 2
            if style.width(word[:middle]) <= width:
                low = middle
            else:
                high = middle - 1
        yield word[:low]
        word = word[low:]


def shorten(line: str, style: Style, width: float) -> str:
    """The line, cut at a word (or a character, for one long word) so that it and "…" fit."""
    words = line.split()
    while len(words) > 1:
        words.pop()
        if style.width(" ".join(words) + ELLIPSIS) <= width:
            return " ".join(words) + ELLIPSIS
    word = words[0] if words else ""
    while word and style.width(word + ELLIPSIS) > width:
        word = word[:-1]
    return word + ELLIPSIS


def fit(text: str, style: Style, width: float, max_lines: int) -> list[str]:
    """At most `max_lines` lines of the text; the last ends in "…" when some text is left out."""
    lines = wrap(text, style, width, limit=max_lines)
    if len(lines) <= max_lines:
        return lines
    kept = lines[:max_lines]
    kept[-1] = shorten(f"{kept[-1]} {lines[max_lines]}", style, width)
    return kept


# --- The card ------------------------------------------------------------------------------------

# The card is drawn in palette indices, into a greyscale image that becomes an indexed-colour PNG
# (a fifth of the bytes of an RGB one, and a third of the time). Each text is drawn on a ground
# of its own ramp: LEVELS consecutive indices running from the ground's colour to the text's.
# Pillow blends an anti-aliased edge linearly between the ground's value and the text's, so
# the blended index is the right shade of that ramp: exact colours, no quantizer (a generic
# one turned the white background into 250, 250, 250).
LEVELS = 64
TEXT_RAMP, MUTED_RAMP, BAND_RAMP = 0, 1, 2


@dataclass(frozen=True)
class Setter:
    """Draws grounds and lines of text on the card, each line aligned to its start edge."""

    draw: ImageDraw.ImageDraw
    direction: Direction

    def ground(self, box: tuple[int, int, int, int], ramp: int) -> None:
        """Lays the ground of a ramp under where its texts will go."""
        self.draw.rectangle(box, fill=ramp * LEVELS)

    def line(self, text: str, top: int, style: Style, ramp: int, anchor_y: str = "a") -> None:
        # Anchored at the start margin: the left for left-to-right text, the right otherwise.
        rtl = self.direction == "rtl"
        x = WIDTH - MARGIN if rtl else MARGIN
        options = {"font": style.face, "anchor": ("r" if rtl else "l") + anchor_y}
        options |= style.options()
        # Then moved in by whatever ink overhangs the margin (a glyph's negative side bearing).
        left, _, right, _ = self.draw.textbbox((x, top), text, **options)
        x += max(MARGIN - left, 0) + min(WIDTH - MARGIN - right, 0)
        self.draw.text((x, top), text, fill=ramp * LEVELS + LEVELS - 1, **options)


def card_png(
    claim: str,
    claimant: str,
    rating_label: str,
    rating_colour: str,
    site_title: str,
    direction: Direction = "ltr",
    language: str | None = None,
    font_folder: Path = FONT_FOLDER,
) -> bytes:
    """The share card of one fact-check: a 1200x630 PNG, the same bytes for the same arguments.

    `direction` is the site's ("rtl" for Arabic or Hebrew): text is aligned to that side and
    mixed-direction lines are ordered by the Unicode bidirectional algorithm. `language`, a
    language tag, lets Raqm pick a script's local letter forms. Raises CardError for text that
    would come out wrong: right-to-left letters without Raqm, characters the font lacks.
    """
    if direction not in ("ltr", "rtl"):
        raise CardError(f"direction must be 'ltr' or 'rtl', not {direction!r}")
    texts = [" ".join(t.split()) for t in (claim, claimant, rating_label, site_title)]
    raqm = _check_shaping(texts, direction)
    _check_glyphs(texts, font_folder)
    claim, claimant, rating_label, site_title = texts

    style = Styles(font_folder, direction, language, raqm)
    canvas = Image.new("L", (WIDTH, HEIGHT), TEXT_RAMP * LEVELS)
    setter = Setter(ImageDraw.Draw(canvas), direction)
    measure = WIDTH - 2 * MARGIN

    title = style(REGULAR, TITLE_SIZE)
    claim_top = MARGIN + title.line_height() + 28
    setter.ground((0, 0, WIDTH - 1, claim_top - 14), MUTED_RAMP)
    title_line = fit(site_title, title, measure, 1)[0] if site_title else ""
    setter.line(title_line, MARGIN, title, MUTED_RAMP)

    by = style(REGULAR, CLAIMANT_SIZE)
    by_top = BAND_TOP - 36 - by.line_height()
    setter.ground((0, by_top - 12, WIDTH - 1, BAND_TOP - 1), MUTED_RAMP)
    if claimant:
        setter.line(fit(f"— {claimant}", by, measure, 1)[0], by_top, by, MUTED_RAMP)

    claim_style, lines = _claim_lines(claim, style, measure, by_top - 24 - claim_top)
    for number, line in enumerate(lines):
        setter.line(line, claim_top + number * claim_style.line_height(), claim_style, TEXT_RAMP)

    ink = _band(setter, rating_label, rating_colour, style, measure)
    ramps = [(BACKGROUND, TEXT), (BACKGROUND, MUTED), (rating_colour, ink)]
    return _png(canvas, ramps)


def _check_shaping(texts: list[str], direction: Direction) -> bool:
    """Whether to lay out with Raqm; refuses what BASIC layout would draw backwards, unjoined."""
    if raqm_available():
        return True
    if direction == "rtl" or any(needs_raqm(t) for t in texts):
        raise CardError(
            "right-to-left text needs Pillow's Raqm layout, which is unavailable here: install "
            "the system's FriBiDi (Debian: apt-get install libfribidi0), which Pillow loads"
        )
    return False


def _check_glyphs(texts: list[str], folder: Path) -> None:
    for name in (REGULAR, BOLD):
        missing = missing_glyphs("".join(texts), folder, name)
        if missing:
            raise CardError(
                f"the card's font ({folder / name}) has no glyph for: "
                + " ".join(f"{ch} (U+{ord(ch):04X})" for ch in missing)
            )


def _claim_lines(claim: str, style: Styles, measure: int, height: int) -> tuple[Style, list[str]]:
    """The claim's size and lines: the largest size at which it all fits, else cut at the least."""
    for size in range(CLAIM_MAX, CLAIM_MIN - 1, -CLAIM_STEP):
        current = style(BOLD, size)
        max_lines = max(1, height // current.line_height())
        # Breaking lines only wastes room: a claim longer than all its lines put end to end
        # cannot fit at this size, and one measure says so where wrapping takes dozens.
        if (
            size > CLAIM_MIN
            and current.face.getlength(claim, **current.options()) > max_lines * measure
        ):
            continue
        lines = wrap(claim, current, measure, limit=max_lines)
        if len(lines) <= max_lines:
            return current, lines
    return current, fit(claim, current, measure, max_lines)


def _band(setter: Setter, label: str, colour: str, style: Styles, measure: int) -> str:
    """Draws the rating band, its label in black or white, whichever reads better: returned."""
    setter.ground((0, BAND_TOP, WIDTH - 1, HEIGHT - 1), BAND_RAMP)
    # A long label shrinks to fit one line before it is cut.
    sizes = range(RATING_MAX, RATING_MIN - 1, -4)
    current = next(
        (s for s in (style(BOLD, size) for size in sizes) if s.width(label) <= measure),
        style(BOLD, RATING_MIN),
    )
    text = fit(label, current, measure, 1)[0] if label else ""
    setter.line(text, BAND_TOP + BAND_HEIGHT // 2, current, BAND_RAMP, anchor_y="m")
    return text_colour_on(colour)


def _png(canvas: Image.Image, ramps: list[tuple[str, str]]) -> bytes:
    """The canvas of indices as a PNG, with each ramp's shades from its ground to its text."""
    palette = []
    for ground, ink in ramps:
        a, b = rgb(ground), rgb(ink)
        for level in range(LEVELS):
            mix = level / (LEVELS - 1)
            palette += [round(x + (y - x) * mix) for x, y in zip(a, b, strict=True)]
    card = Image.frombytes("P", canvas.size, canvas.tobytes())
    card.putpalette(palette)
    # No text chunks, no time (tIME), no resolution: Pillow writes none unless asked, so the
    # bytes depend on the pixels alone and an unchanged card is an unchanged file. Level 3:
    # level 6 saves a sixth of the bytes (22 KB against 27 KB) for three times the time, half
    # of a card's cost, and a site of 10,000 fact-checks makes 10,000 cards.
    buffer = io.BytesIO()
    card.save(buffer, format="PNG", compress_level=3)
    return buffer.getvalue()


def alt_text(claim: str, claimant: str, rating_label: str, ui: Interface | None = None) -> str:
    """The card's text alternative, for og:image:alt and twitter:image:alt, in words (in the
    interface's language; English by default)."""
    claim, claimant, rating_label = (" ".join(t.split()) for t in (claim, claimant, rating_label))
    ui = ui or english()
    if claimant:
        return ui.text("card.alt", claimant=claimant, claim=claim, rating=rating_label)
    return ui.text("card.alt_anonymous", claim=claim, rating=rating_label)


# --- What a build asks before drawing ------------------------------------------------------------


def site_direction(language: str) -> Direction:
    """The direction of a site's text, from its language tag ("ar-EG" -> "rtl"): a site written
    right to left gets right-aligned cards, laid out by Raqm."""
    return languages.direction(language)


# Characters known to draw, per font folder and direction: a build asks about every fact-check,
# and its characters are nearly all ones it has seen (checking each costs two drawings).
_drawable: dict[tuple[Path, Direction], set[str]] = {}


def refusal(texts: tuple[str, ...], direction: Direction, font_folder: Path = FONT_FOLDER) -> str:
    """Why card_png would refuse these texts (its CardError's message), or "" when it draws
    them. Cheap when the characters are known: a set difference."""
    known = _drawable.setdefault((font_folder, direction), set())
    text = "".join(texts)
    new = set(text) - known
    if not new and (direction == "ltr" or raqm_available()):
        return ""
    # In the order of the text, as card_png names them.
    unknown = "".join(dict.fromkeys(ch for ch in text if ch in new))
    try:
        _check_shaping([unknown], direction)
        _check_glyphs([unknown], font_folder)
    except CardError as error:
        return str(error)
    known.update(new)
    return ""


@functools.cache
def font_digest(font_folder: Path = FONT_FOLDER) -> str:
    """A digest of the card's fonts, so that a new font makes every card again."""
    hashed = hashlib.blake2b(digest_size=16)
    for name in (REGULAR, BOLD):
        hashed.update((font_folder / name).read_bytes())
    return hashed.hexdigest()
