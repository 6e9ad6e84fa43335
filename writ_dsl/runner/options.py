"""The options of a run (``writ run`` / ``writ synth``), shared by the runner's modules."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from .endpoint import Endpoint, Sampling
from .llm import ChatBackend
from .secrets import Redactor

AGENTS = ("oracle", "llm", "guided")
USERS = ("scripted", "llm")
KEEP = ("first", "all")
MAX_ATTEMPTS = 1000  # dialogues per task: pass^k is read for small k, and each attempt is kept in memory


@dataclass(frozen=True)
class RunOptions:
    user: Literal["scripted", "llm"] = "scripted"
    agent: Literal["oracle", "llm", "guided"] = "oracle"
    model: str | None = None  # the agent's model (and the user's, unless user_model)
    base_url: str | None = None
    api_key: str | None = field(default=None, repr=False)
    user_model: str | None = None  # the user simulator's own endpoint, where it differs from the agent's
    user_base_url: str | None = None
    user_api_key: str | None = field(default=None, repr=False)
    temperature: float | None = None
    top_p: float | None = None
    seed: int | None = None  # the sampling seed sent to the endpoint
    max_tokens: int | None = None
    timeout: float = 60.0  # seconds per request
    max_retries: int = 4  # retries of 429, 5xx, timeouts and connection errors (never of other 4xx)
    reply_retries: int = 2  # extra asks after a malformed reply
    concurrency: int = 8
    limit: int | None = None  # only the first N tasks of the input
    max_steps: int = 100
    max_errors: int = 10
    attempts: int = 1  # dialogues per task at most
    keep: Literal["first", "all"] = "first"
    cache: bool = True
    cache_path: Path | None = None  # default: DIR/responses.sqlite
    env_path: tuple[str, ...] = ()
    force: bool = False
    retry_failed: bool = False
    progress: bool = False
    engine: str = "auto"  # a name in runner.engines.ENGINES
    workers: int | None = field(default=1, compare=False)  # worker processes of offline roles; None: all cores
    policy: str | None = None  # the agent's policy: None (the domain's), "tau2" (τ²-bench's own) or a file
    backend: ChatBackend | None = field(default=None, compare=False)  # instead of an HTTP endpoint

    @property
    def uses_llm(self) -> bool:
        return self.user == "llm" or self.agent != "oracle"

    def worker_count(self) -> int:
        from ..compiler.engine import available_cores

        return self.workers or available_cores()

    @property
    def sampling(self) -> Sampling:
        return Sampling(self.temperature, self.top_p, self.seed, self.max_tokens)

    def agent_endpoint(self) -> Endpoint:
        return Endpoint(self.base_url, self.api_key, self.timeout, self.max_retries)

    def user_endpoint(self) -> Endpoint:
        return Endpoint(self.user_base_url or self.base_url, self.user_api_key or self.api_key, self.timeout,
                        self.max_retries)

    def redactor(self) -> Redactor:
        return Redactor.of([self.api_key, self.user_api_key])

    def identity(self) -> dict[str, Any]:
        """The options that shape the dialogues (a resumed run must use the same)."""
        found: dict[str, Any] = {
            "user": self.user, "agent": self.agent,
            "agent_model": self.model if self.agent != "oracle" else None,
            "user_model": (self.user_model or self.model) if self.user == "llm" else None,
            "max_steps": self.max_steps, "max_errors": self.max_errors}
        if self.uses_llm and self.sampling.to_body():
            found["sampling"] = self.sampling.to_body()
        if self.attempts > 1:
            found.update(attempts=self.attempts, keep=self.keep)
        if self.policy:
            found["policy"] = self.policy
        return found
