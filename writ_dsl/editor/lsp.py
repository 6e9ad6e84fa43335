"""``writ lsp``: a language server for .writ files over stdio (pygls).

Diagnostics as you type (writ's checker, on open and on every change),
formatting (``writ fmt``'s formatter), go-to-definition for params, lets,
reads and named writes, and hover with tool signatures.

Columns are counted in the position encoding agreed with the client (UTF-16
unless it offers another); requests about a file that is not open answer null.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any
from urllib.parse import unquote

from lsprotocol import types
from pygls.exceptions import JsonRpcServerNotInitialized
from pygls.lsp.server import LanguageServer
from pygls.protocol import LanguageServerProtocol
from pygls.uris import to_fs_path
from pygls.workspace import PositionCodec, TextDocument

from .. import diagnostics as diag
from ..diagnostics import Span
from . import language

_SEVERITY = {diag.Severity.ERROR: types.DiagnosticSeverity.Error,
             diag.Severity.WARNING: types.DiagnosticSeverity.Warning}


class _Protocol(LanguageServerProtocol):
    """An error answers with its code and message only: the traceback pygls adds stays in the server's log."""

    def _send_response(self, msg_id: Any, result: Any = None, error: types.ResponseError | None = None) -> None:
        if error is not None and error.data is not None:
            error = types.ResponseError(code=error.code, message=error.message)
        super()._send_response(msg_id, result, error)


def lsp_range(span: Span | None, text: str, codec: PositionCodec) -> types.Range:
    """The span of ``text`` (columns in code points) as a range in the client's position encoding."""
    if span is None:
        return types.Range(types.Position(0, 0), types.Position(0, 0))
    points = types.Range(types.Position(span.line - 1, span.column - 1),
                         types.Position(span.end_line - 1, span.end_column - 1))
    return codec.range_to_client_units(text.split("\n"), points)


def lsp_diagnostic(d: diag.Diagnostic, text: str, codec: PositionCodec) -> types.Diagnostic:
    message = "\n".join([d.message, *d.notes])
    return types.Diagnostic(range=lsp_range(d.span, text, codec), message=message, code=d.code, source="writ",
                            severity=_SEVERITY.get(d.severity, types.DiagnosticSeverity.Information))


def _file(uri: str) -> Path:
    return Path(to_fs_path(uri) or uri)


def create_server(env_path: Sequence[str] = ()) -> LanguageServer:
    server = LanguageServer("writ", "1", protocol_cls=_Protocol)

    def open_document(uri: str) -> TextDocument | None:
        """The document the client has open at ``uri``; None for any other (nothing is read from disk)."""
        try:
            workspace = server.workspace
        except RuntimeError as exc:  # a request before `initialize`
            raise JsonRpcServerNotInitialized(str(exc)) from None
        return workspace.text_documents.get(unquote(uri))

    def located(params: types.TextDocumentPositionParams) -> tuple[TextDocument, int, int] | None:
        """The open document asked about and the position asked for, its column in code points."""
        document = open_document(params.text_document.uri)
        if document is None:
            return None
        at = document.position_codec.position_from_client_units(document.source.split("\n"), params.position)
        return document, at.line, at.character

    def publish(uri: str) -> None:
        document = open_document(uri)
        if document is None:
            return
        source, codec = document.source, document.position_codec
        found = language.check_text(_file(uri), source, env_path)
        server.text_document_publish_diagnostics(types.PublishDiagnosticsParams(
            uri=uri, version=document.version, diagnostics=[lsp_diagnostic(d, source, codec) for d in found]))

    @server.feature(types.TEXT_DOCUMENT_DID_OPEN)
    def did_open(params: types.DidOpenTextDocumentParams) -> None:
        publish(params.text_document.uri)

    @server.feature(types.TEXT_DOCUMENT_DID_CHANGE)
    def did_change(params: types.DidChangeTextDocumentParams) -> None:
        publish(params.text_document.uri)

    @server.feature(types.TEXT_DOCUMENT_FORMATTING)
    def formatting(params: types.DocumentFormattingParams) -> list[types.TextEdit] | None:
        document = open_document(params.text_document.uri)
        if document is None:
            return None
        source = document.source
        result = language.formatted(source)
        if result is None or result == source:
            return None if result is None else []
        lines = source.split("\n")
        whole = types.Range(types.Position(0, 0), types.Position(len(lines), 0))
        return [types.TextEdit(range=whole, new_text=result)]

    @server.feature(types.TEXT_DOCUMENT_DEFINITION)
    def definition(params: types.DefinitionParams) -> types.Location | None:
        asked = located(params)
        if asked is None:
            return None
        document, line, character = asked
        found = language.definition(_file(document.uri), document.source, line, character)
        if found is None:
            return None
        return types.Location(uri=found.path.resolve().as_uri(),
                              range=lsp_range(found.span, found.source, document.position_codec))

    @server.feature(types.TEXT_DOCUMENT_HOVER)
    def hover(params: types.HoverParams) -> types.Hover | None:
        asked = located(params)
        if asked is None:
            return None
        document, line, character = asked
        text = language.hover(_file(document.uri), document.source, line, character, env_path)
        if text is None:
            return None
        return types.Hover(contents=types.MarkupContent(kind=types.MarkupKind.Markdown, value=text))

    return server


def serve(env_path: Sequence[str] = ()) -> None:
    create_server(env_path).start_io()
