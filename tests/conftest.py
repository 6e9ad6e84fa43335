"""What every test folder shares: the fake domains of ``tests/fake_envs`` and golden files per stage.

Golden files live under ``tests/golden/<stage>/``; after an intended change, regenerate them with
``WRIT_UPDATE_GOLDEN=1 .venv/bin/pytest`` and review the diff.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import pytest

TESTS = Path(__file__).resolve().parent
FAKE_ENVS = TESTS / "fake_envs"  # the `shop` and `desk` domains (tools in fake_domain.py)
GOLDEN = TESTS / "golden"
UPDATE_GOLDEN = os.environ.get("WRIT_UPDATE_GOLDEN") == "1"

# The fake domains import `fake_domain` from this folder: so must the writ processes that tests start.
os.environ["PYTHONPATH"] = os.pathsep.join(p for p in (str(TESTS), os.environ.get("PYTHONPATH")) if p)


@pytest.fixture
def golden() -> Callable[[str, str], None]:
    """Compare ``actual`` with the golden file ``tests/golden/<name>``; WRIT_UPDATE_GOLDEN=1 rewrites it."""

    def compare(name: str, actual: str) -> None:
        path = GOLDEN / name
        if UPDATE_GOLDEN:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(actual, encoding="utf-8")
            return
        assert path.is_file(), f"no golden file {path}; run with WRIT_UPDATE_GOLDEN=1 to create it"
        assert actual == path.read_text(encoding="utf-8"), f"{name} differs from its golden file"

    return compare
