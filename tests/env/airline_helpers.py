"""Shortcuts shared by the airline tests: tool calls that must succeed or must fail."""

from __future__ import annotations

from typing import Any

from writ_dsl.env.core import Environment, State


def call_ok(env: Environment, state: State, tool: str, **args: Any) -> Any:
    outcome = env.call(state, tool, args)
    assert outcome.ok, outcome.error
    return outcome.value


def call_error(env: Environment, state: State, tool: str, **args: Any) -> str:
    """The error message of a call that must fail, after checking it changed nothing."""
    before, changed = state.state_hash(), state.changed_keys
    outcome = env.call(state, tool, args)
    assert not outcome.ok, f"{tool} unexpectedly succeeded"
    assert state.state_hash() == before and state.changed_keys == changed
    assert outcome.content() == f"Error: {outcome.error}"
    return outcome.error
