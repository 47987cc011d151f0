"""Serve: the live preview over HTTP in a real subprocess, and its parts without a port."""

from __future__ import annotations

import gc
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from conftest import FIXTURES, REPO, run_cli

from generator import pipeline, serve
from generator.config import Options, Paths

CLAIM_FILE = "content/claims/impots-stables.yaml"
CLAIM_PAGE = "claims/impots-stables/"
# In the claim's summary, which its page shows.
SUMMARY = "Les taux des impôts locaux ne changent pas"
# An unclosed flow sequence on line 8: YAML reports it where it gives up, at line 9, column 8.
BROKEN = ("rating: trompeur", "rating: [trompeur")
# How long a save may take to be served: one poll (0.8 s), the settle time, a build.
SAVE_SERVED_WITHIN = 10.0


# --- a preview running in its own process, as a user starts it ---------------------------


@dataclass
class Preview:
    """`build.py serve` running on a free port; output goes to files so no pipe fills up."""

    process: subprocess.Popen[bytes]
    root: Path
    port: int
    logs: Path
    stopped: bool = field(default=False)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/"

    def stdout(self) -> str:
        return (self.logs / "stdout").read_text(encoding="utf-8")

    def stderr(self) -> str:
        return (self.logs / "stderr").read_text(encoding="utf-8")

    def get(self, path: str = "") -> tuple[int, str]:
        """Status and body of a page; error statuses are answers too."""
        try:
            with urllib.request.urlopen(self.url + path, timeout=5) as response:
                return response.status, response.read().decode("utf-8")
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode("utf-8")

    def edit(self, old: str, new: str, file: str = CLAIM_FILE) -> None:
        path = self.root / file
        text = path.read_text(encoding="utf-8")
        assert old in text, f"{old!r} not in {file}"
        path.write_text(text.replace(old, new, 1), encoding="utf-8")

    def wait_for_page(self, predicate: Callable[[str], bool], path: str = CLAIM_PAGE) -> str:
        """Poll a page until its body satisfies `predicate`; fail after a bounded wait."""
        deadline = time.monotonic() + SAVE_SERVED_WITHIN
        body = ""
        while time.monotonic() < deadline:
            assert self.process.poll() is None, f"the server died:\n{self.stderr()}"
            _, body = self.get(path)
            if predicate(body):
                return body
            time.sleep(0.1)
        pytest.fail(f"{path} not as expected after {SAVE_SERVED_WITHIN} s:\n{body[-2000:]}")

    def stop(self, signal_number: int = signal.SIGINT) -> int:
        """Ctrl-C, as a user would; returns the exit code."""
        if not self.stopped:
            self.stopped = True
            self.process.send_signal(signal_number)
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
                pytest.fail(f"the server ignored signal {signal_number} for 10 s")
        return self.process.returncode


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start_preview(root: Path, logs: Path, *args: str) -> Preview:
    """Start `build.py serve` on a free port and wait until it says it is serving."""
    for _ in range(3):
        preview = _launch(root, logs, free_port(), args)
        deadline = time.monotonic() + 20
        while "serving http://" not in preview.stdout():
            if preview.process.poll() is not None or time.monotonic() > deadline:
                break
            time.sleep(0.05)
        else:
            return preview
        preview.stop()
        # Another program may take the free port between our probe and the server's bind.
        if "already in use" not in preview.stderr():
            break
    pytest.fail(f"the server did not start:\n{preview.stdout()}\n{preview.stderr()}")


def _launch(root: Path, logs: Path, port: int, args: tuple[str, ...]) -> Preview:
    logs.mkdir(parents=True, exist_ok=True)
    with (logs / "stdout").open("wb") as out, (logs / "stderr").open("wb") as err:
        command = [sys.executable, str(REPO / "build.py"), "serve", "--root", str(root)]
        process = subprocess.Popen(
            [*command, "--port", str(port), *args],
            cwd=root,
            stdout=out,
            stderr=err,
            # A shell running pytest in the background hands down SIGINT ignored; a user's
            # terminal does not: restore the default so Ctrl-C reaches the server.
            preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
        )
    return Preview(process, root, port, logs)


def assert_clean_exit(preview: Preview, signal_number: int = signal.SIGINT) -> None:
    assert preview.stop(signal_number) == 0, preview.stderr()
    assert "Traceback" not in preview.stderr()
    assert preview.stdout().rstrip().endswith("stopped")


@pytest.fixture
def site(fixture_site: Callable[[str], Path]) -> Path:
    return fixture_site("minimal-site")


@pytest.fixture
def preview(site: Path, tmp_path: Path) -> Iterator[Preview]:
    running = start_preview(site, tmp_path / "logs")
    yield running
    assert_clean_exit(running)


def overlay_lines(page: str) -> list[str]:
    """The error lines an HTML page shows, or [] when it shows none."""
    box = BeautifulSoup(page, "html.parser").find(id="build-errors")
    return box.pre.get_text().splitlines() if box else []


# --- over HTTP -----------------------------------------------------------------------------


def test_a_save_is_served_and_so_is_a_second_one_right_after(preview: Preview) -> None:
    status, page = preview.get(CLAIM_PAGE)
    assert status == 200
    assert SUMMARY in page
    assert "/livereload.js" in page
    preview.edit(SUMMARY, "First edit of the summary")
    preview.wait_for_page(lambda body: "First edit of the summary" in body)
    # livereload 2.7.1 drops changes within 3 s of a reload unless told not to (#161).
    preview.edit("First edit of the summary", "Second edit of the summary")
    preview.wait_for_page(lambda body: "Second edit of the summary" in body)
    # 19 pages, the ratings index and a page per rating of the site's scale, the search page.
    assert re.search(r"^rebuilt 24 pages in \d+\.\d\d s$", preview.stdout(), re.MULTILINE)


def test_a_broken_save_shows_its_errors_on_every_page_until_fixed(preview: Preview) -> None:
    preview.edit(*BROKEN)
    page = preview.wait_for_page(lambda body: "build-errors" in body)
    lines = overlay_lines(page)
    assert lines[0].startswith(f"{CLAIM_FILE}:9:8: error: invalid YAML")
    assert lines[1].startswith("hint: ")
    # The same lines as the terminal, which has printed them by the time the page shows them.
    assert "\n".join(lines) in preview.stderr()
    assert "/livereload.js" in page, "without it the tab would not reload on the fix"
    for other in ("", "sources/gazette-budget/", "no-such-page/"):
        assert overlay_lines(preview.get(other)[1]) == lines, other
    assert preview.process.poll() is None
    # The last good site is still there, under the overlay.
    assert SUMMARY in page
    preview.edit(BROKEN[1], BROKEN[0])
    preview.edit(SUMMARY, "Fixed and edited")
    page = preview.wait_for_page(lambda body: "Fixed and edited" in body)
    assert "build-errors" not in page


def test_listens_on_the_loopback_address_only(preview: Preview) -> None:
    listening = _listening_addresses(preview.port)
    if listening is None:
        pytest.skip("no /proc/net/tcp to read listening sockets from")
    assert listening == {"127.0.0.1"}
    other = _non_loopback_address()
    if other is not None:
        with (
            pytest.raises(ConnectionRefusedError),
            socket.create_connection((other, preview.port), timeout=2),
        ):
            pass


@pytest.mark.parametrize("signal_number", [signal.SIGINT, signal.SIGTERM], ids=["ctrl-c", "kill"])
def test_stops_cleanly_and_removes_the_preview_folder(
    site: Path, tmp_path: Path, signal_number: int
) -> None:
    running = start_preview(site, tmp_path / "logs")
    folder = Path(re.search(r"\(from (.+?), removed on exit\)", running.stdout())[1])
    assert (folder / "index.html").is_file()
    assert not folder.is_relative_to(site), "the preview must be built outside the watched site"
    assert_clean_exit(running, signal_number)
    assert not folder.exists()
    assert not (site / "_site").exists(), "serve must not touch the site's own _site/"


def test_a_port_in_use_is_named_with_the_flag_to_choose_another(site: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = run_cli("serve", "--root", str(site), "--port", str(port))
    assert result.returncode == 2
    assert f"error: port {port} on 127.0.0.1 is already in use" in result.stderr
    assert "--port" in result.stderr
    assert "Traceback" not in result.stderr


def test_another_host_is_allowed_with_a_warning(site: Path) -> None:
    # The port is taken so the server stops right after the warning: nothing is exposed.
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = run_cli("serve", "--root", str(site), "--host", "0.0.0.0", "--port", str(port))
    assert "warning: listening on 0.0.0.0: other machines" in result.stderr
    assert result.returncode == 2


@pytest.mark.parametrize("port", ["0", "65536", "http"])
def test_a_bad_port_is_a_usage_error(site: Path, port: str) -> None:
    result = run_cli("serve", "--root", str(site), "--port", port)
    assert result.returncode == 2
    assert "not a port number" in result.stderr


def _listening_addresses(port: int) -> set[str] | None:
    """Local addresses of the sockets listening on `port`, read from /proc (Linux)."""
    tables = [Path("/proc/net/tcp"), Path("/proc/net/tcp6")]
    if not tables[0].is_file():
        return None
    addresses = set()
    for table in tables:
        if not table.is_file():
            continue
        for row in table.read_text().splitlines()[1:]:
            local, state = row.split()[1], row.split()[3]
            address, port_hex = local.split(":")
            if state == "0A" and int(port_hex, 16) == port:  # 0A: LISTEN
                addresses.add(_proc_address(address))
    return addresses


def _proc_address(hex_address: str) -> str:
    raw = bytes.fromhex(hex_address)
    if len(raw) == 4:
        return socket.inet_ntop(socket.AF_INET, raw[::-1])
    words = b"".join(raw[i : i + 4][::-1] for i in range(0, 16, 4))
    return socket.inet_ntop(socket.AF_INET6, words)


def _non_loopback_address() -> str | None:
    """This machine's address on its default route, if it has one (no packet is sent)."""
    try:
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
            probe.connect(("192.0.2.1", 9))
            address = probe.getsockname()[0]
    except OSError:
        return None
    return None if address.startswith("127.") else address


# --- the rebuilder, without a port ---------------------------------------------------------


class Recorder:
    """A reporter that keeps what it is told, and may act on a build (to simulate a save)."""

    def __init__(self, on_build: Callable[[int], None] = lambda n: None) -> None:
        self.results: list[pipeline.BuildResult] = []
        self.on_build = on_build

    def built(self, result: pipeline.BuildResult, first: bool) -> None:
        assert first == (not self.results)
        self.results.append(result)
        self.on_build(len(self.results))

    def serving(self, url: str, folder: Path) -> None:
        raise AssertionError("the rebuilder never serves")


def make_rebuilder(
    site: Path, tmp_path: Path, reporter: Recorder, sleep: Callable[[float], None] = time.sleep
) -> serve.Rebuilder:
    paths = Paths.for_site(site, tmp_path / "out")
    return serve.Rebuilder(paths, Options(), reporter, settle=0.05, sleep=sleep)


def edit(site: Path, old: str, new: str) -> None:
    path = site / CLAIM_FILE
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    # Make sure the save shows as a change even on a file system with coarse timestamps.
    os.utime(path, ns=(time.time_ns(), time.time_ns() + 10_000_000))


def claim_page(tmp_path: Path) -> str:
    return (tmp_path / "out" / CLAIM_PAGE / "index.html").read_text(encoding="utf-8")


def test_rebuilder_builds_then_only_when_something_changed(site: Path, tmp_path: Path) -> None:
    reporter = Recorder()
    rebuilder = make_rebuilder(site, tmp_path, reporter)
    assert rebuilder.build().ok
    assert SUMMARY in claim_page(tmp_path)
    assert rebuilder() == 0, "nothing changed: no build"
    edit(site, SUMMARY, "Edited summary")
    assert rebuilder() == 1
    assert "Edited summary" in claim_page(tmp_path)
    assert [r.ok for r in reporter.results] == [True, True]


def test_rebuilder_builds_with_the_garbage_collector_paused_then_collects_what_it_made(
    site: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A collection in the middle of a preview build walks everything the preview keeps: the
    collector is off while the build runs. After it, the objects the build made (the young
    ones) are collected, and that leaves no garbage: a full collection would walk everything
    the preview keeps to find nothing more."""
    during: list[bool] = []
    build = pipeline.build
    monkeypatch.setattr(
        pipeline, "build", lambda *a, **k: during.append(gc.isenabled()) or build(*a, **k)
    )
    collected: list[int] = []  # the generations collected, in order

    def record(phase: str, info: dict[str, int]) -> None:
        if phase == "start":
            collected.append(info["generation"])

    rebuilder = make_rebuilder(site, tmp_path, Recorder())
    gc.collect()
    gc.callbacks.append(record)
    try:
        for old, new in [("", ""), (SUMMARY, "Edited summary"), ("Edited summary", "Again")]:
            if old:
                edit(site, old, new)
            collected.clear()
            assert rebuilder.build().ok
            assert collected[:1] == [1], "the young generations, collected once the build is done"
    finally:
        gc.callbacks.remove(record)
    assert during == [False, False, False]
    assert gc.isenabled()
    assert gc.collect() == 0


def test_rebuilder_failure_keeps_the_last_good_site(site: Path, tmp_path: Path) -> None:
    rebuilder = make_rebuilder(site, tmp_path, Recorder())
    rebuilder.build()
    before = claim_page(tmp_path)
    edit(site, *BROKEN)
    assert rebuilder() == 1
    assert rebuilder.failed
    assert rebuilder.last is not None
    assert rebuilder.last.diagnostics[0].path == CLAIM_FILE
    assert claim_page(tmp_path) == before
    edit(site, BROKEN[1], BROKEN[0])
    assert rebuilder() == 1
    assert not rebuilder.failed


def test_rebuilder_debounces_saves_that_come_while_settling(site: Path, tmp_path: Path) -> None:
    saves = iter([lambda: edit(site, "Edited once", "Edited twice")])

    def sleep(seconds: float) -> None:
        # A second save lands while the rebuilder waits for the first one to settle.
        next(saves, lambda: None)()
        time.sleep(seconds)

    reporter = Recorder()
    rebuilder = make_rebuilder(site, tmp_path, reporter, sleep=sleep)
    rebuilder.build()
    edit(site, SUMMARY, "Edited once")
    assert rebuilder() == 1, "two saves, one build"
    assert "Edited twice" in claim_page(tmp_path)


def test_rebuilder_builds_once_more_after_a_save_during_a_build(site: Path, tmp_path: Path) -> None:
    def save_during_second_build(n: int) -> None:
        # Called as build n ends, after the snapshot it started from: a save "during" it.
        if n == 2:
            edit(site, "Edited once", "Edited during the build")

    rebuilder = make_rebuilder(site, tmp_path, Recorder(save_during_second_build))
    rebuilder.build()
    edit(site, SUMMARY, "Edited once")
    assert rebuilder() == 2, "the save during the build needs one more build, not more"
    assert "Edited during the build" in claim_page(tmp_path)


@pytest.mark.parametrize("name", ["impots-stables.yaml.swp", "impots-stables.yaml~", "4913"])
def test_rebuilder_ignores_editor_temp_files(site: Path, tmp_path: Path, name: str) -> None:
    rebuilder = make_rebuilder(site, tmp_path, Recorder())
    rebuilder.build()
    (site / "content" / "claims" / name).write_text("half-written", encoding="utf-8")
    (site / "content" / "claims" / f".#{name}").write_text("lock", encoding="utf-8")
    assert rebuilder() == 0


# --- what the server answers, without a port ---------------------------------------------


@pytest.fixture
def app(site: Path, tmp_path: Path) -> serve.SiteApp:
    rebuilder = make_rebuilder(site, tmp_path, Recorder())
    rebuilder.build()
    return serve.SiteApp(rebuilder.paths.out, rebuilder)


def test_app_serves_pages_assets_and_the_sites_404(app: serve.SiteApp) -> None:
    page = app.respond("/" + CLAIM_PAGE)
    assert (page.status, page.content_type) == ("200 OK", "text/html; charset=utf-8")
    assert app.respond("/static/style.css").content_type == "text/css"
    assert app.respond("/claims").location == "/claims/", "relative links need the slash"
    assert app.respond("/no-such-page/").status == "404 Not Found"
    assert app.respond("/../../etc/passwd").status == "404 Not Found"


def test_app_adds_the_errors_to_html_only_while_the_build_fails(
    app: serve.SiteApp, site: Path
) -> None:
    edit(site, *BROKEN)
    app.rebuilder()
    page = app.respond("/" + CLAIM_PAGE).body.decode()
    assert overlay_lines(page)[0].startswith(f"{CLAIM_FILE}:9:8: error:")
    assert page.index('id="build-errors"') < page.index("</body>")
    assert b"build-errors" not in app.respond("/static/style.css").body
    assert overlay_lines(app.respond("/no-such-page/").body.decode())


def test_app_serves_an_error_page_when_the_first_build_failed(site: Path, tmp_path: Path) -> None:
    edit(site, *BROKEN)
    rebuilder = make_rebuilder(site, tmp_path, Recorder())
    assert not rebuilder.build().ok
    response = serve.SiteApp(rebuilder.paths.out, rebuilder).respond("/")
    assert response.status.startswith("500")
    page = response.body.decode()
    assert "</head>" in page, "livereload puts its script before </head>"
    assert overlay_lines(page)[0].startswith(f"{CLAIM_FILE}:9:8: error:")


def test_loopback_hosts() -> None:
    assert serve.is_loopback("127.0.0.1")
    assert serve.is_loopback("localhost")
    assert serve.is_loopback("::1")
    assert not serve.is_loopback("0.0.0.0")
    assert not serve.is_loopback("192.168.1.10")


def test_fixture_is_untouched() -> None:
    # The tests above edit copies only.
    assert SUMMARY in (FIXTURES / "minimal-site" / CLAIM_FILE).read_text(encoding="utf-8")
