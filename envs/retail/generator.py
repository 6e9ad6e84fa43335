"""A deterministic generator of retail databases in τ²-bench's layout.

The same (seed, size) always gives the same database, in any process: every
random stream is seeded from a sha256 of its label. The product catalogue
depends on the seed only; size scales the customers (100 per unit of size) and
their orders (about two per customer, in every order status).
"""

from __future__ import annotations

import hashlib
import itertools
import random
from collections.abc import Callable
from typing import Any

from .generator_data import CARD_BRANDS, CITIES, FIRST_NAMES, LAST_NAMES, PRODUCT_TYPES, STREETS

USERS_PER_SIZE = 100
ORDERS_PER_USER = {0: 5, 1: 25, 2: 30, 3: 22, 4: 12, 5: 6}
ITEMS_PER_ORDER = {1: 30, 2: 28, 3: 20, 4: 14, 5: 8}
STATUS_WEIGHTS = {
    "pending": 30,
    "pending (item modified)": 5,
    "processed": 12,
    "delivered": 33,
    "cancelled": 10,
    "exchange requested": 5,
    "return requested": 5,
}
MIN_PER_STATUS = 3
CANCEL_REASONS = ("no longer needed", "ordered by mistake")

Record = dict[str, Any]


def generate(seed: int, size: int = 1) -> dict[str, dict[str, Record]]:
    """A retail database: {"products": ..., "users": ..., "orders": ...}."""
    if size < 1:
        raise ValueError(f"size must be at least 1, not {size}")
    products = make_products(stream(seed, "products"))
    rng = stream(seed, f"customers/{size}")
    users = make_users(rng, USERS_PER_SIZE * size)
    orders = make_orders(rng, products, users)
    return {"products": products, "users": users, "orders": orders}


def stream(seed: int, label: str) -> random.Random:
    digest = hashlib.sha256(f"writ-retail/{seed}/{label}".encode()).digest()
    return random.Random(int.from_bytes(digest[:16], "big"))


def _weighted(rng: random.Random, weights: dict[Any, int]) -> Any:
    return rng.choices(list(weights), weights=list(weights.values()))[0]


class UniqueIds:
    """Draws values until one is new, so that generated ids never collide."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.seen: set[str] = set()

    def fresh(self, draw: Callable[[], str]) -> str:
        value = draw()
        while value in self.seen:
            value = draw()
        self.seen.add(value)
        return value

    def digits(self, count: int, prefix: str = "") -> str:
        return self.fresh(lambda: prefix + "".join(self.rng.choices("0123456789", k=count)))


# -- products -------------------------------------------------------------
def make_products(rng: random.Random) -> dict[str, Record]:
    ids = UniqueIds(rng)
    products = {}
    for name, price, options in PRODUCT_TYPES:
        product_id = ids.digits(10)
        variants = _variants(rng, ids, price, options)
        products[product_id] = {"name": name, "product_id": product_id, "variants": variants}
    return products


def _variants(rng: random.Random, ids: UniqueIds, price: float, options: dict[str, list[str]]) -> dict:
    combos = list(itertools.product(*options.values()))
    count = rng.randint(min(5, len(combos)), min(20, len(combos)))
    variants = {}
    for index, combo in enumerate(rng.sample(combos, count)):
        item_id = ids.digits(10)
        variants[item_id] = {
            "item_id": item_id,
            "options": dict(zip(options, combo)),
            "available": index < 2 or rng.random() < 0.65,
            "price": round(price * rng.uniform(0.88, 1.12), 2),
        }
    return variants


# -- users ----------------------------------------------------------------
def make_users(rng: random.Random, count: int) -> dict[str, Record]:
    ids = UniqueIds(rng)
    users = {}
    for _ in range(count):
        user = _user(rng, ids)
        users[user["user_id"]] = user
    return users


def _user(rng: random.Random, ids: UniqueIds) -> Record:
    first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
    handle = f"{first.lower()}_{last.lower()}"
    address = _unique_address(rng, ids, handle)
    email_name = handle.replace("_", ".")
    return {
        "user_id": ids.fresh(lambda: f"{handle}_{rng.randint(1000, 9999)}"),
        "name": {"first_name": first, "last_name": last},
        "address": address,
        "email": ids.fresh(lambda: f"{email_name}{rng.randint(1000, 9999)}@example.com"),
        "payment_methods": _payment_methods(rng, ids),
        "orders": [],
    }


def _unique_address(rng: random.Random, ids: UniqueIds, handle: str) -> Record:
    """An address whose zip no other customer of the same name has (name + zip identify a user)."""
    address = _address(rng)
    while f"{handle}/{address['zip']}" in ids.seen:
        address = _address(rng)
    ids.seen.add(f"{handle}/{address['zip']}")
    return address


def _address(rng: random.Random) -> Record:
    city, state, zip_prefix = rng.choice(CITIES)
    second = rng.choice((f"Suite {rng.randint(100, 999)}", f"Apt {rng.randint(1, 40)}", ""))
    return {
        "address1": f"{rng.randint(100, 999)} {rng.choice(STREETS)}",
        "address2": second,
        "city": city,
        "country": "USA",
        "state": state,
        "zip": f"{zip_prefix}{rng.randint(0, 99):02d}",
    }


def _payment_methods(rng: random.Random, ids: UniqueIds) -> dict[str, Record]:
    count = _weighted(rng, {1: 45, 2: 40, 3: 15})
    methods = {}
    for source in rng.sample(["credit_card", "paypal", "gift_card"], count):
        method = {"source": source, "id": ids.digits(7, prefix=f"{source}_")}
        if source == "credit_card":
            method.update(brand=rng.choice(CARD_BRANDS), last_four=f"{rng.randint(0, 9999):04d}")
        elif source == "gift_card":
            method["balance"] = round(rng.uniform(0, 250), 2)
        methods[method["id"]] = method
    return methods


# -- orders ---------------------------------------------------------------
def make_orders(rng: random.Random, products: dict[str, Record], users: dict[str, Record]) -> dict:
    owners = [uid for uid in users for _ in range(_weighted(rng, ORDERS_PER_USER))]
    catalogue = [(product, list(product["variants"].values())) for product in products.values()]
    ids = UniqueIds(rng)
    orders = {}
    for user_id, status in zip(owners, _statuses(rng, len(owners))):
        order = _order(rng, ids, catalogue, users[user_id], status)
        orders[order["order_id"]] = order
        users[user_id]["orders"].append(order["order_id"])
    return orders


def _statuses(rng: random.Random, count: int) -> list[str]:
    """``count`` statuses, each one at least MIN_PER_STATUS times when there is room."""
    guaranteed = list(STATUS_WEIGHTS) * MIN_PER_STATUS
    guaranteed = guaranteed if count >= len(guaranteed) else []
    drawn = rng.choices(list(STATUS_WEIGHTS), list(STATUS_WEIGHTS.values()), k=count - len(guaranteed))
    statuses = guaranteed + drawn
    rng.shuffle(statuses)
    return statuses


def _order(rng: random.Random, ids: UniqueIds, catalogue: list, user: Record, status: str) -> Record:
    items = [_item(rng, catalogue) for _ in range(_weighted(rng, ITEMS_PER_ORDER))]
    method_id = rng.choice(list(user["payment_methods"]))
    total = round(sum(item["price"] for item in items), 2)
    order = {
        "order_id": ids.digits(7, prefix="#W"),
        "user_id": user["user_id"],
        "address": dict(user["address"]),
        "items": items,
        "status": status,
        "fulfillments": [],
        "payment_history": [_payment("payment", total, method_id)],
    }
    _STATUS_STEPS[status](rng, ids, order, catalogue, user)
    return order


def _item(rng: random.Random, catalogue: list) -> Record:
    product, variants = rng.choice(catalogue)
    variant = rng.choice(variants)
    return {
        "name": product["name"],
        "product_id": product["product_id"],
        "item_id": variant["item_id"],
        "price": variant["price"],
        "options": dict(variant["options"]),
    }


def _payment(kind: str, amount: float, method_id: str) -> Record:
    return {"transaction_type": kind, "amount": amount, "payment_method_id": method_id}


def _alternative(rng: random.Random, catalogue: list, item: Record) -> Record:
    """Another available variant of the item's product (every product has two available ones)."""
    variants = next(variants for product, variants in catalogue if product["product_id"] == item["product_id"])
    return rng.choice([v for v in variants if v["available"] and v["item_id"] != item["item_id"]])


def _ship(ids: UniqueIds, order: Record) -> None:
    item_ids = [item["item_id"] for item in order["items"]]
    order["fulfillments"] = [{"tracking_id": [ids.digits(12)], "item_ids": item_ids}]


def _modified(rng: random.Random, ids: UniqueIds, order: Record, catalogue: list, user: Record) -> None:
    item = rng.choice(order["items"])
    variant = _alternative(rng, catalogue, item)
    difference = round(variant["price"] - item["price"], 2)
    item.update(item_id=variant["item_id"], price=variant["price"], options=dict(variant["options"]))
    kind = "payment" if difference > 0 else "refund"
    method_id = order["payment_history"][0]["payment_method_id"]
    order["payment_history"].append(_payment(kind, abs(difference), method_id))


def _shipped(rng: random.Random, ids: UniqueIds, order: Record, catalogue: list, user: Record) -> None:
    _ship(ids, order)


def _cancelled(rng: random.Random, ids: UniqueIds, order: Record, catalogue: list, user: Record) -> None:
    order["cancel_reason"] = rng.choice(CANCEL_REASONS)
    paid = order["payment_history"][0]
    order["payment_history"].append(_payment("refund", paid["amount"], paid["payment_method_id"]))


def _exchange(rng: random.Random, ids: UniqueIds, order: Record, catalogue: list, user: Record) -> None:
    _ship(ids, order)
    pairs = [(item, _alternative(rng, catalogue, item)) for item in _some_items(rng, order)]
    order["exchange_items"] = sorted(item["item_id"] for item, _ in pairs)
    order["exchange_new_items"] = sorted(new["item_id"] for _, new in pairs)
    order["exchange_payment_method_id"] = rng.choice(list(user["payment_methods"]))
    order["exchange_price_difference"] = round(sum(new["price"] - item["price"] for item, new in pairs), 2)


def _return(rng: random.Random, ids: UniqueIds, order: Record, catalogue: list, user: Record) -> None:
    _ship(ids, order)
    order["return_items"] = sorted(item["item_id"] for item in _some_items(rng, order))
    order["return_payment_method_id"] = order["payment_history"][0]["payment_method_id"]


def _some_items(rng: random.Random, order: Record) -> list[Record]:
    return rng.sample(order["items"], rng.randint(1, len(order["items"])))


def _nothing(rng: random.Random, ids: UniqueIds, order: Record, catalogue: list, user: Record) -> None:
    return None


_STATUS_STEPS: dict[str, Callable[..., None]] = {
    "pending": _nothing,
    "pending (item modified)": _modified,
    "processed": _shipped,
    "delivered": _shipped,
    "cancelled": _cancelled,
    "exchange requested": _exchange,
    "return requested": _return,
}
