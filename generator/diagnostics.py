"""Diagnostics: errors and warnings as values with a location, collected and reported together."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from functools import cache
from operator import attrgetter


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True)
class Diagnostic:
    """One problem in what the user wrote, located as precisely as we can."""

    # Path of the file, relative to the site root, with forward slashes ("content/claims/x.yaml").
    path: str
    # 1-based line; 0 when the problem concerns the whole file.
    line: int
    # 1-based column; 0 when unknown.
    col: int
    # Whether the build must stop.
    severity: Severity
    # What is wrong, in one line.
    message: str
    # How to fix it, in one line; empty when there is nothing useful to add.
    hint: str = ""

    def format(self) -> str:
        """Render GCC-style: `path:line:col: error: message`, then a hint line."""
        location = self.path
        if self.line:
            location += f":{self.line}"
            if self.col:
                location += f":{self.col}"
        text = f"{location}: {self.severity.value}: {self.message}"
        if self.hint:
            text += f"\nhint: {self.hint}"
        return text


class Slotted:
    """Base of frozen dataclasses with slots (dataclass(slots=True) fills in __slots__), made
    again from a pickle by calling the class with the values in field order. (The default
    for such classes looks up the fields of every object unpickled: a cache holds hundreds of
    thousands, and unpickling them took three times as long.)"""

    __slots__ = ()

    def __reduce__(self) -> tuple[type, tuple[object, ...]]:
        cls = type(self)
        return cls, _values(cls)(self)


@cache
def _values(cls: type) -> Callable[[object], tuple[object, ...]]:
    """What gives an object's values in field order, as a tuple: an attrgetter (five times as
    fast as getattr in a loop, for the tens of thousands of objects a cache file holds)."""
    names = cls.__slots__
    if len(names) >= 2:
        return attrgetter(*names)
    return lambda obj: tuple(getattr(obj, name) for name in names)  # attrgetter gives no tuple


@dataclass(frozen=True, slots=True)
class Location(Slotted):
    """Where a value sits in a file: used to attach diagnostics to it. (Slots: the loader
    keeps three per value of every file, hundreds of thousands for a large site.)"""

    # Path relative to the site root.
    path: str
    # 1-based line.
    line: int = 0
    # 1-based column.
    col: int = 0


class Problem(Exception):
    """An error found while files are made (a template that fails, a disk that refuses), when
    no collector is at hand: raised, then reported as a diagnostic by whoever catches it. (Made
    of plain values, so that a worker process can hand it back.)"""

    def __init__(self, where: Location, message: str, hint: str = "") -> None:
        super().__init__(where, message, hint)
        self.where, self.message, self.hint = where, message, hint


class Diagnostics:
    """A collector every stage appends to; the build stops after a stage that reported errors."""

    def __init__(self) -> None:
        self._items: list[Diagnostic] = []

    def error(self, where: Location, message: str, hint: str = "") -> None:
        self._add(where, Severity.ERROR, message, hint)

    def problem(self, problem: Problem) -> None:
        """Report a Problem raised by a stage as an error."""
        self.error(problem.where, problem.message, problem.hint)

    def warning(self, where: Location, message: str, hint: str = "") -> None:
        self._add(where, Severity.WARNING, message, hint)

    def _add(self, where: Location, severity: Severity, message: str, hint: str) -> None:
        self._items.append(Diagnostic(where.path, where.line, where.col, severity, message, hint))

    def extend(self, items: list[Diagnostic]) -> None:
        self._items.extend(items)

    @property
    def errors(self) -> list[Diagnostic]:
        return [d for d in self.sorted() if d.severity is Severity.ERROR]

    @property
    def warnings(self) -> list[Diagnostic]:
        return [d for d in self.sorted() if d.severity is Severity.WARNING]

    def has_errors(self) -> bool:
        return any(d.severity is Severity.ERROR for d in self._items)

    def sorted(self) -> list[Diagnostic]:
        """All diagnostics, by file, line and column, without duplicates."""
        return sorted(set(self._items), key=lambda d: (d.path, d.line, d.col, d.message))

    def promote_warnings(self, strict: bool = True) -> None:
        """Under --strict, every warning counts as an error."""
        if not strict:
            return
        self._items = [
            Diagnostic(d.path, d.line, d.col, Severity.ERROR, d.message, d.hint)
            for d in self._items
        ]


@dataclass(frozen=True)
class BuildResult:
    """What a build did, for the CLI (or the dev server) to report."""

    # Every error and warning, sorted by file and line.
    diagnostics: list[Diagnostic]
    # HTML pages rendered (0 when the build failed).
    pages: int
    # Whether the site was written (build) or would have been (check).
    ok: bool
    # Wall time of the build in seconds.
    seconds: float
