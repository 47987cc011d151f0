"""Loader: YAML and Markdown files into located values, with a diagnostic for every problem."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
import yaml

from generator.diagnostics import Diagnostic, Diagnostics, Location
from generator.load import loader


def load(tmp_path: Path, data: bytes, name: str = "content/claims/x.yaml"):
    path = tmp_path / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    diags = Diagnostics()
    return loader.load_yaml(path, tmp_path, diags), diags.sorted()


def load_md(tmp_path: Path, data: bytes, name: str = "content/pages/about.md"):
    path = tmp_path / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    diags = Diagnostics()
    return loader.load_markdown(path, tmp_path, diags), diags.sorted()


def only(diags: list[Diagnostic]) -> Diagnostic:
    assert len(diags) == 1, [d.format() for d in diags]
    return diags[0]


# --- locations -----------------------------------------------------------------------------


def test_values_remember_line_and_column(tmp_path):
    data, diags = load(
        tmp_path,
        b"claim: Short\nappearances:\n  - source: a\n    quote:   'hello'\nrating: accurate\n",
    )
    assert diags == []
    assert isinstance(data, loader.YMap)
    rel = "content/claims/x.yaml"
    assert data.where("claim") == Location(rel, 1, 8)
    assert data.where("rating") == Location(rel, 5, 9)
    assert data.where_key("rating") == Location(rel, 5, 1)
    item = data["appearances"][0]
    assert data["appearances"].item_locs[0] == Location(rel, 3, 5)
    assert item.where("source") == Location(rel, 3, 13)
    assert item.where("quote") == Location(rel, 4, 14)
    # An absent key points at the mapping that lacks it.
    assert item.where("prefix") == item.loc == Location(rel, 3, 5)


def test_duplicate_key_is_an_error_naming_both_lines(tmp_path):
    data, diags = load(tmp_path, b"claim: one\nrating: accurate\nclaim: two\n")
    error = only(diags)
    assert (error.path, error.line, error.col) == ("content/claims/x.yaml", 3, 1)
    assert error.message == "duplicate key 'claim' (first set on line 1)"
    assert error.severity == "error"
    assert data["claim"] == "one"


def test_aliases_are_refused_where_they_are_written(tmp_path):
    data, diags = load(tmp_path, b"claim: &c Same words\nsummary: x\nanalysis: *c\n")
    error = only(diags)
    assert "aliases" in error.message
    assert (error.line, error.col) == (3, 11)
    assert data["analysis"] is loader.INVALID


def test_an_alias_used_as_a_key_is_refused_too(tmp_path):
    _, diags = load(tmp_path, b"&k claim: x\nsummary: *k\n")
    error = only(diags)
    assert "aliases" in error.message
    assert (error.line, error.col) == (2, 10)


def test_yaml_syntax_error_has_path_line_column_and_hint(tmp_path):
    _, diags = load(tmp_path, b"claim: ok\nsummary: this: breaks\n")
    error = only(diags)
    assert error.format().startswith("content/claims/x.yaml:2:14: error: invalid YAML")
    assert "quoted" in error.hint


def test_unclosed_flow_list_is_located(tmp_path):
    _, diags = load(tmp_path, b"claim: ok\ntags: [a, b\nrating: accurate\n")
    error = only(diags)
    assert error.path == "content/claims/x.yaml"
    assert error.line >= 2
    assert error.message.startswith("invalid YAML")
    assert error.hint


@pytest.mark.parametrize(
    "data",
    [
        b"claim: ok\ntags:\n\t- a\n",
        b"claim: ok\nappearances:\n  - source: a\n\t  quote: b\n",
        b"publisher:\n\tname: x\n",
    ],
)
def test_tab_indentation_gets_a_tab_hint(tmp_path, data):
    _, diags = load(tmp_path, data)
    error = only(diags)
    lines = data.decode().split("\n")
    assert error.line == next(i for i, text in enumerate(lines) if "\t" in text) + 1
    assert "tab" in error.hint


@pytest.mark.parametrize("data", [b"", b"  \n\n", b"\xef\xbb\xbf\n"])
def test_empty_file_is_an_error(tmp_path, data):
    result, diags = load(tmp_path, data)
    assert result is None
    error = only(diags)
    assert error.message == "file is empty"
    assert (error.path, error.line) == ("content/claims/x.yaml", 1)


def test_comments_only_is_an_error(tmp_path):
    result, diags = load(tmp_path, b"# nothing yet\n")
    assert result is None
    assert only(diags).message == "file holds no data"


def test_non_utf8_is_an_error_at_the_bad_byte(tmp_path):
    result, diags = load(tmp_path, b"claim: ok\nclaimant: Jos\xe9 Ram\xedrez\n")
    assert result is None
    error = only(diags)
    assert (error.line, error.col) == (2, len(b"claimant: Jos") + 1)
    assert "UTF-8" in error.message
    assert "0xe9" in error.message
    assert error.hint


def test_bom_and_crlf_are_accepted(tmp_path):
    data, diags = load(tmp_path, b"\xef\xbb\xbfclaim: First\r\nsummary: |\r\n  a\r\n  b\r\n")
    assert diags == []
    assert data == {"claim": "First", "summary": "a\nb\n"}
    assert data.where("summary").line == 2


def test_impossible_date_is_an_error(tmp_path):
    data, diags = load(tmp_path, b"claim: ok\npublished: 2018-02-30\n")
    error = only(diags)
    assert (error.line, error.col) == (2, 12)
    assert "2018-02-30" in error.message
    assert "YYYY-MM-DD" in error.hint
    assert data["published"] is loader.INVALID


def test_real_date_becomes_a_date(tmp_path):
    data, diags = load(tmp_path, b"published: 2018-02-28\n")
    assert diags == []
    assert data["published"] == dt.date(2018, 2, 28)


def test_file_over_the_size_limit_is_refused(tmp_path):
    body = b"claim: " + b"x" * loader.MAX_FILE_BYTES + b"\n"
    result, diags = load(tmp_path, body)
    assert result is None
    error = only(diags)
    assert error.path == "content/claims/x.yaml"
    assert f"{len(body):,} bytes" in error.message
    assert f"{loader.MAX_FILE_BYTES:,}" in error.message


def test_file_at_the_size_limit_is_read(tmp_path):
    head = b"claim: "
    body = head + b"x" * (loader.MAX_FILE_BYTES - len(head))
    data, diags = load(tmp_path, body)
    assert diags == []
    assert len(data["claim"]) == loader.MAX_FILE_BYTES - len(head)


def test_non_string_keys_are_errors(tmp_path):
    _, diags = load(tmp_path, b"claim: ok\n1999: party\n")
    error = only(diags)
    assert (error.line, error.col) == (2, 1)
    assert "keys must be plain words" in error.message


# --- Markdown front matter -----------------------------------------------------------------


def test_markdown_front_matter_and_body_with_line_offsets(tmp_path):
    md, diags = load_md(
        tmp_path, b"---\ntitle: About us\ndescription:  Who we are\n---\n# Heading\n\nText.\n"
    )
    assert diags == []
    assert md.meta == {"title": "About us", "description": "Who we are"}
    rel = "content/pages/about.md"
    assert md.meta.where("title") == Location(rel, 2, 8)
    assert md.meta.where("description") == Location(rel, 3, 15)
    assert md.body == "# Heading\n\nText.\n"
    assert md.body_line == 5


def test_markdown_yaml_error_is_located_in_the_whole_file(tmp_path):
    _, diags = load_md(tmp_path, b"---\ntitle: ok\ndescription: a: b\n---\nbody\n")
    error = only(diags)
    assert (error.path, error.line, error.col) == ("content/pages/about.md", 3, 15)


def test_markdown_duplicate_key_names_file_lines(tmp_path):
    _, diags = load_md(tmp_path, b"---\ntitle: A\ntitle: B\n---\nbody\n")
    error = only(diags)
    assert error.line == 3
    assert "first set on line 2" in error.message


def test_markdown_without_front_matter_is_an_error(tmp_path):
    md, diags = load_md(tmp_path, b"# Just a heading\n")
    assert md is None
    error = only(diags)
    assert error.message == "missing front matter"
    assert "---" in error.hint


def test_markdown_with_unclosed_front_matter_is_an_error(tmp_path):
    md, diags = load_md(tmp_path, b"---\ntitle: About\n\nBody text\n")
    assert md is None
    assert only(diags).message == "front matter is not closed"


def test_markdown_front_matter_must_be_a_mapping(tmp_path):
    md, diags = load_md(tmp_path, b"---\n- a\n- b\n---\nbody\n")
    assert md is None
    assert "mapping" in only(diags).message


def test_markdown_blank_front_matter_is_an_empty_mapping(tmp_path):
    md, diags = load_md(tmp_path, b"---\n---\nbody\n")
    assert diags == []
    assert md.meta == {}
    assert md.body == "body\n"
    assert md.body_line == 3


def test_markdown_crlf_and_bom(tmp_path):
    md, diags = load_md(tmp_path, b"\xef\xbb\xbf---\r\ntitle: T\r\n---\r\nLine\r\n")
    assert diags == []
    assert md.meta == {"title": "T"}
    assert md.body == "Line\n"


# --- whole content folder ------------------------------------------------------------------


def test_load_content_reads_every_kind_and_flags_wrong_extensions(scratch_site):
    root = scratch_site(
        {
            "content/site.yaml": "title: T\n",
            "content/sources/a.yaml": "file: a.txt\n",
            "content/claims/c.yaml": "claim: x\n",
            "content/claims/d.yml": "claim: y\n",
            "content/claims/.swap.yaml": "claim: [\n",
            "content/claims/e.yaml~": "claim: [\n",
            "content/pages/about.md": "---\ntitle: About\n---\nHi\n",
        }
    )
    diags = Diagnostics()
    raw = loader.load_content(root, diags)
    assert raw.site == {"title": "T"}
    assert list(raw.sources) == ["a"]
    assert list(raw.claims) == ["c"]
    assert raw.pages["about"].meta == {"title": "About"}
    error = only(diags.sorted())
    assert error.path == "content/claims/d.yml"
    assert error.hint == "rename it to d.yaml"


def test_load_content_without_site_yaml(scratch_site):
    root = scratch_site({"content/claims/c.yaml": "claim: x\n"})
    diags = Diagnostics()
    raw = loader.load_content(root, diags)
    assert raw.site is None
    error = only(diags.sorted())
    assert error.path == "content/site.yaml"
    assert error.message == "missing site configuration"


NESTED = {
    "brackets": b"claim: " + b"[" * 60 + b"]" * 60 + b"\n",
    "indentation": "".join(f"{' ' * n}k{n}:\n" for n in range(60)).encode() + b" " * 60 + b"v\n",
    "sequences": b"claim:\n"
    + b"".join(b"  " * n + b"-\n" for n in range(60))
    + b"  " * 60
    + b"x\n",
    "very deep": b"claim: " + b"[" * 5000 + b"]" * 5000 + b"\n",
}


@pytest.mark.parametrize("text", NESTED.values(), ids=NESTED.keys())
def test_too_deep_nesting_is_refused_at_the_same_place_whether_checked_first_or_while_built(
    tmp_path, monkeypatch, text
):
    # Files that cannot nest past SAFE_DEPTH are built at once, and checked while converted;
    # the others are read as events first. Both ways report the same error at the same place.
    _, built = load(tmp_path, text)
    monkeypatch.setattr(loader, "SAFE_DEPTH", 0)  # every file read as events first
    _, scanned = load(tmp_path, text)
    assert built == scanned
    assert "nested more than 50 levels deep" in only(built).message


class _LimitedParser(yaml.SafeLoader):
    """A fast parser as a future libyaml might be: a nesting limit of its own, lower than the
    project's check needs, reached while it reads ahead, with wording of its own."""

    LIMIT = 55

    def fetch_flow_collection_start(self, token_class):
        if self.flow_level >= self.LIMIT:
            mark = self.get_mark()
            raise yaml.scanner.ScannerError("while reading", mark, "stack is full", mark)
        super().fetch_flow_collection_start(token_class)

    def add_indent(self, column):
        if len(self.indents) >= self.LIMIT:
            mark = self.get_mark()
            raise yaml.scanner.ScannerError("while reading", mark, "stack is full", mark)
        return super().add_indent(column)


@pytest.mark.parametrize("text", NESTED.values(), ids=NESTED.keys())
@pytest.mark.parametrize("safe_depth", [0, loader.SAFE_DEPTH], ids=["scanned", "built"])
def test_too_deep_nesting_is_our_message_whatever_the_fast_parser_says(
    tmp_path, monkeypatch, text, safe_depth
):
    _, expected = load(tmp_path, text)
    monkeypatch.setattr(loader, "_Loader", _LimitedParser)
    monkeypatch.setattr(loader, "SAFE_DEPTH", safe_depth)
    _, found = load(tmp_path, text)
    assert found == expected
    assert only(found).message == "values are nested more than 50 levels deep"
    assert only(found).hint


def test_a_syntax_error_is_still_reported_when_the_fast_parser_fails(tmp_path, monkeypatch):
    monkeypatch.setattr(loader, "_Loader", _LimitedParser)
    _, diags = load(tmp_path, b"claim: [a, b\nrating: x\n")
    assert "nested" not in only(diags).message
    assert only(diags).path == "content/claims/x.yaml"


def test_a_file_that_might_nest_deep_is_read_as_events_first() -> None:
    assert not loader._may_nest_deeper("claim: x\nsummary: y\n", loader.SAFE_DEPTH)
    assert loader._may_nest_deeper("a: " + "[" * 300, loader.SAFE_DEPTH)
    assert loader._may_nest_deeper(" " * 250 + "a: b", loader.SAFE_DEPTH)


def test_errors_in_a_file_nested_too_deep_are_not_reported_twice(tmp_path):
    deep = "".join(f"{' ' * n}k{n}:\n" for n in range(60)) + " " * 60 + "v\n"
    _, diags = load(tmp_path, f"!!binary x: 1\n{deep}".encode())
    assert [d.message for d in diags] == ["values are nested more than 50 levels deep"]
