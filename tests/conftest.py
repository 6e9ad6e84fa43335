"""What every test folder shares: the fake domains of ``tests/fake_envs`` and golden files per stage.

Golden files live under ``tests/golden/<stage>/``; after an intended change, regenerate them with
``WRIT_UPDATE_GOLDEN=1 .venv/bin/pytest`` and review the diff.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Callable, Iterator
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


@pytest.fixture
def read_only_copy(tmp_path: Path) -> Iterator[Callable[[Path], Path]]:
    """Copies a folder onto storage writ cannot write to: a read-only bind mount (as root, who ignores file
    modes; skipped where root may not mount), or else files and folder without write permission."""
    mounts: list[Path] = []
    locked: list[Path] = []

    def copy(folder: Path) -> Path:
        target = tmp_path / f"copy-{len(mounts) + len(locked)}"
        shutil.copytree(folder, target)
        if os.geteuid() != 0:
            for path in target.iterdir():
                path.chmod(0o444)
            target.chmod(0o555)
            locked.append(target)
            return target
        mounted = target.with_name(target.name + "-read-only")
        mounted.mkdir()
        made = subprocess.run(["mount", "--bind", str(target), str(mounted)], capture_output=True, text=True)
        if made.returncode != 0:
            pytest.skip(f"root here may not mount, so there is no read-only storage to test on: {made.stderr}")
        mounts.append(mounted)
        if subprocess.run(["mount", "-o", "remount,ro,bind", str(mounted)], capture_output=True).returncode:
            pytest.skip("this machine cannot remount a bind mount read-only")
        return mounted

    yield copy
    for mounted in mounts:
        subprocess.run(["umount", "--lazy", str(mounted)], capture_output=True)
    for target in locked:
        target.chmod(0o755)
