"""Markdown: editors' text rendered without raw HTML or script links."""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup

from generator.render import markdown


def soup(text: str, heading_offset: int = 0) -> BeautifulSoup:
    return BeautifulSoup(markdown.render(text, heading_offset), "html.parser")


@pytest.mark.parametrize(
    "html",
    [
        "<script>alert(1)</script>",
        '<img src="x" onerror="alert(1)">',
        '<iframe src="https://evil.example/"></iframe>',
        "<div onclick='alert(1)'>block</div>",
    ],
)
def test_raw_html_block_is_escaped_not_rendered(html):
    out = markdown.render(f"Intro.\n\n{html}\n")
    parsed = BeautifulSoup(out, "html.parser")
    assert [t.name for t in parsed.find_all(True)] == ["p", "p"]
    # The markup is shown to the reader as text.
    assert parsed.get_text().strip().endswith(html)
    assert html not in out


def test_inline_html_is_escaped():
    out = markdown.render("Some <b onclick=x>bold</b> text")
    assert "&lt;b onclick=x&gt;bold&lt;/b&gt;" in out
    assert soup("Some <b onclick=x>bold</b> text").find("b") is None


@pytest.mark.parametrize(
    "url",
    [
        "javascript:alert(1)",
        "JavaScript:alert(1)",
        "JAVASCRIPT:alert(1)",
        "data:text/html;base64,PHNjcmlwdD4=",
        "vbscript:msgbox(1)",
        "&#106;avascript:alert(1)",
        "file:///etc/passwd",
    ],
)
def test_unsafe_link_schemes_are_not_links(url):
    for text in (f"[click]({url})", f"[click][r]\n\n[r]: {url}", f"<{url}>", f"![img]({url})"):
        parsed = soup(text)
        assert parsed.find("a") is None, text
        assert parsed.find("img") is None, text
        assert all(
            "javascript" not in str(value).lower()
            for tag in parsed.find_all(True)
            for value in tag.attrs.values()
        )


@pytest.mark.parametrize(
    "url",
    [
        "https://example.org/page",
        "http://example.org/",
        "mailto:editor@example.org",
        "../claims/x/",
        "/about/",
        "#p3",
        "about/",
    ],
)
def test_safe_links_are_links(url):
    link = soup(f"See [this]({url}).").find("a")
    assert link is not None
    assert link["href"] == url
    assert link.get_text() == "this"


def test_autolink_to_https_is_a_link():
    link = soup("<https://example.org/x>").find("a")
    assert link["href"] == "https://example.org/x"


def test_query_string_ampersand_is_escaped_in_the_attribute():
    out = markdown.render("[q](https://example.org/?a=1&b=2)")
    assert 'href="https://example.org/?a=1&amp;b=2"' in out


@pytest.mark.parametrize(
    ("url", "safe"),
    [
        ("https://x.org", True),
        ("HTTP://x.org", True),
        ("mailto:a@b.org", True),
        ("relative/path", True),
        ("#frag", True),
        ("?q=1", True),
        ("javascript:alert(1)", False),
        ("  javascript:alert(1)", False),
        ("vbscript:x", False),
        ("data:text/html,x", False),
        ("ftp://x.org", False),
    ],
)
def test_is_safe_link(url, safe):
    assert markdown.is_safe_link(url) is safe


def test_headings_without_offset_are_unchanged():
    parsed = soup("# A\n\n## B\n\n### C\n")
    assert [h.name for h in parsed.find_all(["h1", "h2", "h3", "h4", "h5", "h6"])] == [
        "h1",
        "h2",
        "h3",
    ]


@pytest.mark.parametrize("offset", [1, 2])
def test_heading_offset_demotes_headings(offset):
    parsed = soup("# A\n\n## B\n\n### C\n\nText.\n", offset)
    headings = parsed.find_all(["h1", "h2", "h3", "h4", "h5", "h6"])
    assert [h.name for h in headings] == [f"h{1 + offset}", f"h{2 + offset}", f"h{3 + offset}"]
    assert [h.get_text() for h in headings] == ["A", "B", "C"]
    # Opening and closing tags agree.
    out = markdown.render("# A\n\n## B\n", offset)
    assert f"<h{1 + offset}>A</h{1 + offset}>" in out
    assert f"<h{2 + offset}>B</h{2 + offset}>" in out


def test_heading_offset_never_goes_past_h6():
    out = markdown.render("# A\n\n## B\n\n###### F\n", 5)
    parsed = BeautifulSoup(out, "html.parser")
    assert {h.name for h in parsed.find_all(True)} == {"h6"}
    assert "<h7" not in out and "<h8" not in out


def test_tables_and_emphasis_render():
    parsed = soup("*a* **b**\n\n| x | y |\n|---|---|\n| 1 | 2 |\n")
    assert parsed.find("em").get_text() == "a"
    assert parsed.find("strong").get_text() == "b"
    assert [td.get_text() for td in parsed.find_all("td")] == ["1", "2"]
