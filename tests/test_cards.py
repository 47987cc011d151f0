"""Share cards: size, format, determinism, fitting, contrast and right-to-left shaping."""

from __future__ import annotations

import io
import os
from pathlib import Path

import pytest
from PIL import Image, ImageChops, ImageDraw

from generator.render import cards

REPO = Path(__file__).resolve().parent.parent
STYLESHEET = (REPO / "theme" / "static" / "style.css").read_text(encoding="utf-8")

CLAIM = "Facebook says no more than 30 million people had their data taken."
ARGS = dict(
    claim=CLAIM,
    claimant="Mark Zuckerberg",
    rating_label="Mostly accurate",
    rating_colour="#2f6a1d",
    site_title="The Zuckerberg press call, checked",
)
ARABIC = dict(
    claim="قال المتحدث إن عدد المستخدمين لا يتجاوز 30 مليون مستخدم في Facebook.",
    claimant="مارك زوكربيرغ",
    rating_label="غير دقيق",
    rating_colour="#a32018",
    site_title="التحقق من الأخبار",
    direction="rtl",
    language="ar",
)


@pytest.fixture(name="raqm")
def raqm_fixture() -> None:
    """Skip without Raqm on a developer's machine; fail under CI=true, where .ci/run installs
    what it needs (libfribidi0), so a skip there would hide a broken setup."""
    if cards.raqm_available():
        return
    reason = "Pillow's Raqm layout is unavailable (apt-get install libfribidi0)"
    if os.environ.get("CI") == "true":
        pytest.fail(f"{reason}: CI must run the right-to-left card tests", pytrace=False)
    pytest.skip(reason)


def image(png: bytes) -> Image.Image:
    card = Image.open(io.BytesIO(png))
    card.load()
    return card.convert("RGB")


def test_a_card_is_a_1200_by_630_png() -> None:
    png = cards.card_png(**ARGS)
    assert png.startswith(b"\x89PNG\r\n\x1a\n")
    card = Image.open(io.BytesIO(png))
    assert card.format == "PNG"
    assert card.size == (1200, 630)
    # Small enough for thousands of them in a site.
    assert len(png) < 60_000


def test_the_same_card_is_the_same_bytes_and_carries_no_metadata() -> None:
    png = cards.card_png(**ARGS)
    assert cards.card_png(**ARGS) == png
    card = Image.open(io.BytesIO(png))
    # No time, text or resolution chunks: nothing in the file but the pixels.
    assert card.info == {}
    chunks = _chunk_types(png)
    assert not {b"tIME", b"tEXt", b"iTXt", b"zTXt", b"pHYs"} & set(chunks)


def _chunk_types(png: bytes) -> list[bytes]:
    types, at = [], 8
    while at < len(png):
        length = int.from_bytes(png[at : at + 4], "big")
        types.append(png[at + 4 : at + 8])
        at += 12 + length
    return types


def test_a_different_rating_makes_a_different_card() -> None:
    accurate = image(cards.card_png(**ARGS))
    inaccurate = image(cards.card_png(**{**ARGS, "rating_label": "Inaccurate"}))
    recoloured = image(cards.card_png(**{**ARGS, "rating_colour": "#a32018"}))
    band = (0, cards.BAND_TOP, cards.WIDTH, cards.HEIGHT)
    # The words differ in the band, the colour differs across it; the rest is the same card.
    assert ImageChops.difference(accurate, inaccurate).getbbox() is not None
    assert _within(ImageChops.difference(accurate, inaccurate).getbbox(), band)
    assert recoloured.getpixel((5, 625)) == (0xA3, 0x20, 0x18)
    assert accurate.getpixel((5, 625)) == (0x2F, 0x6A, 0x1D)


def _within(box: tuple[int, int, int, int] | None, outer: tuple[int, int, int, int]) -> bool:
    assert box is not None
    return outer[0] <= box[0] and outer[1] <= box[1] and box[2] <= outer[2] and box[3] <= outer[3]


def test_each_text_is_drawn_where_the_card_says() -> None:
    card = image(cards.card_png(**ARGS))
    bare = image(cards.card_png(**{**ARGS, "claim": "", "claimant": "", "site_title": ""}))
    # Title, claim and claimant above the band; the band holds the rating and nothing else.
    drawn = ImageChops.difference(card, bare).getbbox()
    assert drawn is not None and drawn[3] <= cards.BAND_TOP
    label = ImageChops.difference(bare, _blank_band("#2f6a1d")).getbbox()
    assert label is not None and label[1] >= cards.BAND_TOP


def _blank_band(colour: str) -> Image.Image:
    blank = Image.new("RGB", (cards.WIDTH, cards.HEIGHT), cards.BACKGROUND)
    ImageDraw.Draw(blank).rectangle((0, cards.BAND_TOP, 1199, 629), fill=colour)
    return blank


@pytest.mark.parametrize(
    "long",
    [
        {"claim": "Facebook said so " * 60},
        {"claim": "https://example.org/" + "a-very-long-address-without-spaces" * 12},
        {"claimant": "A spokesperson for the company " * 8},
        {"rating_label": "Partly accurate but missing important context " * 4},
        {"site_title": "A site title " * 20},
    ],
)
def test_long_text_stays_inside_the_margins(long: dict[str, str]) -> None:
    png = cards.card_png(**{**ARGS, **long})
    _assert_margins_blank(image(png), band_colour=(0x2F, 0x6A, 0x1D))
    _assert_one_ramp_per_row(png)


def test_long_arabic_text_stays_inside_the_margins(raqm: None) -> None:
    png = cards.card_png(**{**ARABIC, "claim": ARABIC["claim"] * 8})
    _assert_margins_blank(image(png), band_colour=(0xA3, 0x20, 0x18))
    _assert_one_ramp_per_row(png)


def _assert_one_ramp_per_row(png: bytes) -> None:
    """No text strays off its own ground (see cards.LEVELS): on another, its anti-aliased edge
    would take the colours of someone else's shades. Grounds run the card's full width, so a
    row holding indices of two ramps is a text that strayed."""
    indices = Image.open(io.BytesIO(png))
    assert indices.mode == "P"
    for y in range(cards.HEIGHT):
        row = indices.crop((0, y, cards.WIDTH, y + 1)).getcolors(maxcolors=256)
        assert row is not None
        assert len({index // cards.LEVELS for _, index in row}) == 1, f"row {y}"


def _assert_margins_blank(card: Image.Image, band_colour: tuple[int, int, int]) -> None:
    """Nothing but the background (above the band) and the band's colour within the margins."""
    m, w, top = cards.MARGIN, cards.WIDTH, cards.BAND_TOP
    white = (255, 255, 255)
    for box, colour in [
        ((0, 0, w, m), white),  # above the title
        ((0, 0, m, top), white),  # left of the text
        ((w - m, 0, w, top), white),  # right of the text
        ((0, top, m, cards.HEIGHT), band_colour),  # the band's ends
        ((w - m, top, w, cards.HEIGHT), band_colour),
    ]:
        colours = card.crop(box).getcolors(maxcolors=4)
        assert colours is not None and {c for _, c in colours} == {colour}, box


def test_a_long_claim_is_cut_with_an_ellipsis_at_the_smallest_size() -> None:
    style = cards.Styles(cards.FONT_FOLDER, "ltr", None, cards.raqm_available())
    lines = cards.fit("word " * 200, style(cards.BOLD, cards.CLAIM_MIN), 1072, 4)
    assert len(lines) == 4
    assert lines[-1].endswith("…")
    assert all(style(cards.BOLD, cards.CLAIM_MIN).width(line) <= 1072 for line in lines)
    assert cards.fit("two words", style(cards.BOLD, 40), 1072, 4) == ["two words"]


def test_contrast_ratios_follow_wcag() -> None:
    assert cards.contrast_ratio("#000000", "#ffffff") == pytest.approx(21)
    assert cards.contrast_ratio("#fff", "#fff") == pytest.approx(1)
    # Known values: #767676 is the lightest grey with 4.5:1 on white, #777777 just misses it.
    assert cards.contrast_ratio("#767676", "#ffffff") == pytest.approx(4.54, abs=0.01)
    assert cards.contrast_ratio("#777777", "#ffffff") == pytest.approx(4.48, abs=0.01)
    assert cards.text_colour_on("#a32018") == cards.WHITE
    assert cards.text_colour_on("#ffc08a") == cards.BLACK


@pytest.mark.parametrize(
    "band",
    [
        "#000000",
        "#ffffff",
        "#777777",
        "#767676",
        "#808080",
        "#ff0000",
        "#00ff00",
        "#0000ff",
        "#ffff00",
        "#1e90ff",
        "#a84a00",
    ],
)
def test_the_rating_reads_on_any_band(band: str) -> None:
    assert cards.contrast_ratio(cards.text_colour_on(band), band) >= cards.MIN_CONTRAST


def test_the_themes_tones_give_each_rating_a_readable_band() -> None:
    tones = cards.theme_tones(STYLESHEET)
    assert sorted(tones) == [1, 2, 3, 4, 5]
    # The light palette's, not the dark one's (the card is a light image).
    assert tones[1] == "#a32018"
    for colour in tones.values():
        assert cards.contrast_ratio(cards.text_colour_on(colour), colour) >= cards.MIN_CONTRAST
    # As the badge macro works it out: five steps map one to one, worst to best.
    assert [cards.tone(value, 5) for value in range(1, 6)] == [1, 2, 3, 4, 5]
    assert [cards.tone(value, 3) for value in range(1, 4)] == [1, 3, 5]


def test_arabic_is_joined_and_set_right_to_left(raqm: None) -> None:
    face = cards.font(cards.FONT_FOLDER, cards.REGULAR, 64, raqm=True)
    basic = cards.font(cards.FONT_FOLDER, cards.REGULAR, 64, raqm=False)
    # "بيت" as Raqm sets it must be, pixel for pixel, its contextual forms (final teh, medial
    # yeh, initial beh: U+FE96 U+FEF4 U+FE91) drawn left to right without shaping. Unshaped,
    # it would be three isolated letters in the wrong order.
    shaped = _drawn("بيت", face, direction="rtl")
    assert shaped.tobytes() == _drawn("\ufe96\ufef4\ufe91", basic).tobytes()
    assert shaped.tobytes() != _drawn("بيت", basic).tobytes()
    # Joined letters are narrower than the same letters standing alone.
    assert face.getlength("بببب", direction="rtl") < 0.6 * basic.getlength("بببب")


def _drawn(text: str, face: object, **options: str) -> Image.Image:
    canvas = Image.new("L", (400, 120))
    ImageDraw.Draw(canvas).text((20, 20), text, font=face, fill=255, **options)
    return canvas


def test_a_right_to_left_card_is_aligned_to_the_right(raqm: None) -> None:
    card = image(cards.card_png(**{**ARABIC, "claim": "بيت", "claimant": "", "site_title": ""}))
    bare = image(cards.card_png(**{**ARABIC, "claim": "", "claimant": "", "site_title": ""}))
    left, _, right, _ = ImageChops.difference(card, bare).getbbox()
    # The word ends at the right margin, far from the left one.
    assert cards.WIDTH - cards.MARGIN - 8 <= right <= cards.WIDTH - cards.MARGIN
    assert left > cards.WIDTH // 2
    assert cards.card_png(**ARABIC) == cards.card_png(**ARABIC)


def test_without_raqm_left_to_right_text_works_and_right_to_left_text_is_refused(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(cards, "raqm_available", lambda: False)
    assert image(cards.card_png(**ARGS)).size == (1200, 630)
    with pytest.raises(cards.CardError, match=r"Raqm.*libfribidi0"):
        cards.card_png(**ARABIC)
    # Arabic inside a left-to-right site (a name, a quotation) would come out just as wrong.
    with pytest.raises(cards.CardError, match="Raqm"):
        cards.card_png(**{**ARGS, "claimant": "مارك زوكربيرغ"})


def test_characters_the_font_lacks_are_refused_by_name() -> None:
    assert cards.missing_glyphs("Zuckerberg’s “30 million” — déjà vu, Ελλάδα, Москва") == ""
    assert cards.missing_glyphs("日本 और") == "日本और"
    with pytest.raises(cards.CardError, match=r"U\+65E5"):
        cards.card_png(**{**ARGS, "claim": "日本"})


def test_bad_arguments_are_refused() -> None:
    with pytest.raises(cards.CardError, match="direction"):
        cards.card_png(**{**ARGS, "direction": "down"})  # type: ignore[arg-type]
    with pytest.raises(cards.CardError, match="colour"):
        cards.card_png(**{**ARGS, "rating_colour": "greenish"})


def test_the_alt_text_says_the_claim_the_claimant_and_the_rating_in_words() -> None:
    alt = cards.alt_text("No more than\n30 million.", "Mark Zuckerberg", "Mostly accurate")
    assert alt == "Fact-check. Mark Zuckerberg: “No more than 30 million.” Rating: Mostly accurate."
    assert cards.alt_text("A claim.", "", "Unproven") == "Fact-check. “A claim.” Rating: Unproven."


def test_the_font_is_bundled_with_its_licence() -> None:
    fonts = REPO / "theme" / "fonts"
    assert (fonts / cards.REGULAR).is_file() and (fonts / cards.BOLD).is_file()
    licence = (fonts / "LICENSE").read_text(encoding="utf-8")
    assert "Bitstream Vera Fonts Copyright" in licence and "Arev Fonts Copyright" in licence
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    assert "DejaVu" in readme and "theme/fonts/LICENSE" in readme
