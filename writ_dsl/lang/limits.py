"""Limits on what one spec library may ask of writ, checked before the work is done.

Each limit has a default and can be set in the ``[limits]`` table of the
library's ``writ.toml``. Going over a limit is a located diagnostic (when
reading and checking) or a rejected instance with its message (when
compiling), never a hang, a traceback or a MemoryError.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, fields, replace
from pathlib import Path
from typing import Any

from .. import diagnostics as diag

LIBRARY_MARKER = "writ.toml"


@dataclass(frozen=True)
class Limits:
    file_bytes: int = 128_000  # size of one .writ file
    depth: int = 100  # nesting of expressions and blocks
    literal_digits: int = 100  # digits of a number literal
    string_chars: int = 100_000  # characters of a string literal
    import_depth: int = 64  # files in one chain of imports
    range_items: int = 100_000  # items of one `a .. b` range, and of a `count`ed or fanned-out list
    fan_out: int = 1_000  # calls of one `read ... for` statement per instance

    @classmethod
    def names(cls) -> tuple[str, ...]:
        return tuple(f.name for f in fields(cls))


DEFAULT = Limits()
# Hard ceilings: Python converts at most 4,300 digits to an int, and nesting past a few hundred
# levels exhausts its stack; the others keep one file, string, range or fan-out within memory.
CEILINGS = {"file_bytes": 64_000_000, "depth": 400, "literal_digits": 4_000, "string_chars": 16_000_000,
            "import_depth": 1_000, "range_items": 10_000_000, "fan_out": 1_000_000}


def read_limits(root: Path) -> tuple[Limits, list[diag.Diagnostic]]:
    """The limits of the library at ``root`` (its writ.toml ``[limits]`` over the defaults)."""
    path = root / LIBRARY_MARKER
    shown = path.as_posix()
    try:
        with path.open("rb") as handle:
            settings = tomllib.load(handle)
    except FileNotFoundError:
        return DEFAULT, []
    except (OSError, tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        return DEFAULT, [diag.make("io", shown, None, what="the library settings", detail=str(exc))]
    limits, problems = limits_from(settings.get("limits", {}), shown)
    return limits, problems + compile_setting_problems(settings.get("compile", {}), shown)


def positive_int(value: Any) -> bool:
    """An integer of at least 1 (TOML's true and false are not numbers here)."""
    return isinstance(value, int) and not isinstance(value, bool) and value >= 1


COMPILE_SETTINGS = ("read_heavy_burden", "write_intensive_writes")  # writ.toml [compile], read by the compiler


def compile_setting_problems(table: Any, shown: str) -> list[diag.Diagnostic]:
    """What is wrong with writ.toml's ``[compile]`` table, found when the library is read (as ``writ check``
    does), not first when it is compiled."""
    if not isinstance(table, dict):
        return [diag.make("compile-setting", shown, None, setting="compile", detail="must be a table")]
    problems = []
    for name, value in table.items():
        if name not in COMPILE_SETTINGS:
            detail = f"is not a setting (settings: {', '.join(COMPILE_SETTINGS)})"
        elif not positive_int(value):
            detail = "must be a positive integer"
        else:
            continue
        problems.append(diag.make("compile-setting", shown, None, setting=f"[compile] {name}", detail=detail))
    return problems


def limits_from(table: Any, shown: str) -> tuple[Limits, list[diag.Diagnostic]]:
    if not isinstance(table, dict):
        return DEFAULT, [diag.make("limit-setting", shown, None, setting="limits", detail="must be a table")]
    problems, updates = [], {}
    for name, value in table.items():
        if name not in Limits.names():
            problems.append(diag.make("limit-setting", shown, None, setting=f"[limits] {name}",
                                      detail=f"is not a limit (limits: {', '.join(Limits.names())})"))
        elif not positive_int(value):
            problems.append(diag.make("limit-setting", shown, None, setting=f"[limits] {name}",
                                      detail="must be a positive integer"))
        elif value > CEILINGS.get(name, value):
            problems.append(diag.make("limit-setting", shown, None, setting=f"[limits] {name}",
                                      detail=f"must be at most {CEILINGS[name]}"))
        else:
            updates[name] = value
    return replace(DEFAULT, **updates), problems
