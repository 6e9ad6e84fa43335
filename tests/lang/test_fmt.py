"""``writ fmt``: one canonical layout, comments kept, idempotent, meaning unchanged."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from writ_dsl.lang.fmt import WIDTH, format_source
from writ_dsl.lang.parser import parse_text

REPO = Path(__file__).resolve().parents[2]
ALL_SPECS = sorted({*REPO.glob("specs/**/*.writ"), *REPO.glob("tests/**/*.writ")})


def without_spans(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: without_spans(v) for k, v in value.items() if k not in ("span", "path")}
    if isinstance(value, list):
        return [without_spans(v) for v in value]
    return value


def meaning(text: str) -> tuple[Any, list[str]]:
    module, problems = parse_text(text, "x.writ")
    assert module is not None, problems
    dumped = without_spans(module.model_dump(mode="json"))
    comments = [c["text"].rstrip() for c in dumped.pop("comments")]
    return dumped, comments


def fmt(text: str) -> str:
    formatted, problems = format_source(text)
    assert formatted is not None, problems
    return formatted


def test_every_spec_of_the_repository_is_taken() -> None:
    assert any(p.parts[-3:-1] == ("specs", "airline") for p in ALL_SPECS) and len(ALL_SPECS) > 60


@pytest.mark.parametrize("path", ALL_SPECS, ids=lambda p: p.relative_to(REPO).as_posix())
def test_formatting_is_idempotent_and_keeps_meaning_and_comments(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    if parse_text(text, "x.writ")[0] is None:
        assert format_source(text)[0] is None
        return
    once = fmt(text)
    assert fmt(once) == once
    assert meaning(once) == meaning(text)


MESSY = '''env   retail   # the env
import "lib.writ"
task   t{
  # leading
  param o=one of db.orders where it.status=="pending"


    read p=get_user_details(user_id=o.user_id)  # who
  write modify_pending_order_address(order_id = o.order_id, address1 = "1 Main St", address2 = "", city = "Austin", state = "TX", country = "USA", zip = "78701")
  user{reason "r"   knows {a=1}
wants "w"}
  # before the closing brace
}
behavior b{description="d"}
'''

EXPECTED = '''env retail  # the env
import "lib.writ"

task t {
    # leading
    param o = one of db.orders where it.status == "pending"

    read p = get_user_details(user_id = o.user_id)  # who
    write modify_pending_order_address(
        order_id = o.order_id,
        address1 = "1 Main St",
        address2 = "",
        city = "Austin",
        state = "TX",
        country = "USA",
        zip = "78701",
    )
    user {
        reason "r"
        knows {
            a = 1
        }
        wants "w"
    }
    # before the closing brace
}

behavior b {
    description = "d"
}
'''


def test_the_canonical_layout() -> None:
    assert fmt(MESSY) == EXPECTED


def test_comments_inside_an_argument_list_break_it_and_stay_with_their_argument() -> None:
    text = "task t {\n  read x = f( # why\n  a = 1, # first\n  # about b\n  b = 2\n  # done\n  ) for v in xs\n}\n"
    assert fmt(text) == (
        "task t {\n"
        "    read x = f(  # why\n"
        "        a = 1,  # first\n"
        "        # about b\n"
        "        b = 2,\n"
        "        # done\n"
        "    ) for v in xs\n"
        "}\n"
    )
    assert fmt("task t {\n  read x = f(a = 1)  # short\n}\n") == "task t {\n    read x = f(a = 1)  # short\n}\n"


def test_long_expressions_break_at_brackets_within_the_width() -> None:
    fields = ", ".join(f"field_{i}: value_{i}" for i in range(12))
    text = fmt(f"let record = {{{fields}}}\nlet short = [1, 2]\n")
    lines = text.splitlines()
    assert lines[0] == "let record = {" and lines[1] == "    field_0: value_0," and lines[13] == "}"
    assert lines[14:] == ["let short = [1, 2]"]
    assert all(len(line) <= WIDTH for line in lines)


def test_blank_lines_between_top_level_items() -> None:
    text = fmt("env retail\nimport \"a.writ\"\nlet a = 1\nlet b = 2\n\nlet c = 3\ntask t {}\n# end\n")
    assert text == "env retail\nimport \"a.writ\"\n\nlet a = 1\nlet b = 2\n\nlet c = 3\n\ntask t {}\n# end\n"


def test_strings_are_requoted_to_the_same_value() -> None:
    text = 'let a = ["tab\\there", "back\\\\slash", "quote\\"d", """multi\nline "q" \\\\"""]\n'
    assert meaning(fmt(text)) == meaning(text)
    assert fmt(text).count('"""') == 2


def test_parentheses_are_kept_only_where_needed() -> None:
    text = "let a = ((1 + 2)) * (3) - (4 - 5) + -(6) + (-(7)).x + (if a then b else c) + (xs where it)\n"
    assert fmt(text) == "let a = (1 + 2) * 3 - (4 - 5) + -6 + (-7).x + (if a then b else c) + (xs where it)\n"


def test_a_file_with_syntax_errors_is_not_formatted() -> None:
    formatted, problems = format_source("task t {\n  let x =\n}\n")
    assert formatted is None and [d.code for d in problems] == ["syntax"]


@pytest.mark.parametrize("text", ["", "\n\n", "# only a comment\n"])
def test_files_without_items(text: str) -> None:
    assert fmt(text) == text.strip("\n") + ("\n" if text.strip() else "")


def test_a_tell_label_is_kept_in_canonical_spacing() -> None:
    source = 'env e\ntask t {\n  tell   x  as   "refund total"\n  tell y\n}\n'
    text, problems = format_source(source, "t.writ")
    assert not problems and "    tell x as \"refund total\"\n    tell y\n" in text


def test_fmt_keeps_the_parentheses_a_reader_needs_around_a_filtered_list():
    from writ_dsl.lang.fmt import format_source

    text = "let c = (a + b) where it > 1\nlet e = (1 .. 5) where it > 2\nlet d = a where it > 0 where it < 5\n"
    formatted, problems = format_source(text, "t.writ")
    assert not problems and formatted == text
    assert format_source("let c = ((a)) where it > 1\n", "t.writ")[0] == "let c = a where it > 1\n"
