"""``writ lsp``: a language server for .writ files over stdio (pygls).

Diagnostics as you type (writ's checker, on open and on every change),
formatting (``writ fmt``'s formatter), go-to-definition for params, lets,
reads and named writes, and hover with tool signatures.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from lsprotocol import types
from pygls.lsp.server import LanguageServer
from pygls.uris import to_fs_path

from .. import diagnostics as diag
from ..diagnostics import Span
from . import language

_SEVERITY = {diag.Severity.ERROR: types.DiagnosticSeverity.Error,
             diag.Severity.WARNING: types.DiagnosticSeverity.Warning}


def lsp_range(span: Span | None) -> types.Range:
    if span is None:
        return types.Range(types.Position(0, 0), types.Position(0, 0))
    return types.Range(types.Position(span.line - 1, span.column - 1),
                       types.Position(span.end_line - 1, span.end_column - 1))


def lsp_diagnostic(d: diag.Diagnostic) -> types.Diagnostic:
    message = "\n".join([d.message, *d.notes])
    return types.Diagnostic(range=lsp_range(d.span), message=message, code=d.code, source="writ",
                            severity=_SEVERITY.get(d.severity, types.DiagnosticSeverity.Information))


def create_server(env_path: Sequence[str] = ()) -> LanguageServer:
    server = LanguageServer("writ", "1")

    def publish(uri: str) -> None:
        document = server.workspace.get_text_document(uri)
        found = language.check_text(Path(to_fs_path(uri) or uri), document.source, env_path)
        server.text_document_publish_diagnostics(types.PublishDiagnosticsParams(
            uri=uri, version=document.version, diagnostics=[lsp_diagnostic(d) for d in found]))

    @server.feature(types.TEXT_DOCUMENT_DID_OPEN)
    def did_open(params: types.DidOpenTextDocumentParams) -> None:
        publish(params.text_document.uri)

    @server.feature(types.TEXT_DOCUMENT_DID_CHANGE)
    def did_change(params: types.DidChangeTextDocumentParams) -> None:
        publish(params.text_document.uri)

    @server.feature(types.TEXT_DOCUMENT_FORMATTING)
    def formatting(params: types.DocumentFormattingParams) -> list[types.TextEdit] | None:
        source = server.workspace.get_text_document(params.text_document.uri).source
        result = language.formatted(source)
        if result is None or result == source:
            return None if result is None else []
        lines = source.split("\n")
        whole = types.Range(types.Position(0, 0), types.Position(len(lines), 0))
        return [types.TextEdit(range=whole, new_text=result)]

    @server.feature(types.TEXT_DOCUMENT_DEFINITION)
    def definition(params: types.DefinitionParams) -> types.Location | None:
        uri, position = params.text_document.uri, params.position
        source = server.workspace.get_text_document(uri).source
        found = language.definition(Path(to_fs_path(uri) or uri), source, position.line, position.character)
        if found is None:
            return None
        return types.Location(uri=found.path.resolve().as_uri(), range=lsp_range(found.span))

    @server.feature(types.TEXT_DOCUMENT_HOVER)
    def hover(params: types.HoverParams) -> types.Hover | None:
        uri, position = params.text_document.uri, params.position
        source = server.workspace.get_text_document(uri).source
        text = language.hover(Path(to_fs_path(uri) or uri), source, position.line, position.character, env_path)
        if text is None:
            return None
        return types.Hover(contents=types.MarkupContent(kind=types.MarkupKind.Markdown, value=text))

    return server


def serve(env_path: Sequence[str] = ()) -> None:
    create_server(env_path).start_io()
