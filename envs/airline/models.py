"""Typed argument models shared by the airline tools."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from writ_dsl.env.core import ToolArgs

CabinClass = Literal["basic_economy", "economy", "business"]
FlightType = Literal["one_way", "round_trip"]
Insurance = Literal["yes", "no"]


class FlightInfo(ToolArgs):
    flight_number: str = Field(description="Flight number, such as 'HAT001'.")
    date: str = Field(description="Date of the flight, YYYY-MM-DD, such as '2024-05-01'.")


class Passenger(ToolArgs):
    first_name: str = Field(description="First name, such as 'Noah'.")
    last_name: str = Field(description="Last name, such as 'Brown'.")
    dob: str = Field(description="Date of birth, YYYY-MM-DD, such as '1990-01-01'.")


class Payment(ToolArgs):
    payment_id: str = Field(description="A payment method id from the user's profile, such as 'credit_card_7815826'.")
    amount: int = Field(ge=0, description="The amount charged to this payment method.")


class UserIdArgs(ToolArgs):
    user_id: str = Field(description="The user id, such as 'sara_doe_496'.")


class ReservationIdArgs(ToolArgs):
    reservation_id: str = Field(description="The reservation id, such as 'ZFA04Y'.")


class NoArgs(ToolArgs):
    pass
