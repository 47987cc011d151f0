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

A candidate counts as cited when a verified quotation of any fact-check overlaps it: a
figure's number, or the words of a quoted statement. Fact-checks with errors cite nothing
until they are fixed, since their quotations are not verified.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from .analyse import anchoring, figures
from .config import Options
from .diagnostics import Diagnostic, Diagnostics
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
    found = tuple(
        SourceSuggestions(sid, f"seeds/{source.file}", tuple(uncited(source, cited[sid])))
        for sid, source in sorted(model.sources.items())
    )
    return Report(found, diags.sorted())


def uncited(source: Source, spans: list[tuple[int, int]]) -> list[Suggestion]:
    """The figures and quoted statements of a source that no span overlaps, in reading order."""
    return [
        s
        for s in candidates(source.text, f"seeds/{source.file}")
        if not any(s.start < end and start < s.end for start, end in spans)
    ]


def candidates(text: str, file: str) -> list[Suggestion]:
    """Every figure and quoted statement of an archived text, in reading order."""
    found = [
        Suggestion(kind, file, line_of(text, start), shown, speaker, start, end)
        for kind, start, end, shown, speaker in [*_figures(text), *_quotes(text)]
    ]
    return sorted(found, key=lambda s: (s.start, s.kind))


# --- Figures ---------------------------------------------------------------------------------


# Words that follow a number without being its unit ("in 2018 the", "112 à 116").
def _word_set(words: str) -> frozenset[str]:
    return frozenset(words.split())


FUNCTION_WORDS = _word_set(
    """a an the and or nor but of to in on at for with by from as than then that this these
    those is are was were be been being has have had it its he she they we you i his her their
    our who which when where while after before into onto over under about up down out off per
    so if not no yet also only just still more most less least
    le la les l de des du d et ou en au aux un une à a pour par sur dans que qu qui est sont
    ce cette ces son sa ses leur leurs contre avec sans entre"""
)

_UNIT = re.compile(r"[ \t\u00a0\u202f]*(%|per ?cent\b)|[ \t\u00a0\u202f]+([^\W\d_][\w’'-]*)")
# Separators of groups of three digits in "600 000": a space, a no-break space, a thin one.
_GROUP = re.compile(r"[ \u00a0\u202f]\d{3}(?!\w)")
_YEAR = re.compile(r"(?:18|19|20)\d{2}")


def _figures(text: str) -> list[tuple[Kind, int, int, str, str]]:
    found: list[tuple[Kind, int, int, str, str]] = []
    mentions = figures.parse_numbers(text)
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
        if not word or word.lower().strip("’'") in FUNCTION_WORDS:
            if not currency:
                continue  # no unit: a year, a count of nothing named, a page number
            word, unit = "", None
        if _YEAR.fullmatch(text[start:end]) and not currency and word != "%":
            continue
        number = text[start:end]
        shown = f"{number}{unit.group() if unit else ''}"
        bound = figures.bound_before(text, start)
        if bound is not None:
            shown = f"{bound[1]} {shown}"
        found.append(("figure", start, end, " ".join(shown.split()), ""))
    return found


# --- Quoted statements -----------------------------------------------------------------------

# Text between quotation marks, within one line: straight, curly (“ ”) or guillemets (« »).
_QUOTED = re.compile(r'"([^"\n]+)"|“([^”\n]+)”|«([^»\n]+)»')
_WORD = re.compile(r"\w+(?:[’']\w+)*")
# Where a sentence ends: the speaker is looked for within the quotation's sentence.
_SENTENCE_END = re.compile(r"[.!?][\"”»’)]*\s")

# Verbs that introduce a speaker, English and French ("a déclaré" is one verb).
SPEECH_VERBS = (
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
)
_VERB = "(?:" + "|".join(re.escape(v).replace(r"\ ", r"\s+") for v in SPEECH_VERBS) + ")"
# A name: one to four capitalised words ("Mr Zuckerberg", "Mark Zuckerberg", "Facebook").
_NAME = r"(?P<name>(?:[A-ZÀ-Ý][\w’'-]*\.?\s+){0,3}[A-ZÀ-Ý][\w’'-]+)"
_NAME_VERB = re.compile(_NAME + r"\s+(?:has\s+|had\s+)?" + _VERB + r"\b")
# After the verb, a name may end a sentence with a lowercase title: "says Facebook boss".
_VERB_NAME = re.compile(
    r"\b(?:"
    + _VERB
    + r"|[Aa]ccording\s+to|[Ss]elon)\s+"
    + _NAME
    + r"(?:(?P<role>\s+[a-z]+)(?=\s*(?:[,.;:!?]|$)))?"
)
# Words that start a sentence or a clause, not a name ("But Zuckerberg said").
_NOT_NAMES = _word_set(
    "A An The But And As In On At So Then When While After Before If Yet However Asked "
    "I He She It We You They Pour Selon Le La Les Et Mais Il Elle Nous Vous Ils Elles"
)


def _quotes(text: str) -> list[tuple[Kind, int, int, str, str]]:
    found: list[tuple[Kind, int, int, str, str]] = []
    for match in _QUOTED.finditer(text):
        group = next(g for g in (1, 2, 3) if match.group(g) is not None)
        words = match.group(group)
        if len(_WORD.findall(words)) < MIN_QUOTE_WORDS:
            continue
        # The words, without the spaces inside guillemets (« ... »).
        start = match.start(group) + len(words) - len(words.lstrip())
        end = match.end(group) - (len(words) - len(words.rstrip()))
        # The comma before "he said" is the sentence's, not the speaker's.
        shown = " ".join(words.split()).rstrip(",;:")
        found.append(("quote", start, end, shown, _speaker(text, match.start(), match.end())))
    return found


def _speaker(text: str, start: int, end: int) -> str:
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
    for pattern in (_VERB_NAME, _NAME_VERB):
        match = pattern.match(head)
        if match and (name := _clean(match["name"])):
            return name + (match.groupdict().get("role") or "")
    # Before it: the last "Zuckerberg said" or "according to Facebook" of the sentence.
    matches = [*_NAME_VERB.finditer(before), *_VERB_NAME.finditer(before)]
    for match in sorted(matches, key=lambda m: m.end(), reverse=True):
        if name := _clean(match["name"]):
            return name
    return ""


def _clean(name: str) -> str:
    words = name.split()
    while words and words[0] in _NOT_NAMES:
        words.pop(0)
    return " ".join(words)
