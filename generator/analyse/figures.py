"""Figures: read numbers and bound words in quotations, and compare figures as intervals."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from decimal import Decimal
from typing import Literal

# How a figure's words bound its number: "87 million", "about 87 million", "upwards of 87
# million", "up to 87 million".
Bound = Literal["exact", "about", "at-least", "at-most"]
BOUNDS: tuple[str, ...] = ("exact", "about", "at-least", "at-most")

# "about 300,000" covers 270,000 to 330,000: ±10 %, wide enough for a journalist's rounding
# ("about 300,000" for 311,127) and narrow enough that "about 100" and "about 150" still clash.
ABOUT_TOLERANCE = 0.10

# The documented lexicon of bound words: phrase -> bound. Phrases are matched case-insensitively,
# on word boundaries, with any run of white space between their words, and only when nothing but
# white space separates them from the number. "no more than" and "no fewer than" are listed whole,
# so the longest phrase wins over "more than" and "fewer than" inside it.
LEXICON: dict[str, Bound] = {
    # At most: the number is a ceiling.
    "up to": "at-most",
    "as many as": "at-most",
    "no more than": "at-most",
    "not more than": "at-most",
    "at most": "at-most",
    "maximum": "at-most",
    "maximum of": "at-most",
    "a maximum of": "at-most",
    "the maximum": "at-most",
    "fewer than": "at-most",
    "less than": "at-most",
    "under": "at-most",
    # At least: the number is a floor.
    "at least": "at-least",
    "upwards of": "at-least",
    "more than": "at-least",
    "over": "at-least",
    "in excess of": "at-least",
    "no less than": "at-least",
    "not less than": "at-least",
    "no fewer than": "at-least",
    "not fewer than": "at-least",
    "minimum": "at-least",
    "minimum of": "at-least",
    "a minimum of": "at-least",
    # About: the number is rounded or estimated. "nearly" and "almost" lean low, but news uses
    # them for round figures close to the truth on either side, so they count as "about".
    "about": "about",
    "around": "about",
    "some": "about",
    "nearly": "about",
    "roughly": "about",
    "approximately": "about",
    "almost": "about",
    "an estimated": "about",
    "close to": "about",
}

# A bound phrase ending the text searched, followed by white space only. Longest phrases first,
# though the end anchor already makes the earliest-starting (longest) phrase win.
_BOUND_AT_END = re.compile(
    r"(?<!\w)(?P<phrase>"
    + "|".join(
        r"\s+".join(re.escape(word) for word in phrase.split())
        for phrase in sorted(LEXICON, key=len, reverse=True)
    )
    + r")\s+\Z",
    re.IGNORECASE,
)
# How far back bound_before looks: the longest phrase plus generous white space.
_BOUND_WINDOW = max(map(len, LEXICON)) + 80

_SCALES = {"thousand": 10**3, "million": 10**6, "billion": 10**9, "trillion": 10**12}
_SUFFIXES = {"m": 10**6, "bn": 10**9}

# A number in digits: an optional currency sign (kept in the mention, so "up to $87 million"
# has its bound right before it), thousands separators only in groups of three (so "311,127"
# is one number), a decimal part only when a digit follows the point (so a sentence-final "50."
# is 50), then an attached "m"/"bn" or a spelled scale word. Digits glued to other letters
# ("3rd", "10am", "1990s") are not read: they are not figures.
_DIGITS = re.compile(
    r"""
    (?<![\w.,])
    [$£€]?
    (?P<number>\d{1,3}(?:,\d{3})+(?!\d)(?:\.\d+)?|\d+(?:\.\d+)?)
    (?:
        (?P<suffix>m|bn)
      | \s+(?P<scale>thousand|million|billion|trillion)
    )?
    (?!\w)
    """,
    re.IGNORECASE | re.VERBOSE,
)

_UNITS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5,
    "six": 6, "seven": 7, "eight": 8, "nine": 9,
}  # fmt: skip
_TEENS = {
    "zero": 0, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14,
    "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19,
}  # fmt: skip
_TENS = {
    "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50,
    "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90,
}  # fmt: skip
_NUMBER_WORD = re.compile(
    r"\b(?:" + "|".join([*_UNITS, *_TEENS, *_TENS, "hundred", *_SCALES, "and"]) + r")\b",
    re.IGNORECASE,
)
_WORD_VALUES = {**_UNITS, **_TEENS, **_TENS}
# What may separate two words of one number: white space, or the hyphen of "eighty-seven".
_WORD_GAP = re.compile(r"\s+|-")


@dataclass(frozen=True)
class NumberMention:
    """A number written in a text, in digits or in words."""

    # Its value: 87_000_000.0 for "87 million".
    value: float
    # Offset of its first character within the string searched.
    start: int
    # Offset just past its last character.
    end: int
    # The number as written ("87 million", "$158.75", "eighty-seven million").
    text: str


def parse_numbers(text: str) -> list[NumberMention]:
    """Every number in `text`, in order: digits (with scale words or suffixes) and words."""
    found = [_digit_mention(text, m) for m in _DIGITS.finditer(text)]
    for mention in _word_mentions(text):
        # A scale word after digits ("87 million") is already part of a digit mention.
        if not any(mention.start < d.end and d.start < mention.end for d in found):
            found.append(mention)
    return sorted(found, key=lambda m: m.start)


def _digit_mention(text: str, match: re.Match[str]) -> NumberMention:
    number = Decimal(match["number"].replace(",", ""))
    scale = match["scale"] or match["suffix"] or ""
    multiplier = _SCALES.get(scale.lower()) or _SUFFIXES.get(scale.lower()) or 1
    # Decimal arithmetic, so "2.4 million" is 2400000.0 and not a float product's neighbour.
    value = float(number * multiplier)
    return NumberMention(value, match.start(), match.end(), match.group())


def _word_mentions(text: str) -> list[NumberMention]:
    """Numbers written as words, from runs of number words that touch each other."""
    mentions: list[NumberMention] = []
    chain: list[re.Match[str]] = []
    for match in _NUMBER_WORD.finditer(text):
        if chain and not _WORD_GAP.fullmatch(text, chain[-1].end(), match.start()):
            mentions.extend(_read_chain(text, chain))
            chain = []
        chain.append(match)
    mentions.extend(_read_chain(text, chain))
    return mentions


def _kind(word: str) -> str:
    word = word.lower()
    if word in _UNITS:
        return "unit"
    if word in _TEENS:
        return "zero" if word == "zero" else "teen"
    if word in _TENS:
        return "ten"
    if word in _SCALES:
        return "scale"
    return word  # "hundred" or "and"


def _read_chain(text: str, chain: list[re.Match[str]]) -> list[NumberMention]:
    """Split a run of number words into numbers by English number grammar, and read each."""
    words = [(m, _kind(m.group())) for m in chain]
    while words and words[0][1] == "and":
        words.pop(0)
    # "a million", "a hundred and twenty": the article is not a number word, and reading only
    # the tail ("twenty") would give a wrong value, so the whole run is skipped.
    if not words or words[0][1] in ("hundred", "scale"):
        return []
    mentions: list[NumberMention] = []
    number = _WordNumber()
    for i, (match, kind) in enumerate(words):
        following = words[i + 1][1] if i + 1 < len(words) else ""
        if number.accepts(match.group(), kind, following):
            number.add(match, kind)
            continue
        if number.last_match is not None:
            mentions.append(number.mention(text))
        if kind == "and":
            number = _WordNumber()
            continue
        if kind in ("hundred", "scale"):
            break  # cannot start a number; nothing after it is read either
        number = _WordNumber()
        number.add(match, kind)
    if number.last_match is not None:
        mentions.append(number.mention(text))
    return mentions


class _WordNumber:
    """A number being read word by word: "three" "hundred" "thousand" -> 300,000."""

    def __init__(self) -> None:
        self.total = 0
        self.current = 0
        self.last_kind = ""
        self.last_scale = 0
        self.first_match: re.Match[str] | None = None
        self.last_match: re.Match[str] | None = None

    def accepts(self, word: str, kind: str, following: str) -> bool:
        last = self.last_kind
        if kind == "and":
            # Only "hundred and twenty", "thousand and five", and only before another number.
            return last in ("hundred", "scale") and following in ("unit", "teen", "ten")
        if kind == "unit":
            tens_before = last == "ten" and self.current % 10 == 0
            return last in ("", "hundred", "scale", "and") or tens_before
        if kind in ("teen", "ten"):
            return last in ("", "hundred", "scale", "and")
        if kind == "zero":
            return last == ""
        if kind == "hundred":
            return last in ("unit", "teen", "ten") and 0 < self.current < 100
        # A scale word: after a number, and smaller than any scale before ("two million five
        # thousand", never "five thousand million").
        scale = _SCALES[word.lower()]
        return (
            last not in ("", "and")
            and self.current > 0
            and (not self.last_scale or scale < self.last_scale)
        )

    def add(self, match: re.Match[str], kind: str) -> None:
        word = match.group().lower()
        if kind == "hundred":
            self.current *= 100
        elif kind == "scale":
            self.last_scale = _SCALES[word]
            self.total += self.current * self.last_scale
            self.current = 0
        elif kind != "and":
            self.current += _WORD_VALUES[word]
        if kind != "and":
            # A trailing "and" is never part of the number's text.
            self.last_match = match
        self.first_match = self.first_match or match
        self.last_kind = kind

    def mention(self, text: str) -> NumberMention:
        assert self.first_match is not None and self.last_match is not None
        start, end = self.first_match.start(), self.last_match.end()
        return NumberMention(float(self.total + self.current), start, end, text[start:end])


def bound_before(text: str, start: int) -> tuple[Bound, str] | None:
    """The bound phrase ending right before offset `start`, and the phrase as written."""
    match = _BOUND_AT_END.search(text, max(0, start - _BOUND_WINDOW), start)
    if match is None:
        return None
    phrase = match["phrase"]
    return LEXICON[" ".join(phrase.lower().split())], phrase


@dataclass(frozen=True)
class BoundReading:
    """What a quotation's words say about the bound of one figure in it."""

    # Whether the value occurs in the text at all.
    found: bool
    # The bound its words give; None when no bound word precedes it, or when not found.
    bound: Bound | None
    # The bound phrase as written in the text, "" if none.
    words: str


def read_bound(text: str, value: float) -> BoundReading:
    """Read the bound before `value` in `text`: the first mention with a bound phrase wins."""
    mentions = [m for m in parse_numbers(text) if math.isclose(m.value, value, rel_tol=1e-9)]
    if not mentions:
        return BoundReading(False, None, "")
    for mention in mentions:
        found = bound_before(text, mention.start)
        if found is not None:
            return BoundReading(True, found[0], found[1])
    return BoundReading(True, None, "")


@dataclass(frozen=True)
class Interval:
    """The values a figure allows, ends included."""

    # Lowest value allowed; -math.inf when unbounded below.
    low: float
    # Highest value allowed; math.inf when unbounded above.
    high: float


def interval(value: float, bound: Bound) -> Interval:
    """The values a figure allows.

    Ends are inclusive, so "more than 50" is read as at-least 50 and "fewer than 50" as at-most
    50: news bound words are loose ("more than 50 million" is often written of exactly 50
    million), and the view must not call two figures contradictory on a hair's breadth.
    """
    if bound == "exact":
        return Interval(value, value)
    if bound == "about":
        ends = value * (1 - ABOUT_TOLERANCE), value * (1 + ABOUT_TOLERANCE)
        return Interval(min(ends), max(ends))  # a negative value swaps the ends
    if bound == "at-least":
        return Interval(value, math.inf)
    if bound == "at-most":
        return Interval(-math.inf, value)
    raise ValueError(f"unknown bound {bound!r}; expected one of {', '.join(BOUNDS)}")


def overlaps(a: Interval, b: Interval) -> bool:
    """Whether two intervals share a value; touching ends count."""
    return a.low <= b.high and b.low <= a.high


# How two figures for one measure relate.
PairKind = Literal["compatible", "contradictory", "different-quantity"]


@dataclass(frozen=True)
class FigureFacts:
    """What classifying a pair needs from a figure."""

    # The number.
    value: float
    # How its words bound it.
    bound: Bound
    # What exactly is counted ("" when not given).
    counted: str
    # Where or to whom it applies ("" when not given).
    scope: str


def _key(words: str) -> str:
    return " ".join(words.split()).casefold()


def same_quantity(a: FigureFacts, b: FigureFacts) -> bool:
    """Whether two figures count the same thing in the same scope.

    Compared after case-folding and collapsing white space. "" is a value like any other: a
    figure that states no scope is not assumed to share a stated one ("" and "worldwide"
    differ), because guessing would turn a difference in what is counted into a contradiction.
    """
    return _key(a.counted) == _key(b.counted) and _key(a.scope) == _key(b.scope)


def classify(a: FigureFacts, b: FigureFacts) -> PairKind:
    """Compatible, contradictory, or not comparable because they count different things."""
    if not same_quantity(a, b):
        return "different-quantity"  # never a contradiction, however far apart
    if overlaps(interval(a.value, a.bound), interval(b.value, b.bound)):
        return "compatible"
    return "contradictory"


# Scale words for format_value, largest first. Thousands stay in digits ("300,000").
_FORMAT_SCALES = (("trillion", 10**12), ("billion", 10**9), ("million", 10**6))


def format_value(value: float, unit: str = "") -> str:
    """Human text for a value: "87 million", "311,127", "1.5 billion", "2.4"; then the unit."""
    text = _format_number(value)
    return f"{text} {unit}" if unit else text


def _format_number(value: float) -> str:
    if not math.isfinite(value):
        return str(value)
    for word, scale in _FORMAT_SCALES:
        scaled = value / scale
        # A scale word only when it loses nothing: 1,234,567 stays in digits.
        if abs(value) >= scale and math.isclose(round(scaled, 2), scaled, rel_tol=1e-12):
            return f"{_plain(round(scaled, 2))} {word}"
    return _plain(value)


def _plain(value: float) -> str:
    if float(value).is_integer():
        return f"{int(value):,}"
    return f"{value:,.6f}".rstrip("0").rstrip(".")
