"""writ run: simulate and verify dialogues for compiled tasks."""

from __future__ import annotations

from pathlib import Path

import click

from .. import api
from ._common import env_path_option, exit_on_failures


@click.command("run")
@click.argument("tasks_file", type=click.Path(exists=True, dir_okay=False))
@click.option("-o", "--output", "out_dir", required=True, type=click.Path(file_okay=False, path_type=Path),
              help="Run folder: run.sqlite and the output files (resumable).")
@click.option("--user", type=click.Choice(["scripted", "llm"]), default="scripted", show_default=True,
              help="Who plays the user.")
@click.option("--agent", type=click.Choice(["oracle", "llm"]), default="oracle", show_default=True,
              help="Who plays the agent.")
@click.option("--model", envvar="WRIT_MODEL", help="Model of the LLM roles (default $WRIT_MODEL).")
@click.option("--user-model", help="Model of the LLM user, if not --model.")
@click.option("--base-url", envvar="OPENAI_BASE_URL", help="OpenAI-compatible endpoint (default $OPENAI_BASE_URL).")
@click.option("--api-key", envvar="OPENAI_API_KEY", help="API key (default $OPENAI_API_KEY).")
@click.option("--timeout", type=click.FloatRange(min=0.01), default=60.0, show_default=True,
              help="Seconds per LLM request.")
@click.option("--max-retries", type=click.IntRange(min=0), default=4, show_default=True,
              help="Retries of a request after 429/5xx/timeouts (with backoff).")
@click.option("--concurrency", type=click.IntRange(min=1), default=8, show_default=True,
              help="Dialogues in flight at once.")
@click.option("--limit", type=click.IntRange(min=0), default=None, help="Only the first K tasks of the file.")
@click.option("--max-steps", type=click.IntRange(min=1), default=100, show_default=True,
              help="Messages after which a dialogue is cut off.")
@click.option("--max-errors", type=click.IntRange(min=1), default=10, show_default=True,
              help="Tool errors after which a dialogue is cut off.")
@click.option("--force", is_flag=True, help="Start over in a folder that holds another run.")
@click.option("--retry-failed", is_flag=True, help="Run again the tasks that failed (endpoint errors).")
@click.option("--progress/--no-progress", default=True, show_default=True, help="Show a progress bar.")
@click.option("--policy", help="The agent's policy: 'tau2' for τ²-bench's own instruction and policy (needs the "
                               "tau2 extra), or a policy file (default: the environment's policy.md).")
@env_path_option
def run_command(tasks_file: str, out_dir: Path, user: str, agent: str, model: str | None, user_model: str | None,
                base_url: str | None, api_key: str | None, timeout: float, max_retries: int, concurrency: int,
                limit: int | None, max_steps: int, max_errors: int, force: bool, retry_failed: bool,
                progress: bool, policy: str | None, env_path: tuple[str, ...]) -> None:
    """Simulate a dialogue per task of TASKS_FILE, verify it, and keep the verified trajectories.

    Offline by default (scripted user, oracle agent). Interrupt and run the same
    command again to resume.
    """
    options = api.run_options(user=user, agent=agent, model=model, user_model=user_model,  # type: ignore[arg-type]
                         base_url=base_url, api_key=api_key, timeout=timeout, max_retries=max_retries,
                         concurrency=concurrency, limit=limit, max_steps=max_steps, max_errors=max_errors,
                         env_path=env_path, force=force, retry_failed=retry_failed, progress=progress,
                         policy=policy)
    tasks = api.read_tasks(tasks_file)
    summary = api.run(tasks, out_dir, options)
    api.write_tasks(out_dir / "tasks.jsonl", tasks)  # the input beside the outputs: a complete folder
    echo_run_summary(summary)


def echo_run_summary(summary: api.RunSummary) -> None:
    """One line of totals; exit 1 when dialogues failed."""
    click.echo(f"{summary.verified} verified, {summary.rejected} rejected, {summary.failed} failed"
               + (f", {summary.pending} pending" if summary.pending else "")
               + f" ({summary.ran} run now, {summary.rate:.1f} dialogues/s) -> {summary.out_dir}", err=True)
    exit_on_failures(summary.failed)
