"""The retail environment: an online store's customers, products and orders (τ²-bench compatible)."""

from __future__ import annotations

from pathlib import Path

from writ_dsl.env.core import Domain

from . import catalog_tools, generic_tools, item_tools, order_tools, user_tools
from .generator import generate
from .records import ORDER_FIELDS, PRODUCT_FIELDS, USER_FIELDS

_HERE = Path(__file__).resolve().parent

TOOL_ORDER = (
    "find_user_id_by_email",
    "find_user_id_by_name_zip",
    "get_user_details",
    "get_order_details",
    "get_product_details",
    "get_item_details",
    "list_all_product_types",
    "cancel_pending_order",
    "modify_pending_order_address",
    "modify_pending_order_items",
    "modify_pending_order_payment",
    "modify_user_address",
    "return_delivered_order_items",
    "exchange_delivered_order_items",
    "calculate",
    "transfer_to_human_agents",
)

_ALL_TOOLS = {
    tool.name: tool
    for module in (user_tools, catalog_tools, order_tools, item_tools, generic_tools)
    for tool in module.TOOLS
}

DOMAIN = Domain(
    name="retail",
    description=(
        "Customer service for an online store: identify customers, answer questions about products and "
        "orders, cancel or modify pending orders, and request returns or exchanges of delivered ones."
    ),
    policy=(_HERE / "policy.md").read_text(encoding="utf-8"),
    tools={name: _ALL_TOOLS[name] for name in TOOL_ORDER},
    db_schema={
        "products": frozenset(PRODUCT_FIELDS),
        "users": frozenset(USER_FIELDS),
        "orders": frozenset(ORDER_FIELDS),
    },
    generate=generate,
    path=_HERE,
)
