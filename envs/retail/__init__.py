"""The retail environment: an online store's customers, products and orders (τ²-bench compatible)."""

from __future__ import annotations

from writ_dsl.env.folder import folder_domain
from writ_dsl.env.generic import calculate_tool, transfer_tool

from . import catalog_tools, item_tools, order_tools, user_tools
from . import results
from .generator import generate
from .records import ORDER_FIELDS, PRODUCT_FIELDS, USER_FIELDS

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

GENERIC_TOOLS = [
    calculate_tool(
        "Compute an arithmetic expression (numbers, + - * /, parentheses, spaces) and return the result "
        "rounded to 2 decimals."
    ),
    transfer_tool(
        "Hand the customer over to a human agent with a summary of the issue. Do this only when the "
        "customer explicitly asks for a human, or when the policy and the tools cannot resolve the issue."
    ),
]

_ALL_TOOLS = {
    tool.name: tool
    for tools in (user_tools.TOOLS, catalog_tools.TOOLS, order_tools.TOOLS, item_tools.TOOLS, GENERIC_TOOLS)
    for tool in tools
}

DOMAIN = folder_domain(
    __file__,
    name="retail",
    description=(
        "Customer service for an online store: identify customers, answer questions about products and "
        "orders, cancel or modify pending orders, and request returns or exchanges of delivered ones."
    ),
    tools=[_ALL_TOOLS[name] for name in TOOL_ORDER],
    tables={"products": PRODUCT_FIELDS, "users": USER_FIELDS, "orders": ORDER_FIELDS},
    generate=generate,
    results=results.RESULTS,
    records=results.RECORDS,
)
