"""Every bundled tool carries the offline agent's wording for it (Tool.phrasing), so the runner keeps no
per-tool tables: reads say what was looked up, writes say what will be done and what was done."""

from __future__ import annotations

import pytest

from writ_dsl.env.core import ToolKind
from writ_dsl.env.registry import load_domain
from writ_dsl.env.wording import money, payment_method_names

TOOLS = [(domain, tool) for domain in ("airline", "retail") for tool in load_domain(domain).tools.values()]


@pytest.mark.parametrize(("domain", "tool"), TOOLS, ids=[f"{d}.{t.name}" for d, t in TOOLS])
def test_each_tool_has_its_phrases(domain, tool) -> None:
    phrasing = tool.phrasing
    if tool.kind is ToolKind.READ:
        assert phrasing.looked_up is not None
    elif tool.kind is ToolKind.WRITE:
        assert phrasing.proposal is not None and phrasing.done is not None
    else:
        assert phrasing.looked_up is not None or phrasing.proposal is not None


def test_payment_methods_and_amounts_read_as_a_person_says_them() -> None:
    methods = {"credit_card_1": {"source": "credit_card", "id": "credit_card_1", "brand": "mastercard",
                                 "last_four": "1234"},
               "gift_card_1": {"source": "gift_card", "id": "gift_card_1"},
               "gift_card_2": {"source": "gift_card", "id": "gift_card_2"},
               "paypal_3": {"source": "paypal", "id": "paypal_3"}}
    assert payment_method_names(methods) == {
        "credit_card_1": "your Mastercard ending in 1234", "gift_card_1": "your gift card ending in 1",
        "gift_card_2": "your gift card ending in 2", "paypal_3": "your PayPal account"}
    assert money(172.7) == "$172.70" and money(50) == "$50.00" and money("12.5") == "$12.50"


def test_many_looked_up_records_are_counted_not_listed():
    from writ_dsl.env.wording import records

    assert records("order", ["#W1"]) == "order #W1"
    assert records("order", ["#W1", "#W2", "#W3"]) == "your 3 orders (#W1, #W2, and #W3)"
    assert records("reservation", ["A", "B", "C", "D", "E"]) == "your 5 reservations"


def test_a_tool_message_follows_the_declared_result_models_key_order():
    from writ_dsl.env.key_order import in_model_order

    reservation = load_domain("airline").tools["get_reservation_details"].result
    record = {"status": None, "reservation_id": "R1", "extra": 1,
              "flights": [{"origin": "JFK", "destination": "LAX", "flight_number": "HAT1", "date": "d", "price": 1}]}
    ordered = in_model_order(record, reservation)
    assert list(ordered) == ["reservation_id", "flights", "status", "extra"]
    assert list(ordered["flights"][0]) == ["flight_number", "origin", "destination", "date", "price"]
    assert ordered == record


def test_a_booking_without_bags_or_insurance_has_no_contrast_to_draw() -> None:
    from envs.airline.phrases import booking

    said = set()
    for n in range(200):
        args = {"user_id": f"u{n}", "origin": "JFK", "destination": "SFO", "flight_type": "one_way",
                "cabin": "economy", "flights": [{"flight_number": f"HAT{n:03d}", "date": "2024-05-20"}],
                "passengers": [{"first_name": "Mia", "last_name": "Li", "dob": "1990-01-01"}],
                "payment_methods": [{"payment_id": "credit_card_1", "amount": 100 + n}], "total_baggages": 0,
                "nonfree_baggages": 0, "insurance": "no"}
        said.add(booking(args, lambda value: str(value)))
    assert len(said) > 5
    assert not any("no checked bags, but" in text for text in said), [t for t in said if ", but" in t]


def test_travel_dates_are_said_as_people_say_them() -> None:
    from envs.airline.phrases import flights, route
    from writ_dsl.env.wording import spoken_date

    assert spoken_date("2024-05-19") == "May 19" and spoken_date("2024-05-01") == "May 1"
    assert spoken_date("soon") == "soon"
    legs = flights([{"flight_number": "HAT001", "date": "2024-05-20"}, {"flight_number": "HAT002", "date": "2024-05-22"}])
    assert "May 20" in legs and "May 22" in legs and "2024" not in legs
    searched = route("direct flights")([{"origin": "JFK", "destination": "LAX", "date": "2024-05-20"},
                                        {"origin": "JFK", "destination": "LAX", "date": "2024-05-21"}])
    assert "on May 20 and May 21" in searched


def test_a_fare_difference_of_float_fares_that_cancel_out_is_nothing() -> None:
    from envs.airline.booking import fare_difference

    reservation = {"reservation_id": "R1", "cabin": "economy", "passengers": [{}],
                   "flights": [{"flight_number": "A", "date": "2024-05-01", "price": 0.1},
                               {"flight_number": "B", "date": "2024-05-01", "price": 0.2},
                               {"flight_number": "C", "date": "2024-05-01", "price": 0.3}]}
    search = [{"flight_number": n, "date": "2024-05-01", "prices": {"business": p}} for n, p in
              (("C", 0.3), ("B", 0.2), ("A", 0.1))]
    change = {"reservation_id": "R1", "cabin": "business",
              "flights": [{"flight_number": n, "date": "2024-05-01"} for n in ("C", "B", "A")]}
    assert fare_difference(change, [reservation, search]) == 0
