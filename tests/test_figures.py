"""Figures: number parsing, the bound-word lexicon, intervals and the classification of pairs."""

from __future__ import annotations

import itertools
import math
from typing import get_args

import pytest

from generator.analyse.figures import (
    ABOUT_TOLERANCE,
    BOUNDS,
    LEXICON,
    Bound,
    BoundReading,
    FigureFacts,
    Interval,
    bound_before,
    classify,
    format_value,
    interval,
    overlaps,
    parse_numbers,
    read_bound,
    same_quantity,
)


def facts(value: float, bound: Bound, counted: str = "", scope: str = "") -> FigureFacts:
    return FigureFacts(value, bound, counted, scope)


# --- intervals -----------------------------------------------------------------------------


def test_bounds_match_the_literal_type() -> None:
    assert get_args(Bound) == BOUNDS
    assert ABOUT_TOLERANCE == 0.10


@pytest.mark.parametrize(
    ("value", "bound", "low", "high"),
    [
        (50, "exact", 50, 50),
        (300_000, "about", 270_000, 330_000),
        (100, "about", 90, 110),
        (-100, "about", -110, -90),  # a negative value keeps low <= high
        (0, "about", 0, 0),
        (50, "at-least", 50, math.inf),
        (50, "at-most", -math.inf, 50),
        (-5, "at-most", -math.inf, -5),
    ],
)
def test_interval(value: float, bound: Bound, low: float, high: float) -> None:
    got = interval(value, bound)
    assert got.low == pytest.approx(low)
    assert got.high == pytest.approx(high)
    assert got.low <= got.high


def test_interval_rejects_an_unknown_bound() -> None:
    with pytest.raises(ValueError, match="unknown bound 'roughly'"):
        interval(50, "roughly")  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("a", "b", "expected"),
    [
        (Interval(0, 50), Interval(50, math.inf), True),  # touching ends overlap
        (Interval(0, 49), Interval(50, math.inf), False),
        (Interval(-math.inf, 30), Interval(50, math.inf), False),
        (Interval(-math.inf, 60), Interval(50, math.inf), True),
        (Interval(10, 20), Interval(12, 13), True),  # one inside the other
        (Interval(5, 5), Interval(5, 5), True),
        (Interval(5, 5), Interval(6, 6), False),
    ],
)
def test_overlaps(a: Interval, b: Interval, expected: bool) -> None:
    assert overlaps(a, b) is expected
    assert overlaps(b, a) is expected


# Every pair of bound kinds, with values that overlap and, where the kinds allow it, values that
# do not (two floors, or two ceilings, always share a value). Each row is checked both ways.
PAIRS = [
    # exact vs exact
    (("exact", 50), ("exact", 50), "compatible"),
    (("exact", 50), ("exact", 51), "contradictory"),
    # exact vs about: about 54 is 48.6..59.4, about 60 is 54..66
    (("exact", 50), ("about", 54), "compatible"),
    (("exact", 50), ("about", 60), "contradictory"),
    # exact vs at-least
    (("exact", 50), ("at-least", 50), "compatible"),
    (("exact", 49), ("at-least", 50), "contradictory"),
    # exact vs at-most
    (("exact", 50), ("at-most", 50), "compatible"),
    (("exact", 51), ("at-most", 50), "contradictory"),
    # about vs exact: the ±10 % tolerance, 270,000..330,000
    (("about", 300_000), ("exact", 329_000), "compatible"),
    (("about", 300_000), ("exact", 331_000), "contradictory"),
    (("about", 300_000), ("exact", 269_000), "contradictory"),
    (("about", 300_000), ("exact", 311_127), "compatible"),
    # about vs about: 90..110 meets 108..132 (110 >= 108), but not 112.5..137.5
    (("about", 100), ("about", 120), "compatible"),
    (("about", 100), ("about", 125), "contradictory"),
    # about vs at-least
    (("about", 100), ("at-least", 105), "compatible"),
    (("about", 100), ("at-least", 111), "contradictory"),
    # about vs at-most
    (("about", 100), ("at-most", 95), "compatible"),
    (("about", 100), ("at-most", 89), "contradictory"),
    # at-least vs exact: the open end reaches any height
    (("at-least", 50), ("exact", 1e12), "compatible"),
    (("at-least", 50), ("exact", 49), "contradictory"),
    # at-least vs about: about 46 is 41.4..50.6, about 40 is 36..44
    (("at-least", 50), ("about", 46), "compatible"),
    (("at-least", 50), ("about", 40), "contradictory"),
    # at-least vs at-least: always compatible
    (("at-least", 50), ("at-least", 1e9), "compatible"),
    # at-least vs at-most: "upwards of 50 million" and "no more than 30 million" cannot both be
    # true; "at least 50" and "at most 50" can (exactly 50)
    (("at-least", 50), ("at-most", 50), "compatible"),
    (("at-least", 50e6), ("at-most", 30e6), "contradictory"),
    # at-most vs exact
    (("at-most", 30), ("exact", 29), "compatible"),
    (("at-most", 30), ("exact", 31), "contradictory"),
    # at-most vs about: about 33 is 29.7..36.3, about 34 is 30.6..37.4
    (("at-most", 30), ("about", 33), "compatible"),
    (("at-most", 30), ("about", 34), "contradictory"),
    # at-most vs at-least
    (("at-most", 87e6), ("at-least", 50e6), "compatible"),
    (("at-most", 30), ("at-least", 50), "contradictory"),
    # at-most vs at-most: always compatible
    (("at-most", 1), ("at-most", 1e9), "compatible"),
]


def test_pairs_cover_every_combination_of_bounds() -> None:
    covered = {(a[0], b[0]) for a, b, _ in PAIRS}
    assert covered == set(itertools.product(BOUNDS, repeat=2))
    # Every combination that can be either way is shown both ways.
    for a_bound, b_bound in itertools.product(BOUNDS, repeat=2):
        kinds = {k for a, b, k in PAIRS if (a[0], b[0]) == (a_bound, b_bound)}
        always_compatible = a_bound == b_bound and a_bound in ("at-least", "at-most")
        assert kinds == ({"compatible"} if always_compatible else {"compatible", "contradictory"})


@pytest.mark.parametrize(("a", "b", "expected"), PAIRS)
def test_classify_pairs(a: tuple[Bound, float], b: tuple[Bound, float], expected: str) -> None:
    first, second = facts(a[1], a[0]), facts(b[1], b[0])
    assert classify(first, second) == expected
    assert classify(second, first) == expected


# --- same quantity -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("a", "b", "same"),
    [
        (facts(50, "exact", "users", "worldwide"), facts(50, "exact", "users", "worldwide"), True),
        (facts(50, "exact", "users"), facts(50, "exact", "accounts"), False),
        (facts(50, "exact", scope="worldwide"), facts(50, "exact", scope="Australia"), False),
        # "" is a value like any other: an unstated scope is not assumed to be "worldwide".
        (facts(50, "exact", scope=""), facts(50, "exact", scope="worldwide"), False),
        (facts(50, "exact", counted=""), facts(50, "exact", counted="users"), False),
        # Case and white space are not differences in what is counted.
        (
            facts(50, "exact", "Facebook  users", " Worldwide"),
            facts(50, "exact", "facebook users", "worldwide\n"),
            True,
        ),
    ],
)
def test_same_quantity(a: FigureFacts, b: FigureFacts, same: bool) -> None:
    assert same_quantity(a, b) is same
    assert same_quantity(b, a) is same


@pytest.mark.parametrize(
    ("a", "b", "expected"),
    [
        # Same values, different thing counted or scope: never a contradiction ...
        (facts(50, "exact", "users"), facts(50, "exact", "accounts"), "different-quantity"),
        (facts(50, "exact", scope="US"), facts(50, "exact", scope="EU"), "different-quantity"),
        # ... even when the intervals are disjoint.
        (
            facts(87e6, "exact", "users", "worldwide"),
            facts(311_127, "exact", "users", "Australia"),
            "different-quantity",
        ),
        (facts(30, "at-most", "users"), facts(50, "at-least", "apps"), "different-quantity"),
        (facts(30, "at-most", ""), facts(50, "at-least", "apps"), "different-quantity"),
        # Case and white space differences leave one quantity, so the intervals decide.
        (
            facts(50, "exact", "Facebook users", "WORLDWIDE"),
            facts(51, "exact", "facebook  users", "worldwide"),
            "contradictory",
        ),
        (
            facts(50, "exact", "Facebook users"),
            facts(50, "at-least", " facebook users "),
            "compatible",
        ),
    ],
)
def test_classify_different_quantities(a: FigureFacts, b: FigureFacts, expected: str) -> None:
    assert classify(a, b) == expected
    assert classify(b, a) == expected


# --- the bound-word lexicon ----------------------------------------------------------------

# Every phrase of the lexicon with the bound it must give, written out here so that a wrong
# entry in LEXICON fails.
PHRASES = [
    ("up to", "at-most"),
    ("as many as", "at-most"),
    ("no more than", "at-most"),
    ("not more than", "at-most"),
    ("at most", "at-most"),
    ("maximum", "at-most"),
    ("maximum of", "at-most"),
    ("a maximum of", "at-most"),
    ("the maximum", "at-most"),
    ("fewer than", "at-most"),
    ("less than", "at-most"),
    ("under", "at-most"),
    ("at least", "at-least"),
    ("upwards of", "at-least"),
    ("more than", "at-least"),
    ("over", "at-least"),
    ("in excess of", "at-least"),
    ("no less than", "at-least"),
    ("not less than", "at-least"),
    ("no fewer than", "at-least"),
    ("not fewer than", "at-least"),
    ("minimum", "at-least"),
    ("minimum of", "at-least"),
    ("a minimum of", "at-least"),
    ("about", "about"),
    ("around", "about"),
    ("some", "about"),
    ("nearly", "about"),
    ("roughly", "about"),
    ("approximately", "about"),
    ("almost", "about"),
    ("an estimated", "about"),
    ("close to", "about"),
]


def test_phrase_table_is_the_whole_lexicon() -> None:
    assert dict(PHRASES) == LEXICON
    assert len(PHRASES) == len(LEXICON)


@pytest.mark.parametrize(("phrase", "bound"), PHRASES)
def test_each_phrase_gives_its_bound(phrase: str, bound: Bound) -> None:
    text = f"the report said {phrase} 50 million users"
    assert bound_before(text, text.index("50")) == (bound, phrase)


def at(text: str, number: str) -> tuple[Bound, str] | None:
    """The bound before the first occurrence of `number` in `text`."""
    return bound_before(text, text.index(number))


@pytest.mark.parametrize(
    ("text", "number", "expected"),
    [
        # Longest phrase first: the whole phrase is reported, with its own bound.
        ("no more than 30 million", "30", ("at-most", "no more than")),
        ("no fewer than 30 million", "30", ("at-least", "no fewer than")),
        ("no less than 30 million", "30", ("at-least", "no less than")),
        ("not more than 30 million", "30", ("at-most", "not more than")),
        ("a maximum of 30", "30", ("at-most", "a maximum of")),
        ("the maximum 30", "30", ("at-most", "the maximum")),
        # Case-insensitive, and the phrase comes back as written.
        ("Up to 87 million", "87", ("at-most", "Up to")),
        ("UPWARDS OF 50 million", "50", ("at-least", "UPWARDS OF")),
        # Any white space between the words and before the number, as written.
        ("up  to\n87 million", "87", ("at-most", "up  to")),
        ("at least\t\t50", "50", ("at-least", "at least")),
        # A currency sign belongs to the number, so the phrase still sits right before it.
        ("up to $87 million", "$87", ("at-most", "up to")),
        ("upwards of 50 million Facebook users", "50", ("at-least", "upwards of")),
        # Word boundaries: these are not bound words.
        ("moreover 50", "50", None),
        ("hangover 30", "30", None),
        ("handsome 300", "300", None),
        ("popover 30", "30", None),
        ("thunder 30", "30", None),
        # Only white space may come between the phrase and the number.
        ("more than doubled to 87 million", "87", None),
        ("some of the 87 million", "87", None),
        ("about: 50", "50", None),
        ("over50", "50", None),
        ("up to, 50", "50", None),
        # The phrase must end right before the number: later words do not count.
        ("the maximum number was 50", "50", None),
        ("87 million, up to", "87", None),
        # The start of the text.
        ("50 people", "50", None),
        # "as many as one in 50": the lexicon is purely lexical, so the ceiling is read before
        # "one" (a number word) and nothing before "50". A rate is not a count; a reviewer
        # quoting such a phrase gives the figure's bound in the claim file.
        ("as many as one in 50", "one", ("at-most", "as many as")),
        ("as many as one in 50", "50", None),
    ],
)
def test_bound_before(text: str, number: str, expected: tuple[Bound, str] | None) -> None:
    assert at(text, number) == expected


def test_bound_before_the_maximum_number_with_no_number() -> None:
    text = "the maximum number of users"
    assert parse_numbers(text) == []
    assert read_bound(text, 50) == BoundReading(False, None, "")
    # A number later in the sentence is not bounded by it ...
    assert bound_before(text + " 50", len(text) + 1) is None
    # ... only a number right after the phrase is.
    assert bound_before("the maximum 50", len("the maximum ")) == ("at-most", "the maximum")


# --- number parsing ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("87 million", [(87e6, "87 million")]),
        ("311,127", [(311_127, "311,127")]),
        ("300,000", [(300_000, "300,000")]),
        ("50 million", [(5e7, "50 million")]),
        ("1.5 billion", [(1.5e9, "1.5 billion")]),
        ("30 thousand", [(30_000, "30 thousand")]),
        ("2 trillion", [(2e12, "2 trillion")]),
        ("2.4 million", [(2_400_000, "2.4 million")]),
        ("87 Million", [(87e6, "87 Million")]),
        ("fifty million", [(5e7, "fifty million")]),
        ("eighty-seven million", [(87e6, "eighty-seven million")]),
        ("Eighty-Seven Million", [(87e6, "Eighty-Seven Million")]),
        ("three hundred thousand", [(3e5, "three hundred thousand")]),
        ("one hundred and twenty", [(120, "one hundred and twenty")]),
        ("two million five thousand and one", [(2_005_001, "two million five thousand and one")]),
        ("twenty-five hundred", [(2500, "twenty-five hundred")]),
        ("2.4 percent", [(2.4, "2.4")]),
        ("2.4%", [(2.4, "2.4")]),
        ("$158.75", [(158.75, "$158.75")]),
        ("£1.5bn", [(1.5e9, "£1.5bn")]),
        ("87m", [(87e6, "87m")]),
        ("1.5bn", [(1.5e9, "1.5bn")]),
        ("1,000,000", [(1e6, "1,000,000")]),
        ("1,234.5", [(1234.5, "1,234.5")]),
        ("in 2014", [(2014, "2014")]),
        ("the total was 50.", [(50, "50")]),
        ("311,127 Australians", [(311_127, "311,127")]),
        ("from 2014, 50 and 60", [(2014, "2014"), (50, "50"), (60, "60")]),
        ("87 million users and 300,000 apps", [(87e6, "87 million"), (300_000, "300,000")]),
        # "and" between two numbers that do not form one joins nothing.
        ("twenty and thirty", [(20, "twenty"), (30, "thirty")]),
        ("one hundred and", [(100, "one hundred")]),
        # Two numbers side by side stay two.
        ("five six", [(5, "five"), (6, "six")]),
        ("nineteen eighty-four", [(19, "nineteen"), (84, "eighty-four")]),
        ("5 thousand million", [(5000, "5 thousand")]),
        # Not numbers: "a million" (skipped, with what follows), glued letters, words inside words.
        ("a million people", []),
        ("a hundred and twenty", []),
        ("someone, everyone, none, often", []),
        ("the 3rd at 10am in the 1990s", []),
        ("millions of users", []),
        ("", []),
    ],
)
def test_parse_numbers(text: str, expected: list[tuple[float, str]]) -> None:
    mentions = parse_numbers(text)
    assert [(m.value, m.text) for m in mentions] == [(float(v), t) for v, t in expected]
    for m in mentions:
        assert text[m.start : m.end] == m.text


def test_parse_numbers_offsets_inside_a_sentence() -> None:
    text = "Cambridge Analytica had data on 87 million users, 311,127 of them Australians."
    mentions = parse_numbers(text)
    assert [(m.start, m.end) for m in mentions] == [(32, 42), (50, 57)]
    assert [text[m.start : m.end] for m in mentions] == ["87 million", "311,127"]


# --- reading the bound of a figure in a quotation -------------------------------------------


@pytest.mark.parametrize(
    ("text", "value", "expected"),
    [
        (
            "with up to 87 million users hit by the leak",
            87e6,
            BoundReading(True, "at-most", "up to"),
        ),
        (
            "data belonging to upwards of 50 million Facebook users",
            50e6,
            BoundReading(True, "at-least", "upwards of"),
        ),
        (
            "installed by around 300,000 Facebook people",
            300_000,
            BoundReading(True, "about", "around"),
        ),
        ("upped that number to 87 million", 87e6, BoundReading(True, None, "")),
        ("upped that number to 87 million", 50e6, BoundReading(False, None, "")),
        # The first mention with a bound phrase wins over an earlier bare one.
        (
            "87 million, the company said; up to 87 million in all",
            87e6,
            BoundReading(True, "at-most", "up to"),
        ),
        # Numbers in words are values like any other.
        ("as many as fifty million users", 50e6, BoundReading(True, "at-most", "as many as")),
        # The value must match the whole number: 311 is not in "311,127".
        ("311,127 Australians", 311, BoundReading(False, None, "")),
        ("311,127 Australians", 311_127, BoundReading(True, None, "")),
    ],
)
def test_read_bound(text: str, value: float, expected: BoundReading) -> None:
    assert read_bound(text, value) == expected


def test_read_bound_compares_with_a_relative_tolerance() -> None:
    # 0.1 * 3 * 8e6 is 2400000.0000000005 in floats: not equal to 2.4 million, but close enough.
    assert 0.1 * 3 * 8e6 != 2_400_000
    assert read_bound("about 2.4 million", 0.1 * 3 * 8e6).found
    assert not read_bound("about 2.4 million", 2_400_001).found


# --- formatting ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "unit", "expected"),
    [
        (87_000_000, "", "87 million"),
        (87_000_000, "users", "87 million users"),
        (311_127, "", "311,127"),
        (300_000, "", "300,000"),
        (1_500_000_000, "", "1.5 billion"),
        (2.4, "", "2.4"),
        (158.75, "", "158.75"),
        (1_000_000, "", "1 million"),
        (2_250_000_000_000, "", "2.25 trillion"),
        (1_234_567, "", "1,234,567"),  # a scale word would lose digits
        (999_999, "", "999,999"),
        (50, "apps", "50 apps"),
        (0, "", "0"),
        (-87_000_000, "", "-87 million"),
        (1234.5, "", "1,234.5"),
    ],
)
def test_format_value(value: float, unit: str, expected: str) -> None:
    assert format_value(value, unit) == expected


def test_format_value_round_trips_through_parse_numbers() -> None:
    for value in (87e6, 311_127, 300_000, 1.5e9, 2.4, 158.75, 1_234_567):
        (mention,) = parse_numbers(format_value(value))
        assert mention.value == pytest.approx(value, rel=1e-12)
