"""The scripted user plays each behavior setting, deterministically."""

from __future__ import annotations

import re

import pytest

from writ_dsl.runner.messages import OUT_OF_SCOPE, STOP, TRANSFER, Message
from writ_dsl.runner.phrasing import is_affirmative
from writ_dsl.runner.scripted_user import ScriptedUser
from writ_dsl import variants
from writ_dsl.runner.user_phrases import ACCEPT_REFUSAL as REFUSAL_BANK
from writ_dsl.runner.user_phrases import HURRY, NO_INFO


def expansions(bank: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(said for wording in bank for said in variants.every(wording))


ACCEPT_REFUSAL = expansions(REFUSAL_BANK)

from .helpers import BEHAVIORS, agent_says, make_task

KNOWN = {"email": "ann@example.com", "user_id": "u0", "card_last_four": "4242"}
GREETING = [Message("system", "policy"), Message("assistant", "Hello! How can I help you today?")]


def user(behavior: str | None, task_id: str = "desk-0001", **settings: object) -> ScriptedUser:
    task = make_task(task_id=task_id, behavior=behavior, known=KNOWN)
    if settings:
        assert task.behavior is not None
        task = task.model_copy(update={"behavior": task.behavior.model_copy(
            update={"settings": {**task.behavior.settings, **settings}})})
    return ScriptedUser(task)


def opening(u: ScriptedUser) -> str:
    return u.next_message(GREETING).text


def reply(u: ScriptedUser, agent_text: str, *, before: list[Message] | None = None) -> str:
    history = [*GREETING, Message("user", opening(u)), *(before or [])]
    return u.next_message(agent_says(agent_text, history)).text


ASK_ALL = "Could you give me the email address on your account, your user ID and the last four digits of your card?"


# ------------------------------------------------------------------------ opening
def test_direct_opening_paraphrases_the_instructions_in_the_first_person() -> None:
    text = opening(user("straightforward"))
    assert "buy two lamps (item i0) with my account balance" in text and "what it costs" in text
    assert "Ask " not in text and "your" not in text.lower()
    assert "your" not in text.lower().split("my email")[0]


def test_vague_opening_gives_no_details_until_asked() -> None:
    u = user("vague_opener")
    first = opening(u)
    assert "lamp" not in first and "ann@example.com" not in first
    details = reply(u, "I'd be glad to help. Could you tell me a bit more about what you need?")
    assert "buy two lamps" in details


# --------------------------------------------------------------------- disclosure
def test_upfront_disclosure_states_every_fact_in_the_opening() -> None:
    text = opening(user("straightforward"))
    assert all(value in text for value in KNOWN.values())


def test_on_request_disclosure_gives_only_the_facts_asked_for() -> None:
    u = user("reserved")
    assert not any(value in opening(u) for value in KNOWN.values())
    answer = reply(u, "Could you tell me your user ID?")
    assert "u0" in answer and "ann@example.com" not in answer and "4242" not in answer
    both = reply(u, "Thanks. What are the last four digits of your card, and the email address on your account?")
    assert "4242" in both and "ann@example.com" in both and "u0" not in both


def test_gradual_disclosure_gives_one_fact_per_turn() -> None:
    u = user("vague_opener", opening="direct")
    first = opening(u)
    assert sum(value in first for value in KNOWN.values()) == 1
    history = [*GREETING, Message("user", first)]
    second = u.next_message(agent_says(ASK_ALL, history)).text
    assert sum(value in second for value in KNOWN.values()) == 1
    assert not any(value in second for value in KNOWN.values() if value in first)
    history += [Message("assistant", ASK_ALL), Message("user", second)]
    third = u.next_message(agent_says(ASK_ALL, history)).text
    told = first + second + third
    assert sum(value in third for value in KNOWN.values()) == 1
    assert all(value in told for value in KNOWN.values())


# ------------------------------------------------------------------ confirmations
PROPOSAL = "I can buy two lamps for $60 with your balance. Shall I proceed? Please confirm with a yes."


def test_confirms_a_proposal_with_yes() -> None:
    assert is_affirmative(reply(user("straightforward"), PROPOSAL))


def test_changes_mind_doubts_the_first_proposal_then_accepts() -> None:
    u = user("second_guesser")
    doubt = reply(u, PROPOSAL)
    assert not is_affirmative(doubt) and "?" in doubt
    again = reply(u, "I double-checked. " + PROPOSAL, before=[Message("assistant", PROPOSAL), Message("user", doubt)])
    assert is_affirmative(again)


def test_impatient_user_is_hurried_and_short() -> None:
    calm, hurried = user("straightforward"), user("in_a_hurry")
    assert opening(hurried).startswith(expansions(HURRY))
    assert len(reply(hurried, PROPOSAL)) <= 60
    assert len(opening(hurried).split()) < len(opening(calm).split()) + 12


def test_policy_probe_is_asked_first_and_the_refusal_accepted() -> None:
    u = user("rule_tester")
    first = opening(u)
    assert "could I get a free upgrade or a waived fee?" in first
    after = reply(u, "I'm sorry, but I'm not able to offer a free upgrade: our policy does not allow it. "
                     "Could you tell me your user ID?")
    assert after.startswith(ACCEPT_REFUSAL) and "u0" in after
    assert not reply(u, "Could you tell me your user ID?").startswith(ACCEPT_REFUSAL)  # nothing refused yet


def test_pronouns_and_asks_read_as_the_user_speaking() -> None:
    u = user("straightforward")
    u.scenario = u.scenario.model_copy(update={"task_instructions": (
        "Book it for both of you. Just you, no bags. Ask for the total price; ask how much the bags cost. "
        "You and Kim pack more than you planned.")})
    text = opening(u)
    assert "both of us" in text and "Just me" in text and " I," not in text and "of I" not in text
    assert "Kim and I pack more than I planned" in text
    assert "ask" not in text.lower().replace("task", "")


@pytest.mark.parametrize("verbosity", ["terse", "normal", "chatty"])
def test_verbosity_sets_the_length(verbosity: str) -> None:
    u = user("straightforward", verbosity=verbosity)
    words = len(opening(u).split())
    terse = len(opening(user("straightforward", verbosity="terse")).split())
    chatty = len(opening(user("straightforward", verbosity="chatty")).split())
    assert terse <= words <= chatty and terse < chatty


# ---------------------------------------------------------------------- endings
def test_stops_once_the_agent_closes() -> None:
    text = reply(user("straightforward"), "Your order is placed. Is there anything else I can help you with?")
    assert text.endswith(STOP)


def test_transfer_and_out_of_scope_tokens() -> None:
    u = user("straightforward")
    assert reply(u, "YOU ARE BEING TRANSFERRED TO A HUMAN AGENT. PLEASE HOLD ON.") == TRANSFER
    unknown = "What is your passport number?"
    history = [Message("assistant", unknown), Message("user", "I'm sorry, I don't have that information."),
               Message("assistant", unknown), Message("user", "I'm sorry, I don't have that information.")]
    assert reply(u, unknown) in expansions(NO_INFO)
    assert reply(u, unknown, before=history) == OUT_OF_SCOPE


# ------------------------------------------------------------------ determinism
@pytest.mark.parametrize("behavior", [*BEHAVIORS, None])
def test_same_conversation_same_reply_and_no_stray_markers(behavior: str | None) -> None:
    first = [opening(user(behavior)) for _ in range(2)]
    assert first[0] == first[1] and first[0]
    assert "{" not in first[0] and "###" not in first[0]


def test_wording_varies_across_dialogues() -> None:
    openings = {opening(user("straightforward", task_id=f"desk-{i:04d}")) for i in range(12)}
    confirms = {reply(user("straightforward", task_id=f"desk-{i:04d}"), PROPOSAL) for i in range(12)}
    assert len(openings) >= 3 and len(confirms) >= 2


def test_a_value_counts_as_said_in_the_forms_people_say_it() -> None:
    from writ_dsl.runner.phrasing import mentions_value

    assert mentions_value("2024-05-21", "I'd like to fly on May 21st, please.")
    assert mentions_value("2024-05-21", "the 21 May flight")
    assert not mentions_value("2024-05-21", "I'd like to fly on May 22nd.")
    assert mentions_value("no longer needed", "Cancel it, I no longer need it.")
    assert not mentions_value("no longer needed", "Cancel it, please.")
    address = {"address1": "1290 Desert Lane, Unit 5", "city": "Tucson"}
    assert mentions_value(address, "My new address is 1290 Desert Lane, Tucson, Unit 5.")
    assert not mentions_value(address, "My new address is 1290 Desert Lane, Tucson.")
    # ids are never matched loosely, nor a part inside a longer number or word
    assert not mentions_value("W1234567", "order W123")
    assert not mentions_value("KXWDES", "reservation KXWD")
    assert not mentions_value("2024-05-02", "the flight on May 25th")
    assert mentions_value("2024-05-02", "the flight on May 2nd")
    assert not mentions_value({"address1": "12 Oak St, Unit 5", "city": "Reno"}, "12 Oak St, Unit 55, Reno")
    assert mentions_value("$1,250.00", "it comes to $1,250.00")
    assert not mentions_value("$1,250.00", "1 of them, 250.00 in all")
    assert not mentions_value("not needed", "it is needed")
    assert mentions_value("No longer needed", "I no longer need it")  # a capital is not an id
    assert mentions_value("Luggage Set", "about my luggage sets")
    assert mentions_value({"address1": "1290 Desert Lane,Unit 5"}, "1290 Desert Lane, Unit 5")


def test_an_impatient_confirmation_presses_once_at_most() -> None:
    from writ_dsl.runner.phrasing import sentences, words

    pressing = {"quickly", "hurry", "fast", "delays", "now"}
    for index in range(60):
        said = reply(user("in_a_hurry", task_id=f"desk-{index:04d}"), PROPOSAL)
        presses = [bool(words(s) & pressing) for s in sentences(said)]
        assert not any(a and b for a, b in zip(presses, presses[1:])), said


def test_a_reason_counts_as_said_in_its_adjective_form() -> None:
    from writ_dsl.runner.phrasing import mentions_value

    assert mentions_value("illness", "Cancel it in full: I am ill and can't travel.")
    assert not mentions_value("illness", "Cancel it in full: my plans changed.")


def test_a_go_ahead_agrees_with_a_plural_thing() -> None:
    bags = "I can register a total of 3 checked bags on reservation ABC123, charging any bag fees to your card. " \
           "Shall I go ahead?"
    said = {reply(user("straightforward", task_id=f"desk-{i:04d}"), bags) for i in range(80)}
    plural = [s for s in said if "bags" in s]
    assert plural, said
    assert not any(re.search(r"bags (is|works|suits)\b", s) for s in plural), plural
