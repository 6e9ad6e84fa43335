"""writ lsp: the language server for editors (see :mod:`writ_dsl.editor.lsp`)."""

from __future__ import annotations

import click

from .. import api
from ._common import env_path_option


@click.command("lsp")
@env_path_option
def lsp_command(env_path: tuple[str, ...]) -> None:
    """Run the .writ language server on stdin/stdout (diagnostics, formatting, go-to-definition, hover).

    Point your editor's LSP client at `writ lsp` for *.writ files. Needs the editor extra:
    pip install 'writ-dsl[editor]'.
    """
    api.serve_language_server(env_path)
