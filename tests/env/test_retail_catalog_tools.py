"""Retail catalogue tools: product types, products and items."""

from __future__ import annotations

import json

import pytest

from .retail_helpers import BLACK_S, MUG, SHIRT, Retail


@pytest.fixture
def retail() -> Retail:
    return Retail()


def test_list_all_product_types_is_sorted_json_text(retail: Retail) -> None:
    text = retail.ok("list_all_product_types")
    assert text == json.dumps({"Mug": MUG, "T-Shirt": SHIRT})
    assert retail.call("list_all_product_types").content() == '{"Mug": "1000000002", "T-Shirt": "1000000001"}'


def test_list_all_product_types_takes_no_arguments(retail: Retail) -> None:
    assert "Invalid arguments" in retail.error("list_all_product_types", kind="all")


def test_get_product_details(retail: Retail) -> None:
    product = retail.ok("get_product_details", product_id=SHIRT)
    assert product["name"] == "T-Shirt"
    assert len(product["variants"]) == 4
    assert product["variants"][BLACK_S] == {
        "item_id": BLACK_S,
        "options": {"color": "black", "size": "S"},
        "available": False,
        "price": 22.0,
    }


def test_get_product_details_unknown(retail: Retail) -> None:
    assert retail.error("get_product_details", product_id="999") == "Product not found"


def test_get_product_details_rejects_an_item_id(retail: Retail) -> None:
    assert retail.error("get_product_details", product_id=BLACK_S) == "Product not found"


def test_get_item_details_searches_every_product(retail: Retail) -> None:
    assert retail.ok("get_item_details", item_id="3000000002") == {
        "item_id": "3000000002",
        "options": {"color": "black"},
        "available": True,
        "price": 12.0,
    }


def test_get_item_details_unknown(retail: Retail) -> None:
    assert retail.error("get_item_details", item_id=SHIRT) == "Item not found"


def test_reads_leave_the_state_unchanged(retail: Retail) -> None:
    before = retail.state.state_hash()
    retail.ok("get_product_details", product_id=SHIRT)["variants"].clear()
    retail.ok("get_item_details", item_id=BLACK_S)["price"] = 0
    retail.ok("get_order_details", order_id="#W0000001")["items"].clear()
    assert retail.state.state_hash() == before
    assert retail.state.changed_keys == []
    assert len(retail.ok("get_product_details", product_id=SHIRT)["variants"]) == 4
