"""Alternations: one piece of wording written several ways, ``[a|b|c]``, each use taking one way by a hash.

A wording text is plain text with alternation groups in it:

- ``[a|b|c]`` stands for one of ``a``, ``b`` and ``c``. An alternative may be empty (``[just |]`` makes
  "just " optional) and may hold groups of its own (``[I can|I'm [happy|glad] to]``);
- ``\\[``, ``\\]``, ``\\|`` and ``\\\\`` are the characters themselves; outside a group, ``|`` is itself;
- jinja2 tags (``{{ ... }}``, ``{% ... %}``, ``{# ... #}``) pass through whole, so ``{{ days[0] | day }}``
  keeps its bracket and its bar.

Which alternative a use takes depends only on a seed (a 64-bit number, from :func:`seed_of`'s SHA-256 of a
key) and on the group's place in the text, the *n*-th group opened, counted from 0: the same seed always
gives the same wording, and two seeds differ group by group. :func:`expand` does this for plain text;
:func:`to_jinja` turns a text into a jinja2 template that takes its choices from a tuple in the render
context (:func:`choices`), so that a template is parsed once whatever the seed.

A text that does not parse raises :class:`AlternationError` with the offset of the fault.
"""

from __future__ import annotations

import hashlib
import itertools
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache

MASK = (1 << 64) - 1
MAX_DEPTH = 16  # groups inside groups
CHOICES = "_writ_alt"  # the render-context name :func:`to_jinja` reads its choices from
_CLOSERS = {"{{": "}}", "{%": "%}", "{#": "#}"}


class AlternationError(ValueError):
    """A wording whose groups do not parse: ``offset`` is where, in the text, the fault is."""

    def __init__(self, problem: str, offset: int) -> None:
        super().__init__(problem)
        self.problem, self.offset = problem, offset


@dataclass(frozen=True)
class Group:
    """``[a|b|...]``: ``index`` is its place among the text's groups, ``offset`` where it opens."""

    index: int
    offset: int
    alternatives: tuple[tuple[str | Group, ...], ...]
    sources: tuple[str, ...]  # each alternative's own text, as written
    starts: tuple[int, ...]  # where each alternative starts in the text


Sequence_ = tuple["str | Group", ...]


@dataclass(frozen=True)
class Wording:
    """A parsed wording: its parts, and how many alternatives each of its groups has, by index."""

    parts: Sequence_
    sizes: tuple[int, ...]

    @property
    def plain(self) -> bool:
        return not self.sizes


# ------------------------------------------------------------------------ parsing
@lru_cache(maxsize=16384)
def parse(text: str) -> Wording:
    """The wording's parts (cached per text); raises :class:`AlternationError`."""
    if "[" not in text and "]" not in text and "\\" not in text:
        return Wording((text,) if text else (), ())
    parser = _Parser(text)
    parts, end = parser.sequence(0, top=True)
    if end < len(text):  # a stray ']'
        raise AlternationError("']' closes no group", end)
    return Wording(parts, tuple(parser.sizes))


class _Parser:
    def __init__(self, text: str) -> None:
        self.text = text
        self.sizes: list[int] = []
        self.depth = 0

    def sequence(self, at: int, top: bool) -> tuple[Sequence_, int]:
        """Parts from ``at`` up to the ``|`` or ``]`` that ends an alternative (the whole text when ``top``)."""
        text, parts, buffer = self.text, [], []
        while at < len(text):
            two = text[at:at + 2]
            char = text[at]
            if two in _CLOSERS:
                end = text.find(_CLOSERS[two], at + 2)
                if end < 0:
                    end = len(text) - 2  # jinja2 reports the unclosed tag
                buffer.append(text[at:end + 2])
                at = end + 2
            elif char == "\\" and at + 1 < len(text) and text[at + 1] in "[]|\\":
                buffer.append(text[at + 1])
                at += 2
            elif char == "[":
                if buffer:
                    parts.append("".join(buffer))
                    buffer = []
                group, at = self.group(at)
                parts.append(group)
            elif char == "]" or (char == "|" and not top):
                break
            else:
                buffer.append(char)
                at += 1
        if buffer:
            parts.append("".join(buffer))
        return tuple(parts), at

    def group(self, opened: int) -> tuple[Group, int]:
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise AlternationError(f"groups nest more than {MAX_DEPTH} deep", opened)
        index = len(self.sizes)
        self.sizes.append(0)
        alternatives, sources, starts, at = [], [], [], opened + 1
        while True:
            parts, end = self.sequence(at, top=False)
            alternatives.append(parts)
            sources.append(self.text[at:end])
            starts.append(at)
            if end >= len(self.text):
                raise AlternationError("'[' is never closed by ']'", opened)
            at = end + 1
            if self.text[end] == "]":
                break
        self.sizes[index] = len(alternatives)
        self.depth -= 1
        return Group(index, opened, tuple(alternatives), tuple(sources), tuple(starts)), at


# ------------------------------------------------------------------------ choosing
def seed_of(*key: object) -> int:
    """A 64-bit seed from the parts of a key (SHA-256 of their text)."""
    data = "\x1f".join(str(part) for part in key).encode()
    return int.from_bytes(hashlib.sha256(data).digest()[:8], "big")


def _mix(seed: int, index: int) -> int:
    """The ``index``-th number of a stream fixed by ``seed`` (SplitMix64's finalizer)."""
    z = (seed + (index + 1) * 0x9E3779B97F4A7C15) & MASK
    z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & MASK
    z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & MASK
    return z ^ (z >> 31)


def choices(text: str, seed: int) -> tuple[int, ...]:
    """The alternative each group of the text takes under ``seed``, by group index."""
    return tuple(_mix(seed, index) % size for index, size in enumerate(parse(text).sizes))


def expand(text: str, seed: int) -> str:
    """The text with each group replaced by the alternative ``seed`` picks for it."""
    wording = parse(text)
    if wording.plain:
        return text if "\\" not in text else "".join(p for p in wording.parts if isinstance(p, str))
    out: list[str] = []
    _write(wording.parts, seed, out)
    return "".join(out)


def _write(parts: Sequence_, seed: int, out: list[str]) -> None:
    for part in parts:
        if isinstance(part, str):
            out.append(part)
        else:
            _write(part.alternatives[_mix(seed, part.index) % len(part.alternatives)], seed, out)


def pick_from(options: Sequence[str], seed: int) -> str:
    """One of several wordings (by the seed), its own groups expanded by the same seed."""
    return expand(options[seed % len(options)], seed)


# ------------------------------------------------------------------------ looking at every way
def count(text: str) -> int:
    """How many ways the text can be said (groups with equal alternatives counted apart)."""
    return _count(parse(text).parts)


def _count(parts: Sequence_) -> int:
    total = 1
    for part in parts:
        if isinstance(part, Group):
            total *= sum(_count(alternative) for alternative in part.alternatives)
    return total


def every(text: str, limit: int = 100_000) -> Iterator[str]:
    """Every way the text can be said, at most ``limit`` of them, in order."""
    produced = 0
    for said in _every(parse(text).parts):
        if produced >= limit:
            return
        produced += 1
        yield said


def _every(parts: Sequence_) -> Iterator[str]:
    choices = [[part] if isinstance(part, str) else _Ways(part) for part in parts]
    for chosen in itertools.product(*choices):
        yield "".join(chosen)


class _Ways:
    """Every way one group can be said, listed when first iterated (itertools.product iterates each once)."""

    def __init__(self, group: Group) -> None:
        self.group = group

    def __iter__(self) -> Iterator[str]:
        return (said for alternative in self.group.alternatives for said in _every(alternative))


def groups(text: str) -> list[Group]:
    """Every group of the text, nested ones included, in the order they open."""
    found: list[Group] = []
    pending = list(parse(text).parts)
    while pending:
        part = pending.pop(0)
        if isinstance(part, Group):
            found.append(part)
            pending = [p for alternative in part.alternatives for p in alternative] + pending
    return sorted(found, key=lambda group: group.index)


# ------------------------------------------------------------------------ as a jinja2 template
@lru_cache(maxsize=4096)
def to_jinja(text: str) -> str:
    """The text as a jinja2 template that reads each group's choice from ``_writ_alt`` in its context
    (:func:`choices`). Lines stay where they were, so jinja2's line numbers still point into the text."""
    wording = parse(text)
    if wording.plain:
        return "".join(p for p in wording.parts if isinstance(p, str))
    return "".join(_jinja(wording.parts))


def _jinja(parts: Sequence_) -> Iterator[str]:
    for part in parts:
        if isinstance(part, str):
            yield part
            continue
        for number, alternative in enumerate(part.alternatives):
            keyword = "if" if number == 0 else "elif"
            if number == len(part.alternatives) - 1 and number > 0:
                yield "{% else %}"
            else:
                yield f"{{% {keyword} {CHOICES}[{part.index}] == {number} %}}"
            yield from _jinja(alternative)
        yield "{% endif %}"
