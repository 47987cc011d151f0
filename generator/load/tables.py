"""Tables: read the interface's translation tables and check the site's language's against the
English one and the keys the templates ask for.

Each folder of Paths.tables may hold a table per language (en.yaml, fr.yaml, pt-BR.yaml): keys
in sections (`nav:` then `fact_checks: Fact-checks` is the key nav.fact_checks), each a text or
its plural forms. The site's own tables are merged over the shipped theme's, key by key. The
table of the site's language must give every key of the English table and every key a template
asks for (`t("key")`), each plural text in every form its language needs, with no placeholder
the English text lacks: a key missing is an error, never an English text nobody notices.
"""

from __future__ import annotations

import datetime as dt
import difflib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import jinja2
from jinja2 import nodes

from .. import i18n
from ..config import DEFAULT_THEME, Paths
from ..diagnostics import Diagnostics, Location
from ..i18n import Interface, Message
from . import loader
from .loader import YMap

# The language every table is checked against.
REFERENCE = "en"

# The template functions whose first argument is a key.
TEMPLATE_FUNCTIONS = frozenset({"t", "t_hidden", "t_forms"})


@dataclass(frozen=True)
class Entry:
    """One key of a table: its text (or plural forms) and where it is written."""

    message: Message
    where: Location


@dataclass(frozen=True)
class Table:
    """A language's texts merged from every folder's file, with where each was written."""

    entries: dict[str, Entry]
    # Each section ("nav") of the last file read, where its key is: a missing key is reported
    # at its section when the file has one.
    sections: dict[str, Location]
    # The files read, first to last ("theme/i18n/fr.yaml"); the last is where keys go.
    files: list[str]


def read(paths: Paths, language: str, where: Location, diags: Diagnostics) -> Interface | None:
    """The interface in the site's `language` (site.yaml's, at `where`); None, with errors,
    when its table is missing or incomplete."""
    errors = len(diags.errors)
    try:
        locale = i18n.parse_locale(language)
    except ValueError:
        diags.error(
            where,
            f"unknown language '{language}': no calendar, number or plural rules for it",
            "give a language tag such as en, fr, es, pt-BR, de or ar",
        )
        return None
    english = _table(paths, REFERENCE, diags)
    table = english if language == REFERENCE else _table(paths, language, diags)
    if not table.files:
        diags.error(where, f"no translation table for language '{language}'", _how_to_add(language))
        return None
    asked = template_keys(paths.theme)
    _check(table, english, asked, language, i18n.plural_categories(locale), diags)
    _check_date_format(table, language, diags)
    if len(diags.errors) > errors:
        return None
    messages = {key: entry.message for key, entry in table.entries.items()}
    return Interface(language, messages, table.files[-1])


def _primary(tag: str) -> str:
    return tag.replace("_", "-").split("-", 1)[0].lower()


def _names(language: str) -> list[str]:
    """The file names a language's texts are read from, merged in this order: its primary
    language's ("pt.yaml"), then its own ("pt-BR.yaml")."""
    tag = language.replace("_", "-")
    return list(dict.fromkeys([f"{_primary(tag)}.yaml", f"{tag}.yaml"]))


def _table(paths: Paths, language: str, diags: Diagnostics) -> Table:
    entries: dict[str, Entry] = {}
    sections: dict[str, Location] = {}
    files: list[str] = []
    for folder in paths.tables:
        for name in _names(language):
            path = folder / name
            if not path.is_file():
                continue
            data = loader.load_yaml(path, paths.root, diags)
            rel = loader.relative(path, paths.root)
            files.append(rel)
            sections = {}
            if data is None:
                continue
            if not isinstance(data, YMap):
                diags.error(
                    Location(rel, 1, 1),
                    "a translation table is a mapping of keys to texts",
                    "copy the shipped theme's theme/i18n/en.yaml and translate its texts",
                )
                continue
            entries.update(_flatten(data, "", sections, diags))
    return Table(entries, sections, files)


def _flatten(
    data: YMap, prefix: str, sections: dict[str, Location], diags: Diagnostics
) -> Iterator[tuple[str, Entry]]:
    """Every key of a table, sections joined by dots, with its text or plural forms."""
    for name, value in data.items():
        key = f"{prefix}{name}"
        if isinstance(value, str):
            yield key, Entry(value, data.where(name))
        elif isinstance(value, YMap) and value and set(value) <= set(i18n.CATEGORIES):
            wrong = [c for c, form in value.items() if not isinstance(form, str)]
            for category in wrong:
                diags.error(
                    value.where(category),
                    f"the '{category}' form of '{key}' must be a text",
                    "put the text in quotes",
                )
            if not wrong:
                yield key, Entry(dict(value), data.where(name))
        elif isinstance(value, YMap):
            sections[key] = data.where_key(name)
            yield from _flatten(value, f"{key}.", sections, diags)
        else:
            diags.error(
                data.where(name),
                f"the translation of '{key}' must be a text, or its plural forms",
                "put the text in quotes; plural forms are a mapping such as "
                "{one: '{count} fact-check', other: '{count} fact-checks'}",
            )


def _check(
    table: Table,
    english: Table,
    asked: dict[str, list[Location]],
    language: str,
    categories: tuple[str, ...],
    diags: Diagnostics,
) -> None:
    """Report every key missing from the language's table, and every text of it that does not
    fit its English one, all at once."""
    last = table.files[-1]
    for key, reference in english.entries.items():
        entry = table.entries.get(key)
        if entry is None:
            diags.error(
                _place_for(key, table, last),
                f"missing translation of '{key}' for language '{language}' in {last}",
                f"add it; in English: {_shown(reference.message)}",
            )
            continue
        _check_entry(key, entry, reference, language, categories, diags)
    for key, places in asked.items():
        if key in english.entries:
            continue
        if key not in table.entries:
            for place in places:
                diags.error(
                    place,
                    f"the template asks for '{key}', which no translation table has "
                    f"(language '{language}': {last})",
                    f"add '{key}' to the table of every language (theme/i18n/*.yaml)",
                )
        else:
            entry = table.entries[key]
            if isinstance(entry.message, dict):
                _check_forms(key, entry, language, categories, diags)
    # A key of the site's own table that nothing uses is most likely misspelt.
    known = set(english.entries) | set(asked)
    for key, entry in table.entries.items():
        if key not in known and not _shipped(entry.where.path):
            close = difflib.get_close_matches(key, known, n=1)
            diags.warning(
                entry.where,
                f"unknown translation key '{key}': no template or English text uses it",
                f"did you mean '{close[0]}'?" if close else "remove it, or use it in a template",
            )


def _check_entry(
    key: str,
    entry: Entry,
    reference: Entry,
    language: str,
    categories: tuple[str, ...],
    diags: Diagnostics,
) -> None:
    plural = isinstance(reference.message, dict)
    if plural and not isinstance(entry.message, dict):
        diags.error(
            entry.where,
            f"'{key}' needs its plural forms for language '{language}': {', '.join(categories)}",
            "give a mapping of forms, as the English table does",
        )
        return
    if not plural and isinstance(entry.message, dict):
        diags.error(
            entry.where,
            f"'{key}' is one text, not plural forms",
            f"in English: {_shown(reference.message)}",
        )
        return
    if plural:
        _check_forms(key, entry, language, categories, diags)
    extra = i18n.placeholders(entry.message) - i18n.placeholders(reference.message)
    if extra:
        names = ", ".join(f"{{{name}}}" for name in sorted(extra))
        has = ", ".join(f"{{{n}}}" for n in sorted(i18n.placeholders(reference.message)))
        diags.error(
            entry.where,
            f"unknown placeholder {names} in the translation of '{key}'",
            f"the English text has {has or 'none'}",
        )


def _check_forms(
    key: str, entry: Entry, language: str, categories: tuple[str, ...], diags: Diagnostics
) -> None:
    assert isinstance(entry.message, dict)
    missing = [c for c in categories if c not in entry.message]
    if missing:
        diags.error(
            entry.where,
            f"'{key}' lacks the plural form{'s' if len(missing) > 1 else ''} "
            f"{', '.join(missing)} of language '{language}'",
            f"language '{language}' uses the forms {', '.join(categories)} (CLDR plural rules)",
        )


def _check_date_format(table: Table, language: str, diags: Diagnostics) -> None:
    entry = table.entries.get("format.date")
    if entry is None or not isinstance(entry.message, str):
        return  # reported as missing, or as plural forms
    interface = Interface(language, {"format.date": entry.message})
    try:
        interface.date(dt.date(2018, 4, 4))
    except (ValueError, KeyError, AttributeError) as error:
        diags.error(
            entry.where,
            f"format.date is not a date format: {error}",
            "give short, medium, long or full, or a CLDR date pattern such as 'd MMMM y'",
        )


def _place_for(key: str, table: Table, last: str) -> Location:
    """Where a missing key goes: its section in the last file, if it has it; else the file."""
    parts = key.split(".")
    for end in range(len(parts) - 1, 0, -1):
        section = ".".join(parts[:end])
        if section in table.sections:
            return table.sections[section]
    return Location(last, 1, 1)


def _shown(message: Message) -> str:
    if isinstance(message, str):
        return repr(message)
    return ", ".join(f"{category}: {text!r}" for category, text in message.items())


def _shipped(path: str) -> bool:
    """Whether a table is the shipped theme's (named by an absolute path outside the site)."""
    return Path(path).is_absolute() and Path(path).is_relative_to(DEFAULT_THEME)


def _how_to_add(language: str) -> str:
    name = f"{_primary(language)}.yaml"
    return (
        f"copy the shipped theme's English table ({DEFAULT_THEME / 'i18n' / 'en.yaml'}) to "
        f"theme/i18n/{name} in the site folder and translate every text (see the README, "
        "'Publishing in another language')"
    )


def template_keys(theme: Path) -> dict[str, list[Location]]:
    """Every key the theme's templates ask for (`t("key")`, `t_hidden("key")`), with where."""
    env = jinja2.Environment()
    found: dict[str, list[Location]] = {}
    folder = theme / "templates"
    if not folder.is_dir():
        return found
    for path in sorted(folder.rglob("*.html")):
        try:
            source = path.read_text(encoding="utf-8")
            tree = env.parse(source)
        except (OSError, UnicodeDecodeError, jinja2.TemplateSyntaxError):
            continue  # reported when a page using it is made
        rel = path.relative_to(theme.parent).as_posix()
        lines = source.splitlines()
        for call in tree.find_all(nodes.Call):
            if not (
                isinstance(call.node, nodes.Name)
                and call.node.name in TEMPLATE_FUNCTIONS
                and call.args
            ):
                continue
            for key in _constant_keys(call.args[0]):
                line = lines[call.lineno - 1] if call.lineno <= len(lines) else ""
                col = next((line.find(q + key + q) + 2 for q in "\"'" if q + key + q in line), 0)
                found.setdefault(key, []).append(Location(rel, call.lineno, col))
    return found


def _constant_keys(node: nodes.Node) -> list[str]:
    """The keys an argument may be: a string, or either string of `"a" if x else "b"`."""
    if isinstance(node, nodes.Const) and isinstance(node.value, str):
        return [node.value]
    if isinstance(node, nodes.CondExpr):
        return _constant_keys(node.expr1) + (_constant_keys(node.expr2) if node.expr2 else [])
    return []
