"""LLM roles: in-memory twins, and real HTTP against a loopback OpenAI-compatible server with faults."""

from __future__ import annotations

import json
import socket
from pathlib import Path
from typing import Any

import pytest

from writ_dsl.compiler.model import CompiledTask
from writ_dsl.errors import EndpointUnavailable
from writ_dsl.runner.export import REJECTS, TRAJECTORIES
from writ_dsl.runner.llm import (AGENT_GREETING, Channel, ChatRequest, FunctionBackend, LLMUser, user_system_prompt,
                                 user_view)
from writ_dsl.runner.loopback import CALL_FAULTS, FAULTS, FaultPlan, LoopbackServer, play
from writ_dsl.runner.messages import OUT_OF_SCOPE, STOP, TRANSFER, Message, ToolCall
from writ_dsl.runner.run import RunOptions, run_tasks
from writ_dsl.runner.store import RunStore

from .helpers import FAKE_ENVS, make_task, many_tasks


def llm_options(**changes: Any) -> RunOptions:
    base: dict[str, Any] = {"user": "llm", "agent": "llm", "model": "loop", "api_key": "test", "timeout": 2.0,
                            "max_retries": 2, "env_path": (str(FAKE_ENVS),), "concurrency": 8}
    return RunOptions(**{**base, **changes})


def twin(tasks: list[CompiledTask]) -> FunctionBackend:
    """An in-memory endpoint playing the oracle agent and the scripted user."""
    by_id = {task.id: task for task in tasks}
    return FunctionBackend(lambda r: play(by_id[r.dialogue_id], {"messages": r.messages, "tools": r.tools}))


def records(out: Path) -> list[dict[str, Any]]:
    with RunStore(out) as store:
        return list(store.records())


# ---------------------------------------------------------------- prompts and views
def test_the_user_prompt_has_guidelines_scenario_behavior_and_stop_tokens() -> None:
    prompt = user_system_prompt(make_task(behavior="rule_tester"))
    for part in (STOP, TRANSFER, OUT_OF_SCOPE, "Buy two lamps (item i0)", "Your email is ann@example.com",
                 "free upgrade", "only when the agent asks", "Never invent information"):
        assert part in prompt


def test_the_user_sees_agent_texts_as_user_messages_and_no_tool_traffic() -> None:
    conversation = [Message("system", "policy"), Message("assistant", "Hi!"), Message("user", "Buy lamps."),
                    Message("assistant", None, (ToolCall("c1", "get_item", {"item_id": "i0"}),)),
                    Message("tool", "{}", tool_call_id="c1"), Message("assistant", "Done?")]
    assert user_view(conversation) == [{"role": "user", "content": "Hi!"},
                                       {"role": "assistant", "content": "Buy lamps."},
                                       {"role": "user", "content": "Done?"}]


# ------------------------------------------------------------------ in-memory twins
def test_llm_roles_through_an_in_memory_twin_verify(tmp_path: Path) -> None:
    tasks = many_tasks(8)
    summary = run_tasks(tasks, tmp_path, llm_options(backend=twin(tasks)))
    assert summary.verified == 8
    first = json.loads((tmp_path / TRAJECTORIES).read_text().splitlines()[0])
    assert first["messages"][1] == {"role": "assistant", "content": AGENT_GREETING}


def test_malformed_replies_are_asked_again_then_fail_the_dialogue(tmp_path: Path) -> None:
    tasks = many_tasks(2)
    good, calls = twin(tasks), {"n": 0}

    def flaky(request: ChatRequest) -> dict[str, Any]:
        calls["n"] += 1
        return {"content": "", "tool_calls": []} if calls["n"] % 2 else good.complete(request)

    assert run_tasks(tasks, tmp_path / "flaky", llm_options(backend=FunctionBackend(flaky))).verified == 2
    empty = FunctionBackend(lambda r: {"content": None, "tool_calls": None})
    summary = run_tasks(tasks, tmp_path / "empty", llm_options(backend=empty))
    assert summary.failed == 2
    assert {(r["reason"], r["termination_reason"]) for r in records(tmp_path / "empty")} == {
        ("malformed-reply", "user_error")}


def test_a_user_reply_with_tool_calls_is_malformed() -> None:
    backend = FunctionBackend(lambda r: {"content": "hi", "tool_calls": [{"id": "x", "function": {"name": "f"}}]})
    with pytest.raises(Exception, match="not a text message"):
        LLMUser(Channel(backend, "m"), make_task(), retries=1).next_message([Message("assistant", "Hello")])


def test_failed_tasks_stay_failed_unless_retried(tmp_path: Path) -> None:
    tasks = many_tasks(3)

    def down(request: ChatRequest) -> dict[str, Any]:
        raise EndpointUnavailable("HTTP 503 after 2 retries: overloaded")

    assert run_tasks(tasks, tmp_path, llm_options(backend=FunctionBackend(down))).failed == 3
    assert run_tasks(tasks, tmp_path, llm_options(backend=twin(tasks))).ran == 0
    retried = run_tasks(tasks, tmp_path, llm_options(backend=twin(tasks), retry_failed=True))
    assert (retried.ran, retried.verified, retried.failed) == (3, 3, 0)


# --------------------------------------------------------------------- real HTTP
def test_llm_path_over_http_yields_verified_trajectories(tmp_path: Path) -> None:
    tasks = many_tasks(8)
    with LoopbackServer(tasks) as server:
        summary = run_tasks(tasks, tmp_path, llm_options(base_url=server.base_url))
    assert summary.verified == 8 and server.counts["requests"] > 8 * 8
    offline = run_tasks(tasks, tmp_path / "offline", RunOptions(env_path=(str(FAKE_ENVS),)))
    assert offline.verified == 8


def test_with_a_fifth_of_replies_faulty_every_task_ends_with_a_reason(tmp_path: Path) -> None:
    tasks = many_tasks(16)
    plan = FaultPlan(rate=0.2, slow_seconds=0.6, seed=3)
    with LoopbackServer(tasks, plan) as server:
        summary = run_tasks(tasks, tmp_path, llm_options(base_url=server.base_url, timeout=0.3, max_retries=3))
    injected = {kind for kind in FAULTS if server.counts[kind]}
    assert len(injected) >= 5 and injected & set(CALL_FAULTS)
    rows = records(tmp_path)
    assert sorted(r["task_id"] for r in rows) == sorted(t.id for t in tasks)
    assert summary.verified + summary.rejected + summary.failed == 16 and summary.pending == 0
    assert summary.verified >= 8
    for row in rows:
        assert row["outcome"] in ("verified", "rejected", "failed")
        if row["outcome"] != "verified":
            assert row["reason"] and row["detail"]
    rejects = [json.loads(line) for line in (tmp_path / REJECTS).read_text().splitlines()]
    assert len(rejects) == summary.rejected + summary.failed
    errors = [r for r in rows if r["tool_errors"]]
    assert errors, "spoiled tool calls should reach the agent as error tool messages"


def test_a_dead_endpoint_fails_each_dialogue_with_a_reason(tmp_path: Path) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    tasks = many_tasks(3)
    options = llm_options(user="scripted", base_url=f"http://127.0.0.1:{port}/v1", timeout=0.3, max_retries=1)
    summary = run_tasks(tasks, tmp_path, options)
    assert summary.failed == 3
    for row in records(tmp_path):
        assert row["reason"] == "endpoint-unavailable" and "connection failed after 1 retry" in row["detail"]
        assert row["termination_reason"] == "agent_error"


@pytest.mark.parametrize("changes, said", [
    ({"agent": "llm", "base_url": "localhost:8000/v1"}, "the agent's endpoint: not an http(s) URL: 'localhost:8000/v1'"),
    ({"user": "llm", "agent": "oracle", "base_url": "http://127.0.0.1:9/v1", "user_api_key": "a\nb"},
     "the user's endpoint: header 'Authorization' holds a line break"),
])
def test_an_endpoint_no_request_could_reach_stops_the_run_before_it_starts(tmp_path: Path, changes: dict[str, Any],
                                                                          said: str) -> None:
    from writ_dsl.errors import InputError

    with pytest.raises(InputError, match=said.replace("(", r"\(").replace(")", r"\)")) as raised:
        run_tasks(many_tasks(1), tmp_path, llm_options(**changes))
    assert "a\nb" not in str(raised.value)


def test_an_endpoint_that_rejects_the_request_fails_with_its_status(tmp_path: Path) -> None:
    tasks = many_tasks(1)
    with LoopbackServer([]) as server:
        summary = run_tasks(tasks, tmp_path, llm_options(base_url=server.base_url))
    assert summary.failed == 1 and "HTTP 400 (not retried)" in records(tmp_path)[0]["detail"]


# ------------------------------------------------------------- request bodies per turn
def test_each_turns_body_equals_the_whole_history_serialized_anew(tmp_path: Path) -> None:
    """A role serializes each message once; the bodies it sends are byte for byte what encoding the whole
    history at every turn gives (so the response cache's keys do not change)."""
    from writ_dsl.runner.endpoint import Sampling, request_body

    tasks = many_tasks(6)
    seen: list[ChatRequest] = []
    by_id = {task.id: task for task in tasks}

    def reply(request: ChatRequest) -> dict[str, Any]:
        seen.append(request)
        return play(by_id[request.dialogue_id], {"messages": request.messages, "tools": request.tools})

    run_tasks(tasks, tmp_path, llm_options(backend=FunctionBackend(reply), agent="guided", temperature=0.5))
    sampling = Sampling(temperature=0.5)
    assert len(seen) > 30 and {r.role for r in seen} == {"agent", "user"}
    for request in seen:
        assert request.encoded is not None and len(request.encoded) == len(request.messages)
        assert request_body(request.model, request.messages, request.tools_json, sampling, request.encoded) == \
            request_body(request.model, request.messages, request.tools_json, sampling)
    from writ_dsl.runner.guidance import GUIDANCE_TAG

    assert all(f"<{GUIDANCE_TAG}>" in r.messages[0]["content"] for r in seen if r.role == "agent")  # every turn


# ------------------------------------------------------- text that is not valid Unicode
def test_a_reply_with_half_a_surrogate_pair_is_malformed() -> None:
    from writ_dsl.errors import MalformedReply
    from writ_dsl.runner.endpoint import _completion
    from writ_dsl.runner.secrets import Redactor

    good = b'{"choices":[{"message":{"role":"assistant","content":"ok \\ud83d\\ude00"}}]}'
    assert _completion(good, Redactor()).message["content"] == "ok 😀"
    with pytest.raises(MalformedReply, match="unreadable response"):
        _completion(good.replace(b"\\ude00", b""), Redactor())
    assert _completion(b"\xef\xbb\xbf" + good, Redactor()).message["content"] == "ok 😀"  # a byte order mark


def test_a_reply_whose_content_is_not_text_or_whose_arguments_nest_too_deeply_is_malformed() -> None:
    from writ_dsl.errors import MalformedReply
    from writ_dsl.runner.endpoint import MAX_ARGUMENT_DEPTH, _completion
    from writ_dsl.runner.secrets import Redactor

    def reply(message: dict[str, Any]) -> bytes:
        return json.dumps({"choices": [{"message": {"role": "assistant", **message}}]}).encode()

    for content in (5, 1.5, ["a"], {"text": "a"}, True):
        with pytest.raises(MalformedReply, match="content is a JSON .*, not text"):
            _completion(reply({"content": content}), Redactor())

    def call(arguments: Any) -> bytes:
        return reply({"content": None, "tool_calls": [{"id": "c", "function": {"name": "f", "arguments": arguments}}]})

    deep: Any = {}
    for _ in range(MAX_ARGUMENT_DEPTH):
        deep = {"a": [deep]}
    with pytest.raises(MalformedReply, match="nested too deeply"):
        _completion(call(deep), Redactor())
    shallow = {"a": [{"b": 1}], "c": "d"}
    for arguments in ('{"a": 1}', shallow, [1, 2], 7):  # what is not an object is the dialogue's to refuse
        assert _completion(call(arguments), Redactor()).message["tool_calls"][0]["function"]["arguments"] == arguments


def test_a_role_that_sends_half_a_surrogate_pair_fails_its_dialogue_with_a_reason(tmp_path: Path) -> None:
    tasks = many_tasks(2)
    good = twin(tasks)

    def spoiled(request: ChatRequest) -> dict[str, Any]:
        reply = good.complete(request)
        return {**reply, "content": "yes \ud800"} if request.role == "user" and len(request.messages) > 3 else reply

    summary = run_tasks(tasks, tmp_path, llm_options(backend=FunctionBackend(spoiled)))
    assert summary.failed == 2 and summary.pending == 0
    for row in records(tmp_path):
        assert row["reason"] == "malformed-reply" and "unreadable response" in row["detail"]
    assert len((tmp_path / REJECTS).read_text(encoding="utf-8").splitlines()) == 2


def test_tool_arguments_with_half_a_surrogate_pair_get_an_error_tool_message(tmp_path: Path) -> None:
    tasks = many_tasks(1)
    good, spoiled_once = twin(tasks), {"done": False}

    def spoiled(request: ChatRequest) -> dict[str, Any]:
        reply = good.complete(request)
        if reply.get("tool_calls") and not spoiled_once["done"]:
            spoiled_once["done"] = True
            call = reply["tool_calls"][0]
            bad = {**call, "function": {**call["function"], "arguments": '{"email": "\\ud800"}'}}
            return {**reply, "tool_calls": [bad]}
        return reply

    run_tasks(tasks, tmp_path, llm_options(backend=FunctionBackend(spoiled)))
    [row] = records(tmp_path)
    assert row["tool_errors"] >= 1
    tool_texts = [m["content"] for m in row["messages"] if m["role"] == "tool"]
    assert tool_texts[0].startswith("Error:")


# --------------------------------------------- the training data shows what the model saw and wrote
def test_trajectories_list_the_tools_as_the_agent_was_offered_them(tmp_path: Path) -> None:
    tasks = many_tasks(2)
    good, offered = twin(tasks), []

    def watched(request: ChatRequest) -> dict[str, Any]:
        if request.role == "agent":
            offered.append(json.dumps(request.tools))
        return good.complete(request)

    run_tasks(tasks, tmp_path, llm_options(backend=FunctionBackend(watched)))
    exported = {json.dumps(json.loads(line)["tools"]) for line in (tmp_path / TRAJECTORIES).read_text().splitlines()}
    assert set(offered) == exported and len(exported) == 1  # key for key, in the same order


def test_tool_arguments_keep_the_order_the_model_wrote_them_in(tmp_path: Path) -> None:
    tasks = many_tasks(2)
    good, written = twin(tasks), []

    def reversed_arguments(request: ChatRequest) -> dict[str, Any]:
        reply = good.complete(request)
        calls = []
        for call in reply.get("tool_calls") or []:
            arguments = dict(reversed(json.loads(call["function"]["arguments"]).items()))
            written.append(list(arguments))
            calls.append({**call, "function": {**call["function"], "arguments": json.dumps(arguments)}})
        return {**reply, "tool_calls": calls} if calls else reply

    run_tasks(tasks, tmp_path, llm_options(backend=FunctionBackend(reversed_arguments)))
    exported = [list(json.loads(call["function"]["arguments"]))
                for line in (tmp_path / TRAJECTORIES).read_text().splitlines()
                for message in json.loads(line)["messages"] for call in message.get("tool_calls") or []]
    assert sorted(map(tuple, exported)) == sorted(map(tuple, written))
    assert any(keys != sorted(keys) for keys in exported)


def test_tool_arguments_nested_as_deep_as_they_parse_are_stored_and_exported(tmp_path: Path) -> None:
    tasks = many_tasks(1)
    good, spoiled_once = twin(tasks), {"done": False}
    deep = '{"email": ' + '{"a": ' * 198 + '1' + '}' * 199  # as deep as the parser reads: 200 levels

    def spoiled(request: ChatRequest) -> dict[str, Any]:
        reply = good.complete(request)
        if reply.get("tool_calls") and not spoiled_once["done"]:
            spoiled_once["done"] = True
            call = reply["tool_calls"][0]
            return {**reply, "tool_calls": [{**call, "function": {**call["function"], "arguments": deep}}]}
        return reply

    summary = run_tasks(tasks, tmp_path, llm_options(backend=FunctionBackend(spoiled)))
    [row] = records(tmp_path)
    assert summary.pending == 0 and row["tool_errors"] >= 1
    exported = [json.loads(line) for name in (TRAJECTORIES, REJECTS)
                for line in (tmp_path / name).read_text(encoding="utf-8").splitlines()]
    assert [t["task_id"] for t in exported] == [tasks[0].id]
