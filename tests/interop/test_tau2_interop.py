"""τ²-bench interop (the tau2 extra): its databases and system prompt from the installed package, its own
evaluator scoring our verified trajectories 1.0 on both domains, and the leakage check."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from click.testing import CliRunner

from writ_dsl.cli import main
from writ_dsl.env import tau2
from writ_dsl.env.registry import load_domain
from writ_dsl.leakage import check

pytestmark = pytest.mark.tau2
os.environ.setdefault("LITELLM_LOCAL_MODEL_COST_MAP", "True")  # no network when τ²-bench's code is imported
pytest.importorskip("tau2", reason="needs the tau2 extra")

REPO = Path(__file__).resolve().parents[2]
SPECS = REPO / "specs"


@pytest.fixture(scope="module", params=["retail", "airline"])
def synthesized(request, tmp_path_factory) -> tuple[str, Path]:
    domain = request.param
    out = tmp_path_factory.mktemp(domain) / "out"
    templates = len(list((SPECS / domain).glob("*.writ")))
    result = CliRunner().invoke(main, ["synth", str(SPECS / domain), "-n", str(templates), "--seed", "0",
                                       "--db", f"tau2:{domain}", "--policy", "tau2", "-o", str(out),
                                       "--no-progress"])
    assert result.exit_code == 0, result.output
    return domain, out


def test_the_system_prompt_is_tau2s_own_instruction_and_policy(synthesized) -> None:
    domain, out = synthesized
    first = json.loads((out / "trajectories.jsonl").read_text().splitlines()[0])
    system = first["messages"][0]["content"]
    assert system == tau2.system_prompt(domain) and tau2.policy(domain).strip() in system


def _score_every_simulation(domain: str, out: Path) -> list[dict]:
    """τ²-bench's evaluator on every simulation of a run: each must get reward 1.0. Returns the tasks."""
    from loguru import logger
    from tau2.data_model.simulation import SimulationRun
    from tau2.data_model.tasks import Task
    from tau2.evaluator.evaluator import EvaluationType, evaluate_simulation

    logger.disable("tau2")
    records = json.loads((out / "tau2_tasks.json").read_text())
    tasks = {t["id"]: Task.model_validate(t) for t in records}
    simulations = json.loads((out / "simulations.json").read_text())
    assert len(simulations) == len(tasks)
    for record in simulations:
        simulation = SimulationRun.model_validate({k: v for k, v in record.items() if k != "reward_info"})
        info = evaluate_simulation(simulation, tasks[simulation.task_id], EvaluationType.ALL, solo_mode=False,
                                   domain=domain)
        assert info.reward == 1.0, (simulation.task_id, info.info)
    return records


def test_tau2_scores_every_verified_trajectory_1(synthesized) -> None:
    domain, out = synthesized
    assert len(_score_every_simulation(domain, out)) > 10


def test_tau2_scores_compensation_for_a_cancelled_flight_1(tmp_path) -> None:
    """The only template that sends a certificate, on more than the one instance the run above gives it."""
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["synth", str(SPECS / "airline" / "compensate_cancelled_flight.writ"), "-n", "12",
                                       "--seed", "0", "--db", "tau2:airline", "--policy", "tau2", "-o", str(out),
                                       "--no-progress"])
    assert result.exit_code == 0, result.output
    tasks = _score_every_simulation("airline", out)
    assert len(tasks) == 12
    for task in tasks:
        [action] = task["evaluation_criteria"]["actions"]
        assert action["name"] == "send_certificate" and action["arguments"]["amount"] % 100 == 0, action


def test_every_tool_message_is_byte_identical_to_tau2s_own_tool_output(synthesized) -> None:
    """Strict replay, byte for byte: each call of each dialogue, replayed in order on a fresh τ²-bench
    environment of the domain, returns exactly the text the dialogue shows (key order included)."""
    from loguru import logger
    from tau2.data_model.message import ToolCall
    from tau2.registry import registry

    logger.disable("tau2")
    domain, out = synthesized
    compared = 0
    for record in json.loads((out / "simulations.json").read_text()):
        environment = registry.get_env_constructor(domain)()
        calls = {}
        for message in record["messages"]:
            calls.update((c["id"], c) for c in message.get("tool_calls") or [])
            if message["role"] != "tool":
                continue
            call = calls[message["id"]]
            response = environment.get_response(ToolCall(id=call["id"], name=call["name"],
                                                         arguments=call["arguments"], requestor="assistant"))
            assert response.content == message["content"], (record["task_id"], call["name"])
            compared += 1
    assert compared > 50


def test_no_synthesized_instance_is_a_tau2_task(synthesized) -> None:
    domain, out = synthesized
    result = CliRunner().invoke(main, ["leakage", str(out)])
    assert result.exit_code == 0 and " 0 match" in result.output, result.output


def test_the_leakage_check_finds_a_copied_tau2_task() -> None:
    source = next(t for t in tau2.tasks("retail") if t["id"] in map(str, tau2.task_splits("retail")["test"])
                  and any(a["name"] == "cancel_pending_order" for a in t["evaluation_criteria"]["actions"]))
    kinds = load_domain("retail").tools
    writes = [{"action_id": a["action_id"], "name": a["name"], "arguments": a["arguments"]}
              for a in source["evaluation_criteria"]["actions"] if kinds[a["name"]].kind.value == "write"]
    report = check([{"id": "copied", "env": "retail", "gold_actions": writes}])
    assert [(leak.instance, leak.tau2_task) for leak in report.leaks] == [("copied", str(source["id"]))]
    assert "test" in report.leaks[0].splits


def test_leakage_without_writes_the_tasks_less_the_matching_ones(tmp_path) -> None:
    source = next(t for t in tau2.tasks("retail")
                  if any(a["name"] == "cancel_pending_order" for a in t["evaluation_criteria"]["actions"]))
    kinds = load_domain("retail").tools
    writes = [{"action_id": a["action_id"], "name": a["name"], "arguments": a["arguments"]}
              for a in source["evaluation_criteria"]["actions"] if kinds[a["name"]].kind.value == "write"]
    copied = json.dumps({"id": "copied", "env": "retail", "gold_actions": writes}) + "\n"
    own = json.dumps({"id": "own", "env": "retail", "gold_actions": [], "note": "kept as it is"}) + "\n"
    (tmp_path / "tasks.jsonl").write_text(own + copied + own.replace('"own"', '"own2"'))
    result = CliRunner().invoke(main, ["leakage", str(tmp_path / "tasks.jsonl")])
    assert result.exit_code == 1 and "1 match" in result.output
    clean = tmp_path / "clean.jsonl"
    result = CliRunner().invoke(main, ["leakage", str(tmp_path / "tasks.jsonl"), "--without", str(clean)])
    assert result.exit_code == 0, result.output
    assert clean.read_text() == own + own.replace('"own"', '"own2"')
    assert f"{clean}: 2 of 3 tasks, the 1 matching left out" in result.output


def test_an_unknown_tau2_database_is_a_clear_error(tmp_path) -> None:
    result = CliRunner().invoke(main, ["compile", str(SPECS / "retail"), "--db", "tau2:shop", "-o",
                                       str(tmp_path / "t.jsonl")])
    assert result.exit_code == 2 and "unknown τ²-bench domain 'shop'" in result.output
