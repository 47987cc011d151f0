"""Discrepancies: figures checked against their quotations, pairs of figures classed within a
measure, and other outlets' wordings of a quotation gathered, on small scratch sites."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

import pytest
from conftest import run_cli

from generator.analyse import anchoring, discrepancies, variants
from generator.analyse.discrepancies import Discrepancies
from generator.config import Options
from generator.diagnostics import Diagnostics, Severity
from generator.load import content, loader, validate

SITE_YAML = """\
title: Test checks
base_url: https://example.org/
publisher:
  name: Test Org
"""

MEASURE_YAML = """\
title: Members of the club
unit: members
description: How many members the club has.
"""


def source_files(sid: str, text: str, outlet: str = "") -> dict[str, str | bytes]:
    """An archived article and its source file, with the right checksum."""
    data = text.encode()
    yaml_text = (
        f"file: {sid}.txt\n"
        f'title: "Report {sid}"\n'
        + (f'outlet: "{outlet}"\n' if outlet else "")
        + f"sha256: {hashlib.sha256(data).hexdigest()}\n"
    )
    return {f"seeds/{sid}.txt": data, f"content/sources/{sid}.yaml": yaml_text}


def claim_yaml(appearances: list[tuple[str, str]], figure: dict[str, str] | None = None) -> str:
    """A claim file quoting (source, quote) pairs, with an optional figure mapping."""
    lines = ['claim: "A claim about numbers"', "claimant: Jane Doe", "appearances:"]
    for source, quote in appearances:
        lines += [f"  - source: {source}", f'    quote: "{quote}"']
    lines += [
        "rating: unproven",
        "summary: The archive does not settle it.",
        "analysis: |",
        "  The article says so.",
        "published: 2024-03-05",
    ]
    if figure is not None:
        lines.append("figure:")
        lines += [f"  {key}: {value}" for key, value in figure.items()]
    return "\n".join(lines) + "\n"


def site(**files: str | bytes) -> dict[str, str | bytes]:
    return {"content/site.yaml": SITE_YAML, "content/measures/members.yaml": MEASURE_YAML, **files}


def analyse(root: Path) -> tuple[Discrepancies, Diagnostics]:
    """Run the build's stages up to the discrepancy analysis, as the pipeline does."""
    diags = Diagnostics()
    raw = validate.check_content(loader.load_content(root, diags), diags)
    model = content.build(raw, Options(), diags)
    assert model is not None
    analysis = anchoring.analyse(model, diags)
    assert not diags.errors, [d.format() for d in diags.errors]
    assert not diags.warnings, [d.format() for d in diags.warnings]
    return discrepancies.analyse(model, analysis.anchors, diags), diags


def figure_block(text: str) -> range:
    """The 1-based lines of the `figure:` mapping in a claim file."""
    lines = text.split("\n")
    start = next(i for i, line in enumerate(lines, 1) if line.startswith("figure:"))
    end = start
    while end < len(lines) and lines[end].startswith("  "):
        end += 1
    return range(start, end + 1)


# --- figures checked against the bound words of their quotation -----------------------------

ARTICLE = (
    "Data leak report.\n"
    "The company said up to 87 million users were affected, a figure it called a maximum.\n"
    "Researchers found that upwards of 50 million profiles had been copied.\n"
    "The app was installed by around 300,000 people.\n"
    "In Australia 311,127 users were affected.\n"
    "A spokesman later spoke of eighty-seven million accounts.\n"
)


def figure_site(quote: str, value: str, bound: str) -> dict[str, str | bytes]:
    figure = {"measure": "members", "value": value, "bound": bound}
    return site(
        **source_files("a", ARTICLE),
        **{"content/claims/c.yaml": claim_yaml([("a", quote)], figure)},
    )


MISMATCHES = [
    # (quote, value, bound in YAML, bound the words give, the words)
    ("up to 87 million users were affected", "87000000", "exact", "at-most", "up to"),
    ("upwards of 50 million profiles", "50000000", "at-most", "at-least", "upwards of"),
    ("installed by around 300,000 people", "300000", "exact", "about", "around"),
    ("up to 87 million users were affected", "87000000", "about", "at-most", "up to"),
]


@pytest.mark.parametrize(("quote", "value", "bound", "said", "words"), MISMATCHES)
def test_bound_mismatch_is_a_warning_at_the_figure_naming_both(
    scratch_site, quote, value, bound, said, words
):
    files = figure_site(quote, value, bound)
    root = scratch_site(files)
    diags = Diagnostics()
    raw = validate.check_content(loader.load_content(root, diags), diags)
    model = content.build(raw, Options(), diags)
    assert model is not None
    analysis = anchoring.analyse(model, diags)
    assert not diags.sorted()
    discrepancies.analyse(model, analysis.anchors, diags)

    (warning,) = diags.sorted()
    assert warning.severity is Severity.WARNING
    assert warning.path == "content/claims/c.yaml"
    assert warning.line in figure_block(str(files["content/claims/c.yaml"]))
    # Both bounds are named: the YAML's, and the one the quotation's words give.
    assert f"'{bound}'" in warning.message
    assert f"({said})" in warning.message
    assert words in warning.message
    assert f"bound: {said}" in warning.hint


def test_bound_mismatch_warns_in_a_build_and_fails_it_under_strict(scratch_site, tmp_path):
    files = figure_site("up to 87 million users were affected", "87000000", "exact")
    root = scratch_site(files)
    lines = figure_block(str(files["content/claims/c.yaml"]))

    relaxed = run_cli("build", "--root", str(root), "--out", str(tmp_path / "relaxed"))
    assert relaxed.returncode == 0, relaxed.stderr
    warnings = [line for line in relaxed.stderr.splitlines() if ": warning: " in line]
    assert len(warnings) == 1, relaxed.stderr
    assert "error" not in relaxed.stderr

    strict = run_cli("build", "--root", str(root), "--out", str(tmp_path / "strict"), "--strict")
    assert strict.returncode == 1, strict.stderr
    errors = [line for line in strict.stderr.splitlines() if ": error: " in line]
    assert len(errors) == 1, strict.stderr
    match = re.match(r"content/claims/c\.yaml:(\d+)(?::\d+)?: error: (.*)$", errors[0])
    assert match, errors[0]
    assert int(match.group(1)) in lines
    assert "'exact'" in match.group(2) and "up to" in match.group(2)
    assert "(at-most)" in match.group(2)
    assert not (tmp_path / "strict").exists()


def test_figure_missing_from_every_quotation_is_a_warning(scratch_site):
    # The quotation gives 87 million; the YAML says 50 million.
    files = figure_site("up to 87 million users were affected", "50000000", "at-most")
    root = scratch_site(files)
    diags = Diagnostics()
    raw = validate.check_content(loader.load_content(root, diags), diags)
    model = content.build(raw, Options(), diags)
    assert model is not None
    analysis = anchoring.analyse(model, diags)
    discrepancies.analyse(model, analysis.anchors, diags)

    (warning,) = diags.sorted()
    assert warning.severity is Severity.WARNING
    assert warning.path == "content/claims/c.yaml"
    assert warning.line in figure_block(str(files["content/claims/c.yaml"]))
    assert "50 million" in warning.message
    assert "does not appear" in warning.message


CONSISTENT = [
    ("up to 87 million users were affected", "87000000", "at-most"),
    ("upwards of 50 million profiles", "50000000", "at-least"),
    ("installed by around 300,000 people", "300000", "about"),
    ("In Australia 311,127 users were affected.", "311127", "exact"),
    # Written in words: still found, and no bound word before it.
    ("spoke of eighty-seven million accounts", "87000000", "exact"),
]


@pytest.mark.parametrize(("quote", "value", "bound"), CONSISTENT)
def test_consistent_bound_gives_no_diagnostic(scratch_site, quote, value, bound):
    root = scratch_site(figure_site(quote, value, bound))
    found, diags = analyse(root)
    assert diags.sorted() == []
    (report,) = found.measures
    (row,) = report.rows
    assert row.figure.value == float(value)
    assert row.figure.bound == bound


def test_consistent_figure_builds_under_strict(scratch_site, tmp_path):
    root = scratch_site(figure_site("up to 87 million users were affected", "87000000", "at-most"))
    result = run_cli("build", "--root", str(root), "--out", str(tmp_path / "out"), "--strict")
    assert result.returncode == 0, result.stderr
    assert "warning" not in result.stderr


# --- pairs of figures in one measure ---------------------------------------------------------

CLUB = (
    "Club news.\n"
    "The secretary counted 100 members at the meeting.\n"
    "The treasurer said there were up to 80 members.\n"
    "A founder spoke of at least 90 members.\n"
    "The chair said about 95 members came.\n"
    "The club employs 5 members of staff.\n"
    "Abroad the club has 1000 members in other towns.\n"
)

# id -> (quote, value, bound, counted, scope)
CLUB_FIGURES = {
    "exact-100": ("counted 100 members at the meeting", "100", "exact", "members", "town"),
    "most-80": ("there were up to 80 members", "80", "at-most", "members", "town"),
    "least-90": ("spoke of at least 90 members", "90", "at-least", "members", "town"),
    "about-95": ("said about 95 members came", "95", "about", "members", "town"),
    # Counts something else: 5 staff would contradict 100 members if it counted members.
    "staff-5": ("employs 5 members of staff", "5", "exact", "staff", "town"),
    # Another scope: 1000 abroad would contradict "up to 80" in town.
    "abroad-1000": ("has 1000 members in other towns", "1000", "exact", "members", "abroad"),
}

# Worked out by hand from the intervals: 100 = [100, 100], up to 80 = (-inf, 80],
# at least 90 = [90, inf), about 95 = [85.5, 104.5].
SAME_QUANTITY = {
    ("exact-100", "most-80"): "contradictory",
    ("exact-100", "least-90"): "compatible",
    ("exact-100", "about-95"): "compatible",
    ("most-80", "least-90"): "contradictory",
    ("most-80", "about-95"): "contradictory",
    ("least-90", "about-95"): "compatible",
}
OTHERS = {"staff-5", "abroad-1000"}


@pytest.fixture
def club(scratch_site) -> Discrepancies:
    files = site(**source_files("club", CLUB))
    for cid, (quote, value, bound, counted, scope) in CLUB_FIGURES.items():
        figure = {
            "measure": "members",
            "value": value,
            "bound": bound,
            "counted": counted,
            "scope": scope,
        }
        files[f"content/claims/{cid}.yaml"] = claim_yaml([("club", quote)], figure)
    found, diags = analyse(scratch_site(files))
    assert diags.sorted() == [], [d.format() for d in diags.sorted()]
    return found


def test_every_pair_of_a_measure_is_classed(club):
    (report,) = club.measures
    kinds = {frozenset((p.a.claim.id, p.b.claim.id)): p.kind for p in report.pairs}
    ids = list(CLUB_FIGURES)
    # Every pair once, and only pairs of two different figures.
    assert len(report.pairs) == len(ids) * (len(ids) - 1) // 2
    assert len(kinds) == len(report.pairs)
    for (a, b), kind in SAME_QUANTITY.items():
        assert kinds[frozenset((a, b))] == kind, (a, b)
    for pair, kind in kinds.items():
        if pair & OTHERS:
            assert kind == "different-quantity", sorted(pair)


def test_different_quantities_are_never_contradictory_even_when_disjoint(club):
    (report,) = club.measures
    for pair in report.pairs:
        ids = {pair.a.claim.id, pair.b.claim.id}
        if not ids & OTHERS:
            continue
        assert pair.kind != "contradictory"
        # Some of these pairs are far apart: 5 staff and 100 members, 1000 abroad and
        # up to 80 in town. Had they counted the same thing they would contradict.
    disjoint = [
        p
        for p in report.pairs
        if {p.a.claim.id, p.b.claim.id} & OTHERS
        and (p.a.interval.high < p.b.interval.low or p.b.interval.high < p.a.interval.low)
    ]
    assert len(disjoint) >= 2
    assert all(p.kind == "different-quantity" for p in disjoint)
    assert report.count("contradictory") == 3
    assert report.count("compatible") == 3
    assert report.count("different-quantity") == 9
    assert report.other_quantities() == 2


def test_rows_put_the_main_quantity_first_then_largest_value_first(club):
    (report,) = club.measures
    order = [r.claim.id for r in report.rows]
    main = [cid for cid in CLUB_FIGURES if cid not in OTHERS]
    assert set(order[: len(main)]) == set(main)
    assert set(order[len(main) :]) == OTHERS

    def values(ids: list[str]) -> list[float]:
        return [float(CLUB_FIGURES[cid][1]) for cid in ids]

    assert values(order[: len(main)]) == sorted(values(main), reverse=True)
    assert values(order[len(main) :]) == sorted(values(list(OTHERS)), reverse=True)


def test_rows_carry_interval_and_the_quoted_bound_words(club):
    (report,) = club.measures
    rows = {r.claim.id: r for r in report.rows}
    assert rows["most-80"].bound_words == "up to"
    assert rows["least-90"].bound_words == "at least"
    assert rows["about-95"].bound_words == "about"
    assert rows["exact-100"].bound_words == ""
    assert (rows["about-95"].interval.low, rows["about-95"].interval.high) == pytest.approx(
        (95 * 0.9, 95 * 1.1)
    )
    assert rows["most-80"].interval.high == 80
    assert rows["least-90"].interval.low == 90


def test_measure_without_figures_has_no_report(scratch_site):
    files = site(
        **source_files("a", ARTICLE),
        **{"content/claims/c.yaml": claim_yaml([("a", "up to 87 million users were affected")])},
    )
    found, _ = analyse(scratch_site(files))
    assert found.measures == []


# --- variants: other outlets' wordings ------------------------------------------------------

PASSAGE = "We are going to fix this problem and we will make sure that it never happens again"

OUTLET_A = f"Morning report.\nThe mayor spoke to reporters. {PASSAGE}, she said on Monday.\n"
# Cut short at the start: "We are" is missing.
OUTLET_B = (
    "Evening news.\n"
    "Asked about the flood, the mayor was firm: "
    "going to fix this problem and we will make sure that it never happens again, she told "
    "the crowd.\n"
)
# One word replaced in the middle, and one left out.
OUTLET_C = (
    "Weekly digest.\n"
    "The mayor said: We are going to solve this problem and we will make sure it never happens "
    "again.\n"
)
OUTLETS = {"a": ("A Times", OUTLET_A), "b": ("B Post", OUTLET_B), "c": ("C Weekly", OUTLET_C)}


def variant_site(appearances: list[tuple[str, str]]) -> dict[str, str | bytes]:
    files = site()
    for sid, (outlet, text) in OUTLETS.items():
        files.update(source_files(sid, text, outlet))
    files["content/claims/mayor.yaml"] = claim_yaml(appearances)
    return files


def test_one_anchored_passage_finds_the_other_outlets_wordings(scratch_site):
    found, _ = analyse(scratch_site(variant_site([("a", PASSAGE)])))
    (quotation,) = found.quotations
    assert quotation.claim.id == "mayor"
    assert quotation.id == "mayor"
    by_source = {w.source.id: w for w in quotation.wordings}
    assert quotation.wordings[0].source.id == "a"
    assert set(by_source) == {"a", "b", "c"}
    assert by_source["a"].annotated is True
    assert by_source["b"].annotated is False
    assert by_source["c"].annotated is False
    assert by_source["a"].text == PASSAGE
    # Each found wording is the other outlet's text, from its first to its last matched word.
    assert by_source["b"].text == (
        "going to fix this problem and we will make sure that it never happens again"
    )
    assert by_source["c"].text == (
        "We are going to solve this problem and we will make sure it never happens again"
    )
    for wording in quotation.wordings:
        assert " ".join(wording.source.text[wording.start : wording.end].split()) == wording.text


def test_found_wordings_have_their_differences_classed(scratch_site):
    found, _ = analyse(scratch_site(variant_site([("a", PASSAGE)])))
    (quotation,) = found.quotations
    by_source = {w.source.id: w for w in quotation.wordings}
    assert by_source["a"].differences == [] and by_source["a"].tokens == []
    assert by_source["b"].differences == [variants.Difference("truncation", "We are", "", "start")]
    assert by_source["c"].differences == [
        variants.Difference("substitution", "fix", "solve"),
        variants.Difference("omission", "that", ""),
    ]
    # The tokens rebuild both texts: the first from same and removed, the other from same and
    # added words.
    for sid in ("b", "c"):
        tokens = by_source[sid].tokens
        base = [t.text for t in tokens if t.op != "added"]
        other = [t.text for t in tokens if t.op != "removed"]
        assert " ".join(base) == PASSAGE
        assert " ".join(other) == by_source[sid].text
    assert quotation.distinct == 3


def test_passage_under_min_words_yields_no_quotation(scratch_site):
    # The same few words are in all three articles, but too few to be looked up.
    short = " ".join(PASSAGE.split()[5 : 5 + variants.MIN_WORDS - 1])
    assert short in OUTLET_A and short in OUTLET_B and short in OUTLET_C
    found, _ = analyse(scratch_site(variant_site([("a", short)])))
    assert found.quotations == []


def test_passage_of_min_words_is_looked_up(scratch_site):
    # One word more than the case above: now the other outlets' wordings are found.
    passage = " ".join(PASSAGE.split()[5 : 5 + variants.MIN_WORDS])
    assert passage in OUTLET_A and passage in OUTLET_B
    found, _ = analyse(scratch_site(variant_site([("a", passage)])))
    (quotation,) = found.quotations
    assert {w.source.id for w in quotation.wordings} >= {"a", "b"}


def test_an_editors_quotation_replaces_the_found_one_for_the_same_passage(scratch_site):
    # The editor quotes more of outlet B's sentence than the build alone finds.
    quote_b = (
        "going to fix this problem and we will make sure that it never happens again, she told "
        "the crowd"
    )
    found, _ = analyse(scratch_site(variant_site([("a", PASSAGE), ("b", quote_b)])))
    (quotation,) = found.quotations
    sources = [w.source.id for w in quotation.wordings]
    assert sorted(sources) == ["a", "b", "c"]  # one wording per outlet
    by_source = {w.source.id: w for w in quotation.wordings}
    assert by_source["a"].annotated is True
    assert by_source["b"].annotated is True
    assert by_source["c"].annotated is False
    assert by_source["b"].text == quote_b
    start = OUTLET_B.index(quote_b)
    assert (by_source["b"].start, by_source["b"].end) == (start, start + len(quote_b))
    assert by_source["b"].differences == [
        variants.Difference("truncation", "We are", "", "start"),
        variants.Difference("extension", "", "she told the crowd", "end"),
    ]


def test_quotation_found_in_no_other_source_is_not_listed(scratch_site):
    files = variant_site([("a", "The mayor spoke to reporters.")])
    found, _ = analyse(scratch_site(files))
    assert found.quotations == []


def test_wordings_differing_only_in_punctuation_count_as_one(scratch_site):
    files = variant_site([("a", PASSAGE)])
    # Outlet D has outlet A's words, with other capitals and punctuation.
    files.update(
        source_files(
            "d",
            "Daily.\nThe mayor: “we are going to fix this problem, and we will make sure that it "
            "never happens again!”\n",
            "D Daily",
        )
    )
    found, _ = analyse(scratch_site(files))
    (quotation,) = found.quotations
    by_source = {w.source.id: w for w in quotation.wordings}
    assert set(by_source) == {"a", "b", "c", "d"}
    assert by_source["d"].text != PASSAGE
    assert by_source["d"].differences == []
    # a and d are one wording; b and c each another.
    assert quotation.distinct == 3
