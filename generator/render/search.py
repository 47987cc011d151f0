"""Search: what the site's search index holds of each fact-check, and the Pagefind bundle of it.

Each fact-check is one record: its claim, claimant, rating, summary, analysis and quotations
as plain words, the filters a reader narrows by (rating, topic, claimant) and the date it
sorts by. Pagefind (https://pagefind.app) turns the records into a static bundle, pagefind/,
that the search page loads when a reader first searches: a script, a WebAssembly module and
index chunks of a few kilobytes each. Nothing is fetched from anywhere else.

We talk to the Pagefind binary (from the pagefind-bin wheel) over its service protocol
ourselves: the official Python wrapper polls for each answer with a 0.1 s sleep, 17 minutes
for 10,000 records, where writing them all at once and reading the answers as they come takes
seconds.
"""

from __future__ import annotations

import base64
import hashlib
import html
import json
import re
import subprocess
import threading
from collections.abc import Callable, Iterable, Iterator
from dataclasses import astuple, dataclass
from functools import cache, partial
from importlib import metadata
from typing import IO, Any

from .. import urls
from ..model import Claim, Content
from ..output.write import digest

# The folder of the bundle in the built site; pagefind.js is the script the search page loads.
FOLDER = "pagefind/"
SCRIPT = FOLDER + "pagefind.js"

# What of Pagefind's output the search page uses: its script and worker, the WebAssembly
# module, the entry and metadata files and the index, fragment and filter chunks. Pagefind's
# ready-made interfaces (pagefind-ui.js and the like, 100 KB) are left out: the theme has its
# own, in the site's language, with the rating filter in the scale's order.
_KEPT = re.compile(
    r"pagefind\.js|pagefind-worker\.js|pagefind-entry\.json|wasm\.[\w-]+\.pagefind"
    r"|pagefind\.[\w-]+\.pf_meta|(index|fragment|filter)/[\w.-]+"
)

# Markdown's punctuation, which is not words: links keep their text, not their address.
_LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")
_MARKUP = re.compile(r"[*_`#>|]+|^\s*[-+]\s", re.MULTILINE)


@dataclass(frozen=True)
class Record:
    """One fact-check as the search index holds it."""

    # Its page, relative to the site ("claims/x/"); the search page adds the site's path.
    url: str
    # The claim, the result's title; found first when its words are searched.
    claim: str
    # Who made it; found next, and a filter.
    claimant: str
    # The rating's label, shown and a filter.
    rating: str
    # The rest of the words searched: summary, analysis, quotations, evidence notes.
    text: str
    # Its topics, a filter.
    topics: tuple[str, ...]
    # Its publication date as its pages show it, and as YYYY-MM-DD, which results sort by.
    shown_date: str
    date: str

    @property
    def words(self) -> str:
        """Everything searched, in one string."""
        return "\n".join([self.claim, self.claimant, self.rating, self.text])


@dataclass(frozen=True)
class Bundle:
    """The search bundle: each file's path in the site with the digest of its bytes, and how
    to read the bytes (which a memoised index may only work out when a file must be made)."""

    digests: dict[str, str]
    read: Callable[[str], bytes]


class SearchError(RuntimeError):
    """Pagefind is missing, failed or refused a record; the message says which."""


# Makes the bundle of a site's records in a language (a memoised stand-in may be lent).
Index = Callable[[list[Record], str], Bundle]


def records(content: Content, shown_date: Callable[[Claim], str]) -> list[Record]:
    """One record per fact-check, newest first; `shown_date` words a claim's publication date
    as its pages do."""
    claims = sorted(content.claims, key=lambda c: (-c.published.toordinal(), c.id))
    return [_record(claim, shown_date(claim)) for claim in claims]


def _record(claim: Claim, shown_date: str) -> Record:
    text = [
        claim.summary,
        plain_text(claim.analysis),
        *(quote.text for quote in claim.quotes()),
        *(evidence.note for evidence in claim.evidence),
    ]
    return Record(
        url=urls.claim(claim),
        claim=claim.claim,
        claimant=claim.claimant,
        rating=claim.rating.label,
        text="\n".join(t for t in text if t),
        topics=claim.tags,
        shown_date=shown_date,
        date=claim.published.isoformat(),
    )


def record_html(record: Record, language: str) -> str:
    """The record as the page Pagefind reads: the claim a heading and the claimant a smaller
    one, which Pagefind weighs above the text (a reader typing a name or the claim's words
    finds that fact-check first); each filter's and result's value an element's text, so no
    character of a name is read as a separator; the date and topics shown, not searched."""
    e = html.escape
    claimant, rating = e(record.claimant), e(record.rating)
    topics = "".join(f'<span data-pagefind-filter="topic">{e(t)}</span>' for t in record.topics)
    return (
        f'<html lang="{e(language)}"><body data-pagefind-sort="date:{record.date}">'
        f"<h1>{e(record.claim)}</h1>"
        f'<h2 data-pagefind-filter="claimant" data-pagefind-meta="claimant">{claimant}</h2>'
        f'<p data-pagefind-filter="rating" data-pagefind-meta="rating">{rating}</p>'
        f"<p>{e(record.text)}</p>"
        f'<div data-pagefind-ignore><p data-pagefind-meta="date">{e(record.shown_date)}</p>'
        f"{topics}</div></body></html>"
    )


def plain_text(markdown: str) -> str:
    """Markdown's words without its markup (a link's text without its address). Rendering it
    costs ten times more, for a few stray characters that the index ignores anyway."""
    return _MARKUP.sub(" ", _LINK.sub(r"\1", markdown))


def index_language(language: str) -> str:
    """The language Pagefind indexes and stems in: the primary subtag ("pt" for "pt-BR")."""
    return language.split("-")[0].lower()


def bundle(records: list[Record], language: str) -> Bundle:
    """Pagefind's bundle of the records, every record in `language`. Raises SearchError.
    Its digests are the output stage's, which the incremental layer compares with the files
    the last build wrote."""
    files = run_pagefind(records, language)
    return Bundle({path: digest(data) for path, data in files.items()}, files.__getitem__)


def records_key(records: list[Record], language: str) -> str:
    """A digest of everything the bundle is made from, Pagefind's version included."""
    h = hashlib.blake2b(digest_size=20)
    h.update(f"{_version()}\0{language}\0".encode())
    for record in records:
        h.update(json.dumps(astuple(record)).encode())
    return h.hexdigest()


def run_pagefind(records: list[Record], language: str) -> dict[str, bytes]:
    """The bundle's files by path in the site ("pagefind/pagefind.js"), made by the Pagefind
    binary from the records. Raises SearchError."""
    with _Service() as service:
        index_id = service.ask([{"type": "NewIndex", "config": {"force_language": language}}])[0]
        requests = [_payload(r, index_id["index_id"], language) for r in records]
        answers = service.ask([*requests, {"type": "GetFiles", "index_id": index_id["index_id"]}])
    files = answers[-1]["files"]
    return {
        FOLDER + f["path"]: base64.b64decode(f["content"])
        for f in sorted(files, key=lambda f: f["path"])
        if _KEPT.fullmatch(f["path"])
    }


def _payload(record: Record, index_id: int, language: str) -> dict[str, Any]:
    return {
        "type": "AddFile",
        "index_id": index_id,
        "url": "/" + record.url,
        "file_contents": record_html(record, language),
    }


@cache
def _version() -> str:
    try:
        return metadata.version("pagefind-bin")
    except metadata.PackageNotFoundError:  # _Service says so when it is needed
        return "missing"


class _Service:
    """The Pagefind binary run as a service: requests and answers are JSON, base64-encoded,
    each ended by a comma, on its standard input and output."""

    def __enter__(self) -> _Service:
        try:
            from pagefind_bin import get_executable
        except ImportError:
            raise SearchError("Pagefind is not installed (the pagefind-bin package)") from None
        try:
            self.process = subprocess.Popen(
                [str(get_executable()), "--service"],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=subprocess.DEVNULL,
            )
        except OSError as error:
            raise SearchError(f"cannot run Pagefind: {error}") from None
        self.asked = 0
        self.answers = _answers(self.process.stdout)  # type: ignore[arg-type]
        return self

    def ask(self, payloads: list[dict[str, Any]]) -> list[dict[str, Any]]:
        """Send every request at once (from a thread, so that neither side waits on a full
        pipe) and read the answers in order; an error answer raises SearchError."""
        first = self.asked + 1
        self.asked += len(payloads)
        writer = threading.Thread(target=self._send, args=(payloads, first), daemon=True)
        writer.start()
        answers = [self._answer() for _ in payloads]
        writer.join()
        return answers

    def _send(self, payloads: list[dict[str, Any]], first: int) -> None:
        stdin = self.process.stdin
        assert stdin is not None
        try:
            for number, payload in enumerate(payloads, first):
                message = json.dumps({"message_id": number, "payload": payload}).encode()
                stdin.write(base64.b64encode(message) + b",")
            stdin.flush()
        except OSError:
            pass  # the process ended: _answer says so

    def _answer(self) -> dict[str, Any]:
        answer = next(self.answers, None)
        if answer is None:
            raise SearchError("Pagefind stopped before it answered")
        payload = answer["payload"]
        if payload.get("type") == "Error":
            raise SearchError(f"Pagefind refused a record: {payload.get('message')}")
        return payload

    def __exit__(self, *exc: object) -> None:
        if self.process.stdin:
            self.process.stdin.close()
        self.process.wait()


def _answers(stdout: IO[bytes]) -> Iterator[dict[str, Any]]:
    """Pagefind's answers as they come: base64 JSON messages, each ended by a comma."""
    pieces: list[bytes] = []
    while chunk := stdout.read1(1 << 16):  # type: ignore[attr-defined]
        *ended, rest = chunk.split(b",")
        for piece in ended:
            yield json.loads(base64.b64decode(b"".join([*pieces, piece])))
            pieces = []
        pieces.append(rest)


def files_of(bundle: Bundle) -> Iterable[tuple[str, str, Callable[[], bytes]]]:
    """Each file of the bundle: its path, its digest and what makes it."""
    for path, digest_ in sorted(bundle.digests.items()):
        yield path, digest_, partial(bundle.read, path)
