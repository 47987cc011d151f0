"""Properties: whatever happens to a content file, a build succeeds or reports located errors.

Hypothesis mutates one file of a valid site (deletes a key, changes a value's type, truncates
the file, inserts random bytes or Unicode text, deletes lines) and builds it over the site's
previous output. Every build must either succeed or fail with errors that each name a file of
the site and a line (or concern the whole file); it must never raise, and a failed build must
leave the previous output exactly as it was.
"""

from __future__ import annotations

import hashlib
import re
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator import pipeline
from generator.config import OUTPUT_MARKER, Options, Paths
from generator.incremental.store import FOLDER as CACHE

REPO = Path(__file__).resolve().parent.parent
FIXTURE = REPO / "tests" / "fixtures" / "minimal-site"

# A key at the start of a line, maybe after a list dash: "  - source: x".
KEY_LINE = re.compile(rb"^(\s*(?:-\s+)?)([A-Za-z_]+):(.*)$")
# What a value is replaced by: other types, broken values, things YAML reads in surprising ways.
VALUES = [
    b"42",
    b"-1",
    b"3.5",
    b".nan",
    b"-.inf",
    b"1e999",
    b"5.0e-324",
    b"1.7976931348623157e+308",
    b"1.0e+30",
    b"true",
    b"no",
    b"null",
    b"~",
    b"''",
    b"[]",
    b"{}",
    b"[a, b]",
    b"{a: 1}",
    b"2031-02-30",
    b"2031-02-17 10:00:00",
    b"&a x",
    b"*a",
    b"!!binary aGk=",
    b"!!python/name:os.system",
    b'"\\x00\\x0b"',
    b"|\n  block",
    b"- item",
    b"x: y: z",
    b"'unclosed",
    b"[unclosed",
    b"\t",
    b"\xff\xfe",
    "déjà vu ✓ 😀".encode(),
    b"<script>alert(1)</script>",
    b"../../etc/passwd",
    b"a" * 300,
]


def tree_hash(folder: Path) -> str:
    digest = hashlib.sha256()
    for path in sorted(folder.rglob("*")):
        digest.update(path.relative_to(folder).as_posix().encode() + b"\0")
        if path.is_file():
            digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


def site_files(root: Path) -> dict[str, bytes]:
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in sorted([*(root / "content").rglob("*"), *(root / "seeds").rglob("*")])
        if p.is_file()
    }


# --- mutations -----------------------------------------------------------------------------

Mutation = Callable[[bytes], bytes]


@st.composite
def delete_key(draw: st.DrawFn, data: bytes) -> bytes:
    """Remove a key's line and the lines indented under it."""
    lines = data.split(b"\n")
    keys = [i for i, line in enumerate(lines) if KEY_LINE.match(line)]
    if not keys:
        return data
    start = draw(st.sampled_from(keys))
    indent = len(lines[start]) - len(lines[start].lstrip())
    end = start + 1
    while end < len(lines) and (
        not lines[end].strip() or len(lines[end]) - len(lines[end].lstrip()) > indent
    ):
        end += 1
    return b"\n".join(lines[:start] + lines[end:])


@st.composite
def change_value(draw: st.DrawFn, data: bytes) -> bytes:
    """Give a key a value of another type (or a broken one)."""
    lines = data.split(b"\n")
    keys = [i for i, line in enumerate(lines) if KEY_LINE.match(line)]
    if not keys:
        return data
    index = draw(st.sampled_from(keys))
    match = KEY_LINE.match(lines[index])
    assert match is not None
    lines[index] = match.group(1) + match.group(2) + b": " + draw(st.sampled_from(VALUES))
    return b"\n".join(lines)


@st.composite
def truncate(draw: st.DrawFn, data: bytes) -> bytes:
    return data[: draw(st.integers(0, len(data)))]


@st.composite
def insert_bytes(draw: st.DrawFn, data: bytes) -> bytes:
    at = draw(st.integers(0, len(data)))
    return data[:at] + draw(st.binary(min_size=1, max_size=12)) + data[at:]


@st.composite
def insert_text(draw: st.DrawFn, data: bytes) -> bytes:
    at = draw(st.integers(0, len(data)))
    text = draw(st.text(min_size=1, max_size=12))
    return data[:at] + text.encode("utf-8", "surrogatepass") + data[at:]


@st.composite
def delete_lines(draw: st.DrawFn, data: bytes) -> bytes:
    lines = data.split(b"\n")
    start = draw(st.integers(0, len(lines) - 1))
    count = draw(st.integers(1, 4))
    return b"\n".join(lines[:start] + lines[start + count :])


MUTATIONS = [delete_key, change_value, truncate, insert_bytes, insert_text, delete_lines]


@st.composite
def mutated_site(draw: st.DrawFn, files: dict[str, bytes]) -> dict[str, bytes]:
    """The site's files with one to three of them mutated."""
    result = dict(files)
    for _ in range(draw(st.integers(1, 3))):
        name = draw(st.sampled_from(sorted(files)))
        mutation = draw(st.sampled_from(MUTATIONS))
        result[name] = draw(mutation(result[name]))
    return result


# --- the property --------------------------------------------------------------------------


class Site:
    """A site and its built output, copied afresh for each example."""

    def __init__(self, source: Path, built: Path) -> None:
        self.source = source
        self.built = built
        self.files = site_files(source)
        self.built_hash = tree_hash(built)


def prepare(tmp_path_factory: pytest.TempPathFactory, source: Path) -> Site:
    folder = tmp_path_factory.mktemp(source.name)
    out = folder / "_site"
    result = pipeline.build(Paths.for_site(source, out), Options())
    assert result.ok, "\n".join(d.format() for d in result.diagnostics)
    return Site(source, out)


@pytest.fixture(scope="module")
def minimal(tmp_path_factory: pytest.TempPathFactory) -> Site:
    return prepare(tmp_path_factory, FIXTURE)


@pytest.fixture(scope="module")
def bundled(tmp_path_factory: pytest.TempPathFactory) -> Site:
    return prepare(tmp_path_factory, REPO)


def check_build(site: Site, files: dict[str, bytes]) -> None:
    """Build the mutated files over a copy of the previous output and check the property."""
    with tempfile.TemporaryDirectory() as scratch:
        root = Path(scratch) / "site"
        for name, data in files.items():
            (root / name).parent.mkdir(parents=True, exist_ok=True)
            (root / name).write_bytes(data)
        if (site.source / "theme" / "templates").is_dir():
            shutil.copytree(site.source / "theme", root / "theme")
        out = Path(scratch) / "_site"
        shutil.copytree(site.built, out)

        result = pipeline.build(Paths.for_site(root, out), Options())

        errors = [d for d in result.diagnostics if d.severity == "error"]
        if result.ok:
            assert errors == []
            assert (out / OUTPUT_MARKER).is_file()
            assert (out / "index.html").is_file()
        else:
            assert errors, "a failed build must say why"
            for error in errors:
                assert (root / error.path).exists(), error.format()
                assert error.line >= 1 or (error.line == 0 and error.col == 0), error.format()
                assert error.message.strip(), error.format()
            assert tree_hash(out) == site.built_hash, "a failed build touched the output"
        assert site_files(root) == files, "the build modified the content"
        # The build's store (see incremental/store.py) aside, nothing is left beside the output.
        assert sorted(p.name for p in Path(scratch).iterdir() if p.name != CACHE) == [
            "_site",
            "site",
        ]


SETTINGS = settings(
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


@settings(SETTINGS, max_examples=60)
@given(data=st.data())
def test_a_mutated_fixture_site_builds_or_reports_located_errors(
    minimal: Site, data: st.DataObject
) -> None:
    check_build(minimal, data.draw(mutated_site(minimal.files)))


@settings(SETTINGS, max_examples=20)
@given(data=st.data())
def test_a_mutated_bundled_site_builds_or_reports_located_errors(
    bundled: Site, data: st.DataObject
) -> None:
    """The bundled site adds measures and figures (charts) and quotation variants."""
    check_build(bundled, data.draw(mutated_site(bundled.files)))
