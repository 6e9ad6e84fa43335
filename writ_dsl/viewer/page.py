"""The report page: one HTML file with inline CSS, JS, data and plot images; nothing is fetched.

Data goes into ``<script type="application/json">`` blocks with ``<``, ``>``
and ``&`` written as JSON escapes, so no value can close the block or open a
tag; the script puts every value on the page as text (``textContent``), never
as markup. A Content-Security-Policy forbids any network access.
"""

from __future__ import annotations

import base64
import html
import json
from collections.abc import Iterable, Iterator
from importlib import resources
from typing import Any

CSP = "default-src 'none'; img-src data:; style-src 'unsafe-inline'; script-src 'unsafe-inline'"


def script_json(value: Any) -> str:
    """JSON safe to place inside a script element."""
    return _safe(json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":")))


def _safe(text: str) -> str:
    return text.replace("&", "\\u0026").replace("<", "\\u003c").replace(">", "\\u003e")


def _asset(name: str) -> str:
    return resources.files(__package__).joinpath(name).read_text(encoding="utf-8")


def page(title: str, summary: dict[str, Any], tasks: dict[str, Any], dialogues: Iterable[dict[str, Any]],
         prompts: list[str], plots: dict[str, bytes]) -> Iterator[str]:
    """The page in pieces; ``dialogues`` is consumed lazily (prompts are complete once it is)."""
    yield ("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
           f"<meta http-equiv=\"Content-Security-Policy\" content=\"{CSP}\">\n"
           "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
           f"<title>{html.escape(title)}</title>\n<style>\n{_asset('report.css')}</style>\n</head>\n<body>\n")
    yield _body(title)
    yield f"<script type=\"application/json\" id=\"writ-summary\">{script_json(summary)}</script>\n"
    yield f"<script type=\"application/json\" id=\"writ-tasks\">{script_json(tasks)}</script>\n"
    yield "<script type=\"application/json\" id=\"writ-dialogues\">"
    first = True
    for item in dialogues:
        yield ("[" if first else ",") + script_json(item)
        first = False
    yield "[]" if first else "]"
    yield "</script>\n"
    yield f"<script type=\"application/json\" id=\"writ-prompts\">{script_json(prompts)}</script>\n"
    yield _plots(plots)
    yield f"<script>\n{_asset('report.js')}</script>\n</body>\n</html>\n"


def _body(title: str) -> str:
    filters = "".join(f"<label>{label}<select id=\"filter-{key}\" data-key=\"{key}\"></select></label>"
                      for key, label in (("domain", "domain"), ("type", "type"), ("template", "template"),
                                         ("behavior", "behaviour"), ("verdict", "verdict")))
    return (f"<header><h1>{html.escape(title)}</h1><p id=\"summary\"></p>"
            "<nav><button data-tab=\"dialogues\" class=\"active\">Dialogues</button>"
            "<button data-tab=\"rejects\">Rejects</button><button data-tab=\"stats\">Statistics</button></nav>"
            "</header>\n<main>\n"
            f"<section id=\"tab-dialogues\" class=\"tab\"><div class=\"filters\">{filters}"
            "<span id=\"shown\"></span></div><div class=\"split\"><ol id=\"dialogue-list\"></ol>"
            "<article id=\"dialogue\"><p class=\"hint\">Choose a dialogue.</p></article></div></section>\n"
            "<section id=\"tab-rejects\" class=\"tab\" hidden><table id=\"rejects\"><thead><tr><th>task</th>"
            "<th>verdict</th><th>reason</th><th>detail</th></tr></thead><tbody></tbody></table></section>\n")


def _plots(plots: dict[str, bytes]) -> str:
    figures = "".join(
        f"<figure><img alt=\"{html.escape(name)}\" data-plot=\"{html.escape(name)}\" "
        f"src=\"data:image/png;base64,{base64.b64encode(data).decode()}\"></figure>"
        for name, data in plots.items())
    return (f"<section id=\"tab-stats\" class=\"tab\" hidden><div id=\"stats-tables\"></div>"
            f"<div class=\"plots\">{figures}</div></section>\n</main>\n")
