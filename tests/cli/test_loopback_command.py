"""writ loopback: an offline endpoint that `writ run --agent llm --user llm` verifies every task against."""

from __future__ import annotations

import signal
import socket
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from writ_dsl.cli import main

REPO = Path(__file__).resolve().parents[2]
LAUNCH = "from writ_dsl.cli import main; main()"


def test_an_llm_run_against_the_loopback_verifies_and_the_server_stops_cleanly(tmp_path: Path) -> None:
    tasks = tmp_path / "tasks.jsonl"
    assert CliRunner().invoke(main, ["compile", str(REPO / "specs"), "-n", "6", "--seed", "0", "-o", str(tasks),
                                     "--no-progress"]).exit_code == 0
    server = subprocess.Popen([sys.executable, "-c", LAUNCH, "loopback", str(tasks), "--port", "0"],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        assert server.stdout is not None
        base_url = server.stdout.readline().strip()
        assert base_url.startswith("http://127.0.0.1:") and base_url.endswith("/v1")
        ran = CliRunner().invoke(main, ["run", str(tasks), "-o", str(tmp_path / "out"), "--agent", "llm", "--user",
                                        "llm", "--model", "loopback", "--base-url", base_url, "--api-key", "none",
                                        "--no-progress"])
        assert ran.exit_code == 0 and "6 verified, 0 rejected, 0 failed" in ran.output, ran.output
        requests = int(ran.output.split(" requests")[0].rsplit(" ", 1)[1])
    finally:
        server.send_signal(signal.SIGTERM)
        _, errors = server.communicate(timeout=60)
    assert server.returncode == 0 and f"stopped after {requests} requests" in errors, errors


def test_a_port_in_use_is_said(tmp_path: Path) -> None:
    tasks = tmp_path / "tasks.jsonl"
    assert CliRunner().invoke(main, ["compile", str(REPO / "specs" / "retail" / "cancel_pending_order.writ"), "-n",
                                     "1", "-o", str(tasks)]).exit_code == 0
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = CliRunner().invoke(main, ["loopback", str(tasks), "--port", str(port)])
    assert result.exit_code == 1 and f"cannot listen on 127.0.0.1:{port}: Address already in use" in result.output


def test_a_loopback_without_tasks_or_with_impossible_settings_is_refused(tmp_path: Path) -> None:
    empty = tmp_path / "empty.jsonl"
    empty.write_text("")
    result = CliRunner().invoke(main, ["loopback", str(empty), "--port", "0"])
    assert result.exit_code == 1 and "no tasks to answer for" in result.output
    tasks = tmp_path / "tasks.jsonl"
    assert CliRunner().invoke(main, ["compile", str(REPO / "specs" / "retail" / "cancel_pending_order.writ"), "-n",
                                     "1", "-o", str(tasks)]).exit_code == 0
    result = CliRunner().invoke(main, ["loopback", str(tasks), "--port", "0", "--latency", "inf"])
    assert result.exit_code == 1 and "--latency must be a finite number" in result.output

    from writ_dsl import api
    from writ_dsl.errors import InputError

    with pytest.raises(InputError, match="--port from 0 to 65535"):
        api.loopback_endpoint(api.read_tasks(tasks), port=70000)


def test_synth_refuses_llm_roles_on_a_worker_engine_before_making_the_folder(tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["synth", str(REPO / "specs" / "retail" / "cancel_pending_order.writ"), "-n",
                                       "1", "-o", str(out), "--agent", "llm", "--model", "m", "--base-url",
                                       "http://127.0.0.1:9/v1", "--engine", "process", "--no-progress"])
    assert result.exit_code == 1 and "runs offline roles only" in result.output and not out.exists()
