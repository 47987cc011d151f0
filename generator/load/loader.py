"""Loader: read YAML and Markdown files into values that remember where each was written."""

from __future__ import annotations

import functools
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from ..diagnostics import Diagnostics, Location

# libyaml's parser is an order of magnitude faster; fall back to the pure-Python one if absent.
_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

# A content file larger than this is almost certainly a mistake (a pasted PDF, a log file).
MAX_FILE_BYTES = 1_000_000

# Content nests a few levels deep (a claim's appearances hold mappings); deeper is refused.
MAX_DEPTH = 50
# libyaml builds nested values recursively and crashes the interpreter on tens of thousands of
# levels. A file that might nest deeper than this is first read as an event stream, without
# recursion, and refused there (see _may_nest_deeper); any other is built at once.
SAFE_DEPTH = 200

# Every alias is refused; past this many in one file, the rest are refused without a message each.
MAX_ALIAS_REPORTS = 10


class _Invalid:
    """Stands for a value the loader has already reported as wrong, so it is not reported twice."""

    def __repr__(self) -> str:
        return "INVALID"


INVALID = _Invalid()


# Where a value is written, as one int: its line shifted left by _COLUMN_BITS, plus its column
# (both 1-based). A large site's files hold hundreds of thousands of values; each keeps its
# place so, and a Location is made only for the few that a message or the model asks for.
_COLUMN_BITS = 21  # files are at most MAX_FILE_BYTES long, so no column reaches 2 ** 21


def _place(line: int, col: int) -> int:
    return line << _COLUMN_BITS | col


def _location(path: str, place: int) -> Location:
    return Location(path, place >> _COLUMN_BITS, place & ((1 << _COLUMN_BITS) - 1))


class YMap(dict):
    """A YAML mapping that remembers the location of itself, of each key and of each value."""

    # Slots: a large site's files hold hundreds of thousands of mappings and lists.
    __slots__ = ("key_places", "path", "place", "value_places")
    # The file, relative to the site root.
    path: str
    # Where the mapping is written (see _place).
    place: int
    # Where each key is written.
    key_places: dict[str, int]
    # Where each key's value is written.
    value_places: dict[str, int]

    @property
    def loc(self) -> Location:
        return _location(self.path, self.place)

    def where(self, key: str) -> Location:
        """The location of a key's value, or of the mapping when the key is absent."""
        return _location(self.path, self.value_places.get(key, self.place))

    def where_key(self, key: str) -> Location:
        return _location(self.path, self.key_places.get(key, self.place))


class YList(list):
    """A YAML sequence that remembers the location of itself and of each item."""

    __slots__ = ("item_places", "path", "place")
    # The file, and where the list is written, as in YMap.
    path: str
    place: int
    # Where each item is written.
    item_places: list[int]

    @property
    def loc(self) -> Location:
        return _location(self.path, self.place)

    @property
    def item_locs(self) -> list[Location]:
        return [_location(self.path, place) for place in self.item_places]


@dataclass(frozen=True)
class MarkdownFile:
    """A Markdown file split into its YAML front matter and its body."""

    # The front matter, an empty YMap when the file has none.
    meta: YMap
    # The Markdown text after the front matter.
    body: str
    # 1-based line of the body's first line in the file, for locating Markdown problems.
    body_line: int


def relative(path: Path, root: Path) -> str:
    """A path as the user sees it in diagnostics: relative to the site root when possible."""
    try:
        return _resolve(path).relative_to(_resolved(root)).as_posix()
    except ValueError:
        return path.as_posix()


def _resolve(path: Path) -> Path:
    """path.resolve(), the folder resolved once for all its files: a file that is no symbolic
    link resolves to its resolved folder and its name (one lstat, where resolving the whole
    path takes one per part of it)."""
    if path.name in {"", ".", ".."} or path.is_symlink():
        return path.resolve()
    return _resolved(path.parent) / path.name


@functools.lru_cache(maxsize=64)
def _resolved(folder: Path) -> Path:
    # Resolved once, not once per content file: a site has tens of thousands.
    return folder.resolve()


def read_text(path: Path, root: Path, diags: Diagnostics, rel: str = "") -> str | None:
    """Read a UTF-8 text file, with a diagnostic (not an exception) for anything wrong; `rel`:
    the path as diagnostics show it, if known."""
    where = Location(rel or relative(path, root))
    try:
        data = path.read_bytes()
    except OSError as exc:
        diags.error(where, f"cannot read file: {exc.strerror}")
        return None
    if len(data) > MAX_FILE_BYTES:
        diags.error(
            where,
            f"file is {len(data):,} bytes, over the limit of {MAX_FILE_BYTES:,}",
            "content files are short YAML or Markdown; split it or check it is the right file",
        )
        return None
    return decode(data, where, diags)


def decode(data: bytes, where: Location, diags: Diagnostics) -> str | None:
    """Decode UTF-8, accepting a byte-order mark and CRLF line endings, which are harmless."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        col = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        diags.error(
            Location(where.path, line, col),
            f"file is not valid UTF-8 (byte 0x{data[exc.start]:02x})",
            "save the file as UTF-8 in your editor",
        )
        return None
    return text.removeprefix("\ufeff").replace("\r\n", "\n")


def load_yaml(path: Path, root: Path, diags: Diagnostics) -> Any:
    """Load one YAML file; None (with diagnostics) when it cannot be read or parsed."""
    rel = relative(path, root)
    text = read_text(path, root, diags, rel)
    if text is None:
        return None
    return parse_yaml(text, rel, diags)


def parse_yaml(text: str, rel: str, diags: Diagnostics, line_offset: int = 0) -> Any:
    """Parse YAML text into YMap / YList / scalars; `line_offset` shifts lines (front matter)."""
    if not text.strip():
        diags.error(Location(rel, 1, 1), "file is empty", "see the README for the keys it needs")
        return None
    try:
        try:
            if _may_nest_deeper(text, SAFE_DEPTH) and _scan(text, rel, diags, line_offset) is None:
                return None
            node = yaml.compose(text, Loader=_Loader)
        except yaml.YAMLError:
            if _nests_too_deep(text, rel, diags, line_offset):
                return None
            raise
    except yaml.MarkedYAMLError as exc:
        diags.error(
            _mark_location(rel, exc, line_offset), _yaml_message(exc), _yaml_hint(exc, text)
        )
        return None
    except yaml.YAMLError as exc:
        diags.error(
            _reader_location(rel, exc, text, line_offset),
            f"invalid YAML: {_reader_message(exc)}",
            "remove the control character; it is usually pasted by accident",
        )
        return None
    if node is None:
        diags.error(Location(rel, 1, 1), "file holds no data", "see the README for its keys")
        return None
    found = Diagnostics()
    try:
        value = _Converter(rel, found, line_offset, text).convert(node)
    except _TooDeep as exc:
        _report_too_deep(exc.mark, rel, diags, line_offset)
        return None
    diags.extend(found.sorted())
    return value


def _may_nest_deeper(text: str, depth: int) -> bool:
    """Whether the text could nest collections more than `depth` levels deep. Each level takes
    more indentation, or one of the characters counted here; most files are far below."""
    indent = depth - sum(text.count(c) for c in "-:?[{")
    if indent <= 0:
        return True
    # Whether a line starts with that many spaces: a search for them after a line break, where
    # measuring every line's indentation builds a string per line.
    spaces = " " * indent
    return text.startswith(spaces) or "\n" + spaces in text


class _TooDeep(Exception):
    """Raised by the converter at the first collection nested more than MAX_DEPTH deep."""

    def __init__(self, mark: yaml.Mark) -> None:
        self.mark = mark


def _report_too_deep(mark: yaml.Mark, rel: str, diags: Diagnostics, line_offset: int) -> None:
    diags.error(
        Location(rel, mark.line + 1 + line_offset, mark.column + 1),
        f"values are nested more than {MAX_DEPTH} levels deep",
        "content files nest a few levels at most; check the brackets and indentation",
    )


def _nests_too_deep(text: str, rel: str, diags: Diagnostics, line_offset: int) -> bool:
    """Whether a file the fast parser refused nests too deep: if so, report it as our own error.

    libyaml (PyYAML 6.0.4 on) stops at a nesting limit of its own, in words of its own, and
    may read far ahead of the events it has handed over. The pure-Python parser has no such
    limit and builds nothing recursively, so it is asked where the nesting first goes too deep;
    the user then reads the same located message whatever release of libyaml is installed.
    """
    try:
        return _scan(text, rel, diags, line_offset, yaml.SafeLoader) is None
    except yaml.YAMLError:
        return False  # a real syntax error: the fast parser's report of it stands


def _scan(
    text: str, rel: str, diags: Diagnostics, line_offset: int, parser: type = _Loader
) -> list[yaml.Mark] | None:
    """Read the event stream once: refuse too deep nesting; return where each alias is written."""
    depth = 0
    aliases: list[yaml.Mark] = []
    for event in yaml.parse(text, Loader=parser):
        if isinstance(event, yaml.CollectionStartEvent):
            depth += 1
            if depth > MAX_DEPTH:
                _report_too_deep(event.start_mark, rel, diags, line_offset)
                return None
        elif isinstance(event, yaml.CollectionEndEvent):
            depth -= 1
        elif isinstance(event, yaml.AliasEvent):
            aliases.append(event.start_mark)
    return aliases


def load_markdown(path: Path, root: Path, diags: Diagnostics) -> MarkdownFile | None:
    """Load a Markdown file with `---` delimited YAML front matter."""
    text = read_text(path, root, diags)
    if text is None:
        return None
    rel = relative(path, root)
    lines = text.split("\n")
    if not lines or lines[0].strip() != "---":
        diags.error(
            Location(rel, 1, 1),
            "missing front matter",
            "start the file with a line '---', then 'title: ...', then a line '---'",
        )
        return None
    try:
        end = next(i for i in range(1, len(lines)) if lines[i].strip() == "---")
    except StopIteration:
        diags.error(Location(rel, 1, 1), "front matter is not closed", "add a line '---' after it")
        return None
    block = "\n".join(lines[1:end])
    # Blank front matter is an empty mapping (validation names the keys it lacks), not an
    # empty file.
    meta = parse_yaml(block, rel, diags, line_offset=1) if block.strip() else _empty_map(rel)
    if meta is None:
        return None
    if not isinstance(meta, YMap):
        diags.error(Location(rel, 2, 1), "front matter must be a mapping of keys to values")
        return None
    return MarkdownFile(meta, "\n".join(lines[end + 1 :]), end + 2)


def _empty_map(rel: str) -> YMap:
    result = YMap()
    result.path, result.place = rel, _place(1, 1)
    result.key_places, result.value_places = {}, {}
    return result


class _Converter:
    """Turn a composed YAML node tree into YMap / YList / scalars; check what PyYAML lets pass."""

    def __init__(self, rel: str, diags: Diagnostics, line_offset: int, text: str) -> None:
        self.rel = rel
        self.diags = diags
        self.line_offset = line_offset
        self.constructor = yaml.constructor.SafeConstructor()
        # Aliases resolve to the very same node object; seeing one twice means an alias was used.
        # The converter never descends into a node twice, so a "billion laughs" file costs no
        # more than its own length. None when the text has no "&": an alias names an anchor,
        # set with "&" (an alias to none makes the parser refuse the file), so without one no
        # node can be met twice, and the nodes of most files need not be remembered.
        self.seen: set[int] | None = set() if "&" in text else None
        # The file's text, read again for where its aliases are written if it has any.
        self.text = text
        self.aliases_reported = 0
        # How deep the collection being converted is nested.
        self.depth = 0

    def place(self, node: yaml.Node) -> int:
        mark = node.start_mark
        return _place(mark.line + 1 + self.line_offset, mark.column + 1)

    def loc(self, node: yaml.Node) -> Location:
        return self.mark_loc(node.start_mark)

    def mark_loc(self, mark: yaml.Mark) -> Location:
        return Location(self.rel, mark.line + 1 + self.line_offset, mark.column + 1)

    def alias_loc(self, node: yaml.Node) -> Location:
        """Where the next alias is written (the node itself is where its anchor was set)."""
        if self.aliases_reported < len(self.alias_marks):
            return self.mark_loc(self.alias_marks[self.aliases_reported])
        return self.loc(node)

    @functools.cached_property
    def alias_marks(self) -> list[yaml.Mark]:
        """Where each alias is written, in document order (the node tree does not say)."""
        marks = _scan(self.text, self.rel, Diagnostics(), self.line_offset)
        return marks or []

    def is_alias(self, node: yaml.Node) -> bool:
        """Report an alias (a node met before); remember the node otherwise."""
        if self.seen is None:
            return False  # no anchor: no alias
        if id(node) in self.seen:
            if self.aliases_reported < MAX_ALIAS_REPORTS:
                self.diags.error(
                    self.alias_loc(node),
                    "YAML aliases (*name) are not allowed",
                    "write the value out in full; aliases make content hard to review",
                )
            self.aliases_reported += 1
            return True
        self.seen.add(id(node))
        return False

    def convert(self, node: yaml.Node) -> Any:
        if (self.seen is not None and self.is_alias(node)) or not self.plain_tag(node):
            return INVALID
        if isinstance(node, yaml.ScalarNode):
            # Text, nearly every value, is the node's own: the constructor would return it.
            return node.value if node.tag == _STR else self.scalar(node)
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise _TooDeep(node.start_mark)
        value = self.mapping(node) if isinstance(node, yaml.MappingNode) else self.sequence(node)
        self.depth -= 1
        return value

    def plain_tag(self, node: yaml.Node) -> bool:
        """Refuse explicit tags (`!!binary`, `!!python/...`): content is text, numbers, dates."""
        if node.tag in _PLAIN_TAGS:
            return True
        self.diags.error(
            self.loc(node),
            f"YAML tag '{node.tag.replace(_CORE, '!!')}' is not allowed",
            "remove the tag; quote the value if it is text",
        )
        return False

    def scalar(self, node: yaml.Node) -> Any:
        try:
            return self.constructor.construct_object(node, deep=True)
        except (ValueError, yaml.YAMLError) as exc:
            self.diags.error(
                self.loc(node),
                f"invalid value {_shorten(node.value)!r}: {_shorten(str(exc).splitlines()[0])}",
                "dates are written YYYY-MM-DD and must exist; quote the value if it is text",
            )
            return INVALID

    def sequence(self, node: yaml.SequenceNode) -> YList:
        result = YList(self.convert(item) for item in node.value)
        result.path, result.place = self.rel, self.place(node)
        result.item_places = [self.place(item) for item in node.value]
        return result

    def mapping(self, node: yaml.MappingNode) -> YMap:
        result = YMap()
        result.path, result.place = self.rel, self.place(node)
        result.key_places, result.value_places = {}, {}
        for key_node, value_node in node.value:
            key = self.key(key_node)
            if key is None:
                continue
            if key in result:
                self.diags.error(
                    self.loc(key_node),
                    f"duplicate key '{key}' (first set on line {result.where_key(key).line})",
                    "YAML keeps only one of them; delete or rename one",
                )
                continue
            result[key] = self.convert(value_node)
            result.key_places[key] = self.place(key_node)
            result.value_places[key] = self.place(value_node)
        return result

    def key(self, node: yaml.Node) -> str | None:
        if self.is_alias(node):
            return None
        if isinstance(node, yaml.ScalarNode) and node.tag == _STR:
            return sys.intern(node.value)  # one copy of each key name, in every file
        self.diags.error(
            self.loc(node),
            f"keys must be plain words, not {_node_kind(node)}",
            "check the indentation and the spelling of the key",
        )
        return None


_CORE = "tag:yaml.org,2002:"
_STR = _CORE + "str"
# The tags YAML gives values written without a tag; others come only from a tag in the file.
# ("=" is read as "value" and "<<" as "merge": the constructor then reports them as invalid.)
_PLAIN_TAGS = {
    _CORE + name
    for name in ("map", "seq", "str", "int", "float", "bool", "null", "timestamp", "value", "merge")
}


def _shorten(text: str, limit: int = 60) -> str:
    """A value quoted in a message, cut so that a pasted paragraph does not flood the report."""
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _node_kind(node: yaml.Node) -> str:
    if isinstance(node, yaml.MappingNode):
        return "a mapping"
    if isinstance(node, yaml.SequenceNode):
        return "a list"
    return f"the value {node.value!r}"


def _mark_location(rel: str, exc: yaml.MarkedYAMLError, line_offset: int) -> Location:
    mark = exc.problem_mark or exc.context_mark
    if mark is None:
        return Location(rel, 1 + line_offset, 1)
    return Location(rel, mark.line + 1 + line_offset, mark.column + 1)


def _reader_location(rel: str, exc: yaml.YAMLError, text: str, line_offset: int) -> Location:
    """Where a reader error (a character YAML does not allow) is, from its character offset."""
    position = getattr(exc, "position", None)
    if not isinstance(position, int) or not 0 <= position <= len(text):
        return Location(rel, 1 + line_offset, 1)
    line = text.count("\n", 0, position) + 1
    col = position - (text.rfind("\n", 0, position) + 1) + 1
    return Location(rel, line + line_offset, col)


def _reader_message(exc: yaml.YAMLError) -> str:
    character = getattr(exc, "character", None)
    if isinstance(character, str | int):
        code = ord(character) if isinstance(character, str) else character
        return f"the character U+{code:04X} is not allowed in YAML"
    return str(exc)


def _char_at(exc: yaml.MarkedYAMLError, text: str) -> str:
    """The character a YAML error points at (libyaml's messages do not name it)."""
    mark = exc.problem_mark
    lines = text.split("\n")
    if mark is None or mark.line >= len(lines) or mark.column >= len(lines[mark.line]):
        return ""
    return lines[mark.line][mark.column]


def _yaml_message(exc: yaml.MarkedYAMLError) -> str:
    problem = exc.problem or "invalid YAML"
    if exc.context:
        return f"invalid YAML: {problem} ({exc.context})"
    return f"invalid YAML: {problem}"


def _yaml_hint(exc: yaml.MarkedYAMLError, text: str) -> str:
    problem = exc.problem or ""
    if "\\t" in problem or "\t" in problem or "tab" in problem or _char_at(exc, text) == "\t":
        return "YAML indents with spaces only; replace the tab with spaces"
    if "mapping values are not allowed" in problem:
        return "a value containing ': ' must be quoted; wrap it in double quotes"
    if "could not find expected ':'" in problem or "simple key" in problem:
        return "check the indentation and that each key is followed by ': '"
    if "found undefined alias" in problem or "alias" in problem:
        return "aliases (*name) are not allowed; write the value out in full"
    return "check the indentation and quoting around this line"


@dataclass(frozen=True)
class RawContent:
    """Every content file, parsed but not yet checked: file stem -> parsed value."""

    # content/site.yaml, or None when missing or unreadable.
    site: Any
    # content/sources/<id>.yaml.
    sources: dict[str, Any]
    # content/claims/<id>.yaml.
    claims: dict[str, Any]
    # content/pages/<slug>.md.
    pages: dict[str, MarkdownFile]
    # content/measures/<id>.yaml.
    measures: dict[str, Any]
    # The site root, to locate files in diagnostics.
    root: Path
    # Files that exist but were refused ("sources/<id>"), set by validation: a reference to one
    # is not reported as unknown, since the file's own errors say what is wrong.
    rejected: frozenset[str] = frozenset()

    def exists(self, folder: str, stem: str) -> bool:
        """Whether content/<folder>/<stem> exists, valid or not."""
        return stem in getattr(self, folder) or f"{folder}/{stem}" in self.rejected


def load_content(root: Path, diags: Diagnostics, skip: frozenset[str] = frozenset()) -> RawContent:
    """Read every content file under root/content; report every unreadable one.

    Files named in `skip` ("content/claims/x.yaml") are left out: the build already has their
    model from the last build (see reuse.py).
    """
    content = root / "content"
    site_file = content / "site.yaml"
    site = None
    if site_file.is_file():
        site = load_yaml(site_file, root, diags)
    else:
        diags.error(
            Location(relative(site_file, root)),
            "missing site configuration",
            "create content/site.yaml with title, base_url and publisher (see the README)",
        )
    return RawContent(
        site=site,
        sources=_load_all(content / "sources", root, diags, skip),
        claims=_load_all(content / "claims", root, diags, skip),
        pages={
            p.stem: md
            for p in _files(content / "pages", ".md", root, diags)
            if (md := load_markdown(p, root, diags)) is not None
        },
        measures=_load_all(content / "measures", root, diags, skip),
        root=root,
    )


def _load_all(folder: Path, root: Path, diags: Diagnostics, skip: frozenset[str]) -> dict[str, Any]:
    """Every YAML file of one folder (but those skipped), by file stem."""
    return {p.stem: load_yaml(p, root, diags) for p in _files(folder, ".yaml", root, diags, skip)}


def _files(
    folder: Path, suffix: str, root: Path, diags: Diagnostics, skip: frozenset[str] = frozenset()
) -> list[Path]:
    """The content files of one kind, sorted; a file with another extension is flagged."""
    if not folder.is_dir():
        return []
    found = []
    # By name (as Path order is within one folder, but much faster for thousands of files).
    for path in sorted(folder.iterdir(), key=lambda path: path.name):
        if path.name.startswith(".") or path.name.endswith("~"):
            continue  # editor swap and backup files
        if f"content/{folder.name}/{path.name}" in skip:
            continue
        if path.suffix == suffix and path.is_file():
            found.append(path)
        elif path.suffix in {".yml", ".markdown"}:
            diags.error(
                Location(relative(path, root)),
                f"unexpected file extension '{path.suffix}'",
                f"rename it to {path.stem}{suffix}",
            )
    return found
