"""LLM dialogues spread over worker processes, each an event loop of its own.

One event loop uses one core, and a teacher run at high concurrency spends
about a millisecond of client CPU per completion (HTTP, the dialogue, the
environment, verification): past about a thousand completions per second one
process is the bottleneck, not the endpoint. :class:`ShardedEngine` starts
``workers`` processes (forked where the platform allows), gives each an equal
share of the run's concurrency and its own connection pools, and feeds them
jobs from one shared queue, so a process with free slots takes the next job.
Every process writes its answers to the run's response cache (SQLite, safe
for several writers) before it sends the records of those dialogues back,
already encoded as the store keeps them (a string pickles at a fraction of the
cost of the record's tree, and the parent has less to do); the parent commits
the records, counts the requests and cache hits the processes
report, and stops them all on the first error or on Ctrl-C.
"""

from __future__ import annotations

import os
import pickle
import queue
import signal
import threading
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, Protocol

from ..compiler.engine import die_with_parent, local_workers, start_method
from ..compiler.model import CompiledTask
from ..errors import WorkerStopped
from .cache import ResponseCache
from .environments import environment_for
from .options import RunOptions
from .simulate import Cast
from .store import EncodedRecord, encoded

Record = dict[str, Any]
Sink = Callable[[list["Record | EncodedRecord"]], None]  # a worker process sends them encoded
POLL_SECONDS = 0.2  # how often the parent looks for a process that died without a word
FEED_AHEAD = 2  # jobs queued per slot beyond those running


class _Job(Protocol):
    task: CompiledTask
    attempts: tuple[int, ...]


MakeJob = Callable[[CompiledTask, Any, tuple[int, ...]], Any]  # (task, environment, attempts) -> a job


class LoopEngine(Protocol):
    """The one-process engine each worker runs (``runner.engines.AsyncEngine``)."""

    def execute(self, jobs: Any, cast: Cast, options: RunOptions, sink: Sink) -> None: ...


@dataclass(frozen=True)
class Share:
    """What one worker process needs: its index, slots and the run's cache file."""

    index: int
    concurrency: int
    cache_path: str | None


def shares(concurrency: int, workers: int, cache_path: str | None) -> list[Share]:
    """``concurrency`` slots split over at most ``workers`` processes, none with fewer than one."""
    count = max(1, min(workers, concurrency))
    base, extra = divmod(concurrency, count)
    return [Share(i, base + (i < extra), cache_path) for i in range(count)]


class ShardedEngine:
    """``inner`` (an event-loop engine) in several processes; one process runs ``inner`` directly."""

    def __init__(self, inner: LoopEngine, order: Callable[[Iterable[Any], int], Iterator[Any]],
                 make_inner: Callable[[], LoopEngine], make_job: MakeJob) -> None:
        self.inner, self.order, self.make_inner, self.make_job = inner, order, make_inner, make_job

    def execute(self, jobs: Iterable[_Job], cast: Cast, options: RunOptions, sink: Sink) -> None:
        cache_path = str(cast.cache.path) if cast.cache is not None else None
        parts = shares(options.concurrency, local_workers(options.worker_count()), cache_path)
        if len(parts) == 1:
            self.inner.execute(jobs, cast, options, sink)
            return
        ordered = self.order(jobs, max(64, 8 * options.concurrency))
        _Run(parts, (self.make_inner, self.make_job), options, sink, cast).run(ordered)


class _Run:
    """One sharded execution: the processes, the job feeder and the parent's reading of their results."""

    def __init__(self, parts: list[Share], makers: tuple[Callable[[], LoopEngine], MakeJob],
                 options: RunOptions, sink: Sink, cast: Cast) -> None:
        self.parts, self.options, self.sink, self.cast = parts, options, sink, cast
        context = start_method()
        self.jobs: Any = context.Queue(maxsize=FEED_AHEAD * options.concurrency)
        self.results: Any = context.Queue()
        self.stopping = threading.Event()
        self.feed_error: BaseException | None = None
        self.processes = [context.Process(target=_work, name=f"writ-shard-{part.index}", daemon=True,
                                          args=(part, makers, options, self.jobs, self.results, os.getpid()))
                          for part in parts]

    def run(self, ordered: Iterator[_Job]) -> None:
        for process in self.processes:
            process.start()
        feeder = threading.Thread(target=self._feed, args=(ordered,), name="writ-feed", daemon=True)
        feeder.start()
        try:
            self._collect()
        finally:
            self.stopping.set()
            self._stop_all()
        if self.feed_error is not None:
            raise self.feed_error

    def _feed(self, ordered: Iterator[_Job]) -> None:
        try:
            for job in ordered:
                if not self._put((job.task, job.attempts)):
                    return
        except BaseException as exc:  # noqa: BLE001 - e.g. an unreadable task file: raised by the parent
            self.feed_error = exc
        for _ in self.processes:
            self._put(None)

    def _put(self, item: Any) -> bool:
        while not self.stopping.is_set():
            try:
                self.jobs.put(item, timeout=POLL_SECONDS)
                return True
            except queue.Full:
                continue
        return False

    def _collect(self) -> None:
        finished: set[int] = set()
        while len(finished) < len(self.processes):
            try:
                message = self.results.get(timeout=POLL_SECONDS)
            except queue.Empty:
                self._check_alive(finished)
                continue
            kind, index, payload = message
            if kind == "records":
                self.sink(payload)
            elif kind == "done":
                finished.add(index)
                self._count(*payload)
            else:
                raise payload

    def _check_alive(self, finished: set[int]) -> None:
        for part, process in zip(self.parts, self.processes):
            if part.index not in finished and not process.is_alive():
                self._drain()  # what it sent before it died is committed
                raise WorkerStopped(f"worker process {part.index} stopped unexpectedly (exit status "
                                    f"{process.exitcode}); the dialogues it had finished are kept, run "
                                    "again to resume")

    def _drain(self) -> None:
        while True:
            try:
                kind, _, payload = self.results.get(timeout=POLL_SECONDS)
            except queue.Empty:
                return
            if kind == "records":
                self.sink(payload)

    def _count(self, requests: int, hits: int) -> None:
        self.cast.requests_elsewhere += requests
        if self.cast.cache is not None:
            self.cast.cache.hits += hits

    def _stop_all(self) -> None:
        for process in self.processes:
            if process.is_alive():
                process.terminate()
        for process in self.processes:
            process.join(timeout=5)
        for channel in (self.jobs, self.results):
            channel.cancel_join_thread()
            channel.close()


def _work(part: Share, makers: tuple[Callable[[], LoopEngine], MakeJob], options: RunOptions, jobs: Any,
          results: Any, parent: int) -> None:
    """A worker process: its share of the jobs on its own event loop, records sent back in batches."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle
    signal.signal(signal.SIGTERM, signal.SIG_DFL)  # ends a worker at once
    die_with_parent(parent)
    status = 0
    try:
        mine = replace(options, concurrency=part.concurrency)
        cast = Cast(mine)
        if part.cache_path is not None:
            cast.cache = ResponseCache(Path(part.cache_path), cast.redactor)
        make_inner, make_job = makers
        try:
            make_inner().execute(_jobs_from(jobs, mine, make_job), cast, mine,
                                 lambda batch: results.put(("records", part.index, [encoded(r) for r in batch])))
        finally:
            cast.close()
        results.put(("done", part.index, (cast.requests, cast.cache.hits if cast.cache is not None else 0)))
    except BaseException as exc:  # noqa: BLE001 - reported to the parent, which raises it
        results.put(("error", part.index, _portable(exc)))
        status = 1
    finally:
        results.close()
        results.join_thread()
        os._exit(status)  # nothing inherited from the parent (its database connections) is touched on exit


def _jobs_from(jobs: Any, options: RunOptions, make_job: MakeJob) -> Iterator[Any]:
    """The jobs the parent hands out, with this process's environments, until it says there are no more."""
    for task, attempts in iter(jobs.get, None):
        yield make_job(task, environment_for(task, options.env_path), attempts)


def _portable(exc: BaseException) -> BaseException:
    """``exc`` if it survives pickling to the parent, else a :class:`WorkerStopped` with its message."""
    try:
        pickle.loads(pickle.dumps(exc))
        return exc
    except Exception:  # noqa: BLE001 - any unpicklable exception becomes its text
        return WorkerStopped(f"a worker process failed: {type(exc).__name__}: {exc}")

