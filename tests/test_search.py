"""Search (generator/render/search.py): the records, the Pagefind bundle and the search page.

The bundle is read as Pagefind wrote it: its entry file (JSON), and its chunks, gzip files
whose text a word can be looked for in. tests/test_search_browser.py searches it in Chromium.
"""

from __future__ import annotations

import gzip
import json
import re
import shutil
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import yaml
from bs4 import BeautifulSoup
from sitecheck import Built, main, parse, resolve

from generator import load, pipeline
from generator.config import Options, Paths
from generator.diagnostics import Diagnostics
from generator.model import Content
from generator.render import search

REPO = Path(__file__).resolve().parent.parent
CLAIM = "content/claims/up-to-87-million.yaml"


def build(root: Path, out: Path, **options: object) -> pipeline.BuildResult:
    return pipeline.build(Paths.for_site(root, out), Options(**options))  # type: ignore[arg-type]


def indexed_text(out: Path) -> bytes:
    """Everything the bundle's fragments hold (each result's text and metadata), unzipped."""
    fragments = sorted((out / "pagefind" / "fragment").glob("*.pf_fragment"))
    assert fragments, "the bundle has fragments"
    return b"\n".join(gzip.decompress(f.read_bytes()) for f in fragments)


def entry(out: Path) -> dict[str, object]:
    return json.loads((out / "pagefind" / "pagefind-entry.json").read_text(encoding="utf-8"))


def load_content(root: Path) -> Content:
    diags = Diagnostics()
    content = load.read(Paths.for_site(root), Options(), diags, {}, None)
    assert content is not None and not diags.has_errors()
    return content


# --- records -------------------------------------------------------------------------------


def test_each_fact_check_is_one_record_with_its_words_filters_and_date() -> None:
    content = load_content(REPO)
    records = search.records(content, lambda claim: claim.published.isoformat())
    assert len(records) == len(content.claims)
    by_url = {record.url: record for record in records}
    for claim in content.claims:
        record = by_url[f"claims/{claim.id}/"]
        assert (record.claim, record.claimant) == (claim.claim, claim.claimant)
        assert (record.rating, record.topics) == (claim.rating.label, claim.tags)
        assert record.date == claim.published.isoformat()
        assert claim.summary in record.text
        for quote in claim.quotes():
            assert quote.text in record.text, (claim.id, quote.text)
    # Newest first, as the lists are.
    assert [r.date for r in records] == sorted((r.date for r in records), reverse=True)


@pytest.mark.parametrize(
    ("markdown", "words", "not_words"),
    [
        (
            "See [the post](https://example.org/x) **now**.",
            ["the post", "now"],
            ["example.org", "**"],
        ),
        (
            "# Heading\n\n- item one\n> quoted `code`",
            ["Heading", "item one", "quoted", "code"],
            ["#", "`"],
        ),
    ],
)
def test_the_analysis_is_indexed_as_words_without_its_markup(
    markdown: str, words: list[str], not_words: list[str]
) -> None:
    text = search.plain_text(markdown)
    assert all(w in text for w in words)
    assert not any(w in text for w in not_words)


def test_a_record_is_read_by_pagefind_as_escaped_text_with_its_filters() -> None:
    record = search.Record(
        url="claims/x/",
        claim="A <b>bold</b> claim",
        claimant='Smith, "J." & Co',
        rating="Mostly accurate",
        text="Up to 87 million </p><script>",
        topics=("privacy", "a, b"),
        shown_date="4 April 2018",
        date="2018-04-04",
    )
    soup = BeautifulSoup(search.record_html(record, "en"), "html.parser")
    assert soup.find("h1").get_text() == record.claim
    assert soup.select_one('[data-pagefind-filter="claimant"]').get_text() == record.claimant
    assert soup.select_one('[data-pagefind-filter="rating"]').get_text() == record.rating
    topics = [t.get_text() for t in soup.select('[data-pagefind-filter="topic"]')]
    assert topics == list(record.topics)
    assert soup.find("script") is None and record.text in soup.get_text()
    assert soup.body["data-pagefind-sort"] == "date:2018-04-04"
    # Shown, not searched: the date and topics are in an element Pagefind does not index.
    ignored = soup.select_one("[data-pagefind-ignore]")
    assert ignored.select_one('[data-pagefind-meta="date"]').get_text() == "4 April 2018"


def test_the_index_language_is_the_primary_subtag() -> None:
    assert search.index_language("pt-BR") == "pt"
    assert search.index_language("fr") == "fr"


# --- the bundle in the built site ----------------------------------------------------------


def test_the_bundle_holds_every_fact_check_in_the_sites_language(bundled: Built) -> None:
    out, exp = bundled.out, bundled.expected
    assert (out / search.SCRIPT).is_file()
    languages = entry(out)["languages"]
    assert list(languages) == [exp.language.split("-")[0]]
    assert languages[exp.language.split("-")[0]]["page_count"] == len(exp.claims)
    text = indexed_text(out)
    for cid in exp.claims:
        assert f"/claims/{cid}/".encode() in text, cid


def test_only_what_the_search_page_uses_is_published(bundled: Built) -> None:
    names = {
        p.relative_to(bundled.out / "pagefind").as_posix()
        for p in (bundled.out / "pagefind").rglob("*")
        if p.is_file()
    }
    assert not [n for n in names if "-ui" in n or "playground" in n or "highlight" in n]
    assert {"pagefind.js", "pagefind-worker.js", "pagefind-entry.json"} <= names
    assert any(re.fullmatch(r"wasm\.\w+\.pagefind", n) for n in names)


def test_the_french_site_is_indexed_in_french(fixture_site, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    root = fixture_site("fr-site")
    out = tmp_path / "out"
    assert build(root, out).ok
    assert list(entry(out)["languages"]) == ["fr"]


# --- the search page -----------------------------------------------------------------------


def test_every_page_links_to_the_search_page(built: Built) -> None:
    exp = built.expected
    for page in sorted(built.out.rglob("*.html")):
        soup = parse(page)
        menu = soup.select(f'nav[aria-label="{exp.t("nav.site")}"] a')
        links = [a for a in menu if a.get_text(strip=True) == exp.t("nav.search")]
        assert len(links) == 1, page
        if page.name == "404.html":  # served at any address: its links start from the base path
            assert links[0]["href"] == urlsplit(built.expected.base_url).path + "search/"
        else:
            target = resolve(page, links[0]["href"], built.out)[0]
            assert target == built.out / "search" / "index.html", page


def test_without_javascript_the_search_page_offers_links_to_browse(built: Built) -> None:
    page = built.out / "search" / "index.html"
    soup = main(parse(page))
    # The form is hidden until search.js shows it: never a form that does nothing.
    box = soup.select_one(".search")
    assert box is not None and box.has_attr("hidden")
    assert box.select_one("form input[type=search]") is not None
    browse = soup.select("nav.browse a")
    targets = {
        resolve(page, a["href"], built.out)[0].relative_to(built.out).as_posix() for a in browse
    }
    assert {
        "ratings/index.html",
        "tags/index.html",
        "claimants/index.html",
        "index.html",
    } <= targets
    assert all((built.out / t).is_file() for t in targets)


def test_the_search_page_points_at_the_bundle_and_the_site_root(built: Built) -> None:
    page = built.out / "search" / "index.html"
    box = main(parse(page)).select_one(".search")
    assert resolve(page, box["data-bundle"], built.out)[0] == built.out / search.SCRIPT
    assert resolve(page, box["data-root"], built.out)[0] == built.out / "index.html"
    scripts = parse(page).select("script[src]")
    assert [resolve(page, s["src"], built.out)[0] for s in scripts] == [
        built.out / "static" / "search.js"
    ]


def test_the_rating_filter_is_in_the_scales_order(built: Built) -> None:
    soup = main(parse(built.out / "search" / "index.html"))
    options = [o["value"] for o in soup.select("#search-rating option") if o["value"]]
    assert options == [r.label for r in built.expected.ratings]
    assert options != sorted(options) or len(options) < 2


# --- incremental builds --------------------------------------------------------------------


@pytest.fixture
def runs(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """How many records each run of Pagefind was given, in this process."""
    counted: list[int] = []
    real = search.run_pagefind

    def counting(records: list[search.Record], language: str) -> dict[str, bytes]:
        counted.append(len(records))
        return real(records, language)

    monkeypatch.setattr(search, "run_pagefind", counting)
    return counted


def copy_site(tmp_path: Path) -> Path:
    root = tmp_path / "site"
    for folder in ("content", "seeds"):
        shutil.copytree(REPO / folder, root / folder)
    return root


def test_an_edit_that_changes_no_record_runs_no_pagefind(tmp_path: Path, runs: list[int]) -> None:
    root, out = copy_site(tmp_path), tmp_path / "out"
    assert build(root, out).ok and len(runs) == 1
    # A source's note is shown on its page, not in any record.
    assert build(root, out).ok and len(runs) == 1
    path = root / "content" / "site.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("title:", "title: New", 1), "utf-8")
    assert build(root, out).ok
    assert len(runs) == 1, "a new site title changes no fact-check's record"


def test_an_edited_fact_check_is_found_by_its_new_words(tmp_path: Path, runs: list[int]) -> None:
    root, out = copy_site(tmp_path), tmp_path / "out"
    assert build(root, out).ok
    path = root / CLAIM
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    path.write_text(
        path.read_text(encoding="utf-8").replace(data["summary"].split()[0], "Quetzalcoatlus", 1),
        "utf-8",
    )
    assert b"Quetzalcoatlus" not in indexed_text(out)
    assert build(root, out).ok
    assert len(runs) == 2
    assert b"Quetzalcoatlus" in indexed_text(out)
    # Every file the entry and metadata name is there: one run's bundle, whole.
    assert_bundle_whole(out)
    full = tmp_path / "full"
    assert build(root, full).ok
    assert sorted(p.name for p in (out / "pagefind" / "fragment").iterdir()) == sorted(
        p.name for p in (full / "pagefind" / "fragment").iterdir()
    )


def assert_bundle_whole(out: Path) -> None:
    """The entry names a metadata file that is there, and no file is left from another run."""
    folder = out / "pagefind"
    for language in entry(out)["languages"].values():  # type: ignore[union-attr]
        assert (folder / f"pagefind.{language['hash']}.pf_meta").is_file()
    assert len(list(folder.glob("*.pf_meta"))) == len(entry(out)["languages"])  # type: ignore[arg-type]


def test_a_file_of_the_bundle_deleted_by_hand_is_made_again_with_the_whole_bundle(
    tmp_path: Path, runs: list[int]
) -> None:
    root, out = copy_site(tmp_path), tmp_path / "out"
    assert build(root, out).ok
    meta = next((out / "pagefind").glob("*.pf_meta"))
    meta.unlink()
    assert build(root, out).ok
    assert len(runs) == 2
    assert_bundle_whole(out)


# --- failure -------------------------------------------------------------------------------


def test_without_pagefind_the_build_fails_and_says_why(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root, out = copy_site(tmp_path), tmp_path / "out"
    assert build(root, out).ok
    before = sorted((p.relative_to(out), p.read_bytes()) for p in out.rglob("*") if p.is_file())
    path = root / CLAIM
    path.write_text(path.read_text(encoding="utf-8").replace("87", "88", 1), encoding="utf-8")

    def missing(records: list[search.Record], language: str) -> dict[str, bytes]:
        raise search.SearchError("Pagefind is not installed (the pagefind-bin package)")

    monkeypatch.setattr(search, "run_pagefind", missing)
    result = build(root, out)
    assert not result.ok
    errors = [d.format() for d in result.diagnostics]
    assert any(
        e.startswith("pagefind/pagefind.js:")
        and "cannot build the search index" in e
        and "pip install -r requirements.txt" in e
        for e in errors
    ), errors
    after = sorted((p.relative_to(out), p.read_bytes()) for p in out.rglob("*") if p.is_file())
    assert after == before, "a failed build leaves the site as it was"


def test_the_service_client_reads_answers_split_anywhere() -> None:
    """Pagefind's answers arrive in chunks of any size: a message split across reads, and
    several in one read, are each read whole."""
    import base64
    import io

    messages = [{"message_id": n, "payload": {"type": "X", "n": n}} for n in range(5)]
    stream = b"".join(base64.b64encode(json.dumps(m).encode()) + b"," for m in messages)

    class Trickle(io.RawIOBase):
        def __init__(self, data: bytes) -> None:
            self.data = data
            self.sizes = iter([3, 50, 1, 200, 7] * 100)

        def read1(self, size: int = -1) -> bytes:
            take = next(self.sizes)
            chunk, self.data = self.data[:take], self.data[take:]
            return chunk

    assert list(search._answers(Trickle(stream))) == messages  # type: ignore[arg-type]
