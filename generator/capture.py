"""Capture: fetch a web page (or read a saved one), keep it as a WARC file, extract its article.

`python build.py new source URL` is the one command that touches the network. It writes three
files, all or none: the page exactly as served (seeds/<id>.warc.gz: every response, redirects
included, with its headers and the time it was fetched), the article's text extracted from it
(seeds/<id>.txt, one paragraph per line: quotations are verified against it), and
content/sources/<id>.yaml, filled in from what the page itself says of its title, outlet,
author, date and language; what it does not say is left out, never guessed.
"""

from __future__ import annotations

import datetime as dt
import gzip
import hashlib
import http.client
import io
import re
import socket
import ssl
import urllib.error
import urllib.request
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from email.message import Message
from pathlib import Path
from typing import Any
from urllib.parse import urljoin, urlsplit

from .load import validate
from .scaffold import Created, ScaffoldError, _quoted, _refuse_existing, _rel, schema_line

# Who we are, for the server's logs: a clear name and what the fetch is for.
USER_AGENT = "factcheck-site-generator/1.0 (archiving one page for a fact-check; Python urllib)"
# Seconds to wait for the server to answer, and between two parts of the page.
TIMEOUT = 30.0
# Largest page kept, in bytes: an article's HTML is rarely above 2 MB; a bigger answer is a
# file, a stream or an error.
SIZE_LIMIT = 10_000_000
# Redirects followed before giving up (browsers allow 20; an article needs one or two).
MAX_REDIRECTS = 5
# Fewer words than this is not an article: a consent wall, a paywall teaser, an error page.
MIN_WORDS = 50
# What an HTML page is served as.
HTML_TYPES = frozenset({"text/html", "application/xhtml+xml"})
REDIRECTS = frozenset({301, 302, 303, 307, 308})
# Read the body in parts of this size, reporting progress after each.
CHUNK = 65_536
# The HTML spec reads these labels as windows-1252, which all browsers use for them.
WINDOWS_1252_LABELS = frozenset(
    {"iso-8859-1", "iso8859-1", "latin1", "latin-1", "us-ascii", "ascii"}
)
META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9._:-]+)""", re.I)
# scheme://... : what the command takes as an address rather than a file.
ADDRESS = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*://")

Progress = Callable[[int, "int | None"], None]


class CaptureError(ScaffoldError):
    """Why nothing was written (the same shape as the scaffold's errors)."""


@dataclass(frozen=True)
class Response:
    """One HTTP response, as received: a redirect or the page."""

    # The address requested.
    url: str
    # HTTP status code and reason phrase ("404", "Not Found").
    status: int
    reason: str
    # The headers in the order received, repeats kept.
    headers: tuple[tuple[str, str], ...]
    # The body, as received: kept as evidence. We ask for no compression, but a server may
    # compress all the same; content() gives the page's own bytes.
    body: bytes
    # When the response started to arrive, in UTC.
    fetched: dt.datetime

    def header(self, name: str) -> str:
        return next((v for k, v in self.headers if k.lower() == name.lower()), "")

    def content(self) -> bytes:
        """The body without the compression the server applied (Content-Encoding)."""
        coding = self.header("Content-Encoding").strip().lower()
        try:
            if coding in ("gzip", "x-gzip"):
                return gzip.decompress(self.body)
            if coding == "deflate":  # zlib-wrapped as the standard says, or raw as some send
                return zlib.decompress(
                    self.body, zlib.MAX_WBITS | 32 if self.body[:1] == b"x" else -zlib.MAX_WBITS
                )
        except (OSError, EOFError, zlib.error):
            raise CaptureError(
                f"{self.url} sent a page compressed with {coding} that cannot be read; "
                "nothing was written",
                "save the page from a browser (File > Save Page As, HTML only) and pass "
                "that file instead of the address",
            ) from None
        if coding not in ("", "identity"):
            raise CaptureError(
                f"{self.url} sent a page compressed with {coding}, which cannot be read here; "
                "nothing was written",
                "save the page from a browser (File > Save Page As, HTML only) and pass "
                "that file instead of the address",
            )
        return self.body


@dataclass(frozen=True)
class Article:
    """What a page says of itself, and its text; empty strings for what it does not say."""

    # The extracted text, one paragraph per line, ending with a newline.
    text: str
    title: str
    # The site's own name for itself (og:site_name, JSON-LD publisher), not its host name.
    outlet: str
    author: str
    # Publication date as YYYY-MM-DD, from the page's metadata.
    published: str
    # Language tag of the page (<html lang>, og:locale, JSON-LD inLanguage).
    language: str
    # The address the page gives for itself (canonical, og:url), if any.
    url: str


def is_address(text: str) -> bool:
    """Whether the command's argument is meant as an address (scheme://...), not a file."""
    return bool(ADDRESS.match(text))


# --- The commands ----------------------------------------------------------------------------


def capture_url(
    root: Path,
    url: str,
    slug: str | None,
    progress: Progress | None = None,
) -> Created:
    """Fetch url and archive it as a source; raise CaptureError (nothing written) if it is not
    an article page that can be fetched."""
    _check_address(url)
    sid = _source_id(slug, url)
    targets = _targets(root, sid)
    responses = fetch(url, progress)
    page = responses[-1]
    article = extract(page.content(), _charset(page.header("Content-Type")), page.url)
    warc = warc_bytes(responses)
    yaml_text = _yaml(
        targets,
        article,
        url=page.url,
        captured=page.fetched.date().isoformat(),
        snapshot_sha=hashlib.sha256(warc).hexdigest(),
        origin=f"Fetched from {page.url} on {page.fetched:%Y-%m-%d %H:%M} UTC",
    )
    written = _write_all(root, targets, article.text.encode(), warc, yaml_text)
    hops = [f"{r.status} {r.reason}: {r.url} -> {r.header('Location')}" for r in responses[:-1]]
    return Created(written, notes=tuple(f"followed redirect {hop}" for hop in hops))


def capture_file(root: Path, html_file: Path, slug: str | None) -> Created:
    """Archive a page saved from a browser (.html): the file is kept as the snapshot."""
    if not html_file.is_file():
        raise CaptureError(
            f"no such file: {html_file}", "give the path of the saved page (.html)", usage=True
        )
    sid = _source_id(slug, html_file.stem)
    targets = _targets(root, sid)
    data = html_file.read_bytes()
    _check_html_bytes(data, "")
    article = extract(data, None, "")
    warc = warc_resource(data, article.url or f"file:///{html_file.name}")
    yaml_text = _yaml(
        targets,
        article,
        url=article.url,
        captured="",
        snapshot_sha=hashlib.sha256(warc).hexdigest(),
        origin=f"Saved from a browser as {html_file.name}",
    )
    return Created(_write_all(root, targets, article.text.encode(), warc, yaml_text))


# --- Fetching --------------------------------------------------------------------------------


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    """Redirects are followed by fetch() itself, so that each one is recorded and checked."""

    def redirect_request(self, *args: object, **kwargs: object) -> None:
        return None


def fetch(url: str, progress: Progress | None = None) -> list[Response]:
    """The responses to url, following at most MAX_REDIRECTS redirects; the last is a 2xx HTML
    page. Raises CaptureError for anything else."""
    opener = urllib.request.build_opener(_NoRedirects)
    responses: list[Response] = []
    seen = {url}
    while True:
        response = _get(opener, url, progress)
        responses.append(response)
        if response.status not in REDIRECTS:
            break
        url = _next_hop(response, seen, len(responses))
        seen.add(url)
    if not 200 <= response.status < 300:
        raise CaptureError(
            f"{response.url} answered {response.status} {response.reason}; nothing was written",
            _status_hint(response.status),
        )
    _check_html_bytes(response.content(), response.header("Content-Type"))
    return responses


def _get(opener: urllib.request.OpenerDirector, url: str, progress: Progress | None) -> Response:
    request = urllib.request.Request(url, headers=_request_headers())
    fetched = dt.datetime.now(dt.UTC).replace(microsecond=0)
    try:
        answer = opener.open(request, timeout=TIMEOUT)
    except urllib.error.HTTPError as error:  # 3xx, 4xx, 5xx: still a response, recorded
        answer = error
    except (urllib.error.URLError, OSError) as error:
        raise _unreachable(url, getattr(error, "reason", error)) from None
    with answer:
        status, reason = answer.status, answer.reason or ""
        headers = tuple(answer.headers.items())
        if status not in REDIRECTS and 200 <= status < 300:
            _check_type(url, answer.headers)
        body = _read(answer, url, answer.headers, progress if status not in REDIRECTS else None)
    return Response(url, status, reason, headers, body, fetched)


def _request_headers() -> dict[str, str]:
    # identity: the body is kept as served, so we ask for it uncompressed.
    return {
        "User-Agent": USER_AGENT,
        "Accept": "text/html,application/xhtml+xml;q=0.9,*/*;q=0.1",
        "Accept-Encoding": "identity",
    }


def _read(answer: Any, url: str, headers: Message, progress: Progress | None) -> bytes:
    """The body, at most SIZE_LIMIT bytes, reporting progress as it arrives."""
    length = headers.get("Content-Length", "")
    total = int(length) if length.isdigit() else None
    if total is not None and total > SIZE_LIMIT:
        raise _too_large(url, total)
    parts, received = [], 0
    try:
        while part := answer.read(CHUNK):
            received += len(part)
            if received > SIZE_LIMIT:
                raise _too_large(url, received)
            parts.append(part)
            if progress is not None:
                progress(received, total)
    except (OSError, http.client.HTTPException) as error:
        raise _unreachable(url, error) from None
    return b"".join(parts)


def _next_hop(response: Response, seen: set[str], count: int) -> str:
    location = response.header("Location")
    if not location:
        raise CaptureError(
            f"{response.url} answered {response.status} {response.reason} without saying "
            "where to; nothing was written",
            "open the address in a browser and give the address it ends at",
        )
    target = urljoin(response.url, location.strip())
    if target in seen:
        raise CaptureError(
            f"{response.url} redirects in a loop (back to {target}); nothing was written",
            "the site may need cookies set by a browser: save the page from a browser and "
            "pass the saved .html file instead",
        )
    if count > MAX_REDIRECTS:
        raise CaptureError(
            f"more than {MAX_REDIRECTS} redirects from the address given; nothing was written",
            f"give the address the page ends at, e.g. {target}",
        )
    _check_address(target)
    return target


def _check_address(url: str) -> None:
    parts = urlsplit(url)
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        raise CaptureError(
            f"not an http(s) address: {url}; nothing was written",
            "give the page's address as a browser shows it, starting with https:// or http://",
            usage=True,
        )


def _check_type(url: str, headers: Message) -> None:
    media = headers.get_content_type() if headers.get("Content-Type") else ""
    if media and media not in HTML_TYPES:
        raise _not_html(url, media)


def _check_html_bytes(body: bytes, content_type: str) -> None:
    """Refuse what is plainly not HTML, served without a type or under a wrong one."""
    head = body[:16].lstrip()
    signatures = {
        b"%PDF": "a PDF",
        b"\x89PNG": "a PNG image",
        b"\xff\xd8\xff": "a JPEG image",
        b"GIF8": "a GIF image",
    }
    for magic, kind in signatures.items():
        if head.startswith(magic):
            raise _not_html(content_type or "the file", kind)
    if head.startswith(b"RIFF") and body[8:12] == b"WEBP":
        raise _not_html(content_type or "the file", "a WebP image")


def _not_html(where: str, what: str) -> CaptureError:
    return CaptureError(
        f"{where} is {what}, not an HTML page: only HTML is supported; nothing was written",
        "archive the article's web page; for a PDF, save its text as a UTF-8 .txt file and "
        "pass that file",
    )


def _too_large(url: str, size: int) -> CaptureError:
    return CaptureError(
        f"{url} is larger than {SIZE_LIMIT // 1_000_000} MB ({size:,} bytes or more); "
        "nothing was written",
        "this is not an article page; save the article from a browser and pass the .html file",
    )


def _unreachable(url: str, reason: object) -> CaptureError:
    if isinstance(reason, socket.gaierror):
        why = "its host name was not found"
    elif isinstance(reason, TimeoutError | socket.timeout):
        why = f"it did not answer within {TIMEOUT:g} s"
    elif isinstance(reason, ConnectionRefusedError):
        why = "its host refused the connection"
    elif isinstance(reason, ssl.SSLError | ssl.CertificateError):
        why = f"its secure connection failed ({reason})"
    else:
        why = f"the connection failed ({reason})"
    return CaptureError(
        f"cannot fetch {url}: {why}; nothing was written",
        "check the address and the network; if a browser opens the page, save it from the "
        "browser and pass the saved .html file",
    )


def _status_hint(status: int) -> str:
    if status in (401, 403, 451):
        return (
            "the site refuses this tool; open the page in a browser, save it (as HTML) and "
            "pass the saved file"
        )
    if status == 404 or status == 410:
        return "check the address; a page that was removed may be in the Wayback Machine"
    return "try again later, or save the page from a browser and pass the saved .html file"


# --- The snapshot ----------------------------------------------------------------------------


def warc_bytes(responses: list[Response]) -> bytes:
    """A gzipped WARC file: for each response (redirects first), the request we sent and what
    came back, each dated by the fetch."""
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    buffer = io.BytesIO()
    writer = WARCWriter(buffer, gzip=True)
    writer.write_record(
        writer.create_warcinfo_record(
            "snapshot.warc.gz",
            {"software": USER_AGENT, "format": "WARC File Format 1.0"},
        )
    )
    for response in responses:
        date = {"WARC-Date": response.fetched.strftime("%Y-%m-%dT%H:%M:%SZ")}
        # The body was de-chunked as it was read: the header no longer describes it.
        kept = [(k, v) for k, v in response.headers if k.lower() != "transfer-encoding"]
        answer = StatusAndHeaders(f"{response.status} {response.reason}", kept, protocol="HTTP/1.1")
        record = writer.create_warc_record(
            response.url,
            "response",
            payload=io.BytesIO(response.body),
            length=len(response.body),
            http_headers=answer,
            warc_headers_dict=date,
        )
        parts = urlsplit(response.url)
        target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        sent = [("Host", parts.netloc), *_request_headers().items()]
        request = writer.create_warc_record(
            response.url,
            "request",
            http_headers=StatusAndHeaders(f"GET {target} HTTP/1.1", sent, is_http_request=True),
            warc_headers_dict={
                **date,
                "WARC-Concurrent-To": record.rec_headers.get_header("WARC-Record-ID"),
            },
        )
        writer.write_record(record)
        writer.write_record(request)
    return buffer.getvalue()


def warc_resource(data: bytes, uri: str) -> bytes:
    """A gzipped WARC file holding a saved page as one resource record."""
    from warcio.warcwriter import WARCWriter

    buffer = io.BytesIO()
    writer = WARCWriter(buffer, gzip=True)
    record = writer.create_warc_record(
        uri,
        "resource",
        payload=io.BytesIO(data),
        length=len(data),
        warc_content_type="text/html",
    )
    writer.write_record(record)
    return buffer.getvalue()


# --- Extraction ------------------------------------------------------------------------------


def extract(body: bytes, charset: str | None, url: str) -> Article:
    """The article's text and what the page says of itself. Works on the bytes alone: the
    extractor is given the HTML as text and never fetches anything."""
    import trafilatura
    from trafilatura.metadata import extract_metadata
    from trafilatura.settings import set_date_params

    html = _decode(body, charset)
    extracted = trafilatura.extract(
        html,
        url=url or None,
        output_format="txt",
        include_comments=False,
        include_tables=True,
        include_images=False,
        include_links=False,
        favor_precision=True,
        deduplicate=False,
    )
    text = _paragraphs(extracted or "")
    words = len(text.split())
    if words < MIN_WORDS:
        raise CaptureError(
            f"the page holds {words} words of text, too few for an article: probably a "
            "consent wall, a paywall or a teaser; nothing was written",
            "open the page in a browser, accept or log in until the whole article shows, save "
            "it (File > Save Page As, 'Web Page, HTML only') and pass the saved .html file",
        )
    # Dates only from the page's metadata and address: htmldate's extensive search would
    # guess one from any date in the text.
    meta = extract_metadata(html, default_url=None, date_config=set_date_params(False))
    return Article(
        text=text,
        title=_clean(meta.title),
        outlet=_outlet(meta.sitename, meta.url),
        author=_clean(meta.author),
        published=meta.date or "",
        language=_language(html),
        url=meta.url if meta.url and validate.is_valid("url", meta.url) else "",
    )


def _decode(body: bytes, charset: str | None) -> str:
    """The HTML as text: the charset the server gave, else the one the page declares, else
    UTF-8 if it decodes, else windows-1252 (as browsers do)."""
    for label in (charset, _declared_charset(body), "utf-8"):
        if not label:
            continue
        name = "cp1252" if label.lower() in WINDOWS_1252_LABELS else label
        try:
            return body.decode(name).removeprefix("\ufeff")
        except (LookupError, UnicodeDecodeError):
            continue
    return body.decode("cp1252", errors="replace")


def _charset(content_type: str) -> str | None:
    message = Message()
    message["Content-Type"] = content_type
    charset = message.get_content_charset()
    return charset or None


def _declared_charset(body: bytes) -> str | None:
    if body.startswith(b"\xef\xbb\xbf"):
        return "utf-8"
    match = META_CHARSET.search(body[:4096])
    return match[1].decode("ascii") if match else None


def _paragraphs(text: str) -> str:
    """One paragraph per line, each stripped, blank lines dropped, ending with a newline."""
    lines = [" ".join(validate.CONTROL.sub(" ", line).split()) for line in text.splitlines()]
    kept = [line for line in lines if line]
    return "\n".join(kept) + "\n" if kept else ""


def _clean(value: str | None) -> str:
    return " ".join(validate.CONTROL.sub(" ", value or "").split())


def _outlet(sitename: str | None, url: str | None) -> str:
    """The site's name, unless the extractor made it up from the host name (a guess)."""
    name = _clean(sitename)
    host = (urlsplit(url).hostname or "") if url else ""
    if not name or name.lower() in {host, host.removeprefix("www.")}:
        return ""
    return name


_LANG_PATTERNS = (
    re.compile(r"<html\b[^>]*?\blang\s*=\s*[\"']?([A-Za-z]{2,3}(?:[-_][A-Za-z0-9]{2,8})*)", re.I),
    re.compile(r"\"inLanguage\"\s*:\s*\"([A-Za-z]{2,3}(?:[-_][A-Za-z0-9]{2,8})*)\"", re.I),
    re.compile(
        r"<meta[^>]+property\s*=\s*[\"']og:locale[\"'][^>]+content\s*=\s*[\"']"
        r"([A-Za-z]{2,3}(?:[-_][A-Za-z0-9]{2,8})*)",
        re.I,
    ),
)


def _language(html: str) -> str:
    """The page's language tag, as it declares it (<html lang>, JSON-LD, og:locale)."""
    for pattern in _LANG_PATTERNS:
        match = pattern.search(html)
        if match:
            return match[1].replace("_", "-")
    return ""


# --- Writing ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Targets:
    """The three files a capture writes."""

    sid: str
    text: Path
    snapshot: Path
    yaml: Path


def _source_id(slug: str | None, origin: str) -> str:
    """The id given, or one made from the address's last path segment (or the file name)."""
    if slug is not None:
        if not validate.is_valid("slug", slug):
            raise CaptureError(
                f"not a source id: {slug!r}",
                f"use a lowercase slug (a-z, 0-9, single hyphens), e.g. {validate.slugify(slug)}",
                usage=True,
            )
        return slug
    if is_address(origin):
        parts = urlsplit(origin)
        segments = [s for s in parts.path.split("/") if s]
        last = re.sub(r"\.(?:s?html?|php|aspx?|jsp)$", "", segments[-1]) if segments else ""
        candidate = validate.slugify(last)
        if not re.search("[a-z]", candidate):  # "/12345": the host says more
            candidate = validate.slugify(f"{parts.hostname or ''} {last}")
    else:
        candidate = validate.slugify(origin)
    return candidate[:80].rstrip("-") or "source"


def _targets(root: Path, sid: str) -> _Targets:
    targets = _Targets(
        sid,
        root / "seeds" / f"{sid}.txt",
        root / "seeds" / f"{sid}.warc.gz",
        root / "content" / "sources" / f"{sid}.yaml",
    )
    hint = "choose another id with --id"
    _refuse_existing(root, targets.yaml, hint)
    _refuse_existing(root, targets.text, hint)
    _refuse_existing(root, targets.snapshot, hint)
    return targets


def _write_all(
    root: Path, targets: _Targets, text: bytes, warc: bytes, yaml_text: str
) -> tuple[str, ...]:
    """Create the three files, or none: a failure removes what this call created."""
    made: list[Path] = []
    try:
        for path, data in (
            (targets.text, text),
            (targets.snapshot, warc),
            (targets.yaml, yaml_text.encode()),
        ):
            path.parent.mkdir(parents=True, exist_ok=True)
            with path.open("xb") as handle:
                made.append(path)
                handle.write(data)
    except OSError as error:
        for path in made:
            path.unlink(missing_ok=True)
        raise CaptureError(
            f"cannot write {_rel(root, Path(error.filename or made[-1]))}: "
            f"{error.strerror}; nothing was written",
            "choose another id with --id" if isinstance(error, FileExistsError) else "",
        ) from None
    return tuple(_rel(root, path) for path in made)


def _yaml(
    targets: _Targets, article: Article, url: str, captured: str, snapshot_sha: str, origin: str
) -> str:
    """The source's YAML: what the page says, and commented lines for what it does not."""
    title = article.title or article.text.split("\n", 1)[0]
    known = {
        "outlet": (article.outlet, "The publication: the page does not name itself."),
        "author": (article.author, "The byline: the page names no author."),
        "published": (article.published, "Publication date (YYYY-MM-DD): the page gives none."),
        "language": (article.language, "Language tag: the page does not declare one."),
        "url": (url, "The original address: the saved page gives none (never guess one)."),
    }
    lines = [
        schema_line(targets.yaml, validate.SOURCE),
        f"# {origin}, by python build.py new source.\n",
        "# Check each value against the page; what the page does not say is left out.\n",
        "\n",
        "# The article's text, extracted from the page. Never edit it: quotations are checked\n",
        "# against it.\n",
        f"file: {_quoted(targets.text.name)}\n",
        f"sha256: {hashlib.sha256(article.text.encode()).hexdigest()}\n",
        f"title: {_quoted(title)}\n",
    ]
    for key, (value, missing) in known.items():
        if key == "published" and value:
            lines.append(f"{key}: {value}\n")
        elif value:
            lines.append(f"{key}: {_quoted(value)}\n")
        else:
            lines.append(f"# {missing}\n# {key}:\n")
    lines += [
        "\n",
        "# The page as served (a WARC file under seeds/), its checksum, and when we fetched it.\n",
        f"snapshot: {_quoted(targets.snapshot.name)}\n",
        f"snapshot_sha256: {snapshot_sha}\n",
        f"captured: {captured}\n" if captured else "# When it was saved (a date).\n# captured:\n",
        "# A public archive copy, if you make one (https://web.archive.org/save/<address>):\n",
        "# archive_url: https://web.archive.org/web/<timestamp>/<address>\n",
        "# One sentence about the archive, shown on the source page.\n",
        '# note: "TODO: how and when it was archived"\n',
    ]
    return "".join(lines)
