"""The interface in the site's language: the shipped translation tables are complete (every key
of the English table, each language's plural forms, the same placeholders), a site can override
them, a missing key stops the build naming every one at once, and a French site shows no
English interface text, with French dates and numbers."""

from __future__ import annotations

import datetime as dt
import json
import re
import shutil
from pathlib import Path

import pytest
import yaml
from bs4 import BeautifulSoup
from conftest import run_cli
from i18n_check import english_leftovers, table
from sitecheck import FIXTURES, Built, build_copy, html_files, parse, text_of

from generator import i18n, pipeline
from generator.config import DEFAULT_THEME, Options, Paths
from generator.load import tables

GENERATOR = Path(__file__).resolve().parent.parent / "generator"
LANGUAGES = ("fr", "es", "pt", "de", "ar")
ENGLISH = table("en")


def forms(message: i18n.Message) -> list[str]:
    return list(message.values()) if isinstance(message, dict) else [message]


# --- The shipped tables ----------------------------------------------------------------------


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_shipped_table_has_exactly_the_english_keys(language: str) -> None:
    assert set(table(language)) == set(ENGLISH)


@pytest.mark.parametrize("language", ("en", *LANGUAGES))
def test_plural_texts_give_every_form_their_language_needs(language: str) -> None:
    needed = set(i18n.plural_categories(i18n.parse_locale(language)))
    plural = {key for key, message in ENGLISH.items() if isinstance(message, dict)}
    assert plural, "the English table has plural texts"
    for key, message in table(language).items():
        assert isinstance(message, dict) == (key in plural), (language, key)
        if isinstance(message, dict):
            assert set(message) == needed, (language, key)
            assert all(isinstance(form, str) and form.strip() for form in message.values())
        else:
            assert isinstance(message, str) and message.strip(), (language, key)


def test_arabic_gives_all_six_plural_forms() -> None:
    assert i18n.plural_categories(i18n.parse_locale("ar")) == i18n.CATEGORIES
    ui = i18n.Interface("ar", table("ar"))
    shown = {n: ui.text("count.fact_checks", count=n) for n in (0, 1, 2, 3, 11, 100)}
    assert len(set(shown.values())) == 6, shown


@pytest.mark.parametrize("language", LANGUAGES)
def test_translations_have_the_english_placeholders(language: str) -> None:
    """A text has the placeholders of its English one; a plural form may leave some out ("one"
    may say "a fact-check"), but its "other" form has them all."""
    for key, message in table(language).items():
        reference = ENGLISH[key]
        if isinstance(message, dict):
            assert i18n.placeholders(message) <= i18n.placeholders(reference), (language, key)
            other = i18n.placeholders(message["other"])
            assert other == i18n.placeholders(reference["other"]), (language, key)
        else:
            assert i18n.placeholders(message) == i18n.placeholders(reference), (language, key)


@pytest.mark.parametrize("language", LANGUAGES)
def test_each_shipped_table_passes_the_builds_own_checks(tmp_path: Path, language: str) -> None:
    """The loader reads each table without a word (the same checks as a site's)."""
    from generator.diagnostics import Diagnostics, Location

    diags = Diagnostics()
    ui = tables.read(Paths.for_site(tmp_path), language, Location("content/site.yaml"), diags)
    assert diags.sorted() == [] and ui is not None
    assert ui.date(dt.date(2018, 4, 4))


def test_every_key_the_theme_and_the_generator_ask_for_is_in_the_english_table() -> None:
    """The templates' t("key") calls, and every key written in the generator's code; and every
    key of the table is asked for by one of them (no text nobody shows)."""
    asked = set(tables.template_keys(DEFAULT_THEME))
    code = "\n".join(path.read_text(encoding="utf-8") for path in GENERATOR.rglob("*.py"))
    in_code = set(re.findall(r"[\"']([a-z_]+\.[a-z_]+)[\"']", code)) & set(ENGLISH)
    assert asked - set(ENGLISH) == set()
    assert set(ENGLISH) - asked - in_code == set()
    # The keys the generator formats itself (titles, feeds, charts, cards), checked by name.
    for key in ("title.paged", "feed.entry", "chart.title", "card.alt", "figure.million"):
        assert key in in_code


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("en", "4 April 2018"),
        ("fr", "4 avril 2018"),
        ("es", "4 de abril de 2018"),
        ("pt", "4 de abril de 2018"),
        ("de", "4. April 2018"),
    ],
)
def test_dates_are_written_the_languages_way(language: str, expected: str) -> None:
    assert i18n.Interface(language, table(language)).date(dt.date(2018, 4, 4)) == expected


@pytest.mark.parametrize(
    ("language", "value", "expected"),
    [
        ("en", 87_000_000, "87 million"),
        ("en", 311_127, "311,127"),
        ("en", 1_500_000_000, "1.5 billion"),
        ("en", 1_234_567, "1,234,567"),
        ("fr", 87_000_000, "87 millions"),
        ("fr", 1_200_000, "1,2 million"),
        ("fr", 311_127, "311\u202f127"),
        ("es", 87_000_000, "87 millones"),
        ("pt", 1_000_000, "1 milhão"),
        ("de", 87_000_000, "87 Millionen"),
        ("de", 311_127, "311.127"),
        ("ar", 5_000_000, "5 ملايين"),
    ],
)
def test_figures_are_written_the_languages_way(language: str, value: int, expected: str) -> None:
    assert i18n.Interface(language, table(language)).figure(value) == expected


def test_english_pages_keep_their_dates_and_figures(bundled: Built) -> None:
    """The English site's dates and figures as before: "22 November 2026", "87 million"."""
    soup = bundled.page("claims/up-to-87-million/")
    assert re.search(r"\b\d{1,2} [A-Z][a-z]+ \d{4}\b", text_of(soup.select_one(".byline")))
    assert "87 million" in text_of(soup.find("main"))


# --- A site's own tables --------------------------------------------------------------------


def italian_site(tmp_path: Path, dropped: tuple[str, ...] = ()) -> Path:
    """The minimal fixture site in Italian, its interface table its own (theme/i18n/it.yaml:
    the French table's texts, which need the same plural forms), but for the keys `dropped`
    ("section.key")."""
    root = tmp_path / "site"
    shutil.copytree(FIXTURES / "minimal-site", root)
    site = root / "content" / "site.yaml"
    site.write_text(site.read_text(encoding="utf-8").replace("language: fr", "language: it"))
    data = yaml.safe_load((DEFAULT_THEME / "i18n" / "fr.yaml").read_text(encoding="utf-8"))
    for key in dropped:
        section, name = key.split(".")
        del data[section][name]
    folder = root / "theme" / "i18n"
    folder.mkdir(parents=True)
    (folder / "it.yaml").write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return root


def test_a_site_can_translate_the_interface_in_its_own_theme_folder(tmp_path: Path) -> None:
    """A theme/ holding nothing but i18n/ tables: the shipped templates, the site's words."""
    root = italian_site(tmp_path)
    out = tmp_path / "_site"
    result = pipeline.build(Paths.for_site(root, out), Options(strict=True))
    assert result.ok, "\n".join(d.format() for d in result.diagnostics)
    soup = parse(out / "index.html")
    assert soup.html["lang"] == "it"
    assert soup.find("meta", property="og:locale")["content"] == "it_IT"
    assert text_of(soup.select_one(".skip-link")) == "Aller au contenu"


# Keys left out of the Italian table, and where they go in it (their section), by key.
DROPPED = ("nav.skip", "claim.verdict", "count.fact_checks")


def test_missing_keys_stop_the_build_naming_each_at_once(tmp_path: Path) -> None:
    root = italian_site(tmp_path)
    out = root / "_site"
    assert run_cli("build", "--root", str(root)).returncode == 0
    before = {p: p.read_bytes() for p in out.rglob("*") if p.is_file()}
    root_it = italian_site(tmp_path / "again", DROPPED)
    shutil.copy(root_it / "theme" / "i18n" / "it.yaml", root / "theme" / "i18n" / "it.yaml")
    for command in ("build", "check"):
        run = run_cli(command, "--root", str(root))
        assert run.returncode == 1, run.stderr
        errors = re.findall(r"^(\S+):(\d+):(\d+): error: (.*)$", run.stderr, re.M)
        assert len(errors) == len(DROPPED), run.stderr
        lines = (root / "theme" / "i18n" / "it.yaml").read_text(encoding="utf-8").split("\n")
        for key in DROPPED:
            (found,) = [e for e in errors if f"'{key}'" in e[3]]
            path, line, col, message = found
            assert path == "theme/i18n/it.yaml" and "language 'it'" in message
            # At its section's line in the table.
            assert lines[int(line) - 1][int(col) - 1 :].startswith(key.split(".")[0] + ":")
    # The previous site is as it was.
    assert {p: p.read_bytes() for p in out.rglob("*") if p.is_file()} == before


def test_a_key_a_template_asks_for_that_no_table_has_is_an_error_at_the_template(
    tmp_path: Path,
) -> None:
    root = italian_site(tmp_path)
    shutil.copytree(DEFAULT_THEME / "templates", root / "theme" / "templates")
    page = root / "theme" / "templates" / "404.html"
    page.write_text(
        page.read_text().replace("{% block main %}", '{% block main %}{{ t("no.such") }}')
    )
    result = pipeline.build(Paths.for_site(root, tmp_path / "_site"), Options())
    (error,) = result.diagnostics
    assert (error.path, error.line) == ("theme/templates/404.html", 3)
    assert "'no.such'" in error.message and error.col > 0


def test_a_language_without_a_table_is_an_error_saying_how_to_add_one(tmp_path: Path) -> None:
    root = italian_site(tmp_path)
    shutil.rmtree(root / "theme")
    result = pipeline.build(Paths.for_site(root, tmp_path / "_site"), Options())
    (error,) = result.diagnostics
    assert error.path == "content/site.yaml" and error.line > 1
    assert "no translation table for language 'it'" in error.message
    assert "theme/i18n/it.yaml" in error.hint and "en.yaml" in error.hint


def test_plural_forms_and_placeholders_of_a_sites_table_are_checked(tmp_path: Path) -> None:
    root = italian_site(tmp_path)
    path = root / "theme" / "i18n" / "it.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    del data["count"]["fact_checks"]["many"]
    data["nav"]["skip"] = "Vai al {contenuto}"
    data["nav"]["skipp"] = "Vai al contenuto"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    result = pipeline.build(Paths.for_site(root, tmp_path / "_site"), Options())
    messages = sorted(d.message for d in result.diagnostics)
    assert len(messages) == 3, messages
    assert any("'count.fact_checks' lacks the plural form many" in m for m in messages)
    assert any("unknown placeholder {contenuto}" in m for m in messages)
    assert any("unknown translation key 'nav.skipp'" in m for m in messages)


def test_an_edit_to_a_sites_table_rebuilds_the_pages(tmp_path: Path) -> None:
    """The tables are inputs: an incremental build after an edit shows the new words."""
    root = tmp_path / "site"
    shutil.copytree(FIXTURES / "minimal-site", root)
    out = tmp_path / "_site"
    assert pipeline.build(Paths.for_site(root, out), Options()).ok
    assert text_of(parse(out / "index.html").select_one(".skip-link")) == "Aller au contenu"
    table_file = root / "theme" / "i18n" / "fr.yaml"
    table_file.parent.mkdir(parents=True)
    table_file.write_text("nav:\n  skip: Passer au contenu\n", encoding="utf-8")
    assert pipeline.build(Paths.for_site(root, out), Options(strict=True)).ok
    for page in html_files(out):
        assert text_of(parse(page).select_one(".skip-link")) == "Passer au contenu", page


def test_quotations_in_another_language_carry_theirs(tmp_path: Path) -> None:
    """A quotation from an English article on a French site is marked lang="en"."""
    root = tmp_path / "site"
    shutil.copytree(FIXTURES / "minimal-site", root)
    source = root / "content" / "sources" / "gazette-budget.yaml"
    source.write_text(source.read_text(encoding="utf-8") + "language: en\n", encoding="utf-8")
    out = tmp_path / "_site"
    assert pipeline.build(Paths.for_site(root, out), Options()).ok
    quotes = [
        q
        for page in html_files(out / "claims")
        for q in parse(page).select("figure.quote blockquote")
    ]
    marked = {q.get("lang") for q in quotes}
    assert marked == {"en", None}  # the other source is in the site's language


# --- The French fixture site -----------------------------------------------------------------


@pytest.fixture(scope="module")
def french(tmp_path_factory: pytest.TempPathFactory) -> Built:
    """tests/fixtures/fr-site, built with --strict."""
    return build_copy(tmp_path_factory.mktemp("fr-i18n"), "fr-site")


def test_no_english_interface_text_remains_on_the_french_site(french: Built) -> None:
    assert french.expected.language == "fr"
    assert len(html_files(french.out)) > 20
    assert english_leftovers(french.out, "fr", french.root) == []


def test_the_checker_finds_english_left_on_a_page(french: Built, tmp_path: Path) -> None:
    """The check above would pass for nothing if it missed English: it finds it in a copy of
    a French page with one text put back in English."""
    copy = tmp_path / "site"
    shutil.copytree(french.out, copy)
    page = copy / "claims" / "prefet-6000-foyers" / "index.html"
    html = page.read_text(encoding="utf-8")
    page.write_text(html.replace("Notre verdict", "Our verdict"), encoding="utf-8")
    found = english_leftovers(copy, "fr")
    assert len(found) == 1 and "claim.verdict" in found[0]


FRENCH_DATE = re.compile(
    r"\b\d{1,2} (janvier|février|mars|avril|mai|juin|juillet|août|septembre|octobre|novembre|"
    r"décembre) \d{4}\b"
)


def test_the_french_site_writes_dates_and_numbers_the_french_way(french: Built) -> None:
    for cid, data in french.expected.claims.items():
        byline = text_of(french.page(f"claims/{cid}/").select_one(".byline"))
        assert FRENCH_DATE.search(byline), byline
        assert str(data["published"].year) in byline
    # Figures grouped with a narrow no-break space, scale words in French.
    measure = french.page("discrepancies/foyers-coupes/")
    figures = [td.get_text() for td in measure.select("table.figures td[data-label]")]
    assert any("9\u202f500" in text for text in figures), figures
    ticks = [t.get_text() for t in measure.select("svg text.tick")]
    assert "10\u202f000" in ticks or "5\u202f000" in ticks, ticks
    cost = text_of(french.page("discrepancies/cout-crue/").find("main"))
    assert "1,2 million" in cost


def test_the_french_site_says_its_language_to_machines(french: Built) -> None:
    soup = french.page("claims/prefet-6000-foyers/")
    assert soup.html["lang"] == "fr"
    assert soup.find("meta", property="og:locale")["content"] == "fr_FR"
    (script,) = soup.select('script[type="application/ld+json"]')
    assert json.loads(script.string)["inLanguage"] == "fr"
    feed = BeautifulSoup((french.out / "feed.xml").read_text(encoding="utf-8"), "xml")
    assert feed.find("feed")["xml:lang"] == "fr"
    data = json.loads((french.out / "claims.json").read_text(encoding="utf-8"))
    assert data["site"]["language"] == "fr"
    assert {a["source"]["language"] for c in data["claims"] for a in c["appearances"]} == {"fr"}
