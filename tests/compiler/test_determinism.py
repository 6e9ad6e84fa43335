"""Same spec files, seed and options: byte-identical output, whatever the file order or process."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys

from writ_dsl.api import compile_paths, spec_files
from writ_dsl.compiler.compile import CompileOptions

from .helpers import FAKE_ENVS, REPO, SPECS, write_spec

TASKS = ["env shop\ntask {name} {{\n  param u = one of db.users\n  tell u.name\n"
         '  user {{ reason "r" wants "w {{{{ u.name }}}}" }}\n}}\n']


def make_library(root, names):
    root.mkdir(parents=True, exist_ok=True)
    (root / "writ.toml").write_text("", encoding="utf-8")
    for name in names:
        write_spec(root / "sub", TASKS[0].format(name=name), name=f"{name}.writ", toml=None)


def test_file_order_on_disk_does_not_matter(tmp_path):
    names = ["alpha", "beta", "gamma", "delta"]
    make_library(tmp_path / "a" / "lib", names)
    make_library(tmp_path / "b" / "lib", list(reversed(names)))
    options = CompileOptions(n=3, env_path=(FAKE_ENVS,))
    first = compile_paths([tmp_path / "a" / "lib"], options).to_jsonl()
    second = compile_paths([tmp_path / "b" / "lib"], options).to_jsonl()
    by_files = compile_paths(sorted((tmp_path / "a" / "lib" / "sub").glob("*.writ"), reverse=True), options)
    assert first == second == by_files.to_jsonl()
    assert [line.split('"task":"')[1].split('"')[0] for line in first.splitlines()[::3]] == sorted(names)


def test_total_is_spread_evenly_over_tasks(tmp_path):
    make_library(tmp_path / "lib", ["alpha", "beta", "gamma"])
    result = compile_paths([tmp_path / "lib"], CompileOptions(total=8, env_path=(FAKE_ENVS,)))
    assert [(r.task, r.wanted, r.produced) for r in result.reports] == [
        ("alpha", 2, 2), ("beta", 3, 3), ("gamma", 3, 3)]
    assert len(result.tasks) == 8


def test_total_smaller_than_the_task_count_skips_evenly_spaced_tasks(tmp_path):
    make_library(tmp_path / "lib", ["alpha", "beta", "gamma", "delta"])
    result = compile_paths([tmp_path / "lib"], CompileOptions(total=2, env_path=(FAKE_ENVS,)))
    assert [r.task for r in result.reports] == ["beta", "gamma"] and result.ok


def test_spec_files_are_sorted_and_deduplicated(tmp_path):
    make_library(tmp_path, ["b", "a"])
    files = spec_files([tmp_path, tmp_path / "sub" / "a.writ"])
    assert [f.name for f in files] == ["a.writ", "b.writ"]


def test_output_is_identical_across_processes(tmp_path):
    library = tmp_path / "specs"
    shutil.copytree(SPECS, library)
    outputs = []
    for hash_seed in ("1", "2"):
        env = {**os.environ, "PYTHONHASHSEED": hash_seed}
        out = tmp_path / f"out{hash_seed}.jsonl"
        command = [sys.executable, "-c", "from writ_dsl.cli import main; main()", "compile",
                   str(library / "airline"), "--per-task", "3", "-o", str(out)]
        subprocess.run(command, check=True, env=env, cwd=REPO, capture_output=True)
        outputs.append(out.read_bytes())
    tasks = {json.loads(line)["task"] for line in outputs[0].splitlines()}
    assert outputs[0] == outputs[1] and outputs[0].count(b"\n") == 3 * len(tasks) >= 6
