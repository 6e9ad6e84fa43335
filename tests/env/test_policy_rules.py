"""Each domain's policy as code: the rules reject forbidden gold writes and accept allowed ones, the compiler
rejects an instance that breaks one with reason `policy`, and a tool left out of a domain's tool order is an error."""

from __future__ import annotations

from pathlib import Path

import pytest

from writ_dsl.api import compile_paths
from writ_dsl.compiler.compile import CompileOptions
from writ_dsl.env.core import Database
from writ_dsl.env.folder import ordered_tools
from writ_dsl.env.generic import calculate_tool, transfer_tool
from writ_dsl.env.policy import Action, policy_violations
from writ_dsl.env.registry import load_domain

RETAIL = load_domain("retail")
AIRLINE = load_domain("airline")


def _retail_db() -> Database:
    return Database({"orders": {"#W1": {"user_id": "u1"}, "#W2": {"user_id": "u2"}}, "users": {}, "products": {}})


def _address(order: str) -> Action:
    return Action("modify_pending_order_address", {"order_id": order, "address1": "1 Main St"})


def _items(order: str) -> Action:
    return Action("modify_pending_order_items", {"order_id": order, "item_ids": ["1"], "new_item_ids": ["2"],
                                                 "payment_method_id": "paypal_1"})


def test_retail_forbids_any_change_to_an_order_after_its_items_changed() -> None:
    db = _retail_db()
    assert policy_violations(RETAIL.policy_rules, [_address("#W1"), _items("#W1")], db) == []
    found = policy_violations(RETAIL.policy_rules, [_items("#W1"), _address("#W1")], db)
    assert found == ["modify_pending_order_address on order #W1 after its items were modified"]
    cancel = Action("cancel_pending_order", {"order_id": "#W1", "reason": "no longer needed"})
    assert policy_violations(RETAIL.policy_rules, [_items("#W1"), cancel], db)


def test_retail_forbids_changing_an_order_whose_items_changed_before_the_task() -> None:
    db = Database({"orders": {"#W1": {"user_id": "u1", "status": "pending (item modified)"},
                              "#W2": {"user_id": "u1", "status": "pending"}}, "users": {}, "products": {}})
    found = policy_violations(RETAIL.policy_rules, [_address("#W1")], db)
    assert found == ["modify_pending_order_address on order #W1 after its items were modified"]
    assert policy_violations(RETAIL.policy_rules, [_address("#W2")], db) == []


def test_retail_rules_cover_reasons_one_customer_and_one_exchange() -> None:
    db = _retail_db()
    bad_reason = Action("cancel_pending_order", {"order_id": "#W1", "reason": "too expensive"})
    assert policy_violations(RETAIL.policy_rules, [bad_reason], db)
    assert policy_violations(RETAIL.policy_rules, [_address("#W1"), _address("#W2")], db)
    twice = [Action("return_delivered_order_items", {"order_id": "#W1"}),
             Action("exchange_delivered_order_items", {"order_id": "#W1"})]
    assert policy_violations(RETAIL.policy_rules, twice, db)


def _airline_db(cabin: str, created: str = "2024-05-01T10:00:00", status: str = "available") -> Database:
    reservation = {"reservation_id": "R1", "user_id": "u1", "cabin": cabin, "created_at": created,
                   "insurance": "no", "total_baggages": 2,
                   "flights": [{"flight_number": "HAT001", "date": "2024-05-20"}]}
    flights = {"HAT001": {"dates": {"2024-05-20": {"status": status}}}}
    return Database({"reservations": {"R1": reservation}, "flights": flights, "users": {}})


def test_airline_cancellation_needs_a_condition_that_allows_it() -> None:
    cancel = [Action("cancel_reservation", {"reservation_id": "R1"})]
    assert policy_violations(AIRLINE.policy_rules, cancel, _airline_db("economy"))
    assert policy_violations(AIRLINE.policy_rules, cancel, _airline_db("business")) == []
    assert policy_violations(AIRLINE.policy_rules, cancel, _airline_db("economy", "2024-05-15T09:00:00")) == []
    assert policy_violations(AIRLINE.policy_rules, cancel, _airline_db("economy", status="flying"))


def test_airline_forbids_basic_economy_flight_changes_fewer_bags_and_certificates_for_changes() -> None:
    db = _airline_db("basic_economy")
    move = Action("update_reservation_flights", {"reservation_id": "R1", "cabin": "basic_economy",
                                                 "flights": [{"flight_number": "HAT002", "date": "2024-05-20"}],
                                                 "payment_id": "credit_card_1"})
    assert policy_violations(AIRLINE.policy_rules, [move], db)
    fewer = Action("update_reservation_baggages", {"reservation_id": "R1", "total_baggages": 1,
                                                   "nonfree_baggages": 0, "payment_id": "credit_card_1"})
    assert policy_violations(AIRLINE.policy_rules, [fewer], db)
    by_certificate = Action("update_reservation_baggages", {"reservation_id": "R1", "total_baggages": 3,
                                                            "nonfree_baggages": 1, "payment_id": "certificate_1"})
    assert policy_violations(AIRLINE.policy_rules, [by_certificate], db)


def test_airline_forbids_a_booking_without_a_passenger_or_a_payment() -> None:
    db = _airline_db("economy")
    passenger = {"first_name": "Ann", "last_name": "Lee", "dob": "1990-01-01"}
    paid = [{"payment_id": "credit_card_1", "amount": 100}]

    def booking(passengers: list, payments: list) -> Action:
        return Action("book_reservation", {"user_id": "u1", "passengers": passengers, "payment_methods": payments})

    assert "a booking without a passenger" in policy_violations(AIRLINE.policy_rules, [booking([], paid)], db)
    assert "a booking without a payment method" in policy_violations(AIRLINE.policy_rules,
                                                                     [booking([passenger], [])], db)
    assert not policy_violations(AIRLINE.policy_rules, [booking([passenger], paid)], db)


@pytest.mark.parametrize("domain", [RETAIL, AIRLINE], ids=["retail", "airline"])
def test_every_rule_is_documented(domain) -> None:
    assert domain.policy_rules
    assert all(rule.__doc__ for rule in domain.policy_rules)


def test_a_tool_missing_from_the_tool_order_is_an_error() -> None:
    tools = [calculate_tool("Sums."), transfer_tool("Hand over.")]
    assert [t.name for t in ordered_tools(tools, ["transfer_to_human_agents", "calculate"])] == [
        "transfer_to_human_agents", "calculate"]
    with pytest.raises(ValueError, match="missing from the tool order: transfer_to_human_agents"):
        ordered_tools(tools, ["calculate"])
    with pytest.raises(ValueError, match="without a tool: refund"):
        ordered_tools(tools, ["calculate", "transfer_to_human_agents", "refund"])


FORBIDDEN = '''env retail

task change_then_move {
    param order = one of db.orders where it.status == "pending" and count(it.payment_history) == 1
    let item = order.items[0]
    let product = one(db.products where it.product_id == item.product_id)
    param variant = one of values(product.variants) where it.available and it.item_id != item.item_id
    write changed = modify_pending_order_items(order_id = order.order_id, item_ids = [item.item_id],
        new_item_ids = [variant.item_id], payment_method_id = order.payment_history[0].payment_method_id)
    write modify_pending_order_address(order_id = changed.order_id, address1 = "1 Elm St", address2 = "",
        city = "Austin", state = "TX", country = "USA", zip = "78701")
    user {
        reason "You want to change an order."
        wants "Change an item, then the address."
    }
}
'''


def test_the_compiler_rejects_instances_that_break_the_policy(tmp_path: Path) -> None:
    spec = tmp_path / "forbidden.writ"
    spec.write_text(FORBIDDEN, encoding="utf-8")
    result = compile_paths([spec], CompileOptions(n=2, seed=0, max_attempts=5))
    report = result.reports[0]
    assert report.produced == 0 and report.rejected["policy"] == report.attempts
    assert any("after its items were modified" in d.message for d in result.diagnostics)
