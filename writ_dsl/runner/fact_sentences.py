"""What a careful agent says about a fact the user asked for: the figure, a count, an amount and which way it goes.

Each sentence states the fact's text verbatim, so that verification can find it in the reply.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from typing import Any

from ..env.wording import grouped, humanize, value_text
from ..variants import expand, pick_from

_MONEY_WORDS = ("amount", "price", "total", "cost", "fee", "balance", "refund", "fare", "difference")


FACT_TEMPLATES = ("The {name} is {value}.", "The {name} comes to {value}.", "As for the {name}, it is {value}.",
                  "You asked about the {name}: it is {value}.", "The {name} will be {value}.",
                  "The {name} works out to {value}.", "That puts the {name} at {value}.",
                  "For the {name}, the figure is {value}.", "To answer your question, the {name} is {value}.",
                  "On the {name}: it comes to {value}.", "[You wanted to know|You asked about] the {name}; it's {value}.",
                  "The figure you asked for, the {name}, is {value}.",
                  "[That makes|That gives] {a} {name} of {value}.", "The {name} [adds up to|amounts to|comes out at] {value}.")


def article(noun: str) -> str:
    """ "an" before a vowel sound ("an upgrade cost", "an order total"), else "a"."""
    return "an" if noun[:1].lower() in "aeio" or noun.lower().startswith(("un", "up")) else "a"


def fact_sentence(fact: str, sources: Sequence[Any], label: str | None = None, variant: int = 0) -> str:
    """A sentence that states the fact verbatim, named by the spec's label, or after where it
    shows up in the call data."""
    key = label or next((k for source in sources if (k := _key_of(fact, source)) is not None), None)
    if key is None:
        return expand("[The figure you asked about is|The number you wanted is] {fact}." if fact[:1].isdigit() else
                      "[For your reference|For the record|So you know]: {fact}.", variant).format(fact=fact)
    name = key if label else humanize(key)
    is_money = any(w in key.lower() for w in _MONEY_WORDS) and _is_figure(fact)
    template = pick_from(FACT_TEMPLATES, variant) if label else FACT_TEMPLATES[0]
    return template.format(name=name, a=article(name), value="$" + grouped(fact) if is_money else fact)


COUNT_AHEAD = ("Once this is done, I'll have {text}.", "With this change, I'll have {text} in all.",
               "After this one, I will have {text} altogether.", "That will mean I've {text} in total.",
               "So in the end I'll have {text}.", "[When|Once] [that's|this is] through, I'll have {text}[ in all|].")
COUNT_DONE = ("In all, I've {text}.", "That means I've {text} in total.", "All told, I have {text}.",
              "So I've {text} altogether.", "[To sum up|In total|Altogether], I've {text}.")
COUNT_PLAIN = ("That comes to {text}.", "That makes {text}.", "In all, that's {text}.", "[So|All told], that's {text}.")
COUNT_MANY = {"ahead": COUNT_AHEAD, "done": COUNT_DONE, "plain": COUNT_PLAIN}
# a count of one is not a total: no "in all", "altogether" or "in total"
COUNT_ONE = {"ahead": ("Once this is done, I'll have {text}.", "So in the end I'll have {text}.",
                       "[When|Once] [that's|this is] through, I'll have {text}."),
             "done": ("So I've {text}.", "That means I've {text}.", "[To sum up|So far], I've {text}."),
             "plain": ("That comes to {text}.", "That makes {text}.", "So that's {text}.")}
# A signed amount, then how it is paid (left out when the message's proposal names the method itself).
PAY = (("You would pay {value} for the {name}", ", charged to {method}"),
       ("The {name} is {value}, which you pay", "; it goes on {method}"),
       ("You'll be charged {value} for the {name}", ", on {method}"),
       ("That means paying {value} more ({name})", ", taken from {method}"),
       ("The {name} is {value} for you to pay", ", and {method} covers it"),
       ("[You'd owe|You would owe|It would cost you] {value} [as the|for the] {name}",
        ", [charged to|billed to|paid with] {method}"),
       ("[There's|There is] {a} {name} of {value} [to pay|for you to pay]", ", [which goes on|charged to] {method}"))
REFUND = (("You would get {value} back as the {name}", ", refunded to {method}"),
          ("The {name} is {value} in your favour", "; it goes back to {method}"),
          ("You'll be refunded {value} ({name})", ", back to {method}"),
          ("That means {value} comes back to you ({name})", ", on {method}"),
          ("The {name} works out to a refund of {value}", ", paid back to {method}"),
          ("[You'd get|You would receive|You'll get] {value} back [as the|for the] {name}",
           ", [refunded to|returned to|credited to] {method}"),
          ("[There's|There is] {a} {name} of {value} [in your favour|owed to you]",
           ", [refunded to|which goes back to] {method}"))


def count_sentence(text: str, done: bool, variant: int = 0) -> str:
    """A count fact told in its own words: "Once this is done, I'll have cancelled 2 reservations."."""
    kind = "plain" if not re.match(r"^[a-z]+ed \d", text) else "done" if done else "ahead"
    frames = (COUNT_ONE if re.search(r"(^|\s)1 [a-z]", text) else COUNT_MANY)[kind]
    return pick_from(frames, variant).format(text=text)


def direction_sentence(fact: str, label: str, direction: str, method: str | None, variant: int = 0,
                       method_said: bool = False) -> str:
    """A signed amount with the way it goes: "You would get $12.50 back as the price difference, refunded to
    your Visa card ending in 1234."; without the method when the message names it elsewhere (``method_said``)."""
    frames = [head + ("" if method_said else tail) + "." for head, tail in (PAY if direction == "pay" else REFUND)]
    method = method or ("the payment method on file" if direction == "pay" else "the original payment method")
    value = "$" + (grouped(fact) if _is_figure(fact) else fact)
    return pick_from(frames, variant).format(name=label, a=article(label), value=value, method=method)


def _is_figure(text: str) -> bool:
    return bool(re.fullmatch(r"-?\d+(\.\d+)?", text))


def _key_of(fact: str, value: Any, key: str | None = None) -> str | None:
    if isinstance(value, dict):
        return next((k for name, v in value.items() if (k := _key_of(fact, v, name)) is not None), None)
    if isinstance(value, list):
        return next((k for v in value if (k := _key_of(fact, v, key)) is not None), None)
    if key is None:
        return None
    text = value_text(value)
    return key if text == fact or (_is_figure(fact) and _is_figure(text) and float(text) == float(fact)) else None


def parse_result(content: str | None) -> Any:
    try:
        return json.loads(content or "")
    except ValueError:
        return content
