"""The one template environment of user scenarios, shared by the checker and the compiler.

The checker needs a template's syntax and the names it reads; the compiler
renders it. Both use :func:`environment`: a jinja2 sandbox with strict
undefined names, whose globals and filters are registered by the compiler
(:mod:`writ_dsl.compiler.render`) through :func:`register`. Names that a
template may use without defining them are :data:`TEMPLATE_GLOBALS`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from functools import cache
from typing import Any

import jinja2
from jinja2 import meta
from jinja2.sandbox import SandboxedEnvironment

# Builtins callable inside templates (implemented by the compiler's evaluator).
TEMPLATE_GLOBALS = ("count", "days", "hours", "minutes", "date", "datetime", "str", "lower", "upper")
# Filters for natural phrasing ("{{ day | either }}"), beside jinja2's own.
TEMPLATE_FILTERS = ("day", "month_day", "long_date", "either", "money", "join_or", "join_and", "city", "text",
                    "number")


def _unregistered(*_: Any) -> Any:
    raise RuntimeError("template functions are implemented by writ_dsl.compiler.render")


@cache
def environment() -> SandboxedEnvironment:
    """The sandbox every user template parses and renders in (one per process)."""
    env = SandboxedEnvironment(undefined=jinja2.StrictUndefined, autoescape=False, keep_trailing_newline=False)
    env.globals.update(dict.fromkeys(TEMPLATE_GLOBALS, _unregistered))
    env.filters.update(dict.fromkeys(TEMPLATE_FILTERS, _unregistered))
    return env


def register(filters: Mapping[str, Callable[..., Any]], globals_: Mapping[str, Callable[..., Any]],
             finalize: Callable[[Any], Any]) -> SandboxedEnvironment:
    """Install the compiler's filters, global functions and value finalizer; returns the environment."""
    if set(filters) != set(TEMPLATE_FILTERS) or set(globals_) != set(TEMPLATE_GLOBALS):
        raise ValueError("template functions must implement exactly TEMPLATE_FILTERS and TEMPLATE_GLOBALS")
    env = environment()
    env.filters.update(filters)
    env.globals.update(globals_)
    env.finalize = finalize
    return env


def parse(text: str) -> jinja2.nodes.Template:
    """A template's syntax tree; raises ``jinja2.TemplateSyntaxError``."""
    return environment().parse(text)


def template_names(text: str) -> set[str]:
    """The names a template reads beyond the globals; raises ``jinja2.TemplateSyntaxError``."""
    return set(meta.find_undeclared_variables(parse(text))) - set(environment().globals)
