"""Golden-file comparison shared by the stage goldens (tests/golden/) and the export goldens (tests/exports/)."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

UPDATE_GOLDEN = os.environ.get("WRIT_UPDATE_GOLDEN") == "1"


def comparer(root: Path) -> Callable[[str, str], None]:
    """Compare ``actual`` with the golden file ``root/<name>``; WRIT_UPDATE_GOLDEN=1 rewrites it."""

    def compare(name: str, actual: str) -> None:
        path = root / name
        if UPDATE_GOLDEN:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(actual, encoding="utf-8")
            return
        assert path.is_file(), f"no golden file {path}; run with WRIT_UPDATE_GOLDEN=1 to create it"
        assert actual == path.read_text(encoding="utf-8"), f"{name} differs from its golden file"

    return compare
