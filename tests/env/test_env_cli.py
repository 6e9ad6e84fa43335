"""The ``writ env`` commands: list, show, tools, db."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from writ_dsl.cli import main
from writ_dsl.env.core import Database
from writ_dsl.env.registry import load_domain

RETAIL = load_domain("retail")

TOY_ENV = '''
from writ_dsl.env.core import Domain, Tool, ToolArgs, ToolKind

class EchoArgs(ToolArgs):
    text: str

DOMAIN = Domain(
    name="toy",
    description="A toy [bold]environment[/bold].",
    policy="Be kind.",
    tools={"echo": Tool("echo", ToolKind.GENERIC, "Echo the text.", EchoArgs, lambda state, args: args.text)},
    db_schema={"things": frozenset({"id", "seed"})},
    generate=lambda seed, size: {"things": {str(i): {"id": str(i), "seed": seed} for i in range(size)}},
)
'''


@pytest.fixture
def runner(monkeypatch: pytest.MonkeyPatch) -> CliRunner:
    monkeypatch.delenv("WRIT_ENV_PATH", raising=False)
    return CliRunner()


@pytest.fixture
def env_root(tmp_path: Path) -> Path:
    (tmp_path / "toy").mkdir()
    (tmp_path / "toy" / "__init__.py").write_text(TOY_ENV, encoding="utf-8")
    (tmp_path / "broken").mkdir()
    (tmp_path / "broken" / "__init__.py").write_text("DOMAIN = 42\n", encoding="utf-8")
    (tmp_path / "not_an_env").mkdir()
    return tmp_path


def run(runner: CliRunner, *args: str):
    return runner.invoke(main, list(args), catch_exceptions=False)


def test_list_shows_bundled_environments(runner: CliRunner) -> None:
    result = run(runner, "env", "list")
    assert result.exit_code == 0
    line = next(line for line in result.stdout.splitlines() if " retail " in line)
    assert " 16 " in line
    assert str(RETAIL.path) in line


def test_list_with_env_path(runner: CliRunner, env_root: Path) -> None:
    result = run(runner, "env", "list", "--env-path", str(env_root))
    assert result.exit_code == 0
    toy = next(line for line in result.stdout.splitlines() if " toy " in line)
    assert " 1 " in toy and str(env_root / "toy") in toy
    broken = next(line for line in result.stdout.splitlines() if " broken " in line)
    assert "not loadable: __init__.py does not define DOMAIN" in broken
    assert "not_an_env" not in result.stdout
    assert " retail " in result.stdout


def test_list_with_the_environment_variable(runner: CliRunner, env_root: Path, monkeypatch) -> None:
    monkeypatch.setenv("WRIT_ENV_PATH", str(env_root))
    assert " toy " in run(runner, "env", "list").stdout


def test_show_lists_every_tool_with_kind_and_signature(runner: CliRunner) -> None:
    result = run(runner, "env", "show", "retail")
    assert result.exit_code == 0
    for tool in RETAIL.tools.values():
        line = next(line for line in result.stdout.splitlines() if f" {tool.name} " in line)
        assert f" {tool.kind.value} " in line
    assert "item_ids: list[string]" in result.stdout
    assert 'reason: "no longer needed"|"ordered by mistake"' in result.stdout
    assert "16 tools" in result.stdout
    assert "table orders:" in result.stdout


def test_show_prints_descriptions_literally(runner: CliRunner, env_root: Path) -> None:
    result = run(runner, "env", "show", "toy", "--env-path", str(env_root))
    assert "A toy [bold]environment[/bold]." in result.stdout
    assert "echo(text: string)" in result.stdout


def test_tools_openai_format(runner: CliRunner) -> None:
    result = run(runner, "env", "tools", "retail", "--format", "openai")
    assert result.exit_code == 0
    tools = json.loads(result.stdout)
    assert tools == RETAIL.openai_tools()
    assert [t["function"]["name"] for t in tools] == list(RETAIL.tools)
    cancel = tools[7]["function"]
    assert cancel["parameters"]["properties"]["reason"]["enum"] == ["no longer needed", "ordered by mistake"]
    assert cancel["parameters"]["required"] == ["order_id", "reason"]


def test_tools_rejects_unknown_formats(runner: CliRunner) -> None:
    result = runner.invoke(main, ["env", "tools", "retail", "--format", "yaml"])
    assert result.exit_code == 2


def test_db_writes_the_generated_database(runner: CliRunner, tmp_path: Path) -> None:
    out = tmp_path / "retail.json"
    result = run(runner, "env", "db", "retail", "--seed", "3", "--size", "1", "-o", str(out))
    assert result.exit_code == 0
    assert out.read_text(encoding="utf-8") == Database(RETAIL.generate(3, 1)).to_json()
    assert "users=100" in result.stderr
    other = tmp_path / "other.json"
    run(runner, "env", "db", "retail", "--seed", "4", "-o", str(other))
    assert other.read_text(encoding="utf-8") != out.read_text(encoding="utf-8")


def test_db_to_stdout_with_env_path(runner: CliRunner, env_root: Path) -> None:
    result = run(runner, "env", "db", "toy", "--seed", "9", "--size", "2", "--env-path", str(env_root))
    assert json.loads(result.stdout) == {"things": {"0": {"id": "0", "seed": 9}, "1": {"id": "1", "seed": 9}}}


def test_db_rejects_size_zero(runner: CliRunner) -> None:
    assert runner.invoke(main, ["env", "db", "retail", "--size", "0"]).exit_code == 2


def test_db_reports_an_unwritable_output(runner: CliRunner, tmp_path: Path) -> None:
    result = run(runner, "env", "db", "retail", "-o", str(tmp_path / "missing" / "db.json"))
    assert result.exit_code == 1
    assert "db.json: cannot write" in result.stderr


@pytest.mark.parametrize("command", [["show"], ["tools"], ["db"]])
def test_unknown_environment_is_a_clean_error(runner: CliRunner, command: list[str]) -> None:
    result = runner.invoke(main, ["env", *command, "no_such_env"])
    assert result.exit_code == 1
    assert "writ: error: unknown environment 'no_such_env'" in result.stderr
    assert "retail" in result.stderr
    assert "Traceback" not in result.output
    assert result.stdout == ""
