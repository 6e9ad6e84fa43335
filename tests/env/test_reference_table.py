"""Both domains against the tool tables of the τ²-bench reference: names, arguments, kinds."""

from __future__ import annotations

import re

import pytest

from writ_dsl.env.registry import UnknownEnvironment, load_domain

from .retail_helpers import REFERENCE_PATH, require_shared

TOOLS_HEADING = re.compile(r"^### Tools \((\d+)\)\s*$")


def split_top_level(text: str) -> list[str]:
    """Split on commas that are not inside (), [] or {}."""
    parts, depth, current = [], 0, []
    for char in text:
        depth += char in "([{"
        depth -= char in ")]}"
        if char == "," and depth == 0:
            parts.append("".join(current))
            current = []
        else:
            current.append(char)
    parts.append("".join(current))
    return [part.strip() for part in parts if part.strip()]


def argument_names(cell: str) -> list[str]:
    """'order_id, address1: str' -> ['order_id', 'address1']; '(none)' -> []."""
    if cell.strip() == "(none)":
        return []
    return [part.split(":", 1)[0].strip() for part in split_top_level(cell)]


def table_cells(line: str) -> list[str]:
    cells = re.split(r"(?<!\\)\|", line.strip())[1:-1]
    return [cell.strip() for cell in cells]


def parse_reference(text: str) -> dict[str, dict[str, tuple[str, list[str]]]]:
    """Domain -> tool -> (kind, argument names), from each domain's '### Tools (N)' table."""
    domains: dict[str, dict[str, tuple[str, list[str]]]] = {}
    domain, expected_count = None, 0
    for line in text.splitlines():
        if line.startswith("## "):
            domain = line[3:].strip().lower()
        elif heading := TOOLS_HEADING.match(line):
            expected_count = int(heading.group(1))
            domains[domain] = {}
        elif line.startswith("|") and domain in domains and not line.startswith(("| tool", "|---")):
            name, kind, arguments, _ = table_cells(line)
            domains[domain][name] = (kind, argument_names(arguments))
            if len(domains[domain]) > expected_count:
                raise AssertionError(f"{domain}: more rows than the heading's {expected_count}")
    return domains


@pytest.fixture(scope="module")
def reference() -> dict[str, dict[str, tuple[str, list[str]]]]:
    return parse_reference(require_shared(REFERENCE_PATH).read_text(encoding="utf-8"))


def test_parser_reads_grouped_and_nested_arguments() -> None:
    assert argument_names("order_id, address1, zip: str") == ["order_id", "address1", "zip"]
    assert argument_names('flights: list of {flight_number, date}, insurance: "yes"\\|"no"') == ["flights", "insurance"]
    assert argument_names("(none)") == []


@pytest.mark.shared
def test_reference_has_both_domains(reference) -> None:
    assert len(reference["airline"]) == 14
    assert len(reference["retail"]) == 16


@pytest.mark.shared
@pytest.mark.parametrize("name", ["airline", "retail"])
def test_domain_matches_the_reference(reference, name: str) -> None:
    try:
        domain = load_domain(name)
    except UnknownEnvironment:
        pytest.skip(f"the {name} environment does not exist yet")
    expected = reference[name]
    assert sorted(domain.tools) == sorted(expected)
    for tool_name, (kind, arguments) in expected.items():
        tool = domain.tools[tool_name]
        assert tool.kind.value.upper() == kind, tool_name
        assert tool.arg_names == arguments, tool_name
