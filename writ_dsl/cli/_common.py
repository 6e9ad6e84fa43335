"""Shared CLI plumbing: one place that turns outcomes into exit statuses."""

from __future__ import annotations

import importlib
import os
import select
import signal
import sys
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

from .. import api
from ..errors import WritError

EXIT_OK = 0
EXIT_PROBLEMS = 1
EXIT_USAGE = 2
EXIT_INTERRUPTED = 130
# Ranges the options show in --help (the library's own bounds; tests/cli checks that they agree)
DB_SIZE_MAX = 100
ATTEMPTS_MAX = 1000
EXIT_TERMINATED = 143  # 128 + SIGTERM


class Terminated(KeyboardInterrupt):
    """SIGTERM (a scheduler stopping the job, ``kill``), raised where Ctrl-C would be: the same clean stop."""


def _stop_cleanly_on_sigterm() -> None:
    """SIGTERM stops writ as Ctrl-C does (finished dialogues kept, temporary files removed) instead of at once;
    a handler someone else installed is left alone. A forked child (a worker) gets the default back: a pool
    stops its workers with SIGTERM, and they must end at once."""
    if threading.current_thread() is threading.main_thread() and \
            signal.getsignal(signal.SIGTERM) is signal.SIG_DFL:
        signal.signal(signal.SIGTERM, _raise_terminated)
        if not _FORK_RESET:
            os.register_at_fork(after_in_child=_default_sigterm)
            _FORK_RESET.append(True)


_FORK_RESET: list[bool] = []  # register_at_fork is called once per process


def _default_sigterm() -> None:
    if signal.getsignal(signal.SIGTERM) is _raise_terminated:
        signal.signal(signal.SIGTERM, signal.SIG_DFL)


def _raise_terminated(signum: int, frame: Any) -> None:
    raise Terminated()


def _printable_everywhere() -> None:
    """Text the terminal's encoding cannot show (an ASCII locale, ``PYTHONIOENCODING=ascii``) is printed as
    escapes instead of raising UnicodeEncodeError midway through a table."""
    for stream in (sys.stdout, sys.stderr):
        if hasattr(stream, "reconfigure") and getattr(stream, "errors", None) == "strict":
            stream.reconfigure(errors="backslashreplace")


class WritGroup(click.Group):
    """A click group that reports WritError without a traceback and imports each command when it is used;
    its help lists the commands from ``summaries`` (name -> one line), importing none of them."""

    def __init__(self, *args: Any, lazy_commands: dict[str, str] | None = None,
                 summaries: dict[str, str] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.lazy_commands = dict(lazy_commands or {})
        self.summaries = dict(summaries or {})

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        if set(self.summaries) != set(self.lazy_commands):
            super().format_commands(ctx, formatter)
            return
        with formatter.section("Commands"):
            formatter.write_dl([(name, self.summaries[name]) for name in self.list_commands(ctx)])

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*self.lazy_commands, *super().list_commands(ctx)})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        target = self.lazy_commands.get(cmd_name)
        if target is None:
            return super().get_command(ctx, cmd_name)
        module_name, attribute = target.split(":")
        command = getattr(importlib.import_module(f"writ_dsl.cli.{module_name}"), attribute)
        assert isinstance(command, click.Command)
        return command

    def invoke(self, ctx: click.Context) -> Any:
        _printable_everywhere()
        _stop_cleanly_on_sigterm()
        try:
            return super().invoke(ctx)
        except WritError as exc:
            from .. import api

            click.echo(f"writ: error: {api.redact(str(exc))}", err=True)
            sys.exit(EXIT_PROBLEMS)
        except BrokenPipeError as exc:
            if not _stdout_broken():  # another pipe (an -o FIFO whose reader quit): say so
                click.echo(f"writ: error: {exc.filename or 'a pipe'}: {exc.strerror or exc}", err=True)
                sys.exit(EXIT_PROBLEMS)
            _drop_stdout()  # the reader of the output went away (`writ check | head`): stop quietly
            sys.exit(EXIT_PROBLEMS)
        except OSError as exc:  # a path the user gave cannot be read or written
            where = f"{exc.filename}: " if exc.filename else ""
            click.echo(f"writ: error: {where}{exc.strerror or exc}", err=True)
            sys.exit(EXIT_PROBLEMS)
        except Terminated:
            click.echo("writ: terminated", err=True)
            sys.exit(EXIT_TERMINATED)
        except KeyboardInterrupt:
            click.echo("writ: interrupted", err=True)
            sys.exit(EXIT_INTERRUPTED)


def _stdout_broken() -> bool:
    """Whether standard output is a pipe whose reader has gone."""
    try:
        watch = select.poll()
        watch.register(sys.stdout.fileno(), select.POLLOUT)
        return any(events & select.POLLERR for _, events in watch.poll(0))
    except (OSError, ValueError, AttributeError):  # no file descriptor (a test's captured output), no poll
        return False


def _drop_stdout() -> None:
    """Point stdout at /dev/null, so that flushing it at exit does not fail on the closed pipe again."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        pass


def exit_on_failures(failed: int) -> None:
    """Dialogues that failed (endpoint errors, internal errors) make the command exit 1."""
    if failed:
        click.echo(f"writ: error: {failed} dialogue(s) failed (see rejects.jsonl); "
                   "run again with --retry-failed to retry them", err=True)
        sys.exit(EXIT_PROBLEMS)


strict_option = click.option("--strict", is_flag=True,
                             help="Fail on any eval error (a spec bug; by default reported as a warning).")

env_path_option = click.option(
    "--env-path",
    "env_path",
    multiple=True,
    type=click.Path(file_okay=False, exists=True),
    help="Extra folder of environments (repeatable; also $WRIT_ENV_PATH).",
)

workers_option = click.option(
    "--workers", type=click.IntRange(min=1), default=None,
    help="Worker processes (default: all cores; at most four per core are started on this machine). In a run, "
         "an LLM run splits its --concurrency over them, one event loop each. The output is the same for any number.",
)

engine_option = click.option(
    "--engine", type=click.Choice(["auto", "process", "ray"]), default="auto", show_default=True,
    help="Where the work runs: auto (worker processes when --workers is above 1), process, or ray (a Ray "
         "cluster at $RAY_ADDRESS, else a local Ray of --workers CPUs; needs the ray extra).",
)

_Command = TypeVar("_Command", bound=Callable[..., Any])
_DATABASE_OPTIONS = (
    click.option("--db", "db_path", callback=lambda ctx, param, value: _database(value),
                 help="A τ²-bench-layout database JSON to use instead of the generated one, or tau2:retail / "
                      "tau2:airline for τ²-bench's own (needs the tau2 extra)."),
    click.option("--db-seed", type=int, default=0, show_default=True, help="Seed of the generated database."),
    click.option("--db-size", type=click.IntRange(1, DB_SIZE_MAX), default=1, show_default=True,
                 help="Scale of the generated database."),
)


def _database(value: str | None) -> str | None:
    """A --db value as an existing file: tau2:NAME names τ²-bench's installed database."""
    if value is None:
        return None
    try:
        path = api.resolve_database(value)
    except WritError as exc:
        raise click.BadParameter(str(exc)) from None
    if Path(path).is_dir():
        raise click.BadParameter(f"'{value}' is a folder; give a database JSON file.")
    if not Path(path).is_file():
        raise click.BadParameter(f"file '{value}' does not exist.")
    return path


def database_options(command: _Command) -> _Command:
    """The options --db, --db-seed and --db-size, in that order."""
    for option in reversed(_DATABASE_OPTIONS):
        command = option(command)
    return command


def count_options(default_total: int | None) -> Callable[[_Command], _Command]:
    """-n/--instances N (in all, spread evenly over the tasks) and --per-task K (each task), exclusive."""
    default = f"default {default_total} in all" if default_total else "default 1 per task"
    instances = click.option("-n", "--instances", "instances", type=click.IntRange(min=1), default=None,
                             help=f"Task instances in all, spread evenly over the tasks ({default}).")
    per_task = click.option("--per-task", "per_task", type=click.IntRange(min=1), default=None,
                            help="Task instances per task, instead of -n in all.")
    return lambda command: instances(per_task(command))


def quota_fields(instances: int | None, per_task: int | None, default_total: int | None) -> dict[str, Any]:
    """The CompileOptions fields (``total`` or ``n``) for -n/--per-task; both at once is a usage error."""
    if instances is not None and per_task is not None:
        raise click.UsageError("give -n/--instances (in all) or --per-task (each task), not both")
    if per_task is not None:
        return {"n": per_task, "total": None}
    total = instances if instances is not None else default_total
    return {"n": 1, "total": total}
