"""I18n: the words of the interface in the site's language, and its dates and numbers.

A translation table (theme/i18n/<language>.yaml) gives every text the theme's templates and the
generator show readers, by key ("nav.fact_checks"). A text may hold placeholders, `{name}`,
filled in when it is shown; a text that depends on a number ("3 fact-checks") is given in each
of the plural forms the language's CLDR rules name (zero, one, two, few, many, other: Arabic
uses all six, English one and other), chosen by Babel. Dates and numbers are written the
language's way by Babel too ("4 avril 2018", "311 127"). The tables are read and checked by
load/tables.py; nothing here reads a file.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache, cached_property, lru_cache
from typing import Any

import yaml
from babel import Locale
from babel.core import get_global
from babel.dates import format_date
from babel.numbers import format_decimal
from markupsafe import Markup, escape

from .config import DEFAULT_THEME

# CLDR's plural categories, in CLDR's order.
CATEGORIES = ("zero", "one", "two", "few", "many", "other")

# A message: a text, or its plural forms by category.
Message = str | Mapping[str, str]

# A placeholder in a text: {name}.
PLACEHOLDER = re.compile(r"\{([A-Za-z_][A-Za-z0-9_]*)\}")

# Named date formats a table may give as `format.date` (else it gives a CLDR pattern).
DATE_FORMATS = frozenset({"short", "medium", "long", "full"})

# A number with every significant decimal kept (up to six), grouped the language's way.
NUMBER_PATTERN = "#,##0.######"

# Scale words for figures, largest first: a figure of millions is written "87 million" (the
# key's text, in the language's plural form for 87). Thousands stay in digits ("300 000").
SCALES = (("figure.trillion", 10**12), ("figure.billion", 10**9), ("figure.million", 10**6))


class Untranslated(LookupError):
    """A text asked for by a key no table has (load/tables.py reports those it can foresee)."""


def placeholders(message: Message) -> frozenset[str]:
    """The placeholders a message uses, in any of its forms."""
    forms = message.values() if isinstance(message, Mapping) else [message]
    return frozenset(name for form in forms for name in PLACEHOLDER.findall(form))


def plural_categories(locale: Locale) -> tuple[str, ...]:
    """The plural forms a language's texts must give, in CLDR's order ("other" always)."""
    tags = set(locale.plural_form.tags) | {"other"}
    return tuple(category for category in CATEGORIES if category in tags)


@lru_cache(maxsize=64)
def parse_locale(tag: str) -> Locale:
    """Babel's locale for a language tag ("fr", "pt-BR"); raises ValueError for one Babel does
    not know."""
    try:
        return Locale.parse(tag.replace("-", "_"))
    except (ValueError, TypeError) as error:  # babel.UnknownLocaleError is a ValueError
        raise ValueError(str(error)) from None


@dataclass(frozen=True)
class Interface:
    """The interface's texts in one language, with its formats for dates and numbers."""

    # The site's language tag, as site.yaml gives it ("fr", "pt-BR").
    language: str
    # Every text by key ("nav.fact_checks"), merged from the shipped tables and the site's.
    messages: Mapping[str, Message]
    # Where the texts of the site's language come from, for messages: "theme/i18n/fr.yaml".
    table: str = ""

    @cached_property
    def locale(self) -> Locale:
        return parse_locale(self.language)

    @cached_property
    def og_locale(self) -> str:
        """Open Graph's locale ("fr_FR"): the language with its territory, the likeliest one
        when the tag names none (CLDR's likely subtags: fr -> FR, ar -> EG, en -> US)."""
        locale = self.locale
        territory = locale.territory
        if not territory:
            likely = get_global("likely_subtags").get(locale.language, "")
            territory = Locale.parse(likely).territory if likely else None
        return f"{locale.language}_{territory}" if territory else locale.language

    # Texts.

    def text(self, key: str, count: float | None = None, **values: object) -> str:
        """The text of `key` with its placeholders filled in (numbers written the language's
        way); `count` chooses the plural form and fills {count}."""
        template = self._form(key, count)
        if count is not None:
            values["count"] = count
        return _fill(template, {name: self._plain(value) for name, value in values.items()})

    def markup(self, key: str, count: float | None = None, **values: object) -> Markup:
        """The text as HTML for a template: escaped, but for values that are markup already (a
        link, a <time> element)."""
        template = self._form(key, count)
        if count is not None:
            values["count"] = count
        filled = {name: self._html(value) for name, value in values.items()}
        return Markup(_fill(str(escape(template)), filled))

    def hidden(self, key: str, count: float | None = None, **values: object) -> Markup:
        """The text as HTML whose words are for screen readers only (visually hidden), but for
        its placeholders' values: "Page {number}" shows "3" and tells "Page 3"."""
        template = self._form(key, count)
        if count is not None:
            values["count"] = count
        parts = []
        for literal, name in _parts(template):
            if literal:
                parts.append(f'<span class="visually-hidden">{escape(literal)}</span>')
            if name is not None:
                parts.append(self._html(values[name]) if name in values else "{" + name + "}")
        return Markup("".join(parts))

    def forms(self, key: str) -> dict[str, str]:
        """The texts of `key` as the table gives them, by plural form ({"other": text} for a
        text without forms), placeholders unfilled: for a script that counts in the page
        (search.js picks the form with the browser's Intl.PluralRules)."""
        try:
            message = self.messages[key]
        except KeyError:
            raise Untranslated(key) from None
        return {"other": message} if isinstance(message, str) else dict(message)

    def has(self, key: str) -> bool:
        return key in self.messages

    def _form(self, key: str, count: float | None) -> str:
        try:
            message = self.messages[key]
        except KeyError:
            raise Untranslated(key) from None
        if isinstance(message, str):
            return message
        if count is None:
            return message["other"]
        return message.get(self._category(count)) or message["other"]

    def _category(self, count: float) -> str:
        return _category(self.locale, count)

    def _plain(self, value: object) -> str:
        if isinstance(value, bool):
            return str(value)
        if isinstance(value, int | float):
            return self.number(value)
        return str(value)

    def _html(self, value: object) -> str:
        if isinstance(value, Markup):
            return str(value)
        return str(escape(self._plain(value)))

    # Dates and numbers.

    def date(self, value: dt.date | None) -> str:
        """A date the language's way: the table's `format.date` ("4 avril 2018")."""
        if not value:
            return ""
        return _format_date(value, self.language, self.messages["format.date"])  # type: ignore[arg-type]

    def number(self, value: float) -> str:
        """A number the language's way: "311,127" (en), "311 127" (fr), "311.127" (de)."""
        return _format_number(value, self.language)

    def filesize(self, size: int) -> str:
        """A file's size in bytes, kB or MB (of 1000), one decimal at most: "1.2 kB"."""
        if size < 1000:
            return self.text("size.bytes", count=size)
        key, scale = ("size.kilobytes", 1000) if size < 1000**2 else ("size.megabytes", 1000**2)
        return self.text(key, value=self.number(round(size / scale, 1)))

    def figure(self, value: float, unit: str = "") -> str:
        """A figure in words and digits: "87 million", "87 millions", "1,2 million", "311 127";
        a scale word only when it loses nothing (1,234,567 stays in digits). Then the unit."""
        text = self._scaled(value)
        return f"{text} {unit}" if unit else text

    def _scaled(self, value: float) -> str:
        if not math.isfinite(value):
            return str(value)
        for key, scale in SCALES:
            scaled = value / scale
            if abs(value) >= scale and math.isclose(round(scaled, 2), scaled, rel_tol=1e-12):
                shown = round(scaled, 2)
                return self.text(key, count=abs(shown), value=self.number(shown))
        return self.number(value)


@cache
def english() -> Interface:
    """The shipped theme's English texts: what a chart or a card is drawn with when no site's
    interface is given (in tests and tools; a build reads and checks its tables: see
    load/tables.py)."""
    path = DEFAULT_THEME / "i18n" / "en.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    return Interface("en", dict(flatten(data)), path.as_posix())


def flatten(data: Mapping[str, Any], prefix: str = "") -> list[tuple[str, Message]]:
    """A table's keys, sections joined by dots ("nav.fact_checks"), each with its text or its
    plural forms (a mapping whose keys are all plural categories)."""
    found: list[tuple[str, Message]] = []
    for name, value in data.items():
        key = f"{prefix}{name}"
        if isinstance(value, Mapping) and not (value and set(value) <= set(CATEGORIES)):
            found += flatten(value, f"{key}.")
        else:
            found.append((key, dict(value) if isinstance(value, Mapping) else value))
    return found


def _fill(template: str, values: Mapping[str, str]) -> str:
    """The template with each {name} replaced by its value ({name} kept when not given)."""
    return "".join(
        literal + (values.get(name, "{" + name + "}") if name is not None else "")
        for literal, name in _parts(template)
    )


@lru_cache(maxsize=8192)
def _parts(template: str) -> tuple[tuple[str, str | None], ...]:
    """A template as (literal text, placeholder name or None) pairs, parsed once."""
    parts: list[tuple[str, str | None]] = []
    last = 0
    for match in PLACEHOLDER.finditer(template):
        parts.append((template[last : match.start()], match.group(1)))
        last = match.end()
    parts.append((template[last:], None))
    return tuple(parts)


# Memoised: Babel's formatting costs tens of microseconds, and the same few dates and counts
# come back on page after page.
@lru_cache(maxsize=4096)
def _format_date(value: dt.date, language: str, pattern: str) -> str:
    return format_date(value, format=pattern, locale=parse_locale(language))


@lru_cache(maxsize=4096)
def _format_number(value: float, language: str) -> str:
    if float(value).is_integer():
        value = int(value)
    return format_decimal(value, format=NUMBER_PATTERN, locale=parse_locale(language))


@lru_cache(maxsize=4096)
def _category(locale: Locale, count: float) -> str:
    return locale.plural_form(count)
