"""Every spec of tests/data/broken/ carries its expected diagnostics as ``# expect: L:C severity [code]``.

``writ check --format json`` must report exactly those for the file (no more, no fewer) and exit 1.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from writ_dsl.cli import main

BROKEN = Path(__file__).resolve().parents[1] / "data" / "broken"
CASES = sorted(BROKEN.glob("*.writ"))
EXPECT = re.compile(r"#\s*expect:\s*(\d+):(\d+)\s+(error|warning)\s+\[([a-z-]+)\]")


def expected(path: Path) -> list[tuple[int, int, str, str]]:
    found = EXPECT.findall(path.read_text(encoding="utf-8"))
    return sorted((int(line), int(column), severity, code) for line, column, severity, code in found)


def test_the_corpus_covers_many_problems() -> None:
    codes = {code for path in CASES for *_, code in expected(path)}
    assert len(CASES) >= 45 and len(codes) >= 40


@pytest.mark.parametrize("path", CASES, ids=lambda p: p.stem)
def test_broken_spec_reports_exactly_its_expected_diagnostics(path: Path) -> None:
    wanted = expected(path)
    assert wanted, f"{path.name} has no `# expect:` comment"
    result = CliRunner().invoke(main, ["check", "--format", "json", str(path)])
    assert result.exit_code == 1, result.output
    reported = json.loads(result.stdout)
    own = [d for d in reported if Path(d["path"]).resolve() == path.resolve()]
    actual = sorted((d["span"]["line"], d["span"]["column"], d["severity"], d["code"]) for d in own)
    assert actual == wanted, "\n".join(f"{d['span']['line']}:{d['span']['column']} {d['message']}" for d in own)
