"""The scripted user: plays a task's scenario and behavior profile without a model.

Every reply is a function of the conversation: what the agent last said
(a question for facts, a request for confirmation, a closing), what the user
already said, and the profile (``opening``, ``disclosure``, ``changes_mind``,
``impatient``, ``policy_probe``, ``verbosity``). Wording comes from the banks
of :mod:`writ_dsl.runner.user_phrases`, each slot (greeting, connector, fact,
confirmation, aside) chosen by its own hash of the task id, the slot and the
turn, so that instances of one template read differently. The style shows over
the whole dialogue: a chatty user keeps adding asides, an impatient one keeps
pressing.
"""

from __future__ import annotations

import re
from typing import Any

from .. import variants
from ..compiler.model import CompiledTask
from . import user_phrases as bank
from .messages import OUT_OF_SCOPE, STOP, TRANSFER, Conversation, Message, last_text, texts
from .phrasing import (asks_confirmation, asks_for, data_words, first_person_request, flip_person, is_closing, is_transfer,
                       join_parts, key_words, mentions_value, pick, probe_request, repeats, sentences, stable_int,
                       value_text, words)

_NO_INFO = frozenset(said for wording in bank.NO_INFO for said in variants.every(wording))
_REFUSED = re.compile(r"\b(not able to|unable to)\b[^.]*\bpolicy\b", re.I)
_NEGATED = re.compile(r"\b(cannot|can't|not be)\b", re.I)  # "the order cannot be cancelled"
_PERSONA_NAME = re.compile(r"^You are ([A-Z][\w'-]+(?: [A-Z][\w'-]+)+)")


class ScriptedUser:
    def __init__(self, task: CompiledTask) -> None:
        self.task = task
        self.scenario = task.user_scenario
        self.settings: dict[str, Any] = dict(task.behavior.settings) if task.behavior else {}

    # ------------------------------------------------------------------ settings
    @property
    def style(self) -> str:
        return "impatient" if self.settings.get("impatient") else str(self.settings.get("verbosity", "normal"))

    @property
    def disclosure(self) -> str:
        return str(self.settings.get("disclosure", "upfront"))

    @property
    def vague(self) -> bool:
        return self.settings.get("opening") == "vague"

    def _pick(self, options: Any, *slot: object) -> Any:
        return pick(options, self.task.id, *slot)

    def _chance(self, percent: int, *slot: object) -> bool:
        return stable_int(self.task.id, "chance", *slot) % 100 < percent

    # ---------------------------------------------------------------- the turn
    def next_message(self, conversation: Conversation) -> Message:
        turn = len(texts(conversation, "user"))
        agent = last_text(conversation, "assistant")
        if turn == 0:
            return self._say(self._opening())
        if is_transfer(agent):
            return self._say(TRANSFER)
        if is_closing(agent):
            return self._say(f"{self._unsaid(bank.STOP, conversation, 'stop', turn)} {STOP}")
        return self._say(self._with_style(self._answer(conversation, agent or "", turn), turn, conversation))

    def _answer(self, conv: Conversation, agent: str, turn: int) -> str:
        parts = []
        probe = self.settings.get("policy_probe")
        if probe and _REFUSED.search(agent):
            parts.append(self._pick(bank.ACCEPT_REFUSAL, "accept", turn))
        if asks_confirmation(agent) and not (self.vague and turn == 1):
            first = sum(1 for t in texts(conv, "assistant") if asks_confirmation(t)) == 1
            doubt = self.settings.get("changes_mind") and first
            parts.append(self._doubt(turn) if doubt else self._confirm(conv, agent, turn))
            return " ".join(parts)
        parts += self._details(conv, agent, turn)
        return " ".join(parts) if parts else self._nothing_to_add(conv, agent, turn)

    def _confirm(self, conv: Conversation, agent: str, turn: int) -> str:
        """A yes, a go-ahead that may name what the agent proposed, and a closer in the user's style."""
        thing = self._pick(action_nouns(agent), "thing", turn)
        go = _agreeing(self._choose(bank.GO_AHEAD, "go", turn), thing).format(thing=thing)
        closer = self._unsaid(bank.CONFIRM_CLOSERS, conv, "closer", turn)
        said = join_parts([self._choose(bank.YES, "yes", turn), go, "" if _presses(go) else closer])
        return said[:-1] + "." if said.endswith(",") else said

    def _doubt(self, turn: int) -> str:
        return join_parts([self._pick(bank.DOUBT_LEADS, "doubt", turn), self._pick(bank.DOUBT_ASKS, "doubt-ask", turn)])

    def _with_style(self, text: str, turn: int, conv: Conversation = ()) -> str:
        """A chatty user keeps chatting and an impatient one keeps pressing, on some turns."""
        if self.style == "chatty" and self._chance(40, "aside", turn):
            return f"{text} {self._fresh(bank.ASIDES, conv, 'aside', turn)}"
        if self.style == "impatient" and self._chance(40, "hurry", turn) and not _presses(text):
            return f"{text} {self._pick(bank.HURRY_LATER, 'hurry', turn)}"
        return text

    def _nothing_to_add(self, conv: Conversation, agent: str, turn: int) -> str:
        if "?" not in agent:
            return self._pick(bank.THANKS, "thanks", turn)
        if sum(1 for said in texts(conv, "user") if said in _NO_INFO) >= 2:
            return OUT_OF_SCOPE
        return self._pick(bank.NO_INFO, "no-info", turn)

    def _details(self, conv: Conversation, agent: str, turn: int) -> list[str]:
        stating = self.vague and turn == 1
        parts = [self._request()] if stating else []
        facts = [self._fact(key, turn) for key in self._facts_to_tell(conv, agent, stating)]
        if facts and not stating:
            facts.insert(0, self._pick(bank.FACT_ACKS, "fact-ack", turn))
        parts += [part for part in facts if part]
        if stating and self.settings.get("policy_probe"):
            parts.append(self._probe())
        return parts

    # -------------------------------------------------------------------- facts
    def _facts_to_tell(self, conv: Conversation, agent: str, stating: bool) -> list[str]:
        known = self.scenario.known
        said = " ".join(texts(conv, "user"))
        asked = [k for k in known if asks_for(k, agent)]
        fresh = [k for k in known if not mentions_value(known[k], said)]
        if self.disclosure == "upfront":
            return list(known) if stating else asked
        if self.disclosure == "gradual":
            ordered = [k for k in asked if k in fresh] + asked + (fresh if stating else [])
            return ordered[:1]
        return asked

    def _fact(self, key: str, turn: int = 0) -> str:
        value = value_text(self.scenario.known[key])
        words = " ".join(key_words(key))
        wording = self._pick(bank.FACTS.get(key, bank.FACT_DEFAULT), "fact", key, turn)
        return wording.format(v=value, k=words)

    # ------------------------------------------------------------------ opening
    def _opening(self) -> str:
        if self.vague:
            options = bank.VAGUE.get(self.scenario.domain, bank.VAGUE_DEFAULT)
            vague = self._pick(options, "vague")
            hello = self._pick(bank.GREETINGS["normal"], "vague-hello")
            return " ".join([*self._hurry(), f"{hello} {self._introduction()}".strip(), vague[:1].upper() + vague[1:]])
        request = self._request()
        facts = [k for k in self._opening_facts() if not mentions_value(self.scenario.known[k], request)]
        parts = [*self._hurry(), *self._greeting(request), request, *(self._fact(k) for k in facts)]
        if self.settings.get("policy_probe"):
            parts.append(self._probe())
        return " ".join(p for p in parts if p)

    def _probe(self) -> str:
        return f"{self._pick(bank.PROBE_LEADS, 'probe')} {probe_request(str(self.settings['policy_probe']))}"

    def _introduction(self) -> str:
        """The user's name, as the persona (rendered from the database) gives it; sometimes left out."""
        found = _PERSONA_NAME.match(self.scenario.persona or "")
        if found is None or not (self.vague or self._chance(60, "intro")):
            return ""
        return self._pick(bank.INTRODUCTIONS, "intro").format(name=found.group(1))

    def _opening_facts(self) -> list[str]:
        keys = list(self.scenario.known)
        if self.disclosure == "upfront":
            return keys
        return keys[:1] if self.disclosure == "gradual" else []

    def _greeting(self, request: str) -> list[str]:
        """A hello, maybe a name, maybe the reason for calling: not when the request says it again."""
        if self.style in ("terse", "impatient"):
            return []
        reason = flip_person(" ".join(sentences(self.scenario.reason_for_call)))
        reason = "" if repeats(reason, request, data_words(self.task.params)) else reason
        intro = self._introduction()
        if self.style == "chatty":
            return [self._pick(bank.GREETINGS["chatty"], "hello"), intro, reason, self._pick(bank.ASIDES, "aside")]
        hello = self._pick(bank.GREETINGS["normal"], "hello")
        return [hello, intro, reason] if self._chance(50, "reason") else [hello, intro]

    def _request(self) -> str:
        return first_person_request(self.scenario.task_instructions, self.task.id)

    def _hurry(self) -> list[str]:
        return [self._pick(bank.HURRY, "hurry")] if self.style == "impatient" else []

    # ------------------------------------------------------------------ helpers
    def _choose(self, table: dict[str, tuple[str, ...]], slot: str, turn: int) -> str:
        return self._pick(table.get(self.style, table["normal"]), slot, turn)

    def _unsaid(self, table: dict[str, tuple[str, ...]], conv: Conversation, slot: str, turn: int) -> str:
        """A wording in the user's style that says nothing the user already said (no praise given twice)."""
        return self._fresh(table.get(self.style, table["normal"]), conv, slot, turn)

    def _fresh(self, options: tuple[str, ...], conv: Conversation, *slot: object) -> str:
        said = " ".join(texts(conv, "user"))
        chosen = self._pick(options, *slot)
        return self._pick(unsaid(options, said), *slot) if _trigrams(chosen) & _trigrams(said) else chosen

    def _say(self, text: str) -> Message:
        return Message("user", " ".join(text.split()))


def _trigrams(text: str) -> set[tuple[str, ...]]:
    found = re.findall(r"[a-z']+", text.lower())
    return set(zip(found, found[1:], found[2:]))


def unsaid(options: tuple[str, ...], said: str) -> tuple[str, ...]:
    """The wordings none of whose expansions shares three words in a row with what was said; all when none."""
    heard = _trigrams(said)
    fresh = tuple(o for o in options if not any(_trigrams(e) & heard for e in variants.every(o)))
    return fresh or options


_NOT_ACTIONS = r"paypal\b"  # words that open with an action's stem but name no action ("pay")


def action_nouns(agent: str) -> tuple[str, ...]:
    """The user's words for what the agent proposed: found in the last statement (not a question) of the
    agent's message that names an action outside a negated clause (a warning of what can no longer be
    done is not what is proposed); "it" when none does."""
    for sentence in reversed(sentences(agent)):
        if "?" in sentence:
            continue
        said = "; ".join(clause for clause in sentence.split(";") if not _NEGATED.search(clause))
        found = [(m.start(), nouns) for stem, nouns in bank.ACTION_NOUNS
                 if (m := re.search(rf"\b(?!{_NOT_ACTIONS}){stem}", said, re.I))]
        if found:
            return min(found)[1]
    return ("it",)


_PRESSING = frozenset("quickly hurry fast delays now".split())


def _presses(text: str) -> bool:
    """Whether the turn already ends by pressing ("Hurry."): it is not pressed twice."""
    said = sentences(text)
    return bool(said) and bool(words(said[-1]) & _PRESSING)


_SINGULAR_VERBS = re.compile(r"\{thing\} (is|works|suits)\b")
_PLURAL_OF = {"is": "are", "works": "work", "suits": "suit"}


def _agreeing(template: str, thing: str) -> str:
    """The go-ahead with its verb agreeing with the thing: "the extra bags are fine", "the upgrade is"."""
    last = thing.rsplit(" ", 1)[-1]
    if not (last.endswith("s") and not last.endswith(("ss", "us"))):
        return template
    return _SINGULAR_VERBS.sub(lambda m: "{thing} " + _PLURAL_OF[m.group(1)], template)
