"""How a run's dialogues are scheduled: a registry of engines over the same one-dialogue functions.

An engine takes the jobs (a task, its environment, the attempts to make) and
hands every finished record to a sink, which commits it. ``threads`` runs
blocking roles (scripted user, oracle agent) on a thread pool; ``asyncio``
runs LLM roles as coroutines, ``concurrency`` dialogues at once over one
connection pool per endpoint, longest expected dialogue first (so that a
run's tail holds short ones), while a committer thread writes the results in
batches off the loop; with several ``workers`` it runs one such event loop
per process (:mod:`.event_loops`). ``process`` runs offline roles in
``workers`` worker processes (the compiler's engines): jobs go out in chunks
and the records come back, and are committed, in the order of the jobs.
"""

from __future__ import annotations

import asyncio
import gc
import heapq
import queue
import sys
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass, replace
from itertools import count, islice
from typing import Any, Protocol

from ..compiler.engine import make_engine, worker_context
from ..compiler.model import CompiledTask
from ..env.core import Environment
from ..errors import InputError
from .dialogue import Limits
from .environments import environment_for
from .event_loops import ShardedEngine, Sink
from .options import RunOptions
from .simulate import Cast, asimulate, simulate
from .verify import VERIFIED

Record = dict[str, Any]
BATCH, BATCH_SECONDS = 256, 0.05
YOUNG_OBJECTS = 50_000  # allocations between collections of the youngest generation during an event-loop run
SWITCH_SECONDS = 0.0005  # the interpreter's thread switch interval during an event-loop run


@dataclass(frozen=True)
class Job:
    task: CompiledTask
    env: Environment
    attempts: tuple[int, ...]  # attempt numbers still to make, in order


class Engine(Protocol):
    def execute(self, jobs: list[Job], cast: Cast, options: RunOptions, sink: Sink) -> None:
        """Run every job, passing each finished record to ``sink`` (from any one thread at a time)."""
        ...


def _limits(options: RunOptions) -> Limits:
    return Limits(options.max_steps, options.max_errors)


def run_job(job: Job, cast: Cast, options: RunOptions, stop: threading.Event | None = None) -> list[Record]:
    """A job's attempts, one after another, with blocking roles; with ``keep first``, up to the first verified."""
    found = []
    for attempt in job.attempts:
        found.append(simulate(job.task, job.env, cast, _limits(options), stop, attempt))
        if options.keep == "first" and found[-1]["outcome"] == VERIFIED:
            break
    return found


async def arun_job(job: Job, cast: Cast, options: RunOptions, sink: Callable[[Record], None]) -> None:
    for attempt in job.attempts:
        record = await asimulate(job.task, job.env, cast, _limits(options), attempt)
        sink(record)
        if options.keep == "first" and record["outcome"] == VERIFIED:
            break


class ThreadEngine:
    """Blocking roles on a pool of threads, at most two jobs per worker queued at once."""

    def execute(self, jobs: list[Job], cast: Cast, options: RunOptions, sink: Sink) -> None:
        stop, pending, window = threading.Event(), iter(jobs), 2 * options.concurrency
        with ThreadPoolExecutor(max_workers=options.concurrency, thread_name_prefix="writ-run") as pool:

            def refill(running: set[Future[list[Record]]]) -> set[Future[list[Record]]]:
                for job in islice(pending, max(window - len(running), 0)):
                    running.add(pool.submit(run_job, job, cast, options, stop))
                return running

            running = refill(set())
            try:
                while running:
                    finished, running = wait(running, return_when=FIRST_COMPLETED)
                    for future in finished:
                        sink(future.result())
                    running = refill(running)
            except BaseException:
                stop.set()
                for future in wait(running).done:
                    if future.exception() is None:
                        sink(future.result())
                raise


class _Committer(threading.Thread):
    """Takes records from the event loop and commits them in batches: while they come often (the inbox was
    empty for less than ``BATCH_SECONDS`` before one arrived), a batch gathers for ``BATCH_SECONDS`` or up to
    ``BATCH`` records; one that comes alone is committed at once. Committing it at once is also cheaper:
    measured at one dialogue in flight against a 200 ms endpoint, a record committed right after the loop
    made it took about 1.4 ms of this thread's CPU, and one held for 50 ms first about 1.9 ms (a thread
    that wakes from a timed wait finds its caches cold)."""

    def __init__(self, sink: Sink, cast: Cast) -> None:
        super().__init__(name="writ-commit", daemon=True)
        self.sink, self.cast = sink, cast
        self.inbox: queue.SimpleQueue[Record | None] = queue.SimpleQueue()
        self.error: BaseException | None = None

    def run(self) -> None:
        done = False
        while not done:
            batch, done = self._next_batch()
            try:
                if self.cast.cache is not None:
                    self.cast.cache.flush()  # answers first: a committed dialogue always replays from the cache
                if batch:
                    self.sink(batch)
            except BaseException as exc:  # noqa: BLE001 - reported by the engine after the loop
                self.error = exc
                return

    def _next_batch(self) -> tuple[list[Record], bool]:
        idle = time.monotonic()
        first = self.inbox.get()
        if first is None:
            return [], True
        gather = BATCH_SECONDS if time.monotonic() - idle < BATCH_SECONDS else 0.0
        batch = [first]
        try:
            while len(batch) < BATCH:
                item = self.inbox.get(timeout=gather if len(batch) == 1 else 0.0)
                if item is None:
                    return batch, True
                batch.append(item)
        except queue.Empty:
            pass
        return batch, False


def expected_completions(task: CompiledTask) -> int:
    """About how many completions a dialogue of ``task`` takes, from its compiled plan and its user's profile:
    a turn per tool call, a proposal and a yes per write, three to open and close; then what the profile
    adds: an exchange (the agent asks, the user answers) when the user opens vaguely or gives details only
    when asked, two with both; an exchange for a policy probe the agent turns down, unless the user answers
    on request anyway (the probe rides on that exchange); two for a change of mind (the doubt and the answer;
    one more when the answer looks at the options again, which the plan alone does not tell). The offline
    roles' dialogues have this length, that one lookup aside; an LLM's differ, but the order of lengths is
    what counts here."""
    settings = task.behavior.settings if task.behavior is not None else {}
    vague, asked = settings.get("opening") == "vague", settings.get("disclosure") == "on_request"
    exchanges = (vague or asked) + (vague and asked) + (bool(settings.get("policy_probe")) and not asked)
    return len(task.plan) + 2 * task.metrics.writes + 3 + 2 * exchanges + 2 * bool(settings.get("changes_mind"))


def longest_first(jobs: Iterable[Job], window: int) -> Iterator[Job]:
    """The jobs, each time the one expected to take longest among the next ``window`` (ties in input order).

    Outputs do not depend on the order; a run whose long dialogues start first ends with short ones
    running side by side instead of one long dialogue running alone."""
    heap: list[tuple[int, int, Job]] = []
    order = count()
    for job in jobs:
        heapq.heappush(heap, (-expected_completions(job.task) * max(len(job.attempts), 1), next(order), job))
        if len(heap) >= window:
            yield heapq.heappop(heap)[2]
    while heap:
        yield heapq.heappop(heap)[2]


class _SharedSetting:
    """A process-wide interpreter setting that runs in several threads of the process share: ``apply`` makes
    it when the first run starts and returns what undoes it, which the last run to end calls."""

    def __init__(self, apply: Callable[[], Callable[[], None]]) -> None:
        self.apply, self.lock, self.runs = apply, threading.Lock(), 0
        self.undo: Callable[[], None] = lambda: None

    @contextmanager
    def held(self) -> Iterator[None]:
        with self.lock:
            if self.runs == 0:
                self.undo = self.apply()
            self.runs += 1
        try:
            yield
        finally:
            with self.lock:
                self.runs -= 1
                if self.runs == 0:
                    self.undo()


def _settle_heap() -> Callable[[], None]:
    thresholds, froze = gc.get_threshold(), gc.get_freeze_count() == 0
    if froze:
        gc.freeze()
    gc.set_threshold(max(thresholds[0], YOUNG_OBJECTS), *thresholds[1:])

    def undo() -> None:
        gc.set_threshold(*thresholds)
        if froze:
            gc.unfreeze()
    return undo


def _quicken_handoffs() -> Callable[[], None]:
    interval = sys.getswitchinterval()
    sys.setswitchinterval(min(interval, SWITCH_SECONDS))
    return lambda: sys.setswitchinterval(interval)


_HEAP, _HANDOFFS = _SharedSetting(_settle_heap), _SharedSetting(_quicken_handoffs)


def settled_heap() -> AbstractContextManager[None]:
    """Fewer, cheaper garbage collections while an event loop runs: the objects made before it (tasks,
    environments, databases) are set aside from collection, and the youngest generation is collected every
    ``YOUNG_OBJECTS`` allocations instead of every 700. A run at hundreds of completions a second allocates
    fast, and without this spends about a tenth of its CPU re-scanning a heap that does not change. A
    caller's own freeze is left alone; runs in several threads share it."""
    return _HEAP.held()


def quick_handoffs() -> AbstractContextManager[None]:
    """The interpreter lock handed over within ``SWITCH_SECONDS`` instead of the default 5 ms while an event
    loop runs beside its committer thread. The loop gives the lock up at every socket call; while the
    committer rendered rows, the loop then waited up to the whole interval to get it back, and a send took
    twice as long (against the loopback endpoint at C=256: about 2 points of the limit on one loop).
    Runs in several threads share it."""
    return _HANDOFFS.held()


class AsyncEngine:
    """LLM roles as coroutines: ``concurrency`` dialogues in flight on one event loop, longest first among
    the next ``window`` jobs (None: 8 per slot, at least 64; 1: in the order given)."""

    def __init__(self, window: int | None = None) -> None:
        self.window = window

    def execute(self, jobs: list[Job], cast: Cast, options: RunOptions, sink: Sink) -> None:
        committer = _Committer(sink, cast)
        committer.start()
        try:
            with settled_heap(), quick_handoffs():
                asyncio.run(self._main(jobs, cast, options, committer.inbox.put))
        finally:
            committer.inbox.put(None)
            committer.join()
        if committer.error is not None:
            raise committer.error

    async def _main(self, jobs: list[Job], cast: Cast, options: RunOptions,
                    put: Callable[[Record], None]) -> None:
        pending: Iterator[Job] = longest_first(jobs, self.window or max(64, 8 * options.concurrency))

        async def worker() -> None:
            for job in pending:  # one shared iterator: each job goes to exactly one worker
                await arun_job(job, cast, options, put)

        try:
            await asyncio.gather(*(worker() for _ in range(options.concurrency)))
        finally:
            await cast.aclose()


BATCH_JOBS = 32  # jobs sent to a worker at once


_worker_cast: list[tuple[RunOptions, Cast]] = []  # a worker's cast for its current options (held)


def run_batch(batch: list[tuple[CompiledTask, tuple[int, ...]]]) -> list[Record]:
    """The records of a batch of jobs (run in a worker, whose context is the run's options; each worker
    builds its own environments, from the tasks)."""
    options: RunOptions = worker_context()
    if not _worker_cast or _worker_cast[0][0] is not options:
        _worker_cast[:] = [(options, Cast(options))]
    cast = _worker_cast[0][1]
    return [record for task, attempts in batch
            for record in run_job(Job(task, environment_for(task, options.env_path), attempts), cast, options)]


def batches(jobs: Iterable[Job], size: int = BATCH_JOBS) -> Iterator[list[tuple[CompiledTask, tuple[int, ...]]]]:
    """The jobs, ``size`` at a time, without their environments (a worker builds its own)."""
    source = iter(jobs)
    while batch := [(job.task, job.attempts) for job in islice(source, size)]:
        yield batch


class WorkerEngine:
    """Offline roles on one of the compiler's engines (worker processes, Ray): the jobs go out in batches,
    a window of them at a time, and their records are committed here in the order of the jobs."""

    def __init__(self, name: str) -> None:
        self.name = name

    def execute(self, jobs: Iterable[Job], cast: Cast, options: RunOptions, sink: Sink) -> None:
        if options.uses_llm:
            raise InputError(f"--engine {self.name} runs offline roles only (LLM roles run on --engine auto)")
        with make_engine(options.worker_count(), self.name, replace(options, backend=None)) as engine:
            for records in engine.map(run_batch, batches(jobs)):
                sink(records)


def in_given_order() -> AsyncEngine:
    """The event-loop engine of one worker process of a sharded run (the parent has ordered the jobs)."""
    return AsyncEngine(window=1)


ENGINES: dict[str, Engine] = {"threads": ThreadEngine(),
                              "asyncio": ShardedEngine(AsyncEngine(), longest_first, in_given_order, Job),
                              "process": WorkerEngine("process"), "ray": WorkerEngine("ray")}


def choose_engine(options: RunOptions) -> Engine:
    """``auto``: asyncio when a role talks to a model; else process for several workers, threads for one."""
    name = options.engine
    if name == "auto":
        name = "asyncio" if options.uses_llm else ("process" if options.worker_count() > 1 else "threads")
    if name not in ENGINES:
        raise KeyError(name)
    return ENGINES[name]
