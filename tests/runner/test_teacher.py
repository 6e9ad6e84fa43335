"""Teacher-model runs: secrets, the response cache, usage, the manifest, sampling and per-role endpoints,
attempts and pass rates, blame, and the guided agent — over the loopback endpoint or an in-memory twin."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from writ_dsl.cli import main
from writ_dsl.compiler.model import CompiledTask
from writ_dsl.runner.export import SUMMARY, TRAJECTORIES
from writ_dsl.runner.guidance import GUIDANCE_TAG
from writ_dsl.runner.llm import ChatRequest, FunctionBackend
from writ_dsl.runner.loopback import LoopbackServer, play
from writ_dsl.runner.manifest import MANIFEST
from writ_dsl.runner.messages import STOP
from writ_dsl.runner.phrasing import asks_confirmation
from writ_dsl.runner.pass_rates import pass_hat
from writ_dsl.runner.run import RunOptions, run_tasks
from writ_dsl.runner.secrets import MASK, redact
from writ_dsl.runner.store import RunStore

from .helpers import FAKE_ENVS, make_task, many_tasks, write_tasks

CANARY = "sk-canary-7f3a9c1e5b2d4f60"


def options(**changes: Any) -> RunOptions:
    base: dict[str, Any] = {"user": "llm", "agent": "llm", "model": "loop", "api_key": "test-key-123",
                            "timeout": 2.0, "max_retries": 1, "env_path": (str(FAKE_ENVS),), "concurrency": 4}
    return RunOptions(**{**base, **changes})


def summary_of(out: Path) -> dict[str, Any]:
    return json.loads((out / SUMMARY).read_text())


def every_byte(folder: Path) -> bytes:
    return b"".join(path.read_bytes() for path in sorted(folder.rglob("*")) if path.is_file())


# ------------------------------------------------------------------------- secrets
def test_redaction_masks_known_keys_and_credential_shapes() -> None:
    text = f"Authorization: Bearer {CANARY} api_key={CANARY} x-api-key: abcdef123456 token sk-other0123456789"
    masked = redact(text, [CANARY])
    assert CANARY not in masked and "abcdef123456" not in masked and "sk-other0123456789" not in masked
    assert masked.count(MASK) >= 4
    assert redact("HTTP 500 (after 4 retries): overloaded") == "HTTP 500 (after 4 retries): overloaded"


def test_a_canary_key_echoed_by_the_endpoint_is_nowhere_on_disk_nor_printed(tmp_path: Path) -> None:
    tasks = many_tasks(3)
    tasks_file = write_tasks(tasks, tmp_path / "tasks.jsonl")
    out = tmp_path / "out"
    with LoopbackServer(tasks, refuse_with=401) as server:
        result = CliRunner().invoke(main, ["run", str(tasks_file), "-o", str(out), "--user", "llm", "--agent", "llm",
                                           "--model", "loop", "--base-url", server.base_url, "--no-progress",
                                           "--env-path", str(FAKE_ENVS), "--max-retries", "4"],
                                    env={"OPENAI_API_KEY": CANARY})
        requests = server.counts["requests"]
    assert result.exit_code == 1, result.output
    assert CANARY not in result.output and CANARY.encode() not in every_byte(tmp_path)
    assert requests == 3, "a 401 is not retried"
    rejects = [json.loads(line) for line in (out / "rejects.jsonl").read_text().splitlines()]
    assert len(rejects) == 3
    for reject in rejects:
        assert reject["detail"].startswith("HTTP 401 (not retried): invalid credentials")
        assert MASK in reject["detail"] and "retries" not in reject["detail"]


def test_retried_statuses_say_how_many_retries_were_made(tmp_path: Path) -> None:
    tasks = many_tasks(1)
    with LoopbackServer(tasks, refuse_with=503) as server:
        run_tasks(tasks, tmp_path, options(user="scripted", max_retries=2, base_url=server.base_url))
        assert server.counts["requests"] == 3
    with RunStore(tmp_path) as store:
        (record,) = store.records()
    assert record["detail"].startswith("HTTP 503 (after 2 retries)")


# --------------------------------------------------------------- cache, usage, manifest
def test_a_rerun_replays_from_the_cache_with_no_request(tmp_path: Path) -> None:
    tasks = many_tasks(4)
    with LoopbackServer(tasks) as server:
        first = run_tasks(tasks, tmp_path, options(base_url=server.base_url))
        made = server.counts["requests"]
        before = {name: (tmp_path / name).read_bytes() for name in (TRAJECTORIES, SUMMARY)}
        again = run_tasks(tasks, tmp_path, options(base_url=server.base_url, force=True))
        assert server.counts["requests"] == made and again.requests == 0 and again.cache_hits == made
        assert {name: (tmp_path / name).read_bytes() for name in before} == before
        fresh = run_tasks(tasks, tmp_path, options(base_url=server.base_url, force=True, cache=False))
        assert server.counts["requests"] == 2 * made and fresh.requests == made
    assert first.verified == 4 and first.requests == made and (tmp_path / "responses.sqlite").is_file()


@pytest.mark.parametrize("failing", ["executemany", "COMMIT"])
def test_a_failed_cache_write_keeps_its_answers_for_the_next_one(tmp_path: Path, failing: str) -> None:
    """A write that fails (a full disk) leaves no transaction open and loses no answer: the next flush,
    or closing the cache, writes them."""
    import sqlite3

    from writ_dsl.runner.cache import ResponseCache
    from writ_dsl.runner.endpoint import Completion

    cache = ResponseCache(tmp_path / "responses.sqlite")
    writer = cache._writer

    class FullDisk:
        def __getattr__(self, name: str) -> Any:
            return getattr(writer, name)

        def executemany(self, *args: Any) -> Any:
            if failing == "executemany":
                raise sqlite3.OperationalError("database or disk is full")
            return writer.executemany(*args)

        def execute(self, sql: str, *args: Any) -> Any:
            if sql == failing:
                raise sqlite3.OperationalError("database or disk is full")
            return writer.execute(sql, *args)

    cache._writer = FullDisk()  # type: ignore[assignment]
    cache.put("k1", Completion({"role": "assistant", "content": "hello"}, (3, 1)))
    with pytest.raises(sqlite3.OperationalError, match="full"):
        cache.flush()
    cache._writer = writer
    cache.close()
    again = ResponseCache(tmp_path / "responses.sqlite")
    found = again.get("k1")
    assert found is not None and found.message["content"] == "hello" and found.usage == (3, 1)
    again.close()


def test_a_cache_opened_empty_is_not_read_until_it_is_opened_again(tmp_path: Path) -> None:
    """A run never sends the same request twice, so a cache that held nothing when the run opened it is not
    looked up; the next run, which opens it holding answers, finds them (non-ASCII text and all)."""
    from writ_dsl.runner.cache import ResponseCache
    from writ_dsl.runner.endpoint import Completion

    path = tmp_path / "responses.sqlite"
    opened_empty, writer = ResponseCache(path), ResponseCache(path)
    writer.put("k1", Completion({"role": "assistant", "content": "Grüße, 東京"}, (5, 2)))
    writer.close()
    assert opened_empty.get("k1") is None and opened_empty.hits == 0
    opened_empty.close()
    again = ResponseCache(path)
    found = again.get("k1")
    assert found is not None and found.cached and found.message["content"] == "Grüße, 東京" and found.usage == (5, 2)
    again.close()


def test_usage_is_recorded_per_trajectory_and_per_run(tmp_path: Path) -> None:
    tasks = many_tasks(4)
    with LoopbackServer(tasks) as server:
        run_tasks(tasks, tmp_path, options(base_url=server.base_url))
    usage = summary_of(tmp_path)["usage"]
    assert usage["prompt_tokens"] > 0 and usage["completion_tokens"] > 0
    assert set(usage["by_role"]) == {"agent", "user"}
    rows = [json.loads(line) for line in (tmp_path / TRAJECTORIES).read_text().splitlines()]
    per_trajectory = sum(r["usage"]["agent"]["prompt_tokens"] + r["usage"]["user"]["prompt_tokens"] for r in rows)
    assert per_trajectory == usage["prompt_tokens"]


def test_the_manifest_names_models_and_endpoints_but_no_key(tmp_path: Path) -> None:
    tasks = many_tasks(2)
    with LoopbackServer(tasks) as server:
        base_url = server.base_url
        run_tasks(tasks, tmp_path, options(base_url=base_url, api_key=CANARY, temperature=0.5, seed=3))
    text = (tmp_path / MANIFEST).read_text()
    manifest = json.loads(text)
    assert CANARY not in text
    assert manifest["roles"]["agent"] == {"kind": "llm", "model": "loop", "endpoint": {
        "base_url": base_url, "timeout": 2.0, "max_retries": 1}}
    assert manifest["sampling"] == {"temperature": 0.5, "seed": 3}
    assert manifest["tool_schemas"]["desk"] and manifest["databases"] == [tasks[0].db.state_hash]
    assert manifest["writ_version"] and manifest["specs"][0]["path"] == "desk.writ"


# ------------------------------------------------------- sampling and per-role endpoints
def test_sampling_options_and_per_role_endpoints_reach_their_servers(tmp_path: Path) -> None:
    tasks = many_tasks(2)
    with LoopbackServer(tasks, keep_bodies=True) as agent_side, \
            LoopbackServer(tasks, keep_bodies=True) as user_side:
        summary = run_tasks(tasks, tmp_path, options(
            base_url=agent_side.base_url, user_base_url=user_side.base_url, user_model="sim",
            temperature=0.7, top_p=0.9, seed=11, max_tokens=300))
    assert summary.verified == 2
    assert agent_side.bodies and all(b.get("tools") and b["model"] == "loop" for b in agent_side.bodies)
    assert user_side.bodies and all(not b.get("tools") and b["model"] == "sim" for b in user_side.bodies)
    for body in agent_side.bodies + user_side.bodies:
        assert (body["temperature"], body["top_p"], body["seed"], body["max_tokens"]) == (0.7, 0.9, 11, 300)


# ------------------------------------------------------------- attempts and blame
def twin_failing(tasks: list[CompiledTask], fails: Any) -> FunctionBackend:
    """The in-memory twin, except that the user ends at once (###STOP###) when ``fails(task_id, attempt)``."""
    by_id = {task.id: task for task in tasks}

    def reply(request: ChatRequest) -> dict[str, Any]:
        if request.role == "user" and fails(request.dialogue_id, request.attempt):
            return {"content": f"Thanks, bye. {STOP}", "tool_calls": None}
        return play(by_id[request.dialogue_id], {"messages": request.messages, "tools": request.tools})

    return FunctionBackend(reply)


def test_pass_hat_follows_tau2() -> None:
    assert pass_hat(4, 2, 1) == 0.5 and pass_hat(4, 2, 2) == 1 / 6 and pass_hat(4, 4, 4) == 1.0
    assert pass_hat(1, 1, 2) is None


def test_keep_all_makes_every_attempt_and_reports_pass_rates(tmp_path: Path) -> None:
    tasks = many_tasks(4)
    backend = twin_failing(tasks, lambda task_id, attempt: task_id in ("desk-0000", "desk-0001") and attempt == 1)
    summary = run_tasks(tasks, tmp_path, options(backend=backend, attempts=3, keep="all"))
    rates = summary_of(tmp_path)["attempts"]
    assert (summary.verified, rates["dialogues"], rates["solved"]) == (4, 12, 4)
    assert rates["pass^1"] == round((2 * (2 / 3) + 2 * 1.0) / 4, 4) and rates["pass^3"] == 0.5
    assert rates["by_template"]["buy_lamps"]["tasks"] == 4 and set(rates["by_task"]) == {t.id for t in tasks}
    assert set(rates["by_writes"]) == {"001", "002"}
    # distinct verified dialogues only: the three attempts of a task are alike when nothing is sampled
    assert len((tmp_path / TRAJECTORIES).read_text().splitlines()) == 4


def test_keep_first_reruns_simulator_spoiled_dialogues_and_blames_the_user(tmp_path: Path) -> None:
    tasks = many_tasks(3)
    backend = twin_failing(tasks, lambda task_id, attempt: attempt == 0)
    summary = run_tasks(tasks, tmp_path, options(backend=backend, attempts=2))
    assert summary.verified == 3
    with RunStore(tmp_path) as store:
        rows = list(store.records())
    assert [(r["attempt"], r["outcome"]) for r in rows if r["task_id"] == "desk-0000"] == [(0, "rejected"),
                                                                                          (1, "verified")]
    blame = summary_of(tmp_path)["blame"]
    assert blame == {"user": 3, "agent": 0, "endpoint": 0, "faults": {"user:stopped-at-a-question": 3}}
    assert summary_of(tmp_path)["attempts"]["dialogues"] == 6


def test_ending_at_the_confirmation_question_is_the_simulators_fault(tmp_path: Path) -> None:
    tasks = many_tasks(2)
    by_id = {task.id: task for task in tasks}

    def reply(request: ChatRequest) -> dict[str, Any]:
        last = request.messages[-1]["content"] if request.role == "user" else ""
        if asks_confirmation(last):
            return {"content": f"Never mind. {STOP}", "tool_calls": None}
        return play(by_id[request.dialogue_id], {"messages": request.messages, "tools": request.tools})

    run_tasks(tasks, tmp_path, options(backend=FunctionBackend(reply)))
    assert summary_of(tmp_path)["blame"]["faults"] == {"user:stopped-at-confirmation": 2}


# ------------------------------------------------------------------ the guided agent
def test_guidance_lifts_a_weak_agent_and_never_reaches_the_trajectory(tmp_path: Path) -> None:
    light = make_task([("get_user", {"user_id": "u0"}), ("buy", {"user_id": "u0", "item_id": "i0", "quantity": 2})],
                      task_id="desk-light", facts=())
    tasks = [*many_tasks(4), light]  # evidence burden 3 each, and 1
    rates = {}
    with LoopbackServer(tasks, weak_burden=3) as server:
        for agent in ("llm", "guided"):
            summary = run_tasks(tasks, tmp_path / agent, options(base_url=server.base_url, agent=agent))
            rates[agent] = summary.verified / len(tasks)
    assert rates == {"llm": 1 / 5, "guided": 1.0}
    assert GUIDANCE_TAG.encode() not in (tmp_path / "guided" / TRAJECTORIES).read_bytes()


# --------------------------------------------------------------------------- stats
def test_stats_show_verified_rate_against_the_writ_axes_and_usage(tmp_path: Path) -> None:
    tasks = many_tasks(4)
    write_tasks(tasks, tmp_path / "tasks.jsonl")
    backend = twin_failing(tasks, lambda task_id, attempt: task_id == "desk-0001")
    run_tasks(tasks, tmp_path, options(backend=backend))
    result = CliRunner().invoke(main, ["stats", str(tmp_path), "--json", "--no-plots"])
    assert result.exit_code == 0, result.output
    stats = json.loads(result.output)
    assert stats["verified_rate_by_writes"] == {"1": {"passed": 2, "tried": 2, "rate": 1.0},
                                                "2": {"passed": 1, "tried": 2, "rate": 0.5}}
    assert stats["verified_rate_by_evidence_burden"]["3"] == {"passed": 3, "tried": 4, "rate": 0.75}
    assert stats["blame"]["user"] == 1
    table = CliRunner().invoke(main, ["stats", str(tmp_path), "--no-plots"], env={"COLUMNS": "160"})
    assert "verified rate by writes per task" in table.output
    assert "blame: dialogues that did not verify" in table.output
    rows = [" ".join(line.replace("│", " ").split()) for line in table.output.splitlines()]
    assert "user all 1" in rows and "stopped-at-a-question 1" in rows and "agent all 0" in rows


def test_llm_run_files_match_their_published_schemas(tmp_path: Path) -> None:
    from writ_dsl.exports.schemas import Manifest, Reject, Trajectory

    tasks = many_tasks(4)
    backend = twin_failing(tasks, lambda task_id, attempt: task_id == "desk-0001" and attempt == 0)
    run_tasks(tasks, tmp_path, options(backend=backend, attempts=2, keep="all"))
    for line in (tmp_path / TRAJECTORIES).read_text().splitlines():
        Trajectory.model_validate_json(line)
    rejects = (tmp_path / "rejects.jsonl").read_text().splitlines()
    assert rejects and all(Reject.model_validate_json(line).blame for line in rejects)
    Manifest.model_validate_json((tmp_path / MANIFEST).read_text())
