"""What ``writ env`` shows: environments found on the search path, their tools and databases."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from ..errors import EnvironmentNotFound
from .core import Database, Domain, checked_size
from .registry import BrokenEnvironment, UnknownEnvironment, available, load_domain

PathList = Sequence[str | Path]


@dataclass(frozen=True)
class EnvironmentEntry:
    """One environment on the search path; ``problem`` says why it could not be loaded."""

    name: str
    folder: Path
    tool_count: int | None
    problem: str | None = None


def find_domain(name: str, extra: PathList = ()) -> Domain:
    """The domain called ``name``, or EnvironmentNotFound listing the known names."""
    try:
        return load_domain(name, extra)
    except UnknownEnvironment as exc:
        raise EnvironmentNotFound(str(exc)) from None


def list_environments(extra: PathList = ()) -> list[EnvironmentEntry]:
    return [_entry(name, folder, extra) for name, folder in sorted(available(extra).items())]


def _entry(name: str, folder: Path, extra: PathList) -> EnvironmentEntry:
    try:
        domain = load_domain(name, extra)
    except BrokenEnvironment as exc:
        return EnvironmentEntry(name, folder, None, exc.reason)
    except Exception as exc:  # a broken environment folder must not hide the others
        return EnvironmentEntry(name, folder, None, f"{type(exc).__name__}: {exc}")
    return EnvironmentEntry(name, folder, len(domain.tools))


def openai_tools_json(domain: Domain) -> str:
    """The domain's tools as the JSON ``tools`` array of an OpenAI chat request."""
    return json.dumps(domain.openai_tools(), indent=2, ensure_ascii=False) + "\n"


def generated_database(domain: Domain, seed: int, size: int) -> Database:
    return Database(domain.generate(seed, checked_size(size)))
