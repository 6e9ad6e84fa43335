"""Property: mutated specs (truncated, junk inserted, lines deleted or doubled, names misspelled)
only ever produce diagnostics, never an exception; what still parses formats idempotently."""

from __future__ import annotations

import re
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from writ_dsl import api
from writ_dsl import diagnostics as diag
from writ_dsl.lang.fmt import format_source
from writ_dsl.lang.parser import parse_text

GOLDEN = Path(__file__).resolve().parents[1] / "golden"
from .test_fmt import meaning

REPO = Path(__file__).resolve().parents[2]
SOURCES = [p.read_text(encoding="utf-8") for p in sorted(
    {*REPO.glob("specs/**/*.writ"), *(GOLDEN / "specs").glob("*.writ")})]
JUNK = ["{", "}", "(", ")", "[", "]", '"', '"""', "#", "=", ",", ".", "..", ":", "let", "read x =", "task",
        "user {", "knows {", "where", "it", "db.", "@", "\x00", "\n", "'", "2024-13-40", "1.5", "of", "one",
        "if", "then", "else", "-", "not", "write", "for v in", "}}", "{{", "{%", "\ufeff", "é"]
WORD = re.compile(r"[A-Za-z_]+")


def _truncate(text: str, data: st.DataObject) -> str:
    return text[: data.draw(st.integers(0, len(text)))]


def _insert(text: str, data: st.DataObject) -> str:
    at = data.draw(st.integers(0, len(text)))
    return text[:at] + data.draw(st.sampled_from(JUNK)) + text[at:]


def _lines(text: str, data: st.DataObject, doubled: bool) -> str:
    lines = text.split("\n")
    at = data.draw(st.integers(0, len(lines) - 1))
    lines[at:at + 1] = [lines[at]] * (2 if doubled else 0)
    return "\n".join(lines)


def _misspell(text: str, data: st.DataObject) -> str:
    words = list(WORD.finditer(text))
    if not words:
        return text
    word = data.draw(st.sampled_from(words))
    name = word.group()
    cut = data.draw(st.integers(0, len(name) - 1))
    changed = data.draw(st.sampled_from([name[:cut] + name[cut + 1:], name[:cut] + "x" + name[cut:], name.upper()]))
    return text[: word.start()] + changed + text[word.end():]


MUTATIONS = [_truncate, _insert, _misspell,
             lambda t, d: _lines(t, d, doubled=False), lambda t, d: _lines(t, d, doubled=True)]


@pytest.fixture(scope="module")
def library() -> Iterator[Path]:
    """A copy of the golden specs, so that a mutant's imports resolve."""
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "lib"
        shutil.copytree(GOLDEN / "specs", folder)
        yield folder


@settings(max_examples=250, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_mutants_only_produce_diagnostics(library: Path, data: st.DataObject) -> None:
    text = data.draw(st.sampled_from(SOURCES))
    for mutate in data.draw(st.lists(st.sampled_from(MUTATIONS), min_size=1, max_size=3)):
        text = mutate(text, data)
    path = library / "mutant.writ"
    path.write_text(text, encoding="utf-8")
    result = api.check_paths([path])
    for d in result.diagnostics:
        assert d.code in diag.MESSAGES and d.code != "check-failed", d.message
        diag.format_text(d, result.sources.get(d.path))
        diag.format_github(d)
    formatted, problems = format_source(text)
    if formatted is None:
        assert problems and parse_text(text, "x")[0] is None or problems[0].code == "too-deep"
        return
    assert format_source(formatted)[0] == formatted
    assert meaning(formatted) == meaning(text)
