"""Parallel: run one function over many items on every core, the results in the items' order.

Worker processes are forked, so they start with everything the build holds (the model, the
templates, compiled once) and nothing but the results is pickled. Where fork is missing
(Windows, macOS's default) or unsafe (a process running threads, such as a web server), and
for lists too short to pay for starting processes, the items are run here, one by one: the
results are the same either way.
"""

from __future__ import annotations

import contextlib
import ctypes
import gc
import multiprocessing
import os
import signal
import sys
import threading
from collections.abc import Callable, Iterator, Sequence
from typing import Any, TypeVar

Item = TypeVar("Item")
Result = TypeVar("Result")

# Fewer items than this run in this process: starting workers costs more than they save.
MIN_ITEMS = 200
# Items are handed out in runs of this many, so that a slow run does not hold up the others.
CHUNK = 50

# What the forked workers run, set just before they are forked (never pickled).
_work: tuple[Callable[[Any], Any], Sequence[Any]] | None = None
# Set in workers: a worker runs its items one by one.
_in_worker = False


def can_fork() -> bool:
    """Whether this process may fork: on Linux, with no other thread running (a thread could
    hold a lock the child would then wait for for ever), and not itself a worker."""
    return sys.platform == "linux" and threading.active_count() == 1 and not _in_worker


def cores() -> int:
    """How many processes to use: the cores this process may run on (or FACTCHECK_PROCESSES,
    for benchmarks), or 1 where it may not fork."""
    if not can_fork():
        return 1
    return int(os.environ.get("FACTCHECK_PROCESSES") or len(os.sched_getaffinity(0)))


def run(
    task: Callable[[Item], Result],
    items: Sequence[Item],
    processes: int | None = None,
    heavy: bool = False,
    done: Callable[[int], None] | None = None,
) -> list[Result]:
    """[task(item) for item in items], on `processes` processes (default: cores()). `heavy`:
    each item is worth a process (a second of work or more), so even two are run in parallel,
    and handed out one by one. `done`, if given, is told how many more items are finished
    each time some are (for a progress display)."""
    processes = cores() if processes is None else processes
    if processes <= 1 or len(items) < (2 if heavy else MIN_ITEMS):
        return [_counted(task(item), done) for item in items]
    global _work
    _work = (task, items)
    size = 1 if heavy else CHUNK
    runs = [(start, min(start + size, len(items))) for start in range(0, len(items), size)]
    try:
        with (
            _frozen_heap(),
            multiprocessing.get_context("fork").Pool(
                processes, initializer=_start_worker, initargs=(os.getpid(),)
            ) as pool,
        ):
            results = []
            for chunk in pool.imap(_run, runs, chunksize=1):
                results.append(_counted(chunk, done, len(chunk)))
    finally:
        _work = None
    return [result for chunk in results for result in chunk]


def _counted(result: Result, done: Callable[[int], None] | None, count: int = 1) -> Result:
    """The result, once `done` has been told of the `count` items it stands for."""
    if done is not None:
        done(count)
    return result


def _run(span: tuple[int, int]) -> list[Any]:
    assert _work is not None
    task, items = _work
    return [task(items[i]) for i in range(*span)]


@contextlib.contextmanager
def _frozen_heap() -> Iterator[None]:
    """Move every object out of the garbage collector's sight while workers run: a collection
    in a worker would otherwise touch, and so copy, every page of memory it shares with us."""
    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()


def _start_worker(parent: int) -> None:
    """A worker ends with the build: one killed (kill -9) must not leave its workers writing
    into a folder the next build removes; Linux's PR_SET_PDEATHSIG does that. Ctrl-C is left
    to the build, which stops its workers and removes what they wrote."""
    global _in_worker
    _in_worker = True
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    # The pool ends its workers with SIGTERM: they must die of it, even when forked from the
    # live preview, which turns SIGTERM into Ctrl-C for itself (a worker that raised instead
    # could be left waiting for ever on a lock of the pool's queue, and the build with it).
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)  # 1 = PR_SET_PDEATHSIG
    if os.getppid() != parent:  # the build died before the line above
        os._exit(1)
