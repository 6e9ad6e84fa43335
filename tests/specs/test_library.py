"""The bundled spec library (specs/): checked clean, at least 12 templates per domain, every
trajectory type in each domain's compiled instances, and every template well-posed: it compiles
its instances without any rejection reason taking more than 20 % of its attempts."""

from __future__ import annotations

import re

from collections import defaultdict
from pathlib import Path

import pytest
from click.testing import CliRunner

from writ_dsl.cli import main
from writ_dsl.api import compile_paths
from writ_dsl.compiler.compile import CompileOptions, CompileResult
from writ_dsl.env.registry import load_domain
from writ_dsl.lang.loader import load_all

REPO = Path(__file__).resolve().parents[2]
SPECS = REPO / "specs"
DOMAINS = ("airline", "retail")
MIN_TEMPLATES = 12
INSTANCES = 20  # per template, as in `writ compile FILE -n 20 --seed 0`
MAX_REJECTION_SHARE = 0.20
TYPES = ("normal", "write-intensive", "read-heavy")

def _templates() -> dict[str, tuple[str, Path]]:
    """Task name -> (environment, file) for every task of the library."""
    loaded = load_all([SPECS])
    assert not [d for d in loaded.diagnostics if d.is_error], loaded.diagnostics
    found = {}
    for spec in loaded.loaded:
        for task in spec.module.tasks:
            assert task.name.name not in found, f"task {task.name.name} is defined twice"
            found[task.name.name] = (spec.env_name, spec.path)
    return found


TEMPLATES = _templates()


@pytest.fixture(scope="module")
def compiled() -> CompileResult:
    result = compile_paths([SPECS], CompileOptions(n=INSTANCES, seed=0))
    assert result.ok, [d.message for d in result.diagnostics if d.is_error]
    return result


def test_the_library_checks_clean():
    result = CliRunner().invoke(main, ["check", str(SPECS)])
    assert result.exit_code == 0, result.output
    assert "0 errors, 0 warnings" in result.output, result.output


@pytest.mark.parametrize("domain", DOMAINS)
def test_each_domain_has_enough_templates_one_per_file(domain):
    mine = {name: path for name, (env, path) in TEMPLATES.items() if env == domain}
    assert len(mine) >= MIN_TEMPLATES, sorted(mine)
    for name, path in mine.items():
        if path.parent == SPECS / domain:
            assert path.stem == name, f"{path.name} should be named after its task {name}"


@pytest.mark.parametrize("domain", DOMAINS)
def test_each_domain_covers_every_trajectory_type(compiled, domain):
    types = {task.metrics.trajectory_type for task in compiled.tasks if task.env == domain}
    missing = [t for t in TYPES if t not in types]
    assert not missing, f"{domain}: no {missing} instances (found {sorted(types)})"


def test_instances_have_the_category_their_template_is_tagged_with(compiled):
    """Tag "normal": every instance is normal; "read-heavy" / "write-intensive": every instance is."""
    wrong = defaultdict(set)
    for task in compiled.tasks:
        kind, tags = task.metrics.trajectory_type, set(task.tags)
        if ("normal" in tags and kind != "normal") or ("read-heavy" in tags and "read-heavy" not in kind) \
                or ("write-intensive" in tags and "write-intensive" not in kind):
            wrong[task.task].add(kind)
    assert not wrong, dict(wrong)


@pytest.mark.parametrize("name", sorted(TEMPLATES))
def test_every_template_is_well_posed(compiled, name):
    report = next(r for r in compiled.reports if r.task == name)
    assert report.produced == INSTANCES, f"{name}: {report.produced}/{INSTANCES} instances"
    worst = {reason: count / report.attempts for reason, count in report.rejected.items()
             if count / report.attempts > MAX_REJECTION_SHARE}
    assert not worst, f"{name}: rejections above {MAX_REJECTION_SHARE:.0%} of {report.attempts} attempts: {worst}"


def test_every_gold_action_list_replays_on_a_fresh_database_to_the_recorded_hash(compiled):
    environments = {name: load_domain(name).environment() for name in ("airline", "retail")}
    for task in compiled.tasks:
        env = environments[task.env]
        assert task.db.state_hash == env.db.state_hash()
        state = env.new_state()
        for action in task.gold_actions:
            outcome = env.call(state, action.name, action.arguments)
            assert outcome.ok, f"{task.id}: {action.name} failed: {outcome.error}"
        assert state.state_hash() == task.gold_state_hash, task.id


def _uses(predicate) -> list[str]:
    from writ_dsl.lang import ast, walk

    found = []
    for name, (_, path) in TEMPLATES.items():
        module = load_all([path]).loaded[0].module
        task = next(t for t in module.tasks if t.name.name == name)
        nodes = [v.node for stmt in task.body for field in ("value", "source", "condition")
                 if getattr(stmt, field, None) is not None for v in walk.walk(getattr(stmt, field))]
        if predicate(task, nodes, ast):
            found.append(name)
    return found


def _calls(name: str):
    return lambda task, nodes, ast: any(isinstance(n, ast.Call) and n.func.name == name for n in nodes)


@pytest.mark.parametrize("construct, predicate", [
    ("write fan-out", lambda task, nodes, ast: any(w.loops for w in task.of_kind(ast.WriteStmt))),
    ("write guard", lambda task, nodes, ast: any(w.guard is not None for w in task.of_kind(ast.WriteStmt))),
    ("calls", _calls("calls")), ("group_by", _calls("group_by")), ("zip", _calls("zip")),
    ("enumerate", _calls("enumerate")),
])
def test_the_library_has_a_template_for_each_new_construct(construct, predicate):
    assert _uses(predicate), f"no template uses {construct}"


def test_fanned_out_writes_vary_per_instance(compiled):
    for task in ("cancel_every_cancellable", "cancel_pending_over_limit"):
        writes = {t.metrics.writes for t in compiled.tasks if t.task == task}
        assert len(writes) >= 2, (task, writes)


def test_no_user_speaks_of_themself_by_name(compiled):
    """A user who gives up a seat or has a wrong birth date says "I", not their own full name."""
    for task in compiled.tasks:
        persona = re.match(r"You are ([A-Z][\w'-]+ [A-Z][\w'-]+)", task.user_scenario.persona)
        if persona is None:
            continue
        said = f"{task.user_scenario.reason_for_call} {task.user_scenario.task_instructions}"
        assert persona.group(1) not in said, (task.id, said)
