"""Figures, bound words, quotations and speakers read per language: each table's numbers and
bounds, and what each must not misread."""

from __future__ import annotations

import pytest
from test_anchoring import make_source, ref

from generator import languages, suggest
from generator.analyse import anchoring, discrepancies
from generator.analyse.figures import bound_before, parse_numbers, read_bound
from generator.diagnostics import Diagnostics
from generator.languages import (
    ARABIC,
    ENGLISH,
    FRENCH,
    GERMAN,
    LANGUAGES,
    PORTUGUESE,
    SPANISH,
)

NNBSP, NBSP = "\u202f", "\u00a0"


# --- lookup ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("tag", "code"),
    [("en", "en"), ("en-GB", "en"), ("fr-CA", "fr"), ("FR", "fr"), ("pt_BR", "pt"),
     ("es-419", "es"), ("de-CH", "de"), ("ar-EG", "ar"), ("ru", None), ("", None)],
)  # fmt: skip
def test_a_table_is_found_by_the_primary_subtag(tag: str, code: str | None) -> None:
    found = languages.lookup(tag)
    assert (found.code if found else None) == code


@pytest.mark.parametrize(
    ("tag", "direction"),
    [("ar", "rtl"), ("ar-EG", "rtl"), ("ar_MA", "rtl"), ("he", "rtl"), ("fa-IR", "rtl"),
     ("ur", "rtl"), ("ckb", "rtl"), ("ar-XX", "rtl"), ("en", "ltr"), ("fr-CA", "ltr"),
     ("zh-Hant-TW", "ltr"), ("tr", "ltr"), ("zz", "ltr"), ("", "ltr"), ("x-private", "ltr")],
)  # fmt: skip
def test_the_direction_of_a_language_is_cldrs(tag: str, direction: str) -> None:
    """Right to left for the languages CLDR writes so, whether or not they have a table; a tag
    CLDR does not know is looked up by its primary subtag, then taken as left to right."""
    assert languages.direction(tag) == direction


def test_every_table_is_complete() -> None:
    assert languages.supported() == "ar, de, en, es, fr, pt"
    for language in LANGUAGES.values():
        assert language.bounds and language.not_bounds and language.speech_verbs
        assert set(language.bounds.values()) <= {"about", "at-least", "at-most"}
        # A look-alike is never in the lexicon itself.
        assert not set(language.not_bounds) & set(language.bounds)


# --- numbers ---------------------------------------------------------------------------------

# (language, text, [(number as written, value), ...]): every number the text holds.
NUMBERS = [
    # English, as before: commas group, the point is decimal.
    (ENGLISH, "1.000 users", [("1.000", 1.0)]),
    (ENGLISH, "1,000 users", [("1,000", 1000.0)]),
    (ENGLISH, "1,5 users", [("1", 1.0)]),
    (ENGLISH, "up to 87 million users", [("87 million", 87e6)]),
    (ENGLISH, "1 billion", [("1 billion", 1e9)]),
    (ENGLISH, "87 millions", [("87", 87.0)]),
    # French: spaces group (all three kinds), the comma is decimal.
    (FRENCH, "12 000 foyers", [("12 000", 12_000.0)]),
    (FRENCH, f"12{NNBSP}000 foyers", [(f"12{NNBSP}000", 12_000.0)]),
    (FRENCH, f"311{NBSP}127 votants", [(f"311{NBSP}127", 311_127.0)]),
    (FRENCH, "12.000 foyers", [("12.000", 12_000.0)]),
    (FRENCH, "1,5 million", [("1,5 million", 1.5e6)]),
    (FRENCH, "1,500 tonne", [("1,500", 1.5)]),
    (FRENCH, "2,4 millions d’euros", [("2,4 millions", 2.4e6)]),
    (FRENCH, "87 millions", [("87 millions", 87e6)]),
    (FRENCH, "3 milliards", [("3 milliards", 3e9)]),
    (FRENCH, "1 billion", [("1 billion", 1e12)]),
    (FRENCH, "4 Mds€", [("4 Mds", 4e9)]),
    (FRENCH, "cinquante millions", [("cinquante millions", 50e6)]),
    (FRENCH, "quatre-vingt-dix-sept", [("quatre-vingt-dix-sept", 97.0)]),
    (FRENCH, "soixante et onze", [("soixante et onze", 71.0)]),
    (FRENCH, "vingt-et-un", [("vingt-et-un", 21.0)]),
    (FRENCH, "deux cent mille", [("deux cent mille", 200_000.0)]),
    (FRENCH, "mille", [("mille", 1000.0)]),
    (FRENCH, "un million", [("un million", 1e6)]),
    (FRENCH, "nonante-neuf", [("nonante-neuf", 99.0)]),
    # Spanish
    (SPANISH, "12.000 votos", [("12.000", 12_000.0)]),
    (SPANISH, "87 millones", [("87 millones", 87e6)]),
    (SPANISH, "1,5 millones", [("1,5 millones", 1.5e6)]),
    (SPANISH, "dos mil millones", [("dos mil millones", 2e9)]),
    (SPANISH, "3 mil millones", [("3 mil millones", 3e9)]),
    (SPANISH, "1 billón", [("1 billón", 1e12)]),
    (SPANISH, "ciento veinte mil", [("ciento veinte mil", 120_000.0)]),
    (SPANISH, "treinta y dos", [("treinta y dos", 32.0)]),
    (SPANISH, "cincuenta millones", [("cincuenta millones", 50e6)]),
    # Portuguese: Brazil's "bilhão" and Portugal's "bilião" differ by a thousand.
    (PORTUGUESE, "87 milhões", [("87 milhões", 87e6)]),
    (PORTUGUESE, "1,5 bilhão", [("1,5 bilhão", 1.5e9)]),
    (PORTUGUESE, "1,5 bilião", [("1,5 bilião", 1.5e12)]),
    (PORTUGUESE, "300 mil", [("300 mil", 300_000.0)]),
    (PORTUGUESE, "R$ 87 mi", [("87 mi", 87e6)]),
    (PORTUGUESE, "cento e vinte", [("cento e vinte", 120.0)]),
    (PORTUGUESE, "mil e quinhentos", [("mil e quinhentos", 1500.0)]),
    (PORTUGUESE, "vinte e duas", [("vinte e duas", 22.0)]),
    # German: points group, "Mio." and "Mrd." scale, "Billion" is a million millions.
    (GERMAN, "1.000 Euro", [("1.000", 1000.0)]),
    (GERMAN, "1.000,50 Euro", [("1.000,50", 1000.5)]),
    (GERMAN, "12'000 Franken", [("12'000", 12_000.0)]),
    (GERMAN, "87 Mio. Nutzer", [("87 Mio.", 87e6)]),
    (GERMAN, "2,5 Mrd. Euro", [("2,5 Mrd.", 2.5e9)]),
    (GERMAN, "87 Millionen", [("87 Millionen", 87e6)]),
    (GERMAN, "1 Billion", [("1 Billion", 1e12)]),
    (GERMAN, "siebenundachtzig Millionen", [("siebenundachtzig Millionen", 87e6)]),
    (GERMAN, "eine Million", [("eine Million", 1e6)]),
    (GERMAN, "zweihundert", [("zweihundert", 200.0)]),
    # Arabic: Western and Arabic-Indic digits, the Arabic separators (U+066C groups, U+066B is
    # decimal) or the comma and the point; the singular scale after 11 and more, the plural
    # after 3 to 10, the dual alone.
    (ARABIC, "12,000 زائر", [("12,000", 12_000.0)]),
    (ARABIC, "١٢٬٥٠٠ زائر", [("١٢٬٥٠٠", 12_500.0)]),
    (ARABIC, "١٫٢ مليون دينار", [("١٫٢ مليون", 1.2e6)]),
    (ARABIC, "1.5 مليون دينار", [("1.5 مليون", 1.5e6)]),
    (ARABIC, "٨٧ مليون مستخدم", [("٨٧ مليون", 87e6)]),
    (ARABIC, "۸۷ مليون", [("۸۷ مليون", 87e6)]),
    (ARABIC, "40 ألف زائر", [("40 ألف", 40_000.0)]),
    (ARABIC, "25 ألفاً", [("25 ألفا", 25_000.0)]),
    (ARABIC, "6 آلاف", [("6 آلاف", 6000.0)]),
    (ARABIC, "6 الاف", [("6 الاف", 6000.0)]),
    (ARABIC, "3 مليارات", [("3 مليارات", 3e9)]),
    (ARABIC, "2 بليون", [("2 بليون", 2e9)]),
    (ARABIC, "ثلاثة آلاف", [("ثلاثة آلاف", 3000.0)]),
    (ARABIC, "ستة ملايين", [("ستة ملايين", 6e6)]),
    (ARABIC, "خمسة وعشرون ألفا", [("خمسة وعشرون ألفا", 25_000.0)]),
    (ARABIC, "ثلاث عشرة", [("ثلاث عشرة", 13.0)]),
    (ARABIC, "ثلاثمائة", [("ثلاثمائة", 300.0)]),
    (ARABIC, "ثلاث مئة", [("ثلاث مئة", 300.0)]),
    (ARABIC, "مئتا ألف", [("مئتا ألف", 200_000.0)]),
    (ARABIC, "مليونين", [("مليونين", 2e6)]),
    (ARABIC, "ألفي زائر", [("ألفي", 2000.0)]),
    (ARABIC, "اربعة الاف", [("اربعة الاف", 4000.0)]),
    (ARABIC, "20 في المئة", [("20", 20.0)]),
]


@pytest.mark.parametrize(
    ("language", "text", "expected"), NUMBERS, ids=[f"{n[0].code}:{n[1]}" for n in NUMBERS]
)
def test_numbers(language: languages.Language, text: str, expected: list) -> None:
    found = [(m.text, m.value) for m in parse_numbers(text, language)]
    assert found == expected
    for mention in parse_numbers(text, language):
        assert text[mention.start : mention.end] == mention.text


# What each language must not read as a number, or must not cut short.
NOT_NUMBERS = [
    # "1.5" is no French number: read as 1 it would be wrong, so it is not read at all.
    (FRENCH, "1.5 tonne"),
    (SPANISH, "1.5 toneladas"),
    # Articles are one only before a scale word.
    (FRENCH, "une hausse, un budget"),
    (SPANISH, "una escuela, un alumno"),
    (PORTUGUESE, "mais de uma vez"),
    (GERMAN, "ein Mann, eine Frau"),
    # Per cent is no hundred.
    (FRENCH, "pour cent"),
    (SPANISH, "por ciento"),
    (PORTUGUESE, "por cento"),
    # Digits glued to letters are no figure.
    (GERMAN, "3er Gruppe"),
    # Arabic: "تسع" is also the verb "holds", and "ألف" alone the verb "authored" (ألّف): a
    # hall that holds a thousand people, a writer who wrote a book. A Maghreb decimal comma
    # ("1,5") is not read, rather than read as 1 or 15; nor digits glued to a word.
    (ARABIC, "قاعة تسع ألف شخص"),
    (ARABIC, "ألف الكاتب كتابا"),
    (ARABIC, "1,5 مليون"),
    (ARABIC, "ب87 مليون"),
    (ARABIC, "الـ300"),
    (ARABIC, "بالمئة"),
]


@pytest.mark.parametrize(("language", "text"), NOT_NUMBERS)
def test_what_is_not_a_number(language: languages.Language, text: str) -> None:
    assert parse_numbers(text, language) == []


def test_one_text_read_in_two_languages() -> None:
    assert [m.value for m in parse_numbers("1.000", GERMAN)] == [1000.0]
    assert [m.value for m in parse_numbers("1.000", ENGLISH)] == [1.0]
    assert [m.value for m in parse_numbers("1 billion", FRENCH)] == [1e12]
    assert [m.value for m in parse_numbers("1 billion", ENGLISH)] == [1e9]


# --- bound words -----------------------------------------------------------------------------

# (language, text, value, bound, the phrase as written): the bound read before the value.
BOUNDS = [
    (FRENCH, "jusqu'à 87 millions d'utilisateurs", 87e6, "at-most", "jusqu'à"),
    (FRENCH, "jusqu’à 87 millions d’utilisateurs", 87e6, "at-most", "jusqu’à"),
    (FRENCH, f"plus de 6{NNBSP}000 foyers", 6000, "at-least", "plus de"),
    (FRENCH, "plus d’un million de foyers", 1e6, "at-least", "plus d’"),
    (FRENCH, "au moins 300 élèves", 300, "at-least", "au moins"),
    (FRENCH, "pas moins de 300 élèves", 300, "at-least", "pas moins de"),
    (FRENCH, "moins de 300 élèves", 300, "at-most", "moins de"),
    (FRENCH, "pas plus de 300 élèves", 300, "at-most", "pas plus de"),
    (FRENCH, "environ 300 élèves", 300, "about", "environ"),
    (FRENCH, "près de cinquante millions", 50e6, "about", "près de"),
    (FRENCH, "Au   maximum 12 000 places", 12_000, "at-most", "Au   maximum"),
    (SPANISH, "hasta 87 millones de usuarios", 87e6, "at-most", "hasta"),
    (SPANISH, "más de 12.000 votos", 12_000, "at-least", "más de"),
    (SPANISH, "no más de 12.000 votos", 12_000, "at-most", "no más de"),
    (SPANISH, "al menos 300 alumnos", 300, "at-least", "al menos"),
    (SPANISH, "cerca de 300 alumnos", 300, "about", "cerca de"),
    (SPANISH, "unos 300 alumnos", 300, "about", "unos"),
    (PORTUGUESE, "até 87 milhões de usuários", 87e6, "at-most", "até"),
    (PORTUGUESE, "mais de 1,5 bilhão", 1.5e9, "at-least", "mais de"),
    (PORTUGUESE, "pelo menos 300 alunos", 300, "at-least", "pelo menos"),
    (PORTUGUESE, "cerca de 300 alunos", 300, "about", "cerca de"),
    (GERMAN, "bis zu 87 Mio. Nutzer", 87e6, "at-most", "bis zu"),
    (GERMAN, "mehr als 1.000 Schüler", 1000, "at-least", "mehr als"),
    (GERMAN, "nicht mehr als 1.000 Schüler", 1000, "at-most", "nicht mehr als"),
    (GERMAN, "mindestens 300 Schüler", 300, "at-least", "mindestens"),
    (GERMAN, "Rund 2,5 Milliarden Euro", 2.5e9, "about", "Rund"),
    (GERMAN, "ca. 300 Schüler", 300, "about", "ca."),
    (ARABIC, "أكثر من 40 ألف زائر", 40_000, "at-least", "أكثر من"),
    (ARABIC, "اكثر من 40 ألف زائر", 40_000, "at-least", "اكثر من"),
    (ARABIC, "وأكثر من ٤٠ ألف زائر", 40_000, "at-least", "وأكثر من"),
    (ARABIC, "ما يصل إلى 30 ألف زائر", 30_000, "at-most", "ما يصل إلى"),
    (ARABIC, "ما يصل الى 30 ألف زائر", 30_000, "at-most", "ما يصل الى"),
    (ARABIC, "حتى 30 ألف زائر", 30_000, "at-most", "حتى"),
    (ARABIC, "لا يزيد عن 1.5 مليون دينار", 1.5e6, "at-most", "لا يزيد عن"),
    (ARABIC, "يزيد عن 1.5 مليون دينار", 1.5e6, "at-least", "يزيد عن"),
    (ARABIC, "ما لا يقل عن ٣٠٠ طالب", 300, "at-least", "ما لا يقل عن"),
    (ARABIC, "على الأقل 300 طالب", 300, "at-least", "على الأقل"),
    (ARABIC, "أقل من 300 طالب", 300, "at-most", "أقل من"),
    (ARABIC, "نحو ٢٥ ألفا", 25_000, "about", "نحو"),
    (ARABIC, "ارتفع بنحو 300 شخص", 300, "about", "بنحو"),
    (ARABIC, "حوالي ثلاثة آلاف", 3000, "about", "حوالي"),
    (ARABIC, "قرابة ١٫٢ مليون", 1.2e6, "about", "قرابة"),
]


@pytest.mark.parametrize(
    ("language", "text", "value", "bound", "words"),
    BOUNDS,
    ids=[f"{b[0].code}:{b[1]}" for b in BOUNDS],
)
def test_bound_words(
    language: languages.Language, text: str, value: float, bound: str, words: str
) -> None:
    reading = read_bound(text, value, language)
    assert (reading.found, reading.bound, reading.words) == (True, bound, words)


# (language, text, value): the value is found, and no bound precedes it.
NOT_BOUNDS = [
    # A bound phrase before a word is no bound: "plus de détails" bounds nothing.
    (FRENCH, "plus de détails sur les 300 000 cas", 300_000),
    (FRENCH, "De plus, 300 élèves attendent", 300),
    (FRENCH, "au plus tard 2031 ; 300 élèves", 300),
    (SPANISH, "acerca de 300 alumnos", 300),
    (SPANISH, "más de la mitad: 300 alumnos", 300),
    (PORTUGUESE, "acerca de 300 alunos", 300),
    (GERMAN, "von 10 bis 20 Schülern", 20),
    (GERMAN, "unter 1.000 Befragten", 1000),
    (GERMAN, "rund um die Uhr, 300 Schüler", 300),
    (ARABIC, "حتى الآن 300 شخص", 300),
    (ARABIC, "أكثر من نصف السكان، أي 300 شخص", 300),
    (ARABIC, "دون 300 دينار", 300),
    (ARABIC, "بين 300 و400", 300),
    (ARABIC, "من 300 إلى 400", 400),
    # English words are not French bounds, nor French words English ones.
    (FRENCH, "up to 87 millions", 87e6),
    (ENGLISH, "jusqu'à 87 million", 87e6),
]


@pytest.mark.parametrize(("language", "text", "value"), NOT_BOUNDS)
def test_what_is_not_a_bound(language: languages.Language, text: str, value: float) -> None:
    reading = read_bound(text, value, language)
    assert (reading.found, reading.bound, reading.words) == (True, None, "")


@pytest.mark.parametrize("language", LANGUAGES.values(), ids=lambda lang: lang.code)
def test_every_phrase_of_every_table_is_read(language: languages.Language) -> None:
    for phrase, bound in language.bounds.items():
        space = "" if phrase.endswith("'") else " "
        text = f"x {phrase}{space}300 y"
        assert bound_before(text, text.index("300"), language) == (bound, phrase), phrase
        # Capitalised, as at the start of a sentence.
        text = f"{phrase[0].upper()}{phrase[1:]}{space}300"
        assert bound_before(text, text.index("300"), language) == (bound, text[:-3].rstrip())


@pytest.mark.parametrize("language", LANGUAGES.values(), ids=lambda lang: lang.code)
def test_no_look_alike_is_read_as_a_bound(language: languages.Language) -> None:
    for phrase in language.not_bounds:
        text = f"x {phrase} 300 y"
        found = bound_before(text, text.index("300"), language)
        # Either nothing, or a shorter phrase the look-alike ends with, read as documented.
        assert found is None or len(found[1]) < len(phrase), (phrase, found)


# --- quotations ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "quote",
    [
        "a déclaré : « Nous ferons mieux ! »",
        'a déclaré: "Nous ferons mieux!"',
        "a déclaré : «Nous ferons mieux !»",
        "Nous ferons mieux !",
    ],
)
def test_french_typographic_spaces_are_typography(quote: str) -> None:
    text = (
        f"La maire a déclaré{NNBSP}: «{NBSP}Nous ferons mieux{NNBSP}!{NBSP}» Puis elle est partie."
    )
    index = anchoring.SourceIndex(make_source(text), FRENCH)
    finding = index.find(ref(quote))
    assert finding.anchor is not None, finding.message
    start, end = finding.anchor.spans[0]
    assert text[start:end].split()[-1] in ("»", "!")


def test_english_keeps_its_spaces() -> None:
    text = "He said : « We will »."
    assert anchoring.SourceIndex(make_source(text)).find(ref('said: "We will"')).anchor is None


def test_the_language_is_the_sources_or_the_sites() -> None:
    french = make_source("x")
    assert anchoring.quotation_language(french, "fr-CA") is FRENCH
    assert anchoring.quotation_language(french, "ru") is ENGLISH  # shared typography only
    assert anchoring.quotation_language(french, "ar-EG") is ARABIC


# Arabic: short vowels, shadda and tatweel are written or left out, and so is the hamza on an
# alef; a quotation matches with them or without, and its highlight covers the source's own.
ARABIC_TEXT = "قال المحافظ: «إنّ المهرجان استقبل أكثـر من أربعين ألف زائرٍ» ثم غادر."


@pytest.mark.parametrize(
    "quote",
    [
        "إنّ المهرجان استقبل أكثـر من أربعين ألف زائرٍ",
        "إن المهرجان استقبل أكثر من أربعين ألف زائر",
        "ان المهرجان استقبل اكثر من اربعين الف زائر",
        "إِنَّ المَهرجانَ استقبلَ أكثرَ من أربعينَ ألفَ زائرٍ",
    ],
)
def test_arabic_vowels_tatweel_and_hamza_are_written_or_not(quote: str) -> None:
    index = anchoring.SourceIndex(make_source(ARABIC_TEXT), ARABIC)
    finding = index.find(ref(quote))
    assert finding.anchor is not None, finding.message
    ((start, end),) = finding.anchor.spans
    # From the first letter to the last, the final tanween included.
    assert ARABIC_TEXT[start:end] == "إنّ المهرجان استقبل أكثـر من أربعين ألف زائرٍ"


@pytest.mark.parametrize(
    "quote",
    [
        # Other letters are other words: ى is not ي ("على" on, "علي" Ali), nor ة ه.
        "إن المهرجان استقبل أكثر من أربعين ألف زائري",
        "المهرجان استقبل اكثر من اربعين الف زائره",
    ],
)
def test_arabic_letters_are_never_changed(quote: str) -> None:
    index = anchoring.SourceIndex(make_source(ARABIC_TEXT), ARABIC)
    assert index.find(ref(quote)).anchor is None


def test_only_arabic_drops_its_marks() -> None:
    index = anchoring.SourceIndex(make_source(ARABIC_TEXT))
    assert index.find(ref("إنّ المهرجان استقبل أكثـر من")).anchor is not None
    assert index.find(ref("ان المهرجان استقبل اكثر من")).anchor is None


# --- speakers --------------------------------------------------------------------------------

SPEAKERS = [
    (FRENCH, "« Nous ne fermerons aucune école », a assuré Paul Durand.", "Paul Durand"),
    (FRENCH, "Selon la maire, « nous ne fermerons aucune école ».", ""),
    (FRENCH, "D’après Paul Durand, « nous ne fermerons aucune école ».", "Paul Durand"),
    (SPANISH, "«No cerraremos ninguna escuela», dijo Ana Ruiz.", "Ana Ruiz"),
    (SPANISH, "Según Ana Ruiz, «no cerraremos ninguna escuela».", "Ana Ruiz"),
    (PORTUGUESE, "“Não vamos fechar nenhuma escola”, disse João Silva.", "João Silva"),
    (GERMAN, "„Wir schließen keine Schule“, sagte Anna Berg.", "Anna Berg"),
    (GERMAN, "Laut Anna Berg »schließen wir keine Schule«.", "Anna Berg"),
    # Arabic has no capital letters to tell a name by: the statement is listed, its speaker not.
    (ARABIC, "قالت سلمى الحداد: «لن نغلق أي مدرسة هذا العام».", ""),
]


@pytest.mark.parametrize(("language", "text", "speaker"), SPEAKERS)
def test_speakers(language: languages.Language, text: str, speaker: str) -> None:
    (found,) = [s for s in suggest.candidates(text, "a.txt", language) if s.kind == "quote"]
    assert found.speaker == speaker


@pytest.mark.parametrize(
    ("language", "text", "shown"),
    [
        (
            FRENCH,
            "Il y a jusqu’à 1 200 élèves et plus de détails demain.",
            ["jusqu’à 1 200 élèves"],
        ),
        (FRENCH, "La taxe passe de 112 à 116 euros.", ["116 euros"]),
        (SPANISH, "Hay hasta 1.200 alumnos en 2031.", ["hasta 1.200 alumnos"]),
        (PORTUGUESE, "Há até 1.200 alunos desde 2031.", ["até 1.200 alunos"]),
        (GERMAN, "Es gibt bis zu 1.200 Schüler.", ["bis zu 1.200 Schüler"]),
        (ARABIC, "يدرس ما يصل إلى ١٬٢٠٠ طالب منذ عام 2031.", ["ما يصل إلى ١٬٢٠٠ طالب"]),
    ],
)
def test_suggested_figures(language: languages.Language, text: str, shown: list[str]) -> None:
    found = [s.text for s in suggest.candidates(text, "a.txt", language) if s.kind == "figure"]
    assert found == shown


# --- a language without a table --------------------------------------------------------------


def test_a_language_without_a_table_is_warned_about_not_misread() -> None:
    source = make_source("87 миллионов пользователей, 1,5 миллиона")
    diags = Diagnostics()
    languages.warn_unread(source, "ru", diags)
    (warning,) = diags.warnings
    assert warning.path == "content/sources/art.yaml"
    assert "language 'ru' has no table" in warning.message
    assert "ar, de, en, es, fr, pt" in warning.hint
    assert discrepancies._language(source, "ru") is None
    assert discrepancies._language(source, "ar") is ARABIC
    assert discrepancies._language(source, "fr-BE") is FRENCH
    # Its quoted statements are still listed; its figures are not read at all.
    assert suggest.uncited(source, [], None) == []
