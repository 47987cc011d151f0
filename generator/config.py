"""Config: where a site's folders are, what a build is asked to do, and the default rating scale."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

# The theme shipped with the generator, used by any site folder without a theme/ of its own.
DEFAULT_THEME = Path(__file__).resolve().parent.parent / "theme"

# Marks an output folder as ours, so a rebuild may replace it (see write.py).
OUTPUT_MARKER = ".factcheck-output"

# Used when site.yaml has no `ratings`: best first. The order follows Africa Check's scale,
# which places "Unproven" between the true and the false ratings.
DEFAULT_RATINGS = (
    ("accurate", "Accurate", "The statement is correct and nothing significant is missing."),
    (
        "mostly-accurate",
        "Mostly accurate",
        "The statement is correct but needs clarification or additional information.",
    ),
    (
        "unproven",
        "Unproven",
        "The evidence available does not establish whether the statement is correct or not.",
    ),
    (
        "misleading",
        "Misleading",
        "The statement contains an element of truth but leaves out or distorts facts "
        "that would give a different impression.",
    ),
    ("inaccurate", "Inaccurate", "The statement is not correct."),
)


@dataclass(frozen=True)
class Paths:
    """The folders of one site."""

    # The site folder, holding content/ and seeds/.
    root: Path
    # Where editors write YAML and Markdown.
    content: Path
    # Archived source texts.
    seeds: Path
    # Templates and static assets: the site's own theme/, or the default one.
    theme: Path
    # Where the built site goes.
    out: Path
    # The folders of the interface's translation tables, in the order they are merged: the
    # shipped theme's theme/i18n/, then the site's own theme/i18n/ (which may be all its
    # theme/ holds: a site can translate the shipped theme without copying its templates).
    tables: tuple[Path, ...] = (DEFAULT_THEME / "i18n",)

    @classmethod
    def for_site(cls, root: Path, out: Path | None = None) -> Paths:
        root = root.resolve()
        theme = root / "theme" if (root / "theme" / "templates").is_dir() else DEFAULT_THEME
        tables = tuple(dict.fromkeys((DEFAULT_THEME / "i18n", root / "theme" / "i18n")))
        out = (out or root / "_site").resolve()
        return cls(root, root / "content", root / "seeds", theme, out, tables)


@dataclass(frozen=True)
class Options:
    """What the user asked of this build."""

    # Treat warnings as errors.
    strict: bool = False
    # Replaces site.yaml's base_url when set (e.g. the address GitHub Pages reports).
    base_url: str | None = None
