"""The shape of the generator: stages that know nothing of the incremental layer beside them,
a pipeline that shows the whole build in a glance, and a docstring atop every module saying
what it owns."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

GENERATOR = Path(__file__).resolve().parent.parent / "generator"
STAGES = ("load", "analyse", "render", "output")


def modules(folder: Path) -> list[Path]:
    return sorted(folder.rglob("*.py"))


def imported(path: Path, root: Path = GENERATOR.parent) -> set[str]:
    """Every module `path` (under `root`) imports, as absolute dotted names
    ("generator.incremental.store")."""
    package = path.relative_to(root).parts[:-1]
    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = list(package[: len(package) - node.level + 1]) if node.level else []
            module = ".".join([*base, *(node.module.split(".") if node.module else [])])
            names.add(module)
            names.update(f"{module}.{alias.name}" for alias in node.names)
    return names


@pytest.mark.parametrize("stage", STAGES)
def test_no_stage_imports_the_incremental_layer(stage: str) -> None:
    found = {
        path.relative_to(GENERATOR.parent).as_posix(): sorted(
            name for name in imported(path) if name.startswith("generator.incremental")
        )
        for path in modules(GENERATOR / stage)
    }
    assert {path: names for path, names in found.items() if names} == {}


@pytest.mark.parametrize(
    ("name", "line", "expected"),
    [
        (
            "analyse/probe.py",
            "from ..incremental.store import Store",
            "generator.incremental.store",
        ),
        ("analyse/probe.py", "from ..incremental import steps", "generator.incremental.steps"),
        ("analyse/probe.py", "from .. import incremental", "generator.incremental"),
        ("render/__init__.py", "from ..incremental import store", "generator.incremental.store"),
        ("output/write.py", "import generator.incremental.engine", "generator.incremental.engine"),
    ],
)
def test_the_import_check_sees_every_way_to_import(
    tmp_path: Path, name: str, line: str, expected: str
) -> None:
    """The check above would pass for nothing if it misread an import."""
    probe = tmp_path / "generator" / name
    probe.parent.mkdir(parents=True)
    probe.write_text(line + "\n", encoding="utf-8")
    assert expected in imported(probe, tmp_path)


def test_the_pipeline_shows_the_whole_build_in_under_60_lines() -> None:
    lines = (GENERATOR / "pipeline.py").read_text(encoding="utf-8").splitlines()
    assert len(lines) < 60
    source = "\n".join(lines)
    # Stage by stage, in order.
    stages = ["load.read(", "anchoring.analyse(", "discrepancies.analyse(", "pages.render("]
    positions = [source.index(call) for call in stages]
    assert positions == sorted(positions)
    assert source.index("pages.render(") < source.index("write.write(")


@pytest.mark.parametrize(
    "path", modules(GENERATOR), ids=lambda p: p.relative_to(GENERATOR).as_posix()
)
def test_every_module_opens_with_a_docstring_saying_what_it_owns(path: Path) -> None:
    docstring = ast.get_docstring(ast.parse(path.read_text(encoding="utf-8")))
    assert docstring, path
    first = " ".join(docstring.split("\n\n")[0].split())  # its first paragraph
    assert len(first.split()) >= 4 and first.endswith((".", ":")), first
