"""Serve: the live preview that rebuilds and reloads the tab on save; the only livereload user."""

from __future__ import annotations

import contextlib
import errno
import fnmatch
import gc
import html
import ipaddress
import logging
import mimetypes
import os
import re
import signal
import tempfile
import threading
import time
import webbrowser
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, Protocol
from urllib.parse import quote

# livereload 2.7.1 exactly (pinned in requirements.in, locked in requirements.txt): the
# workarounds below depend on it.
from livereload import Server
from livereload.handlers import LiveReloadHandler
from tornado.ioloop import IOLoop

from . import pipeline
from .config import Options, Paths
from .incremental.store import Store
from .progress import SILENT, Progress

# How long the watched files must stay unchanged before a rebuild starts: an editor saving
# several files at once (or writing one in two steps) gives one rebuild, not several.
SETTLE_SECONDS = 0.2
# A file rewritten without pause (a log, a sync tool) must not postpone the rebuild for ever.
MAX_SETTLE_SECONDS = 2.0

# What editors write beside the file being saved (Vim's swap files and its `4913` probe,
# Emacs's lock and autosave files, backups): never content, so never a reason to rebuild.
EDITOR_TEMP_FILES = ("*.swp", "*.swo", "*.swx", "*~", ".#*", "#*#", "*.bck", "4913", ".DS_Store")
# Folders livereload's watcher skips; the rebuilder skips the same so both see the same files.
IGNORED_FOLDERS = (".git", ".hg", ".svn", ".cvs")

# The file path of every watched file, with what tells a save apart: (mtime in ns, size).
Snapshot = dict[str, tuple[int, int]]


class Reporter(Protocol):
    """What the preview tells its user: the CLI prints it, tests record it."""

    def built(self, result: pipeline.BuildResult, first: bool) -> None: ...

    def serving(self, url: str, folder: Path) -> None: ...


@dataclass(frozen=True)
class Address:
    """Where the preview listens."""

    host: str = "127.0.0.1"
    port: int = 8000

    @property
    def url(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{host}:{self.port}/"


class ServeError(Exception):
    """The preview cannot start (port in use, unknown address): a message and a hint."""

    def __init__(self, message: str, hint: str) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint


def is_loopback(host: str) -> bool:
    """Whether only this machine can reach `host` (the CLI warns about any other address)."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


# The patterns as one expression: every watched file is tested at every poll.
_EDITOR_TEMP = re.compile("|".join(fnmatch.translate(p) for p in EDITOR_TEMP_FILES))


def is_editor_temp(path: str) -> bool:
    return _EDITOR_TEMP.match(os.path.basename(path)) is not None


def snapshot(folders: Iterable[Path]) -> Snapshot:
    """Every watched file with its modification time and size, walked the way livereload does."""
    files: Snapshot = {}
    for folder in folders:
        # followlinks as in livereload's watcher: a change it reports must show here too.
        for parent, dirs, names in os.walk(folder, followlinks=True):
            dirs[:] = [d for d in dirs if d not in IGNORED_FOLDERS]
            for name in names:
                path = os.path.join(parent, name)
                if is_editor_temp(path):
                    continue
                try:
                    stat = os.stat(path)
                except OSError:  # deleted (or a dangling link) while we walked
                    continue
                files[path] = (stat.st_mtime_ns, stat.st_size)
    return files


@contextlib.contextmanager
def _collector_paused() -> Iterator[None]:
    """The cyclic garbage collector, off while a preview build runs, and run once after it on
    the objects the build made. The preview holds what its builds share (the model, the memo
    tables: half a million objects at 10,000 claims); a full collection walks them all (0.4 s
    there), and the collector started one at random moments of a build. The build's garbage
    is among the objects it made, all in the young generations while the collector is off:
    collecting those takes 0.02 s, and a full collection after it finds nothing more."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        gc.collect(1)
        if enabled:
            gc.enable()


class Rebuilder:
    """Builds the site when its files change: waits for saves to settle, never loses one.

    livereload calls it on every change it polls; it runs on the server's only thread, so no
    request is answered in the middle of a build. A failed build writes nothing (see
    pipeline.build), so the last good site stays on disk and is served with the errors on top.
    """

    def __init__(
        self,
        paths: Paths,
        options: Options,
        reporter: Reporter,
        settle: float = SETTLE_SECONDS,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.paths = paths
        self.options = options
        self.reporter = reporter
        self.settle = settle
        self.sleep = sleep
        # The last build's result; None before the first build.
        self.last: pipeline.BuildResult | None = None
        # The watched files as they were when the last build started.
        self._built: Snapshot | None = None
        # What each build leaves the next, in memory: the model of every unchanged file, the
        # anchors, the pages' fingerprints. A save then costs what it changed, not a full build.
        self.store = Store.in_memory(paths.out)

    @property
    def watched(self) -> tuple[Path, Path, Path]:
        return (self.paths.content, self.paths.seeds, self.paths.theme)

    @property
    def failed(self) -> bool:
        return self.last is not None and not self.last.ok

    def build(self, progress: Progress = SILENT) -> pipeline.BuildResult:
        """Build now. The snapshot is taken first, so a save during the build is seen as new."""
        self._built = snapshot(self.watched)
        with _collector_paused():
            # The preview's folder is its own: updated in place, not swapped (see write.InPlace).
            result = pipeline.build(
                self.paths, self.options, store=self.store, atomic=False, progress=progress
            )
        first = self.last is None
        self.last = result
        self.reporter.built(result, first)
        return result

    def __call__(self) -> int:
        """Rebuild until the site matches the files on disk; returns how many builds that took.

        Nothing changed since the last build (livereload reports one change per poll, and
        reports again files it had not reached yet): no build. A save while building: one more.
        """
        builds = 0
        while (current := snapshot(self.watched)) != self._built:
            self._wait_until_quiet(current)
            self.build()
            builds += 1
        return builds

    def _wait_until_quiet(self, current: Snapshot) -> None:
        deadline = time.monotonic() + MAX_SETTLE_SECONDS
        while True:
            self.sleep(self.settle)
            later = snapshot(self.watched)
            if later == current or time.monotonic() > deadline:
                return
            current = later


# Shown on top of every page while the last build failed. Plain HTML and inline CSS, so the
# errors are readable without JavaScript; it covers the page, which is no longer up to date.
OVERLAY = """\
<div id="build-errors" role="alert" style="position:fixed;inset:0;z-index:2147483647;\
overflow:auto;margin:0;padding:2rem;background:#fff8f6;color:#1a1a1a;border-top:6px solid #b3261e;\
font:16px/1.5 system-ui,sans-serif;text-align:left">
<h1 style="margin:0 0 .5rem;font-size:1.5rem;color:#b3261e">The site could not be rebuilt</h1>
<p style="margin:0 0 1rem">Fix what is listed below and save: this tab reloads by itself.
Until then the preview keeps serving the last site that built.</p>
<pre style="margin:0;padding:1rem;white-space:pre-wrap;overflow-wrap:anywhere;background:#fff;\
border:1px solid #e0c4c0;font:14px/1.5 ui-monospace,monospace">{lines}</pre>
</div>
"""

# Served when there is no page to put the overlay on: the first build failed.
ERROR_PAGE = """\
<!DOCTYPE html>
<html lang="en">
<head><meta charset="utf-8"><title>Build failed</title></head>
<body>
{overlay}</body>
</html>
"""


def overlay(result: pipeline.BuildResult) -> str:
    """The errors as the terminal prints them (`path:line:col: error: ...` and `hint: ...`)."""
    lines = "\n".join(d.format() for d in result.diagnostics)
    return OVERLAY.format(lines=html.escape(lines))


def with_overlay(page: bytes, result: pipeline.BuildResult) -> bytes:
    """Insert the error overlay before `</body>` (at the end when there is none)."""
    text = page.decode("utf-8", errors="replace")
    at = text.lower().rfind("</body>")
    at = len(text) if at < 0 else at
    return (text[:at] + overlay(result) + text[at:]).encode()


@dataclass(frozen=True)
class Response:
    status: str
    content_type: str
    body: bytes
    # Where a redirect points; empty otherwise.
    location: str = ""


class SiteApp:
    """A WSGI app serving the built site; while the last build failed, pages carry its errors.

    livereload adds its reload script before `</head>` of whatever this returns, so an error
    page still reloads by itself once the next save builds.
    """

    def __init__(self, folder: Path, rebuilder: Rebuilder) -> None:
        self.folder = folder
        self.rebuilder = rebuilder

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> list[bytes]:
        response = self.respond(environ.get("PATH_INFO") or "/")
        headers = [
            ("Content-Type", response.content_type),
            # A reload must fetch the new build, never a cached copy.
            ("Cache-Control", "no-store"),
        ]
        if response.location:
            headers.append(("Location", response.location))
        start_response(response.status, headers)
        # Tornado refuses a body on HEAD (and livereload's WSGI bridge then reports length 0).
        return [b""] if environ.get("REQUEST_METHOD") == "HEAD" else [response.body]

    def respond(self, wsgi_path: str) -> Response:
        # WSGI hands over the path's bytes as latin-1 text; our paths are UTF-8.
        path = wsgi_path.encode("latin-1").decode("utf-8", errors="replace")
        parts = [p for p in path.split("/") if p not in ("", ".")]
        target = self.folder.joinpath(*parts) if ".." not in parts else None
        if target is not None and target.is_dir():
            if not path.endswith("/"):
                # Links between pages are relative: a folder must be fetched with its slash.
                return Response("301 Moved Permanently", "text/plain", b"", quote(path + "/"))
            target = target / "index.html"
        if target is not None and target.is_file():
            return self._file("200 OK", target)
        if (self.folder / "404.html").is_file():
            return self._file("404 Not Found", self.folder / "404.html")
        if self.rebuilder.failed and self.rebuilder.last is not None:
            page = ERROR_PAGE.format(overlay=overlay(self.rebuilder.last))
            return Response("500 Internal Server Error", "text/html; charset=utf-8", page.encode())
        return Response("404 Not Found", "text/plain; charset=utf-8", b"not found\n")

    def _file(self, status: str, file: Path) -> Response:
        content_type = mimetypes.guess_type(file.name)[0] or "application/octet-stream"
        body = file.read_bytes()
        if content_type == "text/html":
            content_type = "text/html; charset=utf-8"
            if self.rebuilder.failed and self.rebuilder.last is not None:
                body = with_overlay(body, self.rebuilder.last)
        return Response(status, content_type, body)


def serve(
    paths: Paths,
    address: Address,
    reporter: Reporter,
    open_browser: bool = False,
    progress: Progress = SILENT,
) -> None:
    """Build, serve and rebuild on every change until Ctrl-C.

    The site is built into a temporary folder, outside the watched folders (so a build never
    triggers another) and apart from the site's _site/ (so `build` output is left alone);
    the folder is removed on exit. Pages are built for the local address, so even 404.html's
    links work. Raises ServeError when the address cannot be listened on. `progress` is told
    how the first build goes (the others are quick).
    """
    with _sigterm_as_ctrl_c(), tempfile.TemporaryDirectory(prefix="factcheck-serve-") as folder:
        site = replace(paths, out=Path(folder) / "site")
        rebuilder = Rebuilder(site, Options(base_url=address.url), reporter)
        server = _server(rebuilder)
        rebuilder.build(progress)
        # Let the watcher see every file once now: its first poll would otherwise report an
        # unchanged file and, with the reload delay at 0, reload a freshly opened tab.
        server.watcher.examine()
        # Runs once the loop has started, that is once the port is really listened on.
        IOLoop.current().add_callback(_ready, reporter, address, site.out, open_browser)
        _listen(server, address)


@contextlib.contextmanager
def _sigterm_as_ctrl_c() -> Iterator[None]:
    """`kill` stops the server as Ctrl-C does, so the temporary folder is removed too."""
    if threading.current_thread() is not threading.main_thread():
        yield  # only the main thread may set signal handlers
        return
    previous = signal.signal(signal.SIGTERM, signal.default_int_handler)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def _server(rebuilder: Rebuilder) -> Server:
    server = Server(SiteApp(rebuilder.paths.out, rebuilder))
    # livereload drops a change that comes within 3 s of the last reload (upstream issue
    # #161): a second save right after a first would never reach the tab. Our own settle
    # time does the debouncing instead.
    LiveReloadHandler.DEFAULT_RELOAD_TIME = 0
    for folder in rebuilder.watched:
        # A callable, never a shell command: livereload's shell() judges success by stderr.
        server.watch(str(folder), rebuilder, ignore=is_editor_temp)
    # livereload would print every task and reload at INFO, Tornado every 404: the reporter
    # says what matters. Their warnings and errors still reach Python's default handler.
    server._setup_logging = lambda: None  # type: ignore[method-assign]
    logging.getLogger("tornado.access").addHandler(logging.NullHandler())
    return server


def _listen(server: Server, address: Address) -> None:
    """Run until Ctrl-C (livereload catches the KeyboardInterrupt and returns)."""
    try:
        # debug=False: with a WSGI app livereload would turn on Tornado's autoreload, which
        # restarts the process when a module changes.
        server.serve(port=address.port, host=address.host, debug=False)
    except OSError as error:
        raise _listen_error(error, address) from None


def _listen_error(error: OSError, address: Address) -> ServeError:
    neighbour = address.port + 1 if address.port < 65535 else address.port - 1
    other_port = f"choose another port with --port, such as --port {neighbour}"
    if error.errno == errno.EADDRINUSE:
        return ServeError(
            f"port {address.port} on {address.host} is already in use by another program",
            other_port,
        )
    if error.errno == errno.EACCES:
        return ServeError(f"not allowed to listen on port {address.port}", other_port)
    return ServeError(
        f"cannot listen on {address.host} port {address.port}: {error.strerror or error}",
        "check --host (the default, 127.0.0.1, always works) and --port",
    )


def _ready(reporter: Reporter, address: Address, folder: Path, open_browser: bool) -> None:
    reporter.serving(address.url, folder)
    if open_browser:
        # In a thread: a text-mode browser would otherwise hold the server's only thread.
        threading.Thread(target=webbrowser.open, args=(address.url,), daemon=True).start()
