"""Alternations in user texts: `writ check` locates a group that does not parse or loses a value."""

from __future__ import annotations

from pathlib import Path

from writ_dsl.env.core import Domain

from .test_checks import found


def spec(user: str) -> str:
    return ("env shop\ntask t {\n    param user = one of db.users\n"
            f"    user {{\n{user}\n    }}\n}}\n")


def test_groups_that_keep_every_value_are_clean(tmp_path: Path, domain: Domain) -> None:
    text = spec('        reason "[You|Your partner] [want|would like] a refund."\n'
                '        wants """[Ask for|Request] a refund [for {{ user.user_id }}|on account {{ user.user_id }}].\n'
                '[Be quick.|]"""')
    assert found(tmp_path, domain, text) == []


def test_an_unclosed_bracket_is_located_in_the_string(tmp_path: Path, domain: Domain) -> None:
    text = spec('        reason "r"\n        wants "Ask [for|about a refund."')
    assert found(tmp_path, domain, text) == [(6, 20, "alternation-syntax")]


def test_a_stray_closing_bracket_is_located_across_lines_and_escapes(tmp_path: Path, domain: Domain) -> None:
    text = spec('        reason "r"\n        wants """Say \\"hi\\".\nThen ask] for it."""')
    assert found(tmp_path, domain, text) == [(7, 9, "alternation-syntax")]


def test_an_alternative_that_drops_a_value_is_an_error_at_that_alternative(tmp_path: Path, domain: Domain) -> None:
    text = spec('        reason "r"\n        wants "Refund [account {{ user.user_id }}|my account]."')
    assert found(tmp_path, domain, text) == [(6, 51, "alternatives-differ")]


def test_an_alternative_that_splits_a_jinja_block_is_an_error(tmp_path: Path, domain: Domain) -> None:
    text = spec('        reason "r"\n        wants "[{% if user %}a|b{% endif %}]"')
    assert [code for *_, code in found(tmp_path, domain, text)] == ["alternation-syntax"] * 2


def test_escaped_brackets_are_text_and_jinja_brackets_are_jinja(tmp_path: Path, domain: Domain) -> None:
    text = spec('        reason "r \\\\[sic\\\\]"\n        wants "Refund {{ [user.user_id][0] }} | soon."')
    assert found(tmp_path, domain, text) == []
