"""Passages: highlights on source pages (overlaps merged) and quotations in context."""

from __future__ import annotations

from generator.analyse import anchoring, passages
from generator.diagnostics import Location
from generator.load.sources import split_paragraphs
from generator.model import Anchor, QuoteRef, Source


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


def anchor_all(source: Source, *quotes: str) -> dict[QuoteRef, Anchor]:
    """Anchor quotations the way the build does; each must be found."""
    index = anchoring.SourceIndex(source)
    anchors = {}
    for n, quote in enumerate(quotes, 1):
        ref = QuoteRef(source.id, quote, None, "", Location("content/claims/c.yaml", n, 1))
        finding = index.find(ref)
        assert finding.anchor is not None, finding.message
        anchors[ref] = finding.anchor
    return anchors


def marked(source: Source, highlight: passages.Highlight) -> str:
    return source.text[highlight.start : highlight.end]


def plain(runs: list[passages.Segment]) -> str:
    return "".join(r.text for r in runs)


# --- highlights ----------------------------------------------------------------------------

TEXT = (
    "Zuckerberg said the firm had 87 million users affected, mostly in the US.\n"
    "He added that it was a mistake. He will not step down.\n"
)


def test_overlapping_quotes_merge_into_one_highlight():
    source = make_source(TEXT)
    anchors = anchor_all(source, "the firm had 87 million users", "87 million users affected")
    marks = passages.highlights(source, anchors)
    assert len(marks) == 1
    start = TEXT.index("the firm had")
    assert (marks[0].start, marks[0].end) == (start, TEXT.index(" affected") + len(" affected"))
    assert marked(source, marks[0]) == "the firm had 87 million users affected"
    assert marks[0].refs == tuple(anchors)
    assert marks[0].id == f"q-{start}"


def test_a_quote_inside_another_merges_into_the_larger():
    source = make_source(TEXT)
    anchors = anchor_all(source, "87 million", "the firm had 87 million users affected")
    marks = passages.highlights(source, anchors)
    assert [marked(source, h) for h in marks] == ["the firm had 87 million users affected"]
    assert set(marks[0].refs) == set(anchors)


def test_separate_quotes_stay_separate_in_reading_order():
    source = make_source(TEXT)
    anchors = anchor_all(source, "He will not step down", "mostly in the US", "87 million")
    marks = passages.highlights(source, anchors)
    assert [marked(source, h) for h in marks] == [
        "87 million",
        "mostly in the US",
        "He will not step down",
    ]
    assert [h.start for h in marks] == sorted(h.start for h in marks)
    assert len({h.id for h in marks}) == 3


def test_highlights_only_cover_their_own_source():
    source = make_source(TEXT)
    other = make_source(TEXT, "other")
    anchors = {**anchor_all(source, "87 million"), **anchor_all(other, "it was a mistake")}
    assert [marked(source, h) for h in passages.highlights(source, anchors)] == ["87 million"]
    assert [marked(other, h) for h in passages.highlights(other, anchors)] == ["it was a mistake"]


def test_elided_quote_gives_a_highlight_per_part_and_links_to_the_first():
    source = make_source(TEXT)
    anchors = anchor_all(source, "Zuckerberg said ... mostly in the US")
    marks = passages.highlights(source, anchors)
    assert [marked(source, h) for h in marks] == ["Zuckerberg said", "mostly in the US"]
    (ref,) = anchors
    assert passages.fragments(marks, anchors) == {ref: marks[0].id}


def test_fragments_point_each_quote_at_the_highlight_holding_its_start():
    source = make_source(TEXT)
    anchors = anchor_all(
        source, "the firm had 87 million", "87 million users affected", "He will not"
    )
    marks = passages.highlights(source, anchors)
    frags = passages.fragments(marks, anchors)
    first, second, third = anchors
    assert frags[first] == frags[second] == marks[0].id
    assert frags[third] == marks[1].id


def test_paragraph_segments_cut_highlights_at_paragraph_ends():
    source = make_source(TEXT)
    anchors = anchor_all(source, "mostly in the US. He added that")
    marks = passages.highlights(source, anchors)
    paragraphs = passages.paragraph_segments(source, marks)
    assert len(paragraphs) == 2
    # Each paragraph's runs give back its text exactly.
    for runs, paragraph in zip(paragraphs, source.paragraphs, strict=True):
        assert plain(runs) == TEXT[paragraph.start : paragraph.end]
    first_marked = [r for r in paragraphs[0] if r.mark]
    second_marked = [r for r in paragraphs[1] if r.mark]
    assert [r.text for r in first_marked] == ["mostly in the US."]
    assert [r.text for r in second_marked] == ["He added that"]
    # The element id goes on the run where the highlight starts, only.
    assert first_marked[0].anchor == marks[0].id
    assert second_marked[0].anchor == ""
    assert first_marked[0].mark == second_marked[0].mark == marks[0].id


# --- sentences and context -----------------------------------------------------------------

STORY = (
    "First sentence here. The mayor said “it cost 2 million.” Nobody objected! Was it true?\n"
    "A new paragraph starts. It ends here.\n"
)


def test_sentences_end_at_punctuation_and_at_paragraph_ends():
    source = make_source(STORY)
    spans = passages.sentences(source)
    assert [STORY[a:b].strip() for a, b in spans] == [
        "First sentence here.",
        "The mayor said “it cost 2 million.”",
        "Nobody objected!",
        "Was it true?",
        "A new paragraph starts.",
        "It ends here.",
    ]


def context_of(text: str, quote: str) -> list[list[passages.Segment]]:
    source = make_source(text)
    (anchor,) = anchor_all(source, quote).values()
    return passages.context(source, anchor, passages.sentences(source))


def test_context_gives_the_sentence_before_and_after():
    paragraphs = context_of(STORY, '"it cost 2 million."')
    assert len(paragraphs) == 1
    (runs,) = paragraphs
    assert (
        plain(runs) == "First sentence here. The mayor said “it cost 2 million.” Nobody objected!"
    )
    quoted = [r for r in runs if r.mark]
    assert [r.text for r in quoted] == ["“it cost 2 million.”"]
    assert quoted[0].mark == "quote"


def test_context_at_the_start_has_no_sentence_before():
    (runs,) = context_of(STORY, "First sentence")
    assert plain(runs) == "First sentence here. The mayor said “it cost 2 million.”"
    assert runs[0].mark == "quote"


def test_context_continues_into_the_next_paragraph():
    paragraphs = context_of(STORY, "Was it true?")
    assert [plain(p) for p in paragraphs] == [
        "Nobody objected! Was it true?",
        "A new paragraph starts.",
    ]


def test_context_at_the_very_end_has_no_sentence_after():
    paragraphs = context_of(STORY, "It ends here.")
    assert [plain(p) for p in paragraphs] == ["A new paragraph starts. It ends here."]


def test_context_of_an_elided_quote_marks_each_part():
    (runs,) = context_of(STORY, "The mayor said ... 2 million")
    assert [r.text for r in runs if r.mark] == ["The mayor said", "2 million"]
    assert plain(runs).startswith("First sentence here.")
    assert plain(runs).endswith("Nobody objected!")
