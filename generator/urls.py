"""URLs: where each page lives, and links between pages that work at a domain root or a sub-path.

Every internal link is relative ("../../sources/x/"), so the built folder works wherever it is
served. The one exception is 404.html, which the host serves at any missing address: its links
start with the path of base_url instead.
"""

from __future__ import annotations

from typing import TYPE_CHECKING
from urllib.parse import quote, urlsplit

from .model import Claim, Measure, Page, Rating, Source

if TYPE_CHECKING:
    from .analyse.discrepancies import Quotation

HOME = ""
METHODOLOGY = "methodology/"
CLAIMANTS = "claimants/"
TAGS = "tags/"
DISCREPANCIES = "discrepancies/"
CORRECTIONS = "corrections/"
SUBMIT = "submit/"
RATINGS = "ratings/"
SEARCH = "search/"
NOT_FOUND = "404.html"


def claim(item: Claim) -> str:
    return f"claims/{item.id}/"


def card(item: Claim) -> str:
    """A fact-check's share card, beside its page (og:image)."""
    return f"claims/{item.id}/card.png"


def source(item: Source) -> str:
    return f"sources/{item.id}/"


def snapshot(item: Source, kind: str) -> str:
    """A source's snapshot in the built site: "html" (the page's HTML, as text) or "warc".

    Never an .html file: a page served from our address would run its scripts as ours."""
    return f"{source(item)}snapshot.{SNAPSHOT_SUFFIXES[kind]}"


# Static hosts serve .txt as text/plain and .gz as application/gzip: shown as text or
# downloaded, never run.
SNAPSHOT_SUFFIXES = {"html": "html.txt", "warc": "warc.gz"}


def claimant(slug: str) -> str:
    return f"claimants/{slug}/"


def tag(slug: str) -> str:
    return f"tags/{slug}/"


def rating(item: Rating) -> str:
    return f"ratings/{item.id}/"


def rating_feed(item: Rating) -> str:
    """The Atom feed of one rating's fact-checks, beside its first page."""
    return f"{rating(item)}feed.xml"


def page(item: Page) -> str:
    return f"{item.slug}/"


def list_page(first: str, number: int) -> str:
    """Page `number` (from 1) of a paginated list whose first page is at `first` ("" for the
    home page, "tags/x/"): the first page keeps the list's address, the others are
    "page/2/", "page/3/" ... under it."""
    return first if number == 1 else f"{first}page/{number}/"


def measure(item: Measure) -> str:
    return f"discrepancies/{item.id}/"


def quotation(item: Quotation) -> str:
    return f"discrepancies/quotes/{item.id}/"


def static(name: str) -> str:
    return f"static/{name}"


def output_file(path: str) -> str:
    """The file a URL path is written to: directory URLs get an index.html."""
    return f"{path}index.html" if path == "" or path.endswith("/") else path


def root_prefix(path: str, base_url: str) -> str:
    """What to put before a site path to link to it from the page at `path`."""
    if path == NOT_FOUND:
        return urlsplit(base_url).path or "/"
    depth = path.count("/")
    return "../" * depth if depth else "./"


def absolute(path: str, base_url: str) -> str:
    """A page's absolute address, for canonical links and ClaimReview."""
    return base_url + path


class Links:
    """Link builder for one page; templates call `link.claim(c)` and get a relative address.

    Every link depends on the page's `prefix` alone: pages with the same prefix get the same
    links (render._Cards shares fact-checks' cards between them)."""

    def __init__(self, path: str, base_url: str) -> None:
        self.prefix = root_prefix(path, base_url)

    def to(self, path: str) -> str:
        return self.prefix + path

    def home(self) -> str:
        return self.to(HOME)

    def claim(self, item: Claim, fragment: str = "") -> str:
        return self.to(claim(item)) + (f"#{fragment}" if fragment else "")

    def source(self, item: Source, fragment: str = "") -> str:
        return self.to(source(item)) + (f"#{fragment}" if fragment else "")

    def snapshot(self, item: Source, kind: str) -> str:
        return self.to(snapshot(item, kind))

    def claimant(self, slug: str) -> str:
        return self.to(claimant(slug))

    def tag(self, slug: str) -> str:
        return self.to(tag(slug))

    def rating(self, item: Rating) -> str:
        return self.to(rating(item))

    def rating_feed(self, item: Rating) -> str:
        return self.to(rating_feed(item))

    def page(self, item: Page) -> str:
        return self.to(page(item))

    def list_page(self, first: str, number: int) -> str:
        return self.to(list_page(first, number))

    def measure(self, item: Measure) -> str:
        return self.to(measure(item))

    def quotation(self, item: Quotation) -> str:
        return self.to(quotation(item))

    def static(self, name: str) -> str:
        return self.to(static(name))


def text_fragment(url: str, parts: list[str]) -> str:
    """A link that scrolls to and highlights a passage of a live page (URL Text Fragments).

    Long passages use the `start,end` form; values are percent-encoded, including the
    characters the directive itself uses (`-`, `,` and `&`).
    """
    first, last = parts[0].split(), parts[-1].split()
    if len(parts) == 1 and len(first) <= 8:
        directive = _encode(" ".join(first))
    else:
        directive = f"{_encode(' '.join(first[:4]))},{_encode(' '.join(last[-4:]))}"
    return f"{url.split('#')[0]}#:~:text={directive}"


def _encode(text: str) -> str:
    return quote(text, safe="").replace("-", "%2D")
