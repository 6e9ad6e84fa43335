"""What the machine itself says about a benchmark's time: CPU the kernel and child processes used, time spent
waiting for a CPU, time the hypervisor took (Linux /proc; zeros or None elsewhere), and what waking up from an
idle wait costs on work that does no I/O."""

from __future__ import annotations

import resource
import time
from dataclasses import replace
from pathlib import Path

from writ_dsl.compiler.model import CompiledTask
from writ_dsl.runner.dialogue import run_dialogue
from writ_dsl.runner.environments import environment_for
from writ_dsl.runner.oracle_agent import OracleAgent
from writ_dsl.runner.scripted_user import ScriptedUser
from writ_dsl.runner.verify import verify

PAUSE = 0.200  # the latency the C=1 client sleeps through before each answer


def cpu_wait(threads: str = "self") -> float:
    """Seconds the given threads (``self``: this process's main thread; ``all``: every live thread of this
    process) spent ready to run but waiting for a CPU; 0 where Linux does not tell."""
    paths = [Path("/proc/self/schedstat")] if threads == "self" else list(Path("/proc/self/task").glob("*/schedstat"))
    total = 0
    for path in paths:
        try:
            total += int(path.read_text().split()[1])
        except (OSError, IndexError, ValueError):
            pass
    return total / 1e9


def machine_ticks() -> tuple[int, int] | None:
    """The machine's CPU time so far, in clock ticks: (stolen by the hypervisor, all); None where Linux does not
    tell. Stolen time is time this VM's CPUs wanted to run while the host ran something else."""
    try:
        fields = [int(value) for value in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    except (OSError, ValueError):
        return None
    return (fields[7], sum(fields)) if len(fields) > 7 else None


def stolen_share(before: tuple[int, int] | None, after: tuple[int, int] | None) -> float | None:
    """The share of the machine's CPU time the hypervisor took between two :func:`machine_ticks` readings."""
    if before is None or after is None or after[1] <= before[1]:
        return None
    return (after[0] - before[0]) / (after[1] - before[1])


def kernel_cpu() -> float:
    return sum(resource.getrusage(who).ru_stime for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN))


def children_cpu() -> float:
    used = resource.getrusage(resource.RUSAGE_CHILDREN)
    return used.ru_utime + used.ru_stime


def wake_reference(tasks: list[CompiledTask], rounds: int = 2) -> None:
    """What this machine charges for waking up, on work with no I/O at all: the dialogues' verification by
    replay (the project's own code, CPU only), timed back to back and then each after a 200 ms sleep, as the
    C=1 client sleeps before each answer. The same extra cost on this work says the C=1 figure's extra is the
    machine's (a vCPU woken from idle, cold caches), not something the client does per answer."""
    played = []
    for task in tasks:
        env = environment_for(task)
        played.append((task, env, replace(run_dialogue(env, ScriptedUser(task), OracleAgent(task)), state=None)))

    def cost(pause: float) -> float:
        total = 0.0
        for task, env, dialogue in played:
            time.sleep(pause)
            started = time.process_time()
            verify(task, env, dialogue)
            total += time.process_time() - started
        return total / len(played)

    busy, idle = min(cost(0.0) for _ in range(rounds)), min(cost(PAUSE) for _ in range(rounds))
    print(f"machine reference, no I/O: replaying a dialogue's tool calls costs {busy * 1000:.2f} ms of CPU back to "
          f"back and {idle * 1000:.2f} ms after a 200 ms sleep (+{(idle - busy) * 1000:.2f} ms)")
