"""Writing tools that keep the flights: cancellation, bags, passengers, and certificates."""

from __future__ import annotations

from typing import Any

from pydantic import Field

from writ_dsl.env.wording import Phrasing, money, one_of

from .phrases import bags, people, updated
from writ_dsl.env.core import State, Tool, ToolArgs, ToolError, ToolKind

from .models import Passenger, ReservationIdArgs
from .pricing import BAG_FEE, charge_update, check_update_payment
from .records import NEW_CERTIFICATE_NUMBERS, find_open_reservation, find_user, reservation_view


class BaggageArgs(ToolArgs):
    reservation_id: str = Field(description="The reservation id, such as 'ZFA04Y'.")
    total_baggages: int = Field(ge=0, description="The new total number of checked bags.")
    nonfree_baggages: int = Field(ge=0, description="The new number of checked bags beyond the free allowance.")
    payment_id: str = Field(description="Credit card or gift card from the user's profile that pays for added bags.")


class PassengersArgs(ToolArgs):
    reservation_id: str = Field(description="The reservation id, such as 'ZFA04Y'.")
    passengers: list[Passenger] = Field(description="The full passenger list; its length must not change.")


class CertificateArgs(ToolArgs):
    user_id: str = Field(description="The id of the user who receives the certificate, such as 'sara_doe_496'.")
    amount: int = Field(description="The value of the certificate in dollars.")


def cancel_reservation(state: State, params: ReservationIdArgs) -> dict[str, Any]:
    find_open_reservation(state, params.reservation_id)
    record = state.edit("reservations", params.reservation_id)
    refunds = [{"payment_id": paid["payment_id"], "amount": -paid["amount"]} for paid in record["payment_history"]]
    record["payment_history"].extend(refunds)
    record["status"] = "cancelled"
    return reservation_view(record)


def update_reservation_baggages(state: State, params: BaggageArgs) -> dict[str, Any]:
    reservation = find_open_reservation(state, params.reservation_id)
    user_id = reservation["user_id"]
    user = find_user(state, user_id)
    fee = BAG_FEE * max(0, params.nonfree_baggages - reservation["nonfree_baggages"])
    check_update_payment(user, params.payment_id, fee)
    payment = charge_update(state, user_id, params.payment_id, fee)
    record = state.edit("reservations", params.reservation_id)
    if payment is not None:
        record["payment_history"].append(payment)
    record["total_baggages"] = params.total_baggages
    record["nonfree_baggages"] = params.nonfree_baggages
    return reservation_view(record)


def update_reservation_passengers(state: State, params: PassengersArgs) -> dict[str, Any]:
    reservation = find_open_reservation(state, params.reservation_id)
    if len(params.passengers) != len(reservation["passengers"]):
        raise ToolError("Number of passengers does not match")
    record = state.edit("reservations", params.reservation_id)
    record["passengers"] = [passenger.model_dump() for passenger in params.passengers]
    return reservation_view(record)


def _free_certificate_id(user: dict[str, Any]) -> str:
    for number in NEW_CERTIFICATE_NUMBERS:
        payment_id = f"certificate_{number}"
        if payment_id not in user["payment_methods"]:
            return payment_id
    raise ToolError("Too many certificates")


def send_certificate(state: State, params: CertificateArgs) -> str:
    user = find_user(state, params.user_id)
    if params.amount <= 0:
        raise ToolError("Certificate amount must be positive")
    payment_id = _free_certificate_id(user)
    methods = state.edit("users", params.user_id)["payment_methods"]
    methods[payment_id] = {"source": "certificate", "id": payment_id, "amount": params.amount}
    return f"Certificate {payment_id} added to user {params.user_id} with amount {params.amount}."


CANCEL_PHRASING = Phrasing(
    proposal=lambda a, name: (f"cancel reservation {a.get('reservation_id')}; every payment is refunded to its "
                              "original method"),
    done=lambda a, r, name: one_of((
        f"Reservation {a.get('reservation_id')} is now cancelled.",
        f"I've cancelled reservation {a.get('reservation_id')}; the refund goes back to the original payment.",
        f"Reservation {a.get('reservation_id')} has been cancelled, and every payment on it is being refunded.",
        f"The cancellation of reservation {a.get('reservation_id')} went through."), "cancelled",
        a.get("reservation_id")),
)
BAGS_PHRASING = Phrasing(
    proposal=lambda a, name: (
        f"set reservation {a.get('reservation_id')} to {bags(a.get('total_baggages', 0), a.get('nonfree_baggages', 0))}"
        f", with any bag fees charged to {name(a.get('payment_id'))}"),
    done=lambda a, r, name: updated(a.get("reservation_id")),
)
PASSENGERS_PHRASING = Phrasing(
    proposal=lambda a, name: f"update reservation {a.get('reservation_id')} to {people(a.get('passengers', []))}",
    done=lambda a, r, name: updated(a.get("reservation_id")),
)
CERTIFICATE_PHRASING = Phrasing(
    proposal=lambda a, name: f"send a travel certificate of {money(a.get('amount'))} to the account {a.get('user_id')}",
    done=lambda a, r, name: f"The certificate of {money(a.get('amount'))} has been added to the account.",
)

TOOLS = (
    Tool(
        "cancel_reservation",
        ToolKind.WRITE,
        "Cancel a whole reservation; every payment is refunded to its original payment method.",
        ReservationIdArgs,
        cancel_reservation,
        phrasing=CANCEL_PHRASING,
    ),
    Tool(
        "update_reservation_baggages",
        ToolKind.WRITE,
        "Set the checked-bag counts of a reservation. Each added non-free bag is charged to payment_id.",
        BaggageArgs,
        update_reservation_baggages,
        phrasing=BAGS_PHRASING,
    ),
    Tool(
        "update_reservation_passengers",
        ToolKind.WRITE,
        "Replace the passenger details of a reservation; the number of passengers must stay the same.",
        PassengersArgs,
        update_reservation_passengers,
        phrasing=PASSENGERS_PHRASING,
    ),
    Tool(
        "send_certificate",
        ToolKind.WRITE,
        "Give a user a travel certificate of the given amount as compensation. Only in the cases the policy allows.",
        CertificateArgs,
        send_certificate,
        phrasing=CERTIFICATE_PHRASING,
    ),
)
