"""Paginated lists and the feed's limit, on a scratch site of 11 fact-checks with `page_size: 2`.

The home page, each claimant's page and each topic's page show at most `page_size` fact-checks,
newest first, and continue on `page/2/`, `page/3/` ... under the list's address. The tests
read the built pages as a reader's browser would: they follow the links of each page's
pagination (resolved like a browser resolves them) and check what each page lists. The feed
carries the newest `feed_size` entries. An edit to an old fact-check makes again only the list
pages that show it: not the first page of the home list, nor the feed.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import math
import re
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import feedparser
import pytest
import yaml
from bs4 import BeautifulSoup, Tag
from sitecheck import (
    cards,
    claim_id_of,
    disk_crawl,
    html_files,
    main,
    page_problems,
    parse,
    resolve,
    site_tree,
    text_of,
)

from generator import pipeline
from generator.config import Options, Paths
from generator.diagnostics import Severity
from generator.render import pages as render
from generator.render import publish

PAGE_SIZE = 2
FEED_SIZE = 5
BASE_URL = "https://example.org/checks/"
# One word per fact-check: what its quotation is about.
WORDS = ["alpha", "bravo", "charlie", "delta", "echo", "foxtrot", "golf", "hotel", "india"]
WORDS += ["juliet", "kilo"]
SITEMAP_NS = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


def claim_yaml(number: int) -> str:
    """Fact-check `number`: Jane Doe's when even, John Roe's when odd; all tagged `budget`,
    every third `housing`; published on day number + 1 of January 2024, but claims 4 and 5 on
    the same day (a day's fact-checks are listed by id). Claims 1 and 3 have a correction."""
    day = 5 if number == 5 else number + 1
    tags = ["budget", *(["housing"] if number % 3 == 0 else [])]
    corrections = {1: "2024-03-01", 3: "2024-02-15"}
    text = (
        f'claim: "The council spent money on {WORDS[number]}"\n'
        f"claimant: {'Jane Doe' if number % 2 == 0 else 'John Roe'}\n"
        "appearances:\n"
        "  - source: minutes\n"
        f'    quote: "spent money on {WORDS[number]}"\n'
        f"rating: {['accurate', 'inaccurate'][number % 2]}\n"
        f"summary: Summary of claim {number}.\n"
        "analysis: The minutes say so.\n"
        f"tags: [{', '.join(tags)}]\n"
        f"published: 2024-01-{day:02d}\n"
    )
    if number in corrections:
        text += f"corrections:\n  - date: {corrections[number]}\n    text: A name was fixed.\n"
    return text


def write_site(root: Path, page_size: int = PAGE_SIZE, feed_size: int = FEED_SIZE) -> Path:
    minutes = "".join(f"The council spent money on {word} this year.\n" for word in WORDS)
    files = {
        "content/site.yaml": (
            "title: Council checks\n"
            f"base_url: {BASE_URL}\n"
            "publisher:\n  name: Test desk\n"
            f"page_size: {page_size}\nfeed_size: {feed_size}\n"
        ),
        "content/sources/minutes.yaml": (
            "file: minutes.txt\ntitle: Council minutes\n"
            f"sha256: {hashlib.sha256(minutes.encode()).hexdigest()}\n"
        ),
        "seeds/minutes.txt": minutes,
        **{f"content/claims/claim-{n:02d}.yaml": claim_yaml(n) for n in range(len(WORDS))},
    }
    for name, text in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text, encoding="utf-8")
    return root


def build(root: Path, out: Path, base_url: str | None = None) -> None:
    result = pipeline.build(Paths.for_site(root, out), Options(base_url=base_url))
    assert result.ok, "\n".join(d.format() for d in result.diagnostics)


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """The scratch site (its root) and its build (the output folder)."""
    root = write_site(tmp_path_factory.mktemp("paginated") / "site")
    out = root.parent / "_site"
    build(root, out)
    return root, out


@pytest.fixture(scope="module")
def claims(site: tuple[Path, Path]) -> dict[str, dict[str, Any]]:
    """What each claim file says, by claim id."""
    folder = site[0] / "content" / "claims"
    return {p.stem: yaml.safe_load(p.read_text("utf-8")) for p in sorted(folder.glob("*.yaml"))}


def newest_first(claims: dict[str, dict[str, Any]], ids: list[str] | None = None) -> list[str]:
    ids = list(claims) if ids is None else ids
    return sorted(ids, key=lambda cid: (-claims[cid]["published"].toordinal(), cid))


def modified(data: dict[str, Any]) -> dt.date:
    return max([data["published"], *(c["date"] for c in data.get("corrections", []))])


# --- Walking a list by its links ---------------------------------------------------------------


def target(out: Path, page: Path, href: str) -> Path:
    """The file a relative link on a built page leads to, resolved as a browser resolves it."""
    return resolve(page, href, out)[0]


def pagination(soup: BeautifulSoup) -> Tag | None:
    found = soup.find_all("nav", attrs={"aria-label": "Pagination"})
    assert len(found) <= 1
    return found[0] if found else None


def walk(out: Path, first: Path) -> Iterator[tuple[Path, BeautifulSoup]]:
    """A list's pages in order, from its first page, by following each page's "next" link."""
    page: Path | None = first
    seen: list[Path] = []
    while page is not None:
        assert page.is_file(), f"{page} does not exist"
        assert page not in seen, f"the next links go round in a loop at {page}"
        seen.append(page)
        soup = parse(page)
        yield page, soup
        nav = pagination(soup)
        following = nav.find("a", rel="next") if nav else None
        page = target(out, page, following["href"]) if following else None


def listed(soup: BeautifulSoup) -> list[str]:
    return [claim_id_of(card["href"]) for card in cards(main(soup))]


def list_firsts(out: Path, claims: dict[str, dict[str, Any]]) -> dict[Path, list[str]]:
    """The first page of every list, with the fact-checks the whole list should show."""
    firsts = {out / "index.html": newest_first(claims)}
    for slug, name in (("jane-doe", "Jane Doe"), ("john-roe", "John Roe")):
        theirs = [cid for cid, data in claims.items() if data["claimant"] == name]
        firsts[out / "claimants" / slug / "index.html"] = newest_first(claims, theirs)
    for tag in ("budget", "housing"):
        tagged = [cid for cid, data in claims.items() if tag in data["tags"]]
        firsts[out / "tags" / tag / "index.html"] = newest_first(claims, tagged)
    for rating in ("accurate", "inaccurate"):
        rated = [cid for cid, data in claims.items() if data["rating"] == rating]
        firsts[out / "ratings" / rating / "index.html"] = newest_first(claims, rated)
    return firsts


# --- Lists -----------------------------------------------------------------------------------


def test_every_fact_check_is_on_exactly_one_page_of_each_list_newest_first(
    site: tuple[Path, Path], claims: dict[str, dict[str, Any]]
) -> None:
    _, out = site
    for first, wanted in list_firsts(out, claims).items():
        pages = [listed(soup) for _, soup in walk(out, first)]
        assert [cid for shown in pages for cid in shown] == wanted, first
        assert all(1 <= len(shown) <= PAGE_SIZE for shown in pages), (first, pages)
        assert len(pages) == math.ceil(len(wanted) / PAGE_SIZE), first


def test_the_home_pages_keep_the_total_and_say_which_page_they_are(
    site: tuple[Path, Path], claims: dict[str, dict[str, Any]]
) -> None:
    _, out = site
    count = math.ceil(len(claims) / PAGE_SIZE)
    titles = []
    for number, (_, soup) in enumerate(walk(out, out / "index.html"), start=1):
        headings = [text_of(h2) for h2 in main(soup).find_all("h2")]
        assert f"All fact-checks ({len(claims)})" in headings
        first = (number - 1) * PAGE_SIZE + 1
        last = min(len(claims), number * PAGE_SIZE)
        status = text_of(main(soup).select_one(".page-status"))
        assert status == (
            f"Page {number} of {count}: fact-checks {first} to {last} of {len(claims)}, "
            "newest first."
        )
        titles.append(text_of(soup.title))
        if number > 1:
            assert f"page {number} of {count}" in titles[-1]
    assert len(set(titles)) == len(titles)


def test_the_pages_of_a_list_link_to_each_other(
    site: tuple[Path, Path], claims: dict[str, dict[str, Any]]
) -> None:
    """Previous and next lead to the neighbouring pages (in the navigation and in <head>),
    each number to the page of that number, and the current page is marked aria-current."""
    _, out = site
    for first in list_firsts(out, claims):
        pages = [page for page, _ in walk(out, first)]
        for number, page in enumerate(pages, start=1):
            soup = parse(page)
            nav = pagination(soup)
            assert nav is not None, page
            links = {rel: nav.find("a", rel=rel) for rel in ("prev", "next")}
            heads = {rel: soup.head.find("link", rel=rel) for rel in ("prev", "next")}
            neighbours = {"prev": pages[number - 2] if number > 1 else None}
            neighbours["next"] = pages[number] if number < len(pages) else None
            for rel, neighbour in neighbours.items():
                if neighbour is None:
                    assert links[rel] is None and heads[rel] is None, (page, rel)
                else:
                    assert target(out, page, links[rel]["href"]) == neighbour, (page, rel)
                    assert target(out, page, heads[rel]["href"]) == neighbour, (page, rel)
            numbered = [a for a in nav.find_all("a") if not a.get("rel")]
            for a in numbered:
                shown = int(re.fullmatch(r"Page (\d+)", text_of(a)).group(1))
                assert target(out, page, a["href"]) == pages[shown - 1], (page, a)
            current = nav.find_all("a", attrs={"aria-current": "page"})
            assert [text_of(a) for a in current] == [f"Page {number}"], page
            assert target(out, page, current[0]["href"]) == page
            # The first and last pages are always offered.
            assert {text_of(a) for a in numbered} >= {"Page 1", f"Page {len(pages)}"}


def test_the_first_page_of_a_list_keeps_its_address(site: tuple[Path, Path]) -> None:
    _, out = site
    assert (out / "page" / "2" / "index.html").is_file()
    assert not (out / "page" / "1").exists()
    assert not (out / "tags" / "budget" / "page" / "1").exists()
    assert (out / "tags" / "budget" / "page" / "6" / "index.html").is_file()
    assert not (out / "tags" / "budget" / "page" / "7").exists()


def test_a_claimants_first_page_counts_all_of_their_ratings(
    site: tuple[Path, Path], claims: dict[str, dict[str, Any]]
) -> None:
    _, out = site
    janes = [cid for cid, data in claims.items() if data["claimant"] == "Jane Doe"]
    pages = list(walk(out, out / "claimants" / "jane-doe" / "index.html"))
    table = pages[0][1].select_one("table.counts")
    assert f"{len(janes)} statements" in text_of(table.caption)
    counts = {text_of(row.th): int(text_of(row.td)) for row in table.select("tbody tr")}
    assert counts["Accurate"] == len(janes)  # every even-numbered claim is rated accurate
    for _, soup in pages[1:]:
        assert soup.select_one("table.counts") is None
        assert text_of(soup.h1) == "Jane Doe"


def test_a_short_list_has_no_pagination(site: tuple[Path, Path]) -> None:
    _, out = site
    root = out.parent / "short"
    write_site(root, page_size=50)
    short = out.parent / "short-out"
    build(root, short)
    for page in html_files(short):
        soup = parse(page)
        assert pagination(soup) is None, page
        assert soup.select_one(".page-status") is None, page
        assert soup.find("link", rel=["prev", "next"]) is None, page
    assert not list(short.rglob("page"))


def test_every_page_is_well_formed(site: tuple[Path, Path]) -> None:
    _, out = site
    problems = {p.name: found for p in html_files(out) if (found := page_problems(parse(p), "en"))}
    assert problems == {}


@pytest.mark.parametrize("base_url", [BASE_URL, "https://example.org/", "http://127.0.0.1/a/b/"])
def test_every_page_is_reached_by_links_at_any_base_url(
    site: tuple[Path, Path], tmp_path: Path, base_url: str
) -> None:
    root, _ = site
    out = tmp_path / "_site"
    build(root, out, base_url)
    crawl = disk_crawl(out, base_url)
    assert crawl.problems == []
    reached = {url.removeprefix(base_url) for url in crawl.pages}
    wanted = {
        p.relative_to(out).as_posix().removesuffix("index.html")
        for p in html_files(out)
        if p.name != "404.html"
    }
    assert wanted <= reached


# --- The sitemap ------------------------------------------------------------------------------


def test_the_sitemap_lists_every_page_of_every_list_with_its_own_date(
    site: tuple[Path, Path], claims: dict[str, dict[str, Any]]
) -> None:
    _, out = site
    root = ET.parse(out / "sitemap.xml").getroot()
    urls = {
        url.findtext(f"{SITEMAP_NS}loc"): url.findtext(f"{SITEMAP_NS}lastmod")
        for url in root.iter(f"{SITEMAP_NS}url")
    }
    pages = {
        BASE_URL + p.relative_to(out).as_posix().removesuffix("index.html"): p
        for p in html_files(out)
        if p.name != "404.html"
    }
    assert set(urls) == set(pages)
    paginated = [url for url in urls if "/page/" in url]
    # Home, topics budget and housing, Jane's and John's, ratings accurate and inaccurate.
    assert len(paginated) == (6 - 1) + (6 - 1) + (2 - 1) + (3 - 1) + (3 - 1) + (3 - 1) + (3 - 1)
    # A page of a list changed when the newest of the fact-checks it shows did.
    for first in list_firsts(out, claims):
        for page, soup in walk(out, first):
            url = BASE_URL + page.relative_to(out).as_posix().removesuffix("index.html")
            newest = max(modified(claims[cid]) for cid in listed(soup))
            assert urls[url] == newest.isoformat(), url


# --- The feed ---------------------------------------------------------------------------------


def test_the_feed_carries_the_newest_entries_only(
    site: tuple[Path, Path], claims: dict[str, dict[str, Any]]
) -> None:
    """Fact-checks (dated by their last change) and corrections (by their date) are entries;
    the feed keeps the `feed_size` newest, newest first."""
    _, out = site
    feed = feedparser.parse((out / "feed.xml").read_bytes())
    assert not feed.bozo
    every = []
    for cid, data in claims.items():
        link = f"{BASE_URL}claims/{cid}/"
        every.append((link, modified(data)))
        every += [(link + "#corrections", c["date"]) for c in data.get("corrections", [])]
    shown = [(e.link, dt.date(*e.updated_parsed[:3])) for e in feed.entries]
    assert len(shown) == FEED_SIZE < len(every)
    assert set(shown) <= set(every)
    days = [day for _, day in shown]
    assert days == sorted(days, reverse=True)
    left_out = set(every) - set(shown)
    assert min(days) >= max(day for _, day in left_out)
    # The corrections, newer than any publication, are in it with their fact-checks.
    assert f"{BASE_URL}claims/claim-01/#corrections" in {link for link, _ in shown}
    assert dt.date(*feed.feed.updated_parsed[:3]) == max(day for _, day in every)


# --- Bad settings ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("key", "value", "shown"),
    [
        ("page_size", "0", "a number (0)"),
        ("page_size", "ten", "text ('ten')"),
        ("feed_size", "-1", "a number (-1)"),
        ("feed_size", "1.5", "a number (1.5)"),
    ],
)
def test_a_bad_size_is_a_located_error_and_nothing_is_written(
    tmp_path: Path, key: str, value: str, shown: str
) -> None:
    root = write_site(tmp_path / "site")
    site_yaml = root / "content" / "site.yaml"
    text = re.sub(rf"^{key}: .*$", f"{key}: {value}", site_yaml.read_text("utf-8"), flags=re.M)
    site_yaml.write_text(text, encoding="utf-8")
    out = tmp_path / "_site"
    result = pipeline.build(Paths.for_site(root, out), Options())
    assert not result.ok and not out.exists()
    (error,) = result.diagnostics
    line = next(i for i, row in enumerate(text.split("\n"), 1) if row.startswith(f"{key}:"))
    assert error.severity is Severity.ERROR
    assert (error.path, error.line, error.col) == ("content/site.yaml", line, len(key) + 3)
    assert error.message == f"'{key}' must be a whole number from 1, not {shown}"
    assert error.hint


# --- What an edit makes again ------------------------------------------------------------------


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def tree(folder: Path) -> dict[str, bytes]:
    """What two builds of the same content share (see sitecheck.site_tree)."""
    return site_tree(folder)


@pytest.fixture
def made(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The URL paths of the pages rendered (not reused) and the feeds made, build after build."""
    found: list[str] = []
    make_page = render._SiteRenderer._make
    make_feed = publish.feed

    def page(self: Any, path: str, *args: Any) -> bytes:
        found.append(path)
        return make_page(self, path, *args)

    def feed(*args: Any) -> bytes:
        found.append(args[2] if len(args) > 2 else publish.FEED)  # a rating's, or the site's
        return make_feed(*args)

    monkeypatch.setattr(render._SiteRenderer, "_make", page)
    monkeypatch.setattr(publish, "feed", feed)
    monkeypatch.setenv("FACTCHECK_PROCESSES", "1")  # spies do not see into forked workers
    return found


def test_an_edit_to_an_old_fact_check_makes_again_only_the_list_pages_showing_it(
    tmp_path: Path, made: list[str]
) -> None:
    root = write_site(tmp_path / "site")
    out = tmp_path / "_site"
    build(root, out)
    assert {"", "page/5/", publish.FEED} <= set(made)
    made.clear()
    edit(root / "content" / "claims" / "claim-02.yaml", "Summary of claim 2.", "Edited.")
    build(root, out)
    pattern = r"(|(claimants|tags|ratings)/[^/]+/)(page/\d+/)?"
    lists = {path for path in made if re.fullmatch(pattern, path)}
    # Claim 2 is the 9th newest of all, the 5th of Jane Doe's and of those rated accurate, and
    # not tagged housing.
    assert lists == {
        "page/5/",
        "tags/budget/page/5/",
        "claimants/jane-doe/page/3/",
        "ratings/accurate/page/3/",
    }
    assert "claims/claim-02/" in made
    assert publish.FEED not in made
    # It is one of the newest five rated accurate: in that rating's feed, not the other's.
    assert "ratings/accurate/feed.xml" in made
    assert "ratings/inaccurate/feed.xml" not in made
    assert "Edited." in (out / "page" / "5" / "index.html").read_text("utf-8")
    full = tmp_path / "full" / "_site"
    build(root, full)
    assert tree(out) == tree(full)


EDITS = [
    # A correction today moves an old fact-check into the feed.
    ("claim-00.yaml", "published: 2024-01-01\n", "published: 2024-01-01\ncorrections:\n"
     "  - date: 2024-04-01\n    text: Fixed.\n"),
    # A new date moves a fact-check to the top of every list: every page after it shifts.
    ("claim-02.yaml", "published: 2024-01-03", "published: 2024-05-01"),
    # A deleted fact-check: the last page of a list goes.
    ("claim-10.yaml", None, None),
    ("claim-08.yaml", "tags: [budget]", "tags: [budget, housing]"),
    # The oldest deleted: the first pages show the same fact-checks, but a new total.
    ("claim-00.yaml", None, None),
]  # fmt: skip


def test_incremental_builds_write_what_full_builds_write_as_pages_shift(tmp_path: Path) -> None:
    root = write_site(tmp_path / "site")
    out = tmp_path / "incremental" / "_site"
    build(root, out)
    for number, (name, old, new) in enumerate(EDITS):
        path = root / "content" / "claims" / name
        if old is None:
            path.unlink()
        else:
            edit(path, old, new)
        build(root, out)
        full = tmp_path / f"full-{number}" / "_site"
        build(root, full)
        assert tree(out) == tree(full), f"after editing {name}"
    # And a new page size, from site.yaml.
    edit(root / "content" / "site.yaml", "page_size: 2", "page_size: 3")
    build(root, out)
    full = tmp_path / "full-size" / "_site"
    build(root, full)
    assert tree(out) == tree(full)
    assert not (out / "page" / "4").exists()  # nine fact-checks, three to a page


# --- Pages and their numbers -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("number", "count", "shown"),
    [
        (1, 1, [1]),
        (1, 2, [1, 2]),
        (1, 4, [1, 2, 3, 4]),  # a gap of one page shows the page
        (1, 7, [1, 2, 3, None, 7]),
        (4, 7, [1, 2, 3, 4, 5, 6, 7]),
        (5, 10, [1, 2, 3, 4, 5, 6, 7, None, 10]),
        (6, 12, [1, None, 4, 5, 6, 7, 8, None, 12]),
        (12, 12, [1, None, 10, 11, 12]),
    ],
)
def test_the_navigation_offers_the_ends_and_the_pages_near_this_one(
    number: int, count: int, shown: list[int | None]
) -> None:
    pager = render.Pager("tags/t/", number, count, count * 10, 10)
    assert pager.numbers() == shown


@pytest.mark.parametrize(("total", "count"), [(0, 1), (1, 1), (10, 1), (11, 2), (20, 2), (21, 3)])
def test_a_list_has_as_many_pages_as_it_needs_and_at_least_one(total: int, count: int) -> None:
    pagers = render.pagers("", total, 10)
    assert [p.number for p in pagers] == list(range(1, count + 1))
    assert [(p.start, p.stop) for p in pagers][-1] == ((count - 1) * 10, total)
    assert pagers[0].path == "" and all(p.path == f"page/{p.number}/" for p in pagers[1:])
