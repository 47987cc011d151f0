"""Engine: what the pipeline asks of the incremental layer, build by build.

One Engine serves one build. Opened, it scans the input files (reading again only those whose
size, times or inode changed: see inputs.py) and compares them with the last build's, kept in
the store (store.py). With nothing changed and the output as the last build left it, the build
stops there. Otherwise the engine

- tells the loader which content files it need not read, and hands it the model objects the
  last builds made of them (reuse.py), reading a cold build's claims in chunks first;
- hands the analyses memoised stand-ins for their costly steps (steps.py);
- turns the rendered files into write jobs, each with the fingerprint of what it shows
  (fingerprints.py), so that only files that show something new are made; claims.json is
  made by copying its unchanged lines from the last build's (splice.py);
- keeps what this build read and wrote for the next.
"""

from __future__ import annotations

import os
from functools import partial
from pathlib import Path

from .. import parallel
from ..analyse.anchoring import Analysis, Locate, Mark
from ..analyse.discrepancies import Discrepancies, Steps
from ..config import Options, Paths
from ..diagnostics import Diagnostics
from ..load import content, loader, validate
from ..model import Content
from ..output import write
from ..output.write import Job, OutputFile, Previous
from ..progress import Progress
from ..render import publish
from ..render.pages import Output
from ..render.pages import Steps as RenderSteps
from . import inputs, reuse, splice, steps
from .fingerprints import Fingerprints
from .store import Last, Store, Table

# A cold build reads the claims this many at a time (see _read_in_chunks).
CHUNK = 1000


class Engine:
    """The incremental layer for one build of one output folder."""

    def __init__(self, paths: Paths, options: Options, store: Store, writable: bool) -> None:
        self.paths = paths
        self.options = options
        self.store = store
        # The last build of this output, when this build may write it.
        self.last = store.last if writable else None
        # This build's input files, with their digests.
        self.inputs = inputs.scan(paths, options, self.last.inputs if self.last else None)

    @classmethod
    def open(
        cls, paths: Paths, options: Options, writable: bool, store: Store | None = None
    ) -> Engine:
        """The engine of a build; `store` by default the one kept beside the output folder
        (the live preview keeps its own in memory; a build that does not write keeps none)."""
        store = store or (Store.beside(paths.out) if writable else Store.in_memory(paths.out))
        return cls(paths, options, store, writable)

    @property
    def previous(self) -> Previous | None:
        """What the last build left in the output folder."""
        return self.last.output if self.last else None

    def unchanged(self) -> Last | None:
        """The last build, if no input changed since and the output is as it left it."""
        last = self.last
        if last is not None and last.inputs.key == self.inputs.key and _intact(self.paths, last):
            return last
        return None

    # Loading.

    def known_files(self, diags: Diagnostics, progress: Progress) -> reuse.Reused:
        """The content files the loader need not read, with what earlier builds made of them;
        their warnings (given when they were read) are reported again."""
        table = self.store.table("files")
        known = reuse.reusable(self.inputs, table)
        if _read_in_chunks(self.paths, self.options, self.inputs, table, known, progress):
            known = reuse.reusable(self.inputs, table)  # now with the chunks read
        diags.extend(list(known.diagnostics))
        return known

    def remember(self, model: Content, known: reuse.Reused, diags: Diagnostics) -> None:
        """Keep the model objects of the files read this time, with their warnings."""
        table = self.store.table("files")
        reuse.remember(model, self.inputs, known, diags.sorted(), table, self.paths.root)

    # Analysing and rendering.

    def locate(self) -> Locate:
        return steps.locate(self.store)

    def mark(self) -> Mark | None:
        return steps.mark(self.store)

    def figure_steps(self, model: Content) -> Steps:
        return steps.figure_steps(self.store, model.sources)

    def rendering(self) -> RenderSteps:
        """The render stage's steps: templates compiled once, the search bundle remembered."""
        index = steps.search_index(self.store, self.paths.out, self.previous)
        return RenderSteps(steps.CompiledTemplates(self.store), index)

    # Writing.

    def jobs(
        self, model: Content, analysis: Analysis, found: Discrepancies, output: Output
    ) -> list[Job]:
        """A write job per file, with the fingerprint of what the file shows. The output's
        files are let go once fingerprinted (their reads are tens of megabytes on a large
        site, and the workers that make the files are forked at the build's size)."""
        ids = reuse.identities(model, self.inputs)
        prints = Fingerprints(self.inputs, ids, analysis, found, output)
        jobs = [Job(f.path, prints.of(f.path, f.reads), f.make) for f in output.files]
        output.files.clear()
        return [self._spliced(job, model, analysis, prints) for job in jobs]

    def _spliced(self, job: Job, model: Content, analysis: Analysis, prints: Fingerprints) -> Job:
        """claims.json made from the last build's (see splice.py); other jobs as they are."""
        if job.path != publish.CLAIMS_JSON or job.fingerprint is None:
            return job
        record = self.previous.outputs.get(job.path) if self.previous else None
        last = (self.paths.out / job.path, record) if record else None
        layouts = self.store.table("layouts")
        make = partial(
            splice.claims_json, model, analysis, prints.line, layouts, last, job.fingerprint
        )
        return Job(job.path, job.fingerprint, make, here=True)

    def paths_checked(self, output: Output, diags: Diagnostics) -> bool:
        """write.check_files, unless the last build wrote the very same paths (and checked
        them)."""
        previous = self.previous
        if previous is not None and previous.outputs.keys() == set(output.paths):
            return True
        return write.check_files(output.paths, self.paths, diags)

    def save(self, written: dict[str, OutputFile] | None, diags: Diagnostics, pages: int) -> None:
        """Keep what this build read and wrote, for the next (nothing if it wrote nothing)."""
        if written is None:
            return
        output = Previous(written, _folders(self.paths.out, written))
        self.store.save(Last(self.inputs, output, tuple(diags.sorted()), pages))


def _read_in_chunks(
    paths: Paths,
    options: Options,
    files: inputs.Inputs,
    table: Table,
    known: reuse.Reused,
    progress: Progress,
) -> bool:
    """When many claims are new (a cold build), read them CHUNK at a time into the store, as
    builds of those claims alone would, before the build proper reuses them: the loaded YAML,
    ten times the size of the model made from it, is then never all in memory. The sources and
    measures are read first (every claim is checked against them), then the chunks of claims
    on every core. What these reads report is left to the build proper: it reads again the
    files with errors (never kept) and reports again the warnings of the others (kept with
    them). Whether it read any."""
    new = [path for path in files.files if _is_claim(path) and path not in known.files]
    if len(new) <= CHUNK:
        return False
    progress.stage("reading fact-checks", len(new))
    entries = _read_chunk(paths, options, files, known, frozenset(new), [])
    if entries is None:
        return True  # no usable site.yaml: the build proper says why
    for key, value in entries:
        table.put(key, value)
    # The sources and measures just read serve every chunk; the claims of the others are left
    # out of each chunk's model.
    found = reuse.reusable(files, table)
    prebuilt = content.Prebuilt(found.prebuilt.sources, found.prebuilt.measures, {})
    shared = reuse.Reused(found.files, prebuilt, ())
    chunks = [new[start : start + CHUNK] for start in range(0, len(new), CHUNK)]
    read = partial(_read_chunk, paths, options, files, shared, frozenset(new))
    sizes = iter([len(chunk) for chunk in chunks])

    def counted(count: int) -> None:  # the chunks finish in order: tell how many claims
        progress.advance(sum(next(sizes) for _ in range(count)))

    for entries in parallel.run(read, chunks, heavy=True, done=counted):
        for key, value in entries or []:
            table.put(key, value)
    return True


def _read_chunk(
    paths: Paths,
    options: Options,
    files: inputs.Inputs,
    known: reuse.Reused,
    new: frozenset[str],
    chunk: list[str],
) -> list[tuple[object, object]] | None:
    """Read the content files not `known`, of the `new` claims only those of `chunk`; return
    the store entries of the files read, or None if the site cannot be built."""
    scratch, kept = Diagnostics(), Store.in_memory(paths.out).table("files")
    raw = loader.load_content(paths.root, scratch, skip=known.files | (new - set(chunk)))
    model = content.build(validate.check_content(raw, scratch), options, scratch, known.prebuilt)
    if model is None:
        return None
    reuse.remember(model, files, known, scratch.sorted(), kept, paths.root)
    return list(kept.used.items())


def _is_claim(path: str) -> bool:
    return path.startswith("content/claims/") and path.endswith(".yaml") and path.count("/") == 2


def _folders(out: os.PathLike[str], written: dict[str, OutputFile]) -> dict[str, tuple[int, int]]:
    """Every folder of the output with its time and inode: a file added to one changes them."""
    names = {""} | {parent for path in written for parent in write.parents(path)}
    return {name: _stamp(os.stat(os.path.join(out, name))) for name in sorted(names)}


def _stamp(stat: os.stat_result) -> tuple[int, int]:
    return stat.st_mtime_ns, stat.st_ino


def _intact(paths: Paths, last: Last) -> bool:
    """Whether the output is still exactly what the last build wrote: every file and folder
    with the size, time and inode it had (a file changed, removed or added by hand shows)."""
    out: Path = paths.out
    if not write.folders_intact(out, last.output.folders):
        return False
    try:
        for name, record in last.output.outputs.items():
            stat = os.stat(os.path.join(out, name), follow_symlinks=False)
            if (stat.st_size, stat.st_mtime_ns, stat.st_ino) != record[2:]:
                return False
    except OSError:
        return False
    return True
