"""Keep API keys and bearer tokens out of every text a run stores or prints.

A :class:`Redactor` knows the keys the run was given and also recognizes the
common shapes of credentials (``Bearer …``, ``Authorization: …``,
``api_key=…``, ``sk-…``), so that an endpoint echoing a header back in its
error body leaves no trace in ``run.sqlite``, ``rejects.jsonl``, the response
cache or the terminal.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

MASK = "[REDACTED]"
MIN_SECRET = 6  # shorter "keys" (e.g. "EMPTY", "none") are placeholders, and replacing them would mangle text
_PATTERNS = (
    re.compile(r"(?i)(bearer\s+)[A-Za-z0-9._~+/=-]+"),
    re.compile(r"(?i)(authorization[\"']?\s*[:=]\s*[\"']?)(?!bearer\s)[^\s\"',}]+"),
    re.compile(r"(?i)((?:api[_-]?key|access[_-]?token|x-api-key)[\"']?\s*[:=]\s*[\"']?)[^\s\"',}]+"),
    re.compile(r"()\bsk-[A-Za-z0-9_-]{8,}"),
)


@dataclass(frozen=True)
class Redactor:
    secrets: tuple[str, ...] = ()

    @classmethod
    def of(cls, keys: Iterable[str | None]) -> Redactor:
        found = {key for key in keys if key and len(key) >= MIN_SECRET}
        return cls(tuple(sorted(found, key=len, reverse=True)))

    def __call__(self, text: str) -> str:
        for secret in self.secrets:
            if secret in text:
                text = text.replace(secret, MASK)
        for pattern in _PATTERNS:
            text = pattern.sub(lambda m: m.group(1) + MASK, text)
        return text

    def known(self, text: str) -> str:
        """Only the keys the run was given (cheap enough for every stored record)."""
        for secret in self.secrets:
            if secret in text:
                text = text.replace(secret, MASK)
        return text


def redact(text: str, keys: Iterable[str | None] = ()) -> str:
    return Redactor.of(keys)(text)
