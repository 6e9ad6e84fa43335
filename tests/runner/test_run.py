"""Runs: outputs, determinism, resume, folder ownership, the CLI."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from writ_dsl.cli import main
from writ_dsl.errors import InputError
from writ_dsl.runner.export import REJECTS, SIMULATIONS, SUMMARY, TRAJECTORIES
from writ_dsl.runner.run import RunOptions, run_tasks

from .helpers import FAKE_ENVS, desk_env, make_task, many_tasks, write_tasks

OUTPUTS = (TRAJECTORIES, REJECTS, SIMULATIONS, SUMMARY)
ENV = (str(FAKE_ENVS),)


def options(**changes: object) -> RunOptions:
    return RunOptions(env_path=ENV, **changes)  # type: ignore[arg-type]


def outputs(folder: Path) -> dict[str, bytes]:
    return {name: (folder / name).read_bytes() for name in OUTPUTS}


def lines(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


@pytest.fixture(scope="module")
def tasks() -> list:
    return [*many_tasks(10), make_task(task_id="desk-bad-hash", gold_state_hash="0" * 64)]


def test_run_writes_verified_trajectories_and_rejects(tmp_path: Path, tasks: list) -> None:
    summary = run_tasks(tasks, tmp_path, options())
    assert (summary.verified, summary.rejected, summary.failed, summary.pending) == (10, 1, 0, 0)
    trajectories = lines(tmp_path / TRAJECTORIES)
    assert [t["task_id"] for t in trajectories] == sorted(t.id for t in tasks[:10])
    tools = {t["function"]["name"] for t in trajectories[0]["tools"]}
    assert tools == set(desk_env().tools)
    for row in trajectories:
        assert list(row) == ["task_id", "domain", "trajectory_type", "has_user_script", "behavior", "messages",
                             "tools"]
        assert row["domain"] == "desk" and row["has_user_script"] is True and row["behavior"]
        _check_openai_messages(row["messages"])
    (bad,) = lines(tmp_path / REJECTS)
    assert (bad["task_id"], bad["status"], bad["reason"]) == ("desk-bad-hash", "rejected", "hash-mismatch")
    assert bad["messages"] and bad["detail"]
    written = json.loads((tmp_path / SUMMARY).read_text())
    assert written["reasons"] == {"rejected": {"hash-mismatch": 1}} and written["verified"] == 10
    assert written["evidence_coverage"]["mean_ratio"] == 1.0


def _check_openai_messages(messages: list[dict]) -> None:
    assert messages[0]["role"] == "system" and messages[-1]["role"] == "user"
    pending: list[str] = []
    for m in messages[1:]:
        if m["role"] == "assistant" and m.get("tool_calls"):
            assert m["content"] is None
            for c in m["tool_calls"]:
                assert c["type"] == "function" and isinstance(json.loads(c["function"]["arguments"]), dict)
                pending.append(c["id"])
        elif m["role"] == "tool":
            assert m["tool_call_id"] == pending.pop(0)
        else:
            assert not pending and m["role"] in ("user", "assistant") and m["content"]


def test_simulations_follow_the_tau2_layout(tmp_path: Path, tasks: list) -> None:
    run_tasks(tasks, tmp_path, options())
    simulations = json.loads((tmp_path / SIMULATIONS).read_text())
    assert len(simulations) == len(tasks) and len({s["id"] for s in simulations}) == len(tasks)
    for sim in simulations:
        assert {"id", "task_id", "messages", "termination_reason", "trial", "reward_info"} <= set(sim)
        assert [m["turn_idx"] for m in sim["messages"]] == list(range(len(sim["messages"])))
        assert sim["messages"][0]["role"] == "assistant" and sim["termination_reason"] == "user_stop"
        for m in sim["messages"]:
            if m["role"] == "tool":
                assert m["id"] and m["error"] is False and m["requestor"] == "assistant"
            for c in m.get("tool_calls") or []:
                assert isinstance(c["arguments"], dict) and c["requestor"] == "assistant"
    rewards = {s["task_id"]: s["reward_info"]["reward"] for s in simulations}
    assert rewards["desk-bad-hash"] == 0.0 and rewards["desk-0000"] == 1.0


def test_offline_output_is_byte_identical_across_runs_and_concurrency(tmp_path: Path, tasks: list) -> None:
    run_tasks(tasks, tmp_path / "a", options(concurrency=1))
    run_tasks(tasks, tmp_path / "b", options(concurrency=8))
    assert outputs(tmp_path / "a") == outputs(tmp_path / "b")


def test_rows_made_during_the_run_are_the_rows_an_export_renders(tmp_path: Path, tasks: list) -> None:
    import sqlite3

    from writ_dsl.runner.export import export_outputs

    run_tasks(tasks, tmp_path, options(attempts=2, keep="all"))
    made = outputs(tmp_path)
    with sqlite3.connect(tmp_path / "run.sqlite") as conn:
        rendered = {row[0] for row in conn.execute("SELECT task_id FROM rendered")}
        assert rendered == {task.id for task in tasks}  # every task ended while the run went on
        conn.execute("DELETE FROM rendered")
    export_outputs(tmp_path)  # rendered again from the records
    assert outputs(tmp_path) == made


def test_the_store_keeps_a_tool_list_once_not_in_every_trajectory_row(tmp_path: Path, tasks: list) -> None:
    import sqlite3

    from writ_dsl.runner.export import export_meta, render_packed, render_task, unpack_rows
    from writ_dsl.runner.store import RunStore

    run_tasks(tasks, tmp_path, options())
    with RunStore(tmp_path) as store:
        meta = export_meta(store)
        records = list(store.records())
    listed = json.dumps(meta["tools"]["desk"], ensure_ascii=False).encode()
    with sqlite3.connect(tmp_path / "run.sqlite") as conn:
        stored = [blob for (blob,) in conn.execute("SELECT trajectories FROM rendered") if blob]
    assert stored and all(listed not in blob and blob.count(b"\0desk\0") == blob.count(b"\n") for blob in stored)
    assert all(listed in line for line in (tmp_path / TRAJECTORIES).read_bytes().splitlines())
    # two domains in one task's rows, a list that is a prefix of the other's, and a line with none: unchanged
    two = {**meta, "tools": {"a": [{"name": "x"}], "b": [{"name": "x"}, {"name": "y"}]}}
    for record, domain, marks in ((records[0], "b", 2), (records[1], "a", 2), (records[2], "c", 0)):
        moved = [{**record, "domain": domain}]
        packed = render_packed(moved, two)
        assert packed[0].count(b"\0") == marks and b'[{"name": "x"}' not in packed[0]
        assert b"".join(unpack_rows(packed, two).trajectories) == b"".join(render_task(moved, two).trajectories)
    packed = render_packed([{**records[0], "domain": "b"}], two)
    assert unpack_rows(packed, {"tools": {"a": [{"name": "x"}]}}) is None  # a domain the run no longer lists


def test_rows_marked_with_a_domain_the_run_no_longer_lists_are_rendered_from_their_records(tmp_path: Path,
                                                                                         tasks: list) -> None:
    import sqlite3

    from writ_dsl.runner.export import export_outputs

    run_tasks(tasks, tmp_path, options())
    with sqlite3.connect(tmp_path / "run.sqlite") as conn:
        conn.execute("UPDATE meta SET value = ? WHERE key = 'tools'", (json.dumps({"other": []}),))
    export_outputs(tmp_path)
    made = lines(tmp_path / TRAJECTORIES)
    assert made and all(line["tools"] == [] for line in made)


def test_a_record_sent_encoded_is_stored_as_the_record_itself_would_be(tmp_path: Path, tasks: list) -> None:
    import pickle

    from writ_dsl.runner.store import RunStore, encoded, record_text

    run_tasks(tasks, tmp_path, options(attempts=2, keep="all"))
    with RunStore(tmp_path) as store:
        records = [record for task in tasks for record in store.attempts_of(task.id)]
        sent = [encoded(record) for record in records]
        assert [e.text for e in sent] == [record_text(r) for r in records]
        assert [encoded(e) for e in sent] == sent  # already encoded: kept as it is
        assert store.stored_rows(sent, range(len(sent))) == store.stored_rows(records, range(len(records)))
    assert pickle.loads(pickle.dumps(sent)) == sent  # as a worker process sends them


def test_rows_made_with_a_batch_name_the_records_they_were_made_of(tmp_path: Path, tasks: list) -> None:
    import sqlite3

    from writ_dsl.runner.export import RENDERER, commit_rendered, export_meta
    from writ_dsl.runner.store import RunStore

    run_tasks(tasks, tmp_path, options(attempts=2, keep="all"))
    with RunStore(tmp_path) as store:
        sources = {task.id: store._source(task.id) for task in tasks}
        first, second = store.attempts_of(tasks[0].id)
        meta = export_meta(store)
        # only the second attempt is in the batch: the first was committed before, so the store renders both
        commit_rendered(store, store.stored_rows([{**second, "outcome": "rejected"}], [0]),
                        {tasks[0].id: [0, 1]}, meta)
        again = store.stored_rows([first, second], [0, 0])
    with sqlite3.connect(tmp_path / "run.sqlite") as conn:
        made = dict(conn.execute("SELECT task_id, source FROM rendered WHERE renderer = ?", (RENDERER,)))
        stored = conn.execute("SELECT record FROM results WHERE task_id = ? ORDER BY attempt",
                              (tasks[0].id,)).fetchall()
    assert {t: s for t, s in made.items() if t != tasks[0].id} == {t: s for t, s in sources.items()
                                                                   if t != tasks[0].id}
    assert made[tasks[0].id] == sources[tasks[0].id].replace("1:verified", "1:rejected")
    assert [text for (text,) in stored][0] == again[0][4]


def test_an_export_copies_the_stored_rows_only_when_this_renderer_made_them(tmp_path: Path, tasks: list) -> None:
    import sqlite3

    from writ_dsl.runner.export import export_outputs

    run_tasks(tasks, tmp_path, options())
    made = outputs(tmp_path)
    with sqlite3.connect(tmp_path / "run.sqlite") as conn:
        conn.execute("UPDATE rendered SET trajectories = CAST(? AS BLOB) WHERE task_id = ?",
                     ('{"marked": true}\n', tasks[0].id))
    export_outputs(tmp_path)
    assert b'{"marked": true}' in (tmp_path / TRAJECTORIES).read_bytes()  # the stored rows were copied
    with sqlite3.connect(tmp_path / "run.sqlite") as conn:
        conn.execute("UPDATE rendered SET renderer = 'writ 0.0.0 rows 0' WHERE task_id = ?", (tasks[0].id,))
    export_outputs(tmp_path)
    assert outputs(tmp_path) == made  # rows of another renderer are made again
    with sqlite3.connect(tmp_path / "run.sqlite") as conn:  # records replaced by a writ that keeps no rows
        conn.execute("UPDATE rendered SET trajectories = CAST(? AS BLOB)", ('{"marked": true}\n',))
        conn.execute("UPDATE results SET record = record || ' '")
    export_outputs(tmp_path)
    assert outputs(tmp_path) == made


def test_a_task_whose_attempts_have_other_positions_is_exported_once(tmp_path: Path, tasks: list) -> None:
    from writ_dsl.runner.export import export_outputs
    from writ_dsl.runner.store import RunStore

    run_tasks(tasks, tmp_path, options(attempts=2, keep="all"))
    made = outputs(tmp_path)
    with RunStore(tmp_path) as store:  # as a resume with the tasks in another order would store it
        second = store.attempts_of(tasks[0].id)[1]
        store.commit_many([second], [len(tasks) + 5])
    export_outputs(tmp_path)
    assert outputs(tmp_path) == made


def test_a_new_attempt_drops_the_rows_made_of_the_earlier_ones(tmp_path: Path, tasks: list) -> None:
    import sqlite3

    from writ_dsl.runner.store import RunStore

    run_tasks(tasks, tmp_path, options())
    with RunStore(tmp_path) as store:
        [record] = store.attempts_of(tasks[0].id)
        store.commit_many([{**record, "attempt": 1}], [0])
    with sqlite3.connect(tmp_path / "run.sqlite") as conn:
        left = {row[0] for row in conn.execute("SELECT task_id FROM rendered")}
    assert left == {task.id for task in tasks[1:]}


def test_a_partial_run_resumed_equals_one_uninterrupted_run(tmp_path: Path, tasks: list) -> None:
    whole = run_tasks(tasks, tmp_path / "whole", options())
    first = run_tasks(tasks, tmp_path / "parts", options(limit=4))
    assert (first.ran, first.pending) == (4, len(tasks) - 4)
    assert len(lines(tmp_path / "parts" / TRAJECTORIES)) == 4
    again = run_tasks(tasks, tmp_path / "parts", options(limit=4))
    assert again.ran == 0
    rest = run_tasks(tasks, tmp_path / "parts", options())
    assert rest.ran == len(tasks) - 4 and rest.verified == whole.verified
    assert outputs(tmp_path / "parts") == outputs(tmp_path / "whole")


def test_other_tasks_or_options_need_force(tmp_path: Path, tasks: list) -> None:
    run_tasks(tasks[:3], tmp_path, options())
    with pytest.raises(InputError, match="use --force"):
        run_tasks(tasks[:4], tmp_path, options())
    with pytest.raises(InputError, match="use --force"):
        run_tasks(tasks[:3], tmp_path, options(max_steps=50))
    forced = run_tasks(tasks[:4], tmp_path, options(max_steps=50, force=True))
    assert forced.ran == 4 and len(lines(tmp_path / TRAJECTORIES)) == 4


def test_bad_inputs_are_clear_errors(tmp_path: Path) -> None:
    task = make_task()
    with pytest.raises(InputError, match="more than once"):
        run_tasks([task, task], tmp_path, options())
    with pytest.raises(InputError, match="unknown environment 'nowhere'"):
        run_tasks([task.model_copy(update={"env": "nowhere"})], tmp_path, options())
    stale = task.model_copy(update={"db": task.db.model_copy(update={"state_hash": "1" * 64})})
    with pytest.raises(InputError, match="differs from the one the task was compiled against"):
        run_tasks([stale], tmp_path, options())
    with pytest.raises(InputError, match="--model"):
        run_tasks([task], tmp_path, options(agent="llm"))


def test_cli_runs_resumes_and_refuses_other_options(tmp_path: Path) -> None:
    tasks_file = write_tasks(many_tasks(6), tmp_path / "tasks.jsonl")
    out = tmp_path / "out"
    base = ["run", str(tasks_file), "-o", str(out), "--env-path", str(FAKE_ENVS), "--no-progress"]
    runner = CliRunner()
    first = runner.invoke(main, [*base, "--limit", "2"])
    assert first.exit_code == 0, first.output
    assert "2 verified, 0 rejected, 0 failed, 4 pending" in first.output
    second = runner.invoke(main, base)
    assert second.exit_code == 0 and "6 verified" in second.output and "(4 run now" in second.output
    other = runner.invoke(main, [*base, "--max-errors", "3"])
    assert other.exit_code == 1 and "use --force" in other.output
    assert runner.invoke(main, [*base, "--max-errors", "3", "--force"]).exit_code == 0
    assert (out / "tasks.jsonl").read_bytes() == tasks_file.read_bytes()


def test_a_batch_whose_rows_cannot_be_rendered_still_keeps_its_dialogues(tmp_path: Path, tasks: list,
                                                                         monkeypatch) -> None:
    from writ_dsl.runner import export

    def broken(records, meta):
        raise RuntimeError("renderer failed")

    monkeypatch.setattr(export, "render_task", broken)
    with pytest.raises(RuntimeError, match="renderer failed"):
        run_tasks(tasks[:3], tmp_path, options())
    with export.RunStore(tmp_path) as store:
        assert store.finished(), "the batch's dialogues were lost with its rows"


def test_a_batch_whose_rows_cannot_be_stored_still_keeps_its_dialogues(tmp_path: Path, tasks: list,
                                                                       monkeypatch) -> None:
    import sqlite3

    from writ_dsl.errors import InputError
    from writ_dsl.runner.store import RunStore

    def full(self, rows):
        raise sqlite3.OperationalError("database or disk is full")

    monkeypatch.setattr(RunStore, "_insert_rendered", full)
    with pytest.raises(InputError, match="full"):
        run_tasks(tasks[:3], tmp_path, options())
    with RunStore(tmp_path) as store:
        assert store.finished(), "the batch's dialogues were lost with its rows"


def test_an_export_reads_the_records_of_a_task_whose_rows_changed_while_it_read(tmp_path: Path, tasks: list) -> None:
    import sqlite3

    from writ_dsl.runner.export import RENDERER
    from writ_dsl.runner.store import RunStore

    run_tasks(tasks[:3], tmp_path, options())
    with RunStore(tmp_path) as store:
        reading = store.tasks_for_export(RENDERER)
        first = next(reading)
        with sqlite3.connect(tmp_path / "run.sqlite") as conn:  # another process commits in between
            conn.execute("DELETE FROM rendered")
        rest = list(reading)
    assert first[1] is not None
    assert [len(records) for _, made, records in rest if made is None] == [1, 1]
