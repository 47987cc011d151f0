"""Validate: check each content file's keys and value types against the content model."""

from __future__ import annotations

import datetime as dt
import difflib
import math
import re
import unicodedata
from dataclasses import dataclass, field
from typing import Any

from .diagnostics import Diagnostics, Location
from .loader import INVALID, RawContent, YList, YMap

SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
LANGUAGE = re.compile(r"^[A-Za-z]{2,3}(?:-[A-Za-z0-9]{2,8})*$")
SHA256 = re.compile(r"^[0-9a-f]{64}$")
URL = re.compile(r"^https?://[^\s/?#]+[^\s]*$", re.IGNORECASE)

# Control characters other than tab and newline: invisible, pasted by accident, and not allowed
# in XML (the feed and sitemap), nor can a file name hold NUL. YAML lets them in through escapes.
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffe\uffff]")

# The largest figure, and the inverse of the smallest non-zero one (see _number_problem).
MAX_NUMBER = 1e30

# A slug becomes a folder name; file systems refuse names over 255 bytes.
MAX_SLUG = 100


@dataclass(frozen=True)
class Field:
    """What one key accepts."""

    # One of: text, date, slug, url, int, number, language, sha256, list, map, choice.
    kind: str
    # Whether the key must be present.
    required: bool = False
    # For lists: what each item accepts.
    items: Field | None = None
    # For maps: the keys it accepts.
    fields: dict[str, Field] = field(default_factory=dict)
    # For choice: the allowed values.
    choices: tuple[str, ...] = ()
    # For lists: the fewest items allowed.
    min_items: int = 0


def text(required: bool = False) -> Field:
    return Field("text", required)


def mapping(fields: dict[str, Field], required: bool = False) -> Field:
    return Field("map", required, fields=fields)


def listing(items: Field, required: bool = False, min_items: int = 0) -> Field:
    return Field("list", required, items=items, min_items=min_items)


RATING = mapping(
    {"id": Field("slug", True), "label": text(True), "description": text(True)}, required=True
)

SITE = mapping(
    {
        "title": text(True),
        "description": text(),
        "base_url": Field("url", True),
        "language": Field("language"),
        "publisher": mapping({"name": text(True), "url": Field("url")}, required=True),
        "ratings": listing(RATING, min_items=2),
    }
)

SOURCE = mapping(
    {
        "file": text(True),
        "outlet": text(),
        "title": text(True),
        "published": Field("date"),
        "author": text(),
        "url": Field("url"),
        "sha256": Field("sha256"),
        "note": text(),
    }
)

# A quotation from an archived source. `occurrence` and `prefix` pick one match among several.
QUOTE_FIELDS = {
    "source": Field("slug", True),
    "quote": text(True),
    "occurrence": Field("int"),
    "prefix": text(),
}

# Evidence is either a quotation from an archived source or a link to an outside document.
EVIDENCE = mapping(
    {
        **{k: Field(f.kind) for k, f in QUOTE_FIELDS.items()},
        "url": Field("url"),
        "title": text(),
        "note": text(),
    },
    required=True,
)

# A figure the claim gives for a measure; see figures.py for what the bounds mean.
FIGURE = mapping(
    {
        "measure": Field("slug", True),
        "value": Field("number", True),
        "bound": Field("choice", True, choices=("exact", "about", "at-least", "at-most")),
        "unit": text(),
        "counted": text(),
        "scope": text(),
    }
)

MEASURE = mapping({"title": text(True), "unit": text(True), "description": text(True)})

CLAIM = mapping(
    {
        "claim": text(True),
        "claimant": text(True),
        "claimant_type": Field("choice", choices=("person", "organization")),
        "date": Field("date"),
        "appearances": listing(mapping(QUOTE_FIELDS, required=True), True, min_items=1),
        "rating": Field("slug", True),
        "summary": text(True),
        "analysis": text(True),
        "evidence": listing(EVIDENCE),
        "tags": listing(Field("slug", True)),
        "published": Field("date", True),
        "corrections": listing(mapping({"date": Field("date", True), "text": text(True)}, True)),
        "figure": FIGURE,
    }
)

PAGE = mapping({"title": text(True), "description": text()})


def check_content(raw: RawContent, diags: Diagnostics) -> RawContent:
    """Check every file; keep only those that are valid, so later stages can trust their types."""
    site = raw.site if _valid(raw.site, SITE, "content/site.yaml", diags) else None
    sources = _valid_files(raw.sources, SOURCE, "sources", diags)
    measures = _valid_files(raw.measures, MEASURE, "measures", diags)
    return RawContent(
        site=site,
        sources=sources,
        claims=_valid_files(raw.claims, CLAIM, "claims", diags),
        measures=measures,
        pages={
            slug: md
            for slug, md in raw.pages.items()
            if check(
                md.meta, PAGE, Location(f"content/pages/{slug}.md", 2, 1), diags, "front matter"
            )
        },
        root=raw.root,
        rejected=frozenset(
            [f"sources/{stem}" for stem in raw.sources.keys() - sources.keys()]
            + [f"measures/{stem}" for stem in raw.measures.keys() - measures.keys()]
        ),
    )


def _valid_files(files: dict[str, Any], spec: Field, folder: str, diags: Diagnostics) -> dict:
    return {
        stem: data
        for stem, data in files.items()
        if _valid(data, spec, f"content/{folder}/{stem}.yaml", diags)
    }


def _valid(data: Any, spec: Field, path: str, diags: Diagnostics) -> bool:
    return data is not None and check(data, spec, Location(path, 1, 1), diags)


def check(value: Any, spec: Field, where: Location, diags: Diagnostics, name: str = "") -> bool:
    """Check a loaded value against a spec; report every problem; True when it is all valid."""
    checker = _Checker(diags)
    checker.check(value, spec, where, name or "file")
    return checker.ok


class _Checker:
    """Walks a value and its spec together, reporting each problem once."""

    def __init__(self, diags: Diagnostics) -> None:
        self.diags = diags
        self.ok = True

    def error(self, where: Location, message: str, hint: str = "") -> None:
        self.ok = False
        self.diags.error(where, message, hint)

    def check(self, value: Any, spec: Field, where: Location, name: str) -> None:
        if value is INVALID:
            self.ok = False  # the loader has already said what is wrong with it
        elif spec.kind == "map":
            self.check_map(value, spec, where, name)
        elif spec.kind == "list":
            self.check_list(value, spec, where, name)
        elif problem := _scalar_problem(value, spec):
            self.error(where, f"'{name}' {problem[0]}", problem[1])

    def check_map(self, value: Any, spec: Field, where: Location, name: str) -> None:
        if not isinstance(value, YMap):
            self.error(
                where,
                f"'{name}' must be a mapping of keys to values, not {_kind(value)}",
                f"write it as indented 'key: value' lines; keys: {', '.join(spec.fields)}",
            )
            return
        for key in value:
            if key not in spec.fields:
                self.error(value.where_key(key), f"unknown key '{key}'", _did_you_mean(key, spec))
        for key, sub in spec.fields.items():
            if key in value:
                self.check(value[key], sub, value.where(key), key)
            elif sub.required:
                self.error(
                    value.loc,
                    f"missing required key '{key}'" + _within(name),
                    f"add '{key}:' to this mapping (see the content reference in the README)",
                )

    def check_list(self, value: Any, spec: Field, where: Location, name: str) -> None:
        if not isinstance(value, YList):
            self.error(
                where,
                f"'{name}' must be a list, not {_kind(value)}",
                "write each item on its own line starting with '- '",
            )
            return
        if len(value) < spec.min_items:
            self.error(where, f"'{name}' needs at least {spec.min_items} item(s)")
        assert spec.items is not None
        for item, item_where in zip(value, value.item_locs, strict=True):
            self.check(item, spec.items, item_where, name)


def _scalar_problem(value: Any, spec: Field) -> tuple[str, str] | None:
    """Why a scalar does not fit its spec, as (message, hint), or None."""
    kind = spec.kind
    if kind == "date":
        if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
            return None
        return f"must be a date, not {_kind(value)}", "write it as YYYY-MM-DD, unquoted"
    if kind == "int":
        if isinstance(value, int) and not isinstance(value, bool) and value >= 1:
            return None
        return f"must be a whole number from 1, not {_kind(value)}", ""
    if kind == "number":
        return _number_problem(value)
    if not isinstance(value, str):
        return f"must be text, not {_kind(value)}", "put the value in double quotes"
    if not value.strip():
        return "must not be empty", "write a value or remove the key"
    return _text_problem(value, spec)


def _number_problem(value: Any) -> tuple[str, str] | None:
    # YAML reads 87e6 as text: its exponents need a dot and a sign (8.7e+7).
    hint = "write digits only, such as 87000000, or 8.7e+7"
    if not isinstance(value, int | float) or isinstance(value, bool):
        return f"must be a number, not {_kind(value)}", hint
    # YAML reads .inf and .nan as numbers; no count is infinite, and charts cannot draw them.
    if not math.isfinite(value):
        return f"must be a finite number, not {value}", hint
    # Charts take logarithms and powers of ten of the figures; far beyond any real count or
    # amount, floating point runs out (10.0 ** 309 overflows, 5e-324 has no logarithm to round).
    if abs(value) > MAX_NUMBER or 0 < abs(value) < 1 / MAX_NUMBER:
        return f"must be between 1e-30 and 1e30 in size, not {value}", hint
    return None


def _text_problem(value: str, spec: Field) -> tuple[str, str] | None:
    kind = spec.kind
    if control := CONTROL.search(value):
        return (
            f"contains the invisible control character U+{ord(control.group()):04X}",
            "delete it; retype the text around it if you cannot see it",
        )
    if kind == "slug" and not SLUG.match(value):
        return (
            f"must be a lowercase slug, not {value!r}",
            f"use only a-z, 0-9 and single hyphens, e.g. {slugify(value)!r}",
        )
    if kind == "slug" and len(value) > MAX_SLUG:
        return f"is {len(value)} characters, over the limit of {MAX_SLUG}", "shorten it"
    if kind == "url" and not URL.match(value):
        return f"must be an http(s) address, not {value!r}", "write it as https://example.org/page"
    if kind == "language" and not LANGUAGE.match(value):
        return f"must be a language tag, not {value!r}", "e.g. en, en-GB, fr"
    if kind == "sha256" and not SHA256.match(value):
        return "must be 64 lowercase hexadecimal digits", "the build prints the right value"
    if kind == "choice" and value not in spec.choices:
        return f"must be one of {', '.join(spec.choices)}, not {value!r}", ""
    return None


def slugify(value: str) -> str:
    """A URL-safe lowercase slug of any text ("Mark Zuckerberg" -> "mark-zuckerberg")."""
    ascii_text = unicodedata.normalize("NFKD", value).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    if len(slug) > MAX_SLUG:
        # Cut at a hyphen, so that a long name keeps whole words in its address.
        slug = slug[: MAX_SLUG + 1].rsplit("-", 1)[0] if "-" in slug[:MAX_SLUG] else slug[:MAX_SLUG]
    return slug or "x"


def _did_you_mean(key: str, spec: Field) -> str:
    close = difflib.get_close_matches(key, list(spec.fields), n=1, cutoff=0.6)
    allowed = ", ".join(spec.fields)
    if close:
        return f"did you mean '{close[0]}'? allowed keys: {allowed}"
    return f"allowed keys: {allowed}"


def _within(name: str) -> str:
    return "" if name == "file" else f" in '{name}'"


def _kind(value: Any) -> str:
    if value is None:
        return "nothing (an empty value)"
    if isinstance(value, bool):
        return f"yes/no ({str(value).lower()})"
    if isinstance(value, YMap | dict):
        return "a mapping"
    if isinstance(value, YList | list):
        return "a list"
    if isinstance(value, dt.date):
        return f"a date ({value.isoformat()})"
    if isinstance(value, int | float):
        return f"a number ({value})"
    return f"text ({value!r})"
