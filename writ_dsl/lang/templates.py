"""The one template environment of user scenarios, shared by the checker and the compiler.

The checker needs a template's syntax and the names it reads; the compiler
renders it. Both use :func:`environment`: an immutable jinja2 sandbox with
strict undefined names, whose globals and filters are registered by the
compiler (:mod:`writ_dsl.compiler.render`) through :func:`register`. Names that
a template may use without defining them are :data:`TEMPLATE_GLOBALS`.

The sandbox cannot change the values it is given (no ``.append``, ``.update``
or attribute assignment) and cannot build huge values: arithmetic, repetition,
concatenation, string formatting, padding and ``range`` are checked against
:data:`MAX_TEXT`, :data:`MAX_POWER_BITS`, :data:`MAX_RANGE` before they run,
and one rendering iterates at most :data:`MAX_LOOP_ITEMS` loop items in all.
Going over a limit raises :class:`TemplateLimit`.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterator, Mapping
from contextvars import ContextVar
from functools import cache, lru_cache, wraps
from typing import Any

import jinja2
from jinja2 import nodes
from jinja2.sandbox import ImmutableSandboxedEnvironment, SecurityError

from .. import variants

# Builtins callable inside templates (implemented by the compiler's evaluator).
TEMPLATE_GLOBALS = ("count", "days", "hours", "minutes", "date", "datetime", "str", "lower", "upper")
# Filters for natural phrasing ("{{ day | either }}"), beside jinja2's own.
TEMPLATE_FILTERS = ("day", "month_day", "long_date", "either", "money", "join_or", "join_and", "city", "text",
                    "number", "options")

MAX_TEXT = 100_000  # characters (or items) of any value a template builds
MAX_POWER_BITS = 4_096  # size of the result of `**`
MAX_RANGE = 10_000  # items of one range()
MAX_LOOP_ITEMS = 100_000  # loop items iterated in one rendering
_LOOP = "__writ_loop_items"
_CONCAT = "__writ_concat"
# jinja2 globals a scenario has no use for and that could build large values or mutable state.
_DROPPED_GLOBALS = ("lipsum", "cycler", "joiner", "namespace")

_budget: ContextVar[list[int]] = ContextVar("template_loop_budget")


class TemplateLimit(SecurityError):
    """A template asked for more than the sandbox allows."""


def _size(value: Any) -> int:
    return len(value) if isinstance(value, (str, bytes, list, tuple, dict, set, frozenset)) else 0


def _check_size(value: Any, what: str) -> Any:
    if _size(value) > MAX_TEXT:
        raise TemplateLimit(f"{what} would have over {MAX_TEXT:,} characters or items")
    return value


def _check_int(value: Any, what: str) -> None:
    if isinstance(value, int) and not isinstance(value, bool) and abs(value) > MAX_TEXT:
        raise TemplateLimit(f"{what} {value} is over the limit of {MAX_TEXT:,}")


def _power(left: Any, right: Any) -> Any:
    if isinstance(left, (int, float)) and isinstance(right, (int, float)) and abs(left) > 1 and right > 0:
        bits = right * math.log2(abs(left))
        if bits > MAX_POWER_BITS:
            raise TemplateLimit(f"`**` would give a number of about {bits:,.0f} bits (the limit is {MAX_POWER_BITS:,})")
    return left**right


def _times(left: Any, right: Any) -> Any:
    for sized, count in ((left, right), (right, left)):
        if _size(sized) and isinstance(count, int) and _size(sized) * count > MAX_TEXT:
            raise TemplateLimit(f"repetition would give over {MAX_TEXT:,} characters or items")
    if isinstance(left, int) and isinstance(right, int) and left.bit_length() + right.bit_length() > MAX_POWER_BITS:
        raise TemplateLimit(f"`*` would give a number over {MAX_POWER_BITS:,} bits")
    return left * right


def _plus(left: Any, right: Any) -> Any:
    if _size(left) + _size(right) > MAX_TEXT:
        raise TemplateLimit(f"`+` would give over {MAX_TEXT:,} characters or items")
    return left + right


def _modulo(left: Any, right: Any) -> Any:
    if isinstance(left, str):
        _check_widths(left)
    return _check_size(left % right, "`%` formatting")


def _check_widths(fmt: str) -> None:
    digits = ""
    for char in fmt + " ":
        if char.isdigit():
            digits += char
            continue
        if digits and int(digits) > MAX_TEXT:
            raise TemplateLimit(f"a format width of {digits} is over the limit of {MAX_TEXT:,}")
        digits = ""


_NESTED_FIELD = re.compile(r"\{[^{}]*:[^{}]*\{")

_BINOPS: dict[str, Callable[[Any, Any], Any]] = {"**": _power, "*": _times, "+": _plus, "%": _modulo}


def _loop_items(items: Any) -> Iterator[Any]:
    """A loop's items, counted against the rendering's budget."""
    budget = _budget.get(None)
    for item in items:
        if budget is not None:
            budget[0] -= 1
            if budget[0] < 0:
                raise TemplateLimit(f"the template iterates over {MAX_LOOP_ITEMS:,} loop items")
        yield item


def _concat(*parts: Any) -> str:
    texts = [str(part) for part in parts]
    if sum(map(len, texts)) > MAX_TEXT:
        raise TemplateLimit(f"`~` would give over {MAX_TEXT:,} characters")
    return "".join(texts)


def _check_replace(text: Any, old: Any, new: Any) -> None:
    if isinstance(text, str) and isinstance(old, str) and isinstance(new, str):
        count = text.count(old) if old else len(text) + 1
        if len(text) + count * (len(new) - len(old)) > MAX_TEXT:
            raise TemplateLimit(f"replace() would give over {MAX_TEXT:,} characters")


def _check_join(separator: Any, items: Any) -> None:
    if isinstance(separator, str) and isinstance(items, (list, tuple)):
        if len(separator) * len(items) + sum(map(_size, items)) > MAX_TEXT:
            raise TemplateLimit(f"join() would give over {MAX_TEXT:,} characters")


# The methods of a string a template may call; the others (padding, tabs, translate) could build huge text.
_STR_METHODS = frozenset({
    "capitalize", "casefold", "count", "endswith", "find", "format", "format_map", "index", "isalnum", "isalpha", "isdecimal",
    "isdigit", "islower", "isnumeric", "isspace", "istitle", "isupper", "join", "lower", "lstrip", "partition",
    "removeprefix", "removesuffix", "replace", "rfind", "rindex", "rpartition", "rsplit", "rstrip", "split",
    "splitlines", "startswith", "strip", "swapcase", "title", "upper",
})
# jinja2 filters that take a width or a count of their own.
_SIZED_FILTERS = frozenset({"center", "indent", "wordwrap", "truncate", "batch", "slice", "urlize"})


def _range(*args: int) -> range:
    for value in args:
        _check_int(value, "a range bound")
    items = range(*args)
    if len(items) > MAX_RANGE:
        raise TemplateLimit(f"range() of {len(items):,} items (the limit is {MAX_RANGE:,})")
    return items


def _bounded_filter(name: str, function: Callable[..., Any]) -> Callable[..., Any]:
    """A jinja2 filter whose numeric arguments and result stay under the limits."""

    @wraps(function)
    def bounded(*args: Any, **kwargs: Any) -> Any:
        for value in (*args, *kwargs.values()):
            _check_size(value, f"an argument of `{name}`")
            if name in _SIZED_FILTERS:
                _check_int(value, f"an argument of `{name}`")
            if name == "format" and isinstance(value, str):
                _check_widths(value)
        if name == "replace" and len(args) >= 3:
            _check_replace(*args[-3:])
        return _check_size(function(*args, **kwargs), f"the result of `{name}`")

    return bounded


class _Loops(jinja2.visitor.NodeTransformer):
    """Routes every loop's items through the budget and every `~` through the size check."""

    def visit_For(self, node: nodes.For) -> nodes.Node:
        node = self.generic_visit(node)
        node.iter = nodes.Call(nodes.Name(_LOOP, "load"), [node.iter], [], None, None, lineno=node.lineno)
        return node

    def visit_Concat(self, node: nodes.Concat) -> nodes.Node:
        node = self.generic_visit(node)
        return nodes.Call(nodes.Name(_CONCAT, "load"), list(node.nodes), [], None, None, lineno=node.lineno)


class _BudgetTemplate(jinja2.Template):
    def render(self, *args: Any, **kwargs: Any) -> str:
        token = _budget.set([MAX_LOOP_ITEMS])
        try:
            return _check_size(super().render(*args, **kwargs), "the rendered text")
        finally:
            _budget.reset(token)


class Sandbox(ImmutableSandboxedEnvironment):
    """The immutable sandbox with size limits (see the module's docstring)."""

    intercepted_binops = frozenset(_BINOPS)
    template_class = _BudgetTemplate

    def call_binop(self, context: jinja2.runtime.Context, operator: str, left: Any, right: Any) -> Any:
        if operator in _BINOPS:
            return _BINOPS[operator](left, right)
        return super().call_binop(context, operator, left, right)

    def call(__self, __context: jinja2.runtime.Context, __obj: Any, *args: Any, **kwargs: Any) -> Any:  # noqa: N805
        for value in (*args, *kwargs.values()):
            _check_size(value, "an argument")
        method = getattr(__obj, "__wrapped__", __obj)  # the sandbox wraps str.format
        owner = getattr(method, "__self__", None)
        if isinstance(owner, str):
            _check_str_method(owner, getattr(method, "__name__", "?"), (*args, *kwargs.values()))
        return _check_size(super().call(__context, __obj, *args, **kwargs), "a call")

    def _parse(self, source: str, name: str | None, filename: str | None) -> nodes.Template:
        try:
            tree = super()._parse(source, name, filename)
        except ValueError as exc:  # jinja2's lexer converting a number of thousands of digits
            raise jinja2.TemplateSyntaxError(f"a number in the template cannot be read ({exc})", 1) from None
        except RecursionError:
            raise jinja2.TemplateSyntaxError("the template is nested too deeply", 1) from None
        return _Loops().visit(tree)


def _check_str_method(text: str, name: str, args: tuple[Any, ...]) -> None:
    if name not in _STR_METHODS:
        raise TemplateLimit(f"str.{name}() is not available in templates")
    if name in ("format", "format_map"):
        _check_widths(text)
        if _NESTED_FIELD.search(text):  # a width given as an argument: "{:{}}"
            for value in args:
                _check_int(value, "a format width")
    elif name == "replace" and len(args) >= 2:
        _check_replace(text, args[0], args[1])
    elif name == "join" and args:
        _check_join(text, list(args[0]) if isinstance(args[0], (list, tuple)) else args[0])


def _unregistered(*_: Any) -> Any:
    raise RuntimeError("template functions are implemented by writ_dsl.compiler.render")


@cache
def environment() -> Sandbox:
    """The sandbox every user template parses and renders in (one per process)."""
    env = Sandbox(undefined=jinja2.StrictUndefined, autoescape=False, keep_trailing_newline=False)
    for name in _DROPPED_GLOBALS:
        env.globals.pop(name, None)
    env.globals.update({"range": _range, _LOOP: _loop_items, _CONCAT: _concat, variants.CHOICES: ()})
    env.filters.update({name: _bounded_filter(name, f) for name, f in env.filters.items()})
    env.globals.update(dict.fromkeys(TEMPLATE_GLOBALS, _unregistered))
    env.filters.update(dict.fromkeys(TEMPLATE_FILTERS, _unregistered))
    return env


def register(filters: Mapping[str, Callable[..., Any]], globals_: Mapping[str, Callable[..., Any]],
             finalize: Callable[[Any], Any]) -> Sandbox:
    """Install the compiler's filters, global functions and value finalizer; returns the environment."""
    if set(filters) != set(TEMPLATE_FILTERS) or set(globals_) != set(TEMPLATE_GLOBALS):
        raise ValueError("template functions must implement exactly TEMPLATE_FILTERS and TEMPLATE_GLOBALS")
    env = environment()
    env.filters.update({name: _bounded_filter(name, f) for name, f in filters.items()})
    env.globals.update(globals_)
    env.finalize = finalize
    return env


def template_source(text: str) -> str:
    """A user text field as the jinja2 template it stands for: its alternations (``[a|b]``, see
    :mod:`writ_dsl.variants`) become choices read from the render context. A text whose alternations do
    not parse is left as written (the checks report it: ``alternation-syntax``)."""
    try:
        return variants.to_jinja(text)
    except variants.AlternationError:
        return text


def parse(text: str) -> nodes.Template:
    """A template's syntax tree; raises ``jinja2.TemplateSyntaxError`` (also when nested too deeply)."""
    found = parsed(text)
    if isinstance(found, jinja2.TemplateSyntaxError):
        raise jinja2.TemplateSyntaxError(found.message or "", found.lineno, found.name, found.filename)
    return found


@lru_cache(maxsize=4096)
def parsed(text: str) -> nodes.Template | jinja2.TemplateSyntaxError:
    """A template's syntax tree in the shared environment, or its syntax error: parsed once per text and
    process, as specs repeat their wordings. The tree is shared: read it, never change it."""
    try:
        return environment().parse(text)
    except RecursionError:
        return jinja2.TemplateSyntaxError("the template is nested too deeply", 1)
    except jinja2.TemplateSyntaxError as exc:
        return exc


def names_read(tree: nodes.Template) -> set[str]:
    """The names a template reads and never assigns, found by walking its syntax tree (nothing is
    compiled or evaluated, so no constant is folded)."""
    loaded, stored = set(), set()
    pending: list[nodes.Node] = [tree]
    while pending:
        node = pending.pop()
        if isinstance(node, nodes.Name):
            (loaded if node.ctx == "load" else stored).add(node.name)
        elif isinstance(node, (nodes.Macro, nodes.CallBlock)):
            stored.update(arg.name for arg in node.args)
            stored.add("caller")
            if isinstance(node, nodes.Macro):
                stored.add(node.name)
        pending.extend(node.iter_child_nodes())
    return loaded - stored - {"loop", "varargs", "kwargs"} - set(environment().globals)


def template_names(text: str) -> set[str]:
    """The names a template reads beyond the globals; raises ``jinja2.TemplateSyntaxError``."""
    return set(_names(text))


@lru_cache(maxsize=4096)
def _names(text: str) -> frozenset[str]:
    return frozenset(names_read(parse(text)))  # a syntax error is raised, and not cached


def filters_and_tests(tree: nodes.Template) -> tuple[frozenset[str], frozenset[str]]:
    """The names of the filters and of the tests a template uses."""
    return (frozenset(node.name for node in tree.find_all(nodes.Filter)),
            frozenset(node.name for node in tree.find_all(nodes.Test)))


@lru_cache(maxsize=4096)
def filters_and_tests_of(text: str) -> tuple[frozenset[str], frozenset[str]]:
    """:func:`filters_and_tests` of a template that parses in the shared environment, once per text and process."""
    tree = parsed(text)
    if isinstance(tree, jinja2.TemplateSyntaxError):
        raise ValueError("the template does not parse")
    return filters_and_tests(tree)


def forget() -> None:
    """Empty the per-process caches of template parses (benchmarks: to measure a fresh process)."""
    parsed.cache_clear()
    _names.cache_clear()
    filters_and_tests_of.cache_clear()
