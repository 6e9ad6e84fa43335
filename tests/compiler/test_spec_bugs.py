"""Eval errors are spec bugs: always reported, located, an error under --strict; small parameter pools warn."""

from __future__ import annotations

from click.testing import CliRunner

from writ_dsl.cli import main
from writ_dsl.synth import compile_summary

from .helpers import FAKE_ENVS, compile_shop, write_spec
from .test_compile import task_with

# Items of category "desk" have no "colour": `upper(it.colour)` fails only on desks; lamps get through.
SOMETIMES_BROKEN = task_with("""  param category = one of ["lamp", "desk"]
  read items = list_items(category = category)
  let names = map(items, if category == "lamp" then it.item_id else upper(it.colour))
  tell count(names)""")


def eval_warnings(result):
    return [d for d in result.diagnostics if d.code == "eval-error"]


def test_an_eval_error_is_reported_with_its_location_even_when_the_quota_is_met(tmp_path):
    result = compile_shop(tmp_path / "lib", SOMETIMES_BROKEN, n=6)
    assert result.ok and len(result.tasks) == 6
    [warning] = eval_warnings(result)
    assert not warning.is_error
    assert warning.span.line == 5 and warning.span.column == 75
    assert "no field 'colour'" in warning.message and "t" in warning.message
    [report] = result.reports
    assert report.eval_errors[0]["line"] == 5 and report.eval_errors[0]["count"] == report.rejected["eval-error"]


def test_strict_makes_an_eval_error_fail_the_compile(tmp_path):
    result = compile_shop(tmp_path / "lib", SOMETIMES_BROKEN, n=6, strict=True)
    assert not result.ok
    assert [d.code for d in result.diagnostics if d.is_error] == ["eval-error"]


def test_the_compile_summary_lists_eval_errors(tmp_path):
    result = compile_shop(tmp_path / "lib", SOMETIMES_BROKEN, n=3)
    [task] = compile_summary(result)["tasks"]
    assert task["eval_errors"][0]["path"].endswith("task.writ")
    assert "colour" in task["eval_errors"][0]["message"]


def test_no_eval_error_no_report(tmp_path):
    result = compile_shop(tmp_path / "lib", task_with('  param c = one of ["lamp", "desk"]\n  tell c'), n=4)
    assert eval_warnings(result) == [] and compile_summary(result)["tasks"][0]["eval_errors"] == []


def test_cli_strict_exits_1_and_prints_the_location(tmp_path):
    spec = write_spec(tmp_path / "lib", SOMETIMES_BROKEN)
    runner = CliRunner()
    loose = runner.invoke(main, ["compile", str(spec), "-n", "4", "--env-path", FAKE_ENVS, "-o",
                                 str(tmp_path / "o.jsonl")])
    assert loose.exit_code == 0 and "task.writ:5:75: warning:" in loose.stderr and "[eval-error]" in loose.stderr
    strict = runner.invoke(main, ["compile", str(spec), "-n", "4", "--env-path", FAKE_ENVS, "--strict"])
    assert strict.exit_code == 1 and "task.writ:5:75: error:" in strict.stderr


def pool_warnings(result):
    return [d for d in result.diagnostics if d.code == "small-parameter-pool"]


def test_a_small_parameter_pool_from_the_database_warns(tmp_path):
    spec = task_with('  let rich = db.users where it.balance >= 500\n  param u = one of rich\n  tell u.user_id')
    [warning] = pool_warnings(compile_shop(tmp_path / "lib", spec, n=6))
    assert "'u' took 2 distinct value(s) in 6 instances" in warning.message and warning.span.line == 4
    assert not warning.is_error


def test_a_written_out_choice_or_a_large_pool_does_not_warn(tmp_path):
    choice = compile_shop(tmp_path / "lib", task_with('  param c = one of ["lamp", "desk"]\n  tell c'), n=6)
    assert pool_warnings(choice) == []
    roomy = compile_shop(tmp_path / "lib2", task_with('  param u = one of db.users\n  tell u.user_id'), n=4)
    assert pool_warnings(roomy) == []


DATE_OF_NULL = """env airline
task direct_dates {
    param origin = one of ["JFK", "EWR", "LGA"]
    param dest = one of ["LAX", "SFO", "ORD", "ATL"]
    read direct = search_direct_flight(origin = origin, destination = dest, date = 2024-05-20)
    let days = map(direct, date(it.date))
    tell count(days)
    user { reason "r" wants "w" }
}
"""


def test_the_date_of_null_in_direct_searches_is_located_and_fails_strict(tmp_path):
    spec = write_spec(tmp_path / "lib", DATE_OF_NULL)
    runner = CliRunner()
    loose = runner.invoke(main, ["compile", str(spec), "-n", "3", "-o", str(tmp_path / "o.jsonl")])
    assert loose.exit_code == 0, loose.stderr
    assert "task.writ:6:28: warning: task 'direct_dates': cannot make a date of null" in loose.stderr
    strict = runner.invoke(main, ["compile", str(spec), "-n", "3", "--strict", "-o", str(tmp_path / "s.jsonl")])
    assert strict.exit_code == 1 and "task.writ:6:28: error:" in strict.stderr
