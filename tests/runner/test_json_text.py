"""The runner's JSON codec: request bodies byte-identical to the standard library's for chat messages,
numbers that read back unchanged, and text that is not valid Unicode refused both ways."""

from __future__ import annotations

import json
from typing import Any

import pytest

from writ_dsl.runner.json_text import compact, parse

TRICKY = "".join(chr(c) for c in range(32)) + '"\\/\x7f é 中文 \u2028\u2029 😀 </script> \ufeff'


def stdlib_compact(value: Any) -> bytes:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode()


@pytest.mark.parametrize("message", [
    {"role": "user", "content": TRICKY},
    {"role": "assistant", "content": None, "tool_calls": [
        {"id": "c1", "type": "function", "function": {"name": "get_item", "arguments": '{"item_id": "i\\n0"}'}}]},
    {"role": "tool", "tool_call_id": "c1", "content": json.dumps({"price": 12.5, "name": TRICKY})},
    {"model": "m", "seed": 7, "max_tokens": 256, "stream": False, "n": -3},
])
def test_chat_messages_encode_to_the_standard_librarys_bytes(message: dict[str, Any]) -> None:
    assert compact(message) == stdlib_compact(message)


def test_keys_keep_their_order() -> None:
    assert compact({"b": 1, "a": {"d": 2, "c": 3}}) == b'{"b":1,"a":{"d":2,"c":3}}'


@pytest.mark.parametrize("number", [0.1, 1e-05, 1e16, 5e-324, 1.7976931348623157e308, -0.0, 2 ** 80, -17])
def test_numbers_read_back_unchanged(number: float) -> None:
    back = parse(compact({"x": [number]}))["x"][0]
    assert back == number and type(back) is type(number) and repr(back) == repr(number)


def test_parse_gives_what_the_standard_library_gives() -> None:
    text = json.dumps({"a": [1, 2.5, None, True, "é\n"], "b": {"c": {}}, "a2": [], "big": 10 ** 30},
                      ensure_ascii=True)
    assert parse(text) == json.loads(text) and parse(text.encode()) == json.loads(text)


def test_text_that_is_not_valid_unicode_is_a_value_error_both_ways() -> None:
    with pytest.raises(ValueError):
        compact({"content": "half a pair: \ud800"})
    with pytest.raises(ValueError):
        parse('{"content": "half a pair: \\ud800"}')
    assert parse('"\\ud83d\\ude00"') == "😀"  # a whole pair is fine


@pytest.mark.parametrize("bad", ["", "{", '{"a": 1,}', "[1 2]", "nul"])
def test_bad_json_is_a_value_error(bad: str) -> None:
    with pytest.raises(ValueError):
        parse(bad)
