"""Retail customer tools: lookups by email or name and zip, profile, default address."""

from __future__ import annotations

import pytest

from .retail_helpers import Retail

NEW_ADDRESS = {
    "address1": "9 Elm Street",
    "address2": "Apt 3",
    "city": "Austin",
    "state": "TX",
    "country": "USA",
    "zip": "78701",
}


@pytest.fixture
def retail() -> Retail:
    return Retail()


def test_find_by_email_ignores_case(retail: Retail) -> None:
    assert retail.ok("find_user_id_by_email", email="ann.lee@EXAMPLE.com") == "ann_lee_1"
    assert retail.call("find_user_id_by_email", email="bob.ray@example.com").content() == "bob_ray_2"


def test_find_by_email_unknown(retail: Retail) -> None:
    assert retail.error("find_user_id_by_email", email="nobody@example.com") == "User not found"


def test_find_by_name_zip_ignores_name_case(retail: Retail) -> None:
    assert retail.ok("find_user_id_by_name_zip", first_name="bob", last_name="RAY", zip="94105") == "bob_ray_2"


@pytest.mark.parametrize(
    ("first", "last", "zip_code"),
    [("Bob", "Ray", "94106"), ("Bob", "Lee", "94105"), ("Ann", "Lee", "94105")],
)
def test_find_by_name_zip_needs_all_three(retail: Retail, first: str, last: str, zip_code: str) -> None:
    assert retail.error("find_user_id_by_name_zip", first_name=first, last_name=last, zip=zip_code) == "User not found"


def test_get_user_details_returns_a_copy(retail: Retail) -> None:
    user = retail.ok("get_user_details", user_id="ann_lee_1")
    assert user["email"] == "Ann.Lee@example.com"
    assert list(user["payment_methods"]) == ["credit_card_1", "paypal_1", "gift_card_1"]
    assert user["orders"] == ["#W0000001", "#W0000002", "#W0000003", "#W0000004"]
    user["payment_methods"]["gift_card_1"]["balance"] = 0
    assert retail.balance("ann_lee_1", "gift_card_1") == 50.1
    assert retail.db.tables["users"]["ann_lee_1"]["payment_methods"]["gift_card_1"]["balance"] == 50.1


def test_get_user_details_unknown(retail: Retail) -> None:
    assert retail.error("get_user_details", user_id="nobody_0") == "User not found"
    assert retail.call("get_user_details", user_id="nobody_0").content() == "Error: User not found"


def test_modify_user_address(retail: Retail) -> None:
    user = retail.ok("modify_user_address", user_id="ann_lee_1", **NEW_ADDRESS)
    expected = {key: NEW_ADDRESS[key] for key in ("address1", "address2", "city", "country", "state", "zip")}
    assert user["address"] == expected
    assert list(user["address"]) == list(expected)
    assert retail.state.get("users", "ann_lee_1")["address"] == expected
    assert retail.order("#W0000001")["address"]["zip"] == "10001"
    assert retail.db.tables["users"]["ann_lee_1"]["address"]["zip"] == "10001"
    assert retail.state.changed_keys == [("users", "ann_lee_1")]


def test_modify_user_address_unknown_user(retail: Retail) -> None:
    assert retail.error("modify_user_address", user_id="nobody_0", **NEW_ADDRESS) == "User not found"


def test_modify_user_address_requires_every_field(retail: Retail) -> None:
    partial = {k: v for k, v in NEW_ADDRESS.items() if k != "zip"}
    message = retail.error("modify_user_address", user_id="ann_lee_1", **partial)
    assert message.startswith("Invalid arguments for modify_user_address: zip:")
