"""Suggest: what each archived source says that no fact-check cites yet (`build.py suggest`).

Two kinds of candidates are listed, each with the line of the archived file it is on:

- Figures: a number (as figures.parse_numbers reads it: "87 million", "300,000", "fifty
  million", "$158.75") followed on the same line by a word, taken as its unit ("87 million
  users"), or by "%". Numbers written with spaces between groups of three digits ("600 000")
  are read as one. Numbers followed by nothing or by a function word ("112 à 116") are left
  out, unless they carry a currency sign, and so are four-digit numbers from 1800 to 2099,
  taken for years ("in 2018 users ..."), unless followed by "%". The bound words right before
  it, if any, are shown with it ("up to 87 million users").
- Quoted statements: text between quotation marks (straight "...", curly “...” or « ... »)
  within one paragraph, of at least MIN_QUOTE_WORDS words. Single quotation marks are left
  out: they cannot be told apart from apostrophes. The speaker is the name (capitalised words,
  such as "Mr Zuckerberg" or "Facebook") next to a verb of speech in the same sentence:
  "..., said Mark Zuckerberg", "... Zuckerberg added", "Zuckerberg said: ..." or "according
  to Facebook". A pronoun ("he said") names nobody, so no speaker is shown.

Each source is read in its own language, or the site's when it declares none (languages.py):
its numbers, bound words, function words and verbs of speech. A source in a language without a
table has its quoted statements listed, but not its figures, and a warning says so.

A candidate counts as cited when a verified quotation of any fact-check overlaps it: a
figure's number, or the words of a quoted statement. Fact-checks with errors cite nothing
until they are fixed, since their quotations are not verified.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from . import languages
from .analyse import anchoring, figures
from .config import Options
from .diagnostics import Diagnostic, Diagnostics
from .languages import ENGLISH, Language
from .load import content, loader, validate
from .load.sources import line_of
from .model import Source

# A quoted statement has at least this many words; shorter ones are mostly scare quotes.
MIN_QUOTE_WORDS = 4

Kind = Literal["figure", "quote"]


@dataclass(frozen=True)
class Suggestion:
    """Something an archived source says that no fact-check cites."""

    kind: Kind
    # The archived file, relative to the site root ("seeds/article.txt").
    file: str
    # 1-based line of the archived file.
    line: int
    # What to show: the figure with its unit, or the words quoted.
    text: str
    # Who the sentence says made the statement; "" when it names nobody (figures: always "").
    speaker: str
    # Character span in the archived text: the number of a figure, the words of a quotation.
    start: int
    end: int

    def format(self) -> str:
        """`seeds/<file>:line: "..."`, then the speaker when known."""
        said = f" ({self.speaker})" if self.speaker else ""
        return f'{self.file}:{self.line}: "{self.text}"{said}'


@dataclass(frozen=True)
class SourceSuggestions:
    """The uncited figures and quoted statements of one archived source, in reading order."""

    source: str
    file: str
    suggestions: tuple[Suggestion, ...]

    def count(self, kind: Kind) -> int:
        return sum(s.kind == kind for s in self.suggestions)


@dataclass(frozen=True)
class Report:
    """What `suggest` found; `sources` is None when the content could not be read at all."""

    sources: tuple[SourceSuggestions, ...] | None
    # Problems in the content: the files concerned cite nothing until fixed.
    diagnostics: list[Diagnostic]


def suggest(root: Path) -> Report:
    """Every archived source's uncited figures and quoted statements, sources by id."""
    diags = Diagnostics()
    valid = validate.check_content(loader.load_content(root, diags), diags)
    model = content.build(valid, Options(), diags)
    if model is None:
        return Report(None, diags.sorted())
    analysis = anchoring.analyse(model, diags)
    cited: dict[str, list[tuple[int, int]]] = {sid: [] for sid in model.sources}
    for anchor in analysis.anchors.values():
        cited[anchor.source].extend(anchor.spans)
    found = []
    for sid, source in sorted(model.sources.items()):
        language = languages.lookup(source.language or model.site.language)
        if language is None:
            languages.warn_unread(source, model.site.language, diags)
        suggestions = tuple(uncited(source, cited[sid], language))
        found.append(SourceSuggestions(sid, f"seeds/{source.file}", suggestions))
    return Report(tuple(found), diags.sorted())


def uncited(
    source: Source, spans: list[tuple[int, int]], language: Language | None = ENGLISH
) -> list[Suggestion]:
    """The figures and quoted statements of a source that no span overlaps, in reading order.
    A language without a table (None) has its statements read, not its figures."""
    found = candidates(source.text, f"seeds/{source.file}", language or ENGLISH)
    return [
        s
        for s in found
        if not any(s.start < end and start < s.end for start, end in spans)
        and (language is not None or s.kind == "quote")
    ]


def candidates(text: str, file: str, language: Language = ENGLISH) -> list[Suggestion]:
    """Every figure and quoted statement of an archived text, in reading order, read in
    `language`."""
    found = [
        Suggestion(kind, file, line_of(text, start), shown, speaker, start, end)
        for kind, start, end, shown, speaker in [
            *_figures(text, language),
            *_quotes(text, language),
        ]
    ]
    return sorted(found, key=lambda s: (s.start, s.kind))


# --- Figures ---------------------------------------------------------------------------------


_UNIT = re.compile(r"[ \t\u00a0\u202f]*(%|per ?cent\b)|[ \t\u00a0\u202f]+([^\W\d_][\w’'-]*)")
# Separators of groups of three digits in "600 000": a space, a no-break space, a thin one.
_GROUP = re.compile(r"[ \u00a0\u202f]\d{3}(?!\w)")
_YEAR = re.compile(r"(?:18|19|20)\d{2}")


def _figures(text: str, language: Language) -> list[tuple[Kind, int, int, str, str]]:
    found: list[tuple[Kind, int, int, str, str]] = []
    mentions = figures.parse_numbers(text, language)
    skip_to = 0
    for mention in mentions:
        if mention.start < skip_to:
            continue  # a group of "600 000", already read
        start, end = mention.start, mention.end
        if mention.text.isdigit() and len(mention.text) <= 3:
            while group := _GROUP.match(text, end):
                end = group.end()
        skip_to = end
        unit = _UNIT.match(text, end)
        word = unit and (unit.group(1) or unit.group(2))
        currency = mention.text[:1] in "$£€"
        if not word or word.lower().strip("’'") in language.function_words:
            if not currency:
                continue  # no unit: a year, a count of nothing named, a page number
            word, unit = "", None
        if _YEAR.fullmatch(text[start:end]) and not currency and word != "%":
            continue
        number = text[start:end]
        shown = f"{number}{unit.group() if unit else ''}"
        bound = figures.bound_before(text, start, language)
        if bound is not None:
            shown = f"{bound[1]} {shown}"
        found.append(("figure", start, end, " ".join(shown.split()), ""))
    return found


# --- Quoted statements -----------------------------------------------------------------------

_WORD = re.compile(r"\w+(?:[’']\w+)*")
# Where a sentence ends: the speaker is looked for within the quotation's sentence.
_SENTENCE_END = re.compile(r"[.!?][\"”»’)]*\s")

# A name: one to four capitalised words ("Mr Zuckerberg", "Mark Zuckerberg", "Facebook").
_NAME = r"(?P<name>(?:[A-ZÀ-Ý][\w’'-]*\.?\s+){0,3}[A-ZÀ-Ý][\w’'-]+)"


@dataclass(frozen=True)
class _Speakers:
    """A language's verbs of speech made into the patterns that find a speaker."""

    # A name, then a verb: "Zuckerberg said", "Hortense Quillec a défendu".
    name_verb: re.Pattern[str]
    # A verb or an attribution, then a name: "said Mark Zuckerberg", "according to Facebook".
    # After the verb, a name may end a sentence with a lowercase title: "says Facebook boss".
    verb_name: re.Pattern[str]
    # Capitalised words that start a sentence or a clause, not a name ("But Zuckerberg said").
    not_names: frozenset[str]
    # Text between the language's quotation marks, within one line: one group per pair.
    quoted: re.Pattern[str]


def _phrases(phrases: tuple[str, ...], capital: bool = False) -> str:
    """Phrases as one alternation: any white space between words, either apostrophe, and, with
    `capital`, the first letter in either case ("According to", "according to")."""
    found = []
    for phrase in phrases:
        head = f"[{phrase[0].upper()}{phrase[0]}]" if capital else re.escape(phrase[0])
        found.append(head + re.escape(phrase[1:]).replace(r"\ ", r"\s+").replace("'", "['’]"))
    return "|".join(found)


def _speakers(language: Language) -> _Speakers:
    verb = f"(?:{_phrases(language.speech_verbs)})"
    attribution = _phrases(language.attributions, capital=True)
    return _Speakers(
        re.compile(_NAME + r"\s+(?:has\s+|had\s+)?" + verb + r"\b"),
        re.compile(
            rf"\b(?:{verb}|{attribution})\s+"
            + _NAME
            + r"(?:(?P<role>\s+[a-z]+)(?=\s*(?:[,.;:!?]|$)))?"
        ),
        language.not_names,
        re.compile(
            "|".join(
                f"{re.escape(a)}([^{re.escape(b)}\\n]+){re.escape(b)}"
                for a, b in language.quotation_marks
            )
        ),
    )


# Every language's patterns, made once when the module is imported.
_SPEAKERS = {code: _speakers(language) for code, language in languages.LANGUAGES.items()}


def _quotes(text: str, language: Language) -> list[tuple[Kind, int, int, str, str]]:
    found: list[tuple[Kind, int, int, str, str]] = []
    speakers = _SPEAKERS[language.code]
    for match in speakers.quoted.finditer(text):
        group = next(g for g in range(1, len(match.groups()) + 1) if match.group(g) is not None)
        words = match.group(group)
        if len(_WORD.findall(words)) < MIN_QUOTE_WORDS:
            continue
        # The words, without the spaces inside guillemets (« ... »).
        start = match.start(group) + len(words) - len(words.lstrip())
        end = match.end(group) - (len(words) - len(words.rstrip()))
        # The comma before "he said" is the sentence's, not the speaker's.
        shown = " ".join(words.split()).rstrip(",;:")
        speaker = _speaker(text, match.start(), match.end(), speakers)
        found.append(("quote", start, end, shown, speaker))
    return found


def _speaker(text: str, start: int, end: int, speakers: _Speakers) -> str:
    """The name next to a verb of speech in the quotation's sentence, after it first."""
    line_start = text.rfind("\n", 0, start) + 1
    line_end = text.find("\n", end)
    line_end = len(text) if line_end < 0 else line_end
    ends = [m.end() for m in _SENTENCE_END.finditer(text, line_start, start)]
    before = text[ends[-1] if ends else line_start : start]
    stop = _SENTENCE_END.search(text, end, line_end)
    after = text[end : stop.start() if stop else line_end]
    # Right after the quotation: ", said Mark Zuckerberg" or ", Zuckerberg added".
    head = after.lstrip(" ,.:;!?—–-")
    for pattern in (speakers.verb_name, speakers.name_verb):
        match = pattern.match(head)
        if match and (name := _clean(match["name"], speakers.not_names)):
            return name + (match.groupdict().get("role") or "")
    # Before it: the last "Zuckerberg said" or "according to Facebook" of the sentence.
    matches = [*speakers.name_verb.finditer(before), *speakers.verb_name.finditer(before)]
    for match in sorted(matches, key=lambda m: m.end(), reverse=True):
        if name := _clean(match["name"], speakers.not_names):
            return name
    return ""


def _clean(name: str, not_names: frozenset[str]) -> str:
    words = name.split()
    while words and words[0] in not_names:
        words.pop(0)
    return " ".join(words)
