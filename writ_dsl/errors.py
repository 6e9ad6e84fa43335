"""The exceptions writ-dsl raises at its boundaries.

Inside the pipeline, problems are data (:class:`writ_dsl.diagnostics.Diagnostic`);
exceptions exist only where a stage hands control back to a caller::

    WritError                  base of everything below; ``str()`` is a located, user-facing message
    ├── SpecError              a spec has error diagnostics (``.diagnostics`` holds them all)
    ├── EnvironmentNotFound    no environment of that name on the search path
    ├── InputError             a file given to a command is unreadable or malformed (tasks JSONL, database JSON)
    ├── CompileError           a task cannot be instantiated (e.g. no database row satisfies a parameter)
    ├── WorkerStopped          a worker process of a run ended without finishing (killed, out of memory)
    └── LLMError               an LLM endpoint failed past its retries
        ├── EndpointUnavailable    connection refused, timeouts, 5xx after retries
        └── MalformedReply         a reply that is not what the protocol requires

The CLI maps every ``WritError`` to exit status 1 and a message without a
traceback; usage mistakes exit 2 (click's own handling).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .diagnostics import Diagnostic


class WritError(Exception):
    """Base class: a problem with the user's input or surroundings, not a bug."""


class SpecError(WritError):
    def __init__(self, diagnostics: Sequence["Diagnostic"]) -> None:
        self.diagnostics = list(diagnostics)
        from .diagnostics import format_text

        super().__init__("\n".join(format_text(d) for d in self.diagnostics))


class EnvironmentNotFound(WritError):
    pass


class InputError(WritError):
    pass


class CompileError(WritError):
    pass


class WorkerStopped(WritError):
    pass


class LLMError(WritError):
    pass


class EndpointUnavailable(LLMError):
    pass


class MalformedReply(LLMError):
    pass


class UnreadableReply(MalformedReply):
    pass
