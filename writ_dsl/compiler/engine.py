"""Engines: where independent pieces of work run. Results always come back in input order.

An engine maps a picklable, module-level function over a list of items and
yields the results in the order of the items, whatever order they finish in,
so anything merged from them is the same for any engine and any number of
workers. ``local`` runs the items one after another in this process (tests
use it as the twin of the others); ``process`` runs them in a pool of worker
processes; ``ray`` runs them as Ray tasks on a cluster or a local Ray
(:mod:`.ray_engine`). Another engine is one more entry in ``ENGINES``.

Data every item needs (the loaded specs, the options) is the engine's
``context``: it reaches each worker once, when the worker starts (for free
where workers are forked), and :func:`worker_context` returns it there, so
the items themselves stay small.

    with make_engine(workers=4, context=specs) as engine:
        results = list(engine.map(compile_shard, shard_items))
"""

from __future__ import annotations

import gc
import multiprocessing
import os
import signal
import sys
from collections.abc import Callable, Iterable, Iterator
from itertools import islice
from collections import deque
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from types import TracebackType
from typing import Any, Protocol, TypeVar

from ..errors import CompileError

AHEAD = 3  # items submitted per worker beyond the one awaited
Item = TypeVar("Item")
Result = TypeVar("Result")


class Engine(Protocol):
    name: str
    workers: int

    def map(self, func: Callable[[Item], Result], items: Iterable[Item]) -> Iterator[Result]:
        """``func`` applied to every item, results in the order of ``items``."""
        ...

    def close(self) -> None: ...

    def __enter__(self) -> Engine: ...

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 trace: TracebackType | None) -> None: ...


_context: Any = None


def worker_context() -> Any:
    """The ``context`` of the engine this item runs on."""
    return _context


def _install(context: Any) -> Any:
    global _context
    previous, _context = _context, context
    return previous


def _start_worker(context: Any, parent: int) -> None:
    _install(context)
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle
    signal.signal(signal.SIGTERM, signal.SIG_DFL)  # ends a worker at once (the pool stops its workers with it)
    die_with_parent(parent)


_PR_SET_PDEATHSIG = 1


def die_with_parent(parent: int) -> None:
    """On Linux, a worker is killed when its parent dies (even by kill -9): none outlives it holding the
    run folder's lock or burning a core."""
    if not sys.platform.startswith("linux"):
        return
    try:
        import ctypes

        ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
    except (OSError, AttributeError):
        return
    if os.getppid() != parent:  # the parent died before the request took effect
        os._exit(1)


class _Closing:
    def close(self) -> None:
        pass

    def __enter__(self):  # type: ignore[no-untyped-def]
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 trace: TracebackType | None) -> None:
        self.close()


class LocalEngine(_Closing):
    """Every item in this process, one after another."""

    name = "local"

    def __init__(self, workers: int = 1, context: Any = None) -> None:
        self.workers = 1
        self._previous = _install(context)

    def map(self, func: Callable[[Item], Result], items: Iterable[Item]) -> Iterator[Result]:
        return map(func, items)

    def close(self) -> None:
        _install(self._previous)


class ProcessEngine(_Closing):
    """A pool of ``workers`` processes; workers ignore Ctrl-C, which the parent handles."""

    name = "process"

    def __init__(self, workers: int, context: Any = None) -> None:
        self.workers = local_workers(workers)
        gc.freeze()  # what exists now is shared with the forked workers: the collector leaves its pages alone
        self._pool = ProcessPoolExecutor(max_workers=self.workers, mp_context=start_method(),
                                         initializer=_start_worker, initargs=(context, os.getpid()))

    def map(self, func: Callable[[Item], Result], items: Iterable[Item]) -> Iterator[Result]:
        """At most :data:`AHEAD` items per worker submitted ahead of the one awaited: results waiting to
        be taken stay few, however many items there are."""
        pending: deque[Future[Result]] = deque()
        source = iter(items)
        try:
            pending.extend(self._pool.submit(func, item) for item in islice(source, AHEAD * self.workers))
            while pending:
                result = pending.popleft().result()
                pending.extend(self._pool.submit(func, item) for item in islice(source, 1))
                yield result
        except BrokenProcessPool:
            raise CompileError("a worker process stopped unexpectedly (out of memory?); "
                               "run again with fewer --workers") from None
        finally:
            for future in pending:
                future.cancel()

    def close(self) -> None:
        self._pool.shutdown(wait=True, cancel_futures=True)
        gc.unfreeze()


def _ray_engine(workers: int, context: Any = None) -> Engine:
    from .ray_engine import RayEngine  # Ray is an optional extra, imported only when asked for

    return RayEngine(workers, context)


ENGINES: dict[str, Callable[[int, Any], Engine]] = {"local": LocalEngine, "process": ProcessEngine,
                                                    "ray": _ray_engine}


PROCESSES_PER_CORE = 4  # at most this many local worker processes per core, whatever --workers asks


def local_workers(asked: int) -> int:
    """How many worker processes to start on this machine for ``asked``: more than a few per core only add
    memory and start-up time, and thousands would exhaust the machine. The output is the same for any number."""
    return max(1, min(asked, PROCESSES_PER_CORE * available_cores()))


def available_cores() -> int:
    """The cores this process may run on (its CPU affinity), at least 1."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):
        return max(1, os.cpu_count() or 1)


def make_engine(workers: int, name: str | None = None, context: Any = None) -> Engine:
    """The named engine, else ``local`` for one worker and ``process`` for more."""
    chosen = name or ("local" if workers <= 1 else "process")
    if chosen not in ENGINES:
        raise ValueError(f"unknown engine '{chosen}' (known: {', '.join(sorted(ENGINES))})")
    return ENGINES[chosen](workers, context)


def start_method() -> multiprocessing.context.BaseContext:
    """Fork where it is safe and cheap (Linux: workers start with the modules already loaded), else spawn."""
    if sys.platform.startswith("linux"):
        return multiprocessing.get_context("fork")
    return multiprocessing.get_context("spawn")

