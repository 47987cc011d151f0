"""Languages: the words and number formats that figures, bounds, quotations and speakers are read
with, one table per language, looked up by the primary subtag of a BCP 47 tag."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from types import MappingProxyType
from typing import TYPE_CHECKING, Literal

import babel

if TYPE_CHECKING:
    from .diagnostics import Diagnostics
    from .model import Source

# How a figure's words bound its number (see figures.py, which re-exports it).
Bound = Literal["exact", "about", "at-least", "at-most"]

# How a language's number words are read (figures.py): English by its own grammar ("a hundred
# and twenty" is not read, "twenty one" is 21), the others by one grammar over whole words for
# every number below a hundred ("quatre-vingt-dix", "treinta y dos", "siebenundachtzig").
Grammar = Literal["english", "compound"]


def _frozen(table: Mapping[str, int | float | str]) -> Mapping:
    """A read-only copy: a table is shared by every reader of the language."""
    return MappingProxyType(dict(table))


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


@dataclass(frozen=True)
class NumberWords:
    """How a language writes numbers in words."""

    # Grammar the words are read by.
    grammar: Grammar
    # Every number below a hundred, each written whole ("vingt et un": 21, "seven": 7).
    small: Mapping[str, int]
    # Words that multiply what comes before by a hundred ("deux cents"), or are a hundred alone
    # ("cent"). English "hundred" never starts a number ("a hundred" is not read).
    hundred: tuple[str, ...]
    # Words that are a multiple of a hundred by themselves ("doscientos": 200, "cento": 100).
    hundreds: Mapping[str, int]
    # Words for a thousand that multiply what comes before ("deux mille") or stand alone
    # ("mille"). English "thousand" is one of its scales instead.
    thousand: tuple[str, ...]
    # Scale words after a number, in digits or words ("millions": 10**6, "mil millones": 10**9).
    scales: Mapping[str, int]
    # Scale abbreviations, read after digits only ("87 Mio.").
    abbreviations: Mapping[str, int]
    # Letters glued to digits that scale them ("87m", "2bn").
    suffixes: Mapping[str, int]
    # Articles that are "one" only right before a scale word ("un million", "eine Million"):
    # anywhere else they are articles, and not figures.
    ones: tuple[str, ...]
    # Words that join the parts of one number ("cento e vinte", "a hundred and five").
    connectors: tuple[str, ...]
    # Phrases holding a number word that are no number: "pour cent" is per cent, not 100.
    not_numbers: tuple[str, ...]


@dataclass(frozen=True)
class Language:
    """What reading figures, bounds, quotations and speakers needs to know of one language."""

    # Primary language subtag: "fr" serves "fr", "fr-CA" and "fr-BE".
    code: str
    # Its name in English, for hints.
    name: str
    # Characters that separate groups of three digits ("12 000", "12.000", "12,000").
    group_separators: str
    # Characters that mark the decimals: "," ("1,5") or "." ("1.5"); Arabic has two, "." and
    # the Arabic decimal separator "٫" ("١٫٥").
    decimal_marks: str
    # Number words, scale words and the grammar they are read by.
    numbers: NumberWords
    # Bound phrase -> the bound it gives the number right after it (see figures.py). Matched
    # case-insensitively, on word boundaries, longest first; a phrase ending in an apostrophe
    # ("plus d'") may touch the number.
    bounds: Mapping[str, Bound]
    # Phrases that look like bounds but are not read as bounds, and why: the README lists them
    # and the tests check that none is read.
    not_bounds: Mapping[str, str]
    # Words that follow a number without being its unit ("en 2018", "112 à 116").
    function_words: frozenset[str]
    # The quotation marks that enclose a quoted statement, opening and closing (single ones
    # are left out: they cannot be told from apostrophes).
    quotation_marks: tuple[tuple[str, str], ...]
    # Verbs that introduce a speaker ("said", "a déclaré"); several words are one verb.
    speech_verbs: tuple[str, ...]
    # Phrases that name a speaker after them ("according to Facebook", "selon la maire").
    attributions: tuple[str, ...]
    # Capitalised words that start a sentence or a clause, never a name ("But", "Mais").
    not_names: frozenset[str]
    # Marks the language's typography spaces from the word before them (French "oui !",
    # "« oui »"): that space is typography, not a word break, so quotations match with it or
    # without it.
    spaced_before: str
    # Marks the language's typography spaces from the word after them ("« oui").
    spaced_after: str
    # Marks a quotation matches with or without: dropped from the quotation and from the
    # source before matching (Arabic's short vowels and tatweel, which writers add or leave out).
    ignored: str
    # Letters a quotation matches as another, on both sides and one for one (Arabic's alef with
    # hamza or madda as a bare alef: "أكثر" and "اكثر" are one word, written with care or not).
    folded: Mapping[str, str]


# Quotation marks every table reads: straight, curly and guillemets.
_MARKS = (('"', '"'), ("“", "”"), ("«", "»"))

# --- English ---------------------------------------------------------------------------------

_EN_SMALL = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13,
    "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18,
    "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60,
    "seventy": 70, "eighty": 80, "ninety": 90,
}  # fmt: skip

ENGLISH = Language(
    code="en",
    name="English",
    group_separators=",",
    decimal_marks=".",
    numbers=NumberWords(
        grammar="english",
        # English compounds ("eighty-seven") are read word by word by the English grammar.
        small=_frozen(_EN_SMALL),
        hundred=("hundred",),
        hundreds=_frozen({}),
        thousand=(),
        scales=_frozen({"thousand": 10**3, "million": 10**6, "billion": 10**9, "trillion": 10**12}),
        abbreviations=_frozen({}),
        suffixes=_frozen({"m": 10**6, "bn": 10**9}),
        ones=(),
        connectors=("and",),
        not_numbers=(),
    ),
    bounds=_frozen(
        {
            # At most: the number is a ceiling.
            "up to": "at-most",
            "as many as": "at-most",
            "no more than": "at-most",
            "not more than": "at-most",
            "at most": "at-most",
            "maximum": "at-most",
            "maximum of": "at-most",
            "a maximum of": "at-most",
            "the maximum": "at-most",
            "fewer than": "at-most",
            "less than": "at-most",
            "under": "at-most",
            # At least: the number is a floor.
            "at least": "at-least",
            "upwards of": "at-least",
            "more than": "at-least",
            "over": "at-least",
            "in excess of": "at-least",
            "no less than": "at-least",
            "not less than": "at-least",
            "no fewer than": "at-least",
            "not fewer than": "at-least",
            "minimum": "at-least",
            "minimum of": "at-least",
            "a minimum of": "at-least",
            # About: the number is rounded or estimated. "nearly" and "almost" lean low, but
            # news uses them for round figures close to the truth on either side.
            "about": "about",
            "around": "about",
            "some": "about",
            "nearly": "about",
            "roughly": "about",
            "approximately": "about",
            "almost": "about",
            "an estimated": "about",
            "close to": "about",
        }
    ),
    not_bounds=_frozen(
        {
            "moreover": "a word that ends in a bound word is not one",
            "between": "a range has two ends; each figure is given one bound",
        }
    ),
    # French ones too, as before languages had tables: a source that declares no language on
    # an English site may well be French.
    function_words=_words(
        """a an the and or nor but of to in on at for with by from as than then that this these
        those is are was were be been being has have had it its he she they we you i his her
        their our who which when where while after before into onto over under about up down out
        off per so if not no yet also only just still more most less least
        le la les l de des du d et ou en au aux un une à a pour par sur dans que qu qui est sont
        ce cette ces son sa ses leur leurs contre avec sans entre"""
    ),
    # English verbs, and the French ones read before languages had tables (see function_words).
    quotation_marks=_MARKS,
    speech_verbs=(
        "said",
        "says",
        "added",
        "adding",
        "told",
        "tells",
        "asked",
        "wrote",
        "writes",
        "stated",
        "explained",
        "replied",
        "answered",
        "argued",
        "claimed",
        "admitted",
        "insisted",
        "noted",
        "continued",
        "warned",
        "announced",
        "responded",
        "a déclaré",
        "a dit",
        "a précisé",
        "a affirmé",
        "a ajouté",
        "a répété",
        "a dénoncé",
        "a expliqué",
        "a assuré",
        "a défendu",
    ),
    attributions=("according to", "selon"),
    not_names=_words(
        "A An The But And As In On At So Then When While After Before If Yet However Asked "
        "I He She It We You They Pour Selon Le La Les Et Mais Il Elle Nous Vous Ils Elles"
    ),
    spaced_before="",
    spaced_after="",
    ignored="",
    folded=_frozen({}),
)


# --- Number words of the other languages -----------------------------------------------------


def _tens_and_units(tens: Mapping[str, int], units: Mapping[str, int], join: str) -> dict[str, int]:
    """Every "ten and unit" compound: ("treinta", "dos", " y ") -> "treinta y dos": 32."""
    return {f"{t}{join}{u}": tv + uv for t, tv in tens.items() for u, uv in units.items()}


def _french_small() -> dict[str, int]:
    units = {"deux": 2, "trois": 3, "quatre": 4, "cinq": 5, "six": 6, "sept": 7, "huit": 8,
             "neuf": 9}  # fmt: skip
    teens = {"dix": 10, "onze": 11, "douze": 12, "treize": 13, "quatorze": 14, "quinze": 15,
             "seize": 16, "dix-sept": 17, "dix-huit": 18, "dix-neuf": 19}  # fmt: skip
    # Belgian and Swiss French say "septante", "huitante" ("octante") and "nonante".
    tens = {"vingt": 20, "trente": 30, "quarante": 40, "cinquante": 50, "soixante": 60,
            "septante": 70, "huitante": 80, "octante": 80, "nonante": 90}  # fmt: skip
    small = {"zéro": 0, **units, **teens, **tens}
    small |= _tens_and_units(tens, units, "-")
    small |= _tens_and_units(tens, {"un": 1, "une": 1}, " et ")
    # 70 to 79 are sixty and ten to nineteen; 80 to 99 are four twenties and one to nineteen.
    small |= _tens_and_units({"soixante": 60}, {k: v for k, v in teens.items() if v != 11}, "-")
    small |= {"soixante et onze": 71, "quatre-vingts": 80, "quatre-vingt": 80}
    small |= _tens_and_units({"quatre-vingt": 80}, {"un": 1, "une": 1, **units, **teens}, "-")
    return small


def _spanish_small() -> dict[str, int]:
    units = {"dos": 2, "tres": 3, "cuatro": 4, "cinco": 5, "seis": 6, "siete": 7, "ocho": 8,
             "nueve": 9}  # fmt: skip
    tens = {"treinta": 30, "cuarenta": 40, "cincuenta": 50, "sesenta": 60, "setenta": 70,
            "ochenta": 80, "noventa": 90}  # fmt: skip
    small = {
        "cero": 0, "uno": 1, **units, "diez": 10, "once": 11, "doce": 12, "trece": 13,
        "catorce": 14, "quince": 15, "dieciséis": 16, "diecisiete": 17, "dieciocho": 18,
        "diecinueve": 19, "veinte": 20, "veintiuno": 21, "veintiuna": 21, "veintiún": 21,
        "veintidós": 22, "veintitrés": 23, "veinticuatro": 24, "veinticinco": 25,
        "veintiséis": 26, "veintisiete": 27, "veintiocho": 28, "veintinueve": 29, **tens,
    }  # fmt: skip
    return small | _tens_and_units(tens, {"uno": 1, "una": 1, "un": 1, **units}, " y ")


def _portuguese_small() -> dict[str, int]:
    units = {"dois": 2, "duas": 2, "três": 3, "quatro": 4, "cinco": 5, "seis": 6, "sete": 7,
             "oito": 8, "nove": 9}  # fmt: skip
    tens = {"vinte": 20, "trinta": 30, "quarenta": 40, "cinquenta": 50, "sessenta": 60,
            "setenta": 70, "oitenta": 80, "noventa": 90}  # fmt: skip
    small = {
        "zero": 0, **units, "dez": 10, "onze": 11, "doze": 12, "treze": 13, "catorze": 14,
        "quatorze": 14, "quinze": 15, "dezesseis": 16, "dezasseis": 16, "dezessete": 17,
        "dezassete": 17, "dezoito": 18, "dezenove": 19, "dezanove": 19, **tens,
    }  # fmt: skip
    return small | _tens_and_units(tens, {"um": 1, "uma": 1, **units}, " e ")


def _german_small() -> dict[str, int]:
    # Stems as they begin a compound: "ein" in "einundzwanzig", "eins" alone.
    stems = {"ein": 1, "zwei": 2, "drei": 3, "vier": 4, "fünf": 5, "sechs": 6, "sieben": 7,
             "acht": 8, "neun": 9}  # fmt: skip
    tens = {"zwanzig": 20, "dreißig": 30, "dreissig": 30, "vierzig": 40, "fünfzig": 50,
            "sechzig": 60, "siebzig": 70, "achtzig": 80, "neunzig": 90}  # fmt: skip
    small = {
        "null": 0, "eins": 1, **{k: v for k, v in stems.items() if v > 1}, "zehn": 10,
        "elf": 11, "zwölf": 12, "dreizehn": 13, "vierzehn": 14, "fünfzehn": 15,
        "sechzehn": 16, "siebzehn": 17, "achtzehn": 18, "neunzehn": 19, **tens,
    }  # fmt: skip
    return small | {f"{s}und{t}": sv + tv for s, sv in stems.items() for t, tv in tens.items()}


def _hundreds(pairs: Iterable[tuple[str, int]]) -> Mapping[str, int]:
    return _frozen({word: value * 100 for word, value in pairs})


# Spaces that separate groups of three digits: the space, the no-break space (U+00A0), the
# narrow no-break space (U+202F) French typography asks for, and the thin space (U+2009).
_SPACES = " \u00a0\u202f\u2009"

FRENCH = Language(
    code="fr",
    name="French",
    # "12 000" in France; "12.000" in Belgium and in much of the press.
    group_separators=_SPACES + ".",
    decimal_marks=",",
    numbers=NumberWords(
        grammar="compound",
        small=_frozen(_french_small()),
        hundred=("cent", "cents"),
        hundreds=_frozen({}),
        thousand=("mille",),
        # "billion" is a million millions in French.
        scales=_frozen(
            {
                "million": 10**6,
                "millions": 10**6,
                "milliard": 10**9,
                "milliards": 10**9,
                "billion": 10**12,
                "billions": 10**12,
            }
        ),
        abbreviations=_frozen({"Md": 10**9, "Mds": 10**9, "Mrd": 10**9, "Mrds": 10**9}),
        suffixes=_frozen({}),
        ones=("un", "une"),
        connectors=(),
        not_numbers=("pour cent",),
    ),
    bounds=_frozen(
        {
            "jusqu'à": "at-most",
            "jusqu'a": "at-most",
            "au plus": "at-most",
            "tout au plus": "at-most",
            "au maximum": "at-most",
            "un maximum de": "at-most",
            "pas plus de": "at-most",
            "pas plus d'": "at-most",
            "moins de": "at-most",
            "moins d'": "at-most",
            "en dessous de": "at-most",
            "plus de": "at-least",
            "plus d'": "at-least",
            "au moins": "at-least",
            "au minimum": "at-least",
            "un minimum de": "at-least",
            "pas moins de": "at-least",
            "pas moins d'": "at-least",
            "au-delà de": "at-least",
            "environ": "about",
            "près de": "about",
            "près d'": "about",
            "presque": "about",
            "quelque": "about",
            "autour de": "about",
            "approximativement": "about",
            "à peu près": "about",
            "aux alentours de": "about",
        }
    ),
    not_bounds=_frozen(
        {
            "de plus": '"de plus, 300 ..." means moreover; the comma is not white space',
            "au plus tard": "a deadline, and never right before a number",
            "quelques": 'a few; "quelque 300" (about 300) is singular',
        }
    ),
    function_words=_words(
        """le la les l de des du d et ou en au aux un une à a pour par sur dans que qu qui est
        sont ce cette ces son sa ses leur leurs contre avec sans entre ans fois puis mais donc
        or ni car y il elle ils elles on nous vous se s ne n pas plus moins selon dont où"""
    ),
    quotation_marks=_MARKS,
    speech_verbs=(
        "a déclaré",
        "a dit",
        "a précisé",
        "a affirmé",
        "a ajouté",
        "a répété",
        "a dénoncé",
        "a expliqué",
        "a assuré",
        "a défendu",
        "a indiqué",
        "a souligné",
        "a estimé",
        "a reconnu",
        "a annoncé",
        "a confié",
        "a rappelé",
        "a prévenu",
        "a lancé",
        "déclare",
        "dit",
        "précise",
        "affirme",
        "ajoute",
        "explique",
        "assure",
        "estime",
        "souligne",
        "indique",
        "reconnaît",
    ),
    attributions=("selon", "d'après"),
    not_names=_words(
        "Pour Selon Le La Les L Un Une Et Mais Il Elle On Nous Vous Ils Elles Ce Cette Ces "
        "Dans En Au Aux Du Des De Si Quand Alors Pourtant Ainsi Interrogée Interrogé"
    ),
    spaced_before=";:!?»›",
    spaced_after="«‹",
    ignored="",
    folded=_frozen({}),
)

SPANISH = Language(
    code="es",
    name="Spanish",
    # "12.000", or "12 000" as the Real Academia recommends since 2010. (Mexico and Central
    # America write "12,000" and "1.5": es-MX is read as Spain's Spanish, wrongly.)
    group_separators=_SPACES + ".",
    decimal_marks=",",
    numbers=NumberWords(
        grammar="compound",
        small=_frozen(_spanish_small()),
        hundred=(),
        hundreds=_hundreds(
            [
                ("cien", 1),
                ("ciento", 1),
                ("doscientos", 2),
                ("doscientas", 2),
                ("trescientos", 3),
                ("trescientas", 3),
                ("cuatrocientos", 4),
                ("cuatrocientas", 4),
                ("quinientos", 5),
                ("quinientas", 5),
                ("seiscientos", 6),
                ("seiscientas", 6),
                ("setecientos", 7),
                ("setecientas", 7),
                ("ochocientos", 8),
                ("ochocientas", 8),
                ("novecientos", 9),
                ("novecientas", 9),
            ]
        ),
        thousand=("mil",),
        # "billón" is a million millions; a thousand millions is "mil millones".
        scales=_frozen(
            {
                "millón": 10**6,
                "millones": 10**6,
                "mil millones": 10**9,
                "millardo": 10**9,
                "millardos": 10**9,
                "billón": 10**12,
                "billones": 10**12,
            }
        ),
        abbreviations=_frozen({}),
        suffixes=_frozen({}),
        ones=("un", "una"),
        connectors=(),
        not_numbers=("por ciento", "por cien"),
    ),
    bounds=_frozen(
        {
            "hasta": "at-most",
            "como máximo": "at-most",
            "a lo sumo": "at-most",
            "un máximo de": "at-most",
            "no más de": "at-most",
            "menos de": "at-most",
            "más de": "at-least",
            "al menos": "at-least",
            "por lo menos": "at-least",
            "como mínimo": "at-least",
            "un mínimo de": "at-least",
            "no menos de": "at-least",
            "cerca de": "about",
            "alrededor de": "about",
            "en torno a": "about",
            "aproximadamente": "about",
            "casi": "about",
            "unos": "about",
            "unas": "about",
        }
    ),
    not_bounds=_frozen(
        {
            "acerca de": 'concerning, not close to: a word ending in "cerca de" is not it',
            "desde": "the start of a range, not a bound",
        }
    ),
    function_words=_words(
        """el la los las lo de del y e o u en a al por para con sin sobre entre que se su sus
        un una unos unas es son fue como más menos hasta desde años veces"""
    ),
    quotation_marks=_MARKS,
    speech_verbs=(
        "dijo",
        "afirmó",
        "declaró",
        "aseguró",
        "explicó",
        "añadió",
        "agregó",
        "señaló",
        "indicó",
        "advirtió",
        "sostuvo",
        "insistió",
        "reconoció",
        "anunció",
        "ha dicho",
        "ha afirmado",
        "ha declarado",
        "dice",
        "afirma",
        "asegura",
        "explica",
    ),
    attributions=("según",),
    not_names=_words(
        "El La Los Las Un Una Y Pero En Para Por Según Si Cuando Él Ella Ellos Ellas Nosotros "
        "Así Sin Con"
    ),
    spaced_before="",
    spaced_after="",
    ignored="",
    folded=_frozen({}),
)

PORTUGUESE = Language(
    code="pt",
    name="Portuguese",
    group_separators=_SPACES + ".",
    decimal_marks=",",
    numbers=NumberWords(
        grammar="compound",
        small=_frozen(_portuguese_small()),
        hundred=(),
        hundreds=_hundreds(
            [
                ("cem", 1),
                ("cento", 1),
                ("duzentos", 2),
                ("duzentas", 2),
                ("trezentos", 3),
                ("trezentas", 3),
                ("quatrocentos", 4),
                ("quatrocentas", 4),
                ("quinhentos", 5),
                ("quinhentas", 5),
                ("seiscentos", 6),
                ("seiscentas", 6),
                ("setecentos", 7),
                ("setecentas", 7),
                ("oitocentos", 8),
                ("oitocentas", 8),
                ("novecentos", 9),
                ("novecentas", 9),
            ]
        ),
        thousand=("mil",),
        # Brazil's "bilhão" is a thousand millions, Portugal's "bilião" a million millions.
        scales=_frozen(
            {
                "milhão": 10**6,
                "milhões": 10**6,
                "mil milhões": 10**9,
                "bilhão": 10**9,
                "bilhões": 10**9,
                "bilião": 10**12,
                "biliões": 10**12,
                "trilhão": 10**12,
                "trilhões": 10**12,
            }
        ),
        # Brazilian headlines: "R$ 87 mi", "2 bi".
        abbreviations=_frozen({"mi": 10**6, "bi": 10**9}),
        suffixes=_frozen({}),
        ones=("um", "uma"),
        connectors=("e",),
        not_numbers=("por cento",),
    ),
    bounds=_frozen(
        {
            "até": "at-most",
            "no máximo": "at-most",
            "um máximo de": "at-most",
            "não mais de": "at-most",
            "não mais que": "at-most",
            "menos de": "at-most",
            "mais de": "at-least",
            "pelo menos": "at-least",
            "ao menos": "at-least",
            "no mínimo": "at-least",
            "um mínimo de": "at-least",
            "não menos de": "at-least",
            "acima de": "at-least",
            "cerca de": "about",
            "perto de": "about",
            "em torno de": "about",
            "por volta de": "about",
            "aproximadamente": "about",
            "quase": "about",
        }
    ),
    not_bounds=_frozen(
        {
            "acerca de": 'concerning, not close to: a word ending in "cerca de" is not it',
            "há cerca de": 'still read as about: "há cerca de 300" is "about 300 ago"',
        }
    ),
    function_words=_words(
        """o a os as um uma de do da dos das e ou em no na nos nas ao aos à às por para com sem
        sobre entre que se seu sua é são foi como mais menos até desde anos vezes"""
    ),
    quotation_marks=_MARKS,
    speech_verbs=(
        "disse",
        "afirmou",
        "declarou",
        "explicou",
        "acrescentou",
        "garantiu",
        "assegurou",
        "sublinhou",
        "destacou",
        "admitiu",
        "anunciou",
        "defendeu",
        "diz",
        "afirma",
    ),
    attributions=("segundo", "de acordo com"),
    not_names=_words(
        "O A Os As Um Uma E Mas Em Para Por Segundo Se Quando Ele Ela Eles Elas Nós Assim Sem Com"
    ),
    spaced_before="",
    spaced_after="",
    ignored="",
    folded=_frozen({}),
)

GERMAN = Language(
    code="de",
    name="German",
    # "12.000", "12 000", and Switzerland's "12'000".
    group_separators=_SPACES + ".'’",
    decimal_marks=",",
    numbers=NumberWords(
        grammar="compound",
        small=_frozen(_german_small()),
        hundred=("hundert",),
        hundreds=_hundreds(
            (f"{stem}hundert", value)
            for stem, value in [
                ("ein", 1),
                ("zwei", 2),
                ("drei", 3),
                ("vier", 4),
                ("fünf", 5),
                ("sechs", 6),
                ("sieben", 7),
                ("acht", 8),
                ("neun", 9),
            ]
        ),
        thousand=("tausend",),
        # "Billion" is a million millions in German.
        scales=_frozen(
            {
                "Million": 10**6,
                "Millionen": 10**6,
                "Milliarde": 10**9,
                "Milliarden": 10**9,
                "Billion": 10**12,
                "Billionen": 10**12,
            }
        ),
        abbreviations=_frozen(
            {"Tsd.": 10**3, "Mio.": 10**6, "Mio": 10**6, "Mrd.": 10**9, "Mrd": 10**9}
        ),
        suffixes=_frozen({}),
        ones=("ein", "eine"),
        connectors=(),
        not_numbers=(),
    ),
    bounds=_frozen(
        {
            "bis zu": "at-most",
            "höchstens": "at-most",
            "maximal": "at-most",
            "nicht mehr als": "at-most",
            "weniger als": "at-most",
            "mehr als": "at-least",
            "mindestens": "at-least",
            "wenigstens": "at-least",
            "nicht weniger als": "at-least",
            "über": "at-least",
            "rund": "about",
            "etwa": "about",
            "ungefähr": "about",
            "circa": "about",
            "ca.": "about",
            "zirka": "about",
            "fast": "about",
            "beinahe": "about",
            "knapp": "about",
        }
    ),
    not_bounds=_frozen(
        {
            "bis": 'alone, the end of a range ("von 10 bis 20"); only "bis zu" is a ceiling',
            "unter": '"unter 1.000 Befragten" is among, not under',
            "rund um": 'around a place or a time ("rund um die Uhr"), never before a number',
        }
    ),
    function_words=_words(
        """der die das den dem des ein eine einer einen einem und oder in im an am auf aus bei
        mit nach von vom zu zum zur für über unter um als wie bis ist sind war waren es er sie
        wir ihr sein seine ihre nicht auch nur noch mehr weniger jahre jahren mal prozent"""
    ),
    quotation_marks=(*_MARKS, ("„", "“"), ("»", "«")),
    speech_verbs=(
        "sagte",
        "sagt",
        "erklärte",
        "erklärt",
        "betonte",
        "meinte",
        "schrieb",
        "warnte",
        "kündigte an",
        "hat gesagt",
        "hat erklärt",
    ),
    attributions=("laut", "zufolge"),
    not_names=_words(
        "Der Die Das Den Dem Ein Eine Und Aber Doch In Im Am Auf Laut Er Sie Es Wir Ihr Als Wenn "
        "So Nach Mit Bei"
    ),
    spaced_before="",
    spaced_after="",
    ignored="",
    folded=_frozen({}),
)

# --- Arabic ----------------------------------------------------------------------------------

# Alef with hamza above or below, with madda, and wasla: the bare alef they are often written as.
_BARE_ALEF = {"أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا"}
# The conjunction and prepositions glued to the word after them: "وأكثر من", "بنحو", "لأقل من".
_ARABIC_PREFIXES = ("و", "ب", "ل", "وب", "ول")


def _bare(word: str) -> str:
    return word.translate(str.maketrans(_BARE_ALEF))


def _with_bare_alef(table: Mapping[str, Bound | int]) -> dict:
    """Every entry, and the same written with bare alefs ("أكثر من" and "اكثر من")."""
    return {**table, **{_bare(word): value for word, value in table.items()}}


def _arabic_small() -> dict[str, int]:
    # Masculine and feminine. "تسع" alone (nine, feminine) is left out: it is also the verb
    # "holds" ("قاعة تسع ألف شخص", a hall that holds a thousand people).
    units = {"ثلاثة": 3, "ثلاث": 3, "أربعة": 4, "أربع": 4, "خمسة": 5, "خمس": 5,
             "ستة": 6, "ست": 6, "سبعة": 7, "سبع": 7, "ثمانية": 8, "ثماني": 8, "ثمان": 8,
             "تسعة": 9}  # fmt: skip
    tens = {"عشرون": 20, "عشرين": 20, "ثلاثون": 30, "ثلاثين": 30, "أربعون": 40, "أربعين": 40,
            "خمسون": 50, "خمسين": 50, "ستون": 60, "ستين": 60, "سبعون": 70, "سبعين": 70,
            "ثمانون": 80, "ثمانين": 80, "تسعون": 90, "تسعين": 90}  # fmt: skip
    small = {"صفر": 0, "واحد": 1, "واحدة": 1, "اثنان": 2, "اثنين": 2, "اثنتان": 2,
             "اثنتين": 2, **units, "عشرة": 10, "عشر": 10, "أحد عشر": 11,
             "إحدى عشرة": 11, "اثنا عشر": 12, "اثني عشر": 12, "اثنتا عشرة": 12,
             "اثنتي عشرة": 12, **tens}  # fmt: skip
    # 13 to 19: the unit, then ten ("ثلاثة عشر", "ثلاث عشرة").
    small |= {f"{u} {'عشر' if u.endswith('ة') else 'عشرة'}": v + 10 for u, v in units.items()}
    # 21 to 99: the unit, then "و" glued to the ten ("خمسة وعشرون").
    ones = {"واحد": 1, "واحدة": 1, "أحد": 1, "إحدى": 1, "اثنان": 2, "اثنين": 2, "اثنتان": 2,
            "اثنتين": 2, "تسع": 9, **units}  # fmt: skip
    small |= {f"{u} و{t}": uv + tv for u, uv in ones.items() for t, tv in tens.items()}
    return _with_bare_alef(small)


def _arabic_hundreds() -> dict[str, int]:
    """300 to 900 written as one word ("ثلاثمئة", "ثلاثمائة"), 200 ("مئتان"), and the duals of
    the scales: two thousand, two million, two thousand million ("ألفان", "مليونين")."""
    stems = {"ثلاث": 3, "أربع": 4, "خمس": 5, "ست": 6, "سبع": 7, "ثمان": 8, "تسع": 9}
    found = {
        f"{stem}{hundred}": v * 100 for stem, v in stems.items() for hundred in ("مئة", "مائة")
    }
    found |= dict.fromkeys(("مئتان", "مئتين", "مائتان", "مائتين", "مئتا", "مئتي"), 200)
    for stem, value in (("ألف", 10**3), ("مليون", 10**6), ("مليار", 10**9)):
        found |= {f"{stem}{ending}": 2 * value for ending in ("ان", "ين", "ي")}
    return _with_bare_alef(found)


def _arabic_bounds(bounds: Mapping[str, Bound]) -> dict[str, Bound]:
    """Each phrase alone and with a prefix glued to it, each with its alefs as written and
    bare."""
    glued = {f"{p}{phrase}": b for phrase, b in bounds.items() for p in ("", *_ARABIC_PREFIXES)}
    return _with_bare_alef(glued)


# Arabic's short vowels, shadda, sukun and the other marks above and below letters (U+064B to
# U+065F), the superscript alef (U+0670), and the tatweel (U+0640) that stretches a word.
_ARABIC_MARKS = "".join(map(chr, range(0x064B, 0x0660))) + "\u0670\u0640"

ARABIC = Language(
    code="ar",
    name="Arabic",
    # Western digits ("12,000") and Arabic-Indic ones ("١٢٬٠٠٠", with the Arabic thousands
    # separator U+066C); Persian digits ("۱۲") are read too. A comma groups, as in the Gulf, the
    # Levant and Egypt: the Maghreb's "1,5" is not read at all (see the README).
    group_separators=",\u066c",
    # The point, and the Arabic decimal separator U+066B ("١٫٥").
    decimal_marks=".\u066b",
    numbers=NumberWords(
        grammar="compound",
        small=_frozen(_arabic_small()),
        # "ثلاث مئة" (300), "مئة" alone (100).
        hundred=("مئة", "مائة"),
        hundreds=_frozen(_arabic_hundreds()),
        # "ألف" is a scale instead: alone, it is also the verb "authored" (ألّف), its shadda
        # left out, and it is not read.
        thousand=(),
        # Singular (after 11 and more: "25 ألف", "25 ألفا") and plural (after 3 to 10: "ستة
        # آلاف"). "بليون" is a thousand millions, as "مليار" is.
        scales=_frozen(
            _with_bare_alef(
                {
                    "ألف": 10**3,
                    "ألفا": 10**3,
                    "آلاف": 10**3,
                    "مليون": 10**6,
                    "مليونا": 10**6,
                    "ملايين": 10**6,
                    "مليار": 10**9,
                    "مليارا": 10**9,
                    "مليارات": 10**9,
                    "بليون": 10**9,
                    "بليونا": 10**9,
                    "بلايين": 10**9,
                    "تريليون": 10**12,
                    "تريليونا": 10**12,
                    "تريليونات": 10**12,
                }
            )
        ),
        abbreviations=_frozen({}),
        suffixes=_frozen({}),
        ones=(),
        connectors=(),
        not_numbers=(),
    ),
    bounds=_frozen(
        _arabic_bounds(
            {
                "حتى": "at-most",
                "ما يصل إلى": "at-most",
                "يصل إلى": "at-most",
                "بحد أقصى": "at-most",
                "كحد أقصى": "at-most",
                "على الأكثر": "at-most",
                "لا يزيد عن": "at-most",
                "لا يزيد على": "at-most",
                "لا تزيد عن": "at-most",
                "لا تزيد على": "at-most",
                "ما لا يزيد عن": "at-most",
                "ما لا يزيد على": "at-most",
                "لا يتجاوز": "at-most",
                "لا تتجاوز": "at-most",
                "أقل من": "at-most",
                "أكثر من": "at-least",
                "أزيد من": "at-least",
                "ما يزيد عن": "at-least",
                "ما يزيد على": "at-least",
                "يزيد عن": "at-least",
                "يزيد على": "at-least",
                "ما لا يقل عن": "at-least",
                "لا يقل عن": "at-least",
                "لا تقل عن": "at-least",
                "على الأقل": "at-least",
                "بحد أدنى": "at-least",
                "كحد أدنى": "at-least",
                "ما يفوق": "at-least",
                "يفوق": "at-least",
                "ما يتجاوز": "at-least",
                "يتجاوز": "at-least",
                "فوق": "at-least",
                "حوالي": "about",
                "حوالى": "about",
                "نحو": "about",
                "قرابة": "about",
                "زهاء": "about",
                "ما يقارب": "about",
                "يقارب": "about",
                "ما يقرب من": "about",
                "ما يناهز": "about",
                "يناهز": "about",
                "في حدود": "about",
                "تقريبا": "about",
            }
        )
    ),
    not_bounds=_frozen(
        {
            "دون": 'without as often as below ("دون 300 دينار" may be either): not read',
            "حتى الآن": 'so far: "حتى الآن 300" is no ceiling (only a number right after it is)',
            "بين": "a range has two ends; each figure is given one bound",
            "منذ": "since: the start of a range, or a date",
            "أكثر من مرة": "more than once: a bound phrase before a word bounds nothing",
        }
    ),
    function_words=_words(
        """في من إلى الى على عن مع أو او و ثم حتى منذ بين أن إن قد لا لم ما هذا هذه ذلك التي الذي
        عام العام سنة سنوات عاما أعوام مرة مرات يوما أيام شهرا أشهر بالمئة بالمائة"""
    ),
    # «» and “” as in French and English, and straight quotes.
    quotation_marks=_MARKS,
    speech_verbs=(
        "قال",
        "قالت",
        "يقول",
        "تقول",
        "صرح",
        "صرحت",
        "أكد",
        "أكدت",
        "أوضح",
        "أوضحت",
        "أضاف",
        "أضافت",
        "أعلن",
        "أعلنت",
        "أشار",
        "أشارت",
        "ذكر",
        "ذكرت",
    ),
    attributions=("بحسب", "حسب", "وفق", "وفقا ل", "نقلا عن"),
    # Arabic has no capital letters, by which `suggest` tells a name: it finds no speaker.
    not_names=frozenset(),
    spaced_before="",
    spaced_after="",
    ignored=_ARABIC_MARKS,
    folded=_frozen(_BARE_ALEF),
)

# Every language with a table, by code.
LANGUAGES: Mapping[str, Language] = MappingProxyType(
    {lang.code: lang for lang in (ENGLISH, FRENCH, SPANISH, PORTUGUESE, GERMAN, ARABIC)}
)


# Which way a language's script runs: <html dir>, and the share cards' layout.
Direction = Literal["ltr", "rtl"]


@lru_cache(maxsize=64)
def direction(tag: str) -> Direction:
    """Which way a language tag's script runs, from the CLDR data Babel ships: "rtl" for Arabic,
    Hebrew, Persian, Urdu... ("ar-EG", "he", "fa", "ur"), "ltr" for the others. A tag CLDR does
    not know is looked up by its primary subtag ("ar-XX" as "ar"), then taken as "ltr"."""
    tag = tag.replace("_", "-").strip()
    for candidate in (tag, primary(tag)):
        try:
            locale = babel.Locale.parse(candidate, sep="-")
        except (ValueError, TypeError, babel.UnknownLocaleError):
            continue
        return "rtl" if locale.character_order == "right-to-left" else "ltr"
    return "ltr"


def primary(tag: str) -> str:
    """The primary subtag of a BCP 47 tag, lowercased: "fr-CA" -> "fr", "pt_BR" -> "pt"."""
    return tag.replace("_", "-").split("-", 1)[0].strip().lower()


def lookup(tag: str) -> Language | None:
    """The table for a language tag, by its primary subtag; None for a language without one."""
    return LANGUAGES.get(primary(tag))


def supported() -> str:
    """The codes of the languages with a table, for hints: "de, en, es, fr, pt"."""
    return ", ".join(sorted(LANGUAGES))


def warn_unread(source: Source, site_language: str, diags: Diagnostics) -> None:
    """Say that a source's figures are not read: its language (or the site's, when it declares
    none) has no table. Read by another language's rules, "1.000" or "1,5" would be misread
    without a word said."""
    tag = source.language or site_language
    diags.warning(
        source.where,
        f"figures are not read in source '{source.id}': its language '{tag}' has no table",
        f"figures are read in {supported()}; the figures quoted from this source are not "
        "checked against their bound words",
    )
