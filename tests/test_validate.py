"""Validate: keys and value types of every content file, with a located error and a hint."""

from __future__ import annotations

import re

import pytest

from generator.diagnostics import Diagnostic, Diagnostics, Location
from generator.load import loader, validate

CLAIM_PATH = "content/claims/c.yaml"

GOOD_CLAIM = {
    "claim": '"A short claim"',
    "claimant": "Jane Doe",
    "appearances": '\n  - source: a\n    quote: "hello world"',
    "rating": "accurate",
    "summary": "It is right.",
    "analysis": "Because.",
    "published": "2024-01-02",
}


def claim_yaml(**changes: str | None) -> str:
    """A claim file from GOOD_CLAIM; a change of None removes the key."""
    values = {**GOOD_CLAIM, **changes}
    return "".join(f"{key}: {value}\n" for key, value in values.items() if value is not None)


def check(text: str, schema: str = validate.CLAIM, path: str = CLAIM_PATH):
    diags = Diagnostics()
    data = loader.parse_yaml(text, path, diags)
    assert not diags.has_errors(), [d.format() for d in diags.sorted()]
    ok = validate.check(data, schema, Location(path, 1, 1), diags)
    return ok, diags.sorted()


def line_of(text: str, needle: str) -> int:
    return next(i for i, line in enumerate(text.split("\n"), 1) if needle in line)


def only(diags: list[Diagnostic]) -> Diagnostic:
    assert len(diags) == 1, [d.format() for d in diags]
    return diags[0]


def test_good_claim_passes():
    assert check(claim_yaml()) == (True, [])


def test_unknown_key_is_an_error_with_did_you_mean():
    text = claim_yaml(claimant=None, claimnt="Jane Doe")
    ok, diags = check(text)
    assert not ok
    unknown = next(d for d in diags if "unknown key" in d.message)
    assert unknown.message == "unknown key 'claimnt'"
    assert (unknown.line, unknown.col) == (line_of(text, "claimnt:"), 1)
    assert unknown.hint.startswith("did you mean 'claimant'?")
    # The misspelt key also leaves the real one missing.
    missing = next(d for d in diags if "missing" in d.message)
    assert missing.message == "missing required key 'claimant'"


def test_unknown_key_without_a_close_match_lists_allowed_keys():
    _, diags = check(claim_yaml(zzzzzz="1"))
    error = only(diags)
    assert "did you mean" not in error.hint
    assert error.hint.startswith("allowed keys: claim, claimant")


@pytest.mark.parametrize("key", ["claim", "claimant", "appearances", "rating", "published"])
def test_missing_required_key(key):
    ok, diags = check(claim_yaml(**{key: None}))
    assert not ok
    error = only(diags)
    assert error.message == f"missing required key '{key}'"
    assert (error.path, error.line) == (CLAIM_PATH, 1)
    assert f"'{key}:'" in error.hint


def test_missing_key_in_a_nested_mapping_names_the_mapping():
    text = claim_yaml(appearances="\n  - source: a\n    occurrence: 1")
    _, diags = check(text)
    error = only(diags)
    assert error.message == "missing required key 'quote' in 'appearances'"
    assert error.line == line_of(text, "source: a")


def test_number_where_text_belongs():
    text = claim_yaml(claimant="42")
    _, diags = check(text)
    error = only(diags)
    assert error.message == "'claimant' must be text, not a number (42)"
    assert (error.line, error.col) == (line_of(text, "claimant:"), len("claimant: ") + 1)
    assert "quotes" in error.hint


def test_yes_no_where_text_belongs():
    _, diags = check(claim_yaml(claimant="no"))
    assert only(diags).message == "'claimant' must be text, not yes/no (false)"


def test_empty_text_is_an_error():
    _, diags = check(claim_yaml(summary='"   "'))
    assert only(diags).message == "'summary' must not be empty"


def test_list_where_mapping_belongs():
    text = "title: T\nbase_url: https://example.org/\npublisher: [Acme]\n"
    _, diags = check(text, validate.SITE, "content/site.yaml")
    error = only(diags)
    assert error.message == "'publisher' must be a mapping of keys to values, not a list"
    assert (error.line, error.col) == (3, len("publisher: ") + 1)
    assert "name" in error.hint


def test_list_items_must_be_mappings():
    text = claim_yaml(appearances="\n  - just text")
    _, diags = check(text)
    error = only(diags)
    assert (
        error.message == "'appearances' must be a mapping of keys to values, not text ('just text')"
    )
    assert error.line == line_of(text, "just text")


def test_mapping_where_list_belongs():
    _, diags = check(claim_yaml(tags="{a: b}"))
    assert only(diags).message == "'tags' must be a list, not a mapping"


@pytest.mark.parametrize(
    ("value", "kind"),
    [
        ("yesterday", "text ('yesterday')"),
        ('"2024-01-02"', "text ('2024-01-02')"),
        ("2024", "a number (2024)"),
    ],
)
def test_bad_date(value, kind):
    text = claim_yaml(published=value)
    _, diags = check(text)
    error = only(diags)
    assert error.message == f"'published' must be a date, not {kind}"
    assert error.line == line_of(text, "published:")
    assert "YYYY-MM-DD" in error.hint


def test_date_and_time_is_not_a_date():
    _, diags = check(claim_yaml(published="2024-01-02 10:00:00"))
    assert "'published' must be a date" in only(diags).message


@pytest.mark.parametrize(
    ("value", "suggestion"),
    [
        ("Mostly Accurate", "mostly-accurate"),
        ("mostly_accurate", "mostly-accurate"),
        ("Érronée!", "erronee"),
        ("--double--", "double"),
    ],
)
def test_bad_slug_suggests_a_slug(value, suggestion):
    _, diags = check(claim_yaml(rating=f'"{value}"'))
    error = only(diags)
    assert error.message == f"'rating' must be a lowercase slug, not {value!r}"
    assert f"e.g. {suggestion!r}" in error.hint
    assert validate.SLUG.match(suggestion)


def test_bad_slug_in_a_list_is_located_at_the_item():
    text = claim_yaml(tags="\n  - good-tag\n  - Bad Tag")
    _, diags = check(text)
    error = only(diags)
    assert error.line == line_of(text, "Bad Tag")
    assert "'bad-tag'" in error.hint


@pytest.mark.parametrize(
    "url",
    ["javascript:alert(1)", "ftp://example.org/", "example.org", "//example.org/x", "https://"],
)
def test_non_http_url_is_an_error(url):
    text = claim_yaml(evidence=f'\n  - url: "{url}"\n    title: A report')
    _, diags = check(text)
    error = only(diags)
    assert error.message == f"'url' must be an http(s) address, not {url!r}"
    assert error.line == line_of(text, "url:")


@pytest.mark.parametrize(
    "url", ["https://example.org/", "http://example.org/a?b=c#d", "HTTPS://X.ORG"]
)
def test_http_urls_are_accepted(url):
    assert check(claim_yaml(evidence=f'\n  - url: "{url}"\n    title: A report')) == (True, [])


def test_site_base_url_must_be_http():
    text = "title: T\nbase_url: javascript:alert(1)\npublisher:\n  name: P\n"
    _, diags = check(text, validate.SITE, "content/site.yaml")
    error = only(diags)
    assert error.message == "'base_url' must be an http(s) address, not 'javascript:alert(1)'"
    assert (error.line, error.col) == (2, len("base_url: ") + 1)


def test_appearances_need_at_least_one_item():
    text = claim_yaml(appearances="[]")
    _, diags = check(text)
    error = only(diags)
    assert error.message == "'appearances' needs at least 1 item(s)"
    assert error.line == line_of(text, "appearances:")


def test_ratings_need_at_least_two():
    text = (
        "title: T\nbase_url: https://e.org/\npublisher: {name: P}\n"
        "ratings:\n  - {id: ok, label: OK, description: Fine.}\n"
    )
    _, diags = check(text, validate.SITE, "content/site.yaml")
    assert only(diags).message == "'ratings' needs at least 2 item(s)"


@pytest.mark.parametrize(("value", "shown"), [("0", "a number (0)"), ("true", "yes/no (true)")])
def test_occurrence_must_be_a_whole_number_from_one(value, shown):
    text = claim_yaml(appearances=f"\n  - source: a\n    quote: q\n    occurrence: {value}")
    _, diags = check(text)
    assert only(diags).message == f"'occurrence' must be a whole number from 1, not {shown}"


@pytest.mark.parametrize("key", ["page_size", "feed_size"])
@pytest.mark.parametrize(
    ("value", "shown"),
    [
        ("0", "a number (0)"),
        ("-5", "a number (-5)"),
        ("ten", "text ('ten')"),
        ('"20"', "text ('20')"),
        ("2.5", "a number (2.5)"),
        ("true", "yes/no (true)"),
    ],
)
def test_list_and_feed_sizes_must_be_whole_numbers_from_one(key, value, shown):
    text = f"title: T\nbase_url: https://e.org/\npublisher: {{name: P}}\n{key}: {value}\n"
    ok, diags = check(text, validate.SITE, "content/site.yaml")
    error = only(diags)
    assert not ok
    assert error.message == f"'{key}' must be a whole number from 1, not {shown}"
    assert (error.line, error.col) == (4, len(f"{key}: ") + 1)
    assert "digits" in error.hint


def test_list_and_feed_sizes_may_be_left_out_or_set():
    site = "title: T\nbase_url: https://e.org/\npublisher: {name: P}\n"
    assert check(site, validate.SITE, "content/site.yaml") == (True, [])
    text = site + "page_size: 1\nfeed_size: 200\n"
    assert check(text, validate.SITE, "content/site.yaml") == (True, [])


def test_choice_must_be_one_of_the_choices():
    _, diags = check(claim_yaml(claimant_type="robot"))
    assert only(diags).message == "'claimant_type' must be one of person, organization, not 'robot'"


def test_sha256_must_be_lowercase_hex():
    text = "file: a.txt\ntitle: T\nsha256: " + "A" * 64 + "\n"
    _, diags = check(text, validate.SOURCE, "content/sources/a.yaml")
    error = only(diags)
    assert error.message == "'sha256' must be 64 lowercase hexadecimal digits"
    assert error.line == 3


def test_every_problem_in_a_file_is_reported():
    text = claim_yaml(claimant="42", rating="Bad Rating", published="soon", extra="x")
    ok, diags = check(text)
    assert not ok
    lines = [d.line for d in diags]
    assert lines == sorted(lines)
    assert len(diags) == 4
    assert {line_of(text, k) for k in ("claimant:", "rating:", "published:", "extra:")} == set(
        lines
    )


def test_whole_file_must_be_a_mapping():
    _, diags = check("- a\n- b\n")
    assert only(diags).message == "'file' must be a mapping of keys to values, not a list"


def test_check_content_keeps_only_valid_files(scratch_site):
    root = scratch_site(
        {
            "content/site.yaml": "title: T\nbase_url: https://e.org/\npublisher: {name: P}\n",
            "content/claims/good.yaml": claim_yaml(),
            "content/claims/bad.yaml": claim_yaml(claimnt="x"),
            "content/pages/about.md": "---\ntitle: About\n---\nHi\n",
            "content/pages/untitled.md": "---\ndescription: no title\n---\nHi\n",
        }
    )
    diags = Diagnostics()
    valid = validate.check_content(loader.load_content(root, diags), diags)
    assert valid.site is not None
    assert list(valid.claims) == ["good"]
    assert list(valid.pages) == ["about"]
    paths = {d.path for d in diags.errors}
    assert paths == {"content/claims/bad.yaml", "content/pages/untitled.md"}
    page_error = next(d for d in diags.errors if d.path.endswith("untitled.md"))
    assert page_error.message == "missing required key 'title' in 'front matter'"


def test_slugify():
    assert validate.slugify("Mark Zuckerberg") == "mark-zuckerberg"
    assert validate.slugify("  Ça  va? ") == "ca-va"
    assert validate.slugify("!!!") == "x"


def test_names_in_other_scripts_get_a_slug_each():
    assert validate.name_slug("Mark Zuckerberg") == "mark-zuckerberg"
    assert validate.name_slug("Ça va") == "ca-va"
    salma, samer = validate.name_slug("سلمى الحداد"), validate.name_slug("سامر العلي")
    assert re.fullmatch(r"name-[0-9a-f]{10}", salma) and salma != samer
    # One name, however it is spaced, has one page.
    assert validate.name_slug(" سلمى  الحداد ") == salma
    # A name with Latin letters or digits keeps them.
    assert validate.name_slug("Radio Wadi إذاعة الواحة") == "radio-wadi"


def test_a_value_the_loader_rejected_is_reported_once(tmp_path):
    """An impossible date gets the loader's error only, not a second 'must be a date' one."""
    from generator.diagnostics import Diagnostics, Location
    from generator.load import loader as yaml_loader

    diags = Diagnostics()
    data = yaml_loader.parse_yaml("file: a.txt\ntitle: T\npublished: 2018-02-30\n", "x.yaml", diags)
    data["sha256"] = "0" * 64
    assert validate.check(data, validate.SOURCE, Location("x.yaml"), diags) is False
    assert [(d.line, d.col) for d in diags.sorted()] == [(3, 12)]
