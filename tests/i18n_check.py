"""Finds English interface texts left on a site built in another language.

Every text node of every built HTML page, and the attributes readers are shown or told (alt,
aria-label, title, placeholder, data-label, and the descriptions and titles in <meta>), is
checked against the English table: a text that holds a piece of an English text whose
translation in the site's language differs is an English leftover. Tables are read with
yaml.safe_load, the shipped theme's with the site's own (its theme/i18n/) merged over them.
"""

from __future__ import annotations

import re
from pathlib import Path

import yaml
from bs4 import BeautifulSoup

from generator import i18n
from generator.config import DEFAULT_THEME

# The attributes whose text readers see or hear.
ATTRIBUTES = ("alt", "aria-label", "title", "placeholder", "data-label")
# The <meta> elements whose content is shown in link previews (name= or property=).
META = re.compile(
    r"^(description|og:(title|description|image:alt)|twitter:(title|description|image:alt))$"
)
# A piece of an English text is looked for only if it has this many letters: shorter ones
# ("on", "of") are words of other languages too.
MIN_LETTERS = 4


def table(language: str, root: Path | None = None) -> dict[str, i18n.Message]:
    """A language's texts: the shipped theme's table, then the site's own, by key."""
    messages: dict[str, i18n.Message] = {}
    folders = [DEFAULT_THEME / "i18n", *([root / "theme" / "i18n"] if root else [])]
    for folder in folders:
        path = folder / f"{language.split('-')[0]}.yaml"
        if path.is_file():
            messages.update(i18n.flatten(yaml.safe_load(path.read_text(encoding="utf-8"))))
    return messages


def pieces(message: i18n.Message) -> set[str]:
    """The literal pieces of a text between its placeholders, white space squashed, that are
    long enough to look for ("Claimed by {claimant}." gives "Claimed by")."""
    forms = message.values() if isinstance(message, dict) else [message]
    found = set()
    for form in forms:
        for part in i18n.PLACEHOLDER.split(form)[::2]:
            part = " ".join(part.split()).strip(" .,:;()[]“”«»„")
            if sum(ch.isalpha() for ch in part) >= MIN_LETTERS:
                found.add(part)
    return found


def english_pieces(language: str, root: Path | None = None) -> dict[str, str]:
    """The pieces of English texts that must not appear on the site's pages, each with its key:
    those of texts translated otherwise, and which no text of the language holds too."""
    english, other = table("en", root), table(language, root)
    # Every text of the language: a piece that is a word of it too ("figure" in French, "Site")
    # tells nothing.
    theirs = " | ".join(
        " ".join(form.split())
        for message in other.values()
        for form in (message.values() if isinstance(message, dict) else [message])
    )
    found: dict[str, str] = {}
    for key, message in english.items():
        if other.get(key) == message:
            continue  # the same words in both languages ("SHA-256")
        for piece in pieces(message):
            if not _bounded(piece).search(theirs):
                found.setdefault(piece, key)
    return found


def _bounded(piece: str) -> re.Pattern[str]:
    """The piece as a whole word (or words): not within a longer word."""
    return re.compile(rf"(?<![^\W\d_]){re.escape(piece)}(?![^\W\d_])")


def shown_texts(page: Path) -> list[str]:
    """Every text of a page readers see or hear: text nodes, and the attributes and <meta>
    contents they are shown or told."""
    soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
    texts = [
        str(node)
        for node in soup.find_all(string=True)
        if node.parent.name not in ("script", "style")
    ]
    for element in soup.find_all(True):
        texts += [element[name] for name in ATTRIBUTES if element.has_attr(name)]
        if element.name == "meta" and META.match(
            element.get("name") or element.get("property") or ""
        ):
            texts.append(element.get("content", ""))
    # The text of an element split across nodes ("Page " hidden, then the number) is checked
    # whole too.
    texts += [element.get_text() for element in soup.find_all(["p", "li", "a", "h1", "h2", "h3"])]
    return [" ".join(text.split()) for text in texts if text.strip()]


def english_leftovers(site_dir: Path, language: str, root: Path | None = None) -> list[str]:
    """Every English interface text left on the built site in `site_dir` (a site in
    `language`, whose folder `root` may hold tables of its own), as "page: text (key)"."""
    wanted = english_pieces(language, root)
    pattern = re.compile(
        r"(?<![^\W\d_])("
        + "|".join(map(re.escape, sorted(wanted, key=len, reverse=True)))
        + r")(?![^\W\d_])"
    )
    found = []
    for page in sorted(site_dir.rglob("*.html")):
        for text in dict.fromkeys(shown_texts(page)):
            for match in pattern.finditer(text):
                piece = match.group(1)
                found.append(f"{page.relative_to(site_dir)}: {text!r} ({wanted[piece]}: {piece!r})")
    return found
