"""The shapes of what the retail tools return and of the database's records.

``writ check`` types field access on read results with these models (a typo is
a located error); ``writ env show retail --results`` prints them. Fields that
some records lack are optional (``None`` when absent).
"""

from __future__ import annotations

from pydantic import Field

from writ_dsl.env.shapes import Address, Name, Shape


class PaymentMethod(Shape):
    source: str = Field(description="credit_card, paypal or gift_card")
    id: str
    brand: str | None = Field(None, description="credit cards only")
    last_four: str | None = Field(None, description="credit cards only")
    balance: float | None = Field(None, description="gift cards only")


class User(Shape):
    user_id: str
    name: Name
    address: Address
    email: str
    payment_methods: dict[str, PaymentMethod] = Field(description="keyed by payment method id")
    orders: list[str] = Field(description="order ids")


class Variant(Shape):
    item_id: str
    options: dict[str, str]
    available: bool
    price: float


class Product(Shape):
    name: str
    product_id: str
    variants: dict[str, Variant] = Field(description="keyed by item id")


class OrderItem(Shape):
    name: str
    product_id: str
    item_id: str
    price: float
    options: dict[str, str]


class Fulfillment(Shape):
    tracking_id: list[str]
    item_ids: list[str]


class Transaction(Shape):
    transaction_type: str = Field(description="payment or refund")
    amount: float
    payment_method_id: str


class Order(Shape):
    order_id: str
    user_id: str
    address: Address
    items: list[OrderItem]
    status: str = Field(description="pending, processed, delivered, cancelled, 'return requested', ...")
    fulfillments: list[Fulfillment]
    payment_history: list[Transaction]
    cancel_reason: str | None = None
    exchange_items: list[str] | None = None
    exchange_new_items: list[str] | None = None
    exchange_payment_method_id: str | None = None
    exchange_price_difference: float | None = None
    return_items: list[str] | None = None
    return_payment_method_id: str | None = None


RESULTS = {
    "find_user_id_by_email": str,
    "find_user_id_by_name_zip": str,
    "get_user_details": User,
    "get_order_details": Order,
    "get_product_details": Product,
    "get_item_details": Variant,
    "list_all_product_types": str,
    "cancel_pending_order": Order,
    "modify_pending_order_address": Order,
    "modify_pending_order_items": Order,
    "modify_pending_order_payment": Order,
    "modify_user_address": User,
    "return_delivered_order_items": Order,
    "exchange_delivered_order_items": Order,
    "calculate": str,
    "transfer_to_human_agents": str,
}

RECORDS = {"users": User, "orders": Order, "products": Product}
