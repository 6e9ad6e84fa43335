"""The airline environment: flights, users and reservations of a customer-service desk, τ²-bench compatible."""

from __future__ import annotations

from pathlib import Path

from writ_dsl.env.core import Domain

from . import booking, tools_generic, tools_read, tools_write
from .generator import generate
from .records import FLIGHT_FIELDS, RESERVATION_FIELDS, USER_FIELDS

FOLDER = Path(__file__).resolve().parent
_TOOLS = (*tools_read.TOOLS, *booking.TOOLS, *tools_write.TOOLS, *tools_generic.TOOLS)

DOMAIN = Domain(
    name="airline",
    description=(
        "An airline customer-service desk: look up users, reservations and flights; search direct and one-stop "
        "flights; book, change, and cancel reservations; compensate with travel certificates."
    ),
    policy=(FOLDER / "policy.md").read_text(encoding="utf-8"),
    tools={tool.name: tool for tool in _TOOLS},
    db_schema={
        "flights": frozenset(FLIGHT_FIELDS),
        "users": frozenset(USER_FIELDS),
        "reservations": frozenset(RESERVATION_FIELDS),
    },
    generate=generate,
    path=FOLDER,
)
