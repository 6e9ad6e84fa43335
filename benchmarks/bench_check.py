"""Speed of ``writ check``'s library path (load + parse + every semantic check) on generated specs.

Floor, measured on the same files in the same run: Lark's own LALR parse of
the same texts with the same grammar (``grammars/writ.lark``) and the same
options writ gives Lark (``propagate_positions``, ``maybe_placeholders``), its
own lexer and parser building its own parse tree, with none of writ's code in
the loop: a fresh parser object, no callbacks of writ's, no error recovery, no
AST, no checks. Both keep every result in memory, with Python's cycle
collector paused as ``api.check_paths`` does. Times are CPU times, the best of R
runs of each, the two taking turns.

    .venv/bin/python benchmarks/bench_check.py [--files N] [--seed S] [--repeat R]
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from lark import Lark, Tree

from writ_dsl import api
from writ_dsl.lang import templates, types
from writ_dsl.lang.check_context import _names_in_shared_environment
from writ_dsl.lang.grammar_cache import cached_lark
from writ_dsl.lang.loader import forget_parses
from writ_dsl.resources import grammar_path

RAW_OPTIONS = {"parser": "lalr", "propagate_positions": True, "maybe_placeholders": True}

BEHAVIORS = """behavior hurried {
    description = "in a hurry, answers in few words"
    impatient = true
    verbosity = "terse"
}

behavior careful {
    description = "asks for a second option first"
    changes_mind = true
    disclosure = "gradual"
}
"""


def airline_task(rng: random.Random, n: int) -> str:
    threshold = rng.randint(1, 3)
    cabin = rng.choice(["economy", "business"])
    fan = rng.choice(["details.reservations", "distinct(details.reservations)"])
    return f"""
task change_{n} {{
    title "Change flights, variant {n}"
    tags ["airline", "variant-{n % 7}"]
    behaviors [{rng.choice(["hurried", "careful"])}]
    param user = one of db.users where count(it.reservations) >= {threshold}
    param day = one of 2024-05-{rng.randint(10, 20)} .. 2024-05-{rng.randint(21, 28)}
    read details = get_user_details(user_id = user.user_id)
    read reservations = get_reservation_details(reservation_id = r) for r in {fan}
    let active = reservations where it.status != "cancelled" and it.cabin == "{cabin}"
    let target = argmax(active, by = it.created_at)
    let legs = map(target.flights, it.flight_number)
    read statuses = get_flight_status(flight_number = f, date = str(day)) for f in legs
    require count(active) >= 1 else "no active reservation"
    let payment = first(keys(details.payment_methods))
    write update_reservation_flights(
        reservation_id = target.reservation_id,
        cabin = "{cabin}",
        flights = target.flights,
        payment_id = payment,
    )
    tell count(statuses)
    user {{
        persona "A traveller who flies {cabin}"
        reason "You want to change reservation {{{{ target.reservation_id }}}} to {{{{ day }}}}."
        knows {{
            user_id = user.user_id
            reservation_id = target.reservation_id
        }}
        wants "The flights changed, paid with {{{{ payment }}}}."
        unknown "The flight numbers."
    }}
}}
"""


def retail_task(rng: random.Random, n: int) -> str:
    status = rng.choice(["pending", "delivered"])
    return f"""
task order_{n} {{
    title "Look at orders, variant {n}"
    param customer = one of db.users where count(it.orders) >= {rng.randint(1, 3)}
    param picks = 2 of ["no longer needed", "ordered by mistake"]
    read profile = get_user_details(user_id = customer.user_id)
    read orders = get_order_details(order_id = o) for o in profile.orders
    let open = orders where it.status == "{status}"
    let order = one(open)
    let total = sum(map(order.items, it.price)) + {rng.randint(0, 50)}
    require total > {rng.randint(10, 200)}
    write cancel_pending_order(order_id = order.order_id, reason = "no longer needed")
    tell round(total, 2)
    user {{
        reason "You ordered by mistake; total {{{{ total }}}}."
        knows {{ email = profile.email }}
        wants "Cancel order {{{{ order.order_id }}}} ({{{{ picks | join_or }}}})."
    }}
}}
"""


def spec_text(rng: random.Random, index: int) -> str:
    env = "airline" if index % 2 == 0 else "retail"
    tasks = rng.randint(1, 3)
    make = airline_task if env == "airline" else retail_task
    body = "".join(make(rng, index * 10 + t) for t in range(tasks))
    shared = BEHAVIORS if env == "airline" else ""
    return f"# generated spec {index}\nenv {env}\n\n{shared}{body}"


def generate(folder: Path, count: int, seed: int) -> list[Path]:
    rng = random.Random(seed)
    paths = []
    for index in range(count):
        path = folder / f"spec_{index:04d}.writ"
        path.write_text(spec_text(rng, index), encoding="utf-8")
        paths.append(path)
    return paths


def best_of(repeat: int, action: Callable[[], object], before: Callable[[], object] = lambda: None) -> float:
    """Least CPU time of ``repeat`` runs: CPU, not wall time, so that other processes on a shared machine
    do not count."""
    times = []
    for _ in range(repeat):
        before()
        start = time.process_time()
        action()
        times.append(time.process_time() - start)
    return min(times)


def best_of_each(repeat: int, actions: dict[str, Callable[[], object]],
                 before: Callable[[], object] = lambda: None) -> dict[str, float]:
    """:func:`best_of` for several actions, taking turns, so that on a shared machine a change of load
    falls on all of them alike."""
    times: dict[str, list[float]] = {name: [] for name in actions}
    for _ in range(repeat):
        for name, action in actions.items():
            before()
            start = time.process_time()
            action()
            times[name].append(time.process_time() - start)
    return {name: min(found) for name, found in times.items()}


def forget() -> None:
    """Start as a new ``writ check`` process does: no file or template parsed, no result type worked out before
    (the environments stay loaded, as after the warm-up)."""
    forget_parses()
    _names_in_shared_environment.cache_clear()
    templates.forget()
    types.forget()


def raw_lark() -> Lark:
    """Lark's parser for writ's grammar, as writ configures it, and nothing of writ's added to it."""
    return cached_lark(grammar_path().read_text(encoding="utf-8"), **RAW_OPTIONS)


def raw_parse(lark: Lark, texts: list[str]) -> list[Tree]:
    """The floor, under the same garbage-collector setting as ``api.check_paths``."""
    with api.no_cycle_collection():
        return [lark.parse(text) for text in texts]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--repeat", type=int, default=5, help="best of this many runs of each, taking turns")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        paths = generate(Path(tmp), args.files, args.seed)
        texts = [p.read_text(encoding="utf-8") for p in paths]
        lark = raw_lark()
        result = api.check_paths([tmp])  # warm-up: environments and tables built once
        if result.errors:
            print(f"generated specs have {result.errors} errors; first: {result.diagnostics[0]}", file=sys.stderr)
            return 1
        best = best_of_each(args.repeat, {"check": lambda: api.check_paths([tmp]),
                                          "parse": lambda: raw_parse(lark, texts)}, before=forget)
        check_s, parse_s = best["check"], best["parse"]
    size = sum(len(t) for t in texts) / 1024
    print(f"{args.files} files, {size:.0f} KiB, {result.warnings} warnings")
    print(f"writ check (load + parse + checks): {check_s:7.3f} s CPU  {args.files / check_s:8.0f} files/s")
    print(f"raw Lark parse (parsing floor):     {parse_s:7.3f} s CPU  {args.files / parse_s:8.0f} files/s")
    print(f"ratio check / raw parse:            {check_s / parse_s:7.2f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main())
