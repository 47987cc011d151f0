"""The JSON Schemas in schemas/: valid, referenced by every content file, and the build's rules.

The build validates content with these very files, and editors read them through the first
line of each content file. The tests check both sides: that the schemas are sound JSON Schema
2020-12 an editor can use, and that what a plain JSON Schema validator (as an editor runs it)
accepts, the build accepts, and the other way round, except for the YAML details the build
reads more strictly (documented in generator/validate.py and tested here one by one).
"""

from __future__ import annotations

import copy
import datetime as dt
import json
import math
import re
from pathlib import Path
from typing import Any

import pytest
import yaml
from conftest import FIXTURES, REPO
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from jsonschema import Draft202012Validator
from referencing import Registry, Resource

from generator import pipeline
from generator.config import Options, Paths
from generator.diagnostics import Diagnostics, Location
from generator.load import loader, validate

SCHEMAS = REPO / "schemas"
DRAFT_2020_12 = "https://json-schema.org/draft/2020-12/schema"
KINDS = ("site", "source", "claim", "measure", "page")
SITES = (REPO, FIXTURES / "minimal-site")
FIRST_LINE = re.compile(r"# yaml-language-server: \$schema=(?P<ref>\S+)\n")
LOCATED = re.compile(r"^content/\S+:\d+:\d+: error: .+\nhint: .+")


def documents() -> dict[str, dict[str, Any]]:
    return {p.name: json.loads(p.read_text("utf-8")) for p in sorted(SCHEMAS.glob("*.json"))}


def editor_validator(kind: str) -> Draft202012Validator:
    """A plain JSON Schema 2020-12 validator, checking formats, as an editor would run it."""
    docs = documents()
    registry = Registry().with_resources(
        (name, Resource.from_contents(doc)) for name, doc in docs.items()
    )
    return Draft202012Validator(
        docs[f"{kind}.schema.json"],
        registry=registry,
        format_checker=Draft202012Validator.FORMAT_CHECKER,
    )


def as_editor_sees(value: Any) -> Any:
    """YAML as a YAML 1.2 editor reads it: a date written YYYY-MM-DD is a string."""
    if isinstance(value, dict):
        return {k: as_editor_sees(v) for k, v in value.items()}
    if isinstance(value, list):
        return [as_editor_sees(v) for v in value]
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def content_files(root: Path) -> list[tuple[Path, str]]:
    """Every YAML content file of a site, with the schema it follows."""
    content = root / "content"
    found = [(content / "site.yaml", "site")]
    for folder, kind in validate.FOLDERS.items():
        found += [(p, kind) for p in sorted((content / folder).glob("*.yaml"))]
    return found


def build_check(text: str, kind: str, path: str = "content/claims/c.yaml"):
    """(ok, diagnostics) of the build's validation of one file's text."""
    diags = Diagnostics()
    data = loader.parse_yaml(text, path, diags)
    assert not diags.has_errors(), [d.format() for d in diags.sorted()]
    ok = validate.check(data, kind, Location(path, 1, 1), diags)
    return ok, diags.sorted()


# --- The schemas themselves -----------------------------------------------------------------


@pytest.mark.parametrize("name", sorted(documents()))
def test_every_schema_is_valid_json_schema_2020_12(name: str) -> None:
    schema = documents()[name]
    assert schema["$schema"] == DRAFT_2020_12
    Draft202012Validator.check_schema(schema)


def test_there_is_a_schema_for_each_kind_of_content_file() -> None:
    assert {f"{kind}.schema.json" for kind in KINDS} | {validate.COMMON} == set(documents())


def walk(node: Any, path: str = "") -> Any:
    """(path, sub-schema) for every sub-schema."""
    if isinstance(node, dict):
        yield path, node
        for key, child in node.items():
            yield from walk(child, f"{path}/{key}")
    elif isinstance(node, list):
        for i, child in enumerate(node):
            yield from walk(child, f"{path}/{i}")


@pytest.mark.parametrize("name", sorted(documents()))
def test_every_property_is_described_and_no_other_key_is_allowed(name: str) -> None:
    for path, node in walk(documents()[name]):
        if "properties" in node and not path.endswith("/properties"):
            assert node.get("additionalProperties") is False, f"{name}{path}"
            for key, prop in node["properties"].items():
                assert prop.get("description", "").strip(), f"{name}{path}/properties/{key}"
    for kind, definition in documents()[validate.COMMON]["$defs"].items():
        assert definition["description"].strip(), kind


@pytest.mark.parametrize("name", sorted(documents()))
def test_every_reference_resolves_from_the_schema_file(name: str) -> None:
    """Relative references, as an editor resolves them: against the schema file's own path."""
    base = (SCHEMAS / name).as_uri()
    registry = Registry().with_resources(
        ((SCHEMAS / n).as_uri(), Resource.from_contents(doc)) for n, doc in documents().items()
    )
    resolver = registry.resolver(base_uri=base)
    refs = [node["$ref"] for _, node in walk(documents()[name]) if "$ref" in node]
    for ref in refs:
        assert resolver.lookup(ref).contents, ref


def test_enums_and_patterns_are_where_the_content_model_needs_them() -> None:
    docs = documents()
    claim = docs["claim.schema.json"]["properties"]
    assert claim["claimant_type"]["enum"] == ["person", "organization"]
    assert claim["figure"]["properties"]["bound"]["enum"] == [
        "exact",
        "about",
        "at-least",
        "at-most",
    ]
    common = docs[validate.COMMON]["$defs"]
    assert common["date"]["format"] == "date"
    for kind in ("slug", "url", "sha256", "language", "contact_url"):
        assert common[kind]["pattern"].startswith("^") and common[kind]["pattern"].endswith("$")
    assert common["slug"]["maxLength"] == validate.MAX_SLUG


# --- Every content file names its schema and follows it -------------------------------------


@pytest.mark.parametrize("root", SITES, ids=["bundled", "minimal"])
def test_every_content_file_starts_with_its_schema_line(root: Path) -> None:
    files = content_files(root)
    assert len(files) > 3
    for path, kind in files:
        first = path.read_text("utf-8").split("\n", 1)[0] + "\n"
        match = FIRST_LINE.fullmatch(first)
        assert match, f"{path}: first line is {first!r}"
        target = (path.parent / match["ref"]).resolve()
        assert target == (SCHEMAS / f"{kind}.schema.json").resolve(), path
        assert target.is_file()


@pytest.mark.parametrize("root", SITES, ids=["bundled", "minimal"])
def test_every_content_file_is_valid_for_the_build_and_for_an_editor(root: Path) -> None:
    for path, kind in content_files(root):
        text = path.read_text("utf-8")
        ok, diags = build_check(text, kind, path.relative_to(root).as_posix())
        assert ok and diags == [], [d.format() for d in diags]
        errors = list(editor_validator(kind).iter_errors(as_editor_sees(yaml.safe_load(text))))
        assert errors == [], (path, [e.message for e in errors])
    for path in sorted((root / "content" / "pages").glob("*.md")):
        front = path.read_text("utf-8").split("---\n")[1]
        assert editor_validator("page").is_valid(yaml.safe_load(front)), path


# --- Schema errors come out located, with a hint ---------------------------------------------

GOOD = """\
claim: "A short claim"
claimant: Jane Doe
appearances:
  - source: a
    quote: "hello world"
rating: accurate
summary: It is right.
analysis: Because.
published: 2024-01-02
"""

# name: (text replaced, replacement, the message, in the hint, the line it is on)
ERROR_KINDS = {
    "unknown key": ("published:", "summry: x\npublished:", "unknown key 'summry'", "'summary'", 9),
    "missing key": (
        "summary: It is right.\n",
        "",
        "missing required key 'summary'",
        "add 'summary:'",
        1,
    ),
    "wrong type": ("claimant: Jane Doe", "claimant: 42", "'claimant' must be text", "quotes", 2),
    "empty text": ("summary: It is right.", 'summary: "  "', "must not be empty", "a value", 7),
    "not a slug": ("rating: accurate", "rating: Mostly Accurate", "lowercase slug", "'mostly", 6),
    "slug too long": ("rating: accurate", "rating: " + "a" * 101, "over the limit of 100", "", 6),
    "not a date": ("published: 2024-01-02", "published: soon", "must be a date", "YYYY-MM-DD", 9),
    "quoted date": ("published: 2024-01-02", 'published: "2024-01-02"', "a date", "unquoted", 9),
    "not one of": ("published:", "claimant_type: robot\npublished:", "one of person", "", 9),
    "too few items": ("appearances:\n  - source: a\n    quote: \"hello world\"", "appearances: []",
                      "needs at least 1 item(s)", "- ", 3),
    "not a list": ("published:", "tags: {a: b}\npublished:", "must be a list", "- ", 9),
    "not a mapping": ("published:", "figure: [a, b]\npublished:", "must be a mapping", "key", 9),
    "not http": ("published:", "evidence:\n  - url: javascript:x\n    title: T\npublished:",
                 "http(s) address", "https://", 10),
    "one form or the other": ("published:", "evidence:\n  - source: a\npublished:",
                              "must have either 'source' and 'quote', or 'url' and 'title'",
                              "quotation", 10),
    "control character": ("claimant: Jane Doe", 'claimant: "Jane\\x1bDoe"', "U+001B", "delete", 2),
    "whole number": ('quote: "hello world"', 'quote: "hello world"\n    occurrence: 0',
                     "whole number from 1", "1, 2", 6),
    "number size": ("published:", "figure: {measure: m, value: 1.0e+31, bound: exact}\npublished:",
                    "between 1e-30 and 1e30", "digits", 9),
    "not finite": ("published:", "figure: {measure: m, value: .inf, bound: exact}\npublished:",
                   "finite number", "digits", 9),
}  # fmt: skip


@pytest.mark.parametrize("name", list(ERROR_KINDS))
def test_each_kind_of_schema_error_is_located_with_a_hint(name: str) -> None:
    old, new, message, hint, line = ERROR_KINDS[name]
    assert old in GOOD
    text = GOOD.replace(old, new, 1)
    ok, diags = build_check(text, "claim")
    assert not ok
    assert len(diags) == 1, [d.format() for d in diags]
    (error,) = diags
    assert message in error.message and hint in error.hint, error.format()
    assert error.line == line and error.col >= 1, error.format()
    assert LOCATED.match(error.format()), error.format()


def test_a_schema_error_in_a_bundled_file_copy_is_located_by_the_cli(fixture_site) -> None:
    from conftest import run_cli

    root = fixture_site("minimal-site")
    path = root / "content" / "claims" / "dette-doublee.yaml"
    path.write_text(path.read_text("utf-8").replace("rating: faux", "ratng: faux"), "utf-8")
    result = run_cli("check", "--root", str(root))
    assert result.returncode == 1
    lines = result.stderr.splitlines()
    unknown = next(i for i, s in enumerate(lines) if "unknown key 'ratng'" in s)
    assert re.match(r"content/claims/dette-doublee\.yaml:\d+:1: error: ", lines[unknown])
    assert lines[unknown + 1].startswith("hint: did you mean 'rating'?")
    missing = next(s for s in lines if "missing required key 'rating'" in s)
    assert missing.startswith("content/claims/dette-doublee.yaml:2:1: error:")


def test_the_missing_checksum_hint_gives_the_archive_checksum(fixture_site) -> None:
    root = fixture_site("minimal-site")
    path = root / "content" / "sources" / "radio-conseil.yaml"
    text = path.read_text("utf-8")
    digest = re.search(r"sha256: (\w+)", text)[1]
    path.write_text(text.replace(f"sha256: {digest}", "sha256: abc"), "utf-8")
    result = pipeline.build(Paths.for_site(root), Options(), write_output=False)
    (error,) = result.diagnostics
    assert error.message == "'sha256' must be 64 lowercase hexadecimal digits"
    assert error.hint == f"set it to: sha256: {digest}"


# --- The build and the schema agree -----------------------------------------------------------

SITE = "title: T\nbase_url: https://e.org/\npublisher: {name: P}"
# (schema, YAML, whether it is valid): each is checked by the build and by a plain validator.
AGREEMENT = [
    ("source", "file: a.txt\ntitle: T\nsha256: " + "ab" * 32, True),
    ("source", "file: a.txt\ntitle: T", False),
    ("source", "file: a.txt\ntitle: T\nsha256: " + "A" * 64, False),
    ("source", "file: a.txt\ntitle: T\nsha256: " + "ab" * 32 + "\nurl: https://e.org/a?b#c", True),
    ("source", "file: a.txt\ntitle: T\nsha256: " + "ab" * 32 + "\nurl: ftp://e.org/", False),
    ("source", "file: a.txt\ntitle: T\nsha256: " + "ab" * 32 + "\nurl: 'https://e .org'", False),
    ("site", SITE, True),
    ("site", SITE + "\nlanguage: en-GB", True),
    ("site", SITE + "\nlanguage: english!", False),
    ("site", "title: T\nbase_url: https://e.org/\npublisher: {name: P, url: x}", False),
    ("site", SITE + "\nsubmit_url: mailto:a@b.org", True),
    ("site", SITE + "\nsubmit_url: https://e.org/f", True),
    ("site", SITE + "\nsubmit_url: mailto:desk", False),
    ("site", SITE + "\nratings: [{id: a, label: A, description: D}]", False),
    ("site", SITE + "\npage_size: 20\nfeed_size: 1", True),
    ("site", SITE + "\npage_size: 0", False),
    ("site", SITE + "\npage_size: ten", False),
    ("site", SITE + "\npage_size: '20'", False),
    ("site", SITE + "\nfeed_size: 2.5", False),
    ("site", SITE + "\nfeed_size: true", False),
    ("measure", "title: T\nunit: u\ndescription: D", True),
    ("measure", "title: T\nunit: u", False),
    ("measure", "title: T\nunit: u\ndescription: D\nextra: x", False),
    ("page", "title: About", True),
    ("page", "title: About\ndescription: ''", False),
    ("claim", GOOD, True),
    ("claim", GOOD + "tags: [a, b-c, d2]", True),
    ("claim", GOOD + "tags: [a--b]", False),
    ("claim", GOOD + "figure: {measure: m, value: 0, bound: about}", True),
    ("claim", GOOD + "figure: {measure: m, value: -1.5e+29, bound: at-most}", True),
    ("claim", GOOD + "figure: {measure: m, value: 1.0e-31, bound: exact}", False),
    ("claim", GOOD + "figure: {measure: m, value: 1, bound: roughly}", False),
    ("claim", GOOD + "evidence: [{url: 'https://e.org', title: T, note: N}]", True),
    ("claim", GOOD + "evidence: [{source: a, quote: q, url: 'https://e.org', title: T}]", False),
    ("claim", GOOD + "evidence: [{source: a, quote: q, occurrence: 2}]", True),
    ("claim", GOOD + "corrections: [{date: 2024-01-03, text: Fixed.}]", True),
    ("claim", GOOD + "corrections: [{date: 2024-01-03}]", False),
    ("claim", GOOD.replace("claimant: Jane Doe", "claimant: true"), False),
    ("claim", GOOD.replace("claimant: Jane Doe", "claimant: ~"), False),
]  # fmt: skip


@pytest.mark.parametrize(("kind", "text", "valid"), AGREEMENT)
def test_the_build_and_a_plain_validator_agree(kind: str, text: str, valid: bool) -> None:
    ok, diags = build_check(text + "\n", kind, f"content/x/{kind}.yaml")
    assert ok is valid, [d.format() for d in diags]
    assert (diags == []) is valid
    assert editor_validator(kind).is_valid(as_editor_sees(yaml.safe_load(text))) is valid


def test_where_the_build_reads_yaml_more_strictly_than_an_editor_can() -> None:
    """YAML details the JSON data model has no word for (see generator/validate.py)."""
    editor = editor_validator("claim")
    strict = {
        # A quoted date is text to YAML: editors reading YAML 1.2 cannot tell it from a date.
        GOOD.replace("published: 2024-01-02", 'published: "2024-01-02"'): True,
        # So is a date and time where a date belongs.
        GOOD.replace("published: 2024-01-02", "published: 2024-01-02 10:00:00"): None,
        # A slug ending in a newline (a YAML block scalar) is no slug: ECMA-262's `$` is the
        # end of the text, which Python's `$` is not.
        GOOD.replace("rating: accurate", "rating: |\n  accurate"): True,
        # NaN is not a number a chart can draw; JSON cannot even write it.
        GOOD + "figure: {measure: m, value: .nan, bound: exact}": None,
    }
    for text, editor_accepts in strict.items():
        ok, diags = build_check(text, "claim")
        assert not ok and len(diags) == 1, [d.format() for d in diags]
        data = yaml.safe_load(text)
        if editor_accepts:
            assert editor.is_valid(as_editor_sees(data)), text


def test_yaml_that_is_json_gets_the_same_verdict_from_the_build_and_the_editor() -> None:
    """Property: for any JSON value in any key of a claim, the verdicts agree."""
    keys = ["claimant", "rating", "tags", "evidence", "figure", "corrections", "occurrence"]
    scalars = st.one_of(
        st.none(),
        st.booleans(),
        st.integers(-3, 3),
        st.floats(allow_nan=False, allow_infinity=False),
        st.text(max_size=12).filter(lambda s: not s.endswith("\n")),
        st.sampled_from(["a", "a-b", "Bad", "https://e.org/", "exact", "person", "x" * 101]),
    )
    values = st.recursive(
        scalars,
        lambda inner: (
            st.lists(inner, max_size=3)
            | st.dictionaries(
                st.sampled_from(
                    ["source", "quote", "url", "title", "note", "date", "text", "value"]
                ),
                inner,
                max_size=4,
            )
        ),
        max_leaves=6,
    )
    base = yaml.safe_load(GOOD)
    editor = editor_validator("claim")

    @settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(st.sampled_from(keys), values)
    def agree(key: str, value: Any) -> None:
        data = copy.deepcopy(base)  # its dates stay YAML dates, for the build
        if key == "occurrence":
            data["appearances"][0]["occurrence"] = value
        else:
            data[key] = value
        diags = Diagnostics()
        ok = validate.check(data, "claim", Location("content/claims/c.yaml", 1, 1), diags)
        verdict = editor.is_valid(as_editor_sees(data))
        assert ok is verdict, (key, value, [d.format() for d in diags.sorted()])
        instance = validate.to_instance(data)
        assert validate._passes("claim")(instance) is ok, (key, value)
        assert (diags.sorted() == []) is ok
        assert all(d.hint for d in diags.sorted())

    agree()


def yaml_cases() -> list[tuple[str, str]]:
    """(schema, YAML) of every case above and of every content file."""
    cases = [(kind, text + "\n") for kind, text, _ in AGREEMENT]
    cases += [("claim", GOOD.replace(old, new, 1)) for old, new, *_ in ERROR_KINDS.values()]
    for root in SITES:
        cases += [(kind, path.read_text("utf-8")) for path, kind in content_files(root)]
    return cases


def test_the_fast_check_and_the_validator_agree() -> None:
    """Valid files skip jsonschema (see validate._passes): its verdict must be jsonschema's."""
    for kind, text in yaml_cases():
        diags = Diagnostics()
        instance = validate.to_instance(loader.parse_yaml(text, "x.yaml", diags))
        if diags.has_errors():
            continue
        full = validate._validator(kind).is_valid(instance)
        assert validate._passes(kind)(instance) is full, (kind, text)
    # Each schema compiles: its valid files pass the fast check itself.
    for root in SITES:
        for path, kind in content_files(root):
            instance = validate.to_instance(yaml.safe_load(path.read_text("utf-8")))
            assert validate._passes(kind)(instance), path


def test_every_site_setting_is_in_the_readmes_table_of_site_yaml() -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    table = readme.split("### `content/site.yaml`", 1)[1].split("\n\n", 2)[1]
    documented = re.findall(r"^\| `(\w+)` \|", table, flags=re.M)
    assert documented == list(documents()["site.schema.json"]["properties"])


def test_the_number_limits_are_the_documented_ones() -> None:
    value = documents()[validate.COMMON]["$defs"]["figure_value"]
    assert value["maximum"] == 1e30 and value["minimum"] == -1e30
    assert math.isclose(value["not"]["exclusiveMaximum"], 1e-30)


def test_the_control_characters_messages_name_are_those_the_schema_refuses() -> None:
    text = validate._validator({"$ref": "common.schema.json#/$defs/text"})
    for code in [*range(0xD800), *range(0xE000, 0x10000)]:
        char = chr(code)
        refused = not text.is_valid(f"a{char}b")
        assert refused is bool(validate.CONTROL.search(char)), hex(code)
