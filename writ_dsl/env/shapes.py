"""Record shapes that τ²-bench-style domains share, for their ``results.py`` (see ``envs/*/results.py``).

``Shape`` forbids fields it does not declare, so a typo in a declared result shape fails the tests that
check the shapes against real tool results.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict


class Shape(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Name(Shape):
    first_name: str
    last_name: str


class Address(Shape):
    address1: str
    address2: str
    city: str
    country: str
    state: str
    zip: str
