"""What the command line shows of a build (generator/report.py): --format text, json and
github; progress bars on a terminal only; --quiet."""

from __future__ import annotations

import fcntl
import io
import json
import os
import pty
import re
import select
import shutil
import signal
import socket
import struct
import subprocess
import sys
import termios
import threading
import time
from pathlib import Path

import pytest
import yaml
from conftest import FIXTURES, REPO, run_cli

from generator import report
from generator.diagnostics import Diagnostic, Severity

LONG_CLAIM = "The mayor said that the new municipal pool cost two million euros and more than that"


@pytest.fixture
def broken(fixture_site) -> Path:
    """The minimal fixture site with two errors and a warning, in three files, one of them
    named with a comma and a colon (GitHub's property separators)."""
    site = fixture_site("minimal-site")
    claims = site / "content" / "claims"
    debt = claims / "dette-doublee.yaml"
    text = debt.read_text(encoding="utf-8")
    debt.write_text(text.replace("rating: faux", "rating: nonsense"), encoding="utf-8")
    pool = claims / "piscine-sans-emprunt.yaml"
    text = pool.read_text(encoding="utf-8")
    claim_line = next(line for line in text.splitlines() if line.startswith("claim:"))
    pool.write_text(text.replace(claim_line, f"claim: {LONG_CLAIM}"), encoding="utf-8")
    (claims / "impots-stables.yaml").rename(claims / "impôts,stables:2031.yaml")
    return site


def headers(stderr: str) -> list[tuple[str, int, int, str, str]]:
    """(path, line, col, severity, message) of each GCC-style diagnostic line."""
    pattern = re.compile(r"^(.+?)(?::(\d+))?(?::(\d+))?: (error|warning): (.*)$")
    found = [pattern.match(line) for line in stderr.splitlines()]
    return [(m[1], int(m[2] or 0), int(m[3] or 0), m[4], m[5]) for m in found if m]


def hints(stderr: str) -> list[str]:
    return [line.removeprefix("hint: ") for line in stderr.splitlines() if line.startswith("hint:")]


@pytest.mark.parametrize("command", ["build", "check"])
def test_json_lists_the_same_diagnostics_as_the_text(broken: Path, command: str) -> None:
    text = run_cli(command, "--root", str(broken))
    as_json = run_cli(command, "--root", str(broken), "--format", "json")
    assert text.returncode == as_json.returncode == 1
    document = json.loads(as_json.stdout)  # the whole of stdout is one document
    assert as_json.stderr == ""
    assert document["version"] == report.JSON_VERSION
    assert (document["command"], document["ok"], document["pages"]) == (command, False, 0)
    found = document["diagnostics"]
    expected = headers(text.stderr)
    assert len(expected) == 3 and {h[3] for h in expected} == {"error", "warning"}
    assert [(d["path"], d["line"], d["col"], d["severity"], d["message"]) for d in found] == (
        expected
    )
    assert [d["hint"] for d in found if d["hint"]] == hints(text.stderr)
    errors = sum(d["severity"] == "error" for d in found)
    assert document["counts"] == {"errors": errors, "warnings": len(found) - errors}


def test_json_of_a_build_that_succeeds(fixture_site) -> None:
    site = fixture_site("minimal-site")
    result = run_cli("build", "--root", str(site), "--format", "json")
    assert result.returncode == 0, result.stderr
    document = json.loads(result.stdout)
    assert document["ok"] is True and document["diagnostics"] == []
    checked = run_cli("check", "--root", str(site))
    assert f"checked {document['pages']} pages: no errors" in checked.stdout


def test_github_annotations_carry_each_diagnostic_escaped(broken: Path) -> None:
    text = run_cli("check", "--root", str(broken))
    github = run_cli("check", "--root", str(broken), "--format", "github")
    assert github.returncode == 1
    commands = [line for line in github.stdout.splitlines() if line.startswith("::")]
    expected = headers(text.stderr)
    assert len(commands) == len(expected)
    pattern = re.compile(r"^::(error|warning) (.*?)::(.*)$")
    for line, (path, row, col, severity, message) in zip(commands, expected, strict=True):
        match = pattern.match(line)
        assert match is not None, line
        properties = dict(item.split("=", 1) for item in match[2].split(","))
        assert match[1] == severity
        assert unescape(properties["file"]) == path
        assert (int(properties.get("line", 0)), int(properties.get("col", 0))) == (row, col)
        assert unescape(match[3]).splitlines()[0] == message
    # The file named with a comma and a colon: escaped, so GitHub reads one property.
    assert any("file=content/claims/impôts%2Cstables%3A2031.yaml," in c for c in commands)
    assert github.stdout.splitlines()[-1].endswith("nothing was written")


def unescape(text: str) -> str:
    """GitHub's reading of an escaped value (the reverse of escapeData and escapeProperty)."""
    for escaped, plain in (("%0D", "\r"), ("%0A", "\n"), ("%3A", ":"), ("%2C", ","), ("%25", "%")):
        text = text.replace(escaped, plain)
    return text


@pytest.mark.parametrize(
    ("raw", "data", "prop"),
    [
        ("50% up", "50%25 up", "50%25 up"),
        ("a\nb\r\nc", "a%0Ab%0D%0Ac", "a%0Ab%0D%0Ac"),
        ("x: y, z", "x: y, z", "x%3A y%2C z"),
        ("%0A is not a newline", "%250A is not a newline", "%250A is not a newline"),
    ],
)
def test_escaping_follows_githubs_toolkit(raw: str, data: str, prop: str) -> None:
    assert report.escape_data(raw) == data
    assert report.escape_property(raw) == prop
    assert unescape(prop) == raw


def test_a_github_command_for_a_diagnostic_with_every_special_character() -> None:
    diagnostic = Diagnostic(
        "content/claims/a,b:c%.yaml", 3, 7, Severity.ERROR, "100% wrong: a, b\nc", "fix it: now"
    )
    assert report.github_command(diagnostic) == (
        "::error file=content/claims/a%2Cb%3Ac%25.yaml,line=3,col=7,title=fact-check error"
        "::100%25 wrong: a, b%0Ac%0Ahint: fix it: now"
    )
    whole_file = Diagnostic("content/site.yaml", 0, 0, Severity.WARNING, "m")
    assert report.github_command(whole_file) == (
        "::warning file=content/site.yaml,title=fact-check warning::m"
    )


# --- Progress ---------------------------------------------------------------------------------


def terminal() -> tuple[int, int]:
    """A pseudo-terminal of 24 x 100 (a new one reports 0 x 0): its master and slave ends."""
    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 100, 0, 0))
    return master, slave


def on_a_terminal(*args: str) -> tuple[int, str]:
    """Run build.py with stdout and stderr on a pseudo-terminal (24 x 100): exit code, output."""
    master, slave = terminal()
    process = subprocess.Popen(
        [sys.executable, str(REPO / "build.py"), *args],
        stdin=subprocess.DEVNULL,
        stdout=slave,
        stderr=slave,
    )
    os.close(slave)
    output = b""
    while True:
        try:
            data = os.read(master, 65536)
        except OSError:  # the child closed the terminal
            break
        if not data:
            break
        output += data
    os.close(master)
    return process.wait(timeout=120), output.decode()


def visible_lines(output: str) -> list[str]:
    """What stays on the terminal: each line as its last carriage return left it."""
    lines = [line.split("\r")[-1].rstrip() for line in output.replace("\r\n", "\n").split("\n")]
    return [line for line in lines if line]


@pytest.mark.parametrize("command", ["build", "check"])
def test_progress_is_drawn_on_a_terminal_then_cleared(fixture_site, command: str) -> None:
    site = fixture_site("minimal-site")
    code, output = on_a_terminal(command, "--root", str(site))
    assert code == 0, output
    for stage in ("reading content", "checking quotations", "writing files"):
        assert f"\r{stage}" in output, output
    assert re.search(r"writing files: +\d+%\|", output)  # a bar, with its share done
    summary = "built " if command == "build" else "checked "
    assert [line for line in visible_lines(output)] == [
        next(line for line in visible_lines(output) if line.startswith(summary))
    ]


@pytest.mark.parametrize("command", ["build", "check"])
def test_no_progress_when_the_output_is_not_a_terminal(fixture_site, command: str) -> None:
    site = fixture_site("minimal-site")
    result = run_cli(command, "--root", str(site))
    assert result.returncode == 0, result.stderr
    assert "\r" not in result.stdout + result.stderr
    assert result.stderr == ""
    assert len(result.stdout.splitlines()) == 1  # the summary line


def test_quiet_on_a_terminal_prints_only_the_summary_and_the_diagnostics(broken: Path) -> None:
    code, output = on_a_terminal("check", "--root", str(broken), "--quiet")
    assert code == 1
    assert "\r" not in output.replace("\r\n", "\n")
    text = run_cli("check", "--root", str(broken))
    assert visible_lines(output) == [line for line in text.stderr.splitlines() if line]


def test_exit_codes_are_the_same_in_every_format(broken: Path, tmp_path: Path) -> None:
    good = tmp_path / "good"
    shutil.copytree(FIXTURES / "minimal-site", good)
    for output_format in report.FORMATS:
        assert run_cli("check", "--root", str(good), "--format", output_format).returncode == 0
        assert run_cli("check", "--root", str(broken), "--format", output_format).returncode == 1
        missing = run_cli("check", "--root", str(good / "nowhere"), "--format", output_format)
        assert missing.returncode == 2
    assert run_cli("check", "--format", "xml").returncode == 2


# --- pre-commit -------------------------------------------------------------------------------


def test_the_pre_commit_hook_checks_the_site_when_content_seeds_or_theme_change() -> None:
    hooks = yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    (hook,) = hooks
    assert {"id", "name", "entry", "language", "files"} <= hook.keys()
    assert hook["pass_filenames"] is False  # the whole site is checked, not the files given
    files = re.compile(hook["files"])
    for path in ("content/claims/x.yaml", "seeds/a.txt", "theme/templates/base.html"):
        assert files.search(path), path
    for path in ("README.md", "generator/cli.py", "tests/fixtures/site/content/site.yaml"):
        assert not files.search(path), path
    # The hook's command, run where pre-commit runs it (the repository's root), passes.
    words = hook["entry"].split()
    assert words[:3] == ["python", "build.py", "check"]
    result = run_cli(*words[2:])
    assert result.returncode == 0, result.stderr


def test_the_previews_first_build_shows_progress_on_a_terminal(fixture_site) -> None:
    site = fixture_site("minimal-site")
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    master, slave = terminal()
    command = [sys.executable, str(REPO / "build.py"), "serve", "--root", str(site)]
    process = subprocess.Popen(
        [*command, "--port", str(port)], stdin=subprocess.DEVNULL, stdout=slave, stderr=slave
    )
    os.close(slave)
    output, deadline = b"", time.monotonic() + 30
    try:
        while b"serving http://" not in output and time.monotonic() < deadline:
            if select.select([master], [], [], 0.2)[0]:
                output += os.read(master, 65536)
    finally:
        process.send_signal(signal.SIGTERM)  # stops the preview as Ctrl-C does
        process.wait(timeout=30)
        os.close(master)
    text = output.decode()
    assert "serving http://" in text, text
    for stage in ("reading content", "writing files"):
        assert text.index(f"\r{stage}") < text.index("built "), text
    assert next(line for line in visible_lines(text) if "built" in line).startswith("built ")


def test_progress_bars_leave_the_build_free_to_fork_its_workers() -> None:
    """tqdm's monitor thread would stop the build from forking (parallel.can_fork allows it
    only while no other thread runs): drawing bars starts no thread."""
    before = set(threading.enumerate())
    bars = report.Bars(io.StringIO())
    bars.stage("writing files", 10)
    bars.advance(5)
    try:
        assert set(threading.enumerate()) == before
    finally:
        bars.close()
