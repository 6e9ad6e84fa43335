"""What a careful agent says about its lookups and actions: evidence, decisions, proposals, completions, facts.

The wording of each tool travels with the tool (``Tool.phrasing``, see
:mod:`writ_dsl.env.wording`); a tool without phrases gets a generic wording
built from its name and arguments. This module only assembles the sentences.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

from ..env.core import Tool
from ..variants import expand, pick_from
from ..env.wording import NO_PHRASING, Namer, Phrasing, humanize, join_words, money, same_name, value_text

Args = Mapping[str, Any]
Tools = Mapping[str, Tool]
_VERBS = ("get_", "search_", "list_", "find_", "lookup_", "fetch_", "check_", "read_", "show_")


def phrasing_of(tool: str, tools: Tools | None) -> Phrasing:
    found = (tools or {}).get(tool)
    return found.phrasing if found is not None else NO_PHRASING


# ------------------------------------------------------------------------ evidence
EVIDENCE_LEADS = ("I've [checked|looked at|gone through|been through] {what}.", "I went [through|over] {what}.",
                  "I [reviewed|examined] {what}.", "I've now [gone over|looked over|checked] {what}.",
                  "I pulled up {what}[ first|].", "I had a [look|close look] at {what}.",
                  "I now have {what} [in front of me|up on my screen].", "I looked up {what}.",
                  "[First,|To start,|So,] I [checked|looked up|went through] {what}.",
                  "[I've taken a look at|I've had a look through|I've finished looking at] {what}.",
                  "I've [opened|brought up|called up] {what}.", "[So far,|At this point,] I've [checked|gone through] {what}.")


LATER_EVIDENCE_LEADS = tuple(lead.replace("[First,|To start,|So,]", "[So,|Next,|Then,]").replace("[ first|]", "")
                             for lead in EVIDENCE_LEADS)


def evidence_sentence(calls: Sequence[tuple[str, Args]], tools: Tools | None = None, variant: int = 0,
                      first: bool = True) -> str:
    """One sentence naming what the agent looked up: "I've checked your profile and order #W1."; after a change
    already made, it does not say it looked "first"."""
    grouped: dict[str, list[Args]] = {}
    for tool, args in calls:
        grouped.setdefault(tool, []).append(args)
    phrases = [_evidence_phrase(tool, args, tools) for tool, args in grouped.items()]
    lead = pick_from(EVIDENCE_LEADS if first else LATER_EVIDENCE_LEADS, variant)
    return lead.format(what=join_words(phrases)) if phrases else ""


def _evidence_phrase(tool: str, calls: Sequence[Args], tools: Tools | None) -> str:
    phrase = phrasing_of(tool, tools).looked_up
    if phrase is not None:
        return phrase(calls)
    name = next((humanize(tool[len(v):]) for v in _VERBS if tool.startswith(v)), humanize(tool))
    values = list(dict.fromkeys(value_text(v) for c in calls for v in c.values() if value_text(v)))
    return f"the {name} details for {join_words(values[:6])}" if values else f"the {name} details"


def findings(write: Args, reads: Sequence[tuple[str, Any]], tools: Tools | None, name: Namer = same_name,
             before: str = "") -> list[str]:
    """What the looked-up record a write changes shows (its order or reservation), one sentence each; a record
    already named ``before`` in the message is called "the reservation" rather than named again, and a status
    ``before`` already gave it ("order #W1 is pending") is not told again."""
    targets = named_ids(write)
    said = []
    for tool, result in reads:
        phrase = phrasing_of(tool, tools).found
        ids = _ids(result) if isinstance(result, dict) else []
        if phrase is not None and ids and ids[0] in targets:
            found = phrase(_without_told_status(result, ids[0], before), name)
            said.append(_unnamed(found, ids[0]) if ids[0] and ids[0] in before else found)
    return [s for s in dict.fromkeys(said) if s]


def _without_told_status(record: dict[str, Any], record_id: str, before: str) -> dict[str, Any]:
    status = str(record.get("status") or "").replace("_", " ")
    told = rf"{re.escape(record_id)}\b[^.]*?\bis (?:still |currently |now )?{re.escape(status)}\b"
    if status and record_id and re.search(told, before, re.I):
        return {key: value for key, value in record.items() if key != "status"}
    return record


def _unnamed(sentence: str, record: str) -> str:
    """The sentence with "reservation X" / "Order X" said as "the reservation" / "The order"."""
    def the(match: re.Match[str]) -> str:
        return ("The " if match.group(1)[0].isupper() else "the ") + match.group(1).lower()
    return re.sub(rf"\b(reservation|order) {re.escape(record)}(?![\w-])", the, sentence, count=1, flags=re.I)


# ------------------------------------------------------------------------ names
def names_from(results: Sequence[tuple[str, Any]], tools: Tools | None) -> dict[str, str]:
    """Every id the reads' results give a name to (items, payment methods), by id."""
    found: dict[str, str] = {}
    for tool, result in results:
        phrase = phrasing_of(tool, tools).names
        if phrase is not None:
            found.update(phrase(result))
    return found


def namer(names: Mapping[str, str]) -> Namer:
    return lambda value: names.get(value_text(value), value_text(value))


# ------------------------------------------------------------------------ decisions
_ID_KEYS = re.compile(r"(_id|_number)$")
_RANKED = {
    "min:price": "[the cheapest|the least expensive|the lowest-priced|the one with the lowest price]",
    "max:price": "[the most expensive|the priciest|the one with the highest price]",
    "min:stops": "[the one with the fewest stops|the one with the fewest connections]",
    "min:duration": "[the fastest|the quickest|the shortest trip|the one with the shortest travel time]",
    "min:arrival": "[the one that lands earliest|the earliest to arrive|the one arriving first]",
    "max:arrival": "[the one that lands last|the last to arrive|the latest arrival]",
    "min:departure": "[the one that leaves first|the earliest departure|the first to leave]",
    "max:departure": "[the one that leaves last|the latest departure|the last to leave]",
}
_AMONG = {"min:price": "[the cheapest of those|the least expensive of those|the lowest-priced of them]",
          "max:price": "[the most expensive of those|the priciest of them]",
          "min:duration": "[the fastest of those|the quickest of them]",
          "min:arrival": "[the first of those to land|the earliest of them to arrive]",
          "min:stops": "[the one with the fewest stops among those|the one with the fewest connections among them]"}
MATCHING = ("[the one that matches what you described|the one you described|the one that fits your description|"
            "the one that fits what you told me|the match for what you described]")


def criterion(criteria: Sequence[str]) -> str:
    """What makes the winner the winner, from the rankings the spec's evidence graph applies (decisive first;
    a second ranking is named too when a third one only breaks ties)."""
    first = _RANKED.get(criteria[0]) if criteria else None
    if first is None:
        return MATCHING
    second = _AMONG.get(criteria[1]) if len(criteria) >= 3 else None
    return f"{first}, and {second}" if second else first


def _candidates(result: Any) -> list[Any]:
    if isinstance(result, list):
        return result
    if isinstance(result, dict):
        nested = [v for v in result.values() if isinstance(v, dict) and v and all(isinstance(x, dict) for x in v.values())]
        if "variants" in result and nested:
            return list(result["variants"].values())
        return [result]
    return []


def _ids(candidate: Any) -> list[str]:
    """The identifying value of each record of a candidate (its first id-like field)."""
    records = candidate if isinstance(candidate, list) else [candidate]
    return [value_text(next((v for k, v in r.items() if _ID_KEYS.search(k) and v is not None), ""))
            for r in records if isinstance(r, dict)]


def _new_leaves(write: Args) -> set[str]:
    return {leaf for key, value in write.items() if key.startswith("new_") for leaf in _leaves(value)}


def _leaves(value: Any) -> set[str]:
    if isinstance(value, dict):
        return {leaf for v in value.values() for leaf in _leaves(v)}
    if isinstance(value, list):
        return {leaf for v in value for leaf in _leaves(v)}
    return {value_text(value)}


DECISIONS = ("Of the {n} {noun} I [compared|looked at|checked], {what} is {why}{figure}.",
             "I compared {n} {noun}, and {what} is {why}{figure}.",
             "Among the {n} {noun} I [found|turned up|went through], {what} is {why}{figure}.",
             "Comparing [all|the] {n} {noun}, {what} comes out as {why}{figure}.",
             "Out of {n} {noun}, {what} is {why}{figure}.", "I lined up {n} {noun}; {what} is {why}{figure}.",
             "After going through {n} {noun}, I found that {what} is {why}{figure}.",
             "There are {n} {noun} to choose from, and {what} is {why}{figure}.",
             "Weighing up {n} {noun}, {what} stands out as {why}{figure}.",
             "Looking across {n} {noun}, {what} is {why}{figure}.",
             "[I checked|I went over|I've compared] {n} {noun}[ in all|], and {what} [turns out to be|is] {why}{figure}.",
             "[Side by side|Put side by side|Laid next to each other], the {n} {noun} [show|make it clear] that {what} is {why}{figure}.",
             "[The comparison|My comparison] of {n} {noun} [points to|gives] {what}: it is {why}{figure}.")
COUNTED_DECISIONS = ("[Of those|Of them], {what} is {why}{figure}.", "Among them, {what} [turns out to be|is] {why}{figure}.",
                     "[Going through them|Comparing them], {what} comes out as {why}{figure}.")
LATER_DECISIONS = ("For this next change, of the {n} {noun}, {what} is {why}{figure}.",
                   "Next, among the {n} {noun}, {what} is {why}{figure}.",
                   "This time, of the {n} {noun}, it's {what}, which is {why}{figure}.",
                   "Turning to the next change: of the {n} {noun}, {what} is {why}{figure}.",
                   "On to the next one: among the {n} {noun}, {what} is {why}{figure}.",
                   "Then, looking at the {n} {noun} again, {what} is {why}{figure}.",
                   "[For the second change|As for the next change|For the other change], [going back to|using] the same {n} "
                   "{noun}, {what} is {why}{figure}.",
                   "[From|Of] the {n} {noun} [I already compared|I looked at before|from before], {what} is {why}{figure}.")


def decision_sentence(write: Args, reads: Sequence[tuple[str, Args, Any]], tools: Tools | None,
                      criteria: Sequence[str] = (), name: Namer = same_name, variant: int = 0,
                      later: bool = False, compared: int = 0, because: str = "", brief: bool = False,
                      said: str = "") -> str:
    """The decisive evidence for a write chosen among candidates: "Of the 23 direct flights and connections I
    compared, flight HAT180 ... is the fastest, at $533.00 in business."; empty when nothing was compared.
    A ``later`` write (one whose comparison an earlier write already showed, see :func:`shown_comparison`)
    refers back to it instead of repeating it. ``compared`` is how many candidates the decisive ranking
    weighed, when the plan knows it (two pending orders among five read). ``because`` is the spec's own reason
    for the call: it is said in place of the winner and its criterion ("Of the 3 reservations I checked,
    reservation ABIXKW is in business class, so it can be cancelled for a change of plans."). A ``brief``
    sentence names a winning record by its id alone, when what it holds is said next. A count or price
    already ``said`` in the message is not said again."""
    found = _comparison(write, reads, tools)
    if found is None:
        return _because(because, 0, "", later, variant) if because else ""
    winner, noun, size = found
    n = _stated_count(size, compared, because)
    if because and _counted(n, noun, said):
        return _because(because, 0, noun, later, variant, frames=COUNTED)
    if because:
        return _because(because, n, noun, later, variant)
    why = criterion(criteria) if noun not in _DESCRIBED else _by_description(criteria)
    counted = not later and _counted(n, noun, said)
    template = _counting(pick_from(LATER_DECISIONS if later else COUNTED_DECISIONS if counted else DECISIONS,
                                   variant), n)
    said = template.format(n=n, noun=_qualified(noun, winner, reads, tools, n, size),
                           what=_describe(winner, name, brief), why=expand(why, variant),
                           figure=_figure(winner, write, variant, said))
    return said[:1].upper() + said[1:]


def _qualified(noun: str, winner: Any, reads: Sequence[tuple[str, Args, Any]], tools: Tools | None, n: int,
               size: int) -> str:
    """The candidates' noun, with the status the ranked ones share when the ranking weighed only those ("2
    pending orders" of the 3 read), so that the count does not read as a miscount."""
    status = winner.get("status") if isinstance(winner, dict) else None
    if not 2 <= n < size or not isinstance(status, str) or not status:
        return noun
    pool = [item for tool, _, result in reads if phrasing_of(tool, tools).candidates for item in _candidates(result)]
    same = sum(1 for item in pool if isinstance(item, dict) and item.get("status") == status)
    return f"{status} {noun}" if same == n else noun


def _counted(n: int, noun: str, said: str) -> bool:
    """Whether ``said`` already counted these candidates: "your 4 orders", "both of your orders"."""
    number = rf"(?:{n}|both)" if n == 2 else str(n)
    return re.search(rf"\b{number}\b[^.]*\b{noun}\b", said) is not None


def shown_comparison(write: Args, reads: Sequence[tuple[str, Args, Any]], tools: Tools | None,
                     compared: int = 0, because: str = "") -> tuple[int, str] | None:
    """The candidates a write's decision sentence counts, as (how many, noun): (4, "orders"); None when the
    sentence counts none (no single winner, or a reason said alone)."""
    found = _comparison(write, reads, tools)
    if found is None:
        return None
    _, noun, size = found
    n = _stated_count(size, compared, because)
    return (n, noun) if n else None


def deciding_read(write: Args, reads: Sequence[tuple[str, Args, Any]], tools: Tools | None) -> int | None:
    """The index of the lookup whose result shows the candidate a write's decision chose; None when there is
    no single winner."""
    found = _comparison(write, reads, tools)
    if found is None:
        return None
    return next((i for i, (_, _, result) in enumerate(reads) if found[0] in _candidates(result)), None)


def chose_record(write: Args, reads: Sequence[tuple[str, Args, Any]], tools: Tools | None) -> bool:
    """Whether a write's decision chose the very record it changes (an order, a reservation), not an option."""
    return chosen_record(write, reads, tools) is not None


def chosen_record(write: Args, reads: Sequence[tuple[str, Args, Any]], tools: Tools | None) -> str | None:
    """The id of the record a write's decision chose, when the write changes that very record; else None."""
    found = _comparison(write, reads, tools)
    ids = _ids(found[0]) if found is not None and isinstance(found[0], dict) else []
    return ids[0] if ids and ids[0] in named_ids(write) else None


def named_ids(write: Args) -> set[str]:
    """The ids a write names (the record it changes, a payment method), as text."""
    return {value_text(v) for k, v in write.items() if _ID_KEYS.search(k)}


def _comparison(write: Args, reads: Sequence[tuple[str, Args, Any]],
                tools: Tools | None) -> tuple[Any, str, int] | None:
    """The single winner among the candidates the reads show, their noun and how many of its kind there are."""
    groups: dict[str, list[tuple[Any, Args]]] = {}
    for tool, args, result in reads:
        noun = phrasing_of(tool, tools).candidates
        if noun is not None:
            groups.setdefault(noun, []).extend((item, args) for item in _candidates(result))
    groups = {noun: pool for noun, pool in groups.items() if len(pool) >= 2}
    choices = [(list(groups), [item for pool in groups.values() for item in pool])]
    choices += sorted(([noun], pool) for noun, pool in groups.items())
    for nouns, pool in sorted(choices, key=lambda choice: -len(choice[1])):
        winners = _winners(write, pool)
        if len(winners) == 1:
            kind = _kind(winners[0])  # the winner's own kind only: no reservations counted among flights
            nouns = [n for n in nouns if any(_kind(item) == kind for item, _ in groups[n])]
            size = sum(len(groups[n]) for n in nouns)
            return winners[0], nouns[0] + "s" if len(nouns) == 1 else "options", size
    return None


def _stated_count(size: int, compared: int, because: str) -> int:
    """How many candidates a decision sentence says were weighed; 0 when a reason is said alone."""
    if compared >= 2:
        return compared
    return 0 if compared and because else size


REASONED = ("Of the {n} {noun} I [checked|looked at|went through], {because}.",
            "I went through [all|each of the] {n} {noun}: {because}.", "Having checked the {n} {noun}, {because}.",
            "[Looking at|Going over] the {n} {noun} one by one, {because}.",
            "I [checked|looked at] {n} {noun}, and {because}.")
LATER_REASONED = ("Next, {because}.", "[As for|Turning to] the next one: {because}.",
                  "[Then|Also], {because}.")
REASONED_ALONE = ("{because}.", "[I can see that|I checked, and] {because}.")
COUNTED = ("[Of those|Among them|Of them], {because}.", "[I can see that|Going through them,] {because}.")


def _because(because: str, n: int, noun: str, later: bool, variant: int, frames: tuple[str, ...] = ()) -> str:
    """The spec's reason for a write in a sentence, after the candidates it was chosen among when known."""
    frames = frames or (REASONED_ALONE if not n else LATER_REASONED if later else REASONED)
    said = _counting(pick_from(frames, variant), n).format(n=n, noun=noun, because=because.rstrip("."))
    return said[:1].upper() + said[1:]


def _counting(template: str, n: int) -> str:
    """Two candidates are "both", not "all 2" ("Comparing both pending orders")."""
    return template.replace("all {n}", "both") if n == 2 else template


def _kind(item: Any) -> Any:
    """What sort of thing a candidate is: a flight or a connection of flights, or else its fields."""
    legs = item if isinstance(item, list) else [item]
    if legs and all(isinstance(leg, dict) and "flight_number" in leg for leg in legs):
        return "flights"
    return frozenset(item) if isinstance(item, dict) else type(item).__name__


def _dates(item: Any, args: Args) -> set[str]:
    """The dates a candidate is for: each leg's own date when its records carry one (a connection that lands
    the next day is for two dates), else the date its lookup asked for."""
    records = item if isinstance(item, list) else [item]
    own = {value_text(r["date"]) for r in records if isinstance(r, dict) and r.get("date")}
    return own or {value_text(args.get("date", ""))}


def _winners(write: Args, pool: Sequence[tuple[Any, Args]]) -> list[Any]:
    leaves = _leaves(write)
    winners = [item for item, args in pool if all(_ids(item)) and set(_ids(item)) <= leaves
               and _dates(item, args) <= leaves | {""}]
    if len(winners) > 1:
        winners = [item for item in winners if set(_ids(item)) <= _new_leaves(write)]
    return winners


_DESCRIBED = ("orders", "reservations")  # told apart by what the user described, unless ranked by price


def _by_description(criteria: Sequence[str]) -> str:
    ranked = criterion(criteria)
    return ranked if criteria[:1] == ["max:price"] else MATCHING


def _clock(time: Any) -> str:
    """"14:05" from "14:05:00"; "00:35 the next day" from "00:35:00+1", as flight schedules mark it."""
    text = str(time)
    return text[:5] + (" the next day" if text.endswith("+1") else "")


def _describe(winner: Any, name: Namer, brief: bool = False) -> str:
    legs = winner if isinstance(winner, list) else [winner]
    if all("flight_number" in leg for leg in legs):
        parts = [f"{leg['flight_number']} from {leg.get('origin')} ({_clock(leg.get('scheduled_departure_time_est'))}"
                 f" to {_clock(leg.get('scheduled_arrival_time_est'))})" for leg in legs]
        return ("flight " if len(parts) == 1 else "the connection ") + " then ".join(parts)
    ids = _ids(winner)
    named = [name(i) for i in ids if name(i) != i]
    if named:
        return named[0]
    if isinstance(winner, dict) and winner.get("origin") and winner.get("destination") and "reservation_id" in winner:
        return f"{join_words(ids)} ({winner['origin']} to {winner['destination']})"
    items = winner.get("items") if isinstance(winner, dict) else None
    if isinstance(items, list) and items and not brief:
        things = list(dict.fromkeys(_common_noun(str(i.get("name", ""))) for i in items if isinstance(i, dict)))
        return f"{join_words(ids)} (with the {join_words(things)})"
    return join_words(ids)


def _common_noun(name: str) -> str:
    """A product name as a common noun: "Bath Towel Set" -> "bath towel set", an acronym kept ("LED")."""
    return " ".join(word if word.isupper() and len(word) > 1 else word.lower() for word in name.split())


def _figure(winner: Any, write: Args, variant: int = 0, said: str = "") -> str:
    legs = winner if isinstance(winner, list) else [winner]
    cabin = write.get("cabin")
    prices = [leg.get("prices", {}).get(cabin) for leg in legs if isinstance(leg.get("prices"), dict)]
    if prices and all(isinstance(p, int | float) for p in prices):
        fare = money(sum(prices))
        return "" if fare in said else expand(_FARE, variant).format(price=fare, cabin=humanize(str(cabin)))
    price = legs[0].get("price") if len(legs) == 1 else None
    if not isinstance(price, int | float) or money(price) in said:
        return ""
    return expand(_PRICE, variant).format(price=money(price))


_FARE = ("[, at|, priced at|, for|, which costs|; the fare is] {price} [per traveller|per passenger|a person|for each "
         "traveller] in {cabin}")
_PRICE = "[, at|, priced at|, which costs|, for] {price}"


# ------------------------------------------------------------------------ proposals
def proposal(tool: str, args: Args, tools: Tools | None = None, name: Namer = same_name,
             results: Sequence[Any] = ()) -> str:
    """What the agent is about to do, specific enough to confirm: "book a one-way economy reservation ...", with
    the amount it charges or refunds where the ``results`` of the lookups so far determine it."""
    phrasing = phrasing_of(tool, tools)
    phrase = phrasing.proposal
    if phrase is not None:
        try:
            amount = phrasing.amount(args, results) if phrasing.amount is not None and results else None
            return phrase(args, name) if amount is None else phrase(args, name, amount=amount)
        except (AttributeError, TypeError):
            pass
    details = join_words([f"{humanize(k)} {value_text(v)}" for k, v in args.items()])
    return f"{humanize(tool)} with {details}" if details else humanize(tool)


def completion(tool: str, args: Args, result: Any, tools: Tools | None = None, name: Namer = same_name) -> str:
    """One sentence saying a change went through."""
    phrase = phrasing_of(tool, tools).done
    if phrase is not None:
        try:
            return " ".join(phrase(args, result, name).split())
        except (AttributeError, TypeError):
            pass
    for key in ("reservation_id", "order_id"):
        if key in args:
            return f"{key.removesuffix('_id').capitalize()} {args[key]} has been updated."
    return f"That's done: the {humanize(tool)} request went through."
