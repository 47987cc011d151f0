"""Readers with assistive technology: axe-core, the accessibility tree, and the keyboard.

Each page type of the bundled site (and pages of paginated lists, from a copy of it with a
smaller page size) is opened in Debian's headless Chromium from a local server
(tests/browser.py). axe-core (from the axe-playwright-python package) runs at WCAG 2.1 A and
AA in light mode, dark mode (`prefers-color-scheme: dark`) and print media, where its
color-contrast rule checks text against its background. What axe leaves to best practice is
checked here from Chromium's own accessibility tree, what screen readers read: landmarks, one
h1, headings in order, named navigation, the rating written out, charts with a text
alternative, and `lang` from site.yaml. The pages of the Arabic fixture site (ar-*) are
checked the same way, and are right to left. The keyboard test tabs through every link.

Each checker is also run on a small page built to fail it, so a checker that silently stopped
seeing anything would fail too.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

import pytest
from browser import (
    ARABIC_PAGE_TYPES,
    BUNDLED_PAGE_TYPES,
    PAGE_TYPES,
    LocalSite,
    browser_fixture,  # noqa: F401 (the `browser` fixture)
    bundled_server_fixture,  # noqa: F401 (the `bundled_server` fixture)
    local_context,
    open_page,
    unavailable,
)
from sitecheck import FIXTURES, REPO, Expected, load_expected

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]

# How a reader may meet a page: (media, color scheme). Printing from a browser in dark mode
# must give the same page as "print" (dark colours on paper are unreadable); a test below
# compares the two, so axe need not run on both.
MODES = {
    "light": ("screen", "light"),
    "dark": ("screen", "dark"),
    "print": ("print", "light"),
}

LANDMARKS = {"banner", "navigation", "main", "contentinfo", "complementary", "region", "search"}

# Page types whose pages show rating badges, and those that show a chart of figures.
WITH_BADGES = ["home", "claim", "claimant", "tag", "ratings", "rating", "methodology", "404"]
WITH_BADGES += ["list-first-page", "list-middle-page", "list-last-page"]
WITH_BADGES += [f"ar-{page_type}" for page_type in WITH_BADGES if f"ar-{page_type}" in PAGE_TYPES]
WITH_CHARTS = ["claim", "measure", "ar-claim", "ar-measure"]


@pytest.fixture(scope="module")
def expected() -> Expected:
    return load_expected(REPO)


@pytest.fixture(scope="module")
def arabic_expected() -> Expected:
    return load_expected(FIXTURES / "ar-site")


def expected_of(page_type: str, expected: Expected, arabic_expected: Expected) -> Expected:
    """What the site a page type comes from is expected to show."""
    return arabic_expected if page_type in ARABIC_PAGE_TYPES else expected


@pytest.fixture(scope="module")
def axe_source() -> str:
    """axe.min.js as the axe-playwright-python package ships it (no download at test time)."""
    try:
        from axe_playwright_python.base import AXE_FILE_PATH
    except ImportError:
        unavailable("axe-playwright-python is not installed (pip install -r requirements-dev.txt)")
    return Path(AXE_FILE_PATH).read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def shared_page(browser: Browser, bundled_server: LocalSite) -> Iterator[Page]:
    """One page for the module's tests, 1280 px wide, allowed to load from the local server only
    (a context per test would cost more than the tests)."""
    with local_context(browser, bundled_server, viewport={"width": 1280, "height": 900}) as ctx:
        yield ctx.new_page()


@pytest.fixture
def page(shared_page: Page) -> Page:
    """The shared page, back on screen in light mode."""
    shared_page.emulate_media(media="screen", color_scheme="light")
    return shared_page


# --- axe-core ------------------------------------------------------------------------------


def axe_violations(page: Page, axe_source: str) -> list[str]:
    """One line per element axe finds in violation of a WCAG 2.1 A or AA rule."""
    if not page.evaluate("typeof axe !== 'undefined'"):
        page.evaluate(axe_source)
    options = {"runOnly": {"type": "tag", "values": WCAG_TAGS}, "resultTypes": ["violations"]}
    results = page.evaluate("options => axe.run(document, options)", options)
    return [
        f"{rule['id']} ({rule['impact']}): {rule['help']}\n"
        f"    at {' '.join(node['target'])}: {node['html'][:160]}\n"
        f"    {node.get('failureSummary', '').replace(chr(10), ' ')}"
        for rule in results["violations"]
        for node in rule["nodes"]
    ]


def violations_in_every_mode(page: Page, axe_source: str) -> dict[str, list[str]]:
    found = {}
    for mode, (media, scheme) in MODES.items():
        page.emulate_media(media=media, color_scheme=scheme)
        found[mode] = axe_violations(page, axe_source)
    return found


@pytest.mark.parametrize("page_type", PAGE_TYPES)
def test_axe_finds_no_wcag_violation_in_light_dark_or_print(
    page: Page, bundled_server: LocalSite, axe_source: str, page_type: str
) -> None:
    open_page(page, bundled_server.page_url(page_type))
    found = violations_in_every_mode(page, axe_source)
    report = "\n".join(f"[{mode}] {line}" for mode, lines in found.items() for line in lines)
    assert not report, f"{page_type} page:\n{report}"


CANARY = """<!doctype html>
<html><head><title>Canary</title><style>
  .dark-only { color: #111; }
  @media (prefers-color-scheme: dark) { body { background: #000; } }
  @media print { .print-only { color: #eee; } }
</style></head>
<body><main><h1>Canary</h1>
<p class="dark-only">Readable in light mode only.</p>
<p class="print-only">Readable on screen only.</p>
<img src="data:image/gif;base64,R0lGODlhAQABAAAAACw=" width="1" height="1">
</main></body></html>"""


def test_axe_and_each_mode_catch_what_they_should(page: Page, axe_source: str) -> None:
    """The set-up can fail: a missing lang and alt in every mode, contrast only where it is bad."""
    page.set_content(CANARY)
    found = violations_in_every_mode(page, axe_source)
    rules = {mode: {line.split(" ")[0] for line in lines} for mode, lines in found.items()}
    assert {"html-has-lang", "image-alt"} <= rules["light"]
    assert "color-contrast" not in rules["light"]
    assert "color-contrast" in rules["dark"]
    assert "color-contrast" in rules["print"]


# The page's background, the rating badge's colour, and whether the navigation is shown.
LOOK = """() => ({
  background: getComputedStyle(document.body).backgroundColor,
  badge: getComputedStyle(document.querySelector('.badge')).color,
  nav: getComputedStyle(document.querySelector('nav')).display,
})"""


def test_dark_mode_and_print_change_the_bundled_pages(
    page: Page, bundled_server: LocalSite
) -> None:
    """The modes reach the stylesheet: dark mode darkens the page and its rating colours, print
    hides the navigation."""
    open_page(page, bundled_server.url(BUNDLED_PAGE_TYPES["claim"]))
    styles = {}
    for mode, (media, scheme) in MODES.items():
        page.emulate_media(media=media, color_scheme=scheme)
        styles[mode] = page.evaluate(LOOK)
    assert styles["dark"]["background"] != styles["light"]["background"]
    assert styles["dark"]["badge"] != styles["light"]["badge"]
    assert styles["print"]["nav"] == "none" != styles["light"]["nav"]


# Every colour of every element, as drawn.
COLOURS = """() => [...document.querySelectorAll('body, body *')].map((el, i) => {
  const s = getComputedStyle(el);
  const colours = [s.color, s.backgroundColor, s.borderTopColor, s.borderLeftColor,
    s.outlineColor, s.fill, s.stroke];
  return `${i} <${el.localName} class="${el.getAttribute('class') || ''}">: ${colours.join(' ')}`;
})"""


@pytest.mark.parametrize("page_type", PAGE_TYPES)
def test_printing_from_dark_mode_prints_the_light_page(
    page: Page, bundled_server: LocalSite, page_type: str
) -> None:
    """Print colours do not depend on the screen's scheme, so axe's print run covers both."""
    open_page(page, bundled_server.page_url(page_type))
    page.emulate_media(media="print", color_scheme="light")
    light = page.evaluate(COLOURS)
    page.emulate_media(media="print", color_scheme="dark")
    dark = page.evaluate(COLOURS)
    assert [b for a, b in zip(light, dark, strict=True) if a != b] == []


# --- the accessibility tree ------------------------------------------------------------------


@dataclass(frozen=True)
class AxNode:
    role: str
    name: str
    level: int | None
    landmark: str | None  # the nearest landmark around it, if any
    in_skip_link: bool


@dataclass(frozen=True)
class Snapshot:
    """What one page exposes: its accessibility tree, in document order, and a few DOM facts."""

    tree: list[AxNode]
    lang: str
    dom: dict[str, Any]

    def roles(self, *roles: str) -> list[AxNode]:
        return [node for node in self.tree if node.role in roles]


# Facts read from the DOM: the badges' visible text, each card's claim, each chart's rows.
DOM_FACTS = """() => {
  const visibleText = el => {
    const copy = el.cloneNode(true);
    copy.querySelectorAll('.visually-hidden').forEach(hidden => hidden.remove());
    return copy.textContent.trim();
  };
  const shown = el => { const r = el.getBoundingClientRect(); return r.width > 1 && r.height > 1; };
  return {
    mainId: document.querySelector('main') ? document.querySelector('main').id : '',
    badges: [...document.querySelectorAll('.badge')].map(
      badge => ({text: visibleText(badge), shown: shown(badge)})),
    cards: [...document.querySelectorAll('.card')].map(card => ({
      href: card.querySelector('.card-title a').href,
      badge: visibleText(card.querySelector('.badge'))})),
    verdict: [...document.querySelectorAll('.verdict .badge')].map(visibleText),
    charts: [...document.querySelectorAll('main svg')].map(svg => ({
      role: svg.getAttribute('role'), hidden: svg.getAttribute('aria-hidden'),
      rows: [...svg.querySelectorAll('.row-label')].map(t => t.textContent.trim())})),
    tableRows: document.querySelectorAll('main table.figures tbody tr').length,
    dir: document.documentElement.dir,
    directions: {
      main: getComputedStyle(document.querySelector('main')).direction,
      charts: [...document.querySelectorAll('main svg.chart text')].map(
        text => getComputedStyle(text).direction),
    },
  };
}"""


def accessibility_tree(page: Page, main_id: str) -> list[AxNode]:
    """Chromium's accessibility tree, unignored nodes in document order."""
    session = page.context.new_cdp_session(page)
    nodes = {node["nodeId"]: node for node in session.send("Accessibility.getFullAXTree")["nodes"]}
    session.detach()
    root = next(node for node in nodes.values() if "parentId" not in node)
    found: list[AxNode] = []

    def visit(node: dict[str, Any], landmark: str | None, in_skip_link: bool) -> None:
        role = node.get("role", {}).get("value", "")
        name = str(node.get("name", {}).get("value", ""))
        props = {p["name"]: p["value"].get("value") for p in node.get("properties", [])}
        if role in LANDMARKS:
            landmark = role
        if role == "link" and main_id and str(props.get("url", "")).endswith("#" + main_id):
            in_skip_link = True
        if not node.get("ignored"):
            found.append(AxNode(role, name, props.get("level"), landmark, in_skip_link))
        for child in node.get("childIds", []):
            if child in nodes:
                visit(nodes[child], landmark, in_skip_link)

    visit(root, None, False)
    return found


@pytest.fixture(scope="module")
def snapshots(shared_page: Page, bundled_server: LocalSite) -> dict[str, Snapshot]:
    """Every page type opened once; the tests below read what it exposes."""
    page = shared_page
    page.emulate_media(media="screen", color_scheme="light")
    found = {}
    for page_type in PAGE_TYPES:
        open_page(page, bundled_server.page_url(page_type))
        dom = page.evaluate(DOM_FACTS)
        tree = accessibility_tree(page, dom["mainId"])
        found[page_type] = Snapshot(tree, page.evaluate("document.documentElement.lang"), dom)
    return found


def landmark_problems(snapshot: Snapshot) -> list[str]:
    problems = []
    for role in ("banner", "main", "contentinfo"):
        count = len(snapshot.roles(role))
        if count != 1:
            problems.append(f"{count} {role} landmarks, not 1")
    navigation = [node.name for node in snapshot.roles("navigation")]
    if not navigation:
        problems.append("no navigation landmark")
    if "" in navigation or len(set(navigation)) != len(navigation):
        problems.append(f"navigation landmarks need distinct names: {navigation}")
    outside = [
        node.name
        for node in snapshot.roles("StaticText")
        if node.landmark is None and not node.in_skip_link and node.name.strip()
    ]
    if outside:
        problems.append(f"text outside every landmark: {outside[:5]}")
    return problems


def heading_problems(snapshot: Snapshot) -> list[str]:
    headings = [(node.level or 0, node.name) for node in snapshot.roles("heading")]
    problems = []
    if [level for level, _ in headings].count(1) != 1:
        problems.append("not exactly one level-1 heading")
    if headings and headings[0][0] != 1:
        problems.append(f"the first heading is not the h1: {headings[0]}")
    for (before, _), (level, name) in itertools.pairwise(headings):
        if level > before + 1:
            problems.append(f"h{before} is followed by h{level} ({name!r}): a level is skipped")
    problems += [f"empty h{level}" for level, name in headings if not name.strip()]
    return problems


@pytest.mark.parametrize("page_type", PAGE_TYPES)
def test_landmarks_hold_all_text_and_the_navigation_is_named(
    snapshots: dict[str, Snapshot], page_type: str
) -> None:
    assert landmark_problems(snapshots[page_type]) == []


@pytest.mark.parametrize("page_type", PAGE_TYPES)
def test_one_h1_and_headings_in_order(snapshots: dict[str, Snapshot], page_type: str) -> None:
    assert heading_problems(snapshots[page_type]) == []


@pytest.mark.parametrize("page_type", PAGE_TYPES)
def test_language_is_the_one_in_site_yaml(
    snapshots: dict[str, Snapshot], expected: Expected, arabic_expected: Expected, page_type: str
) -> None:
    assert snapshots[page_type].lang == expected_of(page_type, expected, arabic_expected).language


@pytest.mark.parametrize("page_type", PAGE_TYPES)
def test_arabic_pages_run_right_to_left_and_their_charts_left_to_right(
    snapshots: dict[str, Snapshot], page_type: str
) -> None:
    """As the browser lays them out: the text of an Arabic page right to left, and the text of
    its charts left to right, so that their labels, drawn from the axis's left end, do not run
    off it; every English page left to right."""
    dom = snapshots[page_type].dom
    direction = "rtl" if page_type in ARABIC_PAGE_TYPES else "ltr"
    assert (dom["dir"], dom["directions"]["main"]) == (direction, direction)
    assert set(dom["directions"]["charts"]) <= {"ltr"}


def test_structure_checks_catch_what_they_should() -> None:
    """Checkers fed a tree with no landmarks, two h1s, a skipped level and an unnamed nav."""
    tree = [
        AxNode("StaticText", "Loose text", None, None, False),
        AxNode("navigation", "", None, "navigation", False),
        AxNode("heading", "One", 1, None, False),
        AxNode("heading", "Three", 3, None, False),
        AxNode("heading", "One again", 1, None, False),
    ]
    snapshot = Snapshot(tree, "en", {})
    landmarks = " ".join(landmark_problems(snapshot))
    assert "0 main landmarks" in landmarks and "names" in landmarks and "Loose text" in landmarks
    headings = " ".join(heading_problems(snapshot))
    assert "not exactly one level-1" in headings and "h1 is followed by h3" in headings


@pytest.mark.parametrize("page_type", WITH_BADGES)
def test_the_rating_is_written_out_not_only_coloured(
    snapshots: dict[str, Snapshot], expected: Expected, arabic_expected: Expected, page_type: str
) -> None:
    """Every badge shows its rating's label as visible text, the right one for its claim."""
    expected = expected_of(page_type, expected, arabic_expected)
    dom = snapshots[page_type].dom
    labels = {rating.label for rating in expected.ratings}
    assert dom["badges"], f"the {page_type} page shows no rating"
    for badge in dom["badges"]:
        assert badge["text"] in labels and badge["shown"], badge
    for card in dom["cards"]:
        claim_id = re.fullmatch(r".*/claims/([^/]+)/", urlsplit(card["href"]).path).group(1)
        assert card["badge"] == expected.rating(claim_id).label, card
    if page_type in ("claim", "ar-claim"):
        claim_id = {**BUNDLED_PAGE_TYPES, **ARABIC_PAGE_TYPES}[page_type].split("/")[1]
        assert dom["verdict"] == [expected.rating(claim_id).label]


@pytest.mark.parametrize("page_type", WITH_CHARTS)
def test_charts_have_a_text_alternative(snapshots: dict[str, Snapshot], page_type: str) -> None:
    """Each chart is an image whose accessible name gives every row it draws; the measure page
    also has the data table, one row per figure."""
    snapshot = snapshots[page_type]
    charts = snapshot.dom["charts"]
    assert charts, f"the {page_type} page shows no chart"
    names = [node.name for node in snapshot.roles("image")]
    for chart in charts:
        assert chart["role"] == "img" or chart["hidden"] == "true", chart
        if chart["role"] == "img":
            assert chart["rows"], chart
            assert any(all(row in name for row in chart["rows"]) for name in names), (
                f"no image in the accessibility tree names every row of {chart['rows']}: {names}"
            )
    if page_type in ("measure", "ar-measure"):
        assert snapshot.dom["tableRows"] == len(charts[0]["rows"])


# --- the keyboard ----------------------------------------------------------------------------

# Numbers every element a keyboard user can reach, in document order, so the test can tell
# which one has the focus after each Tab.
NUMBER_FOCUSABLE = """() => {
  const all = [...document.querySelectorAll(
    'a[href], area[href], button, input, select, textarea, summary, [tabindex]')];
  const reachable = all.filter(el => el.tabIndex >= 0 && el.getClientRects().length > 0
    && getComputedStyle(el).visibility === 'visible');
  reachable.forEach((el, i) => el.setAttribute('data-focus-order', i));
  return reachable.length;
}"""

# What the focused element looks like: a focus indicator is an outline of 2px or more, or a
# box shadow, and the element must be in the viewport (the browser scrolls it there).
FOCUS_STATE = """() => {
  const el = document.activeElement;
  if (!el || el === document.body) return null;
  const style = getComputedStyle(el);
  const r = el.getBoundingClientRect();
  return {
    order: el.getAttribute('data-focus-order'),
    what: el.outerHTML.slice(0, 100),
    indicated: (style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) >= 2)
      || style.boxShadow !== 'none',
    inView: r.bottom > 0 && r.right > 0 && r.top < innerHeight && r.left < innerWidth,
  };
}"""


def tab_through(page: Page) -> list[str]:
    """Press Tab once per reachable element, then once more; the problems met on the way."""
    count = page.evaluate(NUMBER_FOCUSABLE)
    problems, order = [], []
    for _ in range(count):
        page.keyboard.press("Tab")
        state = page.evaluate(FOCUS_STATE)
        if state is None:
            break
        order.append(state["order"])
        if not state["indicated"]:
            problems.append(f"no visible focus indicator on {state['what']}")
        if not state["inView"]:
            problems.append(f"focused but out of view: {state['what']}")
    if order != [str(i) for i in range(count)]:
        problems.append(f"Tab reached {order}, not each of the {count} links in order")
    # Past the last link the focus leaves the page, or wraps round to the first link.
    page.keyboard.press("Tab")
    after = page.evaluate(FOCUS_STATE)
    if after is not None and after["order"] != "0":
        problems.append(f"Tab reached an element not counted: {after['what']}")
    return problems


@pytest.mark.parametrize("page_type", PAGE_TYPES)
def test_tab_reaches_every_link_in_order_with_visible_focus(
    page: Page, bundled_server: LocalSite, page_type: str
) -> None:
    open_page(page, bundled_server.page_url(page_type))
    assert tab_through(page) == []


def test_tabbing_catches_a_hidden_focus_and_a_jumbled_order(page: Page) -> None:
    # A fresh document: the shared page may keep where the previous page's focus was, and
    # Chromium then starts tabbing from there instead of from the top.
    page.goto("about:blank")
    page.set_content(
        "<style>a:focus { outline: none; }</style>"
        "<a href='#a'>one</a> <a href='#b'>two</a> <a href='#c' tabindex='1'>three</a>"
    )
    problems = " ".join(tab_through(page))
    assert "no visible focus indicator" in problems
    assert "Tab reached ['2', '0', '1']" in problems


def test_the_skip_link_shows_and_leads_into_main(page: Page, bundled_server: LocalSite) -> None:
    open_page(page, bundled_server.url(BUNDLED_PAGE_TYPES["claim"]))
    page.keyboard.press("Tab")
    skip = page.evaluate(
        "() => [document.activeElement.hash, document.activeElement.getBoundingClientRect().top]"
    )
    assert skip[0] == "#main" and skip[1] >= 0, "the skip link is the first stop, and visible"
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.closest('main') !== null")
