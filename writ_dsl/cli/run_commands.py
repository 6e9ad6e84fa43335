"""writ run: simulate and verify dialogues for compiled tasks."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from .. import api
from ._common import ATTEMPTS_MAX, engine_option, env_path_option, exit_on_failures, workers_option


@click.command("run")
@click.argument("tasks_file", type=click.Path(exists=True, dir_okay=False))
@click.option("-o", "--output", "out_dir", required=True, type=click.Path(file_okay=False, path_type=Path),
              help="Run folder: run.sqlite and the output files (resumable).")
@click.option("--user", type=click.Choice(["scripted", "llm"]), default="scripted", show_default=True,
              help="Who plays the user.")
@click.option("--agent", type=click.Choice(["oracle", "llm", "guided"]), default="oracle", show_default=True,
              help="Who plays the agent (guided: an LLM given the compiled plan as private guidance).")
@click.option("--model", envvar="WRIT_MODEL", help="Model of the LLM roles (default $WRIT_MODEL).")
@click.option("--base-url", envvar="OPENAI_BASE_URL", help="OpenAI-compatible endpoint (default $OPENAI_BASE_URL).")
@click.option("--api-key", envvar="OPENAI_API_KEY", help="API key (default $OPENAI_API_KEY).")
@click.option("--user-model", envvar="WRIT_USER_MODEL", help="Model of the LLM user, if not --model.")
@click.option("--user-base-url", envvar="WRIT_USER_BASE_URL", help="Endpoint of the LLM user, if not --base-url.")
@click.option("--user-api-key", envvar="WRIT_USER_API_KEY", help="API key of the LLM user, if not --api-key.")
@click.option("--temperature", type=click.FloatRange(min=0), default=None, help="Sampling temperature.")
@click.option("--top-p", type=click.FloatRange(min=0, max=1), default=None, help="Nucleus sampling mass.")
@click.option("--seed", type=int, default=None, help="Sampling seed sent to the endpoint.")
@click.option("--max-tokens", type=click.IntRange(min=1), default=None, help="Most tokens per completion.")
@click.option("--timeout", type=click.FloatRange(min=0.01), default=60.0, show_default=True,
              help="Seconds per LLM request.")
@click.option("--max-retries", type=click.IntRange(min=0), default=4, show_default=True,
              help="Retries of a request after 429/5xx/timeouts (with backoff); other errors are not retried.")
@click.option("--concurrency", type=click.IntRange(min=1), default=8, show_default=True,
              help="Dialogues in flight at once.")
@click.option("--attempts", type=click.IntRange(1, ATTEMPTS_MAX), default=1, show_default=True,
              help="Dialogues per task at most (pass rates need more than one).")
@click.option("--keep", type=click.Choice(["first", "all"]), default="first", show_default=True,
              help="first: stop at a task's first verified dialogue; all: make every attempt, keep each "
                   "distinct verified one.")
@click.option("--cache", "cache_path", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Response cache file (default DIR/responses.sqlite).")
@click.option("--no-cache", "no_cache", is_flag=True, help="Do not read or write the response cache.")
@click.option("--limit", type=click.IntRange(min=0), default=None, help="Only the first K tasks of the file.")
@click.option("--max-steps", type=click.IntRange(min=1), default=100, show_default=True,
              help="Messages after which a dialogue is cut off.")
@click.option("--max-errors", type=click.IntRange(min=1), default=10, show_default=True,
              help="Tool errors after which a dialogue is cut off.")
@click.option("--force", is_flag=True,
              help="Start over in a folder that holds another run (its plots/ and report.html are removed).")
@click.option("--retry-failed", is_flag=True, help="Run again the tasks that failed (endpoint errors).")
@click.option("--progress/--no-progress", default=True, show_default=True, help="Show a progress bar.")
@click.option("--policy", help="The agent's policy: 'tau2' for τ²-bench's own instruction and policy (needs the "
                               "tau2 extra), or a policy file (default: the environment's policy.md).")
@env_path_option
@workers_option
@engine_option
def run_command(tasks_file: str, out_dir: Path, **run_args: Any) -> None:
    """Simulate a dialogue per task of TASKS_FILE, verify it, and keep the verified trajectories.

    Offline by default (scripted user, oracle agent). Interrupt and run the same
    command again to resume.
    """
    tasks = api.task_file(tasks_file)  # read one task at a time, not held
    summary = api.run(tasks, out_dir, api.run_options(**run_args))
    api.write_tasks(out_dir / "tasks.jsonl", tasks)  # the input beside the outputs: a complete folder
    echo_run_summary(summary)


def echo_run_summary(summary: api.RunSummary) -> None:
    """One line of totals; exit 1 when dialogues failed."""
    click.echo(f"{summary.verified} verified, {summary.rejected} rejected, {summary.failed} failed"
               + (f", {summary.pending} pending" if summary.pending else "")
               + f" ({summary.ran} run now, {summary.rate:.1f} dialogues/s, {summary.requests} requests, "
               f"{summary.cache_hits} cache hits) -> {summary.out_dir}", err=True)
    exit_on_failures(summary.failed)
