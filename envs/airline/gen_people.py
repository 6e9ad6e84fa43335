"""Generated users: names, addresses, memberships, payment methods and saved passengers."""

from __future__ import annotations

import random
from typing import Any

from .records import NEW_CERTIFICATE_NUMBERS

FIRST_NAMES = (
    "Aarav", "Amelia", "Anya", "Carlos", "Chen", "Daiki", "Elena", "Emma", "Ethan", "Fatima",
    "Grace", "Hiro", "Ibrahim", "Isabella", "Ivan", "James", "Juan", "Kenji", "Lei", "Liam",
    "Lucas", "Mei", "Mia", "Mohamed", "Nadia", "Noah", "Olivia", "Omar", "Priya", "Raj",
    "Rosa", "Sakura", "Sara", "Sofia", "Sophia", "Tariq", "Uma", "Victor", "Yara", "Yusuf",
)
LAST_NAMES = (
    "Ahmed", "Anderson", "Brown", "Chen", "Davis", "Garcia", "Gonzalez", "Hernandez", "Ito", "Jackson",
    "Johnson", "Khan", "Kim", "Kovacs", "Lee", "Li", "Lopez", "Martin", "Martinez", "Moore",
    "Muller", "Nguyen", "Patel", "Rossi", "Sanchez", "Santos", "Silva", "Smith", "Suzuki", "Taylor",
    "Thomas", "Wang", "Wilson", "Wright", "Yamamoto", "Young", "Zhang",
)
STREETS = (
    "Main Street", "Oak Avenue", "Maple Drive", "Cedar Lane", "Elm Street", "Pine Road", "Lakeview Drive",
    "Sunset Boulevard", "Hillcrest Avenue", "River Road", "Park Place", "Willow Way", "Broadway", "Highland Avenue",
)
CITIES = (
    ("New York", "NY", 100), ("Brooklyn", "NY", 112), ("Los Angeles", "CA", 900), ("San Francisco", "CA", 941),
    ("Chicago", "IL", 606), ("Houston", "TX", 770), ("Austin", "TX", 787), ("Dallas", "TX", 752),
    ("Phoenix", "AZ", 850), ("Seattle", "WA", 981), ("Denver", "CO", 802), ("Miami", "FL", 331),
    ("Orlando", "FL", 328), ("Atlanta", "GA", 303), ("Boston", "MA", 21), ("Philadelphia", "PA", 191),
    ("Charlotte", "NC", 282), ("Detroit", "MI", 482), ("Minneapolis", "MN", 554), ("Las Vegas", "NV", 891),
)
MEMBERSHIPS = ("regular", "silver", "gold")
MEMBERSHIP_WEIGHTS = (35, 35, 30)
CARD_BRANDS = ("visa", "mastercard", "amex")
CERTIFICATE_AMOUNTS = (50, 100, 150, 200, 250, 500)


class IdPool:
    """Unique random numbers for payment ids, never one of the ids tools hand out."""

    def __init__(self) -> None:
        self.taken: set[int] = set(NEW_CERTIFICATE_NUMBERS)

    def number(self, rng: random.Random) -> int:
        while True:
            value = rng.randint(1_000_000, 9_999_999)
            if value not in self.taken:
                self.taken.add(value)
                return value


def birth_date(rng: random.Random, first_year: int = 1945, last_year: int = 2006) -> str:
    return f"{rng.randint(first_year, last_year)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"


def make_person(rng: random.Random) -> dict[str, str]:
    return {"first_name": rng.choice(FIRST_NAMES), "last_name": rng.choice(LAST_NAMES), "dob": birth_date(rng)}


def _address(rng: random.Random) -> dict[str, str]:
    city, state, zip_prefix = rng.choice(CITIES)
    unit = rng.choice(("Suite", "Apt", "Unit"))
    return {
        "address1": f"{rng.randint(10, 9999)} {rng.choice(STREETS)}",
        "address2": f"{unit} {rng.randint(1, 999)}",
        "city": city,
        "country": "USA",
        "state": state,
        "zip": f"{zip_prefix:03d}{rng.randint(0, 99):02d}",
    }


def _credit_card(rng: random.Random, pool: IdPool) -> dict[str, Any]:
    payment_id = f"credit_card_{pool.number(rng)}"
    brand = rng.choice(CARD_BRANDS)
    return {"source": "credit_card", "id": payment_id, "brand": brand, "last_four": f"{rng.randint(0, 9999):04d}"}


def _stored_value(rng: random.Random, pool: IdPool, source: str) -> dict[str, Any]:
    payment_id = f"{source}_{pool.number(rng)}"
    amount = rng.randint(0, 300) if source == "gift_card" else rng.choice(CERTIFICATE_AMOUNTS)
    return {"source": source, "id": payment_id, "amount": amount}


def payment_methods(rng: random.Random, pool: IdPool) -> dict[str, dict[str, Any]]:
    """Two to six methods, always at least one credit card or gift card."""
    cards, gifts, certificates = rng.randint(0, 2), rng.randint(0, 2), rng.choice((0, 0, 1, 1, 2))
    if cards + gifts == 0:
        cards = 1
    if cards + gifts + certificates < 2:
        gifts += 1
    methods = [_credit_card(rng, pool) for _ in range(cards)]
    methods += [_stored_value(rng, pool, "gift_card") for _ in range(gifts)]
    methods += [_stored_value(rng, pool, "certificate") for _ in range(certificates)]
    rng.shuffle(methods)
    return {method["id"]: method for method in methods}


def _user_id(rng: random.Random, first: str, last: str, taken: set[str]) -> str:
    while True:
        user_id = f"{first.lower()}_{last.lower()}_{rng.randint(1000, 9999)}"
        if user_id not in taken:
            taken.add(user_id)
            return user_id


def make_user(rng: random.Random, pool: IdPool, taken: set[str]) -> dict[str, Any]:
    first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
    user_id = _user_id(rng, first, last, taken)
    return {
        "user_id": user_id,
        "name": {"first_name": first, "last_name": last},
        "address": _address(rng),
        "email": f"{first.lower()}.{last.lower()}{user_id[-4:]}@example.com",
        "dob": birth_date(rng, 1950, 2003),
        "payment_methods": payment_methods(rng, pool),
        "saved_passengers": [make_person(rng) for _ in range(rng.choice((0, 1, 1, 2, 3)))],
        "membership": rng.choices(MEMBERSHIPS, MEMBERSHIP_WEIGHTS)[0],
        "reservations": [],
    }


def make_users(rng: random.Random, count: int) -> dict[str, dict[str, Any]]:
    pool, taken = IdPool(), set()
    users = [make_user(rng, pool, taken) for _ in range(count)]
    return {user["user_id"]: user for user in users}
