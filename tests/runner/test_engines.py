"""The asyncio engine's scheduling: the longest expected dialogues start first, every job exactly once; its
committer gathers records into batches while they come often."""

from __future__ import annotations

import time
from pathlib import Path
from types import SimpleNamespace

import pytest

from writ_dsl.compiler.compile import CompileOptions
from writ_dsl.api import compile_paths
from writ_dsl.runner import engines
from writ_dsl.runner.engines import Job, expected_completions, longest_first

from .helpers import desk_env, many_tasks

SPECS = Path(__file__).resolve().parents[2] / "specs"


def jobs(n: int) -> list[Job]:
    env = desk_env()
    return [Job(task, env, (0,)) for task in many_tasks(n)]


def test_longest_first_yields_every_job_once_longest_first_within_the_window() -> None:
    given = jobs(40)
    whole = list(longest_first(given, window=len(given)))
    assert sorted(j.task.id for j in whole) == sorted(j.task.id for j in given)
    lengths = [expected_completions(j.task) for j in whole]
    assert lengths == sorted(lengths, reverse=True) and lengths[0] > lengths[-1]
    windowed = list(longest_first(given, window=4))
    assert sorted(j.task.id for j in windowed) == sorted(j.task.id for j in given)
    assert expected_completions(windowed[0].task) == max(expected_completions(j.task) for j in given[:4])


def test_expected_completions_grow_with_the_plan() -> None:
    tasks = compile_paths([SPECS], CompileOptions(total=60, seed=0)).tasks
    short = min(tasks, key=lambda t: len(t.plan) + t.metrics.writes)
    long = max(tasks, key=lambda t: len(t.plan) + t.metrics.writes)
    assert expected_completions(long) > expected_completions(short)


def test_expected_completions_are_the_offline_dialogues_lengths() -> None:
    """Every bundled template, every user profile: the estimate is exact for the offline roles (each user and
    assistant message is a completion, bar the agent's fixed greeting), so the longest really start first; a
    user who doubts a choice among options may add the lookup that looks at them again."""
    from writ_dsl.runner.dialogue import run_dialogue
    from writ_dsl.runner.environments import environment_for
    from writ_dsl.runner.oracle_agent import OracleAgent
    from writ_dsl.runner.scripted_user import ScriptedUser

    tasks = compile_paths([SPECS], CompileOptions(total=120, seed=3)).tasks
    profiles = {tuple(sorted(map(str, t.behavior.settings.items()))) for t in tasks if t.behavior is not None}
    assert len(profiles) >= 8
    for task in tasks:
        env = environment_for(task)
        dialogue = run_dialogue(env, ScriptedUser(task), OracleAgent(task))
        spoken = sum(message.role in ("user", "assistant") for message in dialogue.messages)
        doubted = task.behavior is not None and task.behavior.settings.get("changes_mind")
        assert spoken - 1 - expected_completions(task) in ((0, 1) if doubted else (0,)), task.id


def test_a_settled_heap_collects_less_often_and_is_undone_afterwards() -> None:
    import gc

    from writ_dsl.runner.engines import YOUNG_OBJECTS, settled_heap

    before, frozen = gc.get_threshold(), gc.get_freeze_count()
    made_before = [[] for _ in range(10)]
    with settled_heap():
        assert gc.get_threshold()[0] == max(before[0], YOUNG_OBJECTS)
        assert gc.get_freeze_count() >= frozen + len(made_before)  # what existed is set aside
    assert gc.get_threshold() == before and gc.get_freeze_count() == frozen
    try:
        with settled_heap():
            raise KeyboardInterrupt
    except KeyboardInterrupt:
        pass
    assert gc.get_threshold() == before and gc.get_freeze_count() == frozen


def test_quick_handoffs_shorten_the_switch_interval_and_the_last_run_restores_it() -> None:
    import sys

    from writ_dsl.runner.engines import SWITCH_SECONDS, quick_handoffs

    before = sys.getswitchinterval()
    first, second = quick_handoffs(), quick_handoffs()
    first.__enter__()
    second.__enter__()
    assert sys.getswitchinterval() == min(before, SWITCH_SECONDS) < before
    first.__exit__(None, None, None)
    assert sys.getswitchinterval() < before  # the second run goes on
    second.__exit__(None, None, None)
    assert sys.getswitchinterval() == before
    try:
        with quick_handoffs():
            raise KeyboardInterrupt
    except KeyboardInterrupt:
        pass
    assert sys.getswitchinterval() == before


def test_runs_in_two_threads_share_the_settled_heap_and_the_last_one_restores_it() -> None:
    import gc

    from writ_dsl.runner.engines import settled_heap

    before = gc.get_threshold()
    first, second = settled_heap(), settled_heap()
    first.__enter__()
    second.__enter__()
    first.__exit__(None, None, None)  # the first run ends while the second goes on
    assert gc.get_threshold() != before and gc.get_freeze_count() > 0
    second.__exit__(None, None, None)
    assert gc.get_threshold() == before and gc.get_freeze_count() == 0


def committed_batches(monkeypatch: pytest.MonkeyPatch, arrivals: list[tuple[float, str]]) -> list[list[str]]:
    """The batches a committer makes of records put in its inbox after the given pauses (seconds), with a
    one-second gathering window."""
    monkeypatch.setattr(engines, "BATCH_SECONDS", 1.0)
    batches: list[list[str]] = []
    committer = engines._Committer(batches.append, SimpleNamespace(cache=None))  # type: ignore[arg-type]
    committer.start()
    for pause, record in arrivals:
        time.sleep(pause)
        committer.inbox.put(record)  # type: ignore[arg-type]
    committer.inbox.put(None)
    committer.join(timeout=10)
    assert not committer.is_alive() and committer.error is None
    return batches


def test_a_record_after_a_quiet_spell_is_committed_at_once(monkeypatch: pytest.MonkeyPatch) -> None:
    assert committed_batches(monkeypatch, [(1.1, "a"), (0.4, "b")]) == [["a"], ["b"]]


def test_records_that_come_often_are_gathered_into_one_batch(monkeypatch: pytest.MonkeyPatch) -> None:
    arrivals = [(0.0, "a"), (0.4, "b"), (0.2, "c"), (0.4, "d")]
    assert committed_batches(monkeypatch, arrivals) == [["a", "b"], ["c", "d"]]
