"""Quote verification: exact matching up to typography, elisions, ambiguity, anchors."""

from __future__ import annotations

import pytest

from generator.analyse import anchoring
from generator.diagnostics import Diagnostics, Location
from generator.load.sources import split_paragraphs
from generator.model import QuoteRef, Source

WHERE = Location("content/claims/c.yaml", 7, 12)


def make_source(text: str, sid: str = "art") -> Source:
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


def ref(quote: str, occurrence: int | None = None, prefix: str = "", source: str = "art"):
    return QuoteRef(source, quote, occurrence, prefix, WHERE)


def find(text: str, quote: str, occurrence: int | None = None, prefix: str = ""):
    return anchoring.SourceIndex(make_source(text)).find(ref(quote, occurrence, prefix))


def spans_text(text: str, finding: anchoring.Finding) -> list[str]:
    assert finding.anchor is not None, (finding.message, finding.hint)
    return [text[a:b] for a, b in finding.anchor.spans]


# --- exact matches -------------------------------------------------------------------------


def test_exact_match_gives_offsets_of_the_quote_in_the_text():
    quote = "We never put out the 50 million number"
    text = f"Opening line.\nHe said: {quote}, that was other parties.\n"
    finding = find(text, quote)
    assert finding.anchor is not None
    assert finding.anchor.source == "art"
    start = text.index(quote)
    assert finding.anchor.spans == ((start, start + len(quote)),)
    assert (finding.anchor.start, finding.anchor.end) == (start, start + len(quote))


def test_surrounding_white_space_of_the_quote_is_ignored():
    text = "He said the figure was wrong.\n"
    finding = find(text, "  the figure was wrong \n")
    assert spans_text(text, finding) == ["the figure was wrong"]


# --- typography ----------------------------------------------------------------------------

TYPOGRAPHIC_CASES = [
    # (passage as archived, quote as an editor typed it)
    ("He said “we’re fine” today", 'He said "we\'re fine" today'),
    ('He said "we\'re fine" today', "He said “we’re fine” today"),
    ("«Bonjour» dit-il", '"Bonjour" dit-il'),
    ("„Hallo“ sagte er", '"Hallo" sagte er'),
    ("‚hi‘ she said", "'hi' she said"),
    ("the 2016–2018 period", "the 2016-2018 period"),
    ("yes — or no", "yes - or no"),
    ("yes - or no", "yes — or no"),
    ("one  two\t three", "one two three"),
    ("one two three", "one\n   two three"),
    ("line one\nline two", "line one line two"),
    ("wait… what now", "wait... what now"),
    ("wait... what now", "wait… what now"),
]


@pytest.mark.parametrize(("passage", "quote"), TYPOGRAPHIC_CASES)
def test_typographic_variants_match_and_anchor_the_original_wording(passage, quote):
    text = f"Before this.\nIt is said: {passage} and more.\nAfter this.\n"
    finding = find(text, quote)
    assert finding.anchor is not None, (finding.message, finding.hint)
    assert text[finding.anchor.start : finding.anchor.end] == passage


@pytest.mark.parametrize(
    ("passage", "quote"),
    [
        ("We never put out", "we never put out"),
        ("the colour of money", "the color of money"),
        ("fifty million users", "50 million users"),
        ("the data was shared", "the data were shared"),
    ],
)
def test_letters_case_and_words_are_not_normalised(passage, quote):
    text = f"{passage}, he said.\n"
    finding = find(text, quote)
    assert finding.anchor is None
    assert finding.message == f"quote not found in source 'art': \"{quote}\""


def test_anchor_maps_back_through_expanded_and_collapsed_characters():
    # "…" becomes three characters and the white-space run becomes one when normalised; the
    # anchor must still point at the original characters, curly quotes included.
    text = "Wait…   then he said “yes,   we did” and left.\n"
    finding = find(text, '"yes, we did"')
    start = text.index("“yes")
    end = text.index("did”") + len("did”")
    assert finding.anchor is not None
    assert finding.anchor.spans == ((start, end),)
    assert text[start:end] == "“yes,   we did”"


# --- elisions ------------------------------------------------------------------------------


@pytest.mark.parametrize("mark", ["...", "…", " ... ", " … "])
def test_elided_parts_in_order_within_one_paragraph_match(mark):
    text = "Intro.\nThe firm had 87 million users, most of them in the US, he said.\n"
    finding = find(text, f"The firm had{mark}most of them in the US")
    assert spans_text(text, finding) == ["The firm had", "most of them in the US"]
    first, second = finding.anchor.spans
    assert first[0] == text.index("The firm had")
    assert second[0] == text.index("most of them")


def test_elision_across_paragraphs_fails_with_a_hint_about_paragraphs():
    text = "The firm had 87 million users.\nMost of them were in the US.\n"
    quote = "The firm had ... Most of them"
    finding = find(text, quote)
    assert finding.anchor is None
    assert finding.message == f"quote not found in source 'art': \"{quote}\""
    assert "cannot span paragraphs" in finding.hint


def test_elided_parts_out_of_order_fail():
    text = "The firm had 87 million users, most of them in the US.\n"
    quote = "most of them ... The firm had"
    finding = find(text, quote)
    assert finding.anchor is None
    assert "not in this order" in finding.hint


def test_elision_with_a_missing_part_names_the_closest_passage_for_that_part():
    text = "The firm had 87 million users, most of them in the United States.\n"
    finding = find(text, "The firm had ... most of them in the Untied States")
    assert finding.anchor is None
    assert finding.hint == 'closest passage: "most of them in the United States"'


def test_quote_of_only_an_elision_is_empty():
    finding = find("Some text.\n", " … ")
    assert finding.anchor is None
    assert finding.message == "quote is empty"


# --- not found -----------------------------------------------------------------------------


def test_not_found_names_the_source_and_the_closest_passage():
    text = (
        "Zuckerberg spoke on Wednesday.\n"
        "He said the firm had no more than 30 million users affected at the time.\n"
        "Critics disagreed.\n"
    )
    quote = "no more then 30 million"
    finding = find(text, quote)
    assert finding.anchor is None
    assert finding.message == f"quote not found in source 'art': \"{quote}\""
    assert finding.hint == 'closest passage: "no more than 30 million"'


def test_closest_passage_is_quoted_in_the_original_typography():
    text = "Intro.\nHe called it “a  breach   of trust” on air.\n"
    finding = find(text, '"a breech of trust"')
    assert finding.anchor is None
    assert finding.hint == 'closest passage: "a breach of trust"'


def test_nothing_similar_says_so():
    finding = find("The firm had 87 million users.\n", "zebra quantum harmonica")
    assert finding.anchor is None
    assert finding.hint == "no similar passage in this source"


def test_word_boundaries_are_respected():
    assert find("About 150 million people.\n", "50 million").anchor is None
    assert find("About 50 millions of people.\n", "50 million").anchor is None
    text = "About 150 million people, not 50 million.\n"
    finding = find(text, "50 million")
    assert finding.anchor is not None
    assert finding.anchor.start == text.index("not 50 million") + len("not ")


# --- ambiguity, occurrence and prefix -------------------------------------------------------


def test_ambiguous_quote_is_an_error_naming_the_count_and_lines():
    text = "He said sorry.\nNothing else.\nLater he said sorry.\n"
    finding = find(text, "said sorry")
    assert finding.anchor is None
    assert "ambiguous" in finding.message
    assert "occurs 2 times in source 'art'" in finding.message
    assert "(archive lines 1, 3)" in finding.message
    assert "occurrence" in finding.hint
    assert "1 to 2" in finding.hint


def test_occurrence_picks_the_nth_match_in_the_original_text():
    text = "First: “we are sorry” he said.\nThen, again: “we are sorry” on air.\n"
    second = text.index("“we are sorry”", text.index("“we are sorry”") + 1)
    finding = find(text, '"we are sorry"', occurrence=2)
    assert finding.anchor is not None
    assert finding.anchor.spans == ((second, second + len("“we are sorry”")),)
    first = find(text, '"we are sorry"', occurrence=1)
    assert first.anchor is not None
    assert first.anchor.start == text.index("“we are sorry”")


def test_occurrence_out_of_range_is_an_error():
    finding = find("a sorry b sorry c\n", "sorry", occurrence=3)
    assert finding.anchor is None
    assert "occurrence 3" in finding.message
    assert "2 time(s)" in finding.message
    assert finding.hint == "use a number from 1 to 2"


def test_prefix_disambiguates():
    text = "The CEO said sorry. The board said sorry too.\n"
    finding = find(text, "said sorry", prefix="The board")
    assert finding.anchor is not None
    assert finding.anchor.start == text.index("The board said") + len("The board ")


def test_prefix_is_compared_after_typographic_normalisation():
    text = "“Yes” — said sorry. Then “No” — said sorry.\n"
    finding = find(text, "said sorry", prefix='"No" -')
    assert finding.anchor is not None
    assert finding.anchor.start == text.rindex("said sorry")


def test_prefix_that_is_not_there_is_an_error():
    text = "The CEO said sorry. The board said sorry too.\n"
    finding = find(text, "said sorry", prefix="The chairman")
    assert finding.anchor is None
    assert "prefix 'The chairman'" in finding.message


# --- anchor_quotes -------------------------------------------------------------------------


def test_anchor_quotes_reports_every_failure_and_anchors_the_rest():
    text_a = "Alpha says hello world.\n"
    text_b = "Beta says goodbye moon.\n"
    sources = {"a": make_source(text_a, "a"), "b": make_source(text_b, "b")}
    good = QuoteRef("a", "hello world", None, "", Location("content/claims/x.yaml", 3, 12))
    wrong_source = QuoteRef("a", "goodbye moon", None, "", Location("content/claims/x.yaml", 5, 12))
    missing = QuoteRef("b", "hello moon", None, "", Location("content/claims/y.yaml", 4, 9))
    diags = Diagnostics()
    anchors = anchoring.anchor_quotes([good, wrong_source, missing], sources, diags)

    assert list(anchors) == [good]
    start = text_a.index("hello world")
    assert anchors[good].source == "a"
    assert anchors[good].spans == ((start, start + len("hello world")),)

    errors = diags.errors
    assert [(e.path, e.line, e.col) for e in errors] == [
        ("content/claims/x.yaml", 5, 12),
        ("content/claims/y.yaml", 4, 9),
    ]
    assert errors[0].message == "quote not found in source 'a': \"goodbye moon\""
    assert errors[1].message == "quote not found in source 'b': \"hello moon\""


def test_normalise_keeps_a_map_to_original_offsets():
    text = "a\u2014b  “c”…"
    norm = anchoring.normalise(text)
    assert norm.text == 'a-b "c"...'
    # Every normalised character maps back into the character it came from.
    for i, char in enumerate(norm.text):
        original = text[norm.starts[i] : norm.ends[i]]
        assert anchoring.normalise(original).text.startswith(char) or original.isspace()
    assert norm.original_span(0, len(norm.text)) == (0, len(text))


def test_each_quotation_is_searched_in_its_own_source_only(monkeypatch: pytest.MonkeyPatch):
    """Anchoring scales with the quotations, not with quotations times sources: each one is
    looked for in the source it names, never in the others (even one that holds it)."""
    sources = {
        "a": make_source("He said the data was gone for good.", "a"),
        "b": make_source("She said the data was gone for good, too.", "b"),
        "c": make_source("Nothing quoted from here.", "c"),
    }
    searched: list[tuple[str, str]] = []
    find = anchoring.SourceIndex.find
    monkeypatch.setattr(
        anchoring.SourceIndex,
        "find",
        lambda self, r: searched.append((self.source.id, r.source)) or find(self, r),
    )
    quotes = [
        ref("the data was gone for good", source="a"),
        ref("She said", source="b"),
        ref("He said", source="b"),  # only in a: not found, though a holds it
    ]
    diags = Diagnostics()
    anchors = anchoring.anchor_quotes(quotes, sources, diags)
    assert sorted(searched) == [("a", "a"), ("b", "b"), ("b", "b")]
    assert set(anchors) == set(quotes[:2])
    assert anchors[quotes[0]].spans == ((8, 34),)
    messages = [d.message for d in diags.sorted()]
    assert len(messages) == 1 and messages[0].startswith("quote not found in source 'b'")
