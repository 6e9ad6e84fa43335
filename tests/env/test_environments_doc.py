"""docs/environments.md works as written: a third domain is built by running its blocks in order.

Shell blocks' `$ writ ...` lines run as commands in a fresh folder; a code block whose first line
is `# file: PATH` writes that file, `# file: PATH (append)` appends to it.
"""

from __future__ import annotations

import json
import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest

DOC = Path(__file__).resolve().parents[2] / "docs" / "environments.md"
BLOCK = re.compile(r"```(\w+)\n(.*?)```", re.S)
FILE = re.compile(r"# file: (\S+)( \(append\))?\n")


def steps() -> list[tuple[str, str]]:
    found = []
    for lang, body in BLOCK.findall(DOC.read_text(encoding="utf-8")):
        if lang == "shell":
            found += [("run", line[2:]) for line in body.splitlines() if line.startswith("$ ")]
        elif FILE.match(body):
            found.append(("file", body))
    return found


def run_writ(command: str, cwd: Path) -> subprocess.CompletedProcess:
    args = shlex.split(command)
    assert args[0] == "writ", command
    return subprocess.run([sys.executable, "-c", "from writ_dsl.cli import main; main()", *args[1:]], cwd=cwd,
                          capture_output=True, text=True, timeout=300)


def apply_file(body: str, cwd: Path) -> None:
    match = FILE.match(body)
    target = cwd / match.group(1)
    text = body[match.end():]
    if match.group(2):
        assert target.exists(), f"{target} should exist before it is appended to"
        target.write_text(target.read_text(encoding="utf-8") + text, encoding="utf-8")
    else:
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")


@pytest.mark.slow
def test_following_the_doc_builds_a_working_third_domain(tmp_path):
    done = []
    for kind, what in steps():
        if kind == "file":
            apply_file(what, tmp_path)
            continue
        result = run_writ(what, tmp_path)
        assert result.returncode == 0, f"`{what}` failed:\n{result.stderr}"
        assert "Traceback" not in result.stderr
        done.append(what)
    assert any(c.startswith("writ env new") for c in done) and sum(c.startswith("writ synth") for c in done) == 2
    summary = json.loads((tmp_path / "runs" / "library2" / "summary.json").read_text())
    assert summary["verified"] == 10 and summary["failed"] == 0, summary
    tasks = [json.loads(line) for line in (tmp_path / "runs" / "library2" / "tasks.jsonl").read_text().splitlines()]
    by_word = [t for t in tasks if t["task"] == "reserve_by_word"]
    assert by_word and all(a["name"] == "reserve_item" for t in by_word for a in t["gold_actions"])
    tests = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "envs/library/tests"],
                           cwd=tmp_path, capture_output=True, text=True, timeout=300)
    assert tests.returncode == 0, tests.stdout


def test_writ_env_new_refuses_a_taken_or_bad_name(tmp_path):
    first = run_writ("writ env new shelf", tmp_path)
    assert first.returncode == 0, first.stderr
    again = run_writ("writ env new shelf", tmp_path)
    assert again.returncode != 0 and "already exists" in again.stderr and "Traceback" not in again.stderr
    bad = run_writ("writ env new 9lives", tmp_path)
    assert bad.returncode != 0 and "not a usable environment name" in bad.stderr
