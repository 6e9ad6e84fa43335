"""JSON text on the runner's hot paths (request bodies, replies, stored records), in pydantic-core's codec.

It writes and reads JSON several times faster than the standard library, which at hundreds of completions
a second is a good part of the client's CPU. The output files keep the standard library's formatting
(:mod:`writ_dsl.runner.export`); these texts are read back by this module or sent to an endpoint.

- :func:`compact`: no spaces, keys in the order they were inserted, non-ASCII written as UTF-8. For values
  whose leaves are strings, ``None`` and integers (chat messages) the bytes are exactly
  ``json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode()``; a float may be spelled
  differently (``0.00001`` for ``1e-05``) but reads back as the same number. A string that is not valid
  Unicode (a lone surrogate) is a ValueError, as the standard library's ``.encode()`` would raise.
- :func:`parse`: the values ``json.loads`` gives; bad JSON, including an escape for half a surrogate pair,
  and values nested deeper than pydantic-core reads (about 200 levels), is a ValueError.
- :func:`parse_stored`: a text written by :func:`compact` (a stored record) read back, at any depth: a record
  holds a model's tool arguments a few levels below where :func:`parse` took them in.
"""

from __future__ import annotations

import json
from typing import Any

from pydantic_core import from_json, to_json


def compact(value: Any) -> bytes:
    return to_json(value)


def parse(data: str | bytes) -> Any:
    return from_json(data)


def parse_stored(text: str | bytes) -> Any:
    try:
        return from_json(text)
    except ValueError:  # nested past pydantic-core's limit; the standard library reads ~1,000 levels
        return json.loads(text)
