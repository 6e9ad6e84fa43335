"""The airline environment: flights, users and reservations of a customer-service desk, τ²-bench compatible."""

from __future__ import annotations

from writ_dsl.env.folder import folder_domain
from writ_dsl.env.generic import calculate_tool, transfer_tool

from . import booking, tools_read, tools_write
from . import results
from .generator import generate
from .records import FLIGHT_FIELDS, RESERVATION_FIELDS, USER_FIELDS

GENERIC_TOOLS = (
    calculate_tool("Evaluate an arithmetic expression and return the result rounded to 2 decimals."),
    transfer_tool(
        "Hand the conversation to a human agent with a summary of the issue. Only when the user explicitly asks "
        "for a human, or when the request cannot be handled with the policy and the available tools."
    ),
)

DOMAIN = folder_domain(
    __file__,
    name="airline",
    description=(
        "An airline customer-service desk: look up users, reservations and flights; search direct and one-stop "
        "flights; book, change, and cancel reservations; compensate with travel certificates."
    ),
    tools=(*tools_read.TOOLS, *booking.TOOLS, *tools_write.TOOLS, *GENERIC_TOOLS),
    tables={"flights": FLIGHT_FIELDS, "users": USER_FIELDS, "reservations": RESERVATION_FIELDS},
    generate=generate,
    results=results.RESULTS,
    records=results.RECORDS,
)
