"""`build.py new source URL` (generator/capture.py) against a local HTTP server on 127.0.0.1
serving fixture news pages: the text, the metadata, the WARC snapshot, the site that builds
from them, and every failure leaving the site folder as it was."""

from __future__ import annotations

import contextlib
import datetime as dt
import gzip
import hashlib
import http.server
import io
import socket
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml
from bs4 import BeautifulSoup
from conftest import FIXTURES, parse, run_cli
from sitecheck import load_expected, site_tree
from warcio.archiveiterator import ArchiveIterator

from generator import capture, cli, pipeline
from generator.config import Options, Paths

PAGES = FIXTURES / "capture"
EN = "/news/2021/03/harbour-barrier-never-tested"
FR = "/valbonne/budget-piscine.html"


@dataclass(frozen=True)
class Route:
    """What the server answers at one path."""

    status: int = 200
    headers: tuple[tuple[str, str], ...] = ()
    body: bytes = b""
    # Called instead of sending `body`: writes the body itself (a stream, a stall).
    send: Callable[[http.server.BaseHTTPRequestHandler], None] | None = None


def page(name: str, content_type: str) -> Route:
    return Route(200, (("Content-Type", content_type),), (PAGES / name).read_bytes())


def redirect(status: int, location: str) -> Route:
    return Route(status, (("Location", location), ("Content-Type", "text/html")), b"moved")


def stream(handler: http.server.BaseHTTPRequestHandler) -> None:
    """An answer with no length that never ends before the size limit."""
    chunk = b"<p>" + b"x" * 65_000 + b"</p>\n"
    for _ in range(capture.SIZE_LIMIT // len(chunk) + 2):
        handler.wfile.write(chunk)


ROUTES = {
    EN: page("article.html", "text/html; charset=utf-8"),
    # Served as ISO-8859-1, written in windows-1252 (curly quotes): browsers read it as 1252.
    FR: page("article-cp1252.html", "text/html; charset=ISO-8859-1"),
    "/old-link": redirect(301, "/s/20210314"),
    "/s/20210314": redirect(302, EN),
    "/loop-a": redirect(302, "/loop-b"),
    "/loop-b": redirect(302, "/loop-a"),
    "/consent": page("consent.html", "text/html"),
    "/missing": Route(404, (("Content-Type", "text/html"),), b"<h1>Not found</h1>"),
    "/broken": Route(500, (("Content-Type", "text/html"),), b"<h1>Internal error</h1>"),
    "/report.pdf": Route(200, (("Content-Type", "application/pdf"),), b"%PDF-1.7\n%\xe2\xe3\n"),
    "/photo.jpg": Route(200, (("Content-Type", "image/jpeg"),), b"\xff\xd8\xff\xe0JFIF"),
    # A PDF served as HTML, as misconfigured servers do.
    "/mislabelled": Route(200, (("Content-Type", "text/html"),), b"%PDF-1.4\n1 0 obj\n"),
    "/huge-declared": Route(
        200, (("Content-Type", "text/html"), ("Content-Length", "50000000")), b"<p>"
    ),
    "/huge-stream": Route(200, (("Content-Type", "text/html"),), send=stream),
    # Compressed although the client asked for no compression, as some servers do.
    "/gzipped": Route(
        200,
        (("Content-Type", "text/html; charset=utf-8"), ("Content-Encoding", "gzip")),
        gzip.compress((PAGES / "article.html").read_bytes(), mtime=0),
    ),
    "/brotli": Route(
        200, (("Content-Type", "text/html"), ("Content-Encoding", "br")), b"\x1b\x00\x00"
    ),
    # Answers after 3 s (the handler waits before its status line).
    "/slow": Route(200, (("Content-Type", "text/html"),), b"<p>late</p>"),
}


class Handler(http.server.BaseHTTPRequestHandler):
    # HTTP/1.0: the body ends when the connection closes, so streams need no length.
    protocol_version = "HTTP/1.0"
    requests: list[tuple[str, str]]

    def do_GET(self) -> None:
        self.requests.append((self.path, self.headers.get("User-Agent", "")))
        route = ROUTES.get(self.path, Route(404, body=b"no such fixture"))
        if self.path == "/slow":
            time.sleep(3)
        self.send_response(route.status)
        for name, value in route.headers:
            self.send_header(name, value)
        if route.send is None and not any(n == "Content-Length" for n, _ in route.headers):
            self.send_header("Content-Length", str(len(route.body)))
        self.end_headers()
        # The client may give up, as it should on a page too large.
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):
            (route.send or (lambda h: h.wfile.write(route.body)))(self)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture(scope="module")
def server() -> Iterator[tuple[str, list[tuple[str, str]]]]:
    """A local web server in a thread: its address, and the requests it received."""
    requests: list[tuple[str, str]] = []
    handler = type("FixtureHandler", (Handler,), {"requests": requests})
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    httpd.daemon_threads = True
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}", requests
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture
def site(fixture_site) -> Path:
    return fixture_site("minimal-site")


def tree_hash(root: Path) -> str:
    """One digest of every file's path and bytes under root."""
    digest = hashlib.sha256()
    for path in sorted(p for p in root.rglob("*") if p.is_file()):
        digest.update(path.relative_to(root).as_posix().encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def files(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file()}


def records(warc: Path) -> list[tuple[str, str, int | None, bytes, object]]:
    """(type, target URI, HTTP status, payload, HTTP headers) of every record of a WARC."""
    found = []
    with warc.open("rb") as stream:
        for record in ArchiveIterator(stream):
            http = record.http_headers
            status = http.get_statuscode() if http and record.rec_type == "response" else None
            found.append(
                (
                    record.rec_type,
                    record.rec_headers.get_header("WARC-Target-URI"),
                    int(status) if status else None,
                    record.raw_stream.read(),
                    http,
                )
            )
    return found


# What each fixture page is: where its article's paragraphs are, and where its clutter is.
ARTICLE_PARAGRAPHS = {"article.html": "div.article-body > p", "article-cp1252.html": "article > p"}
CLUTTER = (
    "#cookie-banner, .bandeau-cookies, nav, .ad-slot, .pub, aside.related, .a-lire-aussi, "
    "#comments, #commentaires, .newsletter-signup, footer, .share-tools"
)


def fixture_parts(name: str, encoding: str) -> tuple[list[str], list[str]]:
    """The article's paragraphs and the clutter's paragraphs and links, read from the fixture."""
    soup = BeautifulSoup((PAGES / name).read_bytes().decode(encoding), "html.parser")
    paragraphs = [
        " ".join(p.get_text().split())
        for p in soup.select(ARTICLE_PARAGRAPHS[name])
        if "auteur" not in (p.get("class") or [])
    ]
    clutter = [
        " ".join(e.get_text().split())
        for box in soup.select(CLUTTER)
        for e in box.find_all(["p", "a", "li", "button", "h2"])
    ]
    return paragraphs, [c for c in clutter if c]


def new_source(site: Path, *args: str) -> tuple[int, str, str]:
    """Run `new source` in this process (the server is a thread of it), as the CLI would."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = cli.main(["new", "source", *args, "--root", str(site)])
    return code, out.getvalue(), err.getvalue()


def add_claim(site: Path, source: str, quote: str) -> None:
    (site / "content" / "claims" / f"cite-{source}.yaml").write_text(
        yaml.safe_dump(
            {
                "claim": "A claim checked against a captured page",
                "claimant": "Someone",
                "appearances": [{"source": source, "quote": quote}],
                "rating": "vrai",
                "summary": "It says so.",
                "analysis": "The captured page says so.",
                "published": dt.date(2031, 3, 1),
            },
            allow_unicode=True,
        ),
        encoding="utf-8",
    )


# --- Pages that are captured -----------------------------------------------------------------

CASES = {
    # id: (path requested, fixture, its encoding, the metadata its page gives)
    "harbour-barrier-never-tested": (
        EN,
        "article.html",
        "utf-8",
        {
            "title": "Harbour board admits flood barrier was never tested",
            "outlet": "The Northern Courier",
            "author": "Moira Callander",
            "published": dt.date(2021, 3, 14),
            "language": "en-GB",
        },
    ),
    "budget-piscine": (
        FR,
        "article-cp1252.html",
        "cp1252",
        {
            "title": "Le maire de Valbonne-sur-Loire reconnaît une erreur sur le budget",
            "outlet": "L’Écho du Val",
            "author": "Théo Lefèvre",
            "published": dt.date(2022, 6, 9),
            "language": "fr",
        },
    ),
}


@pytest.mark.parametrize("sid", CASES)
def test_a_captured_page_becomes_a_source_that_builds(server, site: Path, sid: str) -> None:
    base, requests = server
    path, fixture, encoding, metadata = CASES[sid]
    served = (PAGES / fixture).read_bytes()
    before = dt.datetime.now(dt.UTC).date()
    result = run_cli("new", "source", base + path, "--root", str(site))
    assert result.returncode == 0, result.stderr
    assert f"downloading {base}{path}" in result.stderr  # the progress line
    assert any(ua.startswith("factcheck-site-generator/") for p, ua in requests if p == path)

    # The text: every paragraph of the article, one per line, and none of the clutter.
    text = (site / "seeds" / f"{sid}.txt").read_text("utf-8")
    lines = text.splitlines()
    paragraphs, clutter = fixture_parts(fixture, encoding)
    assert len(paragraphs) >= 5
    assert all(p in lines for p in paragraphs), (paragraphs, lines)
    assert clutter and not [c for c in clutter if c in text]

    # The metadata, from the page; the address is the one fetched.
    data = yaml.safe_load((site / "content" / "sources" / f"{sid}.yaml").read_text("utf-8"))
    assert {k: data[k] for k in metadata} == metadata
    assert data["url"] == base + path
    assert data["captured"] in (before, dt.datetime.now(dt.UTC).date())
    assert data["sha256"] == hashlib.sha256(text.encode()).hexdigest()

    # The snapshot: the bytes served, in a WARC file whose checksum the YAML records.
    warc = site / "seeds" / data["snapshot"]
    assert data["snapshot_sha256"] == hashlib.sha256(warc.read_bytes()).hexdigest()
    responses = [r for r in records(warc) if r[0] == "response"]
    assert [(uri, status) for _, uri, status, _, _ in responses] == [(base + path, 200)]
    assert responses[0][3] == served
    assert hashlib.sha256(responses[0][3]).hexdigest() == hashlib.sha256(served).hexdigest()
    assert ROUTES[path].headers[0][1] == responses[0][4].get_header("Content-Type")
    request = next(r for r in records(warc) if r[0] == "request")
    assert "factcheck-site-generator/" in request[4].get_header("User-Agent")

    # A quotation from the article verifies, and the site checks and builds.
    sentence = paragraphs[2].split(". ")[0]
    add_claim(site, sid, sentence)
    checked = run_cli("check", "--root", str(site))
    assert checked.returncode == 0, checked.stderr
    built = run_cli("build", "--root", str(site))
    assert built.returncode == 0, built.stderr
    page_html = parse(site / "_site" / "sources" / sid / "index.html")
    assert page_html.select_one("div.archive")["lang"] == metadata["language"]
    marks = [m.get_text() for m in page_html.select("div.archive mark")]
    assert " ".join(sentence.split()) in [" ".join(m.split()) for m in marks]
    links = {a.get_text(): a for a in page_html.select("dl.facts a")}
    # Named in the site's language (the fixture's is French).
    shown = load_expected(site)
    html_link = links[shown.t("source.html_link")]["href"]
    warc_link = links[shown.t("source.warc_link")]
    assert not html_link.endswith(".html") and "download" in warc_link.attrs
    page_dir = site / "_site" / "sources" / sid
    assert (page_dir / html_link).resolve().read_bytes() == served
    assert (page_dir / warc_link["href"]).resolve().read_bytes() == warc.read_bytes()
    assert hashlib.sha256(served).hexdigest() in page_html.select_one("dl.facts").get_text()


def test_a_page_compressed_anyway_is_kept_compressed_and_read_uncompressed(
    server, site: Path
) -> None:
    base, _ = server
    code, _, err = new_source(site, base + "/gzipped", "--id", "barrier")
    assert code == 0, err
    # The evidence is what was served, compressed; the text is the article's.
    (response,) = [r for r in records(site / "seeds" / "barrier.warc.gz") if r[0] == "response"]
    assert response[3] == ROUTES["/gzipped"].body
    paragraphs, _ = fixture_parts("article.html", "utf-8")
    lines = (site / "seeds" / "barrier.txt").read_text("utf-8").splitlines()
    assert all(p in lines for p in paragraphs)
    # The published copy of the HTML is the page itself, readable.
    add_claim(site, "barrier", paragraphs[2].split(". ")[0])
    built = run_cli("build", "--root", str(site))
    assert built.returncode == 0, built.stderr
    page_html = parse(site / "_site" / "sources" / "barrier" / "index.html")
    link = next(
        a
        for a in page_html.select("dl.facts a")
        if a.get_text() == load_expected(site).t("source.html_link")
    )
    published = (site / "_site" / "sources" / "barrier" / link["href"]).resolve().read_bytes()
    assert published == (PAGES / "article.html").read_bytes()


def test_redirects_are_followed_and_each_one_is_recorded(server, site: Path) -> None:
    base, _ = server
    code, out, err = new_source(site, base + "/old-link", "--id", "barrier")
    assert code == 0, err
    assert "followed redirect 301 Moved Permanently" in out
    found = records(site / "seeds" / "barrier.warc.gz")
    hops = [(uri, status) for kind, uri, status, _, _ in found if kind == "response"]
    assert hops == [(base + "/old-link", 301), (base + "/s/20210314", 302), (base + EN, 200)]
    assert [uri for kind, uri, *_ in found if kind == "request"] == [uri for uri, _ in hops]
    data = yaml.safe_load((site / "content" / "sources" / "barrier.yaml").read_text("utf-8"))
    assert data["url"] == base + EN  # where the article is, not the short link


def test_a_saved_html_file_is_captured_too(site: Path, tmp_path: Path) -> None:
    saved = tmp_path / "Harbour barrier.html"
    saved.write_bytes((PAGES / "article-cp1252.html").read_bytes())
    code, _, err = new_source(site, str(saved))
    assert code == 0, err
    data = yaml.safe_load((site / "content" / "sources" / "harbour-barrier.yaml").read_text())
    assert data["author"] == "Théo Lefèvre" and "captured" not in data and "url" not in data
    [(kind, _, _, payload, _)] = records(site / "seeds" / data["snapshot"])
    assert (kind, payload) == ("resource", saved.read_bytes())
    assert "« Nous avons commis une erreur de calcul" in (site / "seeds" / data["file"]).read_text()
    assert run_cli("check", "--root", str(site)).returncode == 0


def test_a_text_file_is_still_archived_as_it_is(site: Path, tmp_path: Path) -> None:
    text = tmp_path / "note.txt"
    text.write_text("A headline\nA paragraph.\n", encoding="utf-8")
    code, _, err = new_source(site, str(text))
    assert code == 0, err
    assert (site / "seeds" / "note.txt").read_bytes() == text.read_bytes()
    assert "snapshot" not in (site / "content" / "sources" / "note.yaml").read_text()


# --- Failures: a clear error, and nothing written --------------------------------------------


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


FAILURES = {
    # path (or whole address), exit code, words the error must say
    "ftp": ("ftp://127.0.0.1/article", 2, "not an http(s) address"),
    "file": ("file:///etc/passwd", 2, "not an http(s) address"),
    "unreachable": (None, 1, "refused the connection"),
    "404": ("/missing", 1, "answered 404 Not Found"),
    "500": ("/broken", 1, "answered 500 Internal Server Error"),
    "loop": ("/loop-a", 1, "redirects in a loop"),
    "pdf": ("/report.pdf", 1, "only HTML is supported"),
    "image": ("/photo.jpg", 1, "only HTML is supported"),
    "mislabelled": ("/mislabelled", 1, "only HTML is supported"),
    "too-large": ("/huge-declared", 1, "larger than 10 MB"),
    "too-large-stream": ("/huge-stream", 1, "larger than 10 MB"),
    "consent-wall": ("/consent", 1, "probably a consent wall, a paywall"),
    "brotli": ("/brotli", 1, "compressed with br, which cannot be read here"),
}


@pytest.mark.parametrize("case", FAILURES)
def test_each_failure_is_a_clear_error_and_writes_nothing(server, site: Path, case: str) -> None:
    base, _ = server
    where, expected_code, words = FAILURES[case]
    url = f"http://127.0.0.1:{closed_port()}/article" if where is None else where
    url = base + url if url.startswith("/") else url
    before = tree_hash(site)
    code, out, err = new_source(site, url)
    assert (code, out) == (expected_code, "")
    assert err.splitlines()[-2].startswith("error: ") and words in err
    assert err.splitlines()[-1].startswith("hint: ")
    assert tree_hash(site) == before
    if case == "consent-wall":
        assert "save" in err and ".html" in err  # save it from a browser, pass the file


def test_a_host_that_does_not_answer_in_time(server, site, monkeypatch) -> None:
    monkeypatch.setattr(capture, "TIMEOUT", 0.5)
    before = tree_hash(site)
    code, _, err = new_source(site, server[0] + "/slow")
    assert code == 1 and "did not answer within 0.5 s" in err
    assert tree_hash(site) == before


def test_too_many_redirects(server, site, monkeypatch) -> None:
    monkeypatch.setattr(capture, "MAX_REDIRECTS", 1)
    before = tree_hash(site)
    code, _, err = new_source(site, server[0] + "/old-link")
    assert code == 1 and "more than 1 redirects" in err
    assert tree_hash(site) == before


def test_an_existing_source_is_never_overwritten(server, site: Path) -> None:
    base, requests = server
    assert new_source(site, base + EN, "--id", "barrier")[0] == 0
    fetched = len(requests)
    before = tree_hash(site)
    code, _, err = new_source(site, base + FR, "--id", "barrier")
    assert code == 1 and "content/sources/barrier.yaml already exists" in err
    assert tree_hash(site) == before
    assert len(requests) == fetched  # refused before fetching anything
    # A stray seeds file of that name blocks it as well.
    (site / "seeds" / "other.warc.gz").write_bytes(b"not ours")
    before = tree_hash(site)
    code, _, err = new_source(site, base + FR, "--id", "other")
    assert code == 1 and "seeds/other.warc.gz already exists" in err
    assert tree_hash(site) == before


# --- The build: the snapshot checked, and never any network ----------------------------------


@pytest.fixture
def captured(server, site: Path) -> Path:
    assert new_source(site, server[0] + EN, "--id", "barrier")[0] == 0
    return site


def test_a_changed_snapshot_is_an_error_with_the_new_checksum(captured: Path) -> None:
    warc = captured / "seeds" / "barrier.warc.gz"
    # Uncompressed, it is still a WARC file (readers tell by its first bytes).
    altered = gzip.decompress(warc.read_bytes()).replace(b"tested", b"TESTED")
    warc.write_bytes(altered)
    result = run_cli("check", "--root", str(captured))
    assert result.returncode == 1
    assert "snapshot seeds/barrier.warc.gz has changed" in result.stderr
    assert f"set snapshot_sha256: {hashlib.sha256(altered).hexdigest()}" in result.stderr


def test_archive_url_is_shown_and_must_be_http(captured: Path) -> None:
    path = captured / "content" / "sources" / "barrier.yaml"
    original = path.read_text("utf-8")
    path.write_text(original + "archive_url: javascript:alert(1)\n", encoding="utf-8")
    result = run_cli("check", "--root", str(captured))
    assert result.returncode == 1 and "barrier.yaml:" in result.stderr
    archive = "https://web.archive.org/web/20210314000000/https://example.org/barrier"
    path.write_text(original + f"archive_url: {archive}\n", encoding="utf-8")
    assert run_cli("build", "--root", str(captured)).returncode == 0
    page = parse(captured / "_site" / "sources" / "barrier" / "index.html")
    assert [a["href"] for a in page.select("dl.facts a") if a.get_text() == archive] == [archive]


def test_an_edit_to_the_snapshot_rebuilds_what_a_full_build_writes(
    captured: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out" / "_site"
    assert pipeline.build(Paths.for_site(captured, out), Options()).ok
    warc = captured / "seeds" / "barrier.warc.gz"
    # Uncompressed, it is still a WARC file (readers tell by its first bytes).
    altered = gzip.decompress(warc.read_bytes()).replace(b"tested", b"TESTED")
    warc.write_bytes(altered)
    # The cache does not hide the edit: the snapshot is an input of the source.
    stale = pipeline.build(Paths.for_site(captured, out), Options())
    assert not stale.ok and "has changed" in stale.diagnostics[0].message
    yaml_path = captured / "content" / "sources" / "barrier.yaml"
    text = yaml_path.read_text("utf-8")
    recorded = next(line for line in text.splitlines() if line.startswith("snapshot_sha256:"))
    new = f"snapshot_sha256: {hashlib.sha256(altered).hexdigest()}"
    yaml_path.write_text(text.replace(recorded, new), encoding="utf-8")
    assert pipeline.build(Paths.for_site(captured, out), Options()).ok
    full = tmp_path / "full" / "_site"
    assert pipeline.build(Paths.for_site(captured, full), Options()).ok
    assert site_tree(out) == site_tree(full)
    assert b"TESTED" in (out / "sources" / "barrier" / "snapshot.html.txt").read_bytes()


def test_build_and_check_never_open_a_network_connection(captured: Path, monkeypatch) -> None:
    opened: list[object] = []

    def refuse(self: socket.socket, address: object) -> None:
        opened.append(address)
        raise OSError("no network in a build")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket.socket, "connect_ex", refuse)
    out = captured / "_site"
    assert pipeline.build(Paths.for_site(captured, out), Options()).ok
    assert pipeline.build(Paths.for_site(captured), Options(), write_output=False).ok
    assert opened == []


def test_the_extractor_works_offline(monkeypatch) -> None:
    """trafilatura is given the HTML and must not fetch anything itself."""
    monkeypatch.setattr(socket.socket, "connect", lambda *a: pytest.fail(f"connect {a}"))
    monkeypatch.setattr(socket, "getaddrinfo", lambda *a, **k: pytest.fail(f"resolve {a}"))
    article = capture.extract((PAGES / "article.html").read_bytes(), "utf-8", "https://x.test/a")
    assert article.title.startswith("Harbour board") and article.text.count("\n") >= 5
