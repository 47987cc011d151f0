"""Security: nothing an editor writes reaches a reader as code, and YAML is only ever data.

A corpus of XSS payloads goes into every text field of a claim, a source, a measure, a page and
the site settings, and into an archived article; the site must build, show each payload as text,
and contain no element, attribute or link the payloads tried to create, in the HTML, the inline
SVG, the JSON-LD, the feed, the sitemap and claims.json. test_xss_browser.py opens the same site
in Chromium and checks that no script runs.
"""

from __future__ import annotations

import ast
import hashlib
import html
import json
import re
import shutil
import unicodedata
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import unquote

import pytest
import yaml
from bs4 import BeautifulSoup

from generator import pipeline
from generator.config import Options, Paths
from generator.diagnostics import Diagnostics, Location
from generator.load import validate
from generator.render import markdown

REPO = Path(__file__).resolve().parent.parent
FIXTURE = REPO / "tests" / "fixtures" / "minimal-site"
GENERATOR = REPO / "generator"

# Every payload that could run reports itself with this text (console.log or alert).
MARKER = "XSS-MARKER"

# Script tags, event handlers, breakouts from <script>, <title>, attributes and comments, SVG and
# MathML payloads, and encoded variants that must stay text rather than be decoded into markup.
PAYLOADS = [
    f"<script>console.log('{MARKER}')</script>",
    f"<SCRIPT SRC=data:text/javascript,console.log('{MARKER}')></SCRIPT>",
    f"<img src=x onerror=\"console.log('{MARKER}')\">",
    f"<svg onload=alert('{MARKER}')>",
    f"<svg><script>alert('{MARKER}')</script></svg>",
    f"<svg><a xlink:href=\"javascript:alert('{MARKER}')\"><text>t</text></a></svg>",
    f"\"><script>alert('{MARKER}')</script>",
    f"'><img src=x onerror=alert('{MARKER}')>",
    f'" autofocus onfocus="alert(\'{MARKER}\')" x="',
    f"' autofocus onfocus='alert(`{MARKER}`)' x='",
    f"</script><script>alert('{MARKER}')</script>",
    f"</title><script>alert('{MARKER}')</script>",
    f"</textarea></style></noscript><script>alert('{MARKER}')</script>",
    f"<!--<script>alert('{MARKER}')</script>-->",
    f"]]><script>alert('{MARKER}')</script>",
    f"<iframe srcdoc=\"<script>parent.alert('{MARKER}')</script>\"></iframe>",
    f"<a href=\"javascript:alert('{MARKER}')\">link</a>",
    f"javascript:alert('{MARKER}')",
    f"&lt;script&gt;alert('{MARKER}')&lt;/script&gt;",
    f"&#60;script&#62;alert('{MARKER}')&#60;/script&#62;",
    f"\\u003cscript\\u003ealert('{MARKER}')\\u003c/script\\u003e",
    f"<details open ontoggle=alert('{MARKER}')>",
    f"<math><mtext><table><mglyph><style><img src=x onerror=alert('{MARKER}')>",
    f'<meta http-equiv="refresh" content="0;url=javascript:alert(\'{MARKER}\')">',
    '<base href="https://evil.example/">',
    "{{ 7 * 7 }} {% raw %}",
]
TEXT = " ".join(PAYLOADS)

# Markdown fields get the payloads as blocks, and links with every scheme trick.
MARKDOWN_LINKS = [
    f"[a](javascript:alert('{MARKER}'))",
    f"[b](JaVaScRiPt:alert('{MARKER}'))",
    f"[c](<java\tscript:alert('{MARKER}')>)",
    f"[d](java&#x09;script:alert('{MARKER}'))",
    f"[e](&#106;avascript:alert('{MARKER}'))",
    f"[f](%6Aavascript:alert('{MARKER}'))",
    "[g](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    f"[h](vbscript:msgbox('{MARKER}'))",
    f"<javascript:alert('{MARKER}')>",
    f"![i](javascript:alert('{MARKER}'))",
    f"![j](x\" onerror=\"alert('{MARKER}'))",
    f"[k](https://example.org/\" onmouseover=\"alert('{MARKER}'))",
    "[l][r]",
    "",
    f"[r]: javascript:alert('{MARKER}')",
]
MARKDOWN = "\n\n".join([*PAYLOADS, *MARKDOWN_LINKS])

# A valid http(s) address that tries to break out of the attribute and the JSON-LD.
URL = f"https://example.org/a?b=\"><script>alert('{MARKER}')</script>&c='"

# The site's address: its path starts every link of the 404 page and every address of the
# sitemap and the feed.
BASE_URL = f"https://example.org/v\"'><script>alert('{MARKER}')</script>/"

# Schemes and scheme tricks that must never become a link.
SCHEME_TRICKS = [
    "javascript:alert(1)",
    " JaVaScRiPt:alert(1)",
    "\tjavascript:alert(1)",
    "java\tscript:alert(1)",
    "java\nscript:alert(1)",
    "&#106;avascript:alert(1)",
    "&#x6A;avascript:alert(1)",
    "java&#x09;script:alert(1)",
    "java&Tab;script:alert(1)",
    "%6Aavascript:alert(1)",
    "javascript%3Aalert(1)",
    "javascript\u200b:alert(1)",
    "\x00javascript:alert(1)",
    "data:text/html,<script>alert(1)</script>",
    "DATA:image/svg+xml;base64,PHN2Zz4=",
    "vbscript:msgbox(1)",
    " VBScript:msgbox(1)",
]

# The theme's own markup: anything else of these kinds was created by a payload.
FORBIDDEN_ELEMENTS = {
    "iframe",
    "frame",
    "object",
    "embed",
    "base",
    "form",
    "input",
    "textarea",
    "button",
    "math",
    "details",
    "img",
    "foreignobject",
    "animate",
    "set",
}
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "xlink:href", "data", "poster", "srcdoc"}


# --- the hostile site ----------------------------------------------------------------------


class _Dumper(yaml.SafeDumper):
    """Writes a value used twice in full: the generator refuses YAML aliases."""

    def ignore_aliases(self, data: Any) -> bool:
        return True


def dump(data: Any) -> str:
    return yaml.dump(data, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=1000)


def edit_yaml(path: Path, **changes: Any) -> dict[str, Any]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data.update(changes)
    path.write_text(dump(data), encoding="utf-8")
    return data


def hostile_site(folder: Path) -> Path:
    """The fixture site with a payload in every field a user writes; returns its root."""
    root = folder / "hostile-site"
    shutil.copytree(FIXTURE, root)
    content = root / "content"
    payload_site(content / "site.yaml")
    payload_source(root)
    payload_claims(content / "claims")
    (content / "measures").mkdir()
    (content / "measures" / "debt.yaml").write_text(
        dump({"title": TEXT, "unit": TEXT, "description": TEXT}), encoding="utf-8"
    )
    front = dump({"title": TEXT, "description": TEXT})
    (content / "pages" / "about.md").write_text(f"---\n{front}---\n{MARKDOWN}\n", "utf-8")
    return root


def payload_site(path: Path) -> None:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data.update(
        title=TEXT,
        description=TEXT,
        base_url=BASE_URL,
        publisher={"name": TEXT, "url": URL},
    )
    for rating in data["ratings"]:
        rating.update(label=f"{rating['label']} {TEXT}", description=TEXT)
    path.write_text(dump(data), encoding="utf-8")


def payload_source(root: Path) -> None:
    """An archived article quoting the payloads; every field of its YAML holds them too."""
    seed = root / "seeds" / "gazette-budget.txt"
    seed.write_text(seed.read_text(encoding="utf-8") + f"\nIl a dit : {TEXT} Fin.\n", "utf-8")
    edit_yaml(
        root / "content" / "sources" / "gazette-budget.yaml",
        outlet=TEXT,
        title=TEXT,
        author=TEXT,
        note=TEXT,
        url=URL,
        sha256=hashlib.sha256(seed.read_bytes()).hexdigest(),
    )


def payload_claims(folder: Path) -> None:
    for number, path in enumerate(sorted(folder.glob("*.yaml"))):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        data.update(
            claim=TEXT,
            claimant=TEXT,
            summary=TEXT,
            analysis=MARKDOWN,
            corrections=[{"date": data["published"], "text": TEXT}],
            figure={
                "measure": "debt",
                "value": 1000 * (number + 1),
                "bound": "about",
                "unit": TEXT,
                "counted": TEXT,
                "scope": TEXT,
            },
        )
        data["appearances"].append({"source": "gazette-budget", "quote": TEXT})
        data["evidence"] = [
            {"source": "gazette-budget", "quote": TEXT, "note": TEXT},
            {"url": URL, "title": TEXT, "note": TEXT},
        ]
        path.write_text(dump(data), encoding="utf-8")


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The hostile site, built; returns its output folder."""
    folder = tmp_path_factory.mktemp("hostile")
    root = hostile_site(folder)
    out = folder / "_site"
    result = pipeline.build(Paths.for_site(root, out), Options())
    assert result.ok, "\n".join(d.format() for d in result.diagnostics)
    return out


def output_files(out: Path, *suffixes: str) -> list[Path]:
    return sorted(p for p in out.rglob("*") if p.is_file() and p.suffix in suffixes)


# --- what a payload must not create --------------------------------------------------------


def dangerous_link(value: str) -> bool:
    """Whether a link, however encoded, would run code or load a document of its own."""
    decoded = unquote(html.unescape(value))
    visible = "".join(ch for ch in decoded if unicodedata.category(ch) not in {"Cc", "Cf", "Zs"})
    return re.match(r"(?i)(javascript|vbscript|data):", visible) is not None


def markup_problems(soup: BeautifulSoup) -> Iterator[str]:
    """Every element, attribute or link in a document that a payload could have created."""
    for script in soup.find_all("script"):
        if script.get("type") != "application/ld+json" or script.get("src"):
            yield f"executable <script>: {str(script)[:80]!r}"
        else:
            json.loads(script.string or "")  # JSON-LD that parses was not broken out of
    for tag in soup.find_all(True):
        if tag.name.lower() in FORBIDDEN_ELEMENTS:
            yield f"<{tag.name}> created: {str(tag)[:80]!r}"
        if tag.name.lower() == "meta" and tag.get("http-equiv"):
            yield f"<meta http-equiv> created: {str(tag)[:80]!r}"
        for attr, value in tag.attrs.items():
            if attr.lower().startswith("on"):
                yield f"<{tag.name} {attr}> event handler"
            if attr.lower() in {"autofocus", "srcdoc"}:
                yield f"<{tag.name} {attr}> attribute"
            if attr.lower() in URL_ATTRIBUTES and dangerous_link(str(value)):
                yield f"<{tag.name} {attr}={value!r}> runs code"


def test_the_hostile_site_builds_and_shows_each_payload_as_text(hostile: Path) -> None:
    claim = BeautifulSoup(
        (hostile / "claims" / "dette-doublee" / "index.html").read_text("utf-8"), "html.parser"
    )
    assert " ".join(claim.find("h1").get_text().split()) == " ".join(TEXT.split())
    shown = " ".join(claim.get_text().split())
    for payload in PAYLOADS:
        assert " ".join(payload.split()) in shown, payload
    # Markdown raw HTML is shown as text; the unsafe links are not links.
    analysis_links = [a.get("href") for a in claim.select("main a")]
    assert not [href for href in analysis_links if href and dangerous_link(href)]


def test_no_page_holds_markup_a_payload_created(hostile: Path) -> None:
    pages = output_files(hostile, ".html")
    assert len(pages) > 15
    problems = [
        f"{page.relative_to(hostile)}: {problem}"
        for page in pages
        for problem in markup_problems(without_the_search_form(page, hostile))
    ]
    assert problems == []


def without_the_search_form(page: Path, out: Path) -> BeautifulSoup:
    """A page's document; the search page's without the theme's own form, its button and its
    script (search.html), which must be there exactly once: one more was a payload's."""
    soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
    if page.relative_to(out).as_posix() != "search/index.html":
        return soup
    theme = [
        *soup.select(".search > form.search-form"),
        *soup.select(".search button.search-more"),
        *soup.select('script[src="../static/search.js"]'),
    ]
    assert len(theme) == 3, theme
    for element in theme:
        element.decompose()
    return soup


def test_the_inline_svg_charts_hold_the_payloads_as_text(hostile: Path) -> None:
    page = hostile / "discrepancies" / "debt" / "index.html"
    soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
    svg = soup.find("svg")
    assert svg is not None
    assert svg.find("script") is None
    assert " ".join(TEXT.split()) in " ".join(svg.find("title").get_text().split())
    assert list(markup_problems(BeautifulSoup(str(svg), "html.parser"))) == []


def test_the_json_ld_holds_the_payloads_as_data(hostile: Path) -> None:
    page = hostile / "claims" / "dette-doublee" / "index.html"
    raw = page.read_text(encoding="utf-8")
    soup = BeautifulSoup(raw, "html.parser")
    (script,) = soup.find_all("script")
    review = json.loads(script.string)
    assert review["claimReviewed"] == TEXT
    assert review["itemReviewed"]["author"]["name"] == TEXT
    # No text can close the element: the only "</script" in the page is the real one.
    assert raw.lower().count("</script") == 1
    assert "<!--" not in script.string


def test_xml_outputs_are_well_formed_and_hold_no_markup(hostile: Path) -> None:
    xml_files = output_files(hostile, ".xml")
    assert xml_files, "no feed or sitemap to check"
    for path in xml_files:
        tree = ET.parse(path)  # a payload that broke the escaping would break the XML
        for element in tree.iter():
            assert not str(element.tag).lower().endswith("script"), path
            assert not [a for a in element.attrib if a.lower().startswith("on")], path
            # Text that a reader renders as HTML must not hold markup either.
            if element.text and "<" in element.text and element.get("type") == "html":
                soup = BeautifulSoup(element.text, "html.parser")
                assert list(markup_problems(soup)) == [], path
            for value in element.attrib.values():
                assert not dangerous_link(value), (path, value)


def test_the_feed_carries_the_payloads_as_text(hostile: Path) -> None:
    feed = hostile / "feed.xml"
    if not feed.is_file():
        pytest.skip("no feed in this build")
    texts = [e.text or "" for e in ET.parse(feed).iter()]
    assert TEXT in texts


def strings(data: Any) -> Iterator[str]:
    if isinstance(data, str):
        yield data
    elif isinstance(data, dict):
        for value in data.values():
            yield from strings(value)
    elif isinstance(data, list):
        for value in data:
            yield from strings(value)


def test_json_outputs_hold_the_payloads_as_data(hostile: Path) -> None:
    # Pagefind's entry file names its index chunks, no text (test_xss_browser.py searches).
    for path in output_files(hostile, ".json"):
        if path.parent.name == "pagefind":
            continue
        data = json.loads(path.read_text(encoding="utf-8"))
        assert TEXT in set(strings(data)), path


# --- links ---------------------------------------------------------------------------------


@pytest.mark.parametrize("url", SCHEME_TRICKS)
def test_scheme_tricks_never_become_links_in_markdown(url: str) -> None:
    assert markdown.is_safe_link(url) is False
    for text in (
        f"[x]({url})",
        f"[x](<{url}>)",
        f"<{url}>",
        f"![x]({url})",
        f"[x][r]\n\n[r]: <{url}>",
    ):
        soup = BeautifulSoup(markdown.render(text), "html.parser")
        links = [t.get("href") or t.get("src") for t in soup.find_all(["a", "img"])]
        assert [link for link in links if link and dangerous_link(link)] == [], text
        assert not soup.find("img"), text


@pytest.mark.parametrize("url", SCHEME_TRICKS)
def test_scheme_tricks_are_refused_in_yaml_url_fields(url: str) -> None:
    # Every address a content file may hold is one of the schemas' two kinds of address.
    assert not validate.is_valid("url", url)
    assert not validate.is_valid("contact_url", url)
    for schema, key in [("site", "base_url"), ("site", "submit_url"), ("source", "url")]:
        properties = validate.documents()[f"{schema}.schema.json"]["properties"]
        assert properties[key]["$ref"].endswith(("/url", "/contact_url")), (schema, key)


def test_a_scheme_trick_in_a_source_url_is_a_located_error(tmp_path: Path) -> None:
    root = tmp_path / "site"
    shutil.copytree(FIXTURE, root)
    source = root / "content" / "sources" / "gazette-budget.yaml"
    source.write_text(
        source.read_text("utf-8").replace(
            "url: https://example.org/gazette/budget-2031", 'url: " JaVaScRiPt:alert(1)"'
        ),
        "utf-8",
    )
    result = pipeline.build(Paths.for_site(root, tmp_path / "_site"), Options())
    assert not result.ok
    (error,) = result.diagnostics
    assert (error.path, error.line) == ("content/sources/gazette-budget.yaml", 7)
    assert error.message == "'url' must be an http(s) address, not ' JaVaScRiPt:alert(1)'"
    assert not (tmp_path / "_site").exists()


def test_safe_links_still_work_after_the_checks() -> None:
    for url in ("https://example.org/a%3Ab", "mailto:desk@example.org", "../claims/x/", "#p2"):
        assert markdown.is_safe_link(url), url


# --- slugs hold no payload -----------------------------------------------------------------


@pytest.mark.parametrize(
    "tag",
    [f"<script>alert('{MARKER}')</script>", '" onmouseover="x', "../../etc", "Budget", "x" * 101],
)
def test_a_payload_in_a_tag_is_an_error(tmp_path: Path, tag: str) -> None:
    root = tmp_path / "site"
    shutil.copytree(FIXTURE, root)
    claim = root / "content" / "claims" / "dette-doublee.yaml"
    edit_yaml(claim, tags=["budget", tag])
    result = pipeline.build(Paths.for_site(root, tmp_path / "_site"), Options())
    assert not result.ok
    (error,) = [d for d in result.diagnostics if d.severity == "error"]
    assert error.path == "content/claims/dette-doublee.yaml"
    assert error.line >= 1
    assert "'tags'" in error.message
    assert not (tmp_path / "_site").exists()


def test_control_characters_in_text_are_located_errors() -> None:
    diags = Diagnostics()
    text = {"$ref": "common.schema.json#/$defs/text"}
    for char in "\x00\x0b\x1b\x7f\x85\ufffe":
        assert not validate.check(f"a{char}b", text, Location("content/claims/x.yaml", 3, 8), diags)
    assert len(diags.errors) == 6
    assert all(e.line == 3 and "control character" in e.message for e in diags.errors)


# --- YAML is data only ---------------------------------------------------------------------

UNSAFE_YAML = {
    "load",
    "load_all",
    "unsafe_load",
    "unsafe_load_all",
    "full_load",
    "full_load_all",
    "Loader",
    "CLoader",
    "UnsafeLoader",
    "CUnsafeLoader",
    "FullLoader",
    "CFullLoader",
    "Constructor",
    "UnsafeConstructor",
    "FullConstructor",
}


def yaml_attributes(tree: ast.AST) -> Iterator[tuple[str, int]]:
    """Names the code takes from the yaml module: `yaml.x`, `yaml.constructor.x`, imports."""
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute):
            base = node.value
            while isinstance(base, ast.Attribute):
                base = base.value
            if isinstance(base, ast.Name) and base.id == "yaml":
                yield node.attr, node.lineno
        elif isinstance(node, ast.ImportFrom) and (node.module or "").startswith("yaml"):
            for alias in node.names:
                yield alias.name, node.lineno
        elif isinstance(node, ast.Constant) and node.value in UNSAFE_YAML - {"Loader"}:
            yield node.value, node.lineno  # getattr(yaml, "UnsafeLoader") and the like


def test_the_generator_uses_only_safe_yaml_loaders() -> None:
    found = [
        f"{path.name}:{line}: yaml.{name}"
        for path in sorted(GENERATOR.rglob("*.py"))
        for name, line in yaml_attributes(ast.parse(path.read_text(encoding="utf-8")))
        if name in UNSAFE_YAML
    ]
    assert found == []
    # And the scan finds what it looks for.
    assert list(yaml_attributes(ast.parse("import yaml\nyaml.load(x, Loader=yaml.Loader)"))) == [
        ("load", 2),
        ("Loader", 2),
    ]


def test_a_python_tag_is_refused_and_never_run(tmp_path: Path) -> None:
    root = tmp_path / "site"
    shutil.copytree(FIXTURE, root)
    witness = tmp_path / "pwned"
    claim = root / "content" / "claims" / "dette-doublee.yaml"
    text = claim.read_text("utf-8").replace(
        "claimant: Gaston Ferrand",
        f"claimant: !!python/object/apply:os.system ['touch {witness}']",
    )
    claim.write_text(text, "utf-8")
    result = pipeline.build(Paths.for_site(root, tmp_path / "_site"), Options())
    assert not result.ok
    assert not witness.exists()
    (error,) = result.diagnostics
    assert (error.line, error.col) == (3, 11)  # line 1 names the file's schema
    assert error.message == "YAML tag '!!python/object/apply:os.system' is not allowed"


TEMPLATES = REPO / "theme" / "templates"
# The only values templates may print unescaped: HTML the generator made safe itself (Markdown
# without raw HTML, the escaped JSON-LD, the chart built with html.escape).
TRUSTED_HTML = {"claim_review", "analysis", "body", "view.chart"}


def test_templates_print_unescaped_only_what_the_generator_made_safe() -> None:
    unescaped = {
        match.group(1)
        for path in TEMPLATES.rglob("*.html")
        for match in re.finditer(r"\{\{\s*([\w.]+)\s*\|\s*safe\s*\}\}", path.read_text("utf-8"))
    }
    assert unescaped <= TRUSTED_HTML
    for path in TEMPLATES.rglob("*.html"):
        text = path.read_text(encoding="utf-8")
        assert "autoescape false" not in text, path
        assert not re.search(r"\|\s*safe\b", re.sub(r"\{\{\s*[\w.]+\s*\|\s*safe\s*\}\}", "", text))
