"""What a fine-tuner reads in the library's dialogues: no repeated openers, no wrong counts, no second look at the
wrong record, no request that stumbles."""

from __future__ import annotations

import re
from functools import cache
from itertools import pairwise
from pathlib import Path

from writ_dsl import api, variants
from writ_dsl.env.wording import address_text
from writ_dsl.runner import agent_phrases, fact_sentences, summaries, user_phrases, verify
from writ_dsl.runner.dialogue import run_dialogue
from writ_dsl.runner.environments import environment_for
from writ_dsl.runner.messages import Message
from writ_dsl.runner.oracle_agent import OracleAgent, prompt_hour, proposal_lead
from writ_dsl.runner.phrasing import (asks_confirmation, first_person_request, flip_person, is_affirmative,
                                      mentions_value)
from writ_dsl.runner.scripted_user import ScriptedUser
from writ_dsl.runner.summaries import completion, decision_sentence, evidence_sentence, proposal

from .test_oracle_agent import AIRLINE, RETAIL

SPECS = Path(__file__).resolve().parents[2] / "specs"


@cache
def _dialogues(name: str, n: int = 8) -> list[list[Message]]:
    result = api.compile_paths([SPECS / name], api.compile_options(n=n, seed=0))
    assert result.ok and result.tasks
    return [run_dialogue(environment_for(t), ScriptedUser(t), OracleAgent(t)).messages for t in result.tasks]


def every(bank: tuple[str, ...]) -> list[str]:
    return [said for wording in bank for said in variants.every(wording)]


_LOOKED_AGAIN = re.compile(r"\b(again|a second time|once more|same result)\b", re.I)


def _doubts(messages: list[Message]) -> list[int]:
    """Where the user doubted a proposal: a user turn, after a question to confirm, that says no yes."""
    return [i for i, m in enumerate(messages) if m.role == "user" and i and messages[i - 1].role == "assistant"
            and asks_confirmation(messages[i - 1].text) and not is_affirmative(m.text)]


def test_a_doubt_is_met_with_a_new_look_at_the_options_or_with_the_reasons_never_an_empty_lookup() -> None:
    """A doubted choice among options (flights, variants) is searched again; a change that chose no option,
    or chose the very record it changes, is explained from what is known: looking the same record up again
    answers nothing, and a reply that made no lookup does not say it looked again."""
    looked = explained = 0
    for name in ("retail/cancel_priciest_pending.writ", "airline/cancel_trip_by_departure.writ",
                 "retail/downgrade_to_cheapest_variant.writ", "airline/book_cheapest_from_new_york.writ",
                 "retail/rework_pending_order.writ"):
        for messages in _dialogues(name, 12):
            for at in _doubts(messages):
                answer = messages[at + 1]
                if answer.tool_calls:
                    looked += 1
                    assert answer.tool_calls[0].name in ("get_product_details", "search_direct_flight",
                                                         "search_onestop_flight"), (name, answer.tool_calls)
                else:
                    explained += 1
                    assert not _LOOKED_AGAIN.search(answer.text), answer.text
    assert looked and explained


def test_the_chosen_record_is_named_before_it_is_described_and_its_items_are_listed_once() -> None:
    for messages in _dialogues("retail/return_described_item.writ"):
        proposal = next(m.text for m in messages if m.role == "assistant" and m.text and "?" in m.text
                        and "#W" in m.text)
        chosen = re.search(r"(#W\d+)[^.]*(?:is the one|fits|matches|the match)", proposal)
        described = re.search(r"Order (#W\d+)|order (#W\d+) (?:is|has|shows)", proposal)
        if chosen and described:
            assert chosen.start() < described.start(), proposal
            assert "(with the" not in proposal, proposal


def test_an_item_list_keeps_its_acronyms_and_a_brief_decision_leaves_it_out() -> None:
    order = {"order_id": "#W2", "status": "delivered",
             "items": [{"name": "LED Light Bulb", "item_id": "1"}, {"name": "Bath Towel Set", "item_id": "2"}]}
    other = {"order_id": "#W3", "status": "delivered", "items": [{"name": "Grill", "item_id": "3"}]}
    reads = [("get_order_details", {"order_id": "#W2"}, order), ("get_order_details", {"order_id": "#W3"}, other)]
    write = {"order_id": "#W2", "item_ids": ["1"], "payment_method_id": "gift_card_1"}
    said = decision_sentence(write, reads, RETAIL)
    assert "(with the LED light bulb and bath towel set)" in said, said
    assert "#W2" in (brief := decision_sentence(write, reads, RETAIL, brief=True)) and "(with" not in brief


def test_after_a_change_the_agent_does_not_say_it_looked_first() -> None:
    calls = [("get_order_details", {"order_id": "#W1"})]
    later = {evidence_sentence(calls, RETAIL, variant=v, first=False) for v in range(400)}
    assert not [s for s in later if re.search(r"\b(first|to start)\b", s, re.I)]
    assert any("first" in evidence_sentence(calls, RETAIL, variant=v).lower() for v in range(400))


def test_the_confirmation_never_opens_with_the_word_the_proposal_opened_with() -> None:
    agent = OracleAgent(api.compile_paths([SPECS / "retail/cancel_pending_order.writ"],
                                          api.compile_options(n=1, seed=0)).tasks[0])
    for lead in every(agent_phrases.PROPOSAL_LEADS + agent_phrases.PROPOSAL_INFERENCES):
        opener = lead.split()[0].strip(",").lower()
        for turn in range(12):
            question = agent._question([], ("t", turn), lead)
            assert question.split()[0].strip(",").lower() != opener, (lead, question)


def test_a_proposal_draws_a_conclusion_only_from_what_its_message_has_shown() -> None:
    inferences = set(every(agent_phrases.PROPOSAL_INFERENCES))
    assert not {proposal_lead(False, ("t", n)) for n in range(400)} & inferences
    assert {proposal_lead(True, ("t", n)) for n in range(400)} & inferences
    # saving a new default address rests on no lookup: proposed right after another change, its message holds
    # only the note of that change
    proposals = [after.content for name in ("retail/exchange_and_cancel_described.writ",
                                            "retail/moved_exchange_and_redirect.writ")
                 for messages in _dialogues(name, 24) for call, _, after in zip(messages, messages[1:], messages[2:])
                 if call.tool_calls and all(RETAIL[c.name].kind == "write" for c in call.tool_calls)
                 and after.content and "default address" in after.content.split(". ")[-2]]
    assert len(proposals) >= 10
    assert not [p for p in proposals if any(lead in p for lead in inferences)]


def test_the_closing_does_not_tell_again_a_figure_told_before_it() -> None:
    """Amounts are written with thousands separators ("$1,049.64"): a fact of "1049.64" was told all the same."""
    result = api.compile_paths([SPECS], api.compile_options(n=4, seed=0))
    grouped = repeated = 0
    for task in result.tasks:
        texts = [m.content for m in run_dialogue(environment_for(task), ScriptedUser(task), OracleAgent(task)).messages
                 if m.role == "assistant" and m.content and not m.tool_calls]
        for fact in task.communicate_info:
            before = [t for t in texts[:-1] if verify.states(t, fact)]
            grouped += any(fact not in t for t in before)
            repeated += bool(before) and verify.states(texts[-1], fact)
    assert grouped >= 5 and repeated == 0


def test_a_proposal_does_not_open_with_the_words_of_a_sentence_before_it() -> None:
    assert proposal_lead(True, ("t", 1), "Going by its details, the order is pending.").split()[:2] != ["Going", "by"]
    said = "Going by its details, given this, based on that, here is what I found. What I can see."
    assert all(" ".join(proposal_lead(True, ("t", n), said).lower().split()[:2]).strip(",:") not in said.lower()
               for n in range(200))
    texts = [m.content for name in ("retail/redirect_pending_order.writ", "retail/cancel_pending_order.writ")
             for messages in _dialogues(name, 24) for m in messages if m.role == "assistant" and m.content]
    assert not [t for t in texts if re.search(r"\bGoing by\b.*\bGoing by\b", t)]


def test_a_confirmation_request_says_that_at_most_once() -> None:
    agent = OracleAgent(api.compile_paths([SPECS / "retail/cancel_pending_order.writ"],
                                          api.compile_options(n=1, seed=0)).tasks[0])
    asked = [agent._question([], ("t", turn), lead) for turn in range(300) for lead in ("Here's", "I can")]
    assert any(re.search(r"\bthat\b", q) for q in asked)
    assert not [q for q in asked if len(re.findall(r"\bthat\b", q, re.I)) > 1]


def test_no_sentence_of_the_agent_opens_with_a_numeral() -> None:
    opening = re.compile(r"(?:^|[.!?] )\d+ [a-z]")
    texts = [m.content for name in ("retail/move_and_tidy_orders.writ", "retail/moved_exchange_and_redirect.writ",
                                    "retail/cancel_pending_order.writ", "retail/exchange_and_cancel_described.writ")
             for messages in _dialogues(name, 24) for m in messages if m.role == "assistant" and m.content]
    assert len(texts) > 200 and any(re.search(r"\b(?:Two|Three|Four) items\b", t) for t in texts)
    assert not [t for t in texts if opening.search(t)]


def test_no_lead_or_condition_repeats_what_the_sentence_after_it_says() -> None:
    assert not [s for s in every(agent_phrases.DONE_LEADS) if re.search(r"\bnow\b", s)]
    assert not [s for s in every(agent_phrases.CONFIRM_CONDITIONS) if re.search(r"\bwant\b", s)]
    assert not [s for s in every(summaries.DECISIONS) if "clearly" in s]
    assert not [s for s in every(user_phrases.GO_AHEAD["normal"]) if "so please" in s]
    assert not [s for s in every(user_phrases.ASK_LEADS) if s.startswith("And,")]


def test_a_reason_said_in_another_form_of_its_words_counts_as_given() -> None:
    assert mentions_value("change of plans", "The reason: my plans have changed.")
    assert not mentions_value("change of plans", "My plans are the same.")
    for messages in _dialogues("airline/cancel_trip_by_departure.writ"):
        opening = next(m.text for m in messages if m.role == "user")
        if "plans have changed" in opening:
            first_call = next(i for i, m in enumerate(messages) if m.tool_calls)
            asks = " ".join(m.text for m in messages[:first_call] if m.role == "assistant" and m.text)
            assert "reason" not in asks, asks


def test_one_returned_item_is_one_item_to_send_back() -> None:
    one = {"order_id": "#W1", "item_ids": ["1"], "payment_method_id": "gift_card_1"}
    two = {**one, "item_ids": ["1", "2"]}
    assert "items" not in completion("return_delivered_order_items", one, {}, RETAIL)
    assert "items" in completion("return_delivered_order_items", two, {}, RETAIL)


def test_an_address_is_written_with_state_and_zip_together() -> None:
    address = {"address1": "61 Orchard Street", "address2": "Floor 2", "city": "Burlington", "state": "VT",
               "zip": "05401", "country": "USA"}
    assert address_text(address) == "61 Orchard Street, Floor 2, Burlington, VT 05401, USA"


def test_library_requests_read_as_a_person_would_say_them() -> None:
    clumsy = re.compile(r"orders that (?:have not|haven't) shipped yet costs|could you change nothing|"
                        r"change nothing else|send back the [a-z ]+ I (?:got|received)\. I'm hoping to return", re.I)
    for name in ("retail/cancel_priciest_pending.writ", "airline/swap_passenger.writ",
                 "retail/return_described_item.writ"):
        for messages in _dialogues(name):
            said = " ".join(m.text for m in messages if m.role == "user")
            assert not clumsy.search(said), said


def _agent_texts(name: str, n: int = 8) -> list[str]:
    return [m.text for messages in _dialogues(name, n) for m in messages if m.role == "assistant" and m.text]


def test_a_proposal_names_its_record_and_counts_its_candidates_once() -> None:
    for name in ("airline/add_checked_bags.writ", "airline/cancel_trip_by_departure.writ"):
        for said in _agent_texts(name, 12):
            for rid in set(re.findall(r"reservation ([A-Z0-9]{6})\b", said)):
                assert said.count(rid) < 3, said
            counts = re.findall(r"\b(\d+) reservations\b", said)
            assert len(counts) == len(set(counts)), said


def test_a_price_already_told_is_not_repeated_in_the_decision() -> None:
    for said in _agent_texts("airline/book_cheapest_from_new_york.writ"):
        for figure in re.findall(r"the total price[^$]*(\$[\d,]+\.\d\d)", said):
            assert not re.search(rf"(?:at|for|costs|is) {re.escape(figure)} (?:per|a|for each)", said), said


def test_a_completion_says_what_changed() -> None:
    flights = {"reservation_id": "AB12CD", "cabin": "business", "payment_id": "credit_card_1",
               "flights": [{"flight_number": "HAT001", "date": "2024-05-20"}]}
    assert "business class" in completion("update_reservation_flights", flights, {}, AIRLINE)
    people = {"reservation_id": "AB12CD", "passengers": [{"first_name": "Mia", "last_name": "Li", "dob": "1990-01-02"}]}
    assert "Mia Li" in completion("update_reservation_passengers", people, {}, AIRLINE)


def test_free_bags_carry_no_word_of_fees() -> None:
    free = {"reservation_id": "AB12CD", "total_baggages": 3, "nonfree_baggages": 0, "payment_id": "credit_card_1"}
    paid = {**free, "nonfree_baggages": 1}
    assert "any bag fees" not in proposal("update_reservation_baggages", free, AIRLINE)
    assert "any bag fees" in proposal("update_reservation_baggages", paid, AIRLINE)


def test_a_closing_thanks_for_no_check_that_was_not_made() -> None:
    assert not [s for s in every(agent_phrases.CLOSING_BRIDGES) if "checked" in s]


def test_retail_evidence_names_the_account_once() -> None:
    calls = [("find_user_id_by_email", {"email": "a@b.c"}), ("get_user_details", {"user_id": "a_1"})]
    for variant in range(200):
        said = evidence_sentence(calls, RETAIL, variant=variant)
        assert len(re.findall(r"\baccount\b", said)) <= 1, said


def test_a_user_gives_the_user_id_as_a_person_would() -> None:
    said = every(user_phrases.FACTS["user_id"])
    assert not [s for s in said if s.startswith(("Try ", "Use ")) or "for the user ID" in s]


def test_a_chatty_user_does_not_give_the_same_praise_twice() -> None:
    task = next(t for t in api.compile_paths([SPECS / "airline/add_checked_bags.writ"],
                                             api.compile_options(n=40, seed=0)).tasks
                if t.behavior and t.behavior.settings.get("verbosity") == "chatty")
    conv = [Message("assistant", "Hello!"), Message("user", "Yes, go ahead. You've made this so easy, thank you!"),
            Message("assistant", "Done. Is there anything else I can help you with?")]
    for n in range(60):
        said = ScriptedUser(task.model_copy(update={"id": f"{task.id}-{n}"})).next_message(conv).text
        assert "made this so easy" not in said, said


def test_an_opening_reason_adds_to_the_request_rather_than_restating_it() -> None:
    for name in ("retail/exchange_for_variant.writ", "airline/upgrade_trip_by_destination.writ",
                 "retail/switch_order_payment.writ"):
        result = api.compile_paths([SPECS / name], api.compile_options(n=6, seed=0))
        for task in result.tasks:
            reason = task.user_scenario.reason_for_call
            named = set(re.findall(r"#W\d+|(?<!^)\b[A-Z][a-z]+(?:-[A-Z][a-z]+)*\b", reason)) - {"You", "Your", "The", "One"}
            assert not [w for w in named if w in task.user_scenario.task_instructions], reason


def test_a_decision_does_not_count_again_the_candidates_the_evidence_just_counted() -> None:
    referred = 0
    for name in ("retail/return_described_item.writ", "retail/cancel_priciest_pending.writ",
                 "retail/cancel_pending_over_limit.writ"):
        for said in _agent_texts(name, 12):
            sentences = re.split(r"(?<=[.?!]) ", said)
            for first, second in pairwise(sentences):
                for n, noun in re.findall(r"\b(\d+|both) (?:of your )?(orders|reservations)\b", first):
                    again = rf"\b(?:{n}|2) {noun}\b" if n == "both" else rf"\b{n} {noun}\b"
                    assert not re.search(again, second), said
                    referred += second.startswith(("Of those", "Of them", "Among them", "Going through them",
                                                   "Comparing them"))
    assert referred


def test_a_closing_thanks_for_the_time_not_for_details_given_long_before() -> None:
    closings = every(agent_phrases.CLOSING_BRIDGES) + every(agent_phrases.CLOSING_BRIDGES_NAMED)
    assert closings and not [said for said in closings if "details" in said]


def test_a_count_of_one_is_not_told_as_a_total() -> None:
    totals = re.compile(r"in all|in total|altogether|all told", re.IGNORECASE)
    for done in (False, True):
        for text in ("cancelled 1 order", "1 reservation"):
            said = {fact_sentences.count_sentence(text, done, variant) for variant in range(40)}
            assert len(said) > 1 and all(text in s and not totals.search(s) for s in said), said
        assert any(totals.search(fact_sentences.count_sentence("cancelled 3 orders", done, v)) for v in range(40))


def test_a_figure_is_not_called_the_users_own() -> None:
    said = {fact_sentences.fact_sentence("4338.00", [], "refund", variant) for variant in range(60)}
    assert "The figure you asked for, the refund, is $4,338.00." in said
    assert not any(s.startswith("Your figure") for s in said)


def test_a_status_the_decision_gave_is_not_told_again_in_what_the_order_holds() -> None:
    order = {"order_id": "#W1", "status": "pending", "items": [{"item_id": "i1", "name": "Backpack", "options": {}}]}
    reads = [("get_order_details", order)]
    told = summaries.findings({"order_id": "#W1"}, reads, RETAIL, before="Order #W1 is pending and costs $120.")
    untold = summaries.findings({"order_id": "#W1"}, reads, RETAIL, before="I looked up order #W1.")
    assert told and "pending" not in told[0] and "Backpack" in told[0]
    assert untold and "pending" in untold[0]
    said = [m.text for messages in _dialogues("retail/cancel_pending_over_limit.writ") for m in messages
            if m.role == "assistant" and "pending" in m.text]
    assert said and not [text for text in said if len(re.findall(r"\bpending\b", text)) > 1]


def test_amounts_are_written_one_way_whatever_wrote_them() -> None:
    """The specs' ``money`` filter and the agent's own sentences both separate thousands ("$1,942.75"); a fact
    is still found in them, as τ²-bench reads a message without its commas."""
    assert fact_sentences.fact_sentence("2052.00", [], "refund", 0) == "The refund is $2,052.00."
    assert fact_sentences.direction_sentence("1250.50", "fare difference", "pay", "your gift card", 0).startswith(
        "You would pay $1,250.50 ")
    said = [m.text for name in ("airline/cancel_eligible_reservation.writ", "retail/cancel_pending_over_limit.writ")
            for messages in _dialogues(name) for m in messages if m.role == "assistant"]
    assert any(re.search(r"\$\d{1,3},\d{3}", text) for text in said)
    assert not [text for text in said if re.search(r"\$\d{4}", text)]


def test_a_long_list_of_lookups_does_not_end_in_a_dangling_open() -> None:
    calls = [("get_user_details", {"user_id": "u1"}), ("get_reservation_details", {"reservation_id": "ABC123"})]
    said = {evidence_sentence(calls, AIRLINE, variant) for variant in range(200)}
    assert any(s.startswith("I now have") for s in said)
    assert not [s for s in said if s.endswith(" open.")]


def test_a_second_change_to_the_record_just_changed_is_not_chosen_again() -> None:
    """Bags added to the reservation just upgraded: the proposal goes on from the change, without
    picking that reservation out of all of them once more."""
    followed = 0
    for messages in _dialogues("airline/upgrade_and_bags_two_trips.writ", 12):
        writes = [(i, c.arguments) for i, m in enumerate(messages) for c in m.tool_calls
                  if c.name.startswith("update_")]
        for (done_at, done), (next_at, upcoming) in pairwise(writes):
            if done["reservation_id"] != upcoming["reservation_id"]:
                continue
            followed += 1
            proposal = next(m.text for m in messages[done_at:next_at] if m.role == "assistant" and m.is_text)
            assert done["reservation_id"] in proposal and not re.search(r"\b\d+ reservations\b", proposal), proposal
    assert followed


def test_a_booking_proposal_names_its_total_once_and_answers_the_question() -> None:
    """"The total price comes out at $205.00. ... I would charge the total $205.00 to your gift card." says
    it twice: where the charge sentence names the total, it answers the question alone; where it does not
    ("All $107.00 goes on your gift card"), the total is told first."""
    for name in ("airline/book_cheapest_from_new_york.writ", "airline/book_fastest_business.writ"):
        result = api.compile_paths([SPECS / name], api.compile_options(n=8, seed=0))
        for task in result.tasks:
            env = environment_for(task)
            dialogue = run_dialogue(env, ScriptedUser(task), OracleAgent(task))
            proposal = next(m.text for m in dialogue.messages if m.role == "assistant" and m.text and "book" in m.text
                            and "?" in m.text)
            total = next(f.text for f in task.facts if f.label == "total price")
            assert total.replace(",", "") in proposal.replace(",", ""), proposal
            assert len(re.findall(r"\btotal\b", proposal, re.I)) == 1, proposal
            assert verify.verify(task, env, dialogue).outcome == verify.VERIFIED


def test_a_price_difference_leaves_its_payment_method_to_the_proposal_that_names_it() -> None:
    """Not "There is a price difference of $6.94 to pay, charged to your Amex card ending in 9842. ... with your
    Amex card ending in 9842 taking care of the price difference": the method is named once."""
    methods = re.compile(r"card ending in \d{4}|PayPal account|gift card")
    checked = 0
    for name in ("retail/change_pending_item.writ", "airline/move_trip_fewest_stops.writ"):
        for messages in _dialogues(name):
            for text in (m.text for m in messages if m.role == "assistant" and m.text and "?" in m.text):
                named = methods.findall(text)
                checked += bool(named)
                assert len(named) == len(set(named)), text
    assert checked


def test_a_ranking_over_some_of_the_orders_read_says_which_ones() -> None:
    """Three orders read, the two pending ones ranked: "Looking across 2 pending orders", not "2 orders"."""
    subsets = 0
    for messages in _dialogues("retail/cancel_priciest_pending.writ", 12):
        read = len({c.arguments["order_id"] for m in messages for c in m.tool_calls if c.name == "get_order_details"})
        proposal = next(m.text for m in messages if m.role == "assistant" and m.text and "?" in m.text
                        and "#W" in m.text)
        for counted in re.finditer(r"\b(\d+) (pending )?orders\b", proposal):
            if int(counted.group(1)) < read:
                subsets += 1
                assert counted.group(2), proposal
    assert subsets


def test_a_flight_that_lands_the_next_day_is_described_so() -> None:
    overnight = {"flight_number": "HAT159", "origin": "PHX", "scheduled_departure_time_est": "19:50:00",
                 "scheduled_arrival_time_est": "00:35:00+1"}
    same_day = {**overnight, "flight_number": "HAT160", "scheduled_arrival_time_est": "23:10:00"}
    assert summaries._describe(overnight, lambda name: name) == "flight HAT159 from PHX (19:50 to 00:35 the next day)"
    assert summaries._describe([same_day, overnight], lambda name: name) == (
        "the connection HAT160 from PHX (19:50 to 23:10) then HAT159 from PHX (19:50 to 00:35 the next day)")


def _leg(number: str, origin: str, destination: str, day: str, leaves: str, lands: str) -> dict[str, object]:
    return {"flight_number": number, "origin": origin, "destination": destination, "date": day,
            "scheduled_departure_time_est": leaves, "scheduled_arrival_time_est": lands,
            "prices": {"business": 600}, "available_seats": {"business": 4}}


def test_the_legs_of_a_one_way_trip_on_two_days_connect_and_the_winner_is_named() -> None:
    """An overnight connection is one direction: its second leg is not a flight "back"; and the same two flights
    offered again from the next day's search do not hide which option won."""
    user = {"first_name": "Daiki", "last_name": "Lopez", "dob": "1994-05-02"}
    for day in range(16, 28):
        first, second = f"2024-05-{day}", f"2024-05-{day + 1}"
        for number in range(10, 40):
            args = {"user_id": "daiki_1", "origin": "EWR", "destination": "SEA", "flight_type": "one_way",
                    "cabin": "business", "flights": [{"flight_number": f"HAT{number:03d}", "date": first},
                                                     {"flight_number": "HAT014", "date": second}],
                    "passengers": [user], "payment_methods": [{"payment_id": "credit_card_1", "amount": 1325}],
                    "total_baggages": 0, "nonfree_baggages": 0, "insurance": "no"}
            said = proposal("book_reservation", args, AIRLINE)
            assert not re.search(r"\b(back|return\w*)\b", said), said
    night = [_leg("HAT253", "EWR", "DEN", "2024-05-24", "23:25:00", "03:35:00+1"),
             _leg("HAT014", "DEN", "SEA", "2024-05-25", "07:20:00", "09:50:00")]
    next_night = [{**leg, "date": f"2024-05-{int(str(leg['date'])[-2:]) + 1}"} for leg in night]
    reads = [("search_onestop_flight", {"origin": "EWR", "destination": "SEA", "date": "2024-05-24"}, [night]),
             ("search_onestop_flight", {"origin": "EWR", "destination": "SEA", "date": "2024-05-25"}, [next_night])]
    write = {"flights": [{"flight_number": "HAT253", "date": "2024-05-24"},
                         {"flight_number": "HAT014", "date": "2024-05-25"}], "cabin": "business"}
    decision = decision_sentence(write, reads, AIRLINE, ["min:duration"])
    assert "the connection HAT253" in decision and "2 connections" in decision, decision


def test_only_a_round_trip_comes_back() -> None:
    legs = [{"flight_number": "HAT058", "date": "2024-05-18"}, {"flight_number": "HAT197", "date": "2024-05-23"}]
    said = {proposal("update_reservation_flights", {"reservation_id": f"R{n:05d}", "cabin": "business",
                                                     "flights": legs, "payment_id": "credit_card_1"}, AIRLINE)
            for n in range(60)}
    assert not [s for s in said if re.search(r"\b(back|return\w*|connect\w*)\b", s)]
    done = {completion("update_reservation_flights", {"reservation_id": f"R{n:05d}", "cabin": "business",
                                                       "flights": [{**leg, "flight_number": f"HAT{n:03d}"}
                                                                   for leg in legs], "payment_id": "credit_card_1"},
                       {"reservation_id": f"R{n:05d}", "flight_type": "round_trip"}, AIRLINE) for n in range(60)}
    assert any(re.search(r"\bback on flight", s) for s in done) and not [s for s in done if "connect" in s]


def test_a_user_asks_in_their_own_words_and_never_repeats_an_instruction_to_ask() -> None:
    said = first_person_request("Exchange the lamp for the one with color red, with any difference on that order's "
                                "payment method; ask how big the difference is.", "lamp")
    assert "how big the difference is" in said and not re.search(r"\bask\b", said), said
    instruction = re.compile(r"\bask (?:how|what|whether|if|the|for)\b", re.I)
    for name in sorted(p.relative_to(SPECS).as_posix() for p in SPECS.glob("*/*.writ") if p.parent.name != "common"):
        for messages in _dialogues(name, 4):
            spoken = [m.text for m in messages if m.role == "user" and m.text]
            assert not [text for text in spoken if instruction.search(text)], (name, spoken)


def test_a_thing_that_did_not_suit_the_user_did_not_suit_me() -> None:
    assert flip_person("It turned out not to suit you, and the other fits you.") == (
        "It turned out not to suit me, and the other fits me.")


def test_the_greeting_keeps_to_the_time_the_prompt_states() -> None:
    """The policy fixes the time at 15:00: no "Good morning!" then, nor "Good evening!"."""
    greetings = [m.text for name in ("airline/add_checked_bags.writ", "retail/return_delivered_item.writ")
                 for messages in _dialogues(name, 40) for m in messages[:2] if m.role == "assistant"]
    assert not [g for g in greetings if re.search(r"good (morning|evening)", g, re.I)]
    assert [g for g in greetings if g.startswith("Good afternoon!")]
    at = {hour: prompt_hour([Message("system", f"The current time is 2024-05-15 {hour:02d}:00:00 EST.")])
          for hour in (9, 15, 20)}
    assert at == {9: 9, 15: 15, 20: 20} and prompt_hour([Message("system", "policy")]) is None
    for hour, part in ((9, "morning"), (15, "afternoon"), (20, "evening"), (None, "")):
        said = " ".join(every(agent_phrases.salutations(hour)))
        parts = set(re.findall(r"\bGood (morning|afternoon|evening)\b", said))
        assert parts == ({part} if part else set()), (hour, parts)


def test_a_proposal_states_the_amount_its_lookups_determine() -> None:
    """A bag fee, a price difference: "charging the $100.00 bag fee to ...", not "any bag fees"."""
    reservation = {"reservation_id": "KLKR36", "cabin": "economy", "nonfree_baggages": 1, "passengers": [{}],
                   "flights": [{"flight_number": "HAT340", "date": "2024-05-16", "price": 120}]}
    bags = {"reservation_id": "KLKR36", "total_baggages": 5, "nonfree_baggages": 3, "payment_id": "credit_card_1"}
    assert "$100.00 bag fee" in proposal("update_reservation_baggages", bags, AIRLINE, results=[reservation])
    assert "any bag fees" in proposal("update_reservation_baggages", bags, AIRLINE)
    upgrade = {"reservation_id": "KLKR36", "cabin": "business", "payment_id": "credit_card_1",
               "flights": [{"flight_number": "HAT340", "date": "2024-05-16"}]}
    offer = [{"flight_number": "HAT340", "date": None, "prices": {"business": 420, "economy": 120}}]
    assert "$300.00 fare difference" in proposal("update_reservation_flights", upgrade, AIRLINE,
                                                 results=[reservation, offer])
    order = {"order_id": "#W1", "items": [{"item_id": "1", "price": 49.70, "name": "Board Game"}]}
    product = {"product_id": "9", "name": "Board Game", "variants": {"2": {"item_id": "2", "price": 42.24}}}
    swap = {"order_id": "#W1", "item_ids": ["1"], "new_item_ids": ["2"], "payment_method_id": "paypal_1"}
    for tool in ("modify_pending_order_items", "exchange_delivered_order_items"):
        said = proposal(tool, swap, RETAIL, results=[order, product])
        assert "$7.46" in said and re.search(r"refund|credit", said) and "any" not in said, said
    for name in ("airline/add_checked_bags.writ", "retail/cancel_one_rework_other.writ"):
        asked = [m.text for messages in _dialogues(name) for m in messages if m.role == "assistant" and m.text
                 and "?" in m.text and re.search(r"bag fee|price difference|the difference", m.text)]
        assert asked and all(re.search(r"\$[\d,]+\.\d\d (bag fee|price difference)|no (new )?(bag fee|price "
                                       r"difference)", text) for text in asked), asked


def test_an_exchange_proposal_asks_the_user_to_list_every_item_to_exchange() -> None:
    """An order's items are exchanged once: the yes to the proposal also says nothing else is to be exchanged."""
    reminder = re.compile(r"only (?:be )?(?:exchanged |done )?once[^.?]*\b(?:every|everything|nothing else)\b")
    said = [proposal("exchange_delivered_order_items", {"order_id": f"#W{n}", "item_ids": ["1"],
                                                          "new_item_ids": ["2"], "payment_method_id": "paypal_1"},
                     RETAIL) for n in range(40)]
    assert all(reminder.search(s) for s in said), [s for s in said if not reminder.search(s)]
    asked = [m.text for messages in _dialogues("retail/exchange_for_variant.writ") for m in messages
             if m.role == "assistant" and m.text and re.search(r"\bexchange [^.?]* for [^?]*\?$", m.text)
             and not re.search(r"anything else", m.text, re.I)]
    assert asked and all(reminder.search(text) for text in asked), asked


def test_a_booking_is_not_called_a_change_one_traveller_is_not_a_party_and_a_question_has_no_form_codes() -> None:
    texts = [text for name in ("airline/book_cheapest_from_new_york.writ", "airline/book_given_flight.writ")
             for text in _agent_texts(name, 24)]
    booked = [t for t in texts if re.search(r"reservation \w+ is booked", t, re.I)]
    assert booked and not [t for t in booked if re.search(r"\bchange is (in|made)\b", t, re.I)]
    assert not [t for t in texts if "your party" in t and re.search(r"\b1 passenger\b", t)]
    assert "(yes/no)" not in " ".join(every(agent_phrases.CONFIRM_QUESTIONS))
    user = {"first_name": "Mia", "last_name": "Li", "dob": "1990-01-02"}
    for number in range(60):
        args = {"origin": "JFK", "destination": "LAX", "flight_type": "one_way", "cabin": "economy",
                "flights": [{"flight_number": f"HAT{number:03d}", "date": "2024-05-20"}], "passengers": [user],
                "payment_methods": [{"payment_id": "gift_card_1", "amount": 100}], "insurance": "no"}
        assert "your party" not in proposal("book_reservation", args, AIRLINE)
