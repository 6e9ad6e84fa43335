"""Which files a folder of specs holds: every *.writ file under it, and a problem for each one that cannot be
read, never a silent gap in the library."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from writ_dsl import api
from writ_dsl.lang.loader import spec_files

SPEC = 'env retail\ntask t { title "x" }\n'


def test_every_spec_under_a_folder_is_found_once_in_order(tmp_path: Path) -> None:
    (tmp_path / "b" / "deep").mkdir(parents=True)
    for name in ("a.writ", "b/deep/c.writ", "b/x.txt"):
        (tmp_path / name).write_text(SPEC)
    (tmp_path / "folder.writ").mkdir()
    files, problems = spec_files([tmp_path, tmp_path / "a.writ"])
    assert files == [(tmp_path / "a.writ").resolve(), (tmp_path / "b" / "deep" / "c.writ").resolve()]
    assert problems == []


def test_a_dangling_link_or_a_loop_of_links_is_a_problem_not_a_gap(tmp_path: Path) -> None:
    (tmp_path / "good.writ").write_text(SPEC)
    (tmp_path / "gone.writ").symlink_to(tmp_path / "nowhere.writ")
    (tmp_path / "loop.writ").symlink_to(tmp_path / "loop.writ")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "up").symlink_to(tmp_path, target_is_directory=True)  # a folder loop ends
    files, problems = spec_files([tmp_path])
    assert files == [(tmp_path / "good.writ").resolve()]
    assert sorted(Path(p.path).name for p in problems) == ["gone.writ", "loop.writ"]
    assert all(p.code == "io" and "not a file" in p.message for p in problems)
    assert not api.check_paths([tmp_path]).ok


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads a folder whatever its mode")
def test_a_folder_that_cannot_be_listed_is_a_problem(tmp_path: Path) -> None:
    (tmp_path / "good.writ").write_text(SPEC)
    (tmp_path / "locked").mkdir()
    (tmp_path / "locked" / "hidden.writ").write_text(SPEC)
    (tmp_path / "locked").chmod(0)
    try:
        _, problems = spec_files([tmp_path])
    finally:
        (tmp_path / "locked").chmod(0o755)
    assert [p.code for p in problems] == ["io"] and "locked" in problems[0].message


def test_a_named_pipe_is_refused_without_waiting_for_a_writer(tmp_path: Path) -> None:
    import subprocess
    import sys

    pipe = tmp_path / "p.writ"
    os.mkfifo(pipe)
    script = f"from writ_dsl import api; print([d.message for d in api.check_paths([{str(pipe)!r}]).diagnostics])"
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0 and "not a regular file (a pipe or a device)" in done.stdout, done.stderr
