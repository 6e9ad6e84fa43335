"""A finished desk run with a rejected dialogue and one whose texts try to inject markup, and its report."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from exports.conftest import make_desk_run
from writ_dsl.runner.store import RunStore
from writ_dsl.viewer import write_report

HOSTILE = ['</script><script>window.__pwned = 1</script>', '<img src=x onerror="window.__pwned = 2">']
ARTIFACTS = Path(__file__).resolve().parents[2] / "tmp" / "artifacts"


def add_hostile_dialogue(run: Path) -> str:
    """A copy of a verified dialogue whose user and tool texts carry markup meant to run."""
    with RunStore(run) as store:
        record = next(r for r in store.records() if r["outcome"] == "verified")
        record = json.loads(json.dumps(record))
        record["task_id"] = "desk-9999"
        record["behavior"] = '"><b>behaviour</b>'
        for message in record["messages"]:
            if message["role"] == "user":
                message["content"] = HOSTILE[0]
            if message["role"] == "tool":
                message["content"] = HOSTILE[1]
        store.commit(record["task_id"], "verified", record)
    return record["task_id"]


@pytest.fixture(scope="session")
def report(tmp_path_factory) -> Path:
    run = make_desk_run(tmp_path_factory.mktemp("view_run"))
    add_hostile_dialogue(run)
    out = run / "report.html"
    write_report(run, out)
    return out
