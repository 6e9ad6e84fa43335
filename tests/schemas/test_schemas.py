"""``writ schema NAME`` against real outputs of a small synthesis run (jsonschema when installed, else pydantic)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from writ_dsl.cli import main
from writ_dsl.exports.schemas import SCHEMAS

REPO = Path(__file__).resolve().parents[2]
FILES = {"trajectory": "trajectories.jsonl", "reject": "rejects.jsonl", "task": "tasks.jsonl",
         "manifest": "manifest.json"}


def _synth(out: Path, *extra: str) -> Path:
    args = ["synth", str(REPO / "specs"), "-n", "12", "--seed", "1", "-o", str(out), "--no-progress", *extra]
    CliRunner().invoke(main, args)
    assert (out / "trajectories.jsonl").is_file()
    return out


@pytest.fixture(scope="module")
def synth_run(tmp_path_factory) -> Path:
    return _synth(tmp_path_factory.mktemp("run"))


@pytest.fixture(scope="module")
def cut_run(tmp_path_factory) -> Path:
    """Dialogues cut off after 6 messages: every one is rejected."""
    return _synth(tmp_path_factory.mktemp("cut"), "--max-steps", "6")


def _rows(path: Path) -> list[dict]:
    if path.suffix == ".json":
        return [json.loads(path.read_text(encoding="utf-8"))]
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def _validator(name: str):
    schema = json.loads(CliRunner().invoke(main, ["schema", name]).stdout)
    try:
        import jsonschema
    except ImportError:
        return lambda row: SCHEMAS[name].model_validate(row)
    checker = jsonschema.Draft202012Validator(schema)
    return checker.validate


@pytest.mark.parametrize("name", list(FILES))
def test_real_outputs_match_their_schema(name, synth_run, cut_run):
    path = (cut_run if name == "reject" else synth_run) / FILES[name]
    if not path.is_file():
        pytest.skip(f"this run writes no {FILES[name]}")
    rows = _rows(path)
    assert rows, f"{FILES[name]} is empty: the run should produce some"
    validate = _validator(name)
    for row in rows:
        validate(row)


def test_a_schema_rejects_what_writ_would_never_write(synth_run):
    validate = _validator("trajectory")
    row = _rows(synth_run / "trajectories.jsonl")[0]
    for broken in ({**row, "trajectory_type": "heavy"}, {**row, "messages": [{"role": "robot", "content": ""}]},
                   {k: v for k, v in row.items() if k != "task_id"}):
        with pytest.raises(Exception, match="heavy|robot|task_id"):
            validate(broken)


def test_schema_command_prints_each_schema_and_refuses_unknown_names():
    for name in SCHEMAS:
        result = CliRunner().invoke(main, ["schema", name])
        assert result.exit_code == 0 and json.loads(result.stdout)["title"]
    result = CliRunner().invoke(main, ["schema", "nope"])
    assert result.exit_code == 2 and "nope" in result.output
