"""The oracle agent: asks, looks up, proposes, waits for a yes, acts, tells, closes."""

from __future__ import annotations

import re

from writ_dsl.runner.dialogue import run_dialogue
from writ_dsl.runner.messages import Message, ToolCall, from_openai
from writ_dsl import variants
from writ_dsl.runner.agent_phrases import OFFERS, SALUTATIONS
from writ_dsl.runner.oracle_agent import OracleAgent, fact_phrase
from writ_dsl.runner.phrasing import asks_confirmation, asks_for
from writ_dsl.runner.scripted_user import ScriptedUser
from writ_dsl.env.registry import load_domain
from writ_dsl.runner.fact_sentences import fact_sentence
from writ_dsl.runner.summaries import (LATER_DECISIONS, completion, decision_sentence, evidence_sentence, namer,
                                       names_from, proposal, shown_comparison)

from .helpers import BEHAVIORS, BUY_AND_REFUND_STEPS, BUY_STEPS, desk_env, make_task, many_tasks

SYSTEM = Message("system", "policy")


def test_greets_first_then_asks_for_missing_facts_in_words_that_name_them() -> None:
    agent = OracleAgent(make_task(known={"email": "ann@example.com", "user_id": "u0"}))
    greeting = agent.next_message([SYSTEM])
    hellos = tuple(said for wording in SALUTATIONS for said in variants.every(wording))
    offers = tuple(said for wording in OFFERS for said in variants.every(wording))
    assert greeting.is_text and greeting.text.startswith(hellos) and greeting.text.endswith(offers)
    ask = agent.next_message([SYSTEM, greeting, Message("user", "I want two lamps.")])
    assert asks_for("email", ask.text) and asks_for("user_id", ask.text)
    partly = agent.next_message([SYSTEM, greeting, Message("user", "I want two lamps. My email is ann@example.com")])
    assert asks_for("user_id", partly.text) and "email" not in partly.text


def test_fact_phrases_contain_the_key_words() -> None:
    for key in ("user_id", "email", "zip", "card_last_four", "order_id", "reservation_id", "date", "new_address"):
        assert asks_for(key, fact_phrase(key)), key


def test_one_call_per_turn_with_ids_stable_per_dialogue() -> None:
    task = make_task()
    env = desk_env()
    first = run_dialogue(env, ScriptedUser(task), OracleAgent(task))
    second = run_dialogue(env, ScriptedUser(task), OracleAgent(task))
    calls = [m for m in first.messages if m.tool_calls]
    assert all(len(m.tool_calls) == 1 and m.content is None for m in calls)
    ids = [c.id for m in calls for c in m.tool_calls]
    assert len(set(ids)) == len(ids) and all(re.fullmatch(r"call_[0-9a-f]{16}", i) for i in ids)
    assert [m.to_record() for m in first.messages] == [m.to_record() for m in second.messages]
    other_task = make_task(task_id="desk-other")
    other = run_dialogue(env, ScriptedUser(other_task), OracleAgent(other_task))
    assert {c.id for m in other.messages for c in m.tool_calls}.isdisjoint(ids)


def test_proposes_with_specifics_and_writes_only_after_yes() -> None:
    task = make_task()
    dialogue = run_dialogue(desk_env(), ScriptedUser(task), OracleAgent(task))
    msgs = dialogue.messages
    write_at = next(i for i, m in enumerate(msgs) if m.tool_calls and m.tool_calls[0].name == "buy")
    proposal_text = msgs[write_at - 2].text
    assert asks_confirmation(proposal_text) and "u0" in proposal_text and "i0" in proposal_text
    assert "quantity 2" in proposal_text and "item details for i0" in proposal_text
    assert msgs[write_at - 1].role == "user" and msgs[write_at - 1].text.lower().startswith("yes")


def test_asks_again_when_the_answer_is_not_a_yes() -> None:
    """A doubt about a change that chose among nothing (one item, named by the user) is answered from what is
    known: looking the same record up again would tell the user nothing new."""
    task = make_task(behavior="reserved")
    agent, env = OracleAgent(task), desk_env()
    conversation = run_dialogue(env, ScriptedUser(task), agent).messages
    write_at = next(i for i, m in enumerate(conversation) if m.tool_calls and m.tool_calls[0].name == "buy")
    hesitant = [*conversation[: write_at - 1], Message("user", "Hmm, is that really what I want?")]
    again = agent.next_message(hesitant)
    assert not again.tool_calls and again.is_text and asks_confirmation(again.text)
    assert not any(word in again.text.lower() for word in ("again", "second time", "once more", "same result"))
    conversation = [*hesitant, again, Message("user", "Yes.")]
    assert agent.next_message(conversation).tool_calls[0].name == "buy"


def test_refuses_a_policy_probe_politely_once() -> None:
    task = make_task(behavior="rule_tester")
    dialogue = run_dialogue(desk_env(), ScriptedUser(task), OracleAgent(task))
    texts = [m.text for m in dialogue.messages if m.role == "assistant" and m.is_text]
    refusals = [t for t in texts if "not able to offer a free upgrade or a waived fee" in t]
    assert len(refusals) == 1 and "policy" in refusals[0]


def test_tells_every_fact_verbatim_and_closes() -> None:
    task = make_task(BUY_AND_REFUND_STEPS, facts=("60", "noted"))
    dialogue = run_dialogue(desk_env(), ScriptedUser(task), OracleAgent(task))
    closing = [m.text for m in dialogue.messages if m.role == "assistant" and m.is_text][-1]
    assert "The total is $60." in closing and "noted" in closing and "anything else" in closing.lower()


def test_looks_up_grounded_calls_first() -> None:
    steps = [("get_user", {"user_id": "u0"}), ("find_user", {"email": "ann@example.com"}), *BUY_STEPS[2:]]
    task = make_task(steps)
    dialogue = run_dialogue(desk_env(), ScriptedUser(task), OracleAgent(task))
    order = [m.tool_calls[0].name for m in dialogue.messages if m.tool_calls]
    assert order[:2] == ["find_user", "get_user"]


def test_agent_text_never_mentions_internals() -> None:
    env = desk_env()
    for task in many_tasks(len(BEHAVIORS) * 2):
        dialogue = run_dialogue(env, ScriptedUser(task), OracleAgent(task))
        for message in dialogue.messages[1:]:
            if message.role == "assistant" and message.content:
                low = message.content.lower()
                assert not re.search(r"\b(plan|oracle|node|write:|read:|gold|evidence|scenario)\b", low), low
                assert "  " not in message.content


# -------------------------------------------------------------- domain wording
BOOKING = {"user_id": "mia_li_1", "origin": "JFK", "destination": "SFO", "flight_type": "one_way",
           "cabin": "business", "flights": [{"flight_number": "HAT001", "date": "2024-05-20"}],
           "passengers": [{"first_name": "Mia", "last_name": "Li", "dob": "1990-01-02"}],
           "payment_methods": [{"payment_id": "credit_card_1", "amount": 912}], "total_baggages": 1,
           "nonfree_baggages": 0, "insurance": "no"}


AIRLINE = load_domain("airline").tools
RETAIL = load_domain("retail").tools


def test_airline_and_retail_writes_read_naturally_with_names_for_ids() -> None:
    names = {"credit_card_1": "your Visa card ending in 0001"}
    booking = proposal("book_reservation", BOOKING, AIRLINE, namer(names))
    for part in ("one-way business-class", "JFK to SFO", "HAT001 on May 20", "Mia Li", "$912.00",
                 "your Visa card ending in 0001", "1 checked bag (all free)", "without travel insurance"):
        assert part in booking
    order = {"items": [{"item_id": "1", "name": "Lamp", "options": {"color": "red"}}]}
    product = {"name": "Lamp", "variants": {"2": {"item_id": "2", "options": {"color": "blue"}}}}
    profile = {"payment_methods": {"gift_card_9": {"source": "gift_card", "id": "gift_card_9"}}}
    names = names_from([("get_order_details", order), ("get_product_details", product),
                        ("get_user_details", profile)], RETAIL)
    exchange = proposal("exchange_delivered_order_items", {"order_id": "#W1", "item_ids": ["1"],
                                                           "new_item_ids": ["2"], "payment_method_id": "gift_card_9"},
                        RETAIL, namer(names))
    assert "exchange the Lamp (red) in order #W1 for the Lamp (blue)" in exchange and "your gift card" in exchange
    assert completion("book_reservation", BOOKING, {"reservation_id": "HATHAT"}, AIRLINE) == \
        "Your reservation HATHAT is booked."
    searches = [("search_direct_flight", {"origin": o, "destination": "SFO", "date": "2024-05-20"})
                for o in ("EWR", "LGA")]
    said = {evidence_sentence(searches, AIRLINE, variant) for variant in range(40)}
    assert len(said) > 10 and all("direct flights from EWR and LGA to SFO on May 20" in s for s in said)


def test_a_tool_without_phrases_gets_a_generic_wording() -> None:
    assert proposal("buy", {"user_id": "u0", "quantity": 2}) == "buy with user id u0 and quantity 2"
    assert "the item details for i0" in evidence_sentence([("get_item", {"item_id": "i0"})])


def test_the_decisive_evidence_names_the_count_the_winner_the_criterion_and_the_figure() -> None:
    flights = [{"flight_number": f"HAT00{i}", "origin": "JFK", "scheduled_departure_time_est": f"0{i}:00:00",
                "scheduled_arrival_time_est": f"1{i}:00:00", "prices": {"business": 100 * i}} for i in (1, 2, 3)]
    reads = [("search_direct_flight", {"origin": "JFK", "destination": "SFO", "date": "2024-05-20"}, flights)]
    for variant in range(30):
        sentence = decision_sentence(BOOKING, reads, AIRLINE, ["min:price"], variant=variant)
        assert "3 direct flights" in sentence and "HAT001" in sentence and "$100.00" in sentence, sentence
        assert re.search(r"cheapest|least expensive|lowest", sentence) and "business" in sentence, sentence
    assert decision_sentence(BOOKING, reads[:0], AIRLINE, ["min:price"]) == ""


def test_two_candidates_are_both_never_all_2() -> None:
    flights = [{"flight_number": f"HAT00{i}", "origin": "JFK", "scheduled_departure_time_est": f"0{i}:00:00",
                "scheduled_arrival_time_est": f"1{i}:00:00", "prices": {"business": 100 * i}} for i in (1, 2)]
    reads = [("search_direct_flight", {"origin": "JFK", "destination": "SFO", "date": "2024-05-20"}, flights)]
    sentences = [decision_sentence(BOOKING, reads, AIRLINE, ["min:price"], variant=v) for v in range(60)]
    reasoned = [decision_sentence(BOOKING, reads, AIRLINE, ["min:price"], variant=v, because="it is the one")
                for v in range(60)]
    assert not [s for s in sentences + reasoned if "all 2" in s]
    assert any("both direct flights" in s for s in sentences) and any("2 direct flights" in s for s in sentences)
    assert any("both direct flights" in s for s in reasoned)


def test_the_winner_is_counted_among_its_own_kind_only() -> None:
    flights = [{"flight_number": f"HAT00{i}", "origin": "JFK", "scheduled_departure_time_est": f"0{i}:00:00",
                "scheduled_arrival_time_est": f"1{i}:00:00", "prices": {"business": 100 * i}} for i in (1, 2, 3)]
    trips = [{"reservation_id": rid, "origin": "JFK", "destination": "SFO", "flights": []} for rid in ("AAA111", "BBB222")]
    reads = [("search_direct_flight", {"origin": "JFK", "destination": "SFO", "date": "2024-05-20"}, flights),
             ("get_reservation_details", {"reservation_id": "AAA111"}, trips[0]),
             ("get_reservation_details", {"reservation_id": "BBB222"}, trips[1])]
    for variant in range(30):
        sentence = decision_sentence(BOOKING, reads, AIRLINE, ["min:price"], variant=variant)
        assert "3 direct flights" in sentence and "5 " not in sentence, sentence


def test_a_later_decision_refers_back_only_to_a_comparison_already_shown() -> None:
    from pathlib import Path

    from writ_dsl import api
    from writ_dsl.runner.environments import environment_for

    spec = Path(__file__).resolve().parents[2] / "specs" / "airline" / "cancel_and_rebook_cheapest.writ"
    result = api.compile_paths([spec], api.compile_options(n=12, seed=0))
    assert result.ok and result.tasks
    back = re.compile(r"same \d+|again|from before|already compared|looked at before|This time|Next, among")
    for task in result.tasks:
        dialogue = run_dialogue(environment_for(task), ScriptedUser(task), OracleAgent(task))
        said = [m.text for m in dialogue.messages if m.role == "assistant" and m.text]
        booking = next(t for t in said if "?" in t and re.search(r"\bbook", t) and "HAT" in t)
        assert not back.search(booking), booking


def test_a_decision_shows_a_comparison_only_when_it_counts_candidates_with_one_winner() -> None:
    flights = [{"flight_number": f"HAT00{i}", "origin": "JFK", "scheduled_departure_time_est": f"0{i}:00:00",
                "scheduled_arrival_time_est": f"1{i}:00:00", "prices": {"business": 100 * i}} for i in (1, 2, 3)]
    reads = [("search_direct_flight", {"origin": "JFK", "destination": "SFO", "date": "2024-05-20"}, flights)]
    assert shown_comparison(BOOKING, reads, AIRLINE) == (3, "direct flights")
    assert shown_comparison(BOOKING, reads, AIRLINE, compared=2, because="it is cheapest") == (2, "direct flights")
    assert shown_comparison(BOOKING, reads, AIRLINE, compared=1, because="it is the only one") is None
    losers = [("search_direct_flight", reads[0][1], flights[1:])]
    assert shown_comparison(BOOKING, losers, AIRLINE) is None and decision_sentence(BOOKING, losers, AIRLINE) == ""


def _referred_back(text: str) -> list[tuple[str, str]]:
    """The count and noun of every comparison a sentence of ``text`` refers back to ("the same 4 orders")."""
    found = []
    for frame in {said for wording in LATER_DECISIONS for said in variants.every(wording)}:
        opening = re.escape(frame.split("{what}")[0]).replace(r"\{n\}", r"(\d+)").replace(r"\{noun\}", "([a-z ]+?)")
        found += re.findall(r"(?:^|[.?!] )" + opening, text)
    return found


def test_a_later_decision_refers_back_only_to_counted_candidates_the_user_was_shown() -> None:
    from pathlib import Path

    from writ_dsl import api
    from writ_dsl.runner.environments import environment_for

    specs = Path(__file__).resolve().parents[2] / "specs" / "retail"
    referred = 0
    for name in ("exchange_and_cancel_described.writ", "tidy_two_pending_described.writ"):
        result = api.compile_paths([specs / name], api.compile_options(n=6, seed=0))
        assert result.ok and result.tasks
        for task in result.tasks:
            dialogue = run_dialogue(environment_for(task), ScriptedUser(task), OracleAgent(task))
            said = [m.text for m in dialogue.messages if m.role == "assistant" and m.text]
            for index, text in enumerate(said):
                for count, noun in _referred_back(text):
                    referred += 1
                    shown = rf"\b{count} (?:of your )?{noun}"  # "4 orders", "all 4 of your orders"
                    assert any(re.search(shown, earlier) for earlier in said[:index]), text
    assert referred


def test_fact_sentences_name_what_the_fact_is() -> None:
    assert fact_sentence("912", [BOOKING]) == "The amount is $912."
    assert fact_sentence("landed", [{"status": "landed"}]) == "The status is landed."
    assert "HAT9" in fact_sentence("HAT9", [{}])


def test_a_failed_write_attempt_is_retried_without_asking_again() -> None:
    task = make_task()
    agent, env = OracleAgent(task), desk_env()
    conversation = run_dialogue(env, ScriptedUser(task), agent).messages
    write_at = next(i for i, m in enumerate(conversation) if m.tool_calls and m.tool_calls[0].name == "buy")
    attempt = Message("assistant", None, (ToolCall("c-bad", "buy_lookup", {"user_id": "u0"}),))
    failed = [*conversation[:write_at], attempt, Message("tool", "Error: Tool 'buy_lookup' not found.",
                                                         tool_call_id="c-bad", error=True)]
    retry = agent.next_message(failed)
    assert retry.tool_calls and retry.tool_calls[0].name == "buy"
    done = [*conversation[: write_at + 2]]
    assert agent.next_message(done).is_text


def test_errors_are_recognised_in_openai_tool_messages() -> None:
    assert from_openai({"role": "tool", "content": "Error: nope", "tool_call_id": "a"}).error
    assert not from_openai({"role": "tool", "content": "{}", "tool_call_id": "a"}).error
    bad = from_openai({"role": "assistant", "content": None, "tool_calls": [
        {"id": "x", "type": "function", "function": {"name": "f", "arguments": "{oops"}}]})
    assert bad.tool_calls[0].arguments is None and bad.tool_calls[0].raw_arguments == "{oops"


def test_a_fact_label_from_the_spec_names_the_fact() -> None:
    assert fact_sentence("5.15", [{}], "price difference") == "The price difference is $5.15."
    assert fact_sentence("HATHAT", [{}], "new reservation number") == "The new reservation number is HATHAT."


def test_money_facts_keep_their_cents_verbatim() -> None:
    sentence = fact_sentence("172.70", [{}], "price difference")
    assert sentence == "The price difference is $172.70."


def test_calls_list_their_arguments_in_the_order_the_tool_declares_them() -> None:
    """However the spec wrote them, as a model writes them: the order of the tool's parameters."""
    steps = [*BUY_STEPS[:3], ("buy", {"quantity": 2, "item_id": "i0", "user_id": "u0"})]
    task = make_task(steps)
    assert list(task.plan[-1].arguments) == ["quantity", "item_id", "user_id"]
    env = desk_env()
    dialogue = run_dialogue(env, ScriptedUser(task), OracleAgent(task, env.domain.tools))
    [buy] = [c for m in dialogue.messages for c in m.tool_calls if c.name == "buy"]
    assert list(buy.arguments) == env.domain.tools["buy"].arg_names == ["user_id", "item_id", "quantity"]
