"""Building an environment folder's DOMAIN from its policy.md, tools and tables."""

from __future__ import annotations

from pathlib import Path

from writ_dsl.env.folder import folder_domain
from writ_dsl.env.generic import calculate_tool, transfer_tool
from writ_dsl.env.registry import load_domain

INIT = '''
from writ_dsl.env.folder import folder_domain
from writ_dsl.env.generic import calculate_tool

DOMAIN = folder_domain(
    __file__, name="tiny", description="A tiny desk.", tools=[calculate_tool("Sums.")],
    tables={"users": ["user_id"]}, generate=lambda seed, size: {"users": {}},
)
'''


def test_folder_domain_reads_the_policy_and_keeps_the_tool_order(tmp_path: Path) -> None:
    (tmp_path / "policy.md").write_text("# Policy\n\nBe kind. ✓\n", encoding="utf-8")
    tools = [transfer_tool("Hand over."), calculate_tool("Sums.")]
    domain = folder_domain(
        tmp_path / "__init__.py",
        name="toy",
        description="A toy.",
        tools=tools,
        tables={"users": ("user_id", "name"), "orders": iter(["order_id"])},
        generate=lambda seed, size: {},
    )
    assert (domain.name, domain.description, domain.path) == ("toy", "A toy.", tmp_path.resolve())
    assert domain.policy == "# Policy\n\nBe kind. ✓\n"
    assert list(domain.tools) == ["transfer_to_human_agents", "calculate"]
    assert domain.tools["calculate"] is tools[1]
    assert domain.db_schema == {"users": frozenset({"user_id", "name"}), "orders": frozenset({"order_id"})}


def test_an_environment_folder_can_define_its_domain_with_it(tmp_path: Path) -> None:
    folder = tmp_path / "tiny"
    folder.mkdir()
    (folder / "__init__.py").write_text(INIT, encoding="utf-8")
    (folder / "policy.md").write_text("Tiny policy.", encoding="utf-8")
    domain = load_domain("tiny", [tmp_path])
    assert (domain.policy, domain.path, list(domain.tools)) == ("Tiny policy.", folder.resolve(), ["calculate"])
    env = domain.environment()
    assert env.call(env.new_state(), "calculate", {"expression": "1+1"}).value == "2.0"


def test_bundled_domains_use_their_folders() -> None:
    for name in ("airline", "retail"):
        domain = load_domain(name)
        assert domain.path is not None and domain.path.name == name
        assert domain.policy == (domain.path / "policy.md").read_text(encoding="utf-8")
