"""A French site, built as a user would: tests/fixtures/fr-site, whose sources declare
`language: fr`. Its figures are read with French numbers and bound words (with --strict, a
figure whose bound is misread stops the build), and its contradictions are found. Expectations
come from the fixture's files (yaml.safe_load) and from figures.classify applied to the
figures as written there, never from the generator's own report."""

from __future__ import annotations

import json
import re
import shutil
from itertools import combinations
from pathlib import Path

import pytest
from sitecheck import FIXTURES, Built, build_copy, parse, text_of

from generator import languages, pipeline
from generator.analyse import figures
from generator.config import Options, Paths

NAME = "fr-site"

# The French bound words each claim's quotation puts before its number ("" for none): what
# the build must read, and the measure page must show.
BOUND_WORDS = {
    "prefet-6000-foyers": "Jusqu’à",
    "opposition-9500-foyers": "plus de",
    "syndicat-5800-foyers": "environ",
    "pompiers-six-mille": "quelque",
    "reparations-un-million": "plus d’",
    "degats-1-2-million": "",
}


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Built:
    """The fixture, copied and built with --strict: any warning fails it."""
    return build_copy(tmp_path_factory.mktemp("fr-site"), NAME)


def figure_claims(site: Built) -> dict[str, dict]:
    return {cid: c for cid, c in site.expected.claims.items() if "figure" in c}


def test_the_site_and_its_sources_are_french(site: Built) -> None:
    assert site.expected.language == "fr"
    assert {s["language"] for s in site.expected.sources.values()} == {"fr"}
    assert set(BOUND_WORDS) == set(figure_claims(site))
    # Written with French separators: narrow no-break and no-break spaces, a decimal comma.
    seeds = "".join(site.expected.seed_bytes(sid).decode("utf-8") for sid in site.expected.sources)
    assert "6\u202f000" in seeds and "9\u00a0500" in seeds and "1,2 million" in seeds


def test_each_figure_is_read_from_its_quotation_with_its_french_bound(site: Built) -> None:
    """The passage each appearance was found at (claims.json's archived text) gives the
    figure's value and, in French, its bound."""
    data = json.loads((site.out / "claims.json").read_text(encoding="utf-8"))
    passages = {c["id"]: c["appearances"][0]["archived_text"] for c in data["claims"]}
    for cid, claim in figure_claims(site).items():
        figure = claim["figure"]
        reading = figures.read_bound(passages[cid], float(figure["value"]), languages.FRENCH)
        assert reading.found, cid
        assert (reading.bound or "exact", reading.words) == (figure["bound"], BOUND_WORDS[cid])
        # By English rules, none is even found: "6 000", "1,2 million", "six mille"...
        assert not figures.read_bound(passages[cid], float(figure["value"])).found, cid


def test_claims_json_carries_the_figures_as_written(site: Built) -> None:
    data = json.loads((site.out / "claims.json").read_text(encoding="utf-8"))
    published = {c["id"]: c["figure"] for c in data["claims"] if c["figure"]}
    for cid, claim in figure_claims(site).items():
        figure = published[cid]
        assert (figure["measure"]["id"], figure["value"], figure["bound"]) == (
            claim["figure"]["measure"],
            claim["figure"]["value"],
            claim["figure"]["bound"],
        )


def table_labels(page: Path) -> dict[str, str]:
    """claim id -> the figure as worded in the measure page's table."""
    (table,) = parse(page).select("main table.figures")
    result = {}
    for tr in table.select("tbody tr"):
        cells = tr.find_all(["th", "td"])
        cid = re.search(r"claims/([^/]+)/", cells[-1].find("a")["href"]).group(1)
        result[cid] = text_of(cells[1])
    return result


def expected_kinds(site: Built, measure: str) -> dict[frozenset[str], str]:
    found = {
        cid: figures.FigureFacts(float(c["figure"]["value"]), c["figure"]["bound"], "", "")
        for cid, c in figure_claims(site).items()
        if c["figure"]["measure"] == measure
    }
    return {
        frozenset((a, b)): figures.classify(found[a], found[b])
        for a, b in combinations(sorted(found), 2)
    }


def pairs_under(
    site: Built, page: Path, heading: str, labels: dict[str, str]
) -> set[frozenset[str]]:
    """The pairs listed under a heading of the measure page (by its key in the interface's
    table), by claim id."""
    heading = site.expected.t(heading)
    # Each figure in the interface's quotation marks: « ... ».
    opening, closing = site.expected.ui.text("quote.marks", text="\0").split("\0")
    # The pairs name each figure without its unit (one word here: "foyers", "euros").
    by_label = {label.rsplit(" ", 1)[0]: cid for cid, label in labels.items()}
    main = parse(page).find("main")
    found = [h for h in main.find_all("h3") if text_of(h) == heading]
    if not found:
        return set()
    items = found[0].find_next("ul").find_all("li", recursive=False)
    quoted = re.compile(rf"{re.escape(opening.strip())}\s*(.+?)\s*{re.escape(closing.strip())}")
    return {frozenset(by_label[q] for q in quoted.findall(text_of(li))) for li in items}


@pytest.mark.parametrize("measure", ["foyers-coupes", "cout-crue"])
def test_the_measure_page_shows_the_french_words_and_finds_the_contradictions(
    site: Built, measure: str
) -> None:
    page = site.out / "discrepancies" / measure / "index.html"
    labels = table_labels(page)
    kinds = expected_kinds(site, measure)
    assert {cid for pair in kinds for cid in pair} == set(labels)
    for cid, label in labels.items():
        # The quotation's own bound words, as written, right before the number (an elided
        # word, "plus d’", without a space: "plus d’1 million").
        words = BOUND_WORDS[cid]
        space = "" if not words or words.endswith("’") else r"\s"
        assert re.match(rf"{re.escape(words)}{space}\d", label), label
    contradictions = {pair for pair, kind in kinds.items() if kind == "contradictory"}
    compatible = {pair for pair, kind in kinds.items() if kind == "compatible"}
    assert pairs_under(site, page, "measure.contradictions", labels) == contradictions
    assert pairs_under(site, page, "measure.compatible", labels) == compatible
    if measure == "foyers-coupes":
        # "plus de 9 500" cannot be true with "jusqu'à 6 000", "environ 5 800" or "quelque six
        # mille"; those three can all be true together.
        opposition = "opposition-9500-foyers"
        assert contradictions == {
            frozenset((opposition, other)) for other in labels if other != opposition
        }
    else:
        assert contradictions == set() and len(compatible) == 1


def test_a_misread_bound_stops_the_strict_build(tmp_path: Path) -> None:
    """If the YAML disagrees with the French words, --strict says so with the words quoted."""
    root = tmp_path / NAME
    shutil.copytree(FIXTURES / NAME, root)
    claim = root / "content" / "claims" / "opposition-9500-foyers.yaml"
    claim.write_text(claim.read_text("utf-8").replace("bound: at-least", "bound: exact"), "utf-8")
    result = pipeline.build(Paths.for_site(root, tmp_path / "out"), Options(strict=True))
    assert not result.ok
    (error,) = [d for d in result.diagnostics if d.path.endswith("opposition-9500-foyers.yaml")]
    assert 'the quotation says "plus de 9,500" (at-least)' in error.message


def test_a_source_in_a_language_without_a_table_is_warned_about(tmp_path: Path) -> None:
    root = tmp_path / NAME
    shutil.copytree(FIXTURES / NAME, root)
    source = root / "content" / "sources" / "radio-vallee.yaml"
    source.write_text(source.read_text("utf-8").replace("language: fr", "language: ru"), "utf-8")
    result = pipeline.build(Paths.for_site(root, tmp_path / "out"), Options())
    assert result.ok
    messages = [(d.path, d.message, d.hint) for d in result.diagnostics]
    assert messages == [
        (
            "content/sources/radio-vallee.yaml",
            "figures are not read in source 'radio-vallee': its language 'ru' has no table",
            "figures are read in ar, de, en, es, fr, pt; the figures quoted from this source are "
            "not checked against their bound words",
        )
    ]
