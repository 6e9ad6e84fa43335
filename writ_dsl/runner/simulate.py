"""One dialogue, verified, as the record the run database keeps.

:func:`simulate` is a plain function (scripted user and oracle agent, or any
blocking roles); :func:`asimulate` is its event-loop twin for LLM roles. A
:class:`Cast` builds each dialogue's user and agent from the run options and
owns what the LLM roles share: one connection pool per endpoint, the response
cache, the serialized tool schemas of each domain.
"""

from __future__ import annotations

import threading
import traceback
from pathlib import Path
from typing import Any

from ..compiler.model import CompiledTask
from ..env.core import Environment
from .blame import blame
from .cache import CACHE_NAME, ResponseCache
from .dialogue import Dialogue, Interrupted, Limits, agent_system_prompt, arun_dialogue, run_dialogue
from .endpoint import Endpoint, HttpBackend
from .guidance import guidance_text
from .llm import ChatBackend, Channel, LLMAgent, LLMUser, ToolSet
from .options import RunOptions
from .oracle_agent import OracleAgent
from .roles import AgentRole, UserRole
from .scripted_user import ScriptedUser
from .secrets import Redactor
from .verify import FAILED, Verdict, verify


class Cast:
    """Builds the user and agent of each dialogue from the options."""

    def __init__(self, options: RunOptions, out_dir: Path | None = None) -> None:
        self.options, self.redactor = options, options.redactor()
        self.cache: ResponseCache | None = None
        if options.uses_llm and options.cache and out_dir is not None:
            self.cache = ResponseCache(options.cache_path or out_dir / CACHE_NAME, self.redactor)
        self._backends: dict[Endpoint, HttpBackend] = {}
        self.requests_elsewhere = 0  # requests made for this run by worker processes
        self._tools: dict[str, ToolSet] = {}
        self._prompts: dict[str, str] = {}
        self._agent_channel: Channel | None = None
        self._user_channel: Channel | None = None

    # ---------------------------------------------------------------- channels
    def _backend(self, endpoint: Endpoint) -> ChatBackend:
        if self.options.backend is not None:
            return self.options.backend
        if endpoint not in self._backends:
            self._backends[endpoint] = HttpBackend(endpoint, self.options.concurrency, self.redactor)
        return self._backends[endpoint]

    def agent_channel(self) -> Channel:
        if self._agent_channel is None:
            self._agent_channel = Channel(self._backend(self.options.agent_endpoint()),
                                          self.options.model or "default", self.options.sampling, self.cache)
        return self._agent_channel

    def user_channel(self) -> Channel:
        if self._user_channel is None:
            model = self.options.user_model or self.options.model or "default"
            self._user_channel = Channel(self._backend(self.options.user_endpoint()), model,
                                         self.options.sampling, self.cache)
        return self._user_channel

    def tools(self, env: Environment) -> ToolSet:
        if env.domain.name not in self._tools:
            self._tools[env.domain.name] = ToolSet.of(env.domain.openai_tools())
        return self._tools[env.domain.name]

    def system_prompt(self, env: Environment) -> str:
        """The agent's system prompt for an environment (``--policy``), built once per run."""
        if env.name not in self._prompts:
            self._prompts[env.name] = agent_system_prompt(env.domain, self.options.policy)
        return self._prompts[env.name]

    @property
    def requests(self) -> int:
        return self.requests_elsewhere + sum(backend.requests for backend in self._backends.values())

    async def aclose(self) -> None:
        """Close the connection pools of the running loop (a given ``backend`` too, if it has any)."""
        for backend in [*self._backends.values(), self.options.backend]:
            close = getattr(backend, "aclose", None)
            if close is not None:
                await close()

    def close(self) -> None:
        if self.cache is not None:
            self.cache.close()

    # ------------------------------------------------------------------- roles
    def user(self, task: CompiledTask, attempt: int = 0) -> UserRole:
        if self.options.user == "scripted":
            return ScriptedUser(task)
        return LLMUser(self.user_channel(), task, self.options.reply_retries, attempt)

    def agent(self, task: CompiledTask, env: Environment, attempt: int = 0) -> AgentRole:
        if self.options.agent == "oracle":
            return OracleAgent(task, env.domain.tools)
        guidance = guidance_text(task) if self.options.agent == "guided" else None
        return LLMAgent(self.agent_channel(), self.tools(env), task.id, self.options.reply_retries, attempt,
                        guidance)


# --------------------------------------------------------------------- one dialogue
def simulate(task: CompiledTask, env: Environment, cast: Cast, limits: Limits,
             stop: threading.Event | None = None, attempt: int = 0) -> dict[str, Any]:
    """One dialogue with blocking roles, verified: the record the run database keeps."""
    user, agent = cast.user(task, attempt), cast.agent(task, env, attempt)
    try:
        dialogue = run_dialogue(env, user, agent, limits=limits, stop=stop,
                                system_prompt=cast.system_prompt(env))
        verdict = verify(task, env, dialogue)
    except Interrupted:
        raise
    except Exception as exc:  # a bug must not cost the other dialogues: record it as a failure
        dialogue, verdict = _internal_error(exc, cast.redactor)
    return task_record(task, dialogue, verdict, attempt, cast.options, user, agent)


async def asimulate(task: CompiledTask, env: Environment, cast: Cast, limits: Limits,
                    attempt: int = 0) -> dict[str, Any]:
    """The same on an event loop: LLM roles await their endpoint, others run as they are."""
    user, agent = cast.user(task, attempt), cast.agent(task, env, attempt)
    try:
        dialogue = await arun_dialogue(env, user, agent, limits=limits,
                                       system_prompt=cast.system_prompt(env))
        verdict = verify(task, env, dialogue)
    except Exception as exc:  # noqa: BLE001 - recorded as a failure, like simulate
        dialogue, verdict = _internal_error(exc, cast.redactor)
    return task_record(task, dialogue, verdict, attempt, cast.options, user, agent)


def _internal_error(exc: Exception, redactor: Redactor) -> tuple[Dialogue, Verdict]:
    detail = redactor("".join(traceback.format_exception_only(type(exc), exc)).strip())
    return Dialogue([], termination="agent_error"), Verdict(FAILED, "internal-error", detail)


def task_record(task: CompiledTask, dialogue: Dialogue, verdict: Verdict, attempt: int = 0,
                options: RunOptions | None = None, user: object = None, agent: object = None) -> dict[str, Any]:
    record = {
        "task_id": task.id, "task": task.task, "domain": task.env, "seed": task.seed,
        "trajectory_type": task.metrics.trajectory_type,
        "writes": task.metrics.writes, "evidence": max(task.metrics.evidence_burden, default=0),
        "behavior": task.behavior.name if task.behavior else None,
        "gold_state_hash": task.gold_state_hash,
        "termination_reason": dialogue.termination, "stop_token": dialogue.stop_token,
        "tool_errors": dialogue.errors,
        "messages": [m.to_record() for m in dialogue.messages],
        **verdict.to_record(),
    }
    if options is not None and options.attempts > 1:
        record["attempt"] = attempt
    usage = {role: used.usage.to_record() for role, used in (("agent", agent), ("user", user))
             if hasattr(used, "usage")}
    if usage:
        record["usage"] = usage
    if options is not None and options.uses_llm and record["outcome"] != "verified":
        record["blame"] = blame(task, dialogue, record)
    return record
