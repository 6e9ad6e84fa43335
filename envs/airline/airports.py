"""The 20 airports of the airline domain, with approximate coordinates for the generator."""

from __future__ import annotations

import math
from typing import NamedTuple


class Airport(NamedTuple):
    iata: str
    city: str
    lat: float
    lon: float


AIRPORTS: tuple[Airport, ...] = (
    Airport("SFO", "San Francisco", 37.62, -122.38),
    Airport("JFK", "New York", 40.64, -73.78),
    Airport("LAX", "Los Angeles", 33.94, -118.41),
    Airport("ORD", "Chicago", 41.97, -87.91),
    Airport("DFW", "Dallas", 32.90, -97.04),
    Airport("DEN", "Denver", 39.86, -104.67),
    Airport("SEA", "Seattle", 47.45, -122.31),
    Airport("ATL", "Atlanta", 33.64, -84.43),
    Airport("MIA", "Miami", 25.80, -80.29),
    Airport("BOS", "Boston", 42.36, -71.01),
    Airport("PHX", "Phoenix", 33.43, -112.01),
    Airport("IAH", "Houston", 29.99, -95.34),
    Airport("LAS", "Las Vegas", 36.08, -115.15),
    Airport("MCO", "Orlando", 28.43, -81.31),
    Airport("EWR", "Newark", 40.69, -74.17),
    Airport("CLT", "Charlotte", 35.21, -80.94),
    Airport("MSP", "Minneapolis", 44.88, -93.22),
    Airport("DTW", "Detroit", 42.21, -83.35),
    Airport("PHL", "Philadelphia", 39.87, -75.24),
    Airport("LGA", "LaGuardia", 40.78, -73.87),
)

BY_CODE: dict[str, Airport] = {airport.iata: airport for airport in AIRPORTS}
CODES: tuple[str, ...] = tuple(airport.iata for airport in AIRPORTS)
HUBS: tuple[str, ...] = ("ATL", "ORD", "DFW", "DEN", "CLT", "IAH", "PHX", "MSP", "DTW")


def distance_km(origin: str, destination: str) -> float:
    """Great-circle distance between two airports."""
    a, b = BY_CODE[origin], BY_CODE[destination]
    lat1, lat2 = math.radians(a.lat), math.radians(b.lat)
    dlat, dlon = lat2 - lat1, math.radians(b.lon - a.lon)
    h = math.sin(dlat / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin(dlon / 2) ** 2
    return 2 * 6371.0 * math.asin(math.sqrt(h))


def airport_list() -> list[dict[str, str]]:
    return [{"iata": airport.iata, "city": airport.city} for airport in AIRPORTS]
