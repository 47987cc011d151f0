"""CLI: parse the command line, run the library, print its diagnostics, and choose the exit code."""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any

from . import pipeline, report, scaffold
from .config import Options, Paths
from .diagnostics import Severity
from .report import plural

EXIT_OK, EXIT_CONTENT, EXIT_USAGE = 0, 1, 2


def main(argv: list[str] | None = None, default_root: Path | None = None) -> int:
    parser = _parser(default_root or Path.cwd())
    args = parser.parse_args(_with_default_command(sys.argv[1:] if argv is None else argv))
    if not (args.root / "content").is_dir():
        print(
            f"error: {args.root} has no content/ folder; is --root the site folder?",
            file=sys.stderr,
        )
        return EXIT_USAGE
    return args.run(args)


def _parser(default_root: Path) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="build.py",
        description="Build a fact-check site from YAML claims and archived articles.",
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    build = commands.add_parser("build", help="build the site (the default command)")
    _site_options(build, default_root)
    build.add_argument("--out", type=Path, help="output folder (default: _site in the site folder)")
    build.add_argument("--strict", action="store_true", help="treat warnings as errors")
    build.add_argument("--base-url", help="published address of the site, overriding site.yaml")
    _report_options(build)
    build.set_defaults(run=_build)
    check = commands.add_parser("check", help="validate everything, write nothing")
    _site_options(check, default_root)
    check.add_argument("--strict", action="store_true", help="treat warnings as errors")
    _report_options(check)
    check.set_defaults(run=_check, out=None, base_url=None)
    preview = commands.add_parser(
        "serve", help="preview the site in a browser, rebuilt and reloaded on every save"
    )
    _site_options(preview, default_root)
    preview.add_argument(
        "--host",
        default="127.0.0.1",
        help="address to listen on (default: %(default)s, reachable from this machine only)",
    )
    preview.add_argument("--port", type=_port, default=8000, help="port (default: %(default)s)")
    preview.add_argument("--open", action="store_true", help="open the site in a web browser")
    preview.add_argument("--quiet", action="store_true", help="no progress bars")
    preview.set_defaults(run=_serve)
    new = commands.add_parser(
        "new", help="start a content file: a claim skeleton, or a source from an article's text"
    )
    kinds = new.add_subparsers(dest="kind", required=True, metavar="KIND")
    claim = kinds.add_parser("claim", help="write content/claims/ID.yaml, a commented skeleton")
    claim.add_argument("id", help="the claim's id: a lowercase slug, also its page address")
    _site_options(claim, default_root)
    claim.set_defaults(run=_new_claim)
    source = kinds.add_parser(
        "source",
        help="archive an article (a web address, a saved .html page or a .txt file) into "
        "seeds/ and write its content/sources/ file",
    )
    source.add_argument(
        "source",
        metavar="URL_OR_FILE",
        help="the article's address (https://...), a page saved from a browser (.html), or "
        "its text as a UTF-8 .txt file",
    )
    source.add_argument(
        "--id", help="the source's id (default: from the address's last part or the file name)"
    )
    _site_options(source, default_root)
    source.set_defaults(run=_new_source)
    hints = commands.add_parser(
        "suggest", help="list the figures and quotations of each source no fact-check cites yet"
    )
    _site_options(hints, default_root)
    hints.set_defaults(run=_suggest)
    return parser


def _site_options(parser: argparse.ArgumentParser, default_root: Path) -> None:
    parser.add_argument(
        "--root",
        type=Path,
        default=default_root,
        help="site folder holding content/ and seeds/ (default: %(default)s)",
    )


def _report_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--format",
        choices=report.FORMATS,
        default="text",
        help="how diagnostics are printed: text (default), json (one document on stdout) or "
        "github (GitHub Actions annotations)",
    )
    parser.add_argument(
        "--quiet", action="store_true", help="no progress bars: only diagnostics and a summary"
    )


def _port(text: str) -> int:
    if not text.isdigit() or not 1 <= int(text) <= 65535:
        raise argparse.ArgumentTypeError(f"not a port number (1 to 65535): {text!r}")
    return int(text)


def _with_default_command(argv: list[str]) -> list[str]:
    """`build.py` alone, or `build.py --out x`, means `build.py build ...`."""
    if not argv or (argv[0].startswith("-") and argv[0] not in {"-h", "--help"}):
        return ["build", *argv]
    return argv


def _build(args: argparse.Namespace) -> int:
    paths = Paths.for_site(args.root, args.out)
    options = Options(strict=args.strict, base_url=args.base_url)
    result = _watched(args, partial(pipeline.build, paths, options))
    summary = f"built {result.pages} pages into {paths.out} in {result.seconds:.2f} s"
    report.show(result, args.format, "build", summary)
    return EXIT_OK if result.ok else EXIT_CONTENT


def _check(args: argparse.Namespace) -> int:
    paths = Paths.for_site(args.root)
    result = _watched(
        args, partial(pipeline.build, paths, Options(strict=args.strict), write_output=False)
    )
    report.show(result, args.format, "check", f"checked {result.pages} pages: no errors")
    return EXIT_OK if result.ok else EXIT_CONTENT


def _watched(args: argparse.Namespace, build: Callable[..., pipeline.BuildResult]) -> Any:
    """Run a build with progress bars, if a person is watching (see report.progress_display)."""
    bars = report.progress_display(args.quiet, getattr(args, "format", "text"))
    try:
        return build(progress=report.as_progress(bars))
    finally:
        if bars is not None:
            bars.close()


def _serve(args: argparse.Namespace) -> int:
    # Imported here so that build and check never load the web server and its dependencies.
    from . import serve

    address = serve.Address(args.host, args.port)
    if not serve.is_loopback(args.host):
        print(
            f"warning: listening on {args.host}: other machines that can reach this one may "
            "read the preview (the default, 127.0.0.1, keeps it to this machine)",
            file=sys.stderr,
        )
    try:
        bars = report.progress_display(args.quiet, "text")
        serve.serve(
            Paths.for_site(args.root),
            address,
            _ServeReport(bars),
            open_browser=args.open,
            progress=report.as_progress(bars),
        )
    except serve.ServeError as error:
        print(f"error: {error.message}\nhint: {error.hint}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        pass  # Ctrl-C before the server started (livereload handles it afterwards)
    print("stopped", flush=True)
    return EXIT_OK


def _new_claim(args: argparse.Namespace) -> int:
    return _scaffold(
        lambda: scaffold.new_claim(args.root, args.id, dt.date.today()),
        "next: replace each TODO, then run: python build.py check",
    )


def _new_source(args: argparse.Namespace) -> int:
    # Imported here: its HTTP, TLS and extraction libraries would slow every build's start.
    from . import capture

    given, path = args.source, Path(args.source)
    if capture.is_address(given) or path.suffix.lower() in (".html", ".htm"):
        progress = _Progress(given)
        if capture.is_address(given):
            make = partial(capture.capture_url, args.root, given, args.id, progress)
        else:
            make = partial(capture.capture_file, args.root, path, args.id)
        return _scaffold(
            make,
            "next: check the title, outlet, author and date against the page, then cite it "
            "from a claim",
            after=progress.done,
        )
    if args.id is not None:
        print("error: --id is for a web address or an .html file", file=sys.stderr)
        print("hint: a text file's id is its file name: rename the file", file=sys.stderr)
        return EXIT_USAGE
    return _scaffold(
        lambda: scaffold.new_source(args.root, path),
        "next: check its title, add what the text says of its outlet, date, author and "
        "address, then cite it from a claim",
    )


class _Progress:
    """One line on stderr while a page downloads: rewritten in place on a terminal, else
    written once when the download starts."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.line = ""
        self.live = sys.stderr.isatty()

    def __call__(self, received: int, total: int | None) -> None:
        of = f" of {total // 1000:,} KB" if total else ""
        line = f"downloading {self.url}: {received // 1000:,} KB{of}"
        if line != self.line and (self.live or not self.line):
            end = "" if self.live else "\n"
            print(f"\r{line}" if self.live else line, end=end, file=sys.stderr, flush=True)
        self.line = line

    def done(self) -> None:
        """End the line, so that what follows starts on a line of its own."""
        if self.live and self.line:
            print(file=sys.stderr, flush=True)


def _scaffold(make: Any, next_step: str, after: Callable[[], None] | None = None) -> int:
    try:
        created = make()
    except scaffold.ScaffoldError as error:
        if after is not None:
            after()
        print(f"error: {error.message}", file=sys.stderr)
        if error.hint:
            print(f"hint: {error.hint}", file=sys.stderr)
        return EXIT_USAGE if error.usage else EXIT_CONTENT
    for path in created.reused:
        print(f"kept {path}: it already holds this very text")
    for note in created.notes:
        print(note)
    for path in created.written:
        print(f"wrote {path}")
    print(next_step)
    return EXIT_OK


def _suggest(args: argparse.Namespace) -> int:
    from . import suggest  # imported here: only this command needs it

    report = suggest.suggest(args.root)
    errors = [d for d in report.diagnostics if d.severity is Severity.ERROR]
    if report.sources is None:
        for diagnostic in report.diagnostics:
            print(diagnostic.format(), file=sys.stderr)
        print("cannot read the site's settings; fix content/site.yaml first", file=sys.stderr)
        return EXIT_CONTENT
    total = {"figure": 0, "quote": 0}
    for group in report.sources:
        figures, quotes = group.count("figure"), group.count("quote")
        total["figure"] += figures
        total["quote"] += quotes
        print(f"{group.file} (source {group.source}): {_uncited(figures, quotes)}")
        for item in group.suggestions:
            print(item.format())
        print()
    print(f"in all: {_uncited(total['figure'], total['quote'])}")
    if errors:
        print(
            f"note: {plural(len(errors), 'error')} in the content (python build.py check lists "
            "them); fact-checks with errors are not counted as citing anything",
            file=sys.stderr,
        )
    return EXIT_OK


def _uncited(figures: int, quotes: int) -> str:
    return (
        f"{plural(figures, 'figure')} and {plural(quotes, 'quoted statement')} no fact-check cites"
    )


class _ServeReport:
    """Prints what the preview does; flushed at once, since it runs for a long time."""

    def __init__(self, bars: report.Bars | None) -> None:
        # The first build's progress bars, cleared once it is done.
        self.bars = bars

    def built(self, result: pipeline.BuildResult, first: bool) -> None:
        if self.bars is not None:
            self.bars.close()
        report.text(result.diagnostics)
        if result.ok:
            verb = "built" if first else "rebuilt"
            print(f"{verb} {result.pages} pages in {result.seconds:.2f} s", flush=True)
        else:
            print("the browser shows these errors until a save builds again", file=sys.stderr)

    def serving(self, url: str, folder: Path) -> None:
        print(f"serving {url} (from {folder}, removed on exit); press Ctrl-C to stop", flush=True)
