"""`writ check` and `writ fmt` from the command line: output formats, exit statuses, odd inputs."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from writ_dsl.cli import main

CLEAN = '''env airline

task look_up {
    param user = one of db.users
    read profile = get_user_details(user_id = user.user_id)
    tell profile.email
    user {
        reason "You want to check your email address."
        wants "Hear the email address on file."
    }
}
'''
WARNING_ONLY = CLEAN.replace("    tell profile.email\n", "    tell user.email\n")
BROKEN = CLEAN.replace("get_user_details", "get_user").replace("user.user_id)", "user.user_id, extra = 1)")
MESSY = "env   airline\nlet x=1\n"
KIOSK_ENV = '''from writ_dsl.env.core import Domain, Tool, ToolArgs, ToolKind


class LookArgs(ToolArgs):
    key: str


DOMAIN = Domain("kiosk", "a kiosk", "no policy", {"look": Tool("look", ToolKind.READ, "look", LookArgs,
                lambda state, args: None)}, {"items": frozenset({"key"})}, lambda seed, size: {"items": {}})
'''


def run(*args: str) -> Result:
    return CliRunner().invoke(main, list(args))


def spec(folder: Path, text: str, name: str = "spec.writ") -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


# ---------------------------------------------------------------- writ check
def test_a_clean_spec_exits_0(tmp_path: Path) -> None:
    result = run("check", str(spec(tmp_path, CLEAN)))
    assert result.exit_code == 0 and result.stdout == "0 errors, 0 warnings in 1 file\n"


def test_errors_are_shown_with_their_source_line_and_exit_1(tmp_path: Path) -> None:
    path = spec(tmp_path, BROKEN)
    result = run("check", str(path))
    lines = result.stdout.splitlines()
    assert result.exit_code == 1
    assert lines[0] == f"{path.as_posix()}:5:20: error: environment 'airline' has no tool 'get_user' [unknown-tool]"
    assert lines[1] == "        read profile = get_user(user_id = user.user_id, extra = 1)"
    assert lines[2] == "    " + " " * 19 + "^~~~~~~~"
    assert lines[3].endswith("note: did you mean 'get_user_details'?")
    assert lines[-1] == "1 error, 0 warnings in 1 file"


def test_json_format(tmp_path: Path) -> None:
    result = run("check", "--format", "json", str(spec(tmp_path, BROKEN)))
    found = json.loads(result.stdout)
    assert result.exit_code == 1 and [d["code"] for d in found] == ["unknown-tool"]
    assert found[0]["span"] == {"line": 5, "column": 20, "end_line": 5, "end_column": 28}
    assert set(found[0]) == {"path", "span", "severity", "code", "message", "notes"}


def test_github_format(tmp_path: Path) -> None:
    path = spec(tmp_path, BROKEN)
    result = run("check", "--format", "github", str(path))
    assert result.exit_code == 1
    assert result.stdout.splitlines()[0] == (
        f"::error file={path.as_posix()},line=5,col=20,endLine=5,endColumn=28,title=unknown-tool::"
        "environment 'airline' has no tool 'get_user'")


def test_strict_turns_warnings_into_errors(tmp_path: Path) -> None:
    path = spec(tmp_path, WARNING_ONLY)
    relaxed, strict = run("check", str(path)), run("check", "--strict", "--format", "json", str(path))
    assert relaxed.exit_code == 0 and "warning: the result of read 'profile' is never used" in relaxed.stdout
    assert strict.exit_code == 1 and [d["severity"] for d in json.loads(strict.stdout)] == ["error"]


def test_folders_are_searched_recursively_in_a_fixed_order(tmp_path: Path) -> None:
    for name in ("b/two.writ", "a/deeper/one.writ", "c.writ"):
        spec(tmp_path, BROKEN, name)
    spec(tmp_path, "not a spec", "notes.txt")
    result = run("check", "--format", "json", str(tmp_path))
    paths = [Path(d["path"]).relative_to(tmp_path).as_posix() for d in json.loads(result.stdout)]
    assert paths == ["a/deeper/one.writ", "b/two.writ", "c.writ"]


def test_env_path_finds_a_users_environment(tmp_path: Path) -> None:
    spec(tmp_path / "envs", KIOSK_ENV, "kiosk/__init__.py")
    path = spec(tmp_path / "specs", 'env kiosk\nlet keys = map(db.items, it.key)\n')
    assert run("check", "--env-path", str(tmp_path / "envs"), str(path)).exit_code == 0
    assert "unknown environment 'kiosk'" in run("check", str(path)).stdout


@pytest.mark.parametrize("args", [[], ["does/not/exist.writ"], ["--format", "xml", "."]])
def test_usage_errors_exit_2(args: list[str]) -> None:
    assert run("check", *args).exit_code == 2


@pytest.mark.parametrize("content, code", [
    (bytes(range(256)) * 4, "bad-encoding"),
    (b"\xff\xfe\x00t\x00a\x00s\x00k", "bad-encoding"),
    (b"task t {\x00\x01}\n", "bad-character"),
    (b"}}}{{{((([[[", "syntax"),
    (b"\xef\xbb\xbfenv airline\n", None),
    (b"", None),
])
def test_odd_files_never_cause_a_traceback(tmp_path: Path, content: bytes, code: str | None) -> None:
    path = tmp_path / "odd.writ"
    path.write_bytes(content)
    result = run("check", "--format", "json", str(path))
    assert result.exception is None or isinstance(result.exception, SystemExit)
    codes = {d["code"] for d in json.loads(result.stdout)}
    assert (code in codes) if code else codes == set()
    assert result.exit_code == (1 if code else 0)


def test_a_folder_without_specs_is_a_warning(tmp_path: Path) -> None:
    result = run("check", str(tmp_path))
    assert result.exit_code == 0 and "no .writ files under" in result.stdout
    assert run("check", "--strict", str(tmp_path)).exit_code == 1


def test_an_unreadable_file_is_an_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = spec(tmp_path, CLEAN)
    original = Path.open

    def refuse(self: Path, *args: object, **kwargs: object) -> object:
        if self == path.resolve():
            raise PermissionError(13, "Permission denied")
        return original(self, *args, **kwargs)

    monkeypatch.setattr(Path, "open", refuse)
    result = run("check", str(path))
    assert result.exit_code == 1 and "cannot read the file: Permission denied [io]" in result.stdout


# ---------------------------------------------------------------- writ fmt
def test_fmt_rewrites_then_leaves_alone(tmp_path: Path) -> None:
    path = spec(tmp_path, MESSY)
    first = run("fmt", str(path))
    assert first.exit_code == 0 and "1 file reformatted, 0 unchanged" in first.stderr
    assert path.read_text(encoding="utf-8") == "env airline\n\nlet x = 1\n"
    second = run("fmt", str(path))
    assert second.exit_code == 0 and "0 files reformatted, 1 unchanged" in second.stderr


def test_fmt_check_exits_1_when_a_file_would_change(tmp_path: Path) -> None:
    messy, tidy = spec(tmp_path, MESSY, "messy.writ"), spec(tmp_path, "env airline\n", "tidy.writ")
    result = run("fmt", "--check", str(tmp_path))
    assert result.exit_code == 1 and "would reformat" in result.stderr and "messy.writ" in result.stderr
    assert messy.read_text(encoding="utf-8") == MESSY
    assert run("fmt", "--check", str(tidy)).exit_code == 0


def test_fmt_diff_prints_a_unified_diff(tmp_path: Path) -> None:
    path = spec(tmp_path, MESSY)
    result = run("fmt", "--diff", str(path))
    assert result.exit_code == 0 and path.read_text(encoding="utf-8") == MESSY
    lines = result.stdout.splitlines()
    assert lines[0] == f"--- {path.as_posix()}" and lines[1] == f"+++ {path.as_posix()} (formatted)"
    assert lines[3:] == ["-env   airline", "-let x=1", "+env airline", "+", "+let x = 1"]


def test_fmt_reports_syntax_errors_and_leaves_the_file(tmp_path: Path) -> None:
    path = spec(tmp_path, "task t {\n  let x =\n}\n")
    result = run("fmt", str(path))
    assert result.exit_code == 1 and "expected an expression after `=` [syntax]" in result.stderr
    assert path.read_text(encoding="utf-8") == "task t {\n  let x =\n}\n"


def test_fmt_reports_an_unreadable_file(tmp_path: Path) -> None:
    path = tmp_path / "junk.writ"
    path.write_bytes(b"\xff\xfe\xfd")
    result = run("fmt", str(path))
    assert result.exit_code == 1 and "cannot read the file: not UTF-8 text [io]" in result.stderr
