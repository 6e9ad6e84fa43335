"""Pieces of the offline agent's wording shared by the airline tools: flights, passengers, bags, payments.

Each piece is worded by ``one_of`` / ``say`` under a key made of the call's own data and a slot name of its
own, so the same call is always said the same way and two pieces of one sentence vary independently.
A proposal keeps its action word (book, cancel, bag, passenger, certificate) before any other: the user
names the action by the first such word of the sentence.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

from writ_dsl.env.wording import Namer, distinct, humanize, join_words, money, one_of, plural, say, spoken_date

Args = Mapping[str, Any]

ROUTE_LEADS = "[|the |the |all the |the available |every one of the |the bookable ]"
ROUTE_TAILS = "[||| with their seats and fares| with seats and prices| and their fares| that have seats left]"
ONESTOP_KINDS = ("one-stop connections", "[|the |all the |the available ]connections with one stop",
                 "[|the |all the ]one-stop itineraries", "[|the |the possible ]itineraries with a single connection")


def route(kind: str) -> Callable[[Sequence[Args]], str]:
    """What a flight search looked up: "direct flights from JFK to LAX on May 20"; the core stays whole,
    what leads and follows it varies."""
    def phrase(calls: Sequence[Args]) -> str:
        where = (f"from {distinct(calls, 'origin')} to {distinct(calls, 'destination')} "
                 f"on {distinct(calls, 'date', spoken_date)}")
        key = (kind, where)
        if kind == "direct flights":
            said = f"{ROUTE_LEADS}direct flights {where}{ROUTE_TAILS}"
        elif kind == "one-stop connections":
            said = f"{one_of(ONESTOP_KINDS, *key, 'kind')} {where}{ROUTE_TAILS}"
        else:
            said = f"{kind} {where}"
        return say(said, *key, "route")
    return phrase


def flights(items: Sequence[Args], slot: str = "legs", trip: Any = None) -> str:
    """The flights of an itinerary, each "flight HAT001 on May 20", joined in one of several ways. Only a
    round trip (``trip`` "round_trip") of two flights is said to come back; the legs of a one-way trip connect,
    and when the trip type is not known the legs are joined with no word of direction."""
    legs = [f"flight {f.get('flight_number')} on {spoken_date(f.get('date'))}" for f in items]
    if len(legs) < 2:
        return join_words(legs)
    key = ("flights", slot, *legs)
    dates = {f.get("date") for f in items}
    if len(legs) == 2:
        numbers = [f.get("flight_number") for f in items]
        options = [f"{legs[0]} and {legs[1]}", f"{legs[0]}, then {legs[1]}"]
        if len(dates) == 1:
            day = spoken_date(items[0].get("date"))
            options += [f"flights {numbers[0]} and {numbers[1]}, both on {day}",
                        f"flight {numbers[0]} and then flight {numbers[1]}, [both|each] on {day}"]
        if trip == "round_trip":
            options.append(f"{legs[0]}[,|] [and back on|returning on|coming back on] {legs[1]}")
        elif trip == "one_way":
            options.append(f"{legs[0]}[,|] [connecting to|followed by] {legs[1]}")
            if len(dates) > 1:
                options.append(f"{legs[0]}, [with a connection to|connecting to] {legs[1]}")
        else:
            options.append(f"{legs[0]} followed by {legs[1]}")
        return say(one_of(options, *key, trip), *key, "words")
    return ", ".join(legs[:-1]) + one_of((", and ", ", then ", " and finally "), *key) + legs[-1]


def traveller_names(passengers: Sequence[Args], slot: str = "names") -> str:
    """Each passenger by name with their date of birth: "Mia Li (born 1990-01-02)"."""
    key = ("born", slot, *(str(p.get("first_name")) for p in passengers))
    born = one_of(("(born {dob})", "(born {dob})", "(date of birth {dob})", "(born on {dob})"), *key)
    return join_words([f"{p.get('first_name')} {p.get('last_name')} " + born.format(dob=p.get("dob"))
                       for p in passengers])


def people(passengers: Sequence[Args], slot: str = "people") -> str:
    names = traveller_names(passengers, slot)
    count = plural(len(passengers), "passenger")
    return say("{count}[:|:| \u2014|, namely] {names}", "people", slot, names,
               count=count, names=names)


def bags(total: Any, paid: Any) -> str:
    if not total:
        return "no checked bags"
    if not paid:
        return plural(total, "checked bag") + " (all free)"
    if paid == total:
        return plural(total, "checked bag") + (" (all paid)" if total > 1 else " (paid)")
    return plural(total, "checked bag") + f" ({paid} of them paid)"


def payments(methods: Sequence[Args], name: Namer, key: Sequence[object] = ()) -> str:
    """How a booking is paid, as a sentence of its own; it holds no action word, so the user still names
    the booking."""
    amounts = [p.get("amount") for p in methods if isinstance(p.get("amount"), int | float)]
    if len(methods) == 1:
        total, method = money(amounts[0] if amounts else 0), name(methods[0].get("payment_id"))
        return say(one_of((
            "The total of {total} [will be charged to|will go on|would go on|is charged to|will be billed to] {method}",
            "[The|That] {total} total [will be charged to|will go on|goes on|would be billed to] {method}",
            "[I'd charge|I would charge|I'll charge] the [full|total] {total} to {method}",
            "[All|The whole] {total} [will be charged to|goes on|would go on] {method}",
            "{method_cap} [will cover|covers|takes] the [full|whole|total] {total}",
            "The [full|whole] amount, {total}, [will be charged to|goes on|would go on] {method}",
        ), *key, "charge"), *key, "charge-words", total=total, method=method, method_cap=method[:1].upper() + method[1:])
    parts = join_words([f"{money(p.get('amount'))} {one_of(('to', 'on'), *key, 'on')} {name(p.get('payment_id'))}"
                        for p in methods])
    total = money(sum(amounts))
    return say(one_of((
        "[It is charged|It would be charged|The cost is split] as {parts}, for a total of {total}",
        "[The|That] {total} total [is split|would be split|gets split] [as follows|like this]: {parts}",
        "[The|That] {total} total [is split|would be split] [as|into] {parts}",
        "[Charges|The charges]: {parts}, [for a total of|making|adding up to] {total}",
    ), *key, "split"), *key, "split-words", parts=parts, total=total)


def booking(a: Args, name: Namer) -> str:
    """A booking proposal: what is booked, for whom, with what, and how it is paid (its own sentence)."""
    legs = a.get("flights", []) or []
    key = ("book", a.get("origin"), a.get("destination"),
           *(str(f.get("flight_number")) + str(f.get("date")) for f in legs if isinstance(f, Mapping)))
    trip = "round-trip" if a.get("flight_type") == "round_trip" else "one-way"
    cabin = humanize(str(a.get("cabin")))
    passengers = a.get("passengers", []) or []
    insured = a.get("insurance") == "yes"
    what = say(one_of((
        "book a {trip} {cabin}-class [reservation|trip|ticket] from {o} to {d}",
        "book {whom} a {trip} {cabin}-class [reservation|trip] from {o} to {d}",
        "book a new {trip} {cabin}-class [reservation|trip], {o} to {d},",
        "make a new {trip} {cabin}-class booking from {o} to {d}",
        "book the {trip} {cabin}-class [reservation|trip] you asked for, from {o} to {d}",
    ), *key, "what"), *key, "what-words", trip=trip, cabin=cabin, o=a.get("origin"), d=a.get("destination"),
        whom=one_of(("you", "your party") if len(passengers) > 1 else ("you",), *key, "whom"))
    on = one_of(("on", "on", "on", "flying on", "travelling on", "taking"), *key, "on")
    who = say(one_of((", for {people}", ", for {people}", "[, with|, covering|, booked for] {people}"), *key, "who"),
              *key, "who-words", people=people(passengers, "book"))
    luggage = bags(a.get("total_baggages", 0), a.get("nonfree_baggages", 0))
    bagged = say(one_of((", with {bags}", ", with {bags}", ", plus {bags}", ", [including|taking] {bags}")
                        if a.get("total_baggages") else (", with no checked bags", ", with no checked bags",
                                                         ", no checked bags"),
                        *key, "bags"), *key, "bag-words", bags=luggage)
    insurance = say(one_of(("with travel insurance", "[and|plus] travel insurance", "[including|adding] travel insurance")
                           if insured else ("without travel insurance", "and without travel insurance",
                                            # "but" only contrasts with bags: not "no checked bags, but without"
                                            "[but|and] without travel insurance" if a.get("total_baggages")
                                            else "and no travel insurance", "without travel insurance"),
                           *key, "insurance"), *key, "insurance-words")
    return (f"{what} {on} {flights(legs, 'book', a.get('flight_type'))}{who}{bagged}, {insurance}. "
            f"{payments(a.get('payment_methods', []) or [], name, key)}")


def reservations(calls: Sequence[Args]) -> str:
    ids = list(dict.fromkeys(str(c.get("reservation_id")) for c in calls))
    key = ("reservations", *ids)
    if len(ids) == 1:
        return one_of((f"reservation {ids[0]}", f"reservation {ids[0]}", f"the details of reservation {ids[0]}",
                       f"[the record for|the details on|the full details of] reservation {ids[0]}"), *key)
    listed = f" ({join_words(ids)})" if len(ids) <= 3 else ""
    n = len(ids)
    return one_of((f"your {n} reservations{listed}", f"all {n} of your reservations{listed}",
                   f"[each|every one] of your {n} reservations{listed}",
                   f"the {n} reservations [on your profile|under your name|you hold]{listed}",
                   f"[all|each] of the {n} reservations [on your profile|in your name]{listed}"), *key)


def updated(reservation_id: Any, what: str = "") -> str:
    """That a change to a reservation is saved, in one of many equivalent wordings; ``what`` names the change
    ("the bags") when the caller knows it."""
    key = ("updated", reservation_id, what)
    change = what or one_of(("the change", "the change", "that change", "your change"), *key, "change")
    return say(one_of((
        "[|All done: |That's it: |Good, ]reservation {rid} [has been|is now] updated[| with {change}].",
        "[I've|I have] [updated|made {change} to|saved {change} on|put {change} through on] reservation {rid}.",
        "[The change|{change_cap}] [to|on] reservation {rid} [is saved|has been saved|is in|went through|is done].",
        "Reservation {rid} now [reflects|shows|includes] {change}.",
        "{change_cap} [is now saved|has gone through|is now in place] on reservation {rid}.",
        "[Reservation {rid} is up to date now|Reservation {rid} is now up to date][,|:] {change} [is saved|has been made|went through].",
        "[Everything is|It's all|Everything has been] saved: reservation {rid} [now includes|reflects|shows] {change}.",
    ), *key), *key, "words", rid=reservation_id, change=change, change_cap=change[:1].upper() + change[1:])


def reservation_found(r: Any, name: Namer) -> str:
    """What a reservation shows, in one of several equivalent wordings: trip, cabin, route, people, bags."""
    if not isinstance(r, dict) or "reservation_id" not in r:
        return ""
    rid, cabin = r["reservation_id"], humanize(str(r.get("cabin")))
    trip = "round-trip" if r.get("flight_type") == "round_trip" else "one-way"
    who = plural(len(r.get("passengers") or []), "passenger")
    route_ = f"{r.get('origin')} to {r.get('destination')}"
    luggage = bags(r.get("total_baggages", 0), r.get("nonfree_baggages", 0))
    key = ("found", rid)
    values = dict(rid=rid, trip=trip, cabin=cabin, who=who, route=route_, bags=luggage,
                  origin=r.get("origin"), destination=r.get("destination"))
    if r.get("status") == "cancelled":
        return say(one_of((
            "Reservation {rid} ({route}) is already cancelled.",
            "Reservation {rid}, {route}, [has already been|was already] cancelled.",
            "[I see that|It turns out|As it stands,] reservation {rid} ({route}) is already cancelled.",
        ), *key, "cancelled"), *key, "cancelled-words", **values)
    opener = one_of(("", "", "", "From what I see, ", "Looking at it, ", "As it stands, ", "In short, ",
                     "For reference, ", "To recap, "), *key, "opener")
    said = say(one_of((
        "Reservation {rid} is a {trip} {cabin} trip from {route} for {who}, with {bags}.",
        "On reservation {rid} I see {who} in {cabin}, {route}, {trip}, with {bags}.",
        "Reservation {rid} covers {who} flying {cabin} from {route} ({trip}), with {bags}.",
        "It is a {trip} booking, {route} in {cabin}, for {who} and with {bags}.",
        "The booking shows {who} on a {trip} {cabin} trip, {route}, with {bags}.",
        "[Reservation {rid}|This reservation|That reservation] [is for|holds|has] {who} [in|flying] {cabin} "
        "[from|on the route] {route}[, {trip},| ({trip})] [with|and] {bags}.",
        "[It's|This is|That's] [a|your] {trip} {cabin} trip [from|between] {origin} [to|and] {destination} "
        "[for|with] {who}[, carrying| and] {bags}.",
        "[Reservation {rid}|The reservation] [shows|lists] {who}, {cabin}, {trip} from {route}, [with|and] {bags}.",
        "[On|In] reservation {rid} [there is|I find|I can see] a {trip} {cabin} trip, {route}, "
        "[for|with] {who} and {bags}.",
        "[The trip on reservation {rid}|Reservation {rid}] [goes|runs] from {route} ({trip}, {cabin}) "
        "[for|with] {who}[, with| and] {bags}.",
        "Reservation {rid} is {trip} in {cabin}, {route}, [for|covering] {who}, with {bags}.",
    ), *key), *key, "words", **values)
    return opener + (said[:1].lower() + said[1:] if opener else said)
