"""One path style: check, compile, synth and graph show a spec's path as the user typed it; a file
copied out of its library gets a hint about writ.toml instead of a cascade of errors."""

from __future__ import annotations

import shutil
from pathlib import Path

from click.testing import CliRunner

from writ_dsl.cli import main

REPO = Path(__file__).resolve().parents[2]
BROKEN = 'env airline\ntask t {\n  let x = nope\n  user { reason "r" wants "w" }\n}\n'


def run(*args: str):
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def test_every_command_shows_the_path_as_typed(tmp_path, monkeypatch):
    lib = tmp_path / "work" / "lib"
    lib.mkdir(parents=True)
    (lib / "writ.toml").write_text("")
    (lib / "t.writ").write_text(BROKEN)
    monkeypatch.chdir(tmp_path / "work")
    expected = "lib/t.writ:3:11: error:"
    for command in (["check", "lib/t.writ"], ["compile", "lib/t.writ"], ["graph", "lib/t.writ"],
                    ["synth", "lib/t.writ", "-o", "out"]):
        result = run(*command)
        assert result.exit_code == 1
        assert expected in result.output, (command, result.output)
    monkeypatch.chdir(lib)
    for command in (["check", "t.writ"], ["compile", "t.writ"]):
        assert run(*command).output.startswith("t.writ:3:11: error:")


def test_a_spec_copied_out_of_its_library_gets_a_writ_toml_hint_and_no_cascade(tmp_path, monkeypatch):
    lone = tmp_path / "lone"
    lone.mkdir()
    shutil.copy(REPO / "specs" / "airline" / "cancel_eligible_reservation.writ", lone)
    monkeypatch.chdir(tmp_path)
    result = run("check", "lone/cancel_eligible_reservation.writ")
    assert result.exit_code == 1
    codes = [line.rsplit("[", 1)[-1].rstrip("]") for line in result.output.splitlines() if ": error:" in line]
    assert codes == ["import-outside-root", "import-outside-root"]
    assert "note: no writ.toml was found above this file" in result.output
