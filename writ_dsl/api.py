"""The pipeline as typed functions, one per stage; the CLI is a thin shell over this module.

::

    load(paths)                       -> LoadResult     parse every spec file and its imports
    check(loaded, env_path=...)       -> CheckResult    the semantic checks (the one front end)
    plan(spec, task)                  -> Plan           a checked task's evidence graph, in execution order
    compile(checked, options)         -> CompileResult  verified task instances (gold writes, scenarios)
    run(tasks, out_dir, options)      -> RunSummary     simulate and verify dialogues, durably
    export(out_dir)                   -> dict           rewrite a run folder's outputs from its run state
    synthesize(paths, out_dir, ...)   -> SynthResult    all of the above into one run folder

Each stage can be called alone: ``compile`` takes what ``check`` returned,
``run`` takes compiled tasks however they were obtained (e.g. ``read_tasks``).
Stage modules are imported when a stage runs, so that importing this module
(and starting the CLI) stays cheap.
"""

from __future__ import annotations

import gc
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from . import diagnostics as diag

if TYPE_CHECKING:
    from .compiler.compile import CompileOptions, CompileResult
    from .compiler.model import CompiledTask
    from .compiler.plan import Plan
    from .env.core import Database, Domain
    from .env.listing import EnvironmentEntry
    from .env.scaffold import Scaffold
    from .io import TaskFile
    from .lang import ast
    from .lang.loader import LoadedSpec, LoadResult
    from .leakage import LeakageReport
    from .runner.cache import CacheInfo
    from .runner.loopback import LoopbackServer
    from .runner.run import RunOptions, RunSummary
    from .compiler.progress import CompileProgress
    from .preview import Spread
    from .stats import Stats
    from .viewer import ReportSummary

__all__ = [
    # the stages and their results
    "CheckResult", "SynthResult", "load", "check", "check_paths", "plan", "compile", "compile_paths", "run",
    "export", "synthesize",
    # options and files
    "compile_options", "run_options", "compile_progress", "read_tasks", "task_file", "write_tasks", "write_text",
    "spec_files",
    "no_cycle_collection", "redact",
    # beside the stages: formatting, graphs, previews, exports, schemas, reports
    "format_source", "format_bytes", "graph_formats", "render_graph", "render_graphs", "rejection_reasons",
    "compile_instance",
    "instance_calls", "preview", "tau2_tasks", "task_schema", "export_formats", "export_as", "run_in_progress",
    "schema_names",
    "json_schema", "view", "collect_stats", "write_plots", "token_summary", "leakage", "write_without_leaks",
    # the response cache of LLM runs, and an endpoint to try them on
    "cache_info", "clear_cache", "loopback_endpoint",
    # environments and editors
    "list_environments", "environment", "result_shapes", "new_environment", "resolve_database",
    "generate_database", "tools_json", "serve_language_server",
]


@dataclass
class CheckResult:
    """What the front end found: every diagnostic, the loaded specs, and the texts and files they point into."""

    diagnostics: list[diag.Diagnostic] = field(default_factory=list)
    sources: dict[str, str] = field(default_factory=dict)
    files: dict[str, Path] = field(default_factory=dict)
    specs: list[LoadedSpec] = field(default_factory=list)
    checked: int = 0
    env_path: tuple[str, ...] = ()

    @property
    def errors(self) -> int:
        return sum(d.is_error for d in self.diagnostics)

    @property
    def warnings(self) -> int:
        return sum(d.severity is diag.Severity.WARNING for d in self.diagnostics)

    @property
    def ok(self) -> bool:
        return not diag.has_errors(self.diagnostics)


@dataclass
class SynthResult:
    checked: CheckResult
    compiled: CompileResult | None = None
    summary: RunSummary | None = None


# ---------------------------------------------------------------------- stages
def load(paths: Iterable[str | Path]) -> LoadResult:
    """Stage 1: every ``.writ`` file under ``paths``, parsed, with its imports (each file parsed once)."""
    from .lang.loader import load_all

    return load_all(paths)


def check(loaded: LoadResult, *, env_path: Sequence[str | Path] = ()) -> CheckResult:
    """Stage 2: the semantic checks of every loaded file and of every file it imports.

    A file without an ``env`` of its own (a shared library) is checked against its importer's environment.
    """
    from .env.registry import find_domain
    from .lang import checks
    from .lang.parser import too_deep

    found: set[diag.Diagnostic] = set(loaded.diagnostics)
    walks = checks.Walks()  # every file's syntax tree stays alive in `loaded` meanwhile
    for spec, env_name in _files_with_env(loaded.loaded).values():
        domain, problem = find_domain(env_name, env_path) if env_name else (None, None)
        own_problem = problem if env_name == spec.env_name else None
        try:
            found.update(checks.check_spec(spec, domain, env_problem=own_problem, walks=walks))
        except RecursionError:
            found.add(too_deep(spec.display_path))
    ordered = sorted(checks.without_knock_on(found), key=diag.Diagnostic.sort_key)
    return CheckResult(ordered, loaded.sources, loaded.files, loaded.loaded, checked=len(loaded.specs),
                       env_path=tuple(str(p) for p in env_path))


def check_paths(paths: Iterable[str | Path], *, env_path: Sequence[str | Path] = ()) -> CheckResult:
    """``load`` then ``check``: what ``writ check PATH...`` does."""
    with no_cycle_collection():
        return check(load(paths), env_path=env_path)


def plan(spec: LoadedSpec, task: ast.TaskDecl) -> Plan:
    """Stage 3: a checked task's evidence graph in execution order (``writ graph`` draws it)."""
    from .compiler.plan import build_plan

    return build_plan(spec, task)


def compile(checked: CheckResult, options: CompileOptions) -> CompileResult:  # noqa: A001 - the stage's name
    """Stage 4: instances of every checked task; nothing is compiled when the front end found errors."""
    from .compiler.compile import CompileResult, compile_specs

    result = CompileResult(diagnostics=list(checked.diagnostics), sources=dict(checked.sources),
                           files=dict(checked.files))
    if checked.ok:
        compile_specs(checked.specs, options, result)
    if not checked.specs and any(d.code == "no-specs" for d in result.diagnostics):
        # nothing to compile because no file was found: that (located at the paths given) is the error
        result.diagnostics = [replace(d, severity=diag.Severity.ERROR) if d.code == "no-specs" else d
                              for d in result.diagnostics if not (d.code == "no-tasks" and d.span is None)]
    result.diagnostics.sort(key=diag.Diagnostic.sort_key)
    return result


def compile_paths(paths: Iterable[str | Path], options: CompileOptions | None = None) -> CompileResult:
    """``load``, ``check`` and ``compile``: what ``writ compile PATH...`` does."""
    options = options or compile_options()
    return compile(check_paths(paths, env_path=options.env_path), options)


def run(tasks: Iterable[CompiledTask], out_dir: str | Path, options: RunOptions) -> RunSummary:
    """Stage 5: a verified dialogue per task into ``out_dir`` (resumable; see :mod:`writ_dsl.runner.run`).
    ``tasks`` is iterated twice: a list, or :func:`task_file`."""
    from .runner.run import run_tasks

    return run_tasks(tasks, out_dir, options)


def export(out_dir: str | Path) -> dict[str, Any]:
    """Stage 6: rewrite a run folder's output files from its run state; returns its summary."""
    from .runner.export import export_outputs

    return export_outputs(Path(out_dir))


def synthesize(paths: Iterable[str | Path], out_dir: str | Path, compile_opts: CompileOptions,
               run_opts: RunOptions) -> SynthResult:
    """``load → check → compile → run → export`` into one run folder.

    The folder is locked and checked for another run before anything is compiled or written; nothing is
    written when the specs have errors. Running it again resumes.
    """
    from .synth import synthesize_checked

    with no_cycle_collection():
        checked = check(load(paths), env_path=compile_opts.env_path)
    result = SynthResult(checked)
    if checked.ok and not any(spec.module.tasks for spec in checked.specs):
        result.compiled = compile(checked, compile_opts)  # nothing to compile: no-tasks, and no folder made
    elif checked.ok:
        compiled, result.summary = synthesize_checked(checked.specs, Path(out_dir), compile_opts, run_opts)
        compiled.diagnostics = sorted({*checked.diagnostics, *compiled.diagnostics}, key=diag.Diagnostic.sort_key)
        compiled.sources, compiled.files = dict(checked.sources), dict(checked.files)
        result.compiled = compiled
    return result


# ---------------------------------------------------------------------- options and files
def compile_options(**values: Any) -> CompileOptions:
    from .compiler.compile import CompileOptions

    return CompileOptions(**values)


def run_options(**values: Any) -> RunOptions:
    """RunOptions from keyword values; the CLI's ``no_cache`` flag becomes ``cache=False``."""
    from .runner.run import RunOptions

    if "no_cache" in values:
        values["cache"] = not values.pop("no_cache")
    return RunOptions(**values)


def redact(text: str) -> str:
    """``text`` with API keys and bearer tokens masked (for anything printed)."""
    from .runner.secrets import redact as mask

    return mask(text)


def read_tasks(path: str | Path) -> list[CompiledTask]:
    from . import io

    return io.read_tasks(path)


def task_file(path: str | Path) -> TaskFile:
    """The tasks of a tasks.jsonl file for :func:`run`, read one at a time (memory flat in their number)."""
    from .io import TaskFile

    return TaskFile(path)


def write_tasks(path: str | Path, tasks: Iterable[CompiledTask]) -> None:
    from . import io

    io.write_tasks(path, tasks)


def write_text(path: str | Path, text: str) -> None:
    """Write a file atomically; failures are an InputError naming the file."""
    from . import io

    io.atomic_write(path, text)


def spec_files(paths: Iterable[str | Path]) -> list[Path]:
    """The spec files named and those under the folders named, sorted."""
    from .lang.loader import spec_files as find

    return find(paths)[0]


@contextmanager
def no_cycle_collection() -> Iterator[None]:
    """Pause Python's cycle collector while syntax trees pile up (they hold no cycles; it would
    rescan them again and again); reference counting still frees everything at once."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _files_with_env(specs: Sequence[LoadedSpec]) -> dict[Path, tuple[LoadedSpec, str | None]]:
    """Every file to check, with the environment it is checked against: its own, else its importer's."""
    found: dict[Path, tuple[LoadedSpec, str | None]] = {}
    for root in specs:
        for spec in root.closure():
            env_name = spec.env_name or root.env_name
            if spec.path not in found or (found[spec.path][1] is None and env_name is not None):
                found[spec.path] = (spec, env_name)
    return found


# ---------------------------------------------------------------------- beside the stages
def format_source(source: str, path: str,
                  file: str | Path | None = None) -> tuple[str | None, list[diag.Diagnostic]]:
    """A spec's text in the canonical layout (comments kept), or None and the syntax errors; ``file``: where
    the text is from, whose library's ``[limits]`` then apply (else the defaults)."""
    from .lang import fmt
    from .lang.limits import DEFAULT, read_limits
    from .lang.loader import library_root

    limits = read_limits(library_root(Path(file)).resolve())[0] if file is not None else DEFAULT
    return fmt.format_source(source, path, limits)


def format_bytes(data: bytes, path: str = "<stdin>") -> tuple[str | None, list[diag.Diagnostic]]:
    """``format_source`` of raw bytes (standard input); text that is not UTF-8 is a located diagnostic."""
    from .lang import fmt

    return fmt.format_bytes(data, path)


def graph_formats() -> list[str]:
    from .compiler.graph import RENDERERS

    return sorted(RENDERERS)


def render_graph(spec: LoadedSpec, task_plan: Plan, fmt: str, calls: dict[str, int] | None = None) -> str:
    """A plan drawn as ``text``, ``dot`` or ``mermaid``; with ``calls``, an instance's fan-out as numbers."""
    from .compiler.graph import render_graph as draw

    return draw(spec, task_plan, fmt, calls)


def render_graphs(items: Iterable[tuple[LoadedSpec, Plan, dict[str, int] | None]], fmt: str) -> str:
    """Several plans (spec, plan, calls) drawn as one document; for ``mermaid``, one flowchart with a subgraph
    per task."""
    from .compiler.graph import render_graphs as draw

    return draw(list(items), fmt)


def rejection_reasons() -> tuple[str, ...]:
    """Why the compiler rejects an instance, in the order summaries list them."""
    from .compiler.values import REASONS

    return tuple(REASONS)


def compile_instance(checked: CheckResult, task: str, index: int,
                     options: CompileOptions) -> tuple[CompiledTask | None, list[diag.Diagnostic]]:
    """Instance ``index`` (from 0) of one checked task, as ``compile`` produces it; or None and why not."""
    from dataclasses import replace

    result = compile(checked, replace(options, n=index + 1, total=None, tasks=(task,)))
    found = [t for t in result.tasks if t.task == task]
    if result.ok and len(found) > index:
        return found[index], []
    # a task-underproduced warning is an error here: the instance asked for does not exist
    return None, [replace(d, severity=diag.Severity.ERROR) if d.code == "task-underproduced" else d
                  for d in result.diagnostics]


def instance_calls(task: CompiledTask) -> dict[str, int]:
    """Calls per fanned-out or guarded statement of a compiled instance, for ``render_graph``."""
    from .compiler.graph import instance_calls as count

    return count(task)


def tau2_tasks(tasks: Iterable[CompiledTask]) -> list[dict[str, Any]]:
    """Compiled tasks in τ²-bench's task format."""
    from .exports.tau2_tasks import to_tau2

    return [to_tau2(task) for task in tasks]


def task_schema() -> dict[str, Any]:
    """The JSON Schema of one line of tasks.jsonl."""
    from .compiler.model import CompiledTask

    return CompiledTask.model_json_schema()


def list_environments(env_path: Sequence[str | Path] = ()) -> list[EnvironmentEntry]:
    """Every environment on the search path, with its tool count or why it cannot be loaded."""
    from .env import listing

    return listing.list_environments(env_path)


def environment(name: str, env_path: Sequence[str | Path] = ()) -> Domain:
    """The domain called ``name``; ``EnvironmentNotFound`` lists the known names."""
    from .env import listing

    return listing.find_domain(name, env_path)


def result_shapes(domain: Domain) -> list[str]:
    """What each tool of a domain returns, and the fields of every record, as lines of text."""
    from .lang import shapes

    return shapes.result_lines(domain)


def new_environment(name: str, root: str | Path = ".") -> Scaffold:
    """Scaffold ``envs/NAME`` (tools, result shapes, database generator, policy, tests) and ``specs/NAME``."""
    from .env import scaffold

    return scaffold.new_environment(name, root)


def resolve_database(value: str) -> str:
    """A ``--db`` value as a file path: ``tau2:retail`` / ``tau2:airline`` name τ²-bench's installed databases."""
    from .env.tau2 import resolve_database as resolve

    return resolve(value)


def leakage(path: str | Path) -> LeakageReport:
    """The instances of a tasks.jsonl (or a run folder's) that make the same changes as a τ²-bench task."""
    from .leakage import check
    from .stats import read_jsonl

    return check(read_jsonl(_tasks_file(path)))


def write_without_leaks(path: str | Path, report: LeakageReport, out: str | Path) -> int:
    """Write the tasks of ``path`` (a tasks.jsonl or a run folder's) less those ``report`` found to match a
    τ²-bench task, each line as it was, to ``out``: a tasks.jsonl to run. Returns how many were written."""
    from .io import atomic_write, read_text
    from .leakage import lines_without

    kept: list[str] = []
    atomic_write(out, lines_without(read_text(_tasks_file(path)), report, kept))
    return len(kept)


def _tasks_file(path: str | Path) -> Path:
    path = Path(path)
    return path / "tasks.jsonl" if path.is_dir() else path


def cache_info(folder: str | Path | None = None, file: str | Path | None = None) -> CacheInfo:
    """Where the response cache of a run folder (or the file given with ``--cache``) lives, its entries and size."""
    from .runner.cache import cache_info as info, cache_location

    return info(cache_location(folder, file))


def clear_cache(folder: str | Path | None = None, file: str | Path | None = None) -> CacheInfo:
    """Empty the response cache of a run folder (or ``--cache`` file); returns what it held."""
    from .runner.cache import cache_location, clear_cache as clear

    return clear(cache_location(folder, file))


def generate_database(domain: Domain, seed: int, size: int) -> Database:
    from .env import listing

    return listing.generated_database(domain, seed, size)


def tools_json(domain: Domain) -> str:
    """A domain's tools as the JSON ``tools`` array of an OpenAI chat request."""
    from .env import listing

    return listing.openai_tools_json(domain)


def collect_stats(path: str | Path) -> Stats:
    """Counts and distributions of a tasks.jsonl file or a run folder."""
    from .stats import collect

    return collect(Path(path))


def write_plots(stats: Stats, folder: str | Path, fmt: str = "png") -> list[Path]:
    from .plots import write_plots as draw

    return draw(stats, Path(folder), fmt)


def compile_progress(enabled: bool = True) -> CompileProgress:
    """A progress display for ``compile`` (pass it as ``compile_options(progress=...)``): a bar on a terminal,
    plain lines otherwise; use it as a context manager."""
    from .compiler.progress import CompileProgress

    return CompileProgress(enabled=enabled)


def preview(checked: CheckResult, options: CompileOptions) -> Spread:
    """How ``compile`` would spread the instances over the templates, compiling nothing (``--dry-run``)."""
    from .preview import spread

    return spread(checked.specs, options)


def token_summary(stats: Stats) -> dict[str, Any] | None:
    """Mean, median, maximum and total tokens per dialogue, and the tokenizer that counted them."""
    from .stats import token_summary as summarize

    return summarize(stats.dialogue_tokens, stats.tokenizer)


def export_formats() -> dict[str, str]:
    """Export format name -> one-line summary (``writ export FORMAT``); aliases included."""
    from .exports import ALIASES, FORMATS

    return {**{name: module.SUMMARY for name, module in FORMATS.items()},
            **{alias: f"the same as {target}" for alias, target in ALIASES.items()}}


def export_as(fmt: str, source: str | Path, output: str | Path, *, validation_share: float = 0.1,
              split_seed: int = 0) -> tuple[int, str]:
    """Write a finished run folder in another tool's format; (rows written, what a row is)."""
    from .exports import ExportOptions, export_run, format_module

    rows = export_run(fmt, source, output, ExportOptions(validation_share=validation_share, seed=split_seed))
    return rows, "tasks" if format_module(fmt).NAME == "tau2-tasks" else "dialogues"


def run_in_progress(folder: str | Path) -> bool:
    """True while a run still writes into ``folder`` (an export or a view then holds what it has so far)."""
    from .runner.store import in_use

    return Path(folder).is_dir() and in_use(Path(folder))


def schema_names() -> list[str]:
    from .exports.schemas import SCHEMAS

    return list(SCHEMAS)


def json_schema(name: str) -> dict[str, Any]:
    """The JSON Schema of a file writ writes: ``trajectory``, ``reject``, ``task`` or ``manifest``."""
    from .exports.schemas import json_schema as schema

    return schema(name)


def view(run_dir: str | Path, output: str | Path, *, plots: bool = True) -> ReportSummary:
    """A run folder as one self-contained HTML report (``writ view``)."""
    from .viewer import write_report

    return write_report(run_dir, output, plots=plots)


def serve_language_server(env_path: Sequence[str | Path] = ()) -> None:
    """Run the .writ language server on stdin/stdout; needs the ``editor`` extra."""
    from .errors import InputError

    try:
        from .editor.lsp import serve
    except ImportError:
        raise InputError("writ lsp needs pygls: pip install 'writ-dsl[editor]'") from None
    serve(env_path)


def loopback_endpoint(tasks: Iterable[CompiledTask], *, port: int = 0, latency: float = 0.0,
                      fault_rate: float = 0.0, fault_seed: int = 0) -> LoopbackServer:
    """An OpenAI-compatible endpoint on 127.0.0.1 that answers as the oracle agent and the scripted user of
    ``tasks`` (a model's twin, to try LLM roles and the plumbing around them offline), with ``latency`` seconds
    per answer and a share ``fault_rate`` of injected faults; started, to be stopped with ``stop()`` (or used as
    a context manager)."""
    import os

    from .errors import InputError
    from .runner.loopback import FaultPlan, LoopbackServer

    tasks = list(tasks)
    if not tasks:
        raise InputError("no tasks to answer for: give a tasks.jsonl that `writ compile` wrote")
    if not (0 <= fault_rate <= 1 and 0 <= latency < float("inf") and 0 <= port <= 65535):
        raise InputError("--latency must be a finite number of seconds, --fault-rate from 0 to 1, "
                         "--port from 0 to 65535")
    server = LoopbackServer(tasks, FaultPlan(rate=fault_rate, seed=fault_seed), latency, port=port)
    try:
        return server.start()
    except OSError as exc:
        reason = os.strerror(exc.errno) if exc.errno else str(exc)
        raise InputError(f"cannot listen on 127.0.0.1:{port}: {reason}") from None
