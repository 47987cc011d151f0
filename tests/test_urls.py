"""URLs: relative links by depth, 404 links from base_url's path, text-fragment links."""

from __future__ import annotations

from types import SimpleNamespace
from urllib.parse import unquote, urljoin

import pytest

from generator import urls

BASE = "https://example.org/factcheck/"


@pytest.mark.parametrize(
    ("path", "prefix"),
    [
        ("", "./"),
        ("index.html", "./"),
        ("methodology/", "../"),
        ("claims/some-claim/", "../../"),
        ("tags/a/b/", "../../../"),
    ],
)
def test_relative_prefix_by_depth(path, prefix):
    assert urls.root_prefix(path, BASE) == prefix


@pytest.mark.parametrize(
    "page",
    ["", "methodology/", "claims/x/", "sources/a/", "claimants/jane-doe/", "tags/t/", "about/"],
)
@pytest.mark.parametrize(
    "target",
    ["", "claims/y/", "sources/b/", "static/style.css", "tags/u/", "404.html"],
)
def test_relative_links_resolve_to_the_target_under_any_base(page, target):
    for base in ("https://example.org/", BASE, "http://127.0.0.1:8000/a/b/"):
        link = urls.Links(page, base).to(target)
        assert not link.startswith(("/", "http"))
        assert urljoin(base + page, link) == base + target


@pytest.mark.parametrize(
    ("base", "prefix"),
    [
        ("https://example.org/", "/"),
        ("https://example.org/factcheck/", "/factcheck/"),
        ("http://127.0.0.1:8000/a/b/", "/a/b/"),
        ("https://example.org", "/"),
    ],
)
def test_404_page_links_start_with_the_base_url_path(base, prefix):
    assert urls.root_prefix(urls.NOT_FOUND, base) == prefix
    links = urls.Links(urls.NOT_FOUND, base)
    assert links.static("style.css") == f"{prefix}static/style.css"
    assert links.home() == prefix
    # Served at any missing address, its links still reach the real pages.
    assert urljoin("https://example.org/deep/missing/page", links.to("claims/x/")).endswith(
        f"{prefix}claims/x/"
    )


def test_page_paths_and_output_files():
    claim = SimpleNamespace(id="fifty-million")
    source = SimpleNamespace(id="independent")
    page = SimpleNamespace(slug="about")
    assert urls.claim(claim) == "claims/fifty-million/"
    assert urls.source(source) == "sources/independent/"
    assert urls.claimant("jane-doe") == "claimants/jane-doe/"
    assert urls.tag("t") == "tags/t/"
    assert urls.page(page) == "about/"
    assert urls.output_file("") == "index.html"
    assert urls.output_file("claims/fifty-million/") == "claims/fifty-million/index.html"
    assert urls.output_file("404.html") == "404.html"
    assert urls.output_file(urls.static("site.css")) == "static/site.css"


def test_links_with_fragments():
    links = urls.Links("claims/x/", BASE)
    source = SimpleNamespace(id="a")
    claim = SimpleNamespace(id="y")
    assert links.source(source, "q-120") == "../../sources/a/#q-120"
    assert links.source(source) == "../../sources/a/"
    assert links.claim(claim, "evidence") == "../../claims/y/#evidence"
    assert links.claimant("jane") == "../../claimants/jane/"
    assert links.tag("t") == "../../tags/t/"
    assert links.page(SimpleNamespace(slug="about")) == "../../about/"


@pytest.mark.parametrize("first", ["", "tags/privacy/", "claimants/jane-doe/"])
def test_a_lists_first_page_keeps_its_address_and_the_others_follow_it(first):
    assert urls.list_page(first, 1) == first
    assert urls.list_page(first, 2) == f"{first}page/2/"
    assert urls.list_page(first, 12) == f"{first}page/12/"
    assert urls.output_file(urls.list_page(first, 3)) == f"{first}page/3/index.html"


@pytest.mark.parametrize("first", ["", "tags/privacy/", "claimants/jane-doe/"])
def test_links_between_the_pages_of_a_list_resolve_under_any_base(first):
    for base in ("https://example.org/", BASE, "http://127.0.0.1:8000/a/b/"):
        for here in (1, 2, 7):
            page = urls.list_page(first, here)
            links = urls.Links(page, base)
            for there in (1, 2, 7):
                link = links.list_page(first, there)
                assert not link.startswith(("/", "http"))
                assert urljoin(base + page, link) == base + urls.list_page(first, there)


def test_absolute():
    assert urls.absolute("claims/x/", BASE) == BASE + "claims/x/"
    assert urls.absolute("", BASE) == BASE


# --- text fragments ------------------------------------------------------------------------


def directive(link: str) -> str:
    base, _, text = link.partition("#:~:text=")
    assert base and text, link
    return text


def test_text_fragment_encodes_directive_characters():
    passage = "the so-called breach, Smith & Jones said"
    link = urls.text_fragment("https://news.example/story", [passage])
    assert link.startswith("https://news.example/story#:~:text=")
    text = directive(link)
    for char in "-,& ":
        assert char not in text
    assert "%2D" in text and "%2C" in text and "%26" in text
    assert unquote(text) == passage


def test_text_fragment_replaces_an_existing_fragment():
    link = urls.text_fragment("https://news.example/story#comments", ["a short quote"])
    assert link == "https://news.example/story#:~:text=a%20short%20quote"


def test_text_fragment_collapses_white_space():
    link = urls.text_fragment("https://n.example/", ["  a\n short   quote "])
    assert unquote(directive(link)) == "a short quote"


def test_text_fragment_of_eight_words_is_one_piece():
    passage = "one two three four five six seven eight"
    assert len(passage.split()) == 8
    text = directive(urls.text_fragment("https://n.example/", [passage]))
    assert "%2C" not in text and "," not in text
    assert unquote(text) == passage


def test_long_passage_uses_start_and_end():
    passage = "we never put out the fifty-million number, that was other parties, he said"
    words = passage.split()
    assert len(words) > 8
    text = directive(urls.text_fragment("https://n.example/", [passage]))
    start, end = text.split(",")
    assert unquote(start) == " ".join(words[:4])
    assert unquote(end) == " ".join(words[-4:])


def test_elided_quote_uses_start_of_first_part_and_end_of_last():
    parts = ["Mark Zuckerberg said on Wednesday", "he would not step down"]
    text = directive(urls.text_fragment("https://n.example/", parts))
    start, end = text.split(",")
    assert unquote(start) == "Mark Zuckerberg said on"
    assert unquote(end) == "would not step down"
