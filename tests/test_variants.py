"""Alternations, ``[a|b]``: parsed once, expanded by a seed, and listed in full."""

from __future__ import annotations

import pytest

from writ_dsl import variants


def test_a_group_takes_one_alternative_and_groups_nest() -> None:
    text = "[Hi|Hello] there, [I am|I'm [glad|happy]] to help."
    assert variants.count(text) == 6
    assert sorted(variants.every(text)) == sorted(
        f"{hi} there, {me} to help." for hi in ("Hi", "Hello") for me in ("I am", "I'm glad", "I'm happy"))
    assert {variants.expand(text, seed) for seed in range(200)} == set(variants.every(text))


def test_the_same_seed_gives_the_same_wording_and_seeds_come_from_sha256() -> None:
    text = "[a|b|c][d|e|f][g|h]"
    assert variants.expand(text, 12345) == variants.expand(text, 12345)
    assert variants.seed_of("task", 1) == variants.seed_of("task", "1")  # parts are joined as text
    import hashlib

    digest = hashlib.sha256("task\x1f1".encode()).digest()
    assert variants.seed_of("task", 1) == int.from_bytes(digest[:8], "big")


def test_groups_are_chosen_independently_of_each_other() -> None:
    text = "[a|b][c|d]"
    seen = {variants.expand(text, variants.seed_of("k", i)) for i in range(64)}
    assert seen == {"ac", "ad", "bc", "bd"}


def test_an_empty_alternative_makes_a_part_optional() -> None:
    assert set(variants.every("Done[ today|].")) == {"Done today.", "Done."}


def test_escapes_and_bars_outside_groups_are_text() -> None:
    assert variants.expand(r"a \[b\] c|d \| e \\ f", 0) == r"a [b] c|d | e \ f"
    assert list(variants.every(r"[x\|y|z]")) == ["x|y", "z"]


def test_jinja_tags_pass_through_whole() -> None:
    text = "On {{ days[0] | day }} [or|and] {% if x[1] %}y|z{% endif %}"
    assert set(variants.every(text)) == {"On {{ days[0] | day }} or {% if x[1] %}y|z{% endif %}",
                                         "On {{ days[0] | day }} and {% if x[1] %}y|z{% endif %}"}


@pytest.mark.parametrize("text, offset, problem", [
    ("ab [c|d", 3, "never closed"), ("ab c]d", 4, "closes no group"),
    ("[" * 17 + "]" * 17, 16, "nest more than 16"),
])
def test_a_text_that_does_not_parse_says_where(text: str, offset: int, problem: str) -> None:
    with pytest.raises(variants.AlternationError) as caught:
        variants.parse(text)
    assert caught.value.offset == offset and problem in caught.value.problem


def test_a_long_text_of_many_groups_parses_without_deep_recursion() -> None:
    text = "[a|b] " * 5000
    assert variants.count(text) == 2 ** 5000
    assert len(variants.expand(text, 7)) == len("a ") * 5000
    assert next(variants.every(text)) == "a " * 5000


def test_as_a_jinja_template_each_group_reads_its_choice() -> None:
    import jinja2

    text = "[Hi|Hello], {{ name }}! [Bye|See you [soon|later]]."
    template = jinja2.Environment().from_string(variants.to_jinja(text))
    for seed in range(50):
        said = template.render(name="Ann", **{variants.CHOICES: variants.choices(text, seed)})
        assert said == variants.expand(text, seed).replace("{{ name }}", "Ann")
    assert variants.to_jinja("plain {{ x }}") == "plain {{ x }}"
    assert variants.to_jinja("a\n[b|c]\nd").count("\n") == 2  # lines stay where they were


def test_groups_list_each_alternative_with_where_it_starts() -> None:
    text = "x [a|bc [d|e]] y"
    found = variants.groups(text)
    assert [g.index for g in found] == [0, 1]
    assert found[0].sources == ("a", "bc [d|e]") and [text[s] for s in found[0].starts] == ["a", "b"]
    assert found[1].sources == ("d", "e")


def test_pick_from_chooses_a_wording_then_expands_it_by_the_same_seed() -> None:
    options = ("[a|b]", "c")
    assert {variants.pick_from(options, seed) for seed in range(100)} == {"a", "b", "c"}
