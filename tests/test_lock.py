"""The lock files: every package at one version with its hashes, within the declared ranges."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from packaging.markers import Marker
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name
from packaging.version import Version

REPO = Path(__file__).resolve().parent.parent
LOCKS = {"requirements.in": "requirements.txt", "requirements-dev.in": "requirements-dev.txt"}


def logical_lines(path: Path) -> list[str]:
    """The file's requirement lines, continuations joined, comments dropped."""
    text = re.sub(r"\\\n", " ", path.read_text(encoding="utf-8"))
    lines = (line.split(" #", 1)[0].strip() for line in text.splitlines())
    return [line for line in lines if line and not line.startswith("#")]


def locked(lock: str) -> dict[str, list[tuple[Version, Marker | None, list[str]]]]:
    """Each package of a lock file: its pinned version(s), their markers and their hashes."""
    found: dict[str, list[tuple[Version, Marker | None, list[str]]]] = {}
    for line in logical_lines(REPO / lock):
        spec, *options = line.split(" --hash=")
        req = Requirement(spec)
        (pin,) = req.specifier
        assert pin.operator == "==", f"{lock}: {line} is not pinned to one version"
        found.setdefault(canonicalize_name(req.name), []).append(
            (Version(pin.version), req.marker, [h.strip() for h in options])
        )
    return found


def declared(source: str) -> list[Requirement]:
    """The requirements a `.in` file declares, following its `-r` includes."""
    reqs = []
    for line in logical_lines(REPO / source):
        if line.startswith("-r "):
            reqs += declared(line[3:].strip())
        elif not line.startswith("-"):
            reqs.append(Requirement(line))
    return reqs


@pytest.mark.parametrize("lock", LOCKS.values())
def test_every_locked_package_has_one_version_and_its_hashes(lock: str) -> None:
    packages = locked(lock)
    assert packages, f"{lock} locks nothing"
    for name, pins in packages.items():
        for version, _, hashes in pins:
            assert hashes, f"{lock}: {name}=={version} has no hash"
            assert all(re.fullmatch(r"sha256:[0-9a-f]{64}", h) for h in hashes), name
        # Several pins only for different Pythons or platforms, told apart by markers.
        if len(pins) > 1:
            assert all(marker is not None for _, marker, _ in pins), name


@pytest.mark.parametrize(("source", "lock"), LOCKS.items())
def test_the_lock_holds_every_declared_package_within_its_range(source: str, lock: str) -> None:
    packages = locked(lock)
    for req in declared(source):
        name = canonicalize_name(req.name)
        assert name in packages, f"{source} declares {req.name}, which {lock} does not lock"
        for version, _, _ in packages[name]:
            assert req.specifier.contains(version, prereleases=True), (
                f"{lock} locks {name}=={version}, outside {source}'s range {req.specifier}"
            )


def test_the_test_lock_keeps_the_generators_versions() -> None:
    runtime, dev = locked("requirements.txt"), locked("requirements-dev.txt")
    for name, pins in runtime.items():
        assert [v for v, _, _ in dev.get(name, [])] == [v for v, _, _ in pins], name


def test_the_quick_start_installs_from_the_locks() -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Quick start", 1)[1].split("\n## ", 1)[0]
    block = section.split("```sh\n", 1)[1].split("```", 1)[0]
    commands = [line for line in block.splitlines() if line.strip()]
    assert commands == [
        "python -m pip install -r requirements.txt && python build.py",
        "python -m pip install -r requirements-dev.txt && python -m pytest",
    ]
