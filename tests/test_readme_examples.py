"""The README's spec example names only what the bundled library defines."""

from __future__ import annotations

import re
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def test_the_spec_example_uses_behaviors_the_bundled_library_defines() -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    example = readme.split("### A spec", 1)[1].split("```", 2)[1]
    named = re.findall(r"\w+", re.search(r"behaviors \[([^\]]*)\]", example).group(1))
    defined = {name for path in (REPO / "specs" / "common").glob("*.writ")
               for name in re.findall(r"^behavior (\w+)", path.read_text(encoding="utf-8"), re.M)}
    assert named and set(named) <= defined, sorted(set(named) - defined)
