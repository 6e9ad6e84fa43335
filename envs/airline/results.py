"""The shapes of what the airline tools return and of the database's records.

``writ check`` types field access on read results with these models (a typo is
a located error); ``writ env show airline --results`` prints them. Fields that
some records lack are optional (``None`` when absent).
"""

from __future__ import annotations

from pydantic import Field

from writ_dsl.env.shapes import Address, Name, Shape


class PaymentMethod(Shape):
    source: str = Field(description="credit_card, gift_card or certificate")
    id: str
    brand: str | None = Field(None, description="credit cards only")
    last_four: str | None = Field(None, description="credit cards only")
    amount: float | None = Field(None, description="gift cards and certificates only: the balance")


class Passenger(Shape):
    first_name: str
    last_name: str
    dob: str


class User(Shape):
    user_id: str
    name: Name
    address: Address
    email: str
    dob: str
    payment_methods: dict[str, PaymentMethod] = Field(description="keyed by payment method id")
    saved_passengers: list[Passenger]
    membership: str
    reservations: list[str] = Field(description="reservation ids")


class Segment(Shape):
    flight_number: str
    origin: str
    destination: str
    date: str
    price: int = Field(description="fare paid per passenger")


class Payment(Shape):
    payment_id: str
    amount: int


class Reservation(Shape):
    reservation_id: str
    user_id: str
    origin: str
    destination: str
    flight_type: str
    cabin: str
    flights: list[Segment]
    passengers: list[Passenger]
    payment_history: list[Payment]
    created_at: str
    total_baggages: int
    nonfree_baggages: int
    insurance: str
    status: str | None = Field(None, description="null, or 'cancelled'")


class Cabins(Shape):
    basic_economy: int
    economy: int
    business: int


class FlightDate(Shape):
    status: str
    available_seats: Cabins | None = Field(None, description="when available")
    prices: Cabins | None = Field(None, description="when available")
    actual_departure_time_est: str | None = Field(None, description="once flown")
    actual_arrival_time_est: str | None = Field(None, description="once flown")
    estimated_departure_time_est: str | None = Field(None, description="today's flights")
    estimated_arrival_time_est: str | None = Field(None, description="today's flights")


class Flight(Shape):
    flight_number: str
    origin: str
    destination: str
    scheduled_departure_time_est: str
    scheduled_arrival_time_est: str = Field(description="'+1' suffix: the next day")
    dates: dict[str, FlightDate] = Field(description="keyed by date")


class FlightOffer(Shape):
    """A flight as searches return it: that day's seats and prices."""

    flight_number: str
    origin: str
    destination: str
    status: str
    scheduled_departure_time_est: str
    scheduled_arrival_time_est: str
    date: str | None = Field(description="null in direct searches; the leg's date in one-stop pairs")
    available_seats: Cabins
    prices: Cabins


class Airport(Shape):
    iata: str
    city: str


RESULTS = {
    "get_user_details": User,
    "get_reservation_details": Reservation,
    "list_all_airports": list[Airport],
    "search_direct_flight": list[FlightOffer],
    "search_onestop_flight": list[list[FlightOffer]],
    "get_flight_status": str,
    "book_reservation": Reservation,
    "update_reservation_flights": Reservation,
    "cancel_reservation": Reservation,
    "update_reservation_baggages": Reservation,
    "update_reservation_passengers": Reservation,
    "send_certificate": str,
    "calculate": str,
    "transfer_to_human_agents": str,
}

RECORDS = {"users": User, "reservations": Reservation, "flights": Flight}
