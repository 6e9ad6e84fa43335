"""Editor support: a Pygments lexer (``pygmentize -l writ``) and a language server (``writ lsp``).

Both need the ``editor`` extra (pygments, pygls).
"""
