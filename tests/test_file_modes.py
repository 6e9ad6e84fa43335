"""Files writ writes get the mode any new file gets (0666 less the umask), or keep the mode of the file they
replace: written through a temporary file, they would otherwise be readable by their owner only."""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from writ_dsl.cli import main
from writ_dsl.io import RowFile, atomic_write


@pytest.fixture
def umask() -> Iterator[None]:
    saved = os.umask(0o022)
    try:
        yield
    finally:
        os.umask(saved)


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_a_new_file_gets_the_mode_the_umask_gives(tmp_path: Path, umask: None) -> None:
    atomic_write(tmp_path / "a.json", "{}")
    assert mode(tmp_path / "a.json") == 0o644
    os.umask(0o077)
    atomic_write(tmp_path / "b.json", "{}")
    assert mode(tmp_path / "b.json") == 0o600


def test_a_replaced_file_keeps_its_mode(tmp_path: Path, umask: None) -> None:
    target = tmp_path / "shared.jsonl"
    target.write_text("old\n")
    target.chmod(0o664)
    atomic_write(target, "new\n")
    assert (target.read_text(), mode(target)) == ("new\n", 0o664)


def test_a_file_written_row_by_row_gets_the_same_mode(tmp_path: Path, umask: None) -> None:
    rows = RowFile(tmp_path / "rows.jsonl")
    rows.write("{}\n")
    rows.commit()
    assert mode(tmp_path / "rows.jsonl") == 0o644
    assert not list(tmp_path.glob(".*.partial"))


def test_formatting_a_spec_keeps_its_mode(tmp_path: Path, umask: None) -> None:
    spec = tmp_path / "t.writ"
    spec.write_text((Path(__file__).parents[1] / "specs" / "retail" / "cancel_pending_order.writ").read_text()
                    .replace("    ", "  ", 1))
    spec.chmod(0o664)
    result = CliRunner().invoke(main, ["fmt", str(spec)])
    assert result.exit_code == 0, result.output
    assert mode(spec) == 0o664
