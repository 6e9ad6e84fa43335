"""writ view: the static report's content, and the page as a real headless Chromium renders it."""

from __future__ import annotations

import os
import re
import time

import pytest
from click.testing import CliRunner

from writ_dsl.cli import main

from . import browser
from .conftest import ARTIFACTS, HOSTILE


def test_report_is_one_file_that_fetches_nothing_and_holds_no_raw_markup_from_data(report):
    text = report.read_text(encoding="utf-8")
    assert "Content-Security-Policy" in text and "default-src 'none'" in text
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:|//)""", text) and "<link" not in text
    for hostile in HOSTILE:
        assert hostile not in text
    assert text.count("<script>") == 1 and text.count("</script>") == 5  # four data blocks and the code
    assert text.count("data:image/png;base64,") == 8  # writ stats plots, verified rate included


def test_view_command_writes_the_report(report, tmp_path):
    out = tmp_path / "r.html"
    result = CliRunner().invoke(main, ["view", str(report.parent), "-o", str(out), "--no-plots"])
    assert result.exit_code == 0, result.output
    assert "7 dialogues, 6 tasks, 0 plots" in result.output and out.read_text().startswith("<!DOCTYPE html>")
    missing = CliRunner().invoke(main, ["view", str(tmp_path)])
    assert missing.exit_code == 1 and "not a run folder" in missing.output and "writ view needs the folder" in missing.output


@pytest.mark.browser
@pytest.mark.skipif(not browser.available() and not os.environ.get("CI"),
                    reason="chromium, chromedriver or selenium not installed (CI installs them and never skips)")
def test_chromium_renders_filters_dialogues_graphs_rejects_and_plots(report):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select

    with browser.chromium() as page:
        page.get(report.as_uri())
        _wait(lambda: page.execute_script("return document.body.dataset.ready") == "1")
        items = lambda: page.find_elements(By.CSS_SELECTOR, "#dialogue-list li")  # noqa: E731
        assert len(items()) == 7

        Select(page.find_element(By.ID, "filter-verdict")).select_by_value("rejected")
        assert [li.get_attribute("data-id") for li in items()] == ["desk-0005"]
        items()[0].click()
        assert "reason: hash-mismatch" in page.find_element(By.CSS_SELECTOR, "#dialogue .problems").text

        Select(page.find_element(By.ID, "filter-verdict")).select_by_value("")
        Select(page.find_element(By.ID, "filter-template")).select_by_value("desk.writ::template_1")
        assert [li.get_attribute("data-id") for li in items()] == ["desk-0001", "desk-0004"]
        items()[0].click()
        dialogue = page.find_element(By.ID, "dialogue")
        assert "null" not in dialogue.text and "writes 2 · evidence burden [3,3]" in dialogue.text
        assert len(dialogue.find_elements(By.CSS_SELECTOR, ".msg.user")) >= 1
        nodes = dialogue.find_elements(By.CSS_SELECTOR, "svg.graph g.node")
        assert [n.get_attribute("data-node") for n in nodes][:2] == ["read:0", "read:1"] and len(nodes) == 6
        call = dialogue.find_element(By.CSS_SELECTOR, "details.call")
        arguments = call.find_element(By.TAG_NAME, "pre")
        assert not arguments.is_displayed()
        call.find_element(By.TAG_NAME, "summary").click()
        assert arguments.is_displayed() and "ann@example.com" in arguments.text
        page.execute_script("document.getElementById('dialogue').scrollTop = 0")
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        page.save_screenshot(str(ARTIFACTS / "writ_view_dialogue.png"))

        Select(page.find_element(By.ID, "filter-template")).select_by_value("")
        page.find_element(By.CSS_SELECTOR, "#dialogue-list li[data-id='desk-9999']").click()
        shown = page.find_element(By.CSS_SELECTOR, "#dialogue .msg.user .text").text
        assert shown == HOSTILE[0] and page.execute_script("return window.__pwned") is None

        page.find_element(By.CSS_SELECTOR, "nav button[data-tab='rejects']").click()
        rows = page.find_elements(By.CSS_SELECTOR, "#rejects tbody tr")
        assert len(rows) == 1 and "hash-mismatch" in rows[0].text

        page.find_element(By.CSS_SELECTOR, "nav button[data-tab='stats']").click()
        widths = page.execute_script("return [...document.querySelectorAll('.plots img')].map(i => i.naturalWidth)")
        assert len(widths) == 8 and all(w > 100 for w in widths)
        page.save_screenshot(str(ARTIFACTS / "writ_view_stats.png"))
        assert page.execute_script("return performance.getEntriesByType('resource').length") == 0


def _wait(condition, seconds: float = 10.0) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "the page did not become ready"
        time.sleep(0.05)


def test_the_same_run_gives_the_same_report_bytes(report, tmp_path):
    from writ_dsl.viewer import write_report

    write_report(report.parent, tmp_path / "again.html")
    assert (tmp_path / "again.html").read_bytes() == report.read_bytes()
