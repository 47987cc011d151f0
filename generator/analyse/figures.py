"""Figures: read numbers and bound words in quotations, and compare figures as intervals."""

from __future__ import annotations

import math
import re
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Literal

from ..languages import ENGLISH, LANGUAGES, Bound, Language, NumberWords

# How a figure's words bound its number: "87 million", "about 87 million", "upwards of 87
# million", "up to 87 million". (Defined with the language tables, which give each phrase one.)
BOUNDS: tuple[str, ...] = ("exact", "about", "at-least", "at-most")

# "about 300,000" covers 270,000 to 330,000: ±10 %, wide enough for a journalist's rounding
# ("about 300,000" for 311,127) and narrow enough that "about 100" and "about 150" still clash.
ABOUT_TOLERANCE = 0.10

# The documented lexicon of English bound words: phrase -> bound. Each language has its own
# (languages.py). Phrases are matched case-insensitively, on word boundaries, with any run of
# white space between their words, and only when nothing but white space separates them from
# the number (or nothing at all after an apostrophe: "plus d'un million"). "no more than" and
# "no fewer than" are listed whole, so the longest phrase wins over "more than" inside them.
LEXICON = ENGLISH.bounds


def _phrase_pattern(phrases: Iterable[str]) -> str:
    """Phrases as one alternation, longest first, any white space between words, either
    apostrophe ("jusqu'à", "jusqu’à")."""
    return "|".join(
        r"\s+".join(re.escape(word).replace("'", "['’]") for word in phrase.split())
        for phrase in sorted(phrases, key=len, reverse=True)
    )


def _phrase_key(phrase: str) -> str:
    """A phrase as a table writes it: lowercase, one space between words, straight apostrophes."""
    return " ".join(phrase.lower().replace("’", "'").split())


@dataclass(frozen=True)
class _Reader:
    """A language's tables made into the patterns that read its numbers and bounds."""

    # The language.
    language: Language
    # A number in digits, with its scale word or suffix.
    digits: re.Pattern[str]
    # A number word (a whole compound, such as "quatre-vingt-dix"), or a phrase that is none.
    word: re.Pattern[str]
    # Number word (as _phrase_key writes it) -> its kind and value.
    kinds: dict[str, tuple[str, int]]
    # Scale words, abbreviations and suffixes after digits -> their multiplier.
    multipliers: dict[str, int]
    # A bound phrase ending the text searched.
    bound_at_end: re.Pattern[str]
    # Bound phrase (as _phrase_key writes it) -> its bound.
    bounds: dict[str, Bound]
    # How far back bound_before looks: the longest phrase plus generous white space.
    bound_window: int


def _reader(language: Language) -> _Reader:
    words = language.numbers
    after_digits = {
        **dict.fromkeys(words.thousand, 10**3),
        **words.scales,
        **words.abbreviations,
    }
    return _Reader(
        language,
        _digits_pattern(language, after_digits),
        _word_pattern(language),
        _word_kinds(words),
        {_phrase_key(k): v for k, v in {**after_digits, **words.suffixes}.items()},
        re.compile(
            rf"(?<!\w)(?P<phrase>{_phrase_pattern(language.bounds)})(?:\s+|(?<=['’]))\Z",
            re.IGNORECASE,
        ),
        {_phrase_key(k): v for k, v in language.bounds.items()},
        max(map(len, language.bounds)) + 80,
    )


# Points and commas that join digits in some language: a number is never read from the middle
# of "1.5", "1,500", "١٫٥" or "١٢٬٠٠٠", nor cut short before one.
_JOINERS = re.escape(".,\u066b\u066c")


def _digits_pattern(language: Language, after_digits: dict[str, int]) -> re.Pattern[str]:
    """A number in digits: an optional currency sign (kept in the mention, so "up to $87 million"
    has its bound right before it), group separators only between groups of three digits (so
    "311,127" and "311 127" are one number), a decimal part only when a digit follows the mark
    (so a sentence-final "50." is 50), then a glued suffix ("87m") or a scale word after white
    space. Digits glued to other letters ("3rd", "10am", "1990s") are not read: they are not
    figures. Outside English, a number followed by a point or a comma (Latin or Arabic) and a
    digit ("1.5" in French) is not read at all rather than cut short."""
    groups = re.escape(language.group_separators)
    marks = re.escape(language.decimal_marks)
    suffixes = _phrase_pattern(language.numbers.suffixes)
    scale = rf"\s+(?P<scale>{_phrase_pattern(after_digits)})"
    glued = rf"(?P<suffix>{suffixes})|" if suffixes else ""
    ending = r"(?!\w)" if language is ENGLISH else rf"(?!\w)(?![{_JOINERS}]\d)"
    return re.compile(
        rf"""
        (?<![\w{_JOINERS}])
        [$£€]?
        (?P<number>\d{{1,3}}(?:[{groups}]\d{{3}})+(?!\d)(?:[{marks}]\d+)?|\d+(?:[{marks}]\d+)?)
        (?:{glued}{scale})?
        (?:{ending})
        """,
        re.IGNORECASE | re.VERBOSE,
    )


def _word_pattern(language: Language) -> re.Pattern[str]:
    """Any number word or connector, or a phrase that is no number, each whole. English keeps
    the \b boundaries it always had; the others match the longest entry first, so
    "quatre-vingt-dix" is one word and not "quatre" and "vingt" and "dix"."""
    words = language.numbers
    entries = [
        *words.small,
        *words.hundred,
        *words.hundreds,
        *words.thousand,
        *words.scales,
        *words.ones,
        *words.connectors,
        *words.not_numbers,
    ]
    if words.grammar == "english":
        return re.compile(r"\b(?:" + "|".join(entries) + r")\b", re.IGNORECASE)
    alternation = "|".join(
        r"[\s-]+".join(re.escape(part) for part in re.split(r"[ -]", entry))
        for entry in sorted(entries, key=len, reverse=True)
    )
    return re.compile(rf"(?<!\w)(?:{alternation})(?!\w)", re.IGNORECASE)


def _word_kinds(words: NumberWords) -> dict[str, tuple[str, int]]:
    """Each number word's kind and value, keyed as _number_key writes the word."""
    kinds: dict[str, tuple[str, int]] = {}
    for word, value in words.small.items():
        kinds[_number_key(word)] = (_small_kind(value, words.grammar), value)
    kinds |= {_number_key(w): ("hundred", 100) for w in words.hundred}
    kinds |= {_number_key(w): ("hundreds", v) for w, v in words.hundreds.items()}
    kinds |= {_number_key(w): ("thousand", 1000) for w in words.thousand}
    kinds |= {_number_key(w): ("scale", v) for w, v in words.scales.items()}
    kinds |= {_number_key(w): ("one", 1) for w in words.ones}
    kinds |= {_number_key(w): ("and", 0) for w in words.connectors}
    kinds |= {_number_key(w): ("none", 0) for w in words.not_numbers}
    return kinds


def _small_kind(value: int, grammar: str) -> str:
    """English grammar tells units, teens and tens apart ("twenty one" is 21, "twenty ten" is
    two numbers); compound languages spell each number below a hundred whole."""
    if grammar != "english":
        return "small"
    if value == 0:
        return "zero"
    return "unit" if value < 10 else "teen" if value < 20 else "ten"


def _number_key(word: str) -> str:
    """A number word as the tables key it: lowercase, hyphens and white space as one space."""
    return " ".join(re.split(r"[\s-]+", word.lower()))


# Every language's reader, made once when the module is imported.
_READERS = {code: _reader(language) for code, language in LANGUAGES.items()}


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


def parse_numbers(text: str, language: Language = ENGLISH) -> list[NumberMention]:
    """Every number in `text`, in order: digits (with scale words or suffixes) and words,
    read by the rules of `language`."""
    reader = _READERS[language.code]
    found = [_digit_mention(reader, m) for m in reader.digits.finditer(text)]
    for mention in _word_mentions(text, reader):
        # A scale word after digits ("87 million") is already part of a digit mention.
        if not any(mention.start < d.end and d.start < mention.end for d in found):
            found.append(mention)
    return sorted(found, key=lambda m: m.start)


def _digit_mention(reader: _Reader, match: re.Match[str]) -> NumberMention:
    number = match["number"]
    for separator in reader.language.group_separators:
        number = number.replace(separator, "")
    for mark in reader.language.decimal_marks:
        number = number.replace(mark, ".")
    scale = match["scale"] or match.groupdict().get("suffix") or ""
    multiplier = reader.multipliers.get(_phrase_key(scale), 1)
    # Decimal arithmetic, so "2.4 million" is 2400000.0 and not a float product's neighbour.
    value = float(Decimal(number) * multiplier)
    return NumberMention(value, match.start(), match.end(), match.group())


# What may separate two words of one number: white space, or the hyphen of "eighty-seven".
_WORD_GAP = re.compile(r"\s+|-")

# A number word as read: its match, kind and value.
_Word = tuple[re.Match[str], str, int]


def _word_mentions(text: str, reader: _Reader) -> list[NumberMention]:
    """Numbers written as words, from runs of number words that touch each other."""
    mentions: list[NumberMention] = []
    chain: list[_Word] = []
    read = _read_chain if reader.language.numbers.grammar == "english" else _read_compound
    for match in reader.word.finditer(text):
        if chain and not _WORD_GAP.fullmatch(text, chain[-1][0].end(), match.start()):
            mentions.extend(read(text, chain))
            chain = []
        chain.append((match, *reader.kinds[_number_key(match.group())]))
    mentions.extend(read(text, chain))
    return mentions


def _read_chain(text: str, chain: list[_Word]) -> list[NumberMention]:
    """Split a run of English number words into numbers by English number grammar, and read
    each."""
    words = list(chain)
    while words and words[0][1] == "and":
        words.pop(0)
    # "a million", "a hundred and twenty": the article is not a number word, and reading only
    # the tail ("twenty") would give a wrong value, so the whole run is skipped.
    if not words or words[0][1] in ("hundred", "scale"):
        return []
    mentions: list[NumberMention] = []
    number = _WordNumber()
    for i, word in enumerate(words):
        kind = word[1]
        following = words[i + 1][1] if i + 1 < len(words) else ""
        if number.accepts(word, following):
            number.add(word)
            continue
        if number.last_match is not None:
            mentions.append(number.mention(text))
        if kind == "and":
            number = _WordNumber()
            continue
        if kind in ("hundred", "scale"):
            break  # cannot start a number; nothing after it is read either
        number = _WordNumber()
        number.add(word)
    if number.last_match is not None:
        mentions.append(number.mention(text))
    return mentions


class _WordNumber:
    """An English number being read word by word: "three" "hundred" "thousand" -> 300,000."""

    def __init__(self) -> None:
        self.total = 0
        self.current = 0
        self.last_kind = ""
        self.last_scale = 0
        self.first_match: re.Match[str] | None = None
        self.last_match: re.Match[str] | None = None

    def accepts(self, word: _Word, following: str) -> bool:
        _, kind, value = word
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
        return (
            last not in ("", "and")
            and self.current > 0
            and (not self.last_scale or value < self.last_scale)
        )

    def add(self, word: _Word) -> None:
        match, kind, value = word
        if kind == "hundred":
            self.current *= 100
        elif kind == "scale":
            self.last_scale = value
            self.total += self.current * value
            self.current = 0
        elif kind != "and":
            self.current += value
        if kind != "and":
            # A trailing "and" is never part of the number's text.
            self.last_match = match
        self.first_match = self.first_match or match
        self.last_kind = kind

    def mention(self, text: str) -> NumberMention:
        assert self.first_match is not None and self.last_match is not None
        start, end = self.first_match.start(), self.last_match.end()
        return NumberMention(float(self.total + self.current), start, end, text[start:end])


def _read_compound(text: str, chain: list[_Word]) -> list[NumberMention]:
    """Split a run of number words of a compound language into numbers, and read each: a word
    that cannot continue the number being read ends it, and starts the next if it can."""
    mentions: list[NumberMention] = []
    number = _CompoundNumber()
    for i, word in enumerate(chain):
        following = chain[i + 1][1] if i + 1 < len(chain) else ""
        if number.accepts(word, following):
            number.add(word)
            continue
        if number.last_match is not None:
            mentions.append(number.mention(text))
        number = _CompoundNumber()
        if number.accepts(word, following):
            number.add(word)
        # else: a scale word, a connector or an article alone, or no number at all: skipped.
    if number.last_match is not None:
        mentions.append(number.mention(text))
    return mentions


class _CompoundNumber(_WordNumber):
    """A number of a compound language being read: "deux" "cent" "mille" -> 200,000,
    "cinquante" "millions" -> 50,000,000, "dos" "mil millones" -> 2,000,000,000. `current` is
    the group below a thousand being read."""

    def accepts(self, word: _Word, following: str) -> bool:
        _, kind, value = word
        last, group = self.last_kind, self.current
        if kind == "one":
            # "un million": an article is one only right before a scale word.
            return last == "" and following == "scale"
        if kind == "small":
            return last in ("", "hundred", "hundreds", "thousand", "scale", "and") and (
                group % 100 == 0
            )
        if kind == "hundred":
            # "cent" alone, "deux cents", "mille cent"; never "vingt cents".
            return last in ("", "small", "thousand", "scale") and group < 10
        if kind == "hundreds":
            return last in ("", "thousand", "scale", "and") and group == 0
        if kind == "thousand":
            below = not self.last_scale or self.last_scale > 1000
            return last in ("", "small", "hundred", "hundreds") and below
        if kind == "scale":
            smaller = not self.last_scale or value < self.last_scale
            return last in ("small", "hundred", "hundreds", "one") and group > 0 and smaller
        if kind == "and":
            # "cento e vinte", "mil e quinhentos": only after a hundred, thousand or scale, and
            # only before another part of the number.
            joins = last in ("hundred", "hundreds", "thousand", "scale")
            return joins and following in ("small", "hundreds")
        return False  # a phrase that is no number ("pour cent")

    def add(self, word: _Word) -> None:
        match, kind, value = word
        if kind == "hundred":
            self.current = max(self.current, 1) * 100
        elif kind == "thousand":
            self.total += max(self.current, 1) * 1000
            self.current, self.last_scale = 0, 1000
        elif kind == "scale":
            self.total += self.current * value
            self.current, self.last_scale = 0, value
        elif kind != "and":
            self.current += value
        if kind != "and":
            self.last_match = match
        self.first_match = self.first_match or match
        self.last_kind = kind


def bound_before(text: str, start: int, language: Language = ENGLISH) -> tuple[Bound, str] | None:
    """The bound phrase ending right before offset `start`, and the phrase as written."""
    reader = _READERS[language.code]
    match = reader.bound_at_end.search(text, max(0, start - reader.bound_window), start)
    if match is None:
        return None
    phrase = match["phrase"]
    return reader.bounds[_phrase_key(phrase)], phrase


@dataclass(frozen=True)
class BoundReading:
    """What a quotation's words say about the bound of one figure in it."""

    # Whether the value occurs in the text at all.
    found: bool
    # The bound its words give; None when no bound word precedes it, or when not found.
    bound: Bound | None
    # The bound phrase as written in the text, "" if none.
    words: str


def read_bound(text: str, value: float, language: Language = ENGLISH) -> BoundReading:
    """Read the bound before `value` in `text`: the first mention with a bound phrase wins."""
    mentions = [
        m for m in parse_numbers(text, language) if math.isclose(m.value, value, rel_tol=1e-9)
    ]
    if not mentions:
        return BoundReading(False, None, "")
    for mention in mentions:
        found = bound_before(text, mention.start, language)
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
