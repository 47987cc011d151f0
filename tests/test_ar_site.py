"""An Arabic site, built as a user would: tests/fixtures/ar-site, `language: ar` in its
site.yaml. Every page is right to left; its figures are read with Arabic digits, separators,
scale words and bound words (with --strict, a figure whose bound is misread stops the build),
its contradictions are found, and its quotations are anchored in the archived articles, with
or without the vowel marks the articles write. Expectations come from the fixture's files
(yaml.safe_load) and from figures.classify applied to the figures as written there, never from
the generator's own report. (conftest's `built` runs the checks every site must pass on this
site too.)"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
from i18n_check import english_leftovers
from sitecheck import FIXTURES, Built, html_files, parse, text_of
from test_fr_site import expected_kinds, figure_claims, table_labels

from generator import languages, pipeline
from generator.analyse import anchoring, figures
from generator.config import Options, Paths

NAME = "ar-site"

# The Arabic bound words each claim's quotation puts before its number ("" for none): what the
# build must read, and the measure page must show.
BOUND_WORDS = {
    "organisers-40000": "أكثر من",
    "police-25000": "نحو",
    "municipality-30000": "ما يصل إلى",
    "accounts-1350000": "",
    "mayor-1-2-million": "حوالي",
    "council-1-5-million": "لا تزيد عن",
}


def passages(site: Built) -> dict[str, str]:
    """claim id -> the archived text its first appearance was found at (claims.json)."""
    data = json.loads((site.out / "claims.json").read_text(encoding="utf-8"))
    return {c["id"]: c["appearances"][0]["archived_text"] for c in data["claims"]}


def test_the_site_is_arabic_and_its_figures_are_written_as_arabic_writes_them(
    arabic: Built,
) -> None:
    assert arabic.expected.language == "ar"
    # Two sources say they are Arabic; the third says nothing and is read in the site's.
    assert [s.get("language") for s in arabic.expected.sources.values()].count("ar") == 2
    assert set(BOUND_WORDS) == set(figure_claims(arabic))
    seeds = "".join(
        arabic.expected.seed_bytes(sid).decode("utf-8") for sid in arabic.expected.sources
    )
    # Arabic-Indic digits with the Arabic separators (U+066C groups, U+066B is decimal),
    # Western digits with a decimal point, a number in words, and a vowel mark (shadda).
    assert "١٬٣٥٠٬٠٠٠" in seeds and "١٫٢ مليون" in seeds and "1.5 مليون" in seeds
    assert "ثلاثين ألف" in seeds and "إنّ" in seeds


def test_every_page_is_arabic_and_right_to_left(arabic: Built) -> None:
    files = html_files(arabic.out)
    assert len(files) > len(arabic.expected.claims)
    for page in files:
        html = parse(page).find("html")
        assert (html.get("lang"), html.get("dir")) == ("ar", "rtl"), page
        # Charts keep their axis left to right: numbers grow to the right in every language.
        for svg in parse(page).select("svg.chart"):
            assert svg["direction"] == "ltr", page


def test_an_english_site_is_left_to_right(bundled: Built) -> None:
    for page in html_files(bundled.out):
        html = parse(page).find("html")
        assert (html.get("lang"), html.get("dir")) == ("en", "ltr"), page


def test_each_figure_is_read_from_its_quotation_with_its_arabic_bound(arabic: Built) -> None:
    """The passage each appearance was found at gives the figure's value and, in Arabic, its
    bound; by English rules none is even found ("40 ألف", "١٫٢ مليون", "ثلاثين ألف")."""
    found = passages(arabic)
    for cid, claim in figure_claims(arabic).items():
        figure = claim["figure"]
        reading = figures.read_bound(found[cid], float(figure["value"]), languages.ARABIC)
        assert reading.found, cid
        assert (reading.bound or "exact", reading.words) == (figure["bound"], BOUND_WORDS[cid])
        assert not figures.read_bound(found[cid], float(figure["value"])).found, cid


def arabic_letters(text: str) -> str:
    return anchoring.normalise(text, languages.ARABIC).text


def test_every_quotation_is_anchored_in_its_article(arabic: Built) -> None:
    """Each appearance's archived text is a passage of its article that the quotation matches,
    letter for letter once Arabic's optional marks are set aside: the police's quotation leaves
    out the shadda of "إنّ" that the article writes, and its passage keeps it."""
    found = passages(arabic)
    for cid, claim in arabic.expected.claims.items():
        appearance = claim["appearances"][0]
        article = arabic.expected.seed_bytes(appearance["source"]).decode("utf-8")
        assert found[cid] in article, cid
        assert arabic_letters(found[cid]) == arabic_letters(appearance["quote"]), cid
    assert found["police-25000"].startswith("إنّ")
    assert not arabic.expected.claims["police-25000"]["appearances"][0]["quote"].startswith("إنّ")


def listed_pairs(page: Path, labels: dict[str, str]) -> list[set[frozenset[str]]]:
    """The pairs of each list of pairs of the measure page, in the page's order
    (contradictions, then compatible pairs), by claim id. Told apart by their order rather than
    by their headings, which are the interface's words."""
    # The pairs name each figure without its unit (one word here: "زائر", "دينار").
    by_label = {label.rsplit(" ", 1)[0]: cid for cid, label in labels.items()}
    return [
        {
            frozenset(by_label[q] for q in re.findall(r"[“«]([^”»]+)[”»]", text_of(li)))
            for li in ul.find_all("li", recursive=False)
        }
        for ul in parse(page).find("main").select("ul.pairs")
    ]


@pytest.mark.parametrize("measure", ["festival-visitors", "festival-cost"])
def test_the_measure_page_shows_the_arabic_words_and_finds_the_contradictions(
    arabic: Built, measure: str
) -> None:
    page = arabic.out / "discrepancies" / measure / "index.html"
    labels = table_labels(page)
    kinds = expected_kinds(arabic, measure)
    assert {cid for pair in kinds for cid in pair} == set(labels)
    for cid, label in labels.items():
        # The quotation's own bound words, as written, right before the number.
        assert re.match(rf"{re.escape(BOUND_WORDS[cid])}\s*\d", label), label
    contradictions = {pair for pair, kind in kinds.items() if kind == "contradictory"}
    compatible = {pair for pair, kind in kinds.items() if kind == "compatible"}
    assert listed_pairs(page, labels) == [contradictions, compatible]
    if measure == "festival-visitors":
        # "أكثر من 40 ألف" cannot be true with "نحو ٢٥ ألفاً" nor with "ما يصل إلى ثلاثين
        # ألف"; those two can both be true.
        organisers = "organisers-40000"
        assert contradictions == {
            frozenset((organisers, other)) for other in labels if other != organisers
        }
    else:
        # The accounts' exact ١٬٣٥٠٬٠٠٠ is more than "حوالي ١٫٢ مليون" allows (±10 %).
        assert contradictions == {frozenset(("accounts-1350000", "mayor-1-2-million"))}


def test_a_misread_bound_stops_the_strict_build(tmp_path: Path) -> None:
    """If the YAML disagrees with the Arabic words, --strict says so with the words quoted."""
    root = tmp_path / NAME
    shutil.copytree(FIXTURES / NAME, root)
    claim = root / "content" / "claims" / "municipality-30000.yaml"
    claim.write_text(claim.read_text("utf-8").replace("bound: at-most", "bound: about"), "utf-8")
    result = pipeline.build(Paths.for_site(root, tmp_path / "out"), Options(strict=True))
    assert not result.ok
    (error,) = [d for d in result.diagnostics if d.path.endswith("municipality-30000.yaml")]
    assert "ما يصل إلى" in error.message and "(at-most)" in error.message


def test_no_english_interface_text_remains_on_the_arabic_site(arabic: Built) -> None:
    """Every text node and visible attribute of every page, checked against the English table
    (tests/i18n_check.py, which test_i18n.py shows finds English put back on a page)."""
    assert len(html_files(arabic.out)) > 15
    assert english_leftovers(arabic.out, "ar", arabic.root) == []


def test_names_and_figures_inside_sentences_are_isolated(arabic: Built) -> None:
    """A claimant's name or a figure's words inside an interface sentence are <bdi>: in a
    sentence of the other direction they keep their own order."""
    exp = arabic.expected
    home = parse(arabic.out / "index.html").find("main")
    claimants = [text_of(b) for b in home.select(".card-meta bdi")]
    assert sorted(claimants) == sorted(exp.claimant(cid) for cid in exp.claims)
    page = arabic.out / "discrepancies" / "festival-visitors" / "index.html"
    # The pairs name each figure without its unit, as listed_pairs reads them.
    figures = {label.rsplit(" ", 1)[0] for label in table_labels(page).values()}
    names = {exp.claimant(cid) for cid in exp.claims}
    for item in parse(page).find("main").select("ul.pairs > li"):
        isolated = [text_of(b) for b in item.find_all("bdi")]
        assert len(isolated) == 4, text_of(item)  # two figures and their two claimants
        assert sum(text in figures for text in isolated) == 2, isolated
        assert sum(text in names for text in isolated) == 2, isolated
