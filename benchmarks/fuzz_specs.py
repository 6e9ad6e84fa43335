"""Fuzz the front end and the compiler with mutated and hostile specs, generated anew from a seed.

Each spec goes in-process through ``load`` + ``check`` and, when it checks
clean, through ``compile`` (one instance, a few attempts) against the bundled
environments, inside a copy of the bundled spec library (so its imports
resolve). A spec that takes more than ``--timeout`` seconds of CPU time is a hang
(it is interrupted by a timer signal); any exception is a traceback. Both are saved
under ``--keep`` to be replayed. Printed: the count, tracebacks, hangs,
diagnostics without a location (by code), and specs per second.

    .venv/bin/python benchmarks/fuzz_specs.py [--count N] [--seed S] [--timeout 2] [--keep DIR]
"""

from __future__ import annotations

import argparse
import hashlib
import multiprocessing
import random
import shutil
import signal
import sys
import tempfile
import time
import traceback
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from writ_dsl import api
from writ_dsl.compiler.compile import CompileOptions, CompileResult, compile_specs
from writ_dsl.compiler.environments import EnvironmentSet

REPO = Path(__file__).resolve().parents[1]
LIBRARY = REPO / "specs"

Generator = Callable[[random.Random, list[str]], str]

NESTS = [("if true then ", " else 2"), ("{a: ", "}"), ("[", "]"), ("(", ")"), ("not ", ""), ("-", ""),
         ("count(", ")"), ("f(a = ", ")"), ("if ", " then 1 else 2")]
CHAINS = [" + 1", " where true", " and true", " or false", " * 2", " - 1", ".a", "[0]", " where x: true"]
TEMPLATES = [
    "{{ 9 ** 99999999 }}", "{{ 'a' * 3000000000 }}", "{% for i in range(10000000) %}x{% endfor %}",
    "{{ user.user_id * 300000000 }}", "{% for i in range(99999) %}{% for j in range(99999) %}{% endfor %}{% endfor %}",
    '{{ user.update({\\"user_id\\": \\"HACKED\\"}) }}', "{{ user.user_id.ljust(999999999) }}",
    "{{ '%999999999d' % 1 }}", "{{ 'a'|center(999999999) }}", "{{ lipsum(9999999) }}",
    "{% macro f(x) %}{{ f(x ~ x) }}{% endmacro %}{{ f('ab') }}", "{{ 1 / 0 }}", "{{ '{:>999999999}'.format(1) }}",
    "{{ ('x'*9999).join(['a']*9999) }}", "{{ user.__class__.__mro__ }}", "{{ cycler.__init__.__globals__ }}",
    "{{ (((((((((((((((((((((((((((((((((((((((((1))))))))))))))))))))))))))))))))))))))))) }}",
    "{% for x in user %}{% for y in user %}{{ x ~ y }}{% endfor %}{% endfor %}", "{{ user.name|list|sort }}",
    "{{ range(99999)|list|join(',') }}", "{{ 'x'|indent(99999999) }}", "{{ user|tojson }}", "{{ user.items() }}",
    "{% set x = 'a' * 99999 %}{{ x ~ x }}", "{{ [1] * 99999999 }}", "{{ 10 ** 1000 * 10 ** 1000 }}",
    "{{ '{:{}}'.format(1, 999999999) }}", "{{ 'ab'.replace('', 'x' * 99999) }}",
    "{{ user.name.first_name|wordwrap(9999999) }}",
    "{% for i in range(10) %}{{ loop.cycle(*range(9999)) }}{% endfor %}", "{{ user.get('x', 'a' * 99999) * 2 }}",
]
EXPRESSIONS = [
    "count(1 .. 1000000000000000000)", "1 .. 10000000", "2024-01-01 .. 9999-12-31", "10000000000 * 10000000000",
    "[1, 2] + [3]", "days(99999999999)", "hours(1e308)", "str(1 / 3)", "1 / 0", "1 % 0", "user.nope",
    "sort(db.users, by = it.nope)", "date(\"2024-02-30\")", "datetime(\"x\", \"y\")", "flatten([[1], 2])",
    "one([])", "min([])", "argmax([1, 1], by = it)", "round(1e308, 99999)", "abs(-1e309)", "upper(1)",
    "keys([])", "values(1)", "count(\"x\")", "sum([\"a\"])", "map(db.users, it.user_id) where it == 1",
    "db.users[99999999999]", "db.users[-1]", "db.nope", "lower(str(db.users))", "first(db.flights).dates",
    "1 .. 100000", "-(-(-1))", "not not not true", "if 1 then 2 else 3", "\"a\" in 1", "null.a",
]
FANOUTS = ["for i in 1 .. 10000000", "for i in 1 .. 100, j in 1 .. 100", "for i in db.users, j in db.users",
           "for i in [1, 2, 3]", "for i in 1", "for i in null"]


def compile_task(rng: random.Random, expr: str | None = None, template: str | None = None,
                 fanout: str | None = None) -> str:
    expr = expr or rng.choice(EXPRESSIONS)
    template = template or "You are {{ user.name.first_name }}."
    read = f"read more = get_user_details(user_id = user.user_id) {fanout}\n" if fanout else ""
    return (
        "env airline\n"
        "task fuzz {\n"
        "    param user = one of db.users\n"
        "    read profile = get_user_details(user_id = user.user_id)\n"
        f"    {read}"
        f"    let x = {expr}\n"
        "    tell x\n"
        f'    user {{\n        persona "{template}"\n        reason "r {{{{ x }}}}"\n        wants "w"\n    }}\n'
        "}\n"
    )


# ------------------------------------------------------------------ generators
def nested(rng: random.Random, _: list[str]) -> str:
    opener, closer = rng.choice(NESTS)
    depth = int(10 ** rng.uniform(1, 4.3))
    closed = rng.random() < 0.6
    return "env airline\ntask t {\n    let x = " + opener * depth + "1" + (closer * depth if closed else "") + "\n}\n"


def chained(rng: random.Random, _: list[str]) -> str:
    link = rng.choice(CHAINS)
    return "env airline\ntask t {\n    let x = [1]" + link * int(10 ** rng.uniform(1, 4.3)) + "\n}\n"


def big_literal(rng: random.Random, _: list[str]) -> str:
    size = int(10 ** rng.uniform(1, 5))
    literal = rng.choice(["9" * size, '"' + "a" * size + '"', "1." + "5" * size, '"""' + "b" * size])
    return f"env airline\ntask t {{\n    let x = {literal}\n}}\n"


def garbage(rng: random.Random, _: list[str]) -> str:
    size = int(10 ** rng.uniform(0, 5))
    kind = rng.randrange(4)
    if kind == 0:
        return rng.choice("@$`~?!\\\x00\x1b") * size
    if kind == 1:
        return "".join(chr(rng.randrange(0x20, 0x3000)) for _ in range(min(size, 20000)))
    if kind == 2:
        return bytes(rng.randrange(256) for _ in range(min(size, 20000))).decode("latin-1")
    return "env airline\n" + "task t {\n" * min(size, 50000)


def token_soup(rng: random.Random, sources: list[str]) -> str:
    words = rng.choice(sources).split()
    return " ".join(rng.choice(words) for _ in range(rng.randrange(1, 400)))


def hostile_template(rng: random.Random, _: list[str]) -> str:
    return compile_task(rng, expr="1", template=rng.choice(TEMPLATES))


def hostile_expression(rng: random.Random, _: list[str]) -> str:
    return compile_task(rng)


def hostile_fanout(rng: random.Random, _: list[str]) -> str:
    return compile_task(rng, expr="1", fanout=rng.choice(FANOUTS))


def mutated(rng: random.Random, sources: list[str]) -> str:
    text = rng.choice(sources + [compile_task(rng)])
    for _ in range(rng.randrange(1, 6)):
        text = rng.choice(MUTATIONS)(rng, text)
    return text


def _cut(rng: random.Random, text: str) -> tuple[int, int]:
    start = rng.randrange(len(text) + 1)
    return start, min(len(text), start + int(10 ** rng.uniform(0, 3)))


def delete(rng: random.Random, text: str) -> str:
    start, end = _cut(rng, text)
    return text[:start] + text[end:]


def duplicate(rng: random.Random, text: str) -> str:
    start, end = _cut(rng, text)
    return text[:end] + text[start:end] * rng.randrange(1, 50) + text[end:]


def insert(rng: random.Random, text: str) -> str:
    at = rng.randrange(len(text) + 1)
    piece = rng.choice(["{", "}", "(", ")", "[", "]", '"', '"""', "#", "\n", "..", " where ", " if ", "@", "\x00",
                        " task t { ", " user { ", " knows { ", "{{", "}}", "{%", "9" * 5000, " import \"x.writ\" ",
                        " import \"../common/behaviors.writ\" ", rng.choice(EXPRESSIONS), rng.choice(TEMPLATES)])
    return text[:at] + piece + text[at:]


def swap_lines(rng: random.Random, text: str) -> str:
    lines = text.split("\n")
    i, j = rng.randrange(len(lines)), rng.randrange(len(lines))
    lines[i], lines[j] = lines[j], lines[i]
    return "\n".join(lines)


def replace_char(rng: random.Random, text: str) -> str:
    if not text:
        return text
    at = rng.randrange(len(text))
    return text[:at] + chr(rng.randrange(0x20, 0x7F)) + text[at + 1:]


MUTATIONS = [delete, duplicate, insert, swap_lines, replace_char]
GENERATORS: list[tuple[Generator, int]] = [
    (mutated, 60), (nested, 4), (chained, 4), (big_literal, 3), (garbage, 3), (token_soup, 6),
    (hostile_template, 8), (hostile_expression, 8), (hostile_fanout, 4),
]


def generate(seed: int, indices: range, sources: list[str]) -> Iterator[tuple[int, str, str]]:
    """The specs at ``indices`` of the stream of ``seed`` (each drawn from its own seeded generator)."""
    kinds, weights = zip(*GENERATORS)
    for index in indices:
        digest = hashlib.sha256(f"{seed}:{index}".encode()).digest()
        rng = random.Random(int.from_bytes(digest[:8], "big"))
        kind = rng.choices(kinds, weights)[0]
        yield index, kind.__name__, kind(rng, sources)


# ------------------------------------------------------------------ running
class Hang(Exception):
    pass


@contextmanager
def deadline(seconds: float) -> Iterator[None]:
    """Interrupt the block after ``seconds`` of this process's CPU time (user + system): on a shared,
    loaded machine wall-clock time would count other processes' work as hangs."""

    def expired(*_: object) -> None:
        raise Hang(f"over {seconds} s of CPU time")

    previous = signal.signal(signal.SIGPROF, expired)
    signal.setitimer(signal.ITIMER_PROF, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_PROF, 0)
        signal.signal(signal.SIGPROF, previous)


@dataclass
class Report:
    count: int = 0
    compiled: int = 0
    seconds: float = 0.0
    tracebacks: list[tuple[int, str, str]] = field(default_factory=list)
    hangs: list[tuple[int, str]] = field(default_factory=list)
    unlocated: Counter[str] = field(default_factory=Counter)
    kinds: Counter[str] = field(default_factory=Counter)

    def lines(self) -> list[str]:
        rate = self.count / self.seconds if self.seconds else 0.0
        return [
            f"specs: {self.count} ({self.compiled} checked clean and compiled)",
            f"tracebacks: {len(self.tracebacks)}",
            f"hangs (over the per-file timeout): {len(self.hangs)}",
            f"diagnostics without a location: {sum(self.unlocated.values())} {dict(self.unlocated)}",
            f"specs/s: {rate:.1f} ({self.seconds:.1f} s)",
        ]


class Fuzzer:
    def __init__(self, workdir: Path, timeout: float = 2.0, keep: Path | None = None) -> None:
        self.library = workdir / "library"
        shutil.copytree(LIBRARY, self.library)
        self.path = self.library / "airline" / "_fuzz.writ"
        self.timeout = timeout
        self.keep = keep
        self.options = CompileOptions(n=1, max_attempts=3)
        self.environments = EnvironmentSet(self.options)
        self.report = Report()

    def sources(self) -> list[str]:
        return [p.read_text(encoding="utf-8") for p in sorted(self.library.rglob("*.writ"))]

    def run(self, specs: Iterator[tuple[int, str, str]]) -> Report:
        started = time.perf_counter()
        for index, kind, text in specs:
            self.one(index, kind, text)
        self.report.seconds = time.perf_counter() - started
        return self.report

    def one(self, index: int, kind: str, text: str) -> None:
        self.report.count += 1
        self.report.kinds[kind] += 1
        # Every seventh spec is written as Latin-1: its non-ASCII characters are bytes that are not UTF-8.
        data = text.encode("utf-8", "surrogateescape") if index % 7 else text.encode("latin-1", "replace")
        self.path.write_bytes(data)
        try:
            with deadline(self.timeout):
                diagnostics = self._check_and_compile()
        except Hang:
            self.report.hangs.append((index, kind))
            self._save(index, kind, text, "hang")
            return
        except Exception:  # noqa: BLE001 - what the fuzzer counts
            self.report.tracebacks.append((index, kind, traceback.format_exc()))
            self._save(index, kind, text, traceback.format_exc())
            return
        unlocated = [d for d in diagnostics if d.span is None]
        for d in unlocated:
            self.report.unlocated[d.code] += 1
        if any(d.code == "check-failed" for d in diagnostics):
            self._save(index, kind, text, "\n".join(d.message for d in diagnostics if d.code == "check-failed"))

    def _check_and_compile(self) -> list:
        checked = api.check(api.load([self.path]))
        found = list(checked.diagnostics)
        if checked.specs and checked.ok:
            result = compile_specs(checked.specs, self.options, CompileResult(), self.environments)
            found += result.diagnostics
            self.report.compiled += 1
        return found

    def _save(self, index: int, kind: str, text: str, what: str) -> None:
        if self.keep is None:
            return
        self.keep.mkdir(parents=True, exist_ok=True)
        (self.keep / f"{index}-{kind}.writ").write_text(text, encoding="utf-8", errors="surrogateescape")
        (self.keep / f"{index}-{kind}.txt").write_text(what, encoding="utf-8")


def fuzz(count: int, seed: int = 0, timeout: float = 2.0, keep: Path | None = None, start: int = 0) -> Report:
    """Run the specs ``start .. start + count - 1`` of the stream of ``seed``."""
    with tempfile.TemporaryDirectory() as tmp:
        fuzzer = Fuzzer(Path(tmp), timeout, keep)
        return fuzzer.run(generate(seed, range(start, start + count), fuzzer.sources()))


def _fuzz_chunk(job: tuple[int, int, int, float, Path | None]) -> Report:
    start, count, seed, timeout, keep = job
    return fuzz(count, seed, timeout, keep, start)


def fuzz_parallel(count: int, seed: int, timeout: float, keep: Path | None, jobs: int) -> Report:
    """The same specs as :func:`fuzz`, in ``jobs`` worker processes; the reports are merged."""
    if jobs <= 1:
        return fuzz(count, seed, timeout, keep)
    chunk = 500
    work = [(start, min(chunk, count - start), seed, timeout, keep) for start in range(0, count, chunk)]
    total, started = Report(), time.perf_counter()
    with multiprocessing.get_context("spawn").Pool(jobs) as pool:
        for part in pool.imap(_fuzz_chunk, work):
            total.count += part.count
            total.compiled += part.compiled
            total.tracebacks += part.tracebacks
            total.hangs += part.hangs
            total.unlocated.update(part.unlocated)
            total.kinds.update(part.kinds)
            print(f"... {total.count} specs, {len(total.tracebacks)} tracebacks, {len(total.hangs)} hangs, "
                  f"{time.perf_counter() - started:.0f} s", file=sys.stderr, flush=True)
    total.seconds = time.perf_counter() - started
    return total


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--timeout", type=float, default=2.0)
    parser.add_argument("--jobs", type=int, default=1, help="worker processes")
    parser.add_argument("--keep", type=Path, default=None, help="save failing specs and their tracebacks here")
    args = parser.parse_args(argv)
    report = fuzz_parallel(args.count, args.seed, args.timeout, args.keep, args.jobs)
    print("\n".join(report.lines()))
    for index, kind, trace in report.tracebacks[:5]:
        print(f"--- traceback at spec {index} ({kind}):\n{trace}")
    return 1 if report.tracebacks or report.hangs else 0


if __name__ == "__main__":
    sys.exit(main())
