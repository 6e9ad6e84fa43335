"""The oracle agent: a careful, competent agent that knows the task's reference solution.

It greets, asks for the facts it needs, makes the task's calls in order (one
per turn), states what it found and asks for a yes before each change, makes
the change, tells the user every fact to communicate, and closes. Its state is
read from the conversation alone, so the same object can answer any request
(also over HTTP, see :mod:`writ_dsl.runner.loopback`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from collections.abc import Mapping

from .. import variants
from ..compiler.model import CompiledTask, PlannedCall, TaskFact
from ..env.core import Tool, canonical_json
from ..env.key_order import in_model_order
from ..env.registry import find_domain
from ..env.wording import Namer
from .messages import Conversation, Message, ToolCall, tool_exchanges
from . import agent_phrases as bank
from .phrasing import (asks_confirmation, compose, first_fitting, is_affirmative, is_closing, join_parts,
                       join_words, key_words, mentions_value, pick, probe_refusal, probe_request, stable_int)
from .fact_sentences import count_sentence, direction_sentence, fact_sentence, parse_result
from .summaries import (chose_record, chosen_record, completion, deciding_read, decision_sentence, evidence_sentence,
                        findings, named_ids, namer, names_from, phrasing_of, proposal, shown_comparison)
from .verify import states

MAX_ASKS = 3  # asks for missing facts before going on with what the user gave

_KEY_PHRASES = {
    "user_id": "your user ID", "email": "the email address on your account", "zip": "your zip code",
    "first_name": "your first name", "last_name": "your last name", "name": "your full name",
    "card_last_four": "the last four digits of your card", "reservation_id": "the reservation ID",
    "order_id": "the order ID", "flight_number": "the flight number", "date": "the travel date",
    "reason": "the reason for your request",
}
def fact_phrase(key: str) -> str:
    """How the agent asks for a fact; it always contains the key's words."""
    return _KEY_PHRASES.get(key, "your " + " ".join(key_words(key)))


@dataclass
class Progress:
    """What the conversation shows of the work so far."""

    done: set[int] = field(default_factory=set)  # indexes of the plan calls completed
    fresh_writes: list[tuple[PlannedCall, Any]] = field(default_factory=list)  # since the last text to the user
    first_call_at: int | None = None
    results: dict[str, Any] = field(default_factory=dict)  # plan node -> its result, as the conversation shows it,
    # in the order the calls were made
    names: dict[str, str] = field(default_factory=dict)  # id -> name, from every result seen

    @property
    def name(self) -> Namer:
        return namer(self.names)


def domain_tools(env_name: str) -> Mapping[str, Tool]:
    """The tools (with their wording) of a domain found on the default search path; none when not found."""
    domain, _ = find_domain(env_name)
    return domain.tools if domain is not None else {}


_CREATING = ("book_", "create_", "send_", "place_")  # writes that make something new: no "That change is made."
_OWN_LEAD = re.compile(r"[A-Z][^.!?:]{0,30}: ")  # a sentence that opens with its own "All done: "


def led_notes(notes: list[str], lead: str) -> list[str]:
    """Completions after the agent's lead ("Done."), unless the first opens with a lead of its own: "Done. All
    done: reservation X is updated" says it twice."""
    return notes if not notes or _OWN_LEAD.match(notes[0]) else [lead, *notes]


def _refers_back(shown: tuple[int, str], before: tuple[int, str] | None, reasoned: bool) -> bool:
    """A decision can refer back to one said before it: a reason ("Next, ...") to any count of the same
    candidates, a ranking ("the same 4 orders") only to the very count it names."""
    return before is not None and (before[1] == shown[1] if reasoned else before == shown)


class OracleAgent:
    def __init__(self, task: CompiledTask, tools: Mapping[str, Tool] | None = None) -> None:
        self.task = task
        self.tools = tools if tools is not None else domain_tools(task.env)
        self.plan = task.plan
        self.nodes = {call.node: call for call in task.plan}
        self._step_keys = [(call.tool, canonical_json(call.arguments)) for call in task.plan]
        self.settings = task.behavior.settings if task.behavior else {}

    # ---------------------------------------------------------------- the turn
    def next_message(self, conversation: Conversation) -> Message:
        if not any(m.role == "assistant" for m in conversation):
            return self._say(compose((bank.salutations(prompt_hour(conversation)), bank.OFFERS), self.task.id,
                                     "greeting"))
        progress = self.progress(conversation)
        if conversation[-1].role == "user":
            reply = self._reply(conversation, progress)
            if reply is not None:
                return reply
        return self._continue(conversation, progress)

    def _reply(self, conv: Conversation, progress: Progress) -> Message | None:
        probe = self.settings.get("policy_probe")
        if probe and self._was_asked(conv, str(probe)):
            return self._say(self._refusal(conv, probe))
        if progress.first_call_at is None and self._needs_info(conv):
            return self._say(self._ask(conv))
        step = self.next_step(conv, progress)
        hesitant = self._awaiting_yes(conv) and not is_affirmative(conv[-1].text)
        if step is not None and step.kind == "write" and hesitant:
            recheck = self._recheck(step, progress)
            if recheck is not None:
                return self._call(conv, recheck)
            return self._say(self._proposal(conv, progress, step, again=True, looked_again=False))
        if step is None and is_closing(_last_agent_text(conv)):
            return self._say(f"{pick(bank.GOODBYES, *self._key(conv, 'bye'))} Have a great day!")
        return None

    def _continue(self, conv: Conversation, progress: Progress) -> Message:
        step = self.next_step(conv, progress)
        if step is None:
            return self._say(self._closing(conv, progress))
        if step.kind == "write" and not self._confirmed(conv):
            return self._say(self._proposal(conv, progress, step, again=self._rechecked(conv)))
        return self._call(conv, step)

    def _was_asked(self, conv: Conversation, probe: str) -> bool:
        """The user made the forbidden request in their last message, and it has not been refused yet."""
        asked = probe_request(probe).lower() in conv[-1].text.lower()
        return asked and not any(probe_refusal(probe) in m.text for m in conv if m.role == "assistant")

    def _recheck(self, step: PlannedCall, progress: Progress) -> PlannedCall | None:
        """The lookup to run again when the user doubts a proposal: the one that showed the option chosen among
        several (a flight, a variant). None when the change chose no option (an address, the one reservation,
        the order it is made to): looking the same record up again would answer nothing, so the doubt is
        answered from what is known."""
        reads = self._reads(step, progress)
        if chose_record(step.arguments, reads, self.tools):
            return None
        deciding = deciding_read(step.arguments, reads, self.tools)
        shown = [n for n in step.evidence if n in self.nodes and n in progress.results]
        return self.nodes[shown[deciding]] if deciding is not None else None

    @staticmethod
    def _rechecked(conv: Conversation) -> bool:
        """The user doubted the last proposal and a lookup has run since."""
        last_user = max((i for i, m in enumerate(conv) if m.role == "user"), default=-1)
        asked = max((i for i, m in enumerate(conv[:last_user]) if m.role == "assistant" and m.is_text), default=-1)
        doubted = asked >= 0 and asks_confirmation(conv[asked].text) and not is_affirmative(conv[last_user].text)
        return doubted and any(m.role == "tool" for m in conv[last_user + 1:])

    # ------------------------------------------------------------ reading state
    def progress(self, conv: Conversation) -> Progress:
        progress = Progress()
        last_text_at = max((i for i, m in enumerate(conv) if m.role == "assistant" and m.is_text), default=-1)
        for index, call, answer in tool_exchanges(conv):
            progress.first_call_at = index if progress.first_call_at is None else progress.first_call_at
            if answer is None or answer.error or call.arguments is None:
                continue
            key = (call.name, canonical_json(call.arguments))
            match = next((i for i, k in enumerate(self._step_keys) if i not in progress.done and k == key), None)
            if match is None:
                continue
            progress.done.add(match)
            result = parse_result(answer.content)
            progress.results[self.plan[match].node] = result
            progress.names.update(names_from([(call.name, result)], self.tools))
            if self.plan[match].kind == "write" and index > last_text_at:
                progress.fresh_writes.append((self.plan[match], result))
        return progress

    def next_step(self, conv: Conversation, progress: Progress) -> PlannedCall | None:
        """The next call: the next write, or first a lookup before it, preferring one whose arguments the
        conversation already shows (so every value the agent uses has a source)."""
        pending = [step for i, step in enumerate(self.plan) if i not in progress.done]
        if not pending:
            return None
        cut = next((k for k, step in enumerate(pending) if step.kind == "write"), len(pending))
        lookups = pending[:cut]
        if not lookups:
            return pending[cut]
        seen = " ".join(m.text for m in conv if m.role in ("user", "tool"))
        return next((step for step in lookups if mentions_value(step.arguments, seen)), lookups[0])

    def missing_facts(self, conv: Conversation) -> list[str]:
        said = " ".join(m.text for m in conv if m.role == "user")
        return [key for key, value in self.task.user_scenario.known.items() if not mentions_value(value, said)]

    def _needs_info(self, conv: Conversation) -> bool:
        asks = sum(1 for m in conv if m.role == "assistant" and m.is_text) - 1
        if asks >= MAX_ASKS:
            return False
        return self._needs_details(conv) or bool(self.missing_facts(conv))

    def _needs_details(self, conv: Conversation) -> bool:
        return self.settings.get("opening") == "vague" and sum(1 for m in conv if m.role == "user") == 1

    def _confirmed(self, conv: Conversation) -> bool:
        """A yes to the last proposal, with no change made since (so a failed attempt is simply retried)."""
        asked = max((i for i, m in enumerate(conv) if m.role == "assistant" and m.is_text), default=-1)
        if asked < 0 or not asks_confirmation(conv[asked].text):
            return False
        replies = [m for m in conv[asked + 1:] if m.role == "user"]
        writes = {step.tool for step in self.plan if step.kind == "write"}
        changed = any(index > asked and answer is not None and not answer.error and call.name in writes
                      for index, call, answer in tool_exchanges(conv))
        return bool(replies) and is_affirmative(replies[0].text) and not changed

    @staticmethod
    def _awaiting_yes(conv: Conversation) -> bool:
        last = max((i for i, m in enumerate(conv) if m.role == "assistant"), default=-1)
        return last >= 0 and conv[last].is_text and asks_confirmation(conv[last].text)

    # ----------------------------------------------------------------- messages
    @staticmethod
    def _say(text: str) -> Message:
        return Message("assistant", " ".join(text.split()))

    def _call(self, conv: Conversation, step: PlannedCall) -> Message:
        digest = stable_int(self.task.id, len(conv), step.node, step.tool)
        tool = self.tools.get(step.tool)  # arguments in the order the tool declares them, as models write them
        arguments = dict(in_model_order(step.arguments, tool.params) if tool is not None else step.arguments)
        call = ToolCall(f"call_{digest:016x}", step.tool, arguments)
        return Message("assistant", None, (call,))

    def _key(self, conv: Conversation, move: str) -> tuple[str, str, int]:
        return (self.task.id, move, len(conv))

    def _refusal(self, conv: Conversation, probe: str) -> str:
        key = self._key(conv, "no")
        missing = join_words([fact_phrase(k) for k in self.missing_facts(conv)])
        parts = [f"{pick(bank.REFUSAL_OPENERS, *key)} {probe_refusal(probe)}{pick(bank.REFUSAL_REASONS, *key, 'why')}",
                 pick(bank.REFUSAL_RESTS, *key)]
        if missing:
            parts.append(pick(bank.ASK_FRAMES, *key, "frame").format(what=missing))
        return join_parts(parts)

    def _ask(self, conv: Conversation) -> str:
        key = self._key(conv, "ask")
        if self._needs_details(conv):
            return compose((bank.DETAIL_ACKS, bank.DETAIL_ASKS), *key)
        missing = join_words([fact_phrase(k) for k in self.missing_facts(conv)])
        if not missing:
            return ""
        if sum(1 for m in conv if m.role == "assistant" and m.is_text) > 1:
            return compose((bank.THANKS, [f.format(what=missing) for f in bank.ASK_MORE]), *key)
        return compose((bank.ASK_ACKS, [f.format(what=missing) for f in bank.ASK_FRAMES]), *key)

    def _question(self, conv: Conversation, key: tuple[object, ...], lead: str = "") -> str:
        """A confirmation request; it may address the user by first name once the profile has shown it. Its
        condition does not open with the word the proposal's lead opened with ("Given that, I'd ... Given all
        that, ...")."""
        name = user_first_name(conv)
        conditions = [c.format(name=name) for c in bank.CONFIRM_CONDITIONS if name or "{name}" not in c]
        conditions = [c for c in conditions if _first_word(lead) not in _first_words(c)]
        slots = (conditions, bank.CONFIRM_QUESTIONS, bank.CONFIRM_TAILS)
        return first_fitting(  # not "If you're happy with that, shall I go ahead with that?"
            lambda attempt: compose(slots, *key, "confirm", *((attempt,) if attempt else ())),
            lambda question: len(re.findall(r"\bthat\b", question, re.I)) < 2)

    def _proposal(self, conv: Conversation, progress: Progress, step: PlannedCall, again: bool,
                  looked_again: bool = True) -> str:
        """The proposal of ``step``; ``again``: once more, after the user doubted it (``looked_again``: a
        lookup was run again since, else the doubt is answered from what is known)."""
        key = self._key(conv, "propose")
        action = proposal(step.tool, step.arguments, self.tools, progress.name, list(progress.results.values()))
        figures = self._figures(conv, step, progress, action)
        if again:
            leads, same = (bank.RECHECK_LEADS, bank.RECHECK_SAME) if looked_again else \
                (bank.REASSURE_LEADS, bank.REASSURE_SAME)
            decision = self._decision(step, progress, said=" ".join(figures))
            return join_parts([pick(leads, *key), decision or pick(same, *key),
                               *figures, pick(bank.RECHECK_ACTIONS, *key).format(action=action),
                               self._question(conv, key)])
        notes = self._notes(conv, progress)
        evidence = evidence_sentence(self._new_evidence(step), self.tools, stable_int(*key, "evidence"),
                                     first=not any(self.plan[i].kind == "write" for i in progress.done))
        results = self._new_results(step, progress)
        chosen = chose_record(step.arguments, self._reads(step, progress), self.tools) and bool(
            findings(step.arguments, results, self.tools))
        decision = "" if self._changed_again(step, progress) else self._decision(
            step, progress, brief=chosen, said=" ".join([evidence, *figures, action]))
        found = findings(step.arguments, results, self.tools, progress.name,
                         before=" ".join([evidence, decision if chosen else ""]))
        name = user_first_name(conv)
        thanks = [pick(bank.NAME_ACKS, *key, "name").format(name=name)] if name and not notes else []
        told = [decision, *found] if chosen else [*found, decision]
        if self._first_of_statement(step):
            told.append(self._passed_over([step.statement], key))
        lead = proposal_lead(any([evidence, *told, *figures]), key, " ".join([*notes, evidence, *told, *figures]))
        return join_parts([*notes, *thanks, evidence, *told, *figures, f"{lead} {action}.",
                           self._question(conv, key, lead)])

    def _first_of_statement(self, step: PlannedCall) -> bool:
        return next(c for c in self.plan if c.statement == step.statement) is step

    def _passed_over(self, statements: list[str], key: tuple[object, ...]) -> str:
        """Why the writes of ``statements`` leave records out, in the spec's words (its ``else because``)."""
        reasons = [p.reason.rstrip(".") for p in self.task.passed_over if p.statement in statements]
        if len(reasons) < 2:
            return "".join(f"{r[:1].upper()}{r[1:]}." for r in reasons)
        return pick(bank.PASSED_OVER_LEADS, *key, "passed over").format(reasons="; ".join(reasons))

    def _notes(self, conv: Conversation, progress: Progress) -> list[str]:
        """What the changes made since the last text did, each sentence led in its own way."""
        notes = [completion(w.tool, w.arguments, result, self.tools, progress.name)
                 for w, result in progress.fresh_writes]
        created = any(w.tool.startswith(_CREATING) for w, _ in progress.fresh_writes)
        leads = tuple(lead for lead in bank.DONE_LEADS if not (created and "change" in lead))
        return led_notes(notes, pick(leads, *self._key(conv, "done")))

    def _decision(self, step: PlannedCall, progress: Progress, brief: bool = False, said: str = "") -> str:
        return decision_sentence(step.arguments, self._reads(step, progress), self.tools, step.criteria,
                                 progress.name, stable_int(self.task.id, step.node, "decision"),
                                 later=self._later(step, progress), compared=step.compared, because=step.because,
                                 brief=brief, said=said)

    def _changed_again(self, step: PlannedCall, progress: Progress) -> bool:
        """The change is to the record the last change made was chosen for (bags on the reservation just
        upgraded): choosing it again among all the candidates would read as if it were news."""
        chosen = chosen_record(step.arguments, self._reads(step, progress), self.tools)
        made = [self.plan[i] for i in sorted(progress.done) if self.plan[i].kind == "write"]
        return chosen is not None and bool(made) and chosen in named_ids(made[-1].arguments)

    def _reads(self, step: PlannedCall, progress: Progress) -> list[tuple[str, Any, Any]]:
        """The lookups a change rests on, with the results the conversation shows."""
        return [(self.nodes[n].tool, self.nodes[n].arguments, progress.results.get(n)) for n in step.evidence
                if n in self.nodes and n in progress.results]

    def _shown(self, step: PlannedCall, progress: Progress) -> tuple[int, str] | None:
        """The candidates the proposal of a change counts in its decision sentence, if any."""
        return shown_comparison(step.arguments, self._reads(step, progress), self.tools, step.compared,
                                step.because)

    def _later(self, step: PlannedCall, progress: Progress) -> bool:
        """An earlier change on the same candidates already showed this change's comparison, so this one can
        refer back to it."""
        pool = {n for n in step.evidence if n in self.nodes and phrasing_of(self.nodes[n].tool, self.tools).candidates}
        earlier = [call for call in self.plan[:self.plan.index(step)]
                   if call.kind == "write" and pool and pool <= set(call.evidence)]
        shown = self._shown(step, progress) if earlier else None
        return shown is not None and any(_refers_back(shown, self._shown(call, progress), bool(step.because))
                                         for call in earlier)

    def _figures(self, conv: Conversation, step: PlannedCall, progress: Progress, action: str) -> list[str]:
        """The figures the user asked for that go with this change, stated before asking for a yes; an amount
        the proposed ``action`` states itself under the fact's own name ("I'd charge the total $205.00 to your
        gift card", when the user asked for the total price) is not said twice."""
        index = [call.node for call in self.plan if call.kind == "write"].index(step.node)
        return [self._told(f, conv, progress, done=False, action=action) for f in self.task.facts
                if f.write == index and not _stated_in(action, f)]

    def _told(self, fact: TaskFact, conv: Conversation, progress: Progress, done: bool, action: str = "") -> str:
        """One fact in words fit for its kind: a count as a count, a signed amount with the way it goes (the
        method left to the proposed ``action`` when it names it)."""
        variant = stable_int(self.task.id, fact.text, "fact")
        if fact.kind == "count":
            return count_sentence(fact.text, done, variant)
        if fact.direction and fact.label:
            method = self._method(fact, progress)
            return direction_sentence(fact.text, fact.label, fact.direction, method, variant,
                                      method_said=bool(method) and method in action)
        return fact_sentence(fact.text, self._fact_sources(conv), fact.label, variant)

    def _method(self, fact: TaskFact, progress: Progress) -> str | None:
        """The payment method of the write a fact goes with, by name."""
        writes = [call for call in self.plan if call.kind == "write"]
        if fact.write is None or fact.write >= len(writes):
            return None
        found = [v for k, v in writes[fact.write].arguments.items() if "payment" in k and isinstance(v, str)]
        return progress.name(found[0]) if found else None

    def _facts(self) -> list[TaskFact]:
        """Every fact to tell; a task compiled before facts had kinds gets them from its communicate_info."""
        known = {fact.text: fact for fact in self.task.facts}
        labels = self.task.communicate_labels
        return [known.get(text) or TaskFact(text=text, label=labels.get(text)) for text in self.task.communicate_info]

    def _fact_sources(self, conv: Conversation) -> list[Any]:
        sources: list[Any] = [w.arguments for w in self.plan if w.kind == "write"]
        return sources + [parse_result(m.content) for m in conv if m.role == "tool" and not m.error]

    def _new_evidence(self, step: PlannedCall) -> list[tuple[str, dict[str, Any]]]:
        position = self.plan.index(step)
        earlier = {node for call in self.plan[:position] if call.kind == "write" for node in call.evidence}
        fresh = [self.nodes[n] for n in step.evidence if n not in earlier and n in self.nodes]
        return [(call.tool, call.arguments) for call in fresh]

    def _new_results(self, step: PlannedCall, progress: Progress) -> list[tuple[str, Any]]:
        position = self.plan.index(step)
        earlier = {node for call in self.plan[:position] if call.kind == "write" for node in call.evidence}
        return [(self.nodes[n].tool, progress.results[n]) for n in step.evidence
                if n not in earlier and n in self.nodes and n in progress.results]

    def _closing(self, conv: Conversation, progress: Progress) -> str:
        notes = self._notes(conv, progress)
        said = " ".join(m.text for m in conv if m.role == "assistant" and m.is_text)
        facts = [self._told(fact, conv, progress, done=True) for fact in self._facts() if not states(said, fact.text)]
        if self.plan and self.plan[-1].tool == "transfer_to_human_agents":
            return " ".join([*notes, *facts, "YOU ARE BEING TRANSFERRED TO A HUMAN AGENT. PLEASE HOLD ON."])
        key = self._key(conv, "close")
        if facts and not notes:
            notes = [pick(bank.FOUND_LEADS, *key)]
        making = {call.statement for call in self.plan if call.kind == "write"}
        notes.append(self._passed_over([p.statement for p in self.task.passed_over if p.statement not in making],
                                       key))
        name = user_first_name(conv)
        bridges = bank.CLOSING_BRIDGES_NAMED if name and stable_int(*key, "named") % 2 else bank.CLOSING_BRIDGES
        bridge = pick(bridges, *key, "bridge").format(name=name)
        return join_parts([*notes, *facts, bridge, pick(bank.CLOSINGS, *key)])


def proposal_lead(shown: bool, key: tuple[object, ...], said: str = "") -> str:
    """How a proposal opens: "Based on that, I can", "This means I can"... only where the same message has just
    shown lookups, a choice or figures to draw on (not after the notes of changes made alone); never with the
    two words a sentence before it has used ("Going by its details, ... Going by that, I'd")."""
    leads = bank.PROPOSAL_LEADS + bank.PROPOSAL_INFERENCES if shown else bank.PROPOSAL_LEADS
    used = said.lower()
    return first_fitting(lambda attempt: pick(leads, *key, *(("again", attempt) if attempt else ())),
                         lambda lead: " ".join(lead.lower().split()[:2]).strip(",:") not in used)


def _stated_in(action: str, fact: TaskFact) -> bool:
    """Whether the proposed action states an amount fact, and by the word the user asked for it with ("the
    total $205.00" for a total price; not "the whole $261.00" for a fare, which leaves the question open)."""
    named = fact.label is None or re.search(rf"\b{re.escape(fact.label.split()[0])}\b", action, re.I) is not None
    return fact.kind == "amount" and named and states(action, fact.text)


def _first_word(text: str) -> str:
    return text.split(" ", 1)[0].strip(",;:").lower()


def _first_words(wording: str) -> set[str]:
    """Every word an expansion of the wording can open with."""
    return {_first_word(said) for said in variants.every(wording) if said}


_CLOCK = re.compile(r"\bcurrent time is \d{4}-\d{2}-\d{2}[ T](\d{1,2}):\d{2}", re.I)


def prompt_hour(conv: Conversation) -> int | None:
    """The hour of the current time the system prompt states ("The current time is 2024-05-15 15:00:00 EST"),
    so that a greeting does not contradict it; None when it states none."""
    for message in conv:
        found = _CLOCK.search(message.text or "") if message.role == "system" else None
        if found:
            return int(found.group(1))
    return None


def user_first_name(conv: Conversation) -> str:
    """The account holder's first name, once a profile lookup has shown it; empty before."""
    for message in conv:
        if message.role != "tool" or message.error:
            continue
        result = parse_result(message.content)
        person = result.get("name") if isinstance(result, dict) and "user_id" in result else None
        if isinstance(person, dict) and isinstance(person.get("first_name"), str):
            return person["first_name"]
    return ""


def _last_agent_text(conv: Conversation) -> str | None:
    found = [m.text for m in conv if m.role == "assistant" and m.is_text]
    return found[-1] if found else None
