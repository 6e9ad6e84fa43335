"""Editor support: the Pygments lexer through its entry point, and `writ lsp` driven by pygls' client over pipes."""

from __future__ import annotations

import asyncio
import contextlib
import json
import subprocess
import sys
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

pytest.importorskip("pygls")
pytest.importorskip("pygments")

from lsprotocol import types  # noqa: E402
from pygls.exceptions import JsonRpcException  # noqa: E402
from pygls.lsp.client import LanguageClient  # noqa: E402

from writ_dsl.editor import language, lsp  # noqa: E402

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


def _units(text: str, encoding: str) -> int:
    """The length of ``text`` in code units of an LSP position encoding (utf-8, utf-16 or utf-32)."""
    unit = {"utf-8": 1, "utf-16": 2, "utf-32": 4}[encoding]
    return len(text.encode(encoding if unit == 1 else f"{encoding}-le")) // unit


@contextlib.asynccontextmanager
async def _server(root: Path, encodings: list[str] | None = None, initialize: bool = True,
                  ) -> AsyncIterator[tuple[LanguageClient, asyncio.Queue, types.InitializeResult | None]]:
    """A running `writ lsp` (initialized unless told not to), the diagnostics it publishes in order, and its
    answer to `initialize`."""
    client = LanguageClient("writ-test", "1")
    published: asyncio.Queue[types.PublishDiagnosticsParams] = asyncio.Queue()

    @client.feature(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
    def on_diagnostics(params: types.PublishDiagnosticsParams) -> None:
        published.put_nowait(params)

    await client.start_io(sys.executable, "-c", "from writ_dsl.cli import main; main()", "lsp")
    initialized = None
    if initialize:
        general = types.GeneralClientCapabilities(position_encodings=encodings)
        initialized = await client.initialize_async(types.InitializeParams(
            capabilities=types.ClientCapabilities(general=general), root_uri=root.as_uri()))
        client.initialized(types.InitializedParams())
    try:
        yield client, published, initialized
    finally:
        if initialize:
            await client.shutdown_async(None)
        client.exit(None)
        await client.stop()


async def _open(client: LanguageClient, published: asyncio.Queue, path: Path) -> list[types.Diagnostic]:
    client.text_document_did_open(types.DidOpenTextDocumentParams(text_document=types.TextDocumentItem(
        uri=path.as_uri(), language_id="writ", version=1, text=path.read_text(encoding="utf-8"))))
    return (await asyncio.wait_for(published.get(), 60)).diagnostics


EMOJI_LINE = '    let q = ["🙂🙂🙂", second_day, get_user_details]'


async def _emoji_session(tmp_path: Path, offered: list[str] | None) -> dict:
    spec = tmp_path / "spec.writ"
    text = SPEC.read_text().replace("    let origins =", f"{EMOJI_LINE}\n    let origins =")
    spec.write_text(text, encoding="utf-8")
    line = text.split("\n").index(EMOJI_LINE)
    document = types.TextDocumentIdentifier(uri=spec.as_uri())
    async with _server(tmp_path, offered) as (client, published, initialized):
        results = {"encoding": initialized.capabilities.position_encoding, "line": line}
        results["diagnostics"] = await _open(client, published, spec)
        encoding = results["encoding"]
        at = types.Position(line, _units(EMOJI_LINE[:EMOJI_LINE.index("second_day") + 3], encoding))
        results["definition"] = await client.text_document_definition_async(
            types.DefinitionParams(text_document=document, position=at))
        at = types.Position(line, _units(EMOJI_LINE[:EMOJI_LINE.index("get_user_details") + 3], encoding))
        results["hover"] = await client.text_document_hover_async(
            types.HoverParams(text_document=document, position=at))
    return results


@pytest.mark.parametrize("offered, agreed", [(None, "utf-16"), (["utf-8"], "utf-8"), (["utf-32", "utf-16"], "utf-32")])
def test_columns_count_in_the_agreed_position_encoding(tmp_path, offered, agreed):
    results = asyncio.run(_emoji_session(tmp_path, offered))
    assert results["encoding"] == agreed
    (problem,) = [d for d in results["diagnostics"] if d.range.start.line == results["line"]]
    start = EMOJI_LINE.index("get_user_details")
    assert problem.code == "undefined-name"
    assert problem.range.start.character == _units(EMOJI_LINE[:start], agreed)
    assert problem.range.end.character == _units(EMOJI_LINE[:start + len("get_user_details")], agreed)
    location = results["definition"]
    assert location is not None and location.range.start.character == len("    let ")
    assert SPEC.read_text().split("\n")[location.range.start.line].startswith("    let second_day =")
    assert "get_user_details(user_id: str)" in results["hover"].contents.value


def _library_with_broken_imports(root: Path) -> Path:
    """A spec importing a file that is not UTF-8, a file that imports it back, and (through another file)
    a file with many syntax errors."""
    (root / "writ.toml").write_text("")
    (root / "d").mkdir()
    (root / "e").mkdir()
    (root / "e" / "binary.writ").write_bytes(b"\xff\xfe env airline\n")
    (root / "e" / "loop.writ").write_text('import "../d/spec.writ"\n')
    (root / "e" / "middle.writ").write_text('import "broken.writ"\n')
    (root / "e" / "broken.writ").write_text("let = 1\n" * 20)
    spec = root / "d" / "spec.writ"
    spec.write_text('env airline\nimport "../e/binary.writ"\nimport "../e/loop.writ"\nimport "../e/middle.writ"\n')
    return spec


def test_errors_in_imported_files_show_on_the_import_that_leads_to_them(tmp_path):
    spec = _library_with_broken_imports(tmp_path)
    found = language.check_text(spec, spec.read_text())
    assert [(d.span.line, d.code) for d in found] == [(2, "bad-encoding"), (3, "import-cycle"), (4, "syntax")]
    binary, cycle, syntax = found
    assert binary.message.startswith("in ../e/binary.writ:1:1: this file is not UTF-8 text")
    assert cycle.message.startswith("in ../e/loop.writ:1:8: import cycle:")
    assert syntax.message.startswith("in ../e/broken.writ:1:5: ") and "19 more error(s)" in syntax.notes[0]
    assert (binary.span.column, binary.span.end_column) == (1, len('import "../e/binary.writ"') + 1)


def test_the_editor_shows_errors_of_imported_files(tmp_path):
    async def session() -> list[types.Diagnostic]:
        async with _server(tmp_path) as (client, published, _):
            return await _open(client, published, spec)

    spec = _library_with_broken_imports(tmp_path)
    found = asyncio.run(session())
    assert [d.range.start.line for d in found] == [1, 2, 3]
    assert all(d.severity == types.DiagnosticSeverity.Error for d in found)


async def _unopened_session(tmp_path: Path) -> dict:
    document = types.TextDocumentIdentifier(uri="file:///not/open.writ")
    at = types.Position(0, 0)
    results = {}
    async with _server(tmp_path, initialize=False) as (client, _, _):
        try:
            await client.text_document_hover_async(types.HoverParams(text_document=document, position=at))
        except JsonRpcException as exc:
            results["early"] = exc
    async with _server(tmp_path) as (client, _, _):
        results["hover"] = await client.text_document_hover_async(
            types.HoverParams(text_document=document, position=at))
        results["definition"] = await client.text_document_definition_async(
            types.DefinitionParams(text_document=document, position=at))
        results["format"] = await client.text_document_formatting_async(types.DocumentFormattingParams(
            text_document=document, options=types.FormattingOptions(tab_size=4, insert_spaces=True)))
    return results


def test_requests_about_a_file_not_open_answer_null_and_early_ones_a_plain_error(tmp_path):
    results = asyncio.run(_unopened_session(tmp_path))
    assert results["hover"] is None and results["definition"] is None and results["format"] is None
    early = results["early"]
    assert early.code == -32002 and early.data is None


def test_a_failing_request_answers_with_a_plain_error():
    server = lsp.create_server()
    sent: list[bytes] = []
    server.protocol.set_writer(type("Writer", (), {"write": lambda _, data: sent.append(data),
                                                   "close": lambda _: None})(), include_headers=False)

    @server.feature("writ/fail")
    def fail(params: dict) -> None:
        raise ValueError("a bug in the server")

    server.protocol.handle_message(server.protocol.structure_message(
        {"jsonrpc": "2.0", "id": 1, "method": "writ/fail", "params": {}}))
    (answer,) = [json.loads(data) for data in sent]
    assert answer["error"] == {"code": -32603, "message": "ValueError: a bug in the server"}
