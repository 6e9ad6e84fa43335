"""Generated route network and flight table: schedules, daily statuses, seats and fares."""

from __future__ import annotations

import math
import random
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from .airports import CODES, HUBS, distance_km

DATES = tuple(f"2024-05-{day:02d}" for day in range(1, 31))
TODAY = "2024-05-15"
NOW_MINUTE = 15 * 60
DAY_MINUTES = 24 * 60
CONNECTED_ORIGINS = ("EWR", "LGA")
MIN_ROUTE_KM = 250


@dataclass(frozen=True)
class Schedule:
    origin: str
    destination: str
    departure: int
    duration: int

    @property
    def arrival(self) -> int:
        return self.departure + self.duration


def clock(minutes: int) -> str:
    """Minutes after midnight as HH:MM:SS, with "+1" when it falls on the next day."""
    day, minute = divmod(minutes, DAY_MINUTES)
    text = f"{minute // 60:02d}:{minute % 60:02d}:00"
    return text + "+1" if day else text


def stamp(day: str, minutes: int) -> str:
    """An ISO date-time ``minutes`` after midnight of ``day`` (may roll to the next day)."""
    return (datetime.fromisoformat(day) + timedelta(minutes=minutes)).isoformat()


def base_fare(origin: str, destination: str) -> int:
    """The typical economy fare of a route, growing with distance."""
    return round(70 + 0.05 * distance_km(origin, destination))


def cabin_fares(rng: random.Random, base: int) -> dict[str, int]:
    economy = round(base * rng.uniform(0.75, 1.4))
    return {
        "basic_economy": max(40, round(economy * rng.uniform(0.45, 0.7))),
        "economy": economy,
        "business": round(economy * rng.uniform(2.3, 4.4)) + rng.randint(0, 49),
    }


def _partners(rng: random.Random, code: str) -> list[str]:
    """Airports ``code`` gets direct routes to; hubs are twice as likely."""
    pool = [other for other in CODES + HUBS if other != code and distance_km(code, other) >= MIN_ROUTE_KM]
    rng.shuffle(pool)
    wanted = 11 if code in CONNECTED_ORIGINS else rng.randint(3, 5)
    return list(dict.fromkeys(pool))[:wanted]


def build_routes(rng: random.Random) -> list[tuple[str, str]]:
    """Directed routes, each served in both directions."""
    pairs: set[tuple[str, str]] = set()
    for code in CODES:
        for other in _partners(rng, code):
            pairs.update({(code, other), (other, code)})
    return sorted(pairs)


def _duration(rng: random.Random, origin: str, destination: str) -> int:
    block = 40 + distance_km(origin, destination) / 13.0
    return int(round(block / 5.0)) * 5 + 5 * rng.randint(-3, 9)


def _route_schedules(rng: random.Random, route: tuple[str, str], per_route: int) -> list[Schedule]:
    origin, destination = route
    count = rng.randint(1, 2) + (origin in HUBS or destination in HUBS)
    departures = rng.sample(range(5 * 12, 23 * 12 + 6), count * per_route)
    return [Schedule(origin, destination, 5 * slot, _duration(rng, origin, destination)) for slot in departures]


def _connects(first: Schedule, second: Schedule) -> bool:
    return first.arrival < DAY_MINUTES and second.departure >= first.arrival


def _has_connection(schedules: list[Schedule], origin: str, destination: str) -> bool:
    firsts = [s for s in schedules if s.origin == origin and s.destination != destination]
    seconds = [s for s in schedules if s.destination == destination and s.origin != origin]
    return any(f.destination == s.origin and _connects(f, s) for f in firsts for s in seconds)


def _add_connection(rng: random.Random, schedules: list[Schedule], origin: str, destination: str) -> None:
    """Add a flight onward from one of ``origin``'s direct destinations so a same-day connection exists."""
    firsts = [s for s in schedules if s.origin == origin and s.destination != destination and s.arrival < 1320]
    hubs = [s for s in firsts if s.destination in HUBS] or firsts
    if not hubs:
        return
    first = min(hubs, key=lambda s: (s.arrival, s.destination))
    departure = min(first.arrival + 15 * rng.randint(3, 10), DAY_MINUTES - 5)
    duration = _duration(rng, first.destination, destination)
    schedules.append(Schedule(first.destination, destination, departure, duration))


def build_schedules(rng: random.Random, per_route: int) -> list[Schedule]:
    routes = build_routes(rng)
    schedules = [s for route in routes for s in _route_schedules(rng, route, per_route)]
    for origin in CONNECTED_ORIGINS:
        for destination in sorted({s.destination for s in schedules if s.origin == origin}):
            if not _has_connection(schedules, origin, destination):
                _add_connection(rng, schedules, origin, destination)
    return schedules


def _timed(label: str, departure_kind: str, arrival_kind: str, day: str, start: int, end: int) -> dict[str, Any]:
    return {
        "status": label,
        f"{departure_kind}_departure_time_est": stamp(day, start),
        f"{arrival_kind}_arrival_time_est": stamp(day, end),
    }


def _past_status(rng: random.Random, schedule: Schedule, day: str) -> dict[str, Any]:
    if rng.random() < 0.08:
        return {"status": "cancelled"}
    start = schedule.departure + rng.choice((-10, -5, 0, 0, 5, 10, 15, 25, 40, 70))
    end = start + schedule.duration + rng.randint(-15, 20)
    return _timed("landed", "actual", "actual", day, start, end)


def _today_status(rng: random.Random, schedule: Schedule) -> dict[str, Any]:
    if rng.random() < 0.05:
        return {"status": "cancelled"}
    delay = rng.choice((0, 0, 5, 10, 20)) if rng.random() < 0.7 else rng.randint(6, 48) * 5
    start, end = schedule.departure + delay, schedule.arrival + delay + rng.randint(-10, 10)
    if end <= NOW_MINUTE:
        return _timed("landed", "actual", "actual", TODAY, start, end)
    if start <= NOW_MINUTE:
        return _timed("flying", "actual", "estimated", TODAY, start, end)
    return _timed("delayed" if delay >= 30 else "on time", "estimated", "estimated", TODAY, start, end)


def _open_status(rng: random.Random, schedule: Schedule) -> dict[str, Any]:
    seats = {"basic_economy": rng.randint(0, 20), "economy": rng.randint(0, 20), "business": rng.randint(0, 16)}
    fares = cabin_fares(rng, base_fare(schedule.origin, schedule.destination))
    return {"status": "available", "available_seats": seats, "prices": fares}


def day_status(rng: random.Random, schedule: Schedule, day: str) -> dict[str, Any]:
    if day < TODAY:
        return _past_status(rng, schedule, day)
    if day == TODAY:
        return _today_status(rng, schedule)
    return _open_status(rng, schedule)


def flights_per_route(size: int) -> int:
    return 1 + int(math.log10(size))


def build_flights(network_rng: random.Random, dates_rng: random.Random, size: int) -> dict[str, dict[str, Any]]:
    """The flight table: numbered HAT001... in a shuffled order, each with a status on every date."""
    schedules = build_schedules(network_rng, flights_per_route(size))
    network_rng.shuffle(schedules)
    width = max(3, len(str(len(schedules))))
    flights = {}
    for index, schedule in enumerate(schedules, start=1):
        number = f"HAT{index:0{width}d}"
        flights[number] = {
            "flight_number": number,
            "origin": schedule.origin,
            "destination": schedule.destination,
            "scheduled_departure_time_est": clock(schedule.departure),
            "scheduled_arrival_time_est": clock(schedule.arrival),
            "dates": {day: day_status(dates_rng, schedule, day) for day in DATES},
        }
    return flights
