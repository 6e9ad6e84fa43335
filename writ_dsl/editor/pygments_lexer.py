"""A Pygments lexer for ``.writ`` specs, registered under the ``pygments.lexers`` entry point as ``writ``."""

from __future__ import annotations

from pygments.lexer import RegexLexer, bygroups, words
from pygments.token import Comment, Keyword, Literal, Name, Number, Operator, Punctuation, String, Text, Whitespace

DECLARATIONS = ("env", "import", "task", "behavior")
STATEMENTS = ("title", "tags", "behaviors", "param", "let", "read", "write", "require", "tell", "user",
              "persona", "reason", "wants", "knows", "unknown")
OPERATORS = ("and", "or", "not", "in", "of", "one", "where", "for", "if", "then", "else", "as", "because")
CONSTANTS = ("true", "false", "null")


class WritLexer(RegexLexer):
    name = "writ"
    aliases = ["writ"]
    filenames = ["*.writ"]
    mimetypes = ["text/x-writ"]
    url = "https://pypi.org/project/writ-dsl/"

    tokens = {
        "root": [
            (r"\s+", Whitespace),
            (r"#[^\n]*", Comment.Single),
            (r'"""(?:[^"\\]|\\.|"(?!""))*"""', String.Doc),
            (r'"(?:[^"\\\n]|\\.)*"', String.Double),
            (r"\d{4}-\d{2}-\d{2}(?![\w-])", Literal.Date),
            (r"\d+\.\d+", Number.Float),
            (r"\d+", Number.Integer),
            (r"(task|behavior)(\s+)([A-Za-z_]\w*)", bygroups(Keyword.Declaration, Whitespace, Name.Class)),
            (r"(env)(\s+)([A-Za-z_]\w*)", bygroups(Keyword.Namespace, Whitespace, Name.Namespace)),
            (r"(import)\b", Keyword.Namespace),
            (r"(param|let|read|write)(\s+)([A-Za-z_]\w*)(?=\s*=)",
             bygroups(Keyword.Declaration, Whitespace, Name.Variable)),
            (words(STATEMENTS, suffix=r"\b"), Keyword),
            (words(OPERATORS, suffix=r"\b"), Operator.Word),
            (words(CONSTANTS, suffix=r"\b"), Keyword.Constant),
            (r"([A-Za-z_]\w*)(?=\s*\()", Name.Function),
            (r"(it|db)\b", Name.Builtin),
            (r"[A-Za-z_]\w*", Name),
            (r"\.\.|==|!=|<=|>=|[<>+\-*/%=]", Operator),
            (r"[{}()\[\],.:]", Punctuation),
            (r".", Text),
        ],
    }
