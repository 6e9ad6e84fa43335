"""What every test folder shares: the fake domains of ``tests/fake_envs`` and golden files per stage.

Golden files live under ``tests/golden/<stage>/``; after an intended change, regenerate them with
``WRIT_UPDATE_GOLDEN=1 .venv/bin/pytest`` and review the diff.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import pytest
from goldens import comparer

TESTS = Path(__file__).resolve().parent
FAKE_ENVS = TESTS / "fake_envs"  # the `shop` and `desk` domains (tools in fake_domain.py)
GOLDEN = TESTS / "golden"

# The fake domains import `fake_domain` from this folder: so must the writ processes that tests start.
os.environ["PYTHONPATH"] = os.pathsep.join(p for p in (str(TESTS), os.environ.get("PYTHONPATH")) if p)


@pytest.fixture
def golden() -> Callable[[str, str], None]:
    """Compare ``actual`` with the golden file ``tests/golden/<name>``; WRIT_UPDATE_GOLDEN=1 rewrites it."""
    return comparer(GOLDEN)
