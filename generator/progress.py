"""Progress: how a build tells whoever runs it which stage it is at and how far it has got."""

from __future__ import annotations

from typing import Protocol


class Progress(Protocol):
    """What a build reports as it goes. The library only calls these; the command line (or
    the preview) decides whether and how to show them (see report.py)."""

    def stage(self, name: str, total: int = 0) -> None:
        """A stage begins: its name ("reading content"), and how many items it will go
        through, or 0 when it does not count them."""

    def advance(self, count: int = 1) -> None:
        """`count` more items of the current stage are done."""


class Silent:
    """The progress of a build nobody watches: the default."""

    def stage(self, name: str, total: int = 0) -> None:
        pass

    def advance(self, count: int = 1) -> None:
        pass


SILENT = Silent()
