"""Variants: other outlets' wordings found through the shingle index, differences classed."""

from __future__ import annotations

import difflib
import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from generator.analyse import anchoring, variants
from generator.analyse.variants import (
    Difference,
    DiffToken,
    Variant,
    VariantIndex,
    compare,
    runs,
    words,
)
from generator.diagnostics import Location
from generator.load.sources import split_paragraphs
from generator.model import QuoteRef, Source

SEEDS = Path(__file__).resolve().parent.parent / "seeds"
# The bundled content's ids for the five archived articles.
SEED_IDS = {
    "resign-report": "000_1b51619b11ad0405.txt",
    "daily-dot": "001_eb6337a3b220f5a8.txt",
    "independent": "002_fce78e8723079723.txt",
    "apology-report": "003_f0bfb99b0db7d453.txt",
    "privacy-report": "004_6ff4b4a522694010.txt",
}
WHERE = Location("content/claims/c.yaml", 1, 1)


def make_source(sid: str, text: str) -> Source:
    return Source(
        id=sid,
        file=f"{sid}.txt",
        outlet="",
        title="An article",
        published=None,
        author="",
        url="",
        sha256="",
        note="",
        text=text,
        paragraphs=split_paragraphs(text),
        where=Location(f"content/sources/{sid}.yaml", 1, 1),
    )


def anchor(source: Source, quote: str) -> tuple[int, int]:
    """Where the editor's quotation is, found exactly as the build finds it."""
    finding = anchoring.SourceIndex(source).find(QuoteRef(source.id, quote, None, "", WHERE))
    assert finding.anchor is not None, finding.message
    return finding.anchor.start, finding.anchor.end


@pytest.fixture(scope="module")
def seeds() -> dict[str, Source]:
    return {
        sid: make_source(sid, (SEEDS / name).read_text(encoding="utf-8"))
        for sid, name in SEED_IDS.items()
    }


@pytest.fixture(scope="module")
def index(seeds: dict[str, Source]) -> VariantIndex:
    return VariantIndex(seeds)


def found(index: VariantIndex, sources: dict[str, Source], sid: str, quote: str) -> list[Variant]:
    return index.find(sid, *anchor(sources[sid], quote))


def wordings(sources: dict[str, Source], found: list[Variant]) -> dict[str, str]:
    return {v.source: sources[v.source].text[v.start : v.end] for v in found}


# --- classing differences ------------------------------------------------------------------

CLASS_CASES = [
    # (base, variant, expected differences)
    pytest.param(
        "I think life is about learning",
        "life is about learning",
        [Difference("truncation", "I think", "", "start")],
        id="truncation-at-start",
    ),
    pytest.param(
        "we will take legal action if we need to",
        "we will take legal action",
        [Difference("truncation", "if we need to", "", "end")],
        id="truncation-at-end",
    ),
    pytest.param(
        "life is about learning",
        "I think life is about learning",
        [Difference("extension", "", "I think", "start")],
        id="extension-at-start",
    ),
    pytest.param(
        "take legal action",
        "take legal action, he said",
        [Difference("extension", "", "he said", "end")],
        id="extension-at-end",
    ),
    pytest.param(
        "We didn't take a broad enough view of what our responsibility is, and that was a huge "
        "mistake",
        "We didn't take a broad enough view and that was a huge mistake",
        [Difference("omission", "of what our responsibility is,", "")],
        id="omission",
    ),
    pytest.param(
        "that was a mistake",
        "that was a huge mistake",
        [Difference("insertion", "", "huge")],
        id="insertion",
    ),
    pytest.param(
        "to protect people's information",
        "to get people's information",
        [Difference("substitution", "protect", "get")],
        id="substitution",
    ),
    pytest.param(
        "learning from the mistakes and figuring out",
        "learning from your mistakes and working out",
        [
            Difference("substitution", "the", "your"),
            Difference("substitution", "figuring", "working"),
        ],
        id="two-substitutions",
    ),
    pytest.param(
        "I think life is about learning from your mistakes",
        "Life is about learning from the mistakes",
        [
            Difference("truncation", "I think", "", "start"),
            Difference("substitution", "your", "the"),
        ],
        id="truncation-and-substitution",
    ),
    pytest.param(
        "responsibility is, and that was a huge mistake",
        "responsibility is. That was a huge mistake.",
        [Difference("omission", "and", "")],
        id="omission-despite-punctuation",
    ),
    pytest.param(
        "Not that I'm aware of",
        "Not that I know",
        [Difference("substitution", "I'm aware of", "I know")],
        id="substitution-of-unequal-length",
    ),
    pytest.param(
        "We will publish the whole audit report before the summer",
        "We will publish the report of the whole audit before summer",
        [
            Difference("reordering", "report", "report", "", "whole audit", "publish the"),
            Difference("insertion", "", "of the"),
            Difference("omission", "the", ""),
        ],
        id="one-word-moved-with-words-added",
    ),
    pytest.param(
        "We will publish the whole audit report before the summer",
        "Before the summer, we will publish the whole audit report",
        [Difference("reordering", "before the summer", "Before the summer,", "", "audit report")],
        id="run-moved-to-the-start-is-no-truncation",
    ),
    pytest.param(
        # "the" is left out in one place and added in another, but it occurs twice in the
        # first wording: which "the" moved cannot be told, so nothing is called a move.
        "the board said the report was late",
        "board said the report was the late",
        [Difference("truncation", "the", "", "start"), Difference("insertion", "", "the")],
        id="a-repeated-word-is-no-move",
    ),
    pytest.param(
        "Not that I’m aware of,",
        "“not that I'm AWARE of.”",
        [],
        id="identical-after-case-typography-punctuation",
    ),
    pytest.param(
        "an hour‑long press conference — he said",
        "An hour-long press conference, he said...",
        [],
        id="identical-despite-dashes-and-ellipsis",
    ),
]


@pytest.mark.parametrize(("base", "variant", "expected"), CLASS_CASES)
def test_compare_classes_each_difference(base: str, variant: str, expected: list[Difference]):
    assert compare(base, variant)[1] == expected
    assert (words(base) == words(variant)) == (not expected)


def test_tokens_show_words_as_written_removed_before_added():
    tokens, _ = compare(
        "“learning from the mistakes, and figuring out",
        "learning from your mistakes and working out.”",
    )
    assert tokens == [
        DiffToken("learning", "same"),
        DiffToken("from", "same"),
        DiffToken("the", "removed"),
        DiffToken("your", "added"),
        # Same words are shown as the variant writes them.
        DiffToken("mistakes", "same"),
        DiffToken("and", "same"),
        DiffToken("figuring", "removed"),
        DiffToken("working", "added"),
        DiffToken("out.”", "same"),
    ]


def test_tokens_keep_punctuation_with_the_word_it_touches():
    tokens, differences = compare("", "“Not that I’m aware of,” he said. Once … twice—thrice")
    assert [t.text for t in tokens] == [
        "“Not",
        "that",
        "I’m",
        "aware",
        "of,”",
        "he",
        "said.",
        "Once …",
        "twice—",
        "thrice",
    ]
    assert {t.op for t in tokens} == {"added"}
    assert differences == [Difference("extension", "", " ".join(t.text for t in tokens), "start")]


def test_compare_of_empty_texts_finds_nothing():
    assert compare("", "") == ([], [])
    assert words("...") == words("“ ”") == ()


# --- finding variants in the real archived articles ---------------------------------------


def test_life_is_about_learning_is_found_in_both_other_wordings(index, seeds):
    result = found(
        index,
        seeds,
        "resign-report",
        "I think life is about learning from the mistakes and figuring out what you need to "
        "do to move forward",
    )
    texts = wordings(seeds, result)
    assert texts == {
        "independent": "I think life is about learning from your mistakes and working out what "
        "you need to do to move forward",
        "privacy-report": "Life is about learning from the mistakes and figuring out what you "
        "need to do to move forward",
    }
    # 18 of the passage's 20 words each: "the"/"figuring" replaced, or "I think" cut.
    assert [v.score for v in result] == [pytest.approx(0.9), pytest.approx(0.9)]


def test_broad_enough_view_is_found_in_both_other_wordings(index, seeds):
    result = found(
        index,
        seeds,
        "daily-dot",
        "We didn't take a broad enough view of what our responsibility is, and that was a "
        "huge mistake",
    )
    texts = wordings(seeds, result)
    assert texts == {
        "independent": "We didn't take a broad enough view of what our responsibility is. "
        "That was a huge mistake",
        "privacy-report": "We didn't take a broad enough view and that was a huge mistake",
    }
    # Best first: one omitted "and", then five omitted words.
    assert [v.source for v in result] == ["independent", "privacy-report"]
    assert result[0].score == pytest.approx(17 / 18)
    assert result[1].score == pytest.approx(13 / 18)
    # resign-report's "we didn’t take a broad enough view of what our responsibilities were"
    # shares 10 of the 18 words (0.56): below MIN_SHARE, so it is not offered.
    assert "resign-report" not in texts


def test_legal_action_is_found_with_its_substituted_word(index, seeds):
    result = found(
        index,
        seeds,
        "independent",
        "take legal action if we need to do that to protect people's information",
    )
    texts = wordings(seeds, result)
    assert texts == {
        "privacy-report": "take legal action if we need to do that to get people's information"
    }
    assert compare("to protect people's information", "to get people's information")[1] == [
        Difference("substitution", "protect", "get")
    ]


def test_not_that_im_aware_of_finds_the_same_words_but_not_not_that_i_know(index, seeds):
    # A 5-word passage is looked up by 2-word runs, so "not that" does reach daily-dot's
    # "Not that I know"; but "I'm" is not "I", so only 2 of the 5 words match (0.4), below
    # MIN_SHARE: that wording is a different answer, not a variant, and is not offered.
    result = found(index, seeds, "resign-report", "Not that I’m aware of")
    assert wordings(seeds, result) == {"independent": "Not that I'm aware of"}
    assert result[0].score == 1.0


def test_passage_under_min_words_is_not_searched(index, seeds):
    # "Not that I know" is 4 words: too short to tell a variant from a chance match.
    assert variants.MIN_WORDS == 5
    assert found(index, seeds, "daily-dot", "Not that I know") == []
    assert found(index, seeds, "independent", "That was a huge mistake") != []


def test_unrelated_passage_finds_nothing(index, seeds):
    assert found(index, seeds, "apology-report", "There is a campaign on Twitter to") == []


def test_the_source_itself_is_never_returned(index, seeds):
    passages = [
        ("resign-report", "Not that I’m aware of"),
        ("independent", "That was a huge mistake. It was my mistake"),
        ("privacy-report", "Life is about learning from the mistakes"),
    ]
    for sid, quote in passages:
        result = found(index, seeds, sid, quote)
        assert result
        assert sid not in {v.source for v in result}


def test_a_passage_repeated_only_in_its_own_source_finds_nothing():
    text = "He said we will not give up now. Later he said it again: we will not give up now."
    source = make_source("a", text)
    other = make_source("b", "An unrelated story about the weather in spring.")
    index = VariantIndex({"a": source, "b": other})
    assert index.find("a", *anchor(source, "we will not give up now. Later")) == []


def test_offsets_are_whole_words_of_the_original_text(index, seeds):
    quotes = [
        ("resign-report", "I think life is about learning from the mistakes and figuring out"),
        ("daily-dot", "We didn't take a broad enough view of what our responsibility is"),
        ("independent", "take legal action if we need to do that to protect people's information"),
        ("resign-report", "Not that I’m aware of"),
    ]
    for sid, quote in quotes:
        for v in found(index, seeds, sid, quote):
            text = seeds[v.source].text
            span = text[v.start : v.end]
            assert re.match(r"\w", span) and re.search(r"[\w”’\"']$", span), span
            assert v.start == 0 or not text[v.start - 1].isalnum(), span
            assert v.end == len(text) or not text[v.end].isalnum(), span


def test_short_passage_variant_found_through_two_word_runs():
    # "we will not do that" / "we shall not do it": 3 of 5 words in order (0.6, exactly
    # MIN_SHARE) but no run of three in common; short passages are looked up by runs of two.
    a = make_source("a", "Asked about it again, he said we will not do that today.")
    b = make_source("b", "The spokesman said we shall not do it, in the end.")
    index = VariantIndex({"a": a, "b": b})
    result = index.find("a", *anchor(a, "we will not do that"))
    assert result == [Variant("b", b.text.index("we"), b.text.index(" it,"), pytest.approx(0.6))]


def test_only_the_best_wording_per_source_best_sources_first():
    passage = "the board has not discussed whether he should step down as chairman"
    a = make_source("a", f"He said {passage} this year.")
    b = make_source(
        "b",
        "Early on: the board has not talked about whether he steps down.\n"
        "Later: the board has not discussed whether he should step down as chair.\n",
    )
    c = make_source("c", f"Reports say {passage}.")
    result = VariantIndex({"a": a, "b": b, "c": c}).find("a", *anchor(a, passage))
    assert [v.source for v in result] == ["c", "b"]
    assert result[0].score == 1.0
    assert b.text[result[1].start : result[1].end] == (
        "the board has not discussed whether he should step down as"
    )


# --- the index -----------------------------------------------------------------------------


def test_sources_without_a_shared_shingle_are_never_aligned(monkeypatch):
    aligned: list[list[str]] = []

    class CountingMatcher(difflib.SequenceMatcher):
        def __init__(self, isjunk=None, a="", b="", autojunk=True):
            aligned.append(list(b))
            super().__init__(isjunk, a, b, autojunk)

    passage = "the board has not discussed whether he should step down as chairman"
    variant = "Mr Smith said the board had not discussed whether he should step down as chair."
    sources = {
        "a": make_source("a", f"Asked again, he said {passage}."),
        "b": make_source("b", variant),
        # Shares single words ("the", "he") but no run of three.
        "c": make_source("c", "Quarterly revenue rose in the third quarter, he noted."),
        # Shares a run of two ("the board"): long passages are looked up by runs of three.
        "d": make_source("d", "Meanwhile the board met on Tuesday to approve a dividend."),
        "e": make_source("e", ""),
    }
    index = VariantIndex(sources)
    monkeypatch.setattr(variants.difflib, "SequenceMatcher", CountingMatcher)
    result = index.find("a", *anchor(sources["a"], passage))

    assert [v.source for v in result] == ["b"]
    assert len(aligned) == 1
    variant_words = set(re.findall(r"\w+", variant.lower()))
    assert set(aligned[0]) <= variant_words


# Words in the forms wordings differ by: case, typography, punctuation around them.
_FORMS = ["said", "Said", "said,", "“said", "we’re", "we're", "WE'RE", "—", "...", "87", "87,"]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(_FORMS), max_size=6), st.lists(st.sampled_from(_FORMS), max_size=6))
def test_same_words_are_what_compare_finds_no_difference_in(base: list[str], variant: list[str]):
    a, b = " ".join(base), " ".join(variant)
    assert (words(a) == words(b)) == (not compare(a, b)[1])


# --- moved words: the whole of the other wording, and a move called a move ------------------

AUDIT = "We will publish the whole audit report before the summer"


def audit_variant(other_sentence: str) -> str:
    """What an index finds of AUDIT in an article whose quotation is `other_sentence`."""
    a = make_source("a", f'The minister spoke on Monday. "{AUDIT}," she told reporters.\n')
    b = make_source(
        "b",
        "Interview.\n"
        f"The minister promised on Tuesday morning: {other_sentence} Critics in the opposition "
        "were not convinced by the promise.\n",
    )
    (variant,) = VariantIndex({"a": a, "b": b}).find("a", *anchor(a, AUDIT))
    return b.text[variant.start : variant.end]


@pytest.mark.parametrize(
    ("printed", "found_wording"),
    [
        # The in-order alignment stops at "before": "summer" came after "the whole audit", and
        # "the" of "the opposition" lured the aligner away.
        (
            '"We will publish the report of the whole audit before summer."',
            "We will publish the report of the whole audit before summer",
        ),
        # The moved words open the sentence.
        (
            '"Before the summer, we will publish the whole audit report."',
            "Before the summer, we will publish the whole audit report",
        ),
        # The sentence ends on the passage's last word, after words of its own.
        (
            '"We will publish the whole audit report before the end of the summer."',
            "We will publish the whole audit report before the end of the summer",
        ),
    ],
)
def test_a_wording_with_moved_or_added_words_is_found_whole(printed: str, found_wording: str):
    assert audit_variant(printed) == found_wording


def test_a_found_wording_is_not_widened_past_its_sentence_or_over_other_words():
    # "summer" and "before" are in the article, but in the next sentence.
    assert (
        audit_variant('"We will publish the report of the whole audit." Summer is near, before it.')
        == "We will publish the report of the whole audit"
    )
    # A stray "the" three words away is not taken in: it is not worth the words between.
    assert (
        audit_variant(
            '"We will publish the whole audit report before summer and then the board votes."'
        )
        == "We will publish the whole audit report before summer"
    )


def test_tokens_show_a_move_at_both_places():
    tokens, _ = compare(AUDIT, "We will publish the report of the whole audit before summer")
    assert runs(tokens) == [
        DiffToken("We will publish the", "same"),
        DiffToken("report", "moved"),
        DiffToken("of the", "added"),
        DiffToken("whole audit", "same"),
        DiffToken("report", "moved-from"),
        DiffToken("before", "same"),
        DiffToken("the", "removed"),
        DiffToken("summer", "same"),
    ]
