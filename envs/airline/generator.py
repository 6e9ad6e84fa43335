"""Deterministic generator of airline databases in the τ²-bench layout."""

from __future__ import annotations

import hashlib
import random
from typing import Any

from .gen_bookings import make_reservations
from .gen_network import build_flights
from .gen_people import make_users

USERS_PER_SIZE = 100


def stream(seed: int, label: str) -> random.Random:
    """An independent random stream for one part of the database, fixed by (seed, label)."""
    digest = hashlib.sha256(f"writ-airline/{seed}/{label}".encode()).digest()
    return random.Random(int.from_bytes(digest[:8], "big"))


def generate(seed: int = 0, size: int = 1) -> dict[str, Any]:
    """A database with flights, users and reservations; ``size`` scales users and reservations linearly
    and flights per route logarithmically. The same (seed, size) always gives the same database."""
    if size < 1:
        raise ValueError(f"size must be at least 1, got {size}")
    flights = build_flights(stream(seed, "network"), stream(seed, "dates"), size)
    users = make_users(stream(seed, "users"), USERS_PER_SIZE * size)
    reservations = make_reservations(stream(seed, "reservations"), users, flights)
    return {"flights": flights, "users": users, "reservations": reservations}
