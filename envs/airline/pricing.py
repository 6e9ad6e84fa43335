"""Fares, fees and payments: what a booking or a change costs, and how it is paid."""

from __future__ import annotations

from collections import Counter
from typing import Any

from writ_dsl.env.core import State, ToolError

from .models import Payment

INSURANCE_FEE = 30
BAG_FEE = 50
STORED_VALUE_SOURCES = ("gift_card", "certificate")


def booking_total(segment_prices: list[int], passengers: int, insurance: str, nonfree_baggages: int) -> int:
    """Fares for every passenger, plus insurance per passenger and the fee of each non-free bag."""
    total = sum(segment_prices) * passengers
    if insurance == "yes":
        total += INSURANCE_FEE * passengers
    return total + BAG_FEE * nonfree_baggages


def _user_method(user: dict[str, Any], payment_id: str, message: str) -> dict[str, Any]:
    method = user["payment_methods"].get(payment_id)
    if method is None:
        raise ToolError(message)
    return method


def check_booking_payments(user: dict[str, Any], payments: list[Payment], total: int) -> None:
    """Every method is the user's, stored value covers what it pays, and the amounts add up."""
    requested: Counter[str] = Counter()
    for payment in payments:
        method = _user_method(user, payment.payment_id, f"Payment method {payment.payment_id} not found")
        requested[payment.payment_id] += payment.amount
        if method["source"] in STORED_VALUE_SOURCES and method["amount"] < requested[payment.payment_id]:
            raise ToolError(f"Not enough balance in payment method {payment.payment_id}")
    paid = sum(payment.amount for payment in payments)
    if paid != total:
        raise ToolError(f"Payment amount does not add up, total price is {total}, but paid {paid}")


def charge_booking(state: State, user_id: str, payments: list[Payment]) -> None:
    """Draw the payments: gift cards lose the amount, a used certificate is removed."""
    methods = state.edit("users", user_id)["payment_methods"]
    for payment in payments:
        method = methods.get(payment.payment_id)
        if method is None:
            continue
        if method["source"] == "gift_card":
            method["amount"] -= payment.amount
        elif method["source"] == "certificate":
            del methods[payment.payment_id]


def check_update_payment(user: dict[str, Any], payment_id: str, amount: int) -> None:
    """A change is paid (or refunded) with one credit card or gift card of the user."""
    method = _user_method(user, payment_id, "Payment method not found")
    if method["source"] == "certificate":
        raise ToolError("Certificate cannot be used to update reservation")
    if method["source"] == "gift_card" and method["amount"] < amount:
        raise ToolError("Gift card balance is not enough")


def charge_update(state: State, user_id: str, payment_id: str, amount: int) -> dict[str, Any] | None:
    """Move ``amount`` (a refund when negative); the payment entry to record, if any."""
    method = state.get("users", user_id)["payment_methods"][payment_id]
    if method["source"] == "gift_card" and amount != 0:
        state.edit("users", user_id)["payment_methods"][payment_id]["amount"] -= amount
    if amount == 0:
        return None
    return {"payment_id": payment_id, "amount": amount}
