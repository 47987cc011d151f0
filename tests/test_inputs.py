"""inputs.combine, the digest every fingerprint and cache key is made with: equal values give
equal digests whatever objects hold them and in whichever process; different values differ."""

from __future__ import annotations

import importlib
import os
import pickle
import subprocess
import sys
from pathlib import Path

import pytest

from generator.diagnostics import Location
from generator.incremental import inputs
from generator.incremental.inputs import combine

REPO = Path(__file__).resolve().parent.parent

# Values as fingerprints use them: digests, paths, numbers, flags, None, nested lists and
# tuples, a dict, and a model object (written with repr).
VALUES = (
    "3f2a",
    "claims/x/",
    [("a", 1, 2.5, True), ("b", None, -3, False)],
    {"k": ["v", ("w",)]},
    Location("content/claims/x.yaml", 3, 4),
)


def test_equal_values_in_other_objects_give_the_same_digest() -> None:
    made = "".join(["ab", "c"])  # equal to the literal, which is interned: not the same object
    assert made is not "abc"  # noqa: F632 (identity is what the test is about)
    # The same object twice, or two equal ones: equal too.
    assert combine("abc", [made, made]) == combine(made, [made, "".join(["a", "bc"])])
    assert combine(*VALUES) == combine(*pickle.loads(pickle.dumps(VALUES)))  # new objects


def test_different_values_give_different_digests() -> None:
    digests = {
        combine("a", "b"),
        combine("ab"),
        combine(("a", "b")),
        combine(["a", "b"]),
        combine("1"),
        combine(1),
        combine(True),
        combine(1.0),
        combine(None),
        combine(""),
        combine(Location("x", 1, 2)),
        combine(Location("x", 2, 1)),
    }
    assert len(digests) == 12


def test_a_digest_is_the_same_in_every_process() -> None:
    code = "from tests.test_inputs import VALUES, combine; print(combine(*VALUES))"
    seen = {
        subprocess.run(
            [sys.executable, "-c", code],
            capture_output=True,
            text=True,
            check=True,
            cwd=REPO,
            env={**os.environ, "PYTHONHASHSEED": seed},
        ).stdout.strip()
        for seed in ("1", "2", "random")
    }
    assert seen == {combine(*VALUES)}


@pytest.mark.parametrize("library", ["jinja2", "markdown_it", "yaml", "PIL"])
def test_a_new_version_of_a_library_that_makes_files_is_a_new_generator(
    library: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Pages and share cards made by another version may differ: nothing a store holds from it
    is used."""
    module = importlib.import_module(library)
    inputs.generator_key.cache_clear()
    before = inputs.generator_key()
    monkeypatch.setattr(module, "__version__", "0.0-another", raising=False)
    inputs.generator_key.cache_clear()
    try:
        assert inputs.generator_key() != before
    finally:
        monkeypatch.undo()
        inputs.generator_key.cache_clear()
