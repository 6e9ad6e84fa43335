"""The user scenario text: jinja2 templates (sandboxed, StrictUndefined) and natural-phrase filters."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping
from functools import cache
from typing import Any

import jinja2

from ..diagnostics import Span
from ..env import wording
from ..env.core import json_copy
from .. import variants
from ..lang import templates
from .functions import IMPLEMENTATIONS
from .values import Rejection, eval_error, is_date, is_number, number_text, parse_date, to_text

_PARAGRAPH = re.compile(r"\n\s*\n")

CITIES = {
    "ATL": "Atlanta", "BOS": "Boston", "CLT": "Charlotte", "DEN": "Denver", "DFW": "Dallas-Fort Worth",
    "DTW": "Detroit", "EWR": "Newark", "IAH": "Houston", "JFK": "New York", "LAS": "Las Vegas",
    "LAX": "Los Angeles", "LGA": "New York", "MCO": "Orlando", "MIA": "Miami", "MSP": "Minneapolis",
    "ORD": "Chicago", "PHL": "Philadelphia", "PHX": "Phoenix", "SEA": "Seattle", "SFO": "San Francisco",
}


def _as_date(value: Any) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if is_date(value):
        return value
    if isinstance(value, str):
        return parse_date(value)
    raise TypeError(f"not a date: {value!r}")


def ordinal(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def day(value: Any) -> str:
    """A date as its day of the month: "the 25th"."""
    return f"the {ordinal(_as_date(value).day)}"


def month_day(value: Any) -> str:
    """A date as "May 25"."""
    value = _as_date(value)
    return f"{value:%B} {value.day}"


def long_date(value: Any) -> str:
    """A date as "May 25, 2024"."""
    value = _as_date(value)
    return f"{value:%B} {value.day}, {value.year}"


def _join(items: Iterable[Any], word: str) -> str:
    texts = [to_text(item) for item in items]
    if len(texts) <= 1:
        return "".join(texts)
    return f"{', '.join(texts[:-1])} {word} {texts[-1]}"


def join_or(items: Iterable[Any]) -> str:
    return _join(items, "or")


def join_and(items: Iterable[Any]) -> str:
    return _join(items, "and")


def either(dates: Iterable[Any]) -> str:
    """Dates as "the 25th or the 26th"."""
    return join_or(day(d) for d in dates)


def money(value: Any) -> str:
    """An amount as "$1,234.50", cents always written ("$718.00"), as the agent writes every amount: a
    dialogue does not mix "$718 a person" from a spec with "$529.00" from a tool result."""
    if not is_number(value):
        raise TypeError(f"not an amount: {value!r}")
    return wording.money(round(value, 2))


def city(code: Any) -> str:
    return CITIES.get(str(code), str(code))


def options(chosen: Any) -> str:
    """A variant's options as people say them: "2-piece, hardshell, red"; a yes-or-no or bare-number
    value keeps its name ("42 inch, bronze, light: no")."""
    if not isinstance(chosen, Mapping):
        raise TypeError(f"not a mapping of options: {chosen!r}")
    return ", ".join(_option(str(name), to_text(value)) for name, value in chosen.items())


def _option(name: str, value: str) -> str:
    return f"{name}: {value.lower()}" if value.lower() in ("yes", "no", "none") or value.isdigit() else value


def _finalize(value: Any) -> Any:
    return value if isinstance(value, str) else to_text(value)


FILTERS = {
    "day": day, "month_day": month_day, "long_date": long_date, "either": either, "money": money,
    "join_or": join_or, "join_and": join_and, "city": city, "text": to_text, "number": number_text,
    "options": options,
}


def _builtin(name: str) -> Any:
    impl = IMPLEMENTATIONS[name]
    return lambda *args: impl(list(args), {}, None)


@cache
def environment() -> templates.Sandbox:
    """The shared template environment, with the compiler's filters and builtins installed."""
    return templates.register(FILTERS, {name: _builtin(name) for name in templates.TEMPLATE_GLOBALS}, _finalize)


@cache
def compile_template(text: str) -> jinja2.Template:
    return environment().from_string(text)


def render(text: str, view: Mapping[str, Any], span: Span | None = None, seed: int = 0) -> str:
    """Render one user-block template on a copy of ``view``, its alternations (``[a|b]``) chosen by
    ``seed``; any failure is an eval-error located at ``span``.

    A template is user code run in the sandbox: whatever it raises (a sandbox limit, a type
    error, a division by zero, nesting too deep for Python) rejects the instance with its message.
    """
    try:
        source = templates.template_source(text)
        context = _copy_read(source, view)
        if source != text:
            context[variants.CHOICES] = variants.choices(text, seed)
        return reflow(compile_template(source).render(context))
    except Rejection as exc:
        raise eval_error(f"template: {exc.detail}", span) from None
    except RecursionError:
        raise eval_error("template: nested too deeply", span) from None
    except Exception as exc:  # noqa: BLE001 - the boundary around user template code
        raise eval_error(f"template: {exc or type(exc).__name__}", span) from None


@cache
def _names(text: str) -> frozenset[str]:
    return frozenset(templates.template_names(text))


def _copy_read(text: str, view: Mapping[str, Any]) -> dict[str, Any]:
    """A copy of the values the template reads: it never sees the task's own data."""
    return {name: json_copy(view[name]) for name in _names(text) if name in view}


def reflow(text: str) -> str:
    """Lines joined into paragraphs (a blank line separates paragraphs), spaces collapsed."""
    paragraphs = [" ".join(block.split()) for block in _PARAGRAPH.split(text.strip())]
    return "\n\n".join(p for p in paragraphs if p)


def known_sentence(key: str, value: Any) -> str:
    label = key.replace("_", " ")
    shown = join_and(value) if isinstance(value, list) else to_text(value)
    return f"Your {label}: {shown}."


def known_info(known: Mapping[str, Any]) -> str:
    """The ``knows`` facts as readable sentences."""
    if not known:
        return "You have no particular details to give."
    return " ".join(known_sentence(key, value) for key, value in known.items())
