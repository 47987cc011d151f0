"""`build.py suggest`: each archived source's figures and quoted statements no fact-check cites.

On the fixture site the whole list is known; on the bundled site the tests check the rule
itself: nothing listed is touched by a verified quotation, and everything a quotation touches
is left out.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from conftest import FIXTURES, REPO, run_cli

from generator import suggest
from generator.analyse import anchoring
from generator.config import Options
from generator.diagnostics import Diagnostics
from generator.load import content, loader, validate

LINE = re.compile(r'^seeds/[^:]+:\d+: "[^"\n]+"(?: \([^()\n]+\))?$')

# Everything the fixture's two articles say that its three fact-checks do not quote.
FIXTURE_SUGGESTIONS = [
    'seeds/gazette-budget.txt:1: "4 %"',
    'seeds/gazette-budget.txt:5: "19 voix"',
    'seeds/gazette-budget.txt:9: "116 euros"',
    'seeds/radio-conseil.txt:5: "sérieux et sans hausse d’impôts" (Hortense Quillec)',
]


def suggestion_lines(output: str) -> list[str]:
    return [line for line in output.splitlines() if re.match(r"seeds/[^:]+:\d+: ", line)]


def anchors_of(root: Path) -> tuple[dict, dict[str, list[tuple[int, int]]]]:
    diags = Diagnostics()
    model = content.build(
        validate.check_content(loader.load_content(root, diags), diags), Options(), diags
    )
    analysis = anchoring.analyse(model, diags)
    spans: dict[str, list[tuple[int, int]]] = {sid: [] for sid in model.sources}
    for anchor in analysis.anchors.values():
        spans[anchor.source].extend(anchor.spans)
    return model.sources, spans


def test_suggest_lists_the_fixture_sites_uncited_figures_and_quotations() -> None:
    result = run_cli("suggest", "--root", str(FIXTURES / "minimal-site"))
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    assert suggestion_lines(result.stdout) == FIXTURE_SUGGESTIONS
    assert result.stdout.splitlines()[0] == (
        "seeds/gazette-budget.txt (source gazette-budget): 3 figures and 0 quoted statements "
        "no fact-check cites"
    )
    assert result.stdout.splitlines()[-1] == (
        "in all: 3 figures and 1 quoted statement no fact-check cites"
    )


def test_what_a_fact_check_quotes_is_left_out(fixture_site) -> None:
    """The cited figures and statements appear once the fact-checks citing them are gone."""
    root = fixture_site("minimal-site")
    for claim in (root / "content" / "claims").glob("*.yaml"):
        claim.unlink()
    shown = suggestion_lines(run_cli("suggest", "--root", str(root)).stdout)
    assert set(FIXTURE_SUGGESTIONS) < set(shown)
    cited = set(shown) - set(FIXTURE_SUGGESTIONS)
    assert 'seeds/gazette-budget.txt:9: "4 %"' in cited  # "une hausse de 4 % de la taxe"
    assert 'seeds/gazette-budget.txt:11: "900 000 euros"' in cited  # groups of three digits
    assert 'seeds/radio-conseil.txt:9: "600 000 euros"' in cited
    assert any(
        line.startswith('seeds/gazette-budget.txt:7: "Nous n’augmentons pas') for line in cited
    )
    assert 'seeds/gazette-budget.txt:13: "doublé en six ans" (Gaston Ferrand)' in cited


@pytest.mark.parametrize("root", [REPO, FIXTURES / "minimal-site"], ids=["bundled", "minimal"])
def test_nothing_listed_is_cited_and_nothing_cited_is_listed(root: Path) -> None:
    report = suggest.suggest(root)
    assert report.sources is not None and report.diagnostics == []
    sources, spans = anchors_of(root)
    assert [g.source for g in report.sources] == sorted(sources)
    total = 0
    for group in report.sources:
        source = sources[group.source]
        every = suggest.candidates(source.text, group.file)
        touched = [
            s for s in every if any(s.start < b and a < s.end for a, b in spans[group.source])
        ]
        assert list(group.suggestions) == [s for s in every if s not in touched]
        lines = source.text.split("\n")
        for item in group.suggestions:
            assert LINE.match(item.format()), item.format()
            assert item.file == f"seeds/{source.file}"
            # The line number is the line the words are on.
            assert source.text[item.start : item.end].split()[0] in lines[item.line - 1]
        total += len(group.suggestions)
    assert total > 0


def test_the_bundled_sites_suggestions_include_uncited_figures_and_speakers() -> None:
    result = run_cli("suggest")
    assert result.returncode == 0, result.stderr
    lines = suggestion_lines(result.stdout)
    assert all(LINE.match(line) for line in lines), lines
    assert any(re.search(r':\d+: "\$158\.75"$', line) for line in lines)
    assert any(line.endswith("(Zuckerberg)") for line in lines)
    # Quoted by a fact-check, so not suggested.
    assert not any("broad enough view" in line for line in lines)
    assert not any('"up to 87 million' in line.lower() for line in lines)


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("Facebook said up to 87 million users were hit.", ["up to 87 million users"]),
        ("The vote, in 2031, was 19 voix contre 8.", ["19 voix"]),
        ("It rose by 4 % and 2.4 percent.", ["4 %", "2.4 percent"]),
        ("Shares fell to $158.75.", ["$158.75"]),
        ("It cost 600 000 euros in 2025.", ["600 000 euros"]),
        ("Some fifty million people; page 12 of 300.", ["Some fifty million people"]),
        ("The 3 of them, from 112 à 116.", []),
    ],
)
def test_figures_are_numbers_with_a_unit(text: str, shown: list[str]) -> None:
    found = [s.text for s in suggest.candidates(text, "seeds/a.txt") if s.kind == "figure"]
    assert found == shown


@pytest.mark.parametrize(
    ("text", "quote", "speaker"),
    [
        (
            '"We will fix this for good," said Mark Zuckerberg.',
            "We will fix this for good",
            "Mark Zuckerberg",
        ),
        (
            "“We will fix this for good,” Zuckerberg added.",
            "We will fix this for good",
            "Zuckerberg",
        ),
        (
            'Mr Zuckerberg said: "We will fix this for good."',
            "We will fix this for good.",
            "Mr Zuckerberg",
        ),
        (
            'According to Facebook, "the data is deleted now".',
            "the data is deleted now",
            "Facebook",
        ),
        (
            '"It was my own big mistake," says Facebook boss',
            "It was my own big mistake",
            "Facebook boss",
        ),
        ('"We will fix this for good," he said.', "We will fix this for good", ""),
        (
            "La maire Hortense Quillec a défendu un budget « sérieux et sans hausse »",
            "sérieux et sans hausse",
            "Hortense Quillec",
        ),
    ],
)
def test_quoted_statements_with_their_speaker(text: str, quote: str, speaker: str) -> None:
    (found,) = [s for s in suggest.candidates(text, "seeds/a.txt") if s.kind == "quote"]
    assert (found.text, found.speaker) == (quote, speaker)
    assert text[found.start : found.end].rstrip(",") == quote


def test_short_quotes_and_single_quotes_are_not_statements() -> None:
    text = "He called it a \"mess\" and 'a very big mess indeed' and “no big deal”."
    assert [s for s in suggest.candidates(text, "seeds/a.txt") if s.kind == "quote"] == []


def test_a_claim_with_errors_cites_nothing_and_is_noted(fixture_site) -> None:
    root = fixture_site("minimal-site")
    claim = root / "content" / "claims" / "piscine-sans-emprunt.yaml"
    claim.write_text(claim.read_text("utf-8").replace("rating: faux", "rating: Faux"), "utf-8")
    result = run_cli("suggest", "--root", str(root))
    assert result.returncode == 0
    assert "note: 1 error in the content" in result.stderr
    assert 'seeds/radio-conseil.txt:9: "600 000 euros"' in suggestion_lines(result.stdout)


def test_suggest_without_usable_site_settings_fails(fixture_site) -> None:
    root = fixture_site("minimal-site")
    (root / "content" / "site.yaml").write_text("title: T\n", "utf-8")
    result = run_cli("suggest", "--root", str(root))
    assert result.returncode == 1
    assert "missing required key 'base_url'" in result.stderr
    assert result.stdout == ""
