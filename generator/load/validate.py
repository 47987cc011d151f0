"""Validate: check each content file against its JSON Schema; report each problem with a hint.

The JSON Schemas in schemas/ are the one definition of what a content file may hold: the build
validates every file with them (the jsonschema package), and editors use the very same files
through the `# yaml-language-server: $schema=...` line at the top of each content file. This
module only turns a loaded file into data the validator reads, and each schema error into a
located message with a hint, in the words an editor understands.

YAML holds two things JSON has no word for, and the build reads them strictly:

- Dates. A key whose schema says `format: date` must hold a YAML date, written YYYY-MM-DD
  without quotes. A quoted "2018-04-04" is text to YAML; an editor reading YAML 1.2 cannot tell
  the two apart, so only the build refuses it. A date where text belongs is not text.
- NaN and infinity (`.nan`, `.inf`) are not numbers: JSON cannot write them, charts cannot
  draw them.

Patterns are ECMA-262 regular expressions, as JSON Schema defines them, in which `$` is the end
of the text; Python's `$` would also match before a final newline, so the build reads it as
`\\Z`.
"""

from __future__ import annotations

import datetime as dt
import difflib
import hashlib
import json
import math
import re
import unicodedata
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from jsonschema import Draft202012Validator, ValidationError, validators
from referencing import Registry, Resource

from ..diagnostics import Diagnostics, Location
from .loader import INVALID, RawContent, YList, YMap

# The schemas: shipped beside the generator, referenced by every content file's first line.
SCHEMAS = Path(__file__).resolve().parents[2] / "schemas"
# Definitions every other schema refers to ("common.schema.json#/$defs/slug").
COMMON = "common.schema.json"
# The schema of each kind of content file.
SITE, SOURCE, CLAIM, MEASURE, PAGE = "site", "source", "claim", "measure", "page"
# Which schema each content folder's files follow.
FOLDERS = {"sources": SOURCE, "claims": CLAIM, "measures": MEASURE}

# A hint for one key, given the mapping holding it and whether the key is missing (else its
# value is invalid); None to keep the usual hint.
HintHook = Callable[[YMap, str, bool], "str | None"]


def schema_path(name: str) -> Path:
    """The file of a schema: "claim" -> schemas/claim.schema.json."""
    return SCHEMAS / f"{name}.schema.json"


@cache
def documents() -> dict[str, dict[str, Any]]:
    """Every schema file, by file name."""
    return {
        path.name: json.loads(path.read_text(encoding="utf-8"))
        for path in sorted(SCHEMAS.glob("*.schema.json"))
    }


def definition(kind: str) -> dict[str, Any]:
    """One shared definition ("slug", "url", ...) of common.schema.json."""
    return documents()[COMMON]["$defs"][kind]


# Derived from the schema, for the code that makes or checks slugs outside a content file.
SLUG = re.compile(definition("slug")["pattern"])
# A slug becomes a folder name; file systems refuse names over 255 bytes.
MAX_SLUG = definition("slug")["maxLength"]

# Control characters other than tab and newline: invisible, pasted by accident, and not allowed
# in XML (the feed and sitemap), nor can a file name hold NUL. The schemas refuse them in every
# text; this finds the one to name in the message.
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffe\uffff]")


# --- The validator: JSON Schema 2020-12, reading YAML's values strictly ---------------------


class _YamlDate(str):
    """A YAML date (or date and time) as the validator sees it: its ISO text, but not text."""

    whole_day: bool


_BASE_TYPES = Draft202012Validator.TYPE_CHECKER


def _is_string(checker: Any, instance: Any) -> bool:
    return isinstance(instance, str) and not isinstance(instance, _YamlDate)


def _is_number(checker: Any, instance: Any) -> bool:
    return _BASE_TYPES.is_type(instance, "number") and math.isfinite(instance)


def _type(validator: Any, types: Any, instance: Any, schema: dict[str, Any]) -> Iterator[Any]:
    """`type`, where `format: date` asks for a YAML date (see the module's docstring)."""
    if schema.get("format") == "date":
        if not (isinstance(instance, _YamlDate) and instance.whole_day):
            yield ValidationError(f"{instance!r} is not a date")
        return
    yield from Draft202012Validator.VALIDATORS["type"](validator, types, instance, schema)


def _pattern(validator: Any, pattern: str, instance: Any, schema: dict[str, Any]) -> Iterator[Any]:
    if validator.is_type(instance, "string") and not _compiled(pattern).search(instance):
        yield ValidationError(f"{instance!r} does not match {pattern!r}")


@cache
def _compiled(pattern: str) -> re.Pattern[str]:
    if pattern.endswith("$") and not pattern.endswith("\\$"):
        pattern = pattern[:-1] + r"\Z"
    return re.compile(pattern)


_TYPES = _BASE_TYPES.redefine_many({"string": _is_string, "number": _is_number})
_Validator = validators.extend(
    Draft202012Validator, validators={"type": _type, "pattern": _pattern}, type_checker=_TYPES
)


@cache
def _registry() -> Registry:
    """The schema files, so that "common.schema.json#/$defs/x" resolves as it does in editors."""
    return Registry().with_resources(
        (name, Resource.from_contents(doc)) for name, doc in documents().items()
    )


@cache
def _named_validator(name: str) -> Any:
    return _Validator(documents()[f"{name}.schema.json"], registry=_registry())


def _validator(schema: str | dict[str, Any]) -> Any:
    if isinstance(schema, str):
        return _named_validator(schema)
    return _Validator(schema, registry=_registry())


@cache
def _kinds() -> dict[int, str]:
    """Which shared definition each sub-schema belongs to, by identity: what a value should be."""
    found: dict[int, str] = {}

    def walk(node: Any, kind: str) -> None:
        if isinstance(node, dict):
            found[id(node)] = kind
            for child in node.values():
                walk(child, kind)
        elif isinstance(node, list):
            for child in node:
                walk(child, kind)

    for kind, node in documents()[COMMON]["$defs"].items():
        walk(node, kind)
    return found


# --- A fast yes/no of the same schemas ------------------------------------------------------
#
# jsonschema walks a schema anew for each file, which costs about a millisecond per claim: a
# quarter of a minute for a site of 25,000 fact-checks. Almost every file is valid, so each
# schema is also compiled, once, into nested Python functions that only answer "valid or not",
# with the same semantics as the validator above (its types, its patterns). A file that passes
# needs nothing more; any other goes through jsonschema, which finds and explains its errors.
# The compiled check knows only the keywords the schemas use; a schema with any other keyword
# is always checked by jsonschema alone. tests/test_schemas.py checks the two agree.

Check = Callable[[Any], bool]
# Keywords that only describe: they never make a value invalid (format: see _type).
_ANNOTATIONS = {"$schema", "$defs", "$comment", "title", "description", "format", "examples"}


class _Unsupported(Exception):
    """A keyword the compiled check does not know: use jsonschema alone."""


@cache
def _passes(name: str) -> Check:
    """The compiled check of a named schema; one that says "no" when it cannot compile."""
    doc = documents()[f"{name}.schema.json"]
    try:
        return _compile(doc, doc)
    except _Unsupported:
        return lambda instance: False


def _compile(schema: Any, doc: dict[str, Any]) -> Check:
    if schema is True or schema == {}:
        return lambda instance: True
    if not isinstance(schema, dict):
        raise _Unsupported(repr(schema))
    checks: list[Check] = []
    for keyword, value in schema.items():
        if keyword == "$ref":
            target, target_doc = _resolve(value, doc)
            checks.append(_compile(target, target_doc))
        elif keyword == "type":
            checks.append(_compile_type(value, schema.get("format") == "date"))
        elif keyword in _ANNOTATIONS:
            continue
        else:
            checks.append(_compile_keyword(keyword, value, schema, doc))
    return _every(checks)


def _every(checks: list[Check]) -> Check:
    if len(checks) == 1:
        return checks[0]

    def every(instance: Any) -> bool:
        for check in checks:  # noqa: SIM110 (a loop: all() of a generator costs twice this)
            if not check(instance):
                return False
        return True

    return every


def _resolve(ref: str, doc: dict[str, Any]) -> tuple[Any, dict[str, Any]]:
    file, _, pointer = ref.partition("#")
    target_doc = documents()[file] if file else doc
    target: Any = target_doc
    for part in filter(None, pointer.split("/")):
        target = target[part]
    return target, target_doc


def _compile_type(types: Any, date: bool) -> Check:
    if date:  # see _type: a date field holds a YAML date
        return lambda i: isinstance(i, _YamlDate) and i.whole_day
    tests = [_TYPE_TESTS[t] for t in ([types] if isinstance(types, str) else types)]
    return tests[0] if len(tests) == 1 else lambda i: any(test(i) for test in tests)


def _compile_keyword(keyword: str, value: Any, schema: dict[str, Any], doc: dict) -> Check:
    is_string = _TYPE_TESTS["string"]
    if keyword == "properties":
        subs = [(key, _compile(sub, doc)) for key, sub in value.items()]

        def properties(instance: Any) -> bool:
            if isinstance(instance, dict):
                for key, check in subs:
                    if key in instance and not check(instance[key]):
                        return False
            return True

        return properties
    if keyword == "required":
        return lambda i: not isinstance(i, dict) or all(key in i for key in value)
    if keyword == "additionalProperties" and value is False and "patternProperties" not in schema:
        allowed = set(schema.get("properties", {}))
        return lambda i: not isinstance(i, dict) or all(key in allowed for key in i)
    if keyword == "items" and "prefixItems" not in schema:
        item = _compile(value, doc)
        return lambda i: not isinstance(i, list) or all(item(x) for x in i)
    if keyword == "minItems":
        return lambda i: not isinstance(i, list) or len(i) >= value
    if keyword == "maxLength":
        return lambda i: not is_string(i) or len(i) <= value
    if keyword == "pattern":
        regex = _compiled(value)
        return lambda i: not is_string(i) or regex.search(i) is not None
    if keyword == "enum":
        return lambda i: any(_same(i, choice) for choice in value)
    if keyword == "const":
        return lambda i: _same(i, value)
    if keyword in _BOUNDS:
        test = _BOUNDS[keyword]
        is_number = _TYPE_TESTS["number"]
        return lambda i: not is_number(i) or test(i, value)
    if keyword in ("allOf", "anyOf", "oneOf"):
        subs = [_compile(sub, doc) for sub in value]
        if keyword == "allOf":
            return lambda i: all(sub(i) for sub in subs)
        if keyword == "anyOf":
            return lambda i: any(sub(i) for sub in subs)
        return lambda i: sum(sub(i) for sub in subs) == 1
    if keyword == "not":
        sub = _compile(value, doc)
        return lambda i: not sub(i)
    raise _Unsupported(keyword)


_BOUNDS: dict[str, Callable[[Any, Any], bool]] = {
    "minimum": lambda i, v: i >= v,
    "maximum": lambda i, v: i <= v,
    "exclusiveMinimum": lambda i, v: i > v,
    "exclusiveMaximum": lambda i, v: i < v,
}


def _is_integer(instance: Any) -> bool:
    if isinstance(instance, float):
        return instance.is_integer()
    return isinstance(instance, int) and not isinstance(instance, bool)


# The validator's types (_TYPES), as plain functions.
_TYPE_TESTS: dict[str, Check] = {
    "string": lambda i: isinstance(i, str) and not isinstance(i, _YamlDate),
    "number": lambda i: isinstance(i, int | float) and not isinstance(i, bool) and math.isfinite(i),
    "integer": _is_integer,
    "object": lambda i: isinstance(i, dict),
    "array": lambda i: isinstance(i, list),
    "boolean": lambda i: isinstance(i, bool),
    "null": lambda i: i is None,
}


def _same(a: Any, b: Any) -> bool:
    """JSON equality, as jsonschema's enum and const: true and 1 differ; 1 and 1.0 do not."""
    if isinstance(a, bool) or isinstance(b, bool):
        return isinstance(a, bool) and isinstance(b, bool) and a == b
    if isinstance(a, str) or isinstance(b, str):
        return isinstance(a, str) and isinstance(b, str) and str(a) == str(b)
    if isinstance(a, int | float) and isinstance(b, int | float):
        return a == b
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(_same(a[k], b[k]) for k in a)
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b, strict=True))
    return a is None and b is None


def to_instance(value: Any) -> Any:
    """A loaded YAML value as the validator reads it: JSON's data model, dates marked."""
    if isinstance(value, dict):
        return {key: to_instance(item) for key, item in value.items()}
    if isinstance(value, list):
        return [to_instance(item) for item in value]
    if isinstance(value, dt.date):
        date = _YamlDate(value.isoformat())
        date.whole_day = not isinstance(value, dt.datetime)
        return date
    return value


def is_valid(kind: str, value: Any) -> bool:
    """Whether a value is one of the shared kinds ("slug", "url", ...) of common.schema.json."""
    return _validator({"$ref": f"{COMMON}#/$defs/{kind}"}).is_valid(to_instance(value))


# --- Checking content files ------------------------------------------------------------------


def check_content(raw: RawContent, diags: Diagnostics) -> RawContent:
    """Check every file; keep only those that are valid, so later stages can trust their types."""
    site = raw.site if _valid(raw.site, SITE, "content/site.yaml", diags) else None
    sources = _valid_files(raw.sources, "sources", diags, _source_hints(raw.root))
    measures = _valid_files(raw.measures, "measures", diags)
    return RawContent(
        site=site,
        sources=sources,
        claims=_valid_files(raw.claims, "claims", diags),
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


def _source_hints(root: Path) -> HintHook:
    """A missing or malformed sha256 gets the archived file's actual checksum as its hint."""
    from .sources import checksum  # sources imports the loader only; imported late all the same

    def hint(data: YMap, key: str, missing: bool) -> str | None:
        if key != "sha256":
            return None
        digest = checksum(root, data)
        if digest is None:
            return None
        return f"add the line: sha256: {digest}" if missing else f"set it to: sha256: {digest}"

    return hint


def _valid_files(
    files: dict[str, Any], folder: str, diags: Diagnostics, hint: HintHook | None = None
) -> dict:
    return {
        stem: data
        for stem, data in files.items()
        if _valid(data, FOLDERS[folder], f"content/{folder}/{stem}.yaml", diags, hint)
    }


def _valid(
    data: Any, schema: str, path: str, diags: Diagnostics, hint: HintHook | None = None
) -> bool:
    return data is not None and check(data, schema, Location(path, 1, 1), diags, hint=hint)


def check(
    value: Any,
    schema: str | dict[str, Any],
    where: Location,
    diags: Diagnostics,
    name: str = "",
    hint: HintHook | None = None,
) -> bool:
    """Check a loaded value against a schema ("claim", or a schema); report every problem.

    True when it is all valid. A value the loader already reported (INVALID) makes it invalid
    without a second message.
    """
    instance = to_instance(value)
    if isinstance(schema, str) and _passes(schema)(instance):
        return True  # nothing to explain: the slower validator would find no error
    translator = _Translator(value, where, name or "file", hint)
    ok = not _holds_invalid(value)
    for error in _validator(schema).iter_errors(instance):
        ok = False
        translator.add(error)
    for problem in translator.problems():
        diags.error(problem.where, problem.message, problem.hint)
    return ok


def _holds_invalid(value: Any) -> bool:
    if value is INVALID:
        return True
    if isinstance(value, dict):
        return any(_holds_invalid(item) for item in value.values())
    if isinstance(value, list):
        return any(_holds_invalid(item) for item in value)
    return False


# --- From schema errors to messages ----------------------------------------------------------


@dataclass(frozen=True)
class _Problem:
    where: Location
    message: str
    hint: str


# Messages for a text that does not match its kind's pattern: (message, hint), formatted with
# the value (`value`) and a slug made of it (`slug`). Keys are the definitions of
# common.schema.json.
PATTERN_MESSAGES = {
    "text": ("must not be empty", "write a value or remove the key"),
    "slug": (
        "must be a lowercase slug, not {value!r}",
        "use only a-z, 0-9 and single hyphens, e.g. {slug!r}",
    ),
    "url": ("must be an http(s) address, not {value!r}", "write it as https://example.org/page"),
    "contact_url": (
        "must be a mailto: or http(s) address, not {value!r}",
        "write it as mailto:desk@example.org or https://example.org/form",
    ),
    "language": ("must be a language tag, not {value!r}", "e.g. en, en-GB, fr"),
    "sha256": (
        "must be 64 lowercase hexadecimal digits",
        "python build.py new source writes it; the build's hint gives it once the file is found",
    ),
}

NUMBER_HINT = "write digits only, such as 87000000, or 8.7e+7"
COUNT_HINT = "write digits only, unquoted, such as 20"

# Scalar problems at one place, most telling first: only the first is reported.
_PRIORITY = ("type", "pattern", "maxLength", "enum", "minimum", "maximum", "not")


class _Translator:
    """Turns the validator's errors about one file into located, friendly problems."""

    def __init__(self, value: Any, where: Location, root_name: str, hint: HintHook | None):
        self.value = value
        self.where = where
        self.root_name = root_name
        self.hint = hint
        # Path -> (priority, problem): one problem with a value (type, pattern...) per place.
        self.scalar: dict[tuple, tuple[int, _Problem]] = {}
        # Problems with a mapping or list itself (keys, items), with their path.
        self.others: list[tuple[tuple, _Problem]] = []

    def problems(self) -> list[_Problem]:
        """Every problem once; a value of the wrong type gets that message only."""
        wrong_type = {path for path, (rank, _) in self.scalar.items() if rank == 0}
        found = [problem for path, problem in self.others if path not in wrong_type]
        found += [problem for _, problem in self.scalar.values()]
        return list(dict.fromkeys(found))

    def add(self, error: Any) -> None:
        path = tuple(error.absolute_path)
        found = self.locate(path)
        if found is None:
            return  # the value is one the loader rejected and has already reported
        value, where = found
        name = self.name(path)
        keyword = error.validator
        if keyword == "required":
            self.others += [(path, p) for p in self.missing(value, error.schema, name, where)]
        elif keyword == "additionalProperties":
            self.others += [(path, p) for p in self.unknown(value, error.schema, where)]
        elif keyword == "minItems":
            count = error.validator_value
            message = f"'{name}' needs at least {count} item(s)"
            hint = f"list {count} or more, each on its own line starting with '- '"
            self.others.append((path, _Problem(where, message, hint)))
        elif keyword == "oneOf":
            self.others.append((path, self.one_of(error.schema, where, name)))
        else:
            problem = self.scalar_problem(error, value, where, name, path)
            rank = _PRIORITY.index(keyword) if keyword in _PRIORITY else len(_PRIORITY)
            if path not in self.scalar or rank < self.scalar[path][0]:
                self.scalar[path] = (rank, problem)

    def locate(self, path: tuple) -> tuple[Any, Location] | None:
        """The original value at a path, and where it is written; None through a rejected one."""
        value, where = self.value, self.where
        for step in path:
            if isinstance(value, YMap):
                where = value.where(step)
            elif isinstance(value, YList):
                where = value.item_locs[step]
            value = value[step]
            if value is INVALID:
                return None
        return (None, where) if value is INVALID else (value, where)

    def name(self, path: tuple) -> str:
        """What the message calls the value: its key, the list's key for an item."""
        keys = [step for step in path if isinstance(step, str)]
        return keys[-1] if keys else self.root_name

    def parent_key(self, path: tuple) -> tuple[YMap | None, str]:
        """The mapping holding the value at a path, and its key ("" for list items, the root)."""
        if not path or not isinstance(path[-1], str):
            return None, ""
        found = self.locate(path[:-1])
        holder = found[0] if found else None
        return (holder if isinstance(holder, YMap) else None), path[-1]

    def missing(
        self, value: Any, schema: dict[str, Any], name: str, where: Location
    ) -> list[_Problem]:
        where = value.loc if isinstance(value, YMap) else where
        within = "" if name == "file" else f" in '{name}'"
        return [
            _Problem(
                where,
                f"missing required key '{key}'{within}",
                self.hook(value, key, True)
                or f"add '{key}:' to this mapping ({_describe(schema, key)})",
            )
            for key in schema["required"]
            if key not in value
        ]

    def unknown(self, value: Any, schema: dict[str, Any], where: Location) -> list[_Problem]:
        allowed = list(schema.get("properties", {}))
        return [
            _Problem(
                _key_location(value, key, where),
                f"unknown key '{key}'",
                _did_you_mean(key, allowed),
            )
            for key in value
            if key not in allowed
        ]

    def one_of(self, schema: dict[str, Any], where: Location, name: str) -> _Problem:
        """Each branch is a set of keys that belong together ("source" and "quote")."""
        forms = [" and ".join(f"'{k}'" for k in branch["required"]) for branch in schema["oneOf"]]
        return _Problem(
            where, f"'{name}' must have either {', or '.join(forms)}", schema.get("description", "")
        )

    def hook(self, holder: Any, key: str, missing: bool) -> str | None:
        if self.hint is None or not isinstance(holder, YMap):
            return None
        return self.hint(holder, key, missing)

    def scalar_problem(
        self, error: Any, value: Any, where: Location, name: str, path: tuple
    ) -> _Problem:
        message, hint = _value_problem(error, value)
        holder, key = self.parent_key(path)
        if key:
            hint = self.hook(holder, key, False) or hint
        return _Problem(where, f"'{name}' {message}", hint)


def _key_location(value: Any, key: str, default: Location) -> Location:
    return value.where_key(key) if isinstance(value, YMap) else default


def _value_problem(error: Any, value: Any) -> tuple[str, str]:
    """(message, hint) for a value that does not fit its schema."""
    schema, keyword = error.schema, error.validator
    kind = _kinds().get(id(schema), "")
    if keyword == "type":
        return _type_problem(schema, error.validator_value, value)
    if isinstance(value, str) and (control := CONTROL.search(value)):
        return (
            f"contains the invisible control character U+{ord(control.group()):04X}",
            "delete it; retype the text around it if you cannot see it",
        )
    if keyword == "pattern" and kind in PATTERN_MESSAGES:
        message, hint = PATTERN_MESSAGES[kind]
        return message.format(value=value), hint.format(value=value, slug=slugify(value))
    if keyword == "maxLength":
        return (
            f"is {len(value)} characters, over the limit of {error.validator_value}",
            "shorten it",
        )
    if keyword == "enum":
        choices = error.validator_value
        return f"must be one of {', '.join(choices)}, not {value!r}", "write one of them as shown"
    if kind == "occurrence":
        return f"must be a whole number from 1, not {_kind(value)}", "write 1, 2, 3 ..."
    if kind == "count":
        return f"must be a whole number from 1, not {_kind(value)}", COUNT_HINT
    if kind == "figure_value":
        return f"must be between 1e-30 and 1e30 in size, not {value}", NUMBER_HINT
    return error.message, schema.get("description", "see the content reference in the README")


def _type_problem(schema: dict[str, Any], types: Any, value: Any) -> tuple[str, str]:
    expected = types if isinstance(types, str) else types[0]
    if schema.get("format") == "date":
        return f"must be a date, not {_kind(value)}", "write it as YYYY-MM-DD, unquoted"
    if expected == "object":
        keys = ", ".join(schema.get("properties", {}))
        return (
            f"must be a mapping of keys to values, not {_kind(value)}",
            f"write it as indented 'key: value' lines; keys: {keys}",
        )
    if expected == "array":
        return (
            f"must be a list, not {_kind(value)}",
            "write each item on its own line starting with '- '",
        )
    if expected == "integer":
        start = schema.get("minimum", 0)
        hint = COUNT_HINT if _kinds().get(id(schema)) == "count" else "write 1, 2, 3 ..."
        return f"must be a whole number from {start}, not {_kind(value)}", hint
    if expected == "number":
        if isinstance(value, float) and not math.isfinite(value):
            return f"must be a finite number, not {value}", NUMBER_HINT
        return f"must be a number, not {_kind(value)}", NUMBER_HINT
    return f"must be text, not {_kind(value)}", "put the value in double quotes"


def _describe(schema: dict[str, Any], key: str) -> str:
    """A key's description from the schema, to fit in a hint's parentheses."""
    text = schema.get("properties", {}).get(key, {}).get("description", "")
    text = text.rstrip(".") or "see the content reference in the README"
    first = text.split(" ", 1)[0]
    return text if first[1:2].isupper() else text[:1].lower() + text[1:]


def slugify(value: str) -> str:
    """A URL-safe lowercase slug of any text ("Mark Zuckerberg" -> "mark-zuckerberg")."""
    ascii_text = unicodedata.normalize("NFKD", value).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    if len(slug) > MAX_SLUG:
        # Cut at a hyphen, so that a long name keeps whole words in its address.
        slug = slug[: MAX_SLUG + 1].rsplit("-", 1)[0] if "-" in slug[:MAX_SLUG] else slug[:MAX_SLUG]
    return slug or "x"


def name_slug(name: str) -> str:
    """The slug of a claimant's name: slugify's ("Mark Zuckerberg" -> "mark-zuckerberg"), or,
    for a name with no Latin letter or digit to keep ("سلمى الحداد"), "name-" and 10 hex digits
    of the SHA-256 of the name (its white space collapsed, NFC): names in other scripts get a
    page each, where slugify would give every one of them "x"."""
    slug = slugify(name)
    if slug != "x" or re.search(r"[A-Za-z0-9]", name):
        return slug
    key = unicodedata.normalize("NFC", " ".join(name.split()))
    return "name-" + hashlib.sha256(key.encode("utf-8")).hexdigest()[:10]


def _did_you_mean(key: str, allowed: list[str]) -> str:
    close = difflib.get_close_matches(key, allowed, n=1, cutoff=0.6)
    listed = ", ".join(allowed)
    if close:
        return f"did you mean '{close[0]}'? allowed keys: {listed}"
    return f"allowed keys: {listed}"


def _kind(value: Any) -> str:
    if value is None:
        return "nothing (an empty value)"
    if isinstance(value, bool):
        return f"yes/no ({str(value).lower()})"
    if isinstance(value, Mapping):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dt.datetime):
        return f"a date and time ({value.isoformat(' ')})"
    if isinstance(value, dt.date):
        return f"a date ({value.isoformat()})"
    if isinstance(value, int | float):
        return f"a number ({value})"
    return f"text ({value!r})"
