"""Diagnostics: GCC-style formatting, sorting, de-duplication and --strict promotion."""

from __future__ import annotations

import pickle
from pathlib import Path

import pytest

from generator.config import Options
from generator.diagnostics import Diagnostic, Diagnostics, Location, Severity
from generator.load import content, loader, validate
from generator.model import Claim, Evidence

REPO = Path(__file__).resolve().parent.parent


@pytest.mark.parametrize(
    ("line", "col", "location"),
    [
        (12, 5, "content/claims/x.yaml:12:5"),
        (12, 0, "content/claims/x.yaml:12"),
        (0, 0, "content/claims/x.yaml"),
        (0, 7, "content/claims/x.yaml"),
    ],
)
def test_format_location(line, col, location):
    diagnostic = Diagnostic("content/claims/x.yaml", line, col, Severity.ERROR, "bad thing")
    assert diagnostic.format() == f"{location}: error: bad thing"


def test_format_with_hint_adds_a_hint_line():
    diagnostic = Diagnostic(
        "content/claims/x.yaml", 3, 9, Severity.WARNING, "claim is long", "shorten it"
    )
    assert (
        diagnostic.format() == "content/claims/x.yaml:3:9: warning: claim is long\nhint: shorten it"
    )


def test_collector_records_severity_location_message_and_hint():
    diags = Diagnostics()
    diags.error(Location("a.yaml", 2, 3), "broken", "fix it")
    diags.warning(Location("b.yaml", 4), "odd")
    assert diags.sorted() == [
        Diagnostic("a.yaml", 2, 3, Severity.ERROR, "broken", "fix it"),
        Diagnostic("b.yaml", 4, 0, Severity.WARNING, "odd", ""),
    ]
    assert diags.has_errors()
    assert [d.message for d in diags.errors] == ["broken"]
    assert [d.message for d in diags.warnings] == ["odd"]


def test_only_warnings_is_not_an_error():
    diags = Diagnostics()
    diags.warning(Location("a.yaml", 1, 1), "odd")
    assert not diags.has_errors()
    assert diags.errors == []


def test_sorted_by_file_then_line_then_column():
    diags = Diagnostics()
    diags.error(Location("content/sources/a.yaml", 1, 1), "s")
    diags.error(Location("content/claims/b.yaml", 10, 1), "b10")
    diags.error(Location("content/claims/b.yaml", 2, 9), "b2-9")
    diags.warning(Location("content/claims/b.yaml", 2, 3), "b2-3")
    diags.error(Location("content/claims/a.yaml", 30, 1), "a30")
    diags.error(Location("content/claims/b.yaml", 0, 0), "b-file")
    assert [d.message for d in diags.sorted()] == ["a30", "b-file", "b2-3", "b2-9", "b10", "s"]
    # errors / warnings keep that order too.
    assert [d.message for d in diags.errors] == ["a30", "b-file", "b2-9", "b10", "s"]


def test_line_10_sorts_after_line_9():
    diags = Diagnostics()
    diags.error(Location("x.yaml", 10, 1), "ten")
    diags.error(Location("x.yaml", 9, 1), "nine")
    assert [d.line for d in diags.sorted()] == [9, 10]


def test_duplicates_are_reported_once():
    diags = Diagnostics()
    for _ in range(3):
        diags.error(Location("x.yaml", 1, 1), "same", "hint")
    diags.extend([Diagnostic("x.yaml", 1, 1, Severity.ERROR, "same", "hint")])
    assert len(diags.sorted()) == 1


def test_extend_adds_ready_made_diagnostics():
    diags = Diagnostics()
    diags.extend([Diagnostic("z.yaml", 5, 0, Severity.ERROR, "from elsewhere")])
    assert diags.has_errors()
    assert diags.sorted()[0].format() == "z.yaml:5: error: from elsewhere"


def test_promote_warnings_turns_every_warning_into_an_error():
    diags = Diagnostics()
    diags.warning(Location("a.yaml", 3, 4), "long claim", "shorten it")
    diags.warning(Location("b.yaml", 1, 1), "spelling")
    diags.error(Location("c.yaml", 2, 2), "broken")
    assert not all(d.severity is Severity.ERROR for d in diags.sorted())
    diags.promote_warnings()
    assert diags.warnings == []
    assert [d.format() for d in diags.errors] == [
        "a.yaml:3:4: error: long claim\nhint: shorten it",
        "b.yaml:1:1: error: spelling",
        "c.yaml:2:2: error: broken",
    ]
    assert diags.has_errors()


def test_promote_warnings_without_warnings_changes_nothing():
    diags = Diagnostics()
    diags.promote_warnings()
    assert not diags.has_errors()
    assert diags.sorted() == []


def test_slotted_objects_come_back_from_a_pickle_equal() -> None:
    """The cache pickles the model: every slotted class (locations, claims and all they hold)
    must come back field for field, from the bundled site's model."""
    diags = Diagnostics()
    raw = validate.check_content(loader.load_content(REPO, diags), diags)
    model = content.build(raw, Options(), diags)
    assert model is not None
    kinds = {type(x) for c in model.claims for x in (c, c.where, *c.evidence, *c.corrections)}
    assert {Claim, Location, Evidence} <= kinds
    assert pickle.loads(pickle.dumps(model.claims, 5)) == model.claims
    paragraphs = [p for s in model.sources.values() for p in s.paragraphs]
    assert pickle.loads(pickle.dumps(paragraphs, 5)) == paragraphs
    figures = [c.figure for c in model.claims if c.figure]
    assert figures and pickle.loads(pickle.dumps(figures, 5)) == figures
