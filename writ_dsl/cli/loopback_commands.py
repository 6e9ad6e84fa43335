"""writ loopback: an offline stand-in for a model, to try LLM roles and the plumbing around them."""

from __future__ import annotations

import threading

import click

from .. import api


@click.command("loopback")
@click.argument("tasks_file", type=click.Path(exists=True, dir_okay=False))
@click.option("--port", type=click.IntRange(0, 65535), default=8123, show_default=True,
              help="The port to listen on, on 127.0.0.1 (0: any free one).")
@click.option("--latency", type=click.FloatRange(min=0), default=0.0, show_default=True,
              help="Seconds each answer waits, as a remote model's would.")
@click.option("--fault-rate", type=click.FloatRange(0, 1), default=0.0, show_default=True,
              help="Share of requests answered with a fault (HTTP 500/429, a slow or broken reply, a bad tool call).")
@click.option("--fault-seed", type=int, default=0, show_default=True,
              help="Seed of the fault draws, made in the order requests arrive (the same faults for the same "
                   "requests only when one client sends them one at a time).")
def loopback_command(tasks_file: str, port: int, latency: float, fault_rate: float, fault_seed: int) -> None:
    """Serve an OpenAI-compatible endpoint on 127.0.0.1 that answers as the oracle agent and the scripted user
    of the tasks in TASKS_FILE, until Ctrl-C: `writ run TASKS_FILE --agent llm --user llm` against it runs
    without a model or a network."""
    server = api.loopback_endpoint(api.read_tasks(tasks_file), port=port, latency=latency, fault_rate=fault_rate,
                                   fault_seed=fault_seed)
    click.echo(server.base_url)
    click.echo("writ: answering as the oracle agent and the scripted user; Ctrl-C stops", err=True)
    try:
        threading.Event().wait()
    except KeyboardInterrupt:  # Ctrl-C or SIGTERM: the way this command ends
        pass
    finally:
        server.stop()
    click.echo(f"writ: stopped after {server.counts['requests']} requests", err=True)
