"""Typed tool results: field access and argument types are checked against what the environment declares."""

from __future__ import annotations

from pathlib import Path

import pytest

from writ_dsl import api
from writ_dsl.env.registry import load_domain
from writ_dsl.lang import checks
from writ_dsl.lang.loader import load_spec
from writ_dsl.lang.types import NUMBER, STRING, UNKNOWN, from_annotation

REPO = Path(__file__).resolve().parents[2]


def check(tmp_path: Path, env: str, body: str) -> list:
    path = tmp_path / "spec.writ"
    path.write_text(f'env {env}\ntask t {{\n{body}\n    user {{ reason "r" wants "w" }}\n}}\n', encoding="utf-8")
    spec, problems = load_spec(path)
    assert spec is not None, problems
    return [d for d in checks.check_spec(spec, load_domain(env)) if d.is_error]


def located(diagnostics: list) -> list[tuple[int, int, str]]:
    return [(d.span.line, d.span.column, d.code) for d in diagnostics]


AIRLINE_READS = """    param user = one of db.users where count(it.reservations) >= 1
    read profile = get_user_details(user_id = user.user_id)
    read res = get_reservation_details(reservation_id = r) for r in profile.reservations
"""


def test_a_typo_on_a_read_result_is_a_located_error_with_a_suggestion(tmp_path):
    found = check(tmp_path, "airline", AIRLINE_READS + "    let first_res = first(res)\n    tell first_res.usr_id")
    assert located(found) == [(7, 10, "unknown-result-field")]
    assert "'usr_id'" in found[0].message and "Reservation" in found[0].message
    assert found[0].notes == ("did you mean 'user_id'?",)


def test_field_access_on_a_let_a_param_and_inside_items(tmp_path):
    body = AIRLINE_READS + """    let fine = profile.finez
    let names = map(res, r: r.passengers[0].frist_name)
    let cheap = flatten(map(res, it.flights)) where it.pryce < 100
    tell user.membershp
    tell fine"""
    assert located(check(tmp_path, "airline", body)) == [(6, 16, "unknown-result-field"), (7, 29, "unknown-result-field"),
                                                         (8, 53, "unknown-result-field"), (9, 10, "unknown-result-field")]


def test_fanned_out_reads_are_lists_of_results(tmp_path):
    assert located(check(tmp_path, "airline", AIRLINE_READS + "    tell res.user_id")) == []  # a list: not followed
    assert located(check(tmp_path, "airline", AIRLINE_READS + "    tell res[0].usr_id")) == [(6, 10, "unknown-result-field")]


def test_one_stop_results_are_pairs_and_direct_dates_exist(tmp_path):
    body = """    read direct = search_direct_flight(origin = "JFK", destination = "LAX", date = 2024-05-20)
    read pairs = search_onestop_flight(origin = "JFK", destination = "LAX", date = 2024-05-20)
    tell count(map(pairs, it[0].date)) + count(map(direct, it.date))
    tell first(pairs).flight_number"""
    assert located(check(tmp_path, "airline", body)) == []  # a pair is a list: `.flight_number` is not followed
    assert located(check(tmp_path, "airline", body.replace("it[0].date", "it[0].dait"))) == [
        (5, 27, "unknown-result-field")]


def test_write_arguments_are_type_checked_literal_or_not(tmp_path):
    body = AIRLINE_READS + """    let pm = first(values(profile.payment_methods))
    write send_certificate(user_id = user.user_id, amount = str(pm.amount))"""
    found = check(tmp_path, "airline", body)
    assert located(found) == [(7, 61, "argument-type")]
    assert found[0].message == "argument `amount` of 'send_certificate' must be an integer, not a string"


def test_retail_typo_and_record_argument(tmp_path):
    body = """    param user = one of db.users where count(it.orders) >= 1
    read profile = get_user_details(user_id = user.user_id)
    read order = get_order_details(order_id = first(profile.orders))
    write modify_pending_order_address(order_id = order.order_id, address1 = order.address, address2 = "",
        city = order.adress.city, state = "NY", country = "USA", zip = "10001")"""
    found = check(tmp_path, "retail", body)
    assert located(found) == [(6, 78, "argument-type"), (7, 16, "unknown-result-field")]
    assert found[1].notes == ("did you mean 'address'?",)


def test_what_the_checker_cannot_follow_is_no_error(tmp_path):
    body = AIRLINE_READS + """    let anything = if count(res) > 1 then profile else first(res)
    let mixed = [profile, 1]
    tell anything.whatever
    tell mixed[0].whatever
    write send_certificate(user_id = user.user_id, amount = round(count(res) * 1.5, 0))"""
    assert check(tmp_path, "airline", body) == []


def test_annotations_become_types():
    assert from_annotation(str) == STRING and from_annotation(int) == NUMBER
    assert from_annotation(object) == UNKNOWN and from_annotation(None) == UNKNOWN
    assert from_annotation(list[str]).item == STRING
    assert from_annotation(str | None).nullable


def test_the_bundled_specs_stay_clean():
    result = api.check_paths([REPO / "specs"])
    assert result.errors == 0 and result.warnings == 0, result.diagnostics


def test_shared_definitions_are_checked_in_their_file(tmp_path):
    (tmp_path / "writ.toml").write_text("")
    (tmp_path / "shared.writ").write_text(
        'env airline\nlet golds = db.users where it.name.frist_name == "Ana"\n', encoding="utf-8")
    path = tmp_path / "spec.writ"
    path.write_text('env airline\nimport "shared.writ"\ntask t {\n    param u = one of golds\n    tell u.emial\n'
                    '    user { reason "r" wants "w" }\n}\n', encoding="utf-8")
    result = api.check_paths([path])
    found = [(d.path.rsplit("/", 1)[-1], d.span.line, d.span.column, d.code) for d in result.diagnostics]
    assert found == [("shared.writ", 2, 28, "unknown-result-field"), ("spec.writ", 5, 10, "unknown-result-field")]
