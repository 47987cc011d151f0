"""Helpers for the tests of built sites: what the content files say, and checks of built pages.

Expectations come from the site's own YAML and Markdown files (loaded with yaml.safe_load), never
from hard-coded claim texts, so the tests keep working while the bundled content is edited.
Pages are always parsed with BeautifulSoup; nothing here searches raw HTML for structure.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import re
import shutil
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import cache, cached_property
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urldefrag, urljoin, urlsplit

import yaml
from bs4 import BeautifulSoup, Tag

from generator import i18n, pipeline
from generator.config import DEFAULT_RATINGS, DEFAULT_THEME, Options, Paths

REPO = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"

# A word, as readers compare texts: letters and digits only, so typography never matters.
WORD = re.compile(r"[^\W_]+")
# An elision in a quotation.
ELISION = re.compile(r"\s*(?:\.\.\.|…)\s*")


def words(text: str) -> list[str]:
    return WORD.findall(text)


def squash(text: str) -> str:
    """Text with runs of white space collapsed, as a reader sees it."""
    return " ".join(text.split())


def quote_pieces(quote: str) -> list[list[str]]:
    """The words of each part of a quotation, parts separated by elisions."""
    return [words(part) for part in ELISION.split(quote.strip()) if words(part)]


def markdown_words(source: str) -> list[str]:
    """The words a reader sees once Markdown is rendered: link targets and list numbers drop out."""
    source = re.sub(r"\]\([^)]*\)", "]", source)
    source = re.sub(r"(?m)^\s*\d+[.)]\s", "", source)
    return words(source)


# Content, as the editor wrote it.


@dataclass(frozen=True)
class Rating:
    id: str
    label: str
    description: str


@dataclass(frozen=True)
class Expected:
    """A site's content files, loaded with yaml.safe_load."""

    root: Path
    site: dict[str, Any]
    claims: dict[str, dict[str, Any]]
    sources: dict[str, dict[str, Any]]
    pages: dict[str, dict[str, Any]]

    @property
    def base_url(self) -> str:
        return self.site["base_url"].rstrip("/") + "/"

    @property
    def language(self) -> str:
        return self.site.get("language", "en")

    @property
    def publisher(self) -> str:
        return self.site["publisher"]["name"]

    @property
    def ratings(self) -> list[Rating]:
        """The scale, best first: site.yaml's own, or the generator's documented default."""
        rows = self.site.get("ratings")
        if rows:
            return [Rating(r["id"], r["label"], r["description"]) for r in rows]
        return [Rating(*row) for row in DEFAULT_RATINGS]

    @cached_property
    def ui(self) -> i18n.Interface:
        """The interface in the site's language, as the shipped theme's table and the site's
        own (theme/i18n/) give it, read with yaml.safe_load (i18n.Interface fills in texts)."""
        messages: dict[str, i18n.Message] = {}
        for folder in (DEFAULT_THEME / "i18n", self.root / "theme" / "i18n"):
            path = folder / f"{self.language.split('-')[0]}.yaml"
            if path.is_file():
                messages.update(i18n.flatten(yaml.safe_load(path.read_text(encoding="utf-8"))))
        return i18n.Interface(self.language, messages)

    def t(self, key: str, count: int | None = None, **values: object) -> str:
        """An interface text as a reader sees it (white space squashed)."""
        return squash(self.ui.text(key, count, **values))

    def rating(self, claim_id: str) -> Rating:
        return next(r for r in self.ratings if r.id == self.claims[claim_id]["rating"])

    def newest_first(self, ids: list[str] | None = None) -> list[str]:
        """Claim ids by publication date, newest first; the same day in file-name order."""
        ids = sorted(self.claims) if ids is None else ids
        return sorted(ids, key=lambda cid: (-self.claims[cid]["published"].toordinal(), cid))

    def claim_text(self, claim_id: str) -> str:
        return self.claims[claim_id]["claim"].strip()

    def claimant(self, claim_id: str) -> str:
        return self.claims[claim_id]["claimant"].strip()

    def quotes(self, claim_id: str) -> list[tuple[str, dict[str, Any]]]:
        """(role, quote) for every quotation of a claim: appearances, then quoted evidence."""
        data = self.claims[claim_id]
        found = [("appearance", q) for q in data["appearances"]]
        found += [("evidence", e) for e in data.get("evidence", []) if "quote" in e]
        return found

    def citing(self, source_id: str) -> set[str]:
        return {
            cid for cid in self.claims if any(q["source"] == source_id for _, q in self.quotes(cid))
        }

    def tags(self) -> set[str]:
        return {t for c in self.claims.values() for t in c.get("tags", [])}

    def measures_with_figures(self) -> set[str]:
        return {c["figure"]["measure"] for c in self.claims.values() if "figure" in c}

    def seed_bytes(self, source_id: str) -> bytes:
        return (self.root / "seeds" / self.sources[source_id]["file"]).read_bytes()

    def paragraphs(self, source_id: str) -> list[str]:
        """The archived article's paragraphs: its non-blank lines, stripped."""
        text = self.seed_bytes(source_id).decode("utf-8").removeprefix("\ufeff")
        return [line.strip() for line in text.replace("\r\n", "\n").split("\n") if line.strip()]


def load_expected(root: Path) -> Expected:
    content = root / "content"

    def folder(name: str) -> dict[str, dict[str, Any]]:
        return {
            p.stem: yaml.safe_load(p.read_text(encoding="utf-8"))
            for p in sorted((content / name).glob("*.yaml"))
        }

    pages = {}
    for path in sorted((content / "pages").glob("*.md")):
        lines = path.read_text(encoding="utf-8").split("\n")
        end = lines.index("---", 1)
        meta = yaml.safe_load("\n".join(lines[1:end]))
        pages[path.stem] = {**meta, "body": "\n".join(lines[end + 1 :])}
    site = yaml.safe_load((content / "site.yaml").read_text(encoding="utf-8"))
    return Expected(root, site, folder("claims"), folder("sources"), pages)


@dataclass(frozen=True)
class Built:
    """A built site: its content (root), its output folder, and what its files say."""

    root: Path
    out: Path
    expected: Expected

    def page(self, url_path: str) -> BeautifulSoup:
        return parse(self.out / output_file(url_path))


def build_copy(folder: Path, name: str, base_url: str | None = None) -> Built:
    """Copy tests/fixtures/<name> into `folder`, build it, and fail on any diagnostic."""
    root = folder / name
    shutil.copytree(FIXTURES / name, root)
    out = folder / "_site"
    result = pipeline.build(Paths.for_site(root, out), Options(base_url=base_url, strict=True))
    assert result.ok, "\n".join(d.format() for d in result.diagnostics)
    return Built(root, out, load_expected(root))


# Pages.


def output_file(url_path: str) -> str:
    return url_path + "index.html" if url_path == "" or url_path.endswith("/") else url_path


def parse(path: Path) -> BeautifulSoup:
    """A built page, parsed once while the file is unchanged (tests must not modify the tree)."""
    stat = path.stat()
    return _parse(path, stat.st_mtime_ns, stat.st_size)


@cache
def _parse(path: Path, mtime: int, size: int) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def html_files(out: Path) -> list[Path]:
    return sorted(out.rglob("*.html"))


def text_of(tag: Tag) -> str:
    return squash(tag.get_text())


def visible_text(tag: Tag) -> str:
    """Text of an element without its visually hidden (screen-reader only) parts."""
    parts = [
        s
        for s in tag.find_all(string=True)
        if not any("visually-hidden" in (p.get("class") or []) for p in s.parents if p is not tag)
    ]
    return squash("".join(parts))


def main(soup: BeautifulSoup) -> Tag:
    found = soup.find_all("main")
    assert len(found) == 1, f"expected one <main>, found {len(found)}"
    return found[0]


def section(soup: BeautifulSoup, heading_id: str) -> Tag | None:
    """The <section> labelled by the heading with this id, checking the heading is inside it."""
    found = soup.find("section", attrs={"aria-labelledby": heading_id})
    if found is not None:
        assert found.find(id=heading_id), f"section label #{heading_id} is not inside it"
    return found


def h1_text(soup: BeautifulSoup) -> str:
    (h1,) = soup.find_all("h1")
    return text_of(h1)


def resolve(page_file: Path, href: str, out: Path) -> tuple[Path, str]:
    """The file a relative link on a built page points to, and its fragment."""
    url = urljoin("http://site.invalid/" + page_file.relative_to(out).as_posix(), href)
    parts = urlsplit(url)
    assert parts.netloc == "site.invalid", f"{href!r} is not a relative link"
    target = out / output_file(unquote(parts.path).lstrip("/"))
    return target, unquote(parts.fragment)


def cards(container: Tag) -> list[dict[str, Any]]:
    """The fact-check cards of a list: link, title, rating, meta text, summary, date."""
    found = []
    for card in container.select("article.card"):
        title = card.select_one(".card-title")
        link = title.find("a")
        paragraphs = card.find_all("p")
        found.append(
            {
                "href": link["href"],
                "title": text_of(link),
                "level": title.name,
                "rating": visible_text(card.select_one(".badge")),
                "meta": text_of(card.select_one(".card-meta")),
                "summary": text_of(paragraphs[-1]),
                "date": card.select_one(".card-meta time")["datetime"],
            }
        )
    return found


def claim_id_of(href: str) -> str:
    """The claim id of a link to a claim page ('../../claims/<id>/' -> '<id>')."""
    match = re.search(r"(?:^|/)claims/([^/#]+)/$", href)
    assert match, f"not a link to a claim page: {href!r}"
    return match.group(1)


def json_ld(soup: BeautifulSoup) -> list[Any]:
    return [
        json.loads(s.string or "")
        for s in soup.find_all("script", attrs={"type": "application/ld+json"})
    ]


# Archived text on a source page, word by word, with the <mark> each word sits in.


@dataclass(frozen=True)
class Word:
    text: str
    # The <mark> element the word is in, or None.
    mark: Tag | None


def archive_words(soup: BeautifulSoup) -> list[Word]:
    """Every word of the archived text on a source page, in reading order."""
    result = []
    for paragraph in soup.select("div.archive p[id]"):
        for string in paragraph.find_all(string=True):
            mark = string.find_parent("mark")
            result.extend(Word(w, mark) for w in words(str(string)))
    return result


def find_run(stream: list[Word], wanted: list[str], start: int = 0) -> list[int]:
    """Positions where the words `wanted` occur in the stream, from `start`."""
    texts = [w.text for w in stream]
    n = len(wanted)
    return [i for i in range(start, len(texts) - n + 1) if texts[i : i + n] == wanted]


def highlighted(stream: list[Word], pieces: list[list[str]]) -> bool:
    """Whether some occurrence of each part of the quotation, in order, is entirely in marks."""

    def search(index: int, start: int) -> bool:
        if index == len(pieces):
            return True
        return any(
            all(w.mark is not None for w in stream[i : i + len(pieces[index])])
            and search(index + 1, i + len(pieces[index]))
            for i in find_run(stream, pieces[index], start)
        )

    return search(0, 0)


def mark_leads_to(stream: list[Word], mark: Tag, first_piece: list[str]) -> bool:
    """Whether a reader who jumps to `mark` finds the quotation's first words in that highlight.

    The words must start at or after the mark's first word, with nothing but highlighted text
    between the mark and the end of the quoted words.
    """
    begin = next((i for i, w in enumerate(stream) if w.mark is mark), None)
    if begin is None:
        return False
    for i in find_run(stream, first_piece, begin):
        if all(w.mark is not None for w in stream[begin : i + len(first_piece)]):
            return True
    return False


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


# Checks every page of any site must pass.

HEADING = re.compile(r"^h[1-6]$")


def page_problems(soup: BeautifulSoup, language: str) -> list[str]:
    """Structural and accessibility problems of one built page; empty when it is fine."""
    problems = []
    html = soup.find("html")
    if html is None or html.get("lang") != language:
        problems.append(f"<html lang> is {html and html.get('lang')!r}, not {language!r}")
    if not soup.title or not soup.title.get_text(strip=True):
        problems.append("no <title>")
    h1s = soup.find_all("h1")
    if len(h1s) != 1:
        problems.append(f"{len(h1s)} <h1> elements")
    levels = [int(h.name[1]) for h in soup.find_all(HEADING)]
    previous = 0
    for level in levels:
        if level > previous + 1:
            problems.append(f"heading levels skip from h{previous} to h{level}: {levels}")
        previous = level
    mains = soup.find_all("main")
    if len(mains) != 1:
        problems.append(f"{len(mains)} <main> elements")
    navs = soup.find_all("nav")
    if not navs:
        problems.append("no <nav>")
    for nav in navs:
        label = (nav.get("aria-label") or "").strip()
        labelled_by = nav.get("aria-labelledby")
        if not label and not (labelled_by and soup.find(id=labelled_by)):
            problems.append("a <nav> has no accessible label")
    problems += _skip_link_problems(soup)
    problems += _script_problems(soup)
    ids = [t["id"] for t in soup.find_all(id=True)]
    duplicates = sorted({i for i in ids if ids.count(i) > 1})
    if duplicates:
        problems.append(f"duplicate ids: {duplicates}")
    return problems


def _skip_link_problems(soup: BeautifulSoup) -> list[str]:
    body = soup.find("body")
    first = body.find("a") if body else None
    if first is None or not first.get("href", "").startswith("#"):
        return ["the first link of the page is not a skip link"]
    target = soup.find(id=first["href"][1:])
    if target is None:
        return [f"skip link target {first['href']} does not exist"]
    if target.name != "main":
        return [f"skip link goes to <{target.name}>, not to <main>"]
    return []


# Pagefind writes its filter and metadata files in an order that changes from one run to the
# next (Pagefind issue 638) and names them, as the entry file names the metadata, by digests
# of their bytes. What they hold does not change: site_tree compares their bytes sorted.
PAGEFIND_UNORDERED = re.compile(
    r"pagefind/(filter/[\w-]+\.pf_filter|pagefind\.[\w-]+\.pf_meta|pagefind-entry\.json)"
)


def site_tree(folder: Path) -> dict[str, bytes]:
    """Every file of a built site by path, with its bytes: what two builds of the same content
    must share. Pagefind's unordered files are named by kind and hold their sorted bytes, the
    names of the filter files the metadata lists left out."""
    tree: dict[str, bytes] = {}
    unordered: dict[str, list[bytes]] = {}
    filters = [p.stem.encode() for p in folder.glob("pagefind/filter/*.pf_filter")]
    for path in sorted(folder.rglob("*")):
        if not path.is_file():
            continue
        name = path.relative_to(folder).as_posix()
        if PAGEFIND_UNORDERED.fullmatch(name):
            kind = name.rsplit(".", 1)[-1]
            unordered.setdefault(kind, []).append(_unordered(path.read_bytes(), kind, filters))
        else:
            tree[name] = path.read_bytes()
    for kind, contents in unordered.items():
        for number, content in enumerate(sorted(contents)):
            tree[f"pagefind/*.{kind} #{number}"] = content
    return tree


def _unordered(data: bytes, kind: str, filters: list[bytes]) -> bytes:
    if kind == "json":
        entry = json.loads(data)
        for language in entry["languages"].values():
            language["hash"] = ""
        return json.dumps(entry, sort_keys=True).encode()
    data = gzip.decompress(data)
    for name in filters:
        data = data.replace(name, b"")
    return bytes(sorted(data))


# The one script a page may run: the theme's search, a file of the site (never inline), which
# the search page alone loads.
SEARCH_SCRIPT = re.compile(r"(\.\./)*static/search\.js")


def _script_problems(soup: BeautifulSoup) -> list[str]:
    problems = []
    for script in soup.find_all("script"):
        if SEARCH_SCRIPT.fullmatch(script.get("src", "")) and not script.string:
            if not soup.select_one(".search[data-bundle]"):
                problems.append("search.js on a page without the search form")
            continue
        if script.get("type") != "application/ld+json" or script.get("src"):
            problems.append(f"executable script: {str(script)[:80]!r}")
            continue
        try:
            json.loads(script.string or "")
        except json.JSONDecodeError as exc:
            problems.append(f"JSON-LD does not parse: {exc}")
    for tag in soup.find_all(True):
        handlers = [a for a in tag.attrs if a.lower().startswith("on")]
        if handlers:
            problems.append(f"<{tag.name}> has event handler attributes {handlers}")
        for attr in ("href", "src", "action"):
            if str(tag.get(attr, "")).strip().lower().startswith("javascript:"):
                problems.append(f"<{tag.name} {attr}> uses javascript:")
    return problems


def node_index(soup: BeautifulSoup, tag: Tag) -> int:
    """Position of an element in document order, to compare which comes first."""
    return next(i for i, t in enumerate(soup.find_all(True)) if t is tag)


# Crawling: follow every link of a built site.

# Elements and the attribute holding the address they link to or load.
LINKING = {"a": "href", "link": "href", "img": "src", "script": "src", "source": "src"}
MISSING_PATH = "no/such/page"


def links_of(soup: BeautifulSoup) -> Iterator[tuple[str, str, list[str]]]:
    """(element name, address, rel) for every link or loaded resource of a page."""
    for name, attr in LINKING.items():
        for tag in soup.find_all(name):
            value = tag.get(attr)
            if value is not None:
                yield name, value, tag.get("rel") or []


@dataclass
class Crawl:
    """What a crawl found."""

    # Page URL -> parsed page, for every HTML page reached.
    pages: dict[str, BeautifulSoup] = field(default_factory=dict)
    # Every internal URL (without fragment) that was linked to.
    targets: set[str] = field(default_factory=set)
    # Every external address of an <a>.
    external: set[str] = field(default_factory=set)
    # What is wrong, one line each.
    problems: list[str] = field(default_factory=list)


def crawl(
    starts: list[str],
    base_url: str,
    fetch: Callable[[str], tuple[bytes, str] | None],
    extra_pages: dict[str, BeautifulSoup] | None = None,
) -> Crawl:
    """Follow every internal link from `starts`; `fetch(url)` gives (body, type) or None."""
    result = Crawl()
    queue = list(starts)
    loaded: dict[str, tuple[bytes, str] | None] = {}

    def load(url: str) -> tuple[bytes, str] | None:
        if url not in loaded:
            loaded[url] = fetch(url)
        return loaded[url]

    def soup_of(url: str) -> BeautifulSoup | None:
        got = load(url)
        if got is None or got[1] != "text/html":
            return None
        if url not in result.pages:
            result.pages[url] = BeautifulSoup(got[0].decode("utf-8"), "html.parser")
            queue.append(url)
        return result.pages[url]

    result.pages.update(extra_pages or {})
    queue.extend(extra_pages or {})
    for url in starts:
        if soup_of(url) is None:
            result.problems.append(f"start page {url} does not load")
    seen: set[str] = set()
    while queue:
        page_url = queue.pop()
        if page_url in seen:
            continue
        seen.add(page_url)
        soup = result.pages[page_url]
        for name, href, rel in links_of(soup):
            where = f"{page_url}: <{name} {href!r}>"
            absolute = urljoin(page_url, href)
            target, fragment = urldefrag(absolute)
            parts = urlsplit(target)
            if "canonical" in rel:
                continue  # checked in test_canonical_links; never loaded by a browser
            if parts.scheme == "mailto" and name == "a":
                continue
            if parts.scheme not in {"http", "https"}:
                result.problems.append(f"{where}: scheme {parts.scheme!r}")
                continue
            if not target.startswith(base_url):
                written = urlsplit(href)
                if not (written.scheme or written.netloc):
                    result.problems.append(f"{where}: leaves the site's folder ({target})")
                elif name != "a":
                    result.problems.append(f"{where}: loads a resource from another host")
                else:
                    result.external.add(absolute)
                continue
            if target == page_url:  # a link within the page, such as the skip link
                if fragment and soup.find(id=unquote(fragment)) is None:
                    result.problems.append(f"{where}: no element id={fragment!r} on the page")
                continue
            result.targets.add(target)
            got = load(target)
            if got is None:
                result.problems.append(f"{where}: {target} does not exist")
                continue
            if "stylesheet" in rel and got[1] != "text/css":
                result.problems.append(f"{where}: stylesheet served as {got[1]}")
            if fragment:
                page = soup_of(target)
                if page is None or page.find(id=unquote(fragment)) is None:
                    result.problems.append(f"{where}: no element id={fragment!r} in {target}")
            elif got[1] == "text/html":
                soup_of(target)
    return result


# On disk.


def file_fetcher(out: Path, base_url: str) -> Callable[[str], tuple[bytes, str] | None]:
    """Read a URL under base_url from the built folder, as a static host would serve it."""
    types = {".html": "text/html", ".css": "text/css"}

    def fetch(url: str) -> tuple[bytes, str] | None:
        assert url.startswith(base_url), url
        rel = unquote(urlsplit(url).path)[len(urlsplit(base_url).path) :]
        path = (out / (rel + "index.html" if rel == "" or rel.endswith("/") else rel)).resolve()
        if not path.is_relative_to(out.resolve()) or not path.is_file():
            return None
        return path.read_bytes(), types.get(path.suffix, "application/octet-stream")

    return fetch


@cache
def disk_crawl(out: Path, base_url: str, with_not_found: bool = True) -> Crawl:
    """Crawl a built folder from its home page, as if published at base_url.

    With `with_not_found`, 404.html is crawled too, as served at a deep missing address
    (a host serves it at any missing address, so its links must work from there).
    """
    fetch = file_fetcher(out, base_url)
    if not with_not_found:
        return crawl([base_url], base_url, fetch)
    not_found = {base_url + MISSING_PATH: parse(out / "404.html")}
    return crawl([base_url], base_url, fetch, extra_pages=not_found)
