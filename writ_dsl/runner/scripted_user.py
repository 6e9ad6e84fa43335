"""The scripted user: plays a task's scenario and behavior profile without a model.

Every reply is a function of the conversation: what the agent last said
(a question for facts, a request for confirmation, a closing), what the user
already said, and the profile (``opening``, ``disclosure``, ``changes_mind``,
``impatient``, ``policy_probe``, ``verbosity``). Wording comes from several
templates per move, chosen by a hash of the task id and the turn.
"""

from __future__ import annotations

from typing import Any

from ..compiler.model import CompiledTask
from .messages import OUT_OF_SCOPE, STOP, TRANSFER, Conversation, Message, last_text, texts
from .phrasing import (asks_confirmation, asks_for, first_person_request, flip_person, is_closing, is_transfer,
                       key_words, mentions_value, pick, probe_request, sentences, stable_int,
                       value_text)

_VAGUE = {
    "airline": ("Hi, I need some help with a trip.", "Hello, I have a question about my travel plans.",
                "Hi, can you help me with something about a flight?"),
    "retail": ("Hi, I need some help with an order.", "Hello, I have a question about something I bought.",
               "Hi, could you help me with a purchase?"),
}
_VAGUE_DEFAULT = ("Hi, I need some help with my account.", "Hello, I was hoping you could help me with something.")
_ASIDES = ("I've been meaning to sort this out all week.", "It's been a busy month, so thanks for your patience.",
           "My neighbour recommended calling you, by the way.", "I'm writing this between two errands.")
_FACT_WORDING = {
    "user_id": "My user ID is {v}.", "email": "My email is {v}.", "zip": "My zip code is {v}.",
    "card_last_four": "The last four digits of my card are {v}.", "date": "The date is {v}.",
    "flight_number": "The flight number is {v}.", "first_name": "My first name is {v}.",
    "last_name": "My last name is {v}.", "name": "My name is {v}.",
}
_CONFIRM = {
    "terse": ("Yes.", "Yes, go ahead."),
    "normal": ("Yes, please go ahead.", "Yes, that's right. Please proceed.", "Yes, I confirm."),
    "chatty": ("Yes, that all sounds right to me. Please go ahead!",
               "Yes, perfect, thank you so much. Please go ahead."),
    "impatient": ("Yes. Go ahead, quickly please.", "Yes, just do it."),
}
_DOUBT = ("Hmm, before I say yes, could you double-check whether there is a better option?",
          "Wait, is that really the best choice for me? Could you look at the alternatives once more?",
          "I'm not completely sure. Could you consider the other options and check again?")
_STOP = {
    "terse": ("No. Thanks.", "That's all."),
    "normal": ("No, that's all. Thank you!", "That's everything, thanks for your help."),
    "chatty": ("No, that's everything! Thanks so much for your help, have a lovely day.",
               "Nope, that's all I needed. You've been very helpful, thank you!"),
    "impatient": ("No, that's it.", "No. Done, thanks."),
}
_ACCEPT_REFUSAL = ("Okay, I understand.", "Fair enough, no problem.", "Alright, I had to ask.")
_NO_INFO = "I'm sorry, I don't have that information."
_HURRY = ("I'm in a hurry, so let's be quick.", "I don't have much time.", "Quickly please, I'm short on time.")


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

    # ---------------------------------------------------------------- the turn
    def next_message(self, conversation: Conversation) -> Message:
        turn = len(texts(conversation, "user"))
        agent = last_text(conversation, "assistant")
        if turn == 0:
            return self._say(self._opening())
        if is_transfer(agent):
            return self._say(TRANSFER)
        if is_closing(agent):
            return self._say(f"{self._choose(_STOP, turn)} {STOP}")
        return self._say(self._answer(conversation, agent or "", turn))

    def _answer(self, conv: Conversation, agent: str, turn: int) -> str:
        parts = []
        if self.settings.get("policy_probe") and turn == 1:
            parts.append(pick(_ACCEPT_REFUSAL, self.task.id, "accept", turn))
        if asks_confirmation(agent) and not (self.vague and turn == 1):
            first = sum(1 for t in texts(conv, "assistant") if asks_confirmation(t)) == 1
            doubt = self.settings.get("changes_mind") and first
            parts.append(pick(_DOUBT, self.task.id, turn) if doubt else self._choose(_CONFIRM, turn))
            return " ".join(parts)
        parts += self._details(conv, agent, turn)
        return " ".join(parts) if parts else self._nothing_to_add(conv, agent)

    def _nothing_to_add(self, conv: Conversation, agent: str) -> str:
        if "?" not in agent:
            return "Okay, thank you."
        if texts(conv, "user").count(_NO_INFO) >= 2:
            return OUT_OF_SCOPE
        return _NO_INFO

    def _details(self, conv: Conversation, agent: str, turn: int) -> list[str]:
        stating = self.vague and turn == 1
        parts = [self._request()] if stating else []
        parts += [self._fact(key) for key in self._facts_to_tell(conv, agent, stating)]
        if stating and self.style == "chatty":
            parts.insert(0, pick(_ASIDES, self.task.id, "aside", turn))
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

    def _fact(self, key: str) -> str:
        value = value_text(self.scenario.known[key])
        wording = _FACT_WORDING.get(key, "My " + " ".join(key_words(key)) + " is {v}.")
        return wording.format(v=value)

    # ------------------------------------------------------------------ opening
    def _opening(self) -> str:
        if self.vague:
            options = _VAGUE.get(self.scenario.domain, _VAGUE_DEFAULT)
            return " ".join(self._hurry() + [pick(options, self.task.id, "vague")])
        request = self._request()
        facts = [k for k in self._opening_facts() if not mentions_value(self.scenario.known[k], request)]
        parts = [*self._hurry(), *self._greeting(), request, *(self._fact(k) for k in facts)]
        probe = self.settings.get("policy_probe")
        if probe:
            parts.append("Also, before we go on, " + probe_request(str(probe)))
        return " ".join(p for p in parts if p)

    def _opening_facts(self) -> list[str]:
        keys = list(self.scenario.known)
        if self.disclosure == "upfront":
            return keys
        return keys[:1] if self.disclosure == "gradual" else []

    def _greeting(self) -> list[str]:
        if self.style in ("terse", "impatient"):
            return []
        reason = flip_person(" ".join(sentences(self.scenario.reason_for_call)))
        if self.style == "chatty":
            return ["Hi there, hope you're having a good day!", reason, pick(_ASIDES, self.task.id, "aside")]
        hello = pick(("Hi!", "Hello.", "Hi there."), self.task.id, "hello")
        return [hello, reason] if stable_int(self.task.id, "reason") % 2 else [hello]

    def _request(self) -> str:
        return first_person_request(self.scenario.task_instructions)

    def _hurry(self) -> list[str]:
        return [pick(_HURRY, self.task.id, "hurry")] if self.style == "impatient" else []

    # ------------------------------------------------------------------ helpers
    def _choose(self, table: dict[str, tuple[str, ...]], turn: int) -> str:
        return pick(table.get(self.style, table["normal"]), self.task.id, "move", turn)

    def _say(self, text: str) -> Message:
        return Message("user", " ".join(text.split()))

