"""Writing tools that keep the flights: cancellation, bags, passengers, and certificates."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from pydantic import Field

from writ_dsl.env.wording import Phrasing, join_words, money, one_of, say

from .phrases import bags, people, traveller_names, updated
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


def _cancel_proposal(a: Mapping[str, Any], name: Any) -> str:
    rid = a.get("reservation_id")
    key = ("cancel", rid)
    return say(one_of((
        "cancel reservation {rid}; every payment is refunded to its original method",
        "cancel reservation {rid}[,| in full,] with every payment refunded to its original method",
        "cancel reservation {rid}[ in full|] and refund every payment to the method it was made with",
        "cancel [the whole of |]reservation {rid}; [each|every] payment [goes back|is returned] to [its original "
        "method|the method it was made with]",
        "cancel reservation {rid}[ for you|], with the refunds [going|sent] back to the original payment methods",
    ), *key), *key, "words", rid=rid)


def _cancel_done(a: Mapping[str, Any], r: Any, name: Any) -> str:
    rid = a.get("reservation_id")
    key = ("cancelled", rid)
    return say(one_of((
        "Reservation {rid} is now cancelled.",
        "[I've|I have] cancelled reservation {rid}; the [refund goes|refunds go] back to the original payment[| method].",
        "Reservation {rid} has been cancelled, and every payment on it is being refunded.",
        "The cancellation of reservation {rid} [went through|is complete|has gone through].",
        "Reservation {rid} [is|has been] cancelled[,| now,] and [the refunds are on their way back to the original "
        "payment methods|each payment is on its way back to its original method].",
        "[I've|I have] [now |]cancelled reservation {rid}[,| in full,] and [every payment on it|each payment] is being "
        "refunded to [its original method|where it came from].",
        "[Reservation {rid} is cancelled|The cancellation of reservation {rid} is done]: [every|each] payment [on it |]"
        "[goes|is going] back to [its original method|the method it was made with].",
    ), *key), *key, "words", rid=rid)


_FREE_BAGS = (
    "[set|change|bring] reservation {rid} to {bags}",
    "[update|change] the bag count on reservation {rid} to {bags}",
    "[set|update] reservation {rid} to {bags}; there is no bag fee to pay",
)


_PAID_BAGS = (  # the paid bags are those already paid for
    "[set|change|bring] reservation {rid} to {bags}; [there is no new bag fee to pay|no new bag fee is due]",
    "[update|change] the bag count on reservation {rid} to {bags}, with no new bag fee to pay",
)


def _bag_fee(a: Mapping[str, Any], results: Any) -> float | None:
    """The fee the bag change charges: $50 for each paid bag beyond those the reservation already paid for, as
    the latest look at the reservation shows them."""
    rid, paid = a.get("reservation_id"), a.get("nonfree_baggages")
    shown = [r for r in results if isinstance(r, dict) and r.get("reservation_id") == rid
             and isinstance(r.get("nonfree_baggages"), int)]
    if not shown or not isinstance(paid, int):
        return None
    return BAG_FEE * max(0, paid - shown[-1]["nonfree_baggages"])


def _bags_proposal(a: Mapping[str, Any], name: Any, amount: float | None = None) -> str:
    rid = a.get("reservation_id")
    key = ("bags", rid, a.get("total_baggages"), a.get("nonfree_baggages"))
    options = (
        "set reservation {rid} to {bags}, with any bag fees charged to {method}",
        "[set|change|bring] reservation {rid} to {bags}[, with any bag fees charged to|, charging any bag fees to|; any "
        "bag fees go on] {method}",
        "[update|change] the bag count on reservation {rid} to {bags}[, with any bag fees charged to|, and charge any "
        "bag fees to|, putting any bag fees on] {method}",
        "bring the [bag total|bag count] on reservation {rid} to {bags}, with any bag fees [charged "
        "to|going on] {method}",
        "[record|register] a total of {bags} on reservation {rid}[, charging|, and charge] any bag fees to {method}",
    )
    if not a.get("total_baggages"):
        options = options[:3]  # "a total of no checked bags" does not read
    if amount:  # the fee is known: it is said, not "any bag fees"
        options = tuple(o.replace("any bag fees go on", "the {fee} bag fee goes on")
                        .replace("any bag fees", "the {fee} bag fee") for o in options)
    if not a.get("nonfree_baggages") or amount == 0:
        options = _FREE_BAGS if not a.get("nonfree_baggages") else _PAID_BAGS
    return say(one_of(options, *key), *key, "words", rid=rid, bags=bags(a.get("total_baggages", 0), a.get("nonfree_baggages", 0)),
        method=name(a.get("payment_id")), fee=money(amount or 0))


def _bags_done(a: Mapping[str, Any], r: Any, name: Any) -> str:
    rid = a.get("reservation_id")
    key = ("bags-done", rid)
    luggage = bags(a.get("total_baggages", 0), a.get("nonfree_baggages", 0))
    if "total_baggages" not in a:
        return updated(rid, one_of(("the bag change", "the change to the bags", "your bag change"), *key, "what"))
    return say(one_of((
        "Reservation {rid} now has {bags}.",
        "[I've|I have] [set|updated] reservation {rid} to {bags}.",
        "[The bags on reservation {rid} are|Reservation {rid} is] [now |]updated: {bags}.",
        "[The bag change is saved|The bags are updated]: reservation {rid} [now shows|now has|is set to] {bags}.",
        "Reservation {rid} [is now set to|now shows|has been updated to] {bags}.",
    ), *key), *key, "words", rid=rid, bags=luggage)


def _passengers_proposal(a: Mapping[str, Any], name: Any) -> str:
    rid = a.get("reservation_id")
    passengers = a.get("passengers", [])
    key = ("passengers", rid)
    count = len(passengers)
    return say(one_of((
        "update reservation {rid} to {people}",
        "[update|change] the passenger details on reservation {rid} to {names}",
        "[update|change|set] the {count_words} on reservation {rid} to {names}",
        "[update|change] reservation {rid} so [that |]its {count_words} " + ("is" if count == 1 else "are") + " {names}",
        "[record|enter] the {count_words} on reservation {rid} as {names}",
    ), *key), *key, "words", rid=rid, people=people(passengers, "update"), names=traveller_names(passengers, "update"),
        count_words="passenger" if count == 1 else f"{count} passengers")


def _passengers_done(a: Mapping[str, Any], r: Any, name: Any) -> str:
    rid = a.get("reservation_id")
    passengers = a.get("passengers", [])
    key = ("passengers-done", rid)
    names = join_words([f"{p.get('first_name')} {p.get('last_name')}" for p in passengers])
    return say(one_of((
        "Reservation {rid} now lists {names}.",
        "[I've|I have] updated reservation {rid}: {who} now {names}.",
        "The passenger details on reservation {rid} now read {names}.",
    ), *key), *key, "words", rid=rid, names=names,
        who="its passenger is" if len(passengers) == 1 else "its passengers are")


def _certificate_proposal(a: Mapping[str, Any], name: Any) -> str:
    key = ("certificate", a.get("user_id"), a.get("amount"))
    return say(one_of((
        "send you a {amount} travel certificate",
        "[send|issue] you a travel certificate [worth|of|for] {amount}",
        "add a {amount} travel certificate to your account",
        "[put|place] a travel certificate [worth|of|for] {amount} [in|into] your account",
        "[send|give] you a {amount} travel certificate[ as compensation| as a gesture|], [added to|credited to] "
        "your account",
        "issue a travel certificate of {amount} to your account ({user})",
    ), *key), *key, "words", amount=money(a.get("amount")), user=a.get("user_id"))


def _certificate_done(a: Mapping[str, Any], r: Any, name: Any) -> str:
    key = ("certificate-done", a.get("user_id"), a.get("amount"))
    return say(one_of((
        "A certificate of {amount} is now in your account.",
        "[A|The] travel certificate [worth|of|for] {amount} [has been added to|is now on|is now in] your account.",
        "[I've|I have] [added|issued|sent] a {amount} travel certificate to your account.",
        "Your account [now has|now holds] a travel certificate [worth|of|for] {amount}.",
        "[The|Your] {amount} travel certificate is [in your account|on your account now|ready in your account]; "
        "[you can use it|it can be used] [toward|for] a future booking.",
        "[I've|I have] sent you a travel certificate [worth|of|for] {amount}[; you'll find it in your account|].",
    ), *key), *key, "words", amount=money(a.get("amount")), user=a.get("user_id"))


CANCEL_PHRASING = Phrasing(proposal=_cancel_proposal, done=_cancel_done)
BAGS_PHRASING = Phrasing(proposal=_bags_proposal, done=_bags_done, amount=_bag_fee)
PASSENGERS_PHRASING = Phrasing(proposal=_passengers_proposal, done=_passengers_done)
CERTIFICATE_PHRASING = Phrasing(proposal=_certificate_proposal, done=_certificate_done)

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
