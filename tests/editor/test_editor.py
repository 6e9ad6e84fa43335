"""Editor support: the Pygments lexer through its entry point, and `writ lsp` driven by pygls' client over pipes."""

from __future__ import annotations

import asyncio
import subprocess
import sys
from pathlib import Path

import pytest

pytest.importorskip("pygls")
pytest.importorskip("pygments")

from lsprotocol import types  # noqa: E402
from pygls.lsp.client import LanguageClient  # noqa: E402

from writ_dsl.editor import language  # noqa: E402

REPO = Path(__file__).resolve().parents[2]
SPEC = REPO / "specs" / "airline" / "book_fastest_business.writ"


def test_pygmentize_finds_the_writ_lexer_by_name():
    result = subprocess.run([sys.executable, "-m", "pygments", "-l", "writ", "-f", "raw", str(SPEC)],
                            capture_output=True, text=True, check=True)
    tokens = result.stdout
    assert "Token.Error" not in tokens
    assert "Token.Keyword.Declaration\t'task'" in tokens and "Token.Name.Class\t'book_fastest_business'" in tokens
    assert "Token.Name.Function\t'get_user_details'" in tokens and "Token.Literal.String.Double" in tokens
    assert "Token.Comment.Single" in tokens


def test_language_functions_on_a_real_spec():
    text = SPEC.read_text()
    lines = text.split("\n")
    use = next(i for i, line in enumerate(lines) if "profile." in line)
    found = language.definition(SPEC, text, use, lines[use].index("profile.") + 2)
    assert found is not None and lines[found.span.line - 1].lstrip().startswith("read profile =")
    assert "get_user_details(user_id: str)" in language.hover(SPEC, text, found.span.line - 1, 30)
    assert language.check_text(SPEC, text) == [] and language.formatted(text) == text


def _position(text: str, needle: str, offset: int = 1) -> types.Position:
    lines = text.split("\n")
    line = next(i for i, each in enumerate(lines) if needle in each)
    return types.Position(line=line, character=lines[line].index(needle) + offset)


async def _session(tmp_path: Path) -> dict:
    spec = tmp_path / "spec.writ"
    text = SPEC.read_text().replace('import "../common/behaviors.writ"\n', "")
    text = text[:text.index("    behaviors [")] + text[text.index("]\n", text.index("    behaviors [")) + 2:]
    spec.write_text(text)
    uri = spec.as_uri()
    client = LanguageClient("writ-test", "1")
    published: list[types.PublishDiagnosticsParams] = []
    arrived = asyncio.Event()

    @client.feature(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
    def on_diagnostics(params: types.PublishDiagnosticsParams) -> None:
        published.append(params)
        arrived.set()

    async def next_diagnostics() -> list[types.Diagnostic]:
        await asyncio.wait_for(arrived.wait(), 60)
        arrived.clear()
        return published[-1].diagnostics

    await client.start_io(sys.executable, "-c", "from writ_dsl.cli import main; main()", "lsp")
    await client.initialize_async(types.InitializeParams(capabilities=types.ClientCapabilities(),
                                                         root_uri=tmp_path.as_uri()))
    client.initialized(types.InitializedParams())
    client.text_document_did_open(types.DidOpenTextDocumentParams(
        text_document=types.TextDocumentItem(uri=uri, language_id="writ", version=1, text=text)))
    results = {"open": await next_diagnostics()}
    broken = text.replace("get_user_details", "get_user_detail", 1)
    client.text_document_did_change(types.DidChangeTextDocumentParams(
        text_document=types.VersionedTextDocumentIdentifier(uri=uri, version=2),
        content_changes=[types.TextDocumentContentChangeWholeDocument(text=broken)]))
    results["typed"] = await next_diagnostics()
    messy = text.replace("    title ", "  title    ", 1)
    client.text_document_did_change(types.DidChangeTextDocumentParams(
        text_document=types.VersionedTextDocumentIdentifier(uri=uri, version=3),
        content_changes=[types.TextDocumentContentChangeWholeDocument(text=messy)]))
    await next_diagnostics()
    document = types.TextDocumentIdentifier(uri=uri)
    results["format"] = await client.text_document_formatting_async(types.DocumentFormattingParams(
        text_document=document, options=types.FormattingOptions(tab_size=4, insert_spaces=True)))
    results["definition"] = await client.text_document_definition_async(types.DefinitionParams(
        text_document=document, position=_position(messy, "profile.", 2)))
    results["hover"] = await client.text_document_hover_async(types.HoverParams(
        text_document=document, position=_position(messy, "search_direct_flight(", 3)))
    results["text"], results["uri"] = text, uri
    await client.shutdown_async(None)
    client.exit(None)
    await client.stop()
    return results


def test_language_server_over_pipes(tmp_path):
    results = asyncio.run(_session(tmp_path))
    assert list(results["open"]) == []
    (problem,) = [d for d in results["typed"] if d.code == "unknown-tool"]
    assert "get_user_detail" in problem.message and problem.severity == types.DiagnosticSeverity.Error
    assert problem.range.start.line == _position(results["text"], "get_user_details").line
    (edit,) = results["format"]
    assert edit.new_text == results["text"]
    location = results["definition"]
    assert location.uri == results["uri"]
    assert results["text"].split("\n")[location.range.start.line].lstrip().startswith("read profile")
    hover = results["hover"].contents.value
    assert "search_direct_flight(origin: str, destination: str, date: str)" in hover and "read tool" in hover
