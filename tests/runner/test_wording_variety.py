"""Wording varies slot by slot, deterministically, and every variant still says what it must."""

from __future__ import annotations

import re

from writ_dsl import variants
from writ_dsl.runner.agent_phrases import CLOSINGS, CONFIRM_QUESTIONS
from writ_dsl.runner.dialogue import run_dialogue
from writ_dsl.runner.messages import Message
from writ_dsl.runner.oracle_agent import OracleAgent, user_first_name
from writ_dsl.runner.phrasing import asks_confirmation, compose, is_affirmative, is_closing, join_parts
from writ_dsl.runner.scripted_user import ScriptedUser, action_nouns
from writ_dsl.runner.summaries import LATER_DECISIONS, decision_sentence

from .helpers import desk_env, many_tasks
from .test_oracle_agent import AIRLINE, BOOKING


def test_parts_are_cased_after_what_precedes_them() -> None:
    assert join_parts(["If you agree,", "Shall I go ahead?", "please reply yes."]) == \
        "If you agree, shall I go ahead? Please reply yes."
    assert join_parts(["Okay,", "I'll do it."]) == "Okay, I'll do it."
    assert join_parts(["", "done."]) == "Done."


def test_compose_is_deterministic_and_varies_with_the_key() -> None:
    slots = (("Hi!", "Hello."), ("How can I help?", "What do you need?", "What can I do?"))
    assert compose(slots, "task-1") == compose(slots, "task-1")
    assert len({compose(slots, f"task-{i}") for i in range(40)}) == 6


def every(bank: tuple[str, ...]) -> list[str]:
    """Every wording a bank can give, each of its alternations expanded every way."""
    return [said for wording in bank for said in variants.every(wording)]


def test_every_confirmation_question_is_recognised_and_every_closing_closes() -> None:
    assert all(asks_confirmation(q) for q in every(CONFIRM_QUESTIONS))
    assert all(is_closing(c) for c in every(CLOSINGS))


def test_a_later_write_refers_back_to_the_comparison_instead_of_repeating_it() -> None:
    flights = [{"flight_number": f"HAT00{i}", "origin": "JFK", "scheduled_departure_time_est": f"0{i}:00:00",
                "scheduled_arrival_time_est": f"1{i}:00:00", "prices": {"business": 100 * i}} for i in (1, 2, 3)]
    reads = [("search_direct_flight", {"origin": "JFK", "destination": "SFO", "date": "2024-05-20"}, flights)]
    first = decision_sentence(BOOKING, reads, AIRLINE, ["min:price"])
    later = {decision_sentence(BOOKING, reads, AIRLINE, ["min:price"], variant=v, later=True) for v in range(60)}
    assert len(later) > len(LATER_DECISIONS) and first not in later
    assert all("HAT001" in s and "$100.00" in s and re.search("cheapest|least expensive|lowest", s) for s in later)


def test_the_user_names_the_action_the_agent_proposed() -> None:
    proposal = "I've checked order #W1. Every payment is refunded. I'll cancel order #W1. Shall I proceed?"
    assert action_nouns(proposal) == ("the cancellation", "that cancellation")
    assert action_nouns("Shall I proceed?") == ("it",)


def test_the_agent_uses_the_first_name_only_once_a_profile_shows_it() -> None:
    profile = Message("tool", '{"user_id": "u0", "name": {"first_name": "Ann", "last_name": "Lee"}}', tool_call_id="c")
    assert user_first_name([Message("user", "I'm Ann.")]) == ""
    assert user_first_name([Message("user", "hi"), profile]) == "Ann"


def test_varied_dialogues_still_confirm_with_a_yes_and_are_reproducible() -> None:
    env = desk_env()
    for task in many_tasks(12):
        dialogue = run_dialogue(env, ScriptedUser(task), OracleAgent(task)).messages
        again = run_dialogue(env, ScriptedUser(task), OracleAgent(task)).messages
        assert dialogue == again
        for asked, answer in zip(dialogue, dialogue[1:]):
            if asked.role == "assistant" and asks_confirmation(asked.text) and answer.role == "user" \
                    and not answer.text.startswith(("Hmm", "Hold", "Before", "Just", "Hang", "Sorry", "Um", "One")):
                assert is_affirmative(answer.text) or "?" in answer.text, answer.text


def test_no_question_but_a_proposal_reads_as_asking_for_a_yes() -> None:
    from writ_dsl.runner import agent_phrases as bank

    others = [*bank.DETAIL_ACKS, *bank.DETAIL_ASKS, *bank.ASK_ACKS, *bank.ASK_FRAMES, *bank.ASK_MORE, *bank.OFFERS,
              *bank.CLOSINGS, *bank.SALUTATIONS, *bank.THANKS, *bank.REFUSAL_OPENERS, *bank.REFUSAL_REASONS,
              *bank.REFUSAL_RESTS, *bank.GOODBYES]
    assert not [text for text in every(tuple(others)) if asks_confirmation(text)]
    moves = [*bank.DETAIL_ACKS, *bank.DETAIL_ASKS, *bank.ASK_ACKS, *bank.ASK_FRAMES, *bank.ASK_MORE, *bank.OFFERS,
             *bank.SALUTATIONS, *bank.PROPOSAL_LEADS, *bank.PROPOSAL_INFERENCES, *bank.CONFIRM_QUESTIONS, *bank.CONFIRM_TAILS, *bank.DONE_LEADS]
    assert not [text for text in every(tuple(moves)) if is_closing(text)]


def test_a_completion_wording_is_fixed_by_its_record_and_varies_across_records() -> None:
    from writ_dsl.env.registry import load_domain

    tools = load_domain("airline").tools
    done = tools["update_reservation_baggages"].phrasing.done
    said = {done({"reservation_id": f"R{i:05d}"}, None, str) for i in range(40)}
    assert done({"reservation_id": "R00001"}, None, str) == done({"reservation_id": "R00001"}, None, str)
    assert len({re.sub(r"R\d{5}", "<id>", s) for s in said}) > 1
    assert all(re.search(r"R\d{5}", s) for s in said)


def test_a_warning_that_names_another_action_is_not_what_the_user_agrees_to():
    proposal = ("I'm ready to replace the Grill (gas) with the Grill (electric) in order #W1; after this change "
                "the order cannot be changed again or cancelled. Shall I go ahead?")
    assert not any("cancel" in noun for noun in action_nouns(proposal))
    assert "the item change" in action_nouns(proposal)  # what is proposed: the replacement
    assert any("cancel" in noun for noun in action_nouns("Then the order will be changed or cancelled. Okay?"))
    assert not any("cancel" in noun for noun in action_nouns("Then the order cannot be changed or cancelled. Okay?"))


def test_the_record_a_change_rests_on_is_described_from_its_lookup():
    from writ_dsl.env.registry import load_domain
    from writ_dsl.runner.summaries import findings

    tools = load_domain("retail").tools
    order = {"order_id": "#W1", "status": "pending", "items": [
        {"item_id": "i1", "name": "Grill", "options": {"fuel": "gas"}}]}
    said = findings({"order_id": "#W1", "reason": "no longer needed"}, [("get_order_details", order)], tools)
    assert len(said) == 1 and "#W1" in said[0] and "pending" in said[0] and "the Grill (gas)" in said[0]
    assert findings({"order_id": "#W2"}, [("get_order_details", order)], tools) == []


def test_no_expansion_of_a_bank_speaks_of_the_machinery() -> None:
    from writ_dsl.runner import agent_phrases, summaries

    banks = [value for module in (agent_phrases, summaries) for name, value in vars(module).items()
             if name.isupper() and isinstance(value, tuple) and all(isinstance(v, str) for v in value)]
    leaks = re.compile(r"\b(plan|oracle|node|gold|evidence|scenario|template)\b", re.I)
    assert len(banks) > 20
    assert not [said for bank in banks for said in every(bank) if leaks.search(said)]


def test_every_yes_the_user_can_say_reads_as_a_yes_and_every_doubt_does_not() -> None:
    from writ_dsl.runner import user_phrases as bank

    for style in bank.YES:
        yeses = every(bank.YES[style])
        aheads = every(bank.GO_AHEAD.get(style, bank.GO_AHEAD["normal"]))
        closers = every(bank.CONFIRM_CLOSERS.get(style, bank.CONFIRM_CLOSERS["normal"]))
        for yes in yeses:
            for ahead in aheads[::7]:
                for closer in closers[::3]:
                    said = join_parts([yes, ahead.format(thing="the booking"), closer])
                    assert is_affirmative(said), said
    doubts = [join_parts([lead, ask]) for lead in every(bank.DOUBT_LEADS) for ask in every(bank.DOUBT_ASKS)]
    assert not [d for d in doubts if is_affirmative(d)]
    appended = every(bank.HURRY_LATER) + every(bank.ASIDES)  # said after a yes: they must not turn it into a question
    assert not [text for text in appended if "?" in text]


def test_an_opening_request_is_a_question_exactly_when_its_connector_asks_one() -> None:
    from writ_dsl.runner.phrasing import _first_person_sentence
    from writ_dsl.runner.user_phrases import ASK_LEADS, CONNECTORS

    for connector in (c for bank in CONNECTORS for c in variants.every(bank)):
        said = _first_person_sentence("Book the fastest flight to PHX.", connector)
        asking = re.match(r"(Could|Can|Would|Will) you\b", connector) is not None
        assert said.endswith("?" if asking else "."), (connector, said)
        assert "book the fastest flight to PHX" in said
    for lead in (c for bank in ASK_LEADS for c in variants.every(bank)):
        said = _first_person_sentence("Ask how much the upgrade costs.", ask_lead=lead)
        assert said.endswith("?" if lead.startswith(("Could you", "Can you")) else "."), (lead, said)


def test_a_booking_paid_through_paypal_is_named_a_booking_not_a_payment_change() -> None:
    proposal = "I'll book flight HAT001 on 2024-05-20 for you. It is charged to your PayPal account."
    assert action_nouns(proposal) == ("the booking", "that booking")
    assert "the payment change" in action_nouns("I'll pay the order with your PayPal account instead.")


def test_a_new_cabin_on_flights_is_called_the_change_not_a_flight_change() -> None:
    # update_reservation_flights proposes a cabin and flights at once; from its arguments alone an upgrade
    # and a flight change read the same, so the user must not call an upgrade "the flight change"
    proposal = ("I'll change reservation ABC123 to business class on flight HAT030 on May 24, with any fare "
                "difference settled on your Visa card ending in 1234.")
    assert action_nouns(proposal) == ("the change", "that change")
    assert "the flight change" in action_nouns("I'll move you to flight HAT030 on May 24.")


def test_a_completion_that_opens_with_its_own_lead_gets_no_second_one() -> None:
    from writ_dsl.runner.oracle_agent import led_notes

    assert led_notes(["All done: reservation ABC123 is now updated."], "Done.") == \
        ["All done: reservation ABC123 is now updated."]
    assert led_notes(["Reservation ABC123 is booked."], "Done.") == ["Done.", "Reservation ABC123 is booked."]
    assert led_notes([], "Done.") == []


def test_a_reason_the_request_says_again_is_not_said_twice() -> None:
    from writ_dsl.runner.phrasing import data_words, repeats

    assert repeats("My plans have changed and I no longer need my trip to Houston.",
                   "Reservation ABIXKW has to be cancelled completely: my plans changed.")
    assert repeats("I am trying to spend less: I no longer need my larger pending orders.",
                   "Cancel every order over $300, because I no longer need any of them.")
    assert not repeats("I'm packing for a trip to Denver.", "Add two checked bags to reservation GWNUDF.")
    # the same item or the same order named in both is the topic, not the reason said twice
    hose = data_words({"item": {"name": "Garden Hose"}})
    assert not repeats("I ordered the wrong garden hose in order #W6487676 by accident.",
                       "For order #W6487676, change the garden hose to the 25ft one.", hose)
    game = data_words({"item": {"name": "Board Game"}})
    assert not repeats("The board game from order #W1516701 is not quite the one I was after.",
                       "I received the board game in order #W1516701 and want another one.", game)
    assert not repeats("My trip to New York has to be rebooked.", "Cancel my trip from Charlotte to New York.")


def test_a_figure_takes_the_article_its_name_needs() -> None:
    from writ_dsl.runner.fact_sentences import direction_sentence, fact_sentence

    said = {fact_sentence("304.00", [], "upgrade cost", v) for v in range(200)}
    assert any("an upgrade cost" in s for s in said) and not any(re.search(r"\ba upgrade", s) for s in said)
    assert any("a refund of" in s for s in {fact_sentence("12.00", [], "refund", v) for v in range(200)})
    paid = {direction_sentence("20.00", "upgrade cost", "pay", "your card", v) for v in range(200)}
    assert not any(re.search(r"\ba upgrade", s) for s in paid)
