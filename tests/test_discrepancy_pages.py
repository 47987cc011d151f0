"""Discrepancy pages as built: the index, each measure's page, each quotation's page, and the
links from claim pages. Expectations come from the claim files (yaml.safe_load) and, for pairs,
from generator.figures.classify applied to the figures as written there, never from the
generator's own report."""

from __future__ import annotations

import re
import shutil
from collections import Counter
from dataclasses import dataclass
from itertools import combinations
from pathlib import Path
from urllib.parse import unquote

import pytest
import yaml
from bs4 import BeautifulSoup, Tag
from sitecheck import (
    REPO,
    Built,
    Expected,
    build_copy,
    claim_id_of,
    load_expected,
    page_problems,
    parse,
    resolve,
    squash,
    text_of,
    visible_text,
    words,
)

from generator import pipeline
from generator.analyse import figures, variants
from generator.config import Options, Paths

MEASURE = "affected-users"


# --- what the claim files say ----------------------------------------------------------------


@dataclass(frozen=True)
class YamlFigure:
    claim: str
    value: float
    bound: str
    counted: str
    scope: str

    @property
    def facts(self) -> figures.FigureFacts:
        return figures.FigureFacts(self.value, self.bound, self.counted, self.scope)  # type: ignore[arg-type]

    @property
    def quantity(self) -> tuple[str, str]:
        return (" ".join(self.counted.casefold().split()), " ".join(self.scope.casefold().split()))


def yaml_figures(expected: Expected, measure: str) -> dict[str, YamlFigure]:
    result = {}
    for cid, data in sorted(expected.claims.items()):
        figure = data.get("figure")
        if figure and figure["measure"] == measure:
            result[cid] = YamlFigure(
                cid,
                float(figure["value"]),
                figure["bound"],
                str(figure.get("counted", "")).strip(),
                str(figure.get("scope", "")).strip(),
            )
    return result


def expected_pairs(found: dict[str, YamlFigure]) -> dict[frozenset[str], str]:
    return {
        frozenset((a.claim, b.claim)): figures.classify(a.facts, b.facts)
        for a, b in combinations(found.values(), 2)
    }


def main_quantity(found: dict[str, YamlFigure]) -> tuple[str, str]:
    counts = Counter(f.quantity for f in found.values())
    ((top, n),) = counts.most_common(1)
    assert list(counts.values()).count(n) == 1, f"no single main quantity: {counts}"
    return top


def plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def expected_state(found: dict[str, YamlFigure]) -> str:
    """ "7 figures, 4 contradictions, 2 of a different quantity", worked out from the YAML."""
    contradictions = sum(1 for k in expected_pairs(found).values() if k == "contradictory")
    main = main_quantity(found)
    others = sum(1 for f in found.values() if f.quantity != main)
    state = f"{plural(len(found), 'figure')}, {plural(contradictions, 'contradiction')}"
    return state + (f", {others} of a different quantity" if others else "")


# --- reading the pages -----------------------------------------------------------------------


def main_of(soup: BeautifulSoup) -> Tag:
    (found,) = soup.find_all("main")
    return found


def link_target(page: Path, href: str, out: Path) -> tuple[str, str]:
    """A link's target as a path relative to the output folder, and its fragment."""
    target, fragment = resolve(page, href, out)
    assert target.is_file(), f"{href} from {page} leads nowhere"
    return target.relative_to(out).as_posix(), fragment


def quotation_pages(out: Path) -> list[Path]:
    return sorted((out / "discrepancies" / "quotes").glob("*/index.html"))


@dataclass(frozen=True)
class WordingView:
    """One wording section of a quotation page."""

    source: str  # source id, from the link into the archived copy
    href: str
    original: str  # the link into the original article, or ""
    origin: str  # "Quoted in the fact-check. …" or "Found by the build. …"
    text: str  # the wording, as the page prints it for the reader to read and copy
    verbatim: Tag  # the blockquote holding it
    diff: Tag | None  # p.diff: the word-by-word comparison with the first wording
    differences: list[Tag]  # the <li> of ul.differences


def wordings(page: Path, out: Path) -> list[WordingView]:
    result = []
    for section in main_of(parse(page)).select("section.wording"):
        heading = section.find(id=section["aria-labelledby"])
        assert heading is not None and re.fullmatch(r"h2", heading.name)
        links = section.select_one("p.quote-links").find_all("a")
        target, _ = link_target(page, links[0]["href"], out)
        match = re.fullmatch(r"sources/([^/]+)/index\.html", target)
        assert match, target
        (verbatim,) = section.select("blockquote")
        (quote,) = verbatim.find_all("p")
        # Plain text: nothing but the words, so that a reader copies what the outlet printed.
        assert quote.find(True) is None, quote
        result.append(
            WordingView(
                match.group(1),
                links[0]["href"],
                links[1]["href"] if len(links) > 1 else "",
                text_of(section.select_one("p.wording-origin")),
                text_of(quote),
                verbatim,
                section.select_one("p.diff"),
                section.select("ul.differences li"),
            )
        )
    return result


def diff_runs(diff: Tag) -> list[tuple[str, str]]:
    """(kind, visible words) of each marked run of a comparison, in order, with the words
    screen readers are told ("added: ") checked against the kind the mark shows."""
    told = {
        ("del", False): ("removed", "[left out:"),
        ("ins", False): ("added", "[added:"),
        ("del", True): ("moved-from", "[moved away from here:"),
        ("ins", True): ("moved", "[moved here:"),
    }
    runs = []
    for mark in diff.find_all(["del", "ins"]):
        kind, said = told[(mark.name, "moved" in mark.get("class", []))]
        hidden = [text_of(h) for h in mark.select(".visually-hidden")]
        assert hidden and hidden[0] == said, (mark, hidden)
        runs.append((kind, visible_text(mark)))
    return runs


def key_words(text: str) -> list[str]:
    return [w.casefold() for w in words(text)]


def quotation_claim(page: Path) -> str:
    lede = main_of(parse(page)).select_one("p.lede")
    (link,) = lede.find_all("a")
    return claim_id_of(link["href"])


# --- the bundled site, and a copy with one claim's annotations removed ------------------------


@pytest.fixture(scope="module")
def expected() -> Expected:
    return load_expected(REPO)


@dataclass(frozen=True)
class Trimmed:
    """A copy of the bundled site in which every claim with a quotation page keeps only its
    first appearance, built."""

    root: Path
    out: Path
    expected: Expected
    # claim id -> the source ids its bundled quotation page(s) showed, in order.
    bundled: dict[str, list[str]]


@pytest.fixture(scope="module")
def trimmed(bundled_site, tmp_path_factory) -> Trimmed:
    bundled: dict[str, list[str]] = {}
    for page in quotation_pages(bundled_site):
        shown = [w.source for w in wordings(page, bundled_site)]
        bundled.setdefault(quotation_claim(page), []).extend(shown)
    assert bundled
    root = tmp_path_factory.mktemp("trimmed") / "site"
    shutil.copytree(REPO / "content", root / "content")
    shutil.copytree(REPO / "seeds", root / "seeds")
    for cid in bundled:
        path = root / "content" / "claims" / f"{cid}.yaml"
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        data["appearances"] = data["appearances"][:1]
        path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), "utf-8")
    out = root / "_site"
    result = pipeline.build(Paths.for_site(root, out), Options())
    assert result.ok, "\n".join(d.format() for d in result.diagnostics)
    return Trimmed(root, out, load_expected(root), bundled)


def claim_quotation_pages(out: Path, cid: str) -> list[Path]:
    """The quotation pages a claim page links to."""
    claim_page = out / "claims" / cid / "index.html"
    return [
        out / link_target(claim_page, a["href"], out)[0]
        for a in main_of(parse(claim_page)).find_all("a", href=True)
        if "discrepancies/quotes/" in a["href"]
    ]


def check_found_by_the_build(page: Path, trimmed: Trimmed, cid: str) -> list[WordingView]:
    """The claim's quotation page: the editor's one quotation first, every other wording found
    by the build, in a source the claim file does not quote, linked into its archived copy."""
    assert quotation_claim(page) == cid
    data = trimmed.expected.claims[cid]
    (only,) = data["appearances"]
    quotes = trimmed.expected.quotes(cid)
    shown = wordings(page, trimmed.out)
    assert shown[0].source == only["source"]
    assert shown[0].origin.startswith("Quoted in the fact-check")
    assert len(shown) >= 2
    for wording in shown[1:]:
        assert wording.source != only["source"]
        assert wording.origin.startswith("Found by the build")
        # No quotation of the claim file from this source holds the wording, or a passage of
        # it long enough to be looked up: the build found it.
        found = key_words(wording.text)
        for _, q in quotes:
            if q["source"] == wording.source:
                quoted = key_words(q["quote"])
                assert not contains_run(quoted, found)
                assert len(quoted) < variants.MIN_WORDS or not contains_run(found, quoted)
        target, fragment = resolve(page, wording.href, trimmed.out)
        assert target == trimmed.out / "sources" / wording.source / "index.html"
        assert parse(target).find(id=fragment) is not None
    check_quotation_page(page, trimmed.out, trimmed.expected)
    assert page_problems(parse(page), trimmed.expected.language) == []
    return shown


# --- /discrepancies/ -------------------------------------------------------------------------


def test_index_lists_every_measure_with_its_state(bundled_site, expected):
    page = bundled_site / "discrepancies" / "index.html"
    main = main_of(parse(page))
    heading = main.find(id="figures")
    items = heading.find_next("ul").find_all("li", recursive=False)
    measures = sorted(expected.measures_with_figures())
    assert measures
    listed = {}
    for item in items:
        (link,) = item.find_all("a")
        target, _ = link_target(page, link["href"], bundled_site)
        match = re.fullmatch(r"discrepancies/([^/]+)/index\.html", target)
        assert match, target
        listed[match.group(1)] = text_of(item)
    assert sorted(listed) == measures
    for measure in measures:
        title = yaml.safe_load(
            (REPO / "content" / "measures" / f"{measure}.yaml").read_text(encoding="utf-8")
        )["title"]
        state = expected_state(yaml_figures(expected, measure))
        assert listed[measure] == f"{title}: {state}"


def test_affected_users_state_matches_the_issue_example(expected):
    # The numbers of the issue's example, worked out from the bundled YAML.
    assert expected_state(yaml_figures(expected, MEASURE)) == (
        "7 figures, 3 contradictions, 3 of a different quantity"
    )


def test_index_lists_every_quotation_page_with_its_state(bundled_site):
    page = bundled_site / "discrepancies" / "index.html"
    main = main_of(parse(page))
    heading = main.find(id="quotations")
    items = heading.find_next("ul").find_all("li", recursive=False)
    listed = {}
    for item in items:
        (link,) = item.find_all("a")
        target, _ = link_target(page, link["href"], bundled_site)
        listed[target] = text_of(item)
    pages = quotation_pages(bundled_site)
    assert sorted(listed) == [p.relative_to(bundled_site).as_posix() for p in pages]
    for quotation in pages:
        shown = wordings(quotation, bundled_site)
        distinct = len({tuple(key_words(w.text)) for w in shown})
        state = (
            f"{len(shown)} outlets, "
            f"{'the same wording' if distinct == 1 else f'{distinct} wordings'}"
        )
        assert listed[quotation.relative_to(bundled_site).as_posix()].endswith(f": {state}")


def test_index_of_a_site_without_figures_or_variants_says_so(tmp_path):
    built = build_copy(tmp_path, "minimal-site")
    main = main_of(built.page("discrepancies/"))
    assert main.find(id="figures").find_next_sibling().name == "p"
    assert main.find(id="quotations").find_next_sibling().name == "p"
    assert main.select("ul.index-list") == []
    assert not (built.out / "discrepancies" / "quotes").exists()


# --- the affected-users measure page ---------------------------------------------------------


@pytest.fixture(scope="module")
def measure_page(bundled_site) -> Path:
    return bundled_site / "discrepancies" / MEASURE / "index.html"


def table_labels(page: Path, out: Path) -> dict[str, str]:
    """claim id -> the figure as worded in the data table (unit left off)."""
    main = main_of(parse(page))
    (table,) = main.select("table.figures")
    result = {}
    for tr in table.select("tbody tr"):
        cells = tr.find_all(["th", "td"])
        link = cells[-1].find("a")
        target, _ = link_target(page, link["href"], out)
        cid = re.fullmatch(r"claims/([^/]+)/index\.html", target).group(1)
        assert cid not in result, f"{cid} has two rows"
        result[cid] = text_of(cells[1])
    return result


def find_figure(found: dict[str, YamlFigure], value: float, bound: str) -> YamlFigure:
    matches = [f for f in found.values() if f.value == value and f.bound == bound]
    assert len(matches) >= 1, f"no {bound} {value} in the YAML"
    return matches[0]


def test_the_issues_figures_are_in_the_yaml_and_on_the_page(bundled_site, expected, measure_page):
    found = yaml_figures(expected, MEASURE)
    wanted = [
        (87_000_000, "at-most"),
        (50_000_000, "exact"),
        (30_000_000, "at-most"),
        (50_000_000, "at-least"),
    ]
    labels = table_labels(measure_page, bundled_site)
    for value, bound in wanted:
        figure = find_figure(found, value, bound)
        assert figures.format_value(value) in labels[figure.claim]
    # "no more than 30 million" and "upwards of 50 million" are the quotations' own words.
    thirty = find_figure(found, 30_000_000, "at-most")
    fifty = find_figure(found, 50_000_000, "at-least")
    assert labels[thirty.claim].startswith("no more than 30 million")
    assert labels[fifty.claim].startswith("upwards of 50 million")
    for figure, phrase in ((thirty, "no more than 30 million"), (fifty, "upwards of 50 million")):
        quotes = [q["quote"] for q in expected.claims[figure.claim]["appearances"]]
        assert any(phrase in squash(q) for q in quotes)


def test_table_has_one_row_per_figure_worded_by_its_bound(bundled_site, expected, measure_page):
    found = yaml_figures(expected, MEASURE)
    labels = table_labels(measure_page, bundled_site)
    assert set(labels) == set(found)
    unit = yaml.safe_load(
        (REPO / "content" / "measures" / f"{MEASURE}.yaml").read_text(encoding="utf-8")
    )["unit"]
    for cid, label in labels.items():
        figure = found[cid]
        value = figures.format_value(figure.value)
        own_unit = expected.claims[cid]["figure"].get("unit", unit)
        assert label.endswith(f"{value} {own_unit}"), label
        phrase = label.removesuffix(f"{value} {own_unit}").strip()
        if figure.bound == "exact":
            assert phrase == ""
        else:
            # Whatever the words, they mean the figure's bound.
            key = " ".join(phrase.lower().split())
            default = {"about": "about", "at-least": "at least", "at-most": "at most"}
            assert figures.LEXICON.get(key, None) == figure.bound or key == default[figure.bound]


def pair_items(page: Path, heading: str) -> list[Tag]:
    """The <li> of the pairs list under an <h3>, [] when there is no such heading."""
    main = main_of(parse(page))
    found = [h for h in main.find_all("h3") if text_of(h) == heading]
    if not found:
        return []
    (h3,) = found
    ul = h3.find_next("ul")
    assert "pairs" in ul["class"]
    assert ul.find_previous("h3") is h3
    return ul.find_all("li", recursive=False)


def pairs_on_page(page: Path, heading: str, labels: dict[str, str]) -> set[frozenset[str]]:
    by_label = {}
    for cid, label in labels.items():
        by_label[label] = cid
    assert len(by_label) == len(labels), "two figures are worded alike; pairs are ambiguous"
    result = set()
    for item in pair_items(page, heading):
        quoted = re.findall(r"“([^”]+)”", text_of(item))
        assert len(quoted) == 2, text_of(item)
        result.add(frozenset(by_label[q] for q in quoted))
    return result


def worded(page: Path, out: Path, expected: Expected) -> dict[str, str]:
    """claim id -> the figure as worded, without its unit."""
    labels = table_labels(page, out)
    result = {}
    for cid, label in labels.items():
        unit = expected.claims[cid]["figure"].get("unit")
        if unit is None:
            unit = yaml.safe_load(
                (REPO / "content" / "measures" / f"{MEASURE}.yaml").read_text(encoding="utf-8")
            )["unit"]
        result[cid] = label.removesuffix(f" {unit}")
    return result


@pytest.mark.parametrize(
    ("heading", "kind", "verdict"),
    [
        ("Contradictions", "contradictory", "cannot both be true"),
        ("Compatible", "compatible", "can both be true"),
        ("Different quantities", "different-quantity", "counts"),
    ],
)
def test_pairs_are_stated_under_their_heading(
    bundled_site, expected, measure_page, heading, kind, verdict
):
    found = yaml_figures(expected, MEASURE)
    wanted = {pair for pair, k in expected_pairs(found).items() if k == kind}
    assert wanted, f"the bundled measure has no {kind} pair"
    labels = worded(measure_page, bundled_site, expected)
    assert pairs_on_page(measure_page, heading, labels) == wanted
    items = pair_items(measure_page, heading)
    assert len(items) == len(wanted)
    for item in items:
        assert verdict in text_of(item)


def test_thirty_and_fifty_million_cannot_both_be_true(bundled_site, measure_page):
    # The resign report's 50 million counts what Cambridge Analytica's 30 million counts.
    items = [text_of(li) for li in pair_items(measure_page, "Contradictions")]
    assert any(
        "“50 million”" in t
        and "no more than 30 million" in t
        and t.endswith("cannot both be true.")
        for t in items
    ), items


def test_upwards_of_fifty_million_is_set_apart_by_what_it_counts(bundled_site, measure_page):
    """ "Upwards of 50 million" counts what Kogan's app could access, as its article says; the
    view says so, and both checks say in words that it and "no more than 30 million" cannot
    both be true unless they count different things."""
    items = [text_of(li) for li in pair_items(measure_page, "Different quantities")]
    assert any(
        "no more than 30 million" in t and "upwards of 50 million" in t and "could access" in t
        for t in items
    ), items
    for claim in ("upwards-of-50-million", "cambridge-analytica-30-million"):
        analysis = text_of(main_of(parse(bundled_site / "claims" / claim / "index.html")))
        assert "cannot both be true" in analysis, claim
        assert "count different things" in analysis, claim


def test_other_scope_and_other_count_are_never_contradictions(bundled_site, expected, measure_page):
    found = yaml_figures(expected, MEASURE)
    main = main_quantity(found)
    australians = find_figure(found, 311_127, "exact")
    installs = find_figure(found, 300_000, "about")
    # The YAML gives them another scope and another counted thing than the main quantity.
    assert australians.quantity[0] == main[0] and australians.quantity[1] != main[1]
    assert installs.quantity[0] != main[0]

    labels = worded(measure_page, bundled_site, expected)
    contradictions = pairs_on_page(measure_page, "Contradictions", labels)
    different = pairs_on_page(measure_page, "Different quantities", labels)
    for figure in (australians, installs):
        assert not any(figure.claim in pair for pair in contradictions)
        assert not any(
            figure.claim in pair for pair in pairs_on_page(measure_page, "Compatible", labels)
        )
        others = {cid for cid in found if cid != figure.claim}
        assert {pair for pair in different if figure.claim in pair} == {
            frozenset((figure.claim, other)) for other in others
        }
    # The page says what each counts: Australia for one, app installs for the other.
    for item in pair_items(measure_page, "Different quantities"):
        text = text_of(item)
        if f"“{labels[australians.claim]}”" in text:
            assert f"({australians.scope})" in text
        if f"“{labels[installs.claim]}”" in text:
            assert installs.counted in text
    # And so do the table and the chart.
    main_tag = main_of(parse(measure_page))
    rows = {
        re.search(r"claims/([^/]+)/", tr.find("a")["href"]).group(1): text_of(tr)
        for tr in main_tag.select("table.figures tbody tr")
    }
    assert australians.scope in rows[australians.claim]
    assert installs.counted in rows[installs.claim]
    notes = {
        g["data-claim"]: text_of(g.select_one("text.row-note"))
        for g in main_tag.select("svg g.figure-row")
        if g.select_one("text.row-note")
    }
    assert set(notes) == {f.claim for f in found.values() if f.quantity != main}
    assert australians.scope in notes[australians.claim]
    assert installs.counted in notes[installs.claim]


# --- quotation pages -------------------------------------------------------------------------


def seed_words(expected: Expected, source_id: str) -> list[str]:
    return key_words("\n".join(expected.paragraphs(source_id)))


def contains_run(haystack: list[str], needle: list[str]) -> bool:
    n = len(needle)
    return any(haystack[i : i + n] == needle for i in range(len(haystack) - n + 1))


def check_quotation_page(page: Path, out: Path, expected: Expected) -> None:
    shown = wordings(page, out)
    assert len(shown) >= 2
    assert len({w.source for w in shown}) == len(shown), "one wording per outlet"
    base = shown[0]
    assert base.diff is None and base.differences == []
    for wording in shown:
        # The wording is the archived text's, character for character (line breaks made
        # spaces), and the same words are the source page's.
        archived = squash("\n".join(expected.paragraphs(wording.source)))
        assert wording.text in archived, (wording.source, wording.text)
        assert contains_run(seed_words(expected, wording.source), key_words(wording.text))
        # Its link leads into the archived copy, to an element that holds its first word.
        target, fragment = resolve(page, wording.href, out)
        assert fragment, wording.href
        element = parse(target).find(id=fragment)
        assert element is not None, f"{wording.href}: no id {fragment!r}"
        paragraph = element if element.name == "p" else element.find_parent("p")
        assert key_words(wording.text)[0] in key_words(text_of(paragraph))
        assert wording.origin.startswith(("Quoted in the fact-check", "Found by the build"))
        # The original article, when its address is known, with the wording as text fragment.
        url = expected.sources[wording.source].get("url")
        assert bool(wording.original) == bool(url)
        if url:
            assert wording.original.startswith(f"{url}#:~:text=")
    for wording in shown[1:]:
        tokens, differences = variants.compare(base.text, wording.text)
        kinds = [text_of(li.find("strong")).lower() for li in wording.differences]
        assert kinds == [d.kind for d in differences]
        for li, difference in zip(wording.differences, differences, strict=True):
            for part in (difference.base, difference.variant):
                if part:
                    assert squash(part) in text_of(li)
        if not differences:
            section = wording.verbatim.find_parent("section")
            assert "Same words as the first wording" in text_of(section)
            assert wording.diff is None
            continue
        runs = variants.runs(tokens)
        marked = [(t.op, t.text) for t in runs if t.op != "same"]
        assert diff_runs(wording.diff) == marked
        # Read without the hidden words, the comparison is every word of both wordings.
        assert visible_text(wording.diff) == "Word by word: " + " ".join(t.text for t in runs)


def test_every_quotation_page_shows_each_wording_and_its_diff(bundled_site, expected):
    pages = quotation_pages(bundled_site)
    assert pages
    for page in pages:
        check_quotation_page(page, bundled_site, expected)


def test_at_least_three_quotations_show_variants_across_outlets(bundled_site):
    varied = []
    for page in quotation_pages(bundled_site):
        shown = wordings(page, bundled_site)
        distinct = {tuple(key_words(w.text)) for w in shown}
        if len(distinct) >= 2 and len({w.source for w in shown}) >= 2:
            varied.append(page)
    assert len(varied) >= 3, varied


def test_the_most_quoted_statement_shows_every_outlet_from_one_annotation(trimmed):
    # The statement whose bundled quotation page shows the most outlets (at least three).
    cid = max(trimmed.bundled, key=lambda c: (len(set(trimmed.bundled[c])), c))
    sources = trimmed.bundled[cid]
    assert len(set(sources)) >= 3
    (page,) = claim_quotation_pages(trimmed.out, cid)
    shown = check_found_by_the_build(page, trimmed, cid)
    assert shown[0].source == sources[0]
    assert {w.source for w in shown} == set(sources)


def test_at_least_three_quotations_show_variants_found_automatically(trimmed):
    varied = []
    for cid in trimmed.bundled:
        for page in claim_quotation_pages(trimmed.out, cid):
            shown = check_found_by_the_build(page, trimmed, cid)
            if len({tuple(key_words(w.text)) for w in shown}) >= 2:
                varied.append(cid)
    assert len(set(varied)) >= 3, varied


def test_every_trimmed_claim_still_has_a_quotation_page(trimmed):
    # One annotation is enough for the build to find at least one other outlet's wording.
    for cid in trimmed.bundled:
        assert claim_quotation_pages(trimmed.out, cid), cid


def test_bundled_pages_mark_the_editors_quotations(bundled_site, expected):
    for page in quotation_pages(bundled_site):
        cid = quotation_claim(page)
        annotated = {q["source"] for q in expected.claims[cid]["appearances"]}
        for wording in wordings(page, bundled_site):
            quoted = wording.origin.startswith("Quoted in the fact-check")
            assert quoted == (wording.source in annotated), (cid, wording.source)


# --- claim pages -----------------------------------------------------------------------------


def test_claim_pages_with_a_figure_link_to_their_measure_and_show_the_chart(bundled_site, expected):
    for cid, data in expected.claims.items():
        page = bundled_site / "claims" / cid / "index.html"
        main = main_of(parse(page))
        targets = {
            link_target(page, a["href"], bundled_site)[0]
            for a in main.find_all("a", href=True)
            if "discrepancies/" in a["href"]
        }
        measure_links = {t for t in targets if re.fullmatch(r"discrepancies/[^/]+/index\.html", t)}
        if "figure" not in data:
            assert main.select("svg.chart") == []
            assert measure_links == set(), cid
            continue
        measure = data["figure"]["measure"]
        assert measure_links == {f"discrepancies/{measure}/index.html"}, cid
        # Drawn wide and narrow, for the stylesheet to show one by the screen's width.
        svgs = main.select("svg.chart.compact")
        assert [" ".join(svg["class"]) for svg in svgs] == [
            "chart chart-wide compact",
            "chart chart-narrow compact",
        ]
        for svg in svgs:
            highlighted = [g["data-claim"] for g in svg.select("g.figure-row.highlighted")]
            assert highlighted == [cid]


def test_claim_pages_link_to_their_quotation_pages(bundled_site, expected):
    by_claim: dict[str, set[str]] = {}
    for page in quotation_pages(bundled_site):
        by_claim.setdefault(quotation_claim(page), set()).add(
            page.relative_to(bundled_site).as_posix()
        )
    assert by_claim
    for cid in expected.claims:
        page = bundled_site / "claims" / cid / "index.html"
        main = main_of(parse(page))
        targets = {
            link_target(page, a["href"], bundled_site)[0]
            for a in main.find_all("a", href=True)
            if "discrepancies/quotes/" in a["href"]
        }
        assert targets == by_claim.get(cid, set()), cid


# --- a site of its own: one statement printed whole, reordered and cut ------------------------

REWORDED = "reworded-site"
STATEMENT_START = "We will publish"


@pytest.fixture(scope="module")
def reworded(tmp_path_factory) -> Built:
    return build_copy(tmp_path_factory.mktemp("reworded"), REWORDED)


def printed(expected: Expected, source_id: str) -> str:
    """What an outlet printed between quotation marks when it quoted the statement, read from
    its archived article (the seed), its closing comma or full stop left out."""
    (paragraph,) = [p for p in expected.paragraphs(source_id) if f'"{STATEMENT_START}' in p]
    (quoted,) = re.findall(r'"(We will publish[^"]*?)[,.]?"', paragraph)
    return quoted


def test_each_outlets_wording_is_printed_verbatim_as_plain_text(reworded: Built):
    (page,) = claim_quotation_pages(reworded.out, "audit-before-summer")
    shown = wordings(page, reworded.out)
    data = reworded.expected.claims["audit-before-summer"]
    quoted = [a["source"] for a in data["appearances"]]
    # The fact-check's quotations first, in its order; then the one the build found.
    assert [w.source for w in shown] == [*quoted, "valley-voice"]
    assert [w.origin.split(";")[0].rstrip(".") for w in shown] == [
        "Quoted in the fact-check",
        "Quoted in the fact-check",
        "Found by the build",
    ]
    for wording in shown:
        assert wording.text == printed(reworded.expected, wording.source)
        heading = wording.verbatim.find_parent("section").find("h2")
        assert text_of(heading).startswith(reworded.expected.sources[wording.source]["outlet"])
    check_quotation_page(page, reworded.out, reworded.expected)
    assert page_problems(parse(page), reworded.expected.language) == []


def test_a_reordered_wording_is_a_reordering_and_a_cut_one_a_truncation(reworded: Built):
    (page,) = claim_quotation_pages(reworded.out, "audit-before-summer")
    by_source = {w.source: w for w in wordings(page, reworded.out)}
    classes = {
        sid: [text_of(li.find("strong")).lower() for li in w.differences]
        for sid, w in by_source.items()
    }
    assert classes["harbour-herald"] == []  # the first wording, the others' yardstick
    # Valley Voice has every word but one "the", "report" in another place, "of the" added.
    assert "reordering" in classes["valley-voice"]
    assert "truncation" not in classes["valley-voice"]
    (moved,) = [li for li in by_source["valley-voice"].differences if "Reordering" in text_of(li)]
    assert "“report”" in text_of(moved)
    assert [t for k, t in diff_runs(by_source["valley-voice"].diff) if k == "moved"] == ["report"]
    # Coast Radio stops before "before the summer": cut short at the end.
    assert classes["coast-radio"] == ["truncation"]
    (cut,) = by_source["coast-radio"].differences
    assert text_of(cut) == "Truncation: leaves out “before the summer” at the end"


def test_each_wording_links_to_its_own_passage(reworded: Built):
    (page,) = claim_quotation_pages(reworded.out, "audit-before-summer")
    for wording in wordings(page, reworded.out):
        target, fragment = resolve(page, wording.href, reworded.out)
        assert target == reworded.out / "sources" / wording.source / "index.html"
        element = parse(target).find(id=fragment)
        assert element is not None, wording.href
        if wording.origin.startswith("Quoted"):
            # The highlight of the quotation, the one the claim page links to.
            assert element.name == "mark"
            assert text_of(element) == wording.text
            claim_page = reworded.out / "claims" / "audit-before-summer" / "index.html"
            claim_links = {
                resolve(claim_page, a["href"], reworded.out)
                for a in main_of(parse(claim_page)).select("p.quote-links a")
                if not a["href"].startswith("http")
            }
            assert (target, fragment) in claim_links
        else:
            # A wording no fact-check quotes has no highlight: its paragraph holds it.
            assert element.name == "p"
            assert wording.text in text_of(element)
        url = reworded.expected.sources[wording.source].get("url")
        if url:
            # The original article's address, scrolled to the wording's first and last words.
            directive = unquote(wording.original.removeprefix(f"{url}#:~:text="))
            first, last = directive.split(",") if "," in directive else (directive, directive)
            assert wording.text.startswith(first) and wording.text.endswith(last)
        else:
            assert wording.original == ""
