"""Markdown: render editors' Markdown safely: no raw HTML; http(s), mailto, relative links."""

from __future__ import annotations

import html
import re
import unicodedata
from functools import cache
from urllib.parse import unquote

from markdown_it import MarkdownIt
from markdown_it.token import Token

# A URL scheme ("javascript:", "https:"), as browsers read it.
_SCHEME = re.compile(r"^\s*([a-zA-Z][a-zA-Z0-9+.\-]*):")
SAFE_SCHEMES = {"http", "https", "mailto"}


# Characters a browser ignores in a scheme: it drops tabs and newlines anywhere in a URL and
# leading controls and spaces, so "java\tscript:" is "javascript:". Invisible format characters
# (zero-width space) and U+FFFD (which the parser puts for a NUL) are dropped too, to be safe.
_IGNORED = {"Cc", "Cf", "Zs"}
_REPLACEMENT = "\ufffd"


def is_safe_link(url: str) -> bool:
    """Allow http(s), mailto and relative links; refuse javascript:, data:, vbscript: and others.

    The link is checked as written, with character references decoded, and percent-decoded:
    a scheme hidden by any of these encodings is refused too.
    """
    forms = {url, html.unescape(url), unquote(url), unquote(html.unescape(url))}
    return all(_scheme_allowed(form) for form in forms)


def _scheme_allowed(url: str) -> bool:
    visible = "".join(
        ch for ch in url if ch != _REPLACEMENT and unicodedata.category(ch) not in _IGNORED
    )
    match = _SCHEME.match(visible)
    return match is None or match.group(1).lower() in SAFE_SCHEMES


@cache
def _parser() -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": False, "typographer": False}).enable("table")
    md.validateLink = is_safe_link
    return md


def render(text: str, heading_offset: int = 0) -> str:
    """Markdown to HTML; `heading_offset` demotes headings to fit under the page's own.

    `heading_offset` is the level of the heading the text sits under: the text's top-level
    headings (whether written `#` or `##`) become h<offset + 1>, and no heading is more than
    one level below the one before it, so the page's outline never skips a level.
    """
    tokens = _parser().parse(text)
    if heading_offset:
        _demote([t for t in tokens if t.type in {"heading_open", "heading_close"}], heading_offset)
    return _parser().renderer.render(tokens, _parser().options, {})


def _demote(tokens: list[Token], offset: int) -> None:
    if not tokens:
        return
    top = min(int(t.tag[1]) for t in tokens)
    previous = offset
    for token in tokens:
        if token.type == "heading_open":
            level = min(int(token.tag[1]) - top + offset + 1, previous + 1, 6)
            previous = level
        token.tag = f"h{previous}"
