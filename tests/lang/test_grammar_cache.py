"""The LALR tables are cached on disk: same parses from the cache, a broken cache file is rebuilt."""

from __future__ import annotations

from pathlib import Path

from writ_dsl.lang.grammar_cache import cache_file, cached_lark
from writ_dsl.resources import grammar_path

OPTIONS = {"parser": "lalr", "propagate_positions": True, "maybe_placeholders": True}
SPECS = sorted((Path(__file__).resolve().parents[2] / "specs").rglob("*.writ"))


def grammar() -> str:
    return grammar_path().read_text(encoding="utf-8")


def test_a_cached_parser_parses_exactly_like_a_fresh_one(tmp_path, monkeypatch):
    monkeypatch.setenv("WRIT_CACHE_DIR", str(tmp_path))
    fresh = cached_lark(grammar(), **OPTIONS)  # builds and saves
    path = cache_file(grammar(), OPTIONS)
    assert path is not None and path.is_file() and path.parent == tmp_path
    loaded = cached_lark(grammar(), **OPTIONS)  # loads
    assert loaded is not fresh
    assert sorted(t.name for t in loaded.terminals) == sorted(t.name for t in fresh.terminals)
    texts = [p.read_text(encoding="utf-8") for p in SPECS[:8]]
    assert texts and all(loaded.parse(t) == fresh.parse(t) for t in texts)


def test_a_broken_cache_file_is_replaced(tmp_path, monkeypatch):
    monkeypatch.setenv("WRIT_CACHE_DIR", str(tmp_path))
    path = cache_file(grammar(), OPTIONS)
    path.write_bytes(b"not a pickle")
    parser = cached_lark(grammar(), **OPTIONS)
    assert parser.parse('env airline\n').data == "start"
    assert path.read_bytes() != b"not a pickle"
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".lalr-")]  # no temporary files left


def test_the_key_follows_the_grammar_and_the_cache_can_be_turned_off(tmp_path, monkeypatch):
    monkeypatch.setenv("WRIT_CACHE_DIR", str(tmp_path))
    assert cache_file(grammar(), OPTIONS) != cache_file(grammar() + "\n// edited\n", OPTIONS)
    assert cache_file(grammar(), OPTIONS) != cache_file(grammar(), {**OPTIONS, "maybe_placeholders": False})
    monkeypatch.setenv("WRIT_CACHE_DIR", "off")
    assert cache_file(grammar(), OPTIONS) is None
    assert cached_lark(grammar(), **OPTIONS).parse("env airline\n").data == "start"
    assert list(tmp_path.iterdir()) == []


def test_an_unwritable_cache_folder_falls_back_to_building(tmp_path, monkeypatch):
    blocker = tmp_path / "file"
    blocker.write_text("")
    monkeypatch.setenv("WRIT_CACHE_DIR", str(blocker / "sub"))
    assert cached_lark(grammar(), **OPTIONS).parse("env airline\n").data == "start"


def test_no_home_folder_means_no_cache(monkeypatch):
    monkeypatch.delenv("WRIT_CACHE_DIR", raising=False)
    monkeypatch.delenv("XDG_CACHE_HOME", raising=False)

    def no_home() -> Path:
        raise RuntimeError("Could not determine home directory.")

    monkeypatch.setattr(Path, "home", no_home)
    assert cache_file(grammar(), OPTIONS) is None
    assert cached_lark(grammar(), **OPTIONS).parse("env airline\n").data == "start"
