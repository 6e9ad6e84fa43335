"""``manifest.json``: what a run was made from, to reproduce or audit it.

It records the writ version, the git commit of the spec library (when the
specs are in a git work tree), SHA-256 hashes of the specs, of each domain's
tool schemas and of each database, the models and endpoints of the LLM roles
(never their keys), and the options. It holds no timestamps, so that the same
run writes the same bytes.
"""

from __future__ import annotations

import hashlib
import json
import subprocess
from collections.abc import Sequence
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path
from typing import Any

from ..compiler.model import CompiledTask
from ..env.core import Environment, canonical_json
from ..io import atomic_write
from .options import RunOptions

MANIFEST = "manifest.json"


def writ_version() -> str:
    try:
        return metadata.version("writ-dsl")
    except metadata.PackageNotFoundError:  # pragma: no cover - running from an uninstalled checkout
        return "unknown"


def git_commit(paths: Sequence[str | Path]) -> dict[str, Any] | None:
    """The commit (and whether the work tree has changes) of the git repository holding the first path."""
    for path in paths:
        folder = Path(path).resolve()
        folder = folder if folder.is_dir() else folder.parent
        try:
            head = _git(folder, "rev-parse", "HEAD")
            dirty = bool(_git(folder, "status", "--porcelain", "--", "."))
        except (OSError, subprocess.SubprocessError):
            continue
        return {"commit": head, "dirty": dirty}
    return None


def _git(folder: Path, *args: str) -> str:
    done = subprocess.run(["git", "-C", str(folder), *args], capture_output=True, text=True, timeout=10,
                          check=True)
    return done.stdout.strip()


def _sha(value: Any) -> str:
    return hashlib.sha256(canonical_json(value).encode()).hexdigest()


def _roles(options: RunOptions) -> dict[str, Any]:
    found: dict[str, Any] = {"user": {"kind": options.user}, "agent": {"kind": options.agent}}
    if options.agent != "oracle":
        found["agent"].update(model=options.model, endpoint=options.agent_endpoint().describe())
    if options.user == "llm":
        found["user"].update(model=options.user_model or options.model, endpoint=options.user_endpoint().describe())
    return found


@dataclass
class ManifestFacts:
    """What the manifest says of a run's tasks, gathered as they are made."""

    specs: set[tuple[str, str]] = field(default_factory=set)  # (path, hash)
    databases: set[str] = field(default_factory=set)  # state hashes
    count: int = 0

    def add(self, task: CompiledTask) -> None:
        self.specs.add((task.spec_path, task.spec_hash))
        self.databases.add(task.db.state_hash)
        self.count += 1

    def absorb(self, other: ManifestFacts) -> None:
        self.specs |= other.specs
        self.databases |= other.databases
        self.count += other.count


def manifest(tasks: Sequence[CompiledTask], envs: dict[str, Environment], options: RunOptions,
             spec_paths: Sequence[str | Path] = ()) -> dict[str, Any]:
    facts = ManifestFacts()
    for task in tasks:
        facts.add(task)
    tools = {env.domain.name: env.domain.openai_tools() for env in envs.values()}
    return manifest_of(facts, tools, options, spec_paths)


def manifest_of(facts: ManifestFacts, tools: dict[str, Any], options: RunOptions,
                spec_paths: Sequence[str | Path] = ()) -> dict[str, Any]:
    """The manifest of a run: its tasks' facts and the tool schemas of each domain (by domain name)."""
    specs = sorted(facts.specs)
    return {
        "writ_version": writ_version(),
        "spec_library": git_commit([*spec_paths, *(path for path, _ in specs)][:3]),
        "specs": [{"path": path, "hash": digest} for path, digest in specs],
        "tool_schemas": {name: _sha(schemas) for name, schemas in sorted(tools.items())},
        "databases": sorted(facts.databases),
        "roles": _roles(options),
        "sampling": options.sampling.to_body(),
        "options": {**options.identity(), "concurrency": options.concurrency, "timeout": options.timeout,
                    "max_retries": options.max_retries, "reply_retries": options.reply_retries,
                    "cache": options.cache, "limit": options.limit},
        "tasks": facts.count,
    }


def write_manifest(out_dir: Path, tasks: Sequence[CompiledTask], envs: dict[str, Environment],
                   options: RunOptions, spec_paths: Sequence[str | Path] = ()) -> None:
    write_manifest_of(out_dir, manifest(tasks, envs, options, spec_paths), options)


def write_manifest_of(out_dir: Path, found: dict[str, Any], options: RunOptions) -> None:
    text = json.dumps(found, indent=1, sort_keys=True, ensure_ascii=False)
    atomic_write(out_dir / MANIFEST, options.redactor().known(text) + "\n")
