"""writ loopback: an offline endpoint that `writ run --agent llm --user llm` verifies every task against."""

from __future__ import annotations

import signal
import socket
import subprocess
import sys
from pathlib import Path

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
