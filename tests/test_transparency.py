"""Transparency pages: the log of every correction, and the footer every page shares, linking to
corrections, methodology, about and submit-a-claim (what the IFCN code of principles asks a
fact-checker's site to show). Run on the bundled site, the fixture site, and variants of it."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import yaml
from sitecheck import (
    Built,
    html_files,
    load_expected,
    main,
    markdown_words,
    page_problems,
    parse,
    resolve,
    text_of,
    words,
)

from generator import pipeline
from generator.config import Options, Paths

# The footer's navigation (labelled "Transparency" in English, in the site's language).
FOOTER = "footer nav[aria-label]"


def edit_yaml(path: Path, **changes) -> None:
    """Rewrite a content file with keys changed, keeping its schema line."""
    lines = path.read_text("utf-8").split("\n", 1)
    data = {**yaml.safe_load(lines[1]), **changes}
    path.write_text(lines[0] + "\n" + yaml.safe_dump(data, allow_unicode=True), "utf-8")


def rebuild(root: Path, out: Path) -> Built:
    result = pipeline.build(Paths.for_site(root, out), Options(strict=True))
    assert result.ok, "\n".join(d.format() for d in result.diagnostics)
    return Built(root, out, load_expected(root))


def expected_corrections(built: Built) -> list[tuple[str, str, str]]:
    """(date, claim id, text) of every correction, newest first; a day's by claim id."""
    found = [
        (c["date"], cid, c["text"].strip(), i)
        for cid, data in sorted(built.expected.claims.items())
        for i, c in enumerate(sorted(data.get("corrections", []), key=lambda c: c["date"]))
    ]
    found.sort(key=lambda f: (-f[0].toordinal(), f[1], -f[3]))
    return [(d.isoformat(), cid, text) for d, cid, text, _ in found]


def listed_corrections(built: Built) -> list[tuple[str, str, str]]:
    """(date, claim id, text) as /corrections/ lists them, checking where each link leads."""
    page_file = built.out / "corrections" / "index.html"
    found = []
    for item in main(parse(page_file)).select("ol.corrections-log > li"):
        date, text = item.find_all("p")
        link = date.find("a")
        target, fragment = resolve(page_file, link["href"], built.out)
        claim_id = target.parent.name
        assert target == built.out / "claims" / claim_id / "index.html"
        assert fragment == "corrections"
        section = parse(target).find(id="corrections")
        assert section is not None and text_of(section) == built.expected.t("claim.corrections")
        assert text_of(link) == " ".join(built.expected.claim_text(claim_id).split())
        found.append((date.find("time")["datetime"], claim_id, text_of(text)))
    return found


def test_corrections_page_lists_every_correction_newest_first(built: Built) -> None:
    listed = listed_corrections(built)
    assert listed == expected_corrections(built)
    page = main(built.page("corrections/"))
    if not listed:
        assert built.expected.t("corrections.none") in text_of(page)


def test_corrections_across_claims_and_on_one_day_are_ordered(tmp_path: Path, fixture_site) -> None:
    root = fixture_site("minimal-site")
    claims = root / "content" / "claims"
    edit_yaml(
        claims / "dette-doublee.yaml",
        corrections=[
            {"date": dt.date(2031, 3, 2), "text": "Same day as another claim's correction."},
            {"date": dt.date(2031, 4, 1), "text": "The newest correction of the site."},
        ],
    )
    edit_yaml(
        claims / "piscine-sans-emprunt.yaml",
        corrections=[{"date": dt.date(2031, 2, 25), "text": "The oldest one."}],
    )
    built = rebuild(root, tmp_path / "_site")
    listed = listed_corrections(built)
    assert listed == expected_corrections(built)
    assert [d for d, _, _ in listed] == sorted((d for d, _, _ in listed), reverse=True)
    assert len(listed) == 5
    assert listed[0][2] == "The newest correction of the site."
    assert listed[1][:2] == ("2031-03-10", "impots-stables")
    # Two claims corrected on 2 March 2031: by claim id.
    assert listed[2][1:] == ("dette-doublee", "Same day as another claim's correction.")
    assert listed[3][:2] == ("2031-03-02", "impots-stables")
    assert listed[-1][2] == "The oldest one."


def test_the_corrections_policy_opens_the_corrections_page(bundled: Built) -> None:
    policy = bundled.expected.pages["corrections"]
    soup = bundled.page("corrections/")
    assert page_problems(soup, bundled.expected.language) == []
    heading = main(soup).find("h2", id="policy")
    assert text_of(heading) == policy["title"]
    section = heading.find_parent("section")
    assert words(text_of(section))[len(words(policy["title"])) :] == markdown_words(policy["body"])
    # It is not a page of its own, nor in the header's navigation.
    assert not (bundled.out / "corrections-policy").exists()
    assert policy["title"] not in [text_of(a) for a in soup.select("header nav a")]


def test_without_a_policy_the_corrections_page_has_the_log_only(minimal: Built) -> None:
    soup = minimal.page("corrections/")
    assert page_problems(soup, minimal.expected.language) == []
    assert main(soup).find(id="policy") is None
    exp = minimal.expected
    assert [text_of(h) for h in main(soup).find_all(["h1", "h2"])] == [
        exp.t("title.corrections"),
        exp.t("corrections.all"),
    ]


def footer_targets(built: Built) -> dict[str, str]:
    """URL path -> link text of the footer links every page must have."""
    exp = built.expected
    wanted = {
        "corrections/": exp.t("title.corrections"),
        "methodology/": exp.t("title.methodology"),
    }
    if "about" in exp.pages:
        wanted["about/"] = exp.pages["about"]["title"]
    if "submit" in exp.pages or exp.site.get("submit_url"):
        wanted["submit/"] = exp.pages.get("submit", {}).get("title", exp.t("title.submit"))
    return wanted


def test_every_page_footer_links_the_transparency_pages(built: Built) -> None:
    wanted = footer_targets(built)
    base_path = urlsplit(built.expected.base_url).path
    files = html_files(built.out)
    assert len(files) > 10
    for page_file in files:
        soup = parse(page_file)
        (nav,) = soup.select(FOOTER)
        links = nav.select("a")
        shown = {}
        for link in links:
            if page_file.name == "404.html":  # links from the base path, for any depth
                assert link["href"].startswith(base_path)
                target = built.out / link["href"].removeprefix(base_path) / "index.html"
            else:
                target, _ = resolve(page_file, link["href"], built.out)
            assert target.is_file(), (page_file, link["href"])
            path = target.relative_to(built.out).as_posix().removesuffix("index.html")
            shown[path] = text_of(link)
        assert shown == wanted, page_file
        here = page_file.relative_to(built.out).as_posix().removesuffix("index.html")
        current = [a["href"] for a in links if a.get("aria-current") == "page"]
        assert len(current) == (1 if here in wanted else 0), page_file


def test_the_bundled_site_ships_about_and_submit_pages(bundled: Built) -> None:
    about = bundled.expected.pages["about"]["body"]
    for heading in ("## Who publishes this site", "## Funding", "## Staff", "## Contact"):
        assert heading in about
    assert "issue tracker" in about
    submit = bundled.page("submit/")
    assert page_problems(submit, "en") == []
    page = bundled.expected.pages["submit"]
    assert words(text_of(main(submit))) == words(page["title"]) + markdown_words(page["body"])
    # No submit_url: the demonstration has no address of its own, and invents none.
    assert "submit_url" not in bundled.expected.site
    assert not main(submit).select("a[href^='mailto:']")


@pytest.mark.parametrize(
    ("url", "text"),
    [
        ("mailto:desk@example.org", "Envoyez l’affirmation par courriel à desk@example.org."),
        ("https://example.org/valbrume/submit-form", "Nous soumettre une affirmation à vérifier"),
    ],
)
def test_a_submit_url_gives_a_submit_page_with_its_link(
    tmp_path: Path, fixture_site, url: str, text: str
) -> None:
    root = fixture_site("minimal-site")
    edit_yaml(root / "content" / "site.yaml", submit_url=url)
    built = rebuild(root, tmp_path / "_site")
    soup = built.page("submit/")
    assert page_problems(soup, "fr") == []
    assert text_of(soup.find("h1")) == built.expected.t("title.submit")
    link = main(soup).select_one("p.submit-link")
    assert text_of(link) == text and link.find("a")["href"] == url
    footer = [a["href"] for a in built.page("").select(f"{FOOTER} a")]
    assert footer[-1] == "./submit/"


def test_without_a_submit_page_or_address_there_is_no_submit_link(minimal: Built) -> None:
    assert not (minimal.out / "submit").exists()
    shown = [text_of(a) for a in minimal.page("").select(f"{FOOTER} a")]
    assert minimal.expected.t("title.submit") not in shown


def test_a_submit_url_must_be_mailto_or_http(fixture_site, tmp_path: Path) -> None:
    root = fixture_site("minimal-site")
    edit_yaml(root / "content" / "site.yaml", submit_url="javascript:alert(1)")
    result = pipeline.build(Paths.for_site(root, tmp_path / "_site"), Options())
    (error,) = result.diagnostics
    assert error.path == "content/site.yaml" and error.line > 1
    assert (
        error.message
        == "'submit_url' must be a mailto: or http(s) address, not 'javascript:alert(1)'"
    )
    assert error.hint.startswith("write it as mailto:")
