"""The ``ray`` engine: the items of a map run as Ray tasks, on a cluster or on a local Ray.

It joins the cluster at ``$RAY_ADDRESS`` when that is set (``ray start --head``
on one machine, ``ray start --address=HEAD:6379`` on the others, writ-dsl
installed on each), else starts a Ray of ``workers`` CPUs on this machine,
on the loopback address and without its dashboard, and stops it when done.
Like every engine, it yields the results in the order of the items, so the
output is the same bytes as the local engine's.

The engine's context is put in Ray's object store once; each Ray worker
fetches it on its first item and keeps it for the next ones.
"""

from __future__ import annotations

import contextlib
import logging
import os
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from itertools import islice
from types import TracebackType
from typing import Any, TypeVar

from ..errors import CompileError
from . import engine as _engine

Item = TypeVar("Item")
Result = TypeVar("Result")
ADDRESS_VARIABLE = "RAY_ADDRESS"
# Ray warns, on every start of a local Ray, that it uses token authentication (its default, which stays on).
_AUTH_NOTICE_LOGGER = "ray._private.authentication.authentication_token_setup"
_contexts: dict[str, Any] = {}  # in a Ray worker: the contexts it has fetched, by object id


def _import_ray() -> Any:
    try:
        import ray
    except ImportError:
        raise CompileError("the ray engine needs Ray: pip install 'writ-dsl[ray]'") from None
    return ray


def _run_item(func: Callable[[Any], Any], boxed_context: list[Any], item: Any) -> Any:
    """One item in a Ray worker, with the engine's context installed (the reference is boxed so that
    Ray does not fetch the context again for every item)."""
    ray = _import_ray()
    ref = boxed_context[0]
    key = ref.hex()
    if key not in _contexts:
        _contexts.clear()
        _contexts[key] = ray.get(ref)
    _engine._install(_contexts[key])
    return func(item)


@contextlib.contextmanager
def _quiet(logger_name: str) -> Iterator[None]:
    """Only errors from the named logger while the block runs."""
    logger = logging.getLogger(logger_name)
    level = logger.level
    logger.setLevel(logging.ERROR)
    try:
        yield
    finally:
        logger.setLevel(level)


class RayEngine:
    """Items as Ray tasks of one CPU each; results in the order of the items."""

    name = "ray"

    def __init__(self, workers: int, context: Any = None) -> None:
        ray = self._ray = _import_ray()
        self.workers = max(1, workers)
        self._started = False
        if not ray.is_initialized():
            self._started = True
            address = os.environ.get(ADDRESS_VARIABLE)
            try:
                if address:
                    ray.init(address=address, log_to_driver=False, logging_level="warning")
                else:
                    with _quiet(_AUTH_NOTICE_LOGGER):
                        ray.init(address="local", num_cpus=self.workers, include_dashboard=False,
                                 _node_ip_address="127.0.0.1", log_to_driver=False, logging_level="warning")
            except (ConnectionError, RuntimeError, ValueError) as exc:
                raise CompileError(f"could not start or join Ray ({address or 'local'}): {exc}") from None
        self._context = ray.put(context)
        self._task = ray.remote(num_cpus=1)(_run_item)

    def map(self, func: Callable[[Item], Result], items: Iterable[Item]) -> Iterator[Result]:
        """Items submitted a window ahead of the one awaited (a few per CPU of the cluster), so that the
        object store holds few results however many items there are."""
        cpus = int(self._ray.cluster_resources().get("CPU", self.workers))
        source, window = iter(items), _engine.AHEAD * max(self.workers, cpus)
        refs = deque(self._task.remote(func, [self._context], item) for item in islice(source, window))
        try:
            while refs:
                result = self._get(refs.popleft())
                refs.extend(self._task.remote(func, [self._context], item) for item in islice(source, 1))
                yield result
        finally:
            for ref in refs:  # stopped early (an error, Ctrl-C): drop the rest
                self._ray.cancel(ref)

    def _get(self, ref: Any) -> Any:
        try:
            return self._ray.get(ref)
        except self._ray.exceptions.RayError as exc:  # e.g. a node without writ-dsl or the environments
            cause = str(exc).strip().splitlines()
            raise CompileError(f"a Ray task failed: {cause[-1] if cause else type(exc).__name__}") from None

    def close(self) -> None:
        if self._started and self._ray.is_initialized():
            self._ray.shutdown()

    def __enter__(self) -> RayEngine:
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 trace: TracebackType | None) -> None:
        self.close()
