"""Reading the text files support staff write (articles, synonyms, labelled questions).

They come from every editor: a Windows one may start the file with a byte-order mark, which
is not part of the text, and one set to a legacy encoding saves bytes that are not UTF-8,
which are named with their line so the author can find them. A YAML mistake is named at the
line the author must fix, which is not always where YAML noticed it.
"""

from __future__ import annotations

from pathlib import Path

import yaml

from bot.errors import KnowledgeError

__all__ = ["YAML_MISTAKES", "read_text", "yaml_mistake"]

# What YAML finds unclosed only further on (at the next key, or the end of the file): the
# author must go back to the line where it opened.
_UNCLOSED = {
    "while scanning a quoted scalar": "the quote opened on this line is not closed",
    "while parsing a flow sequence": "the '[' on this line is not closed by ']'",
    "while parsing a flow mapping": "the '{' on this line is not closed by '}'",
}


def read_text(path: Path) -> str:
    """The file's text (UTF-8, a leading byte-order mark dropped); KnowledgeError naming the
    file, and the line of the first byte that is not UTF-8, when it cannot be read."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise KnowledgeError(f"{path}: cannot read: {exc.strerror or exc}") from exc
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise KnowledgeError(
            f"{path}:{line}: not UTF-8 text (byte 0x{data[exc.start]:02x}); save the file as UTF-8"
        ) from exc


# What `yaml_mistake` reads: PyYAML's errors, and the RecursionError its parser raises on
# brackets nested a few thousand deep (pasted junk, or a file made to crash the check).
YAML_MISTAKES = (yaml.YAMLError, RecursionError)


def yaml_mistake(exc: yaml.YAMLError | RecursionError, first_line: int = 1) -> tuple[int, str]:
    """The line of the file (its text's YAML starting on `first_line`) to fix, and what is
    wrong there, for a YAML error: an unclosed quote or bracket at the line that opened it."""
    if isinstance(exc, RecursionError):
        return first_line, "brackets or indents nested too deeply to read"
    problem_mark = getattr(exc, "problem_mark", None)
    context_mark = getattr(exc, "context_mark", None)
    problem = str(getattr(exc, "problem", None) or exc)
    if "'\\t'" in problem:
        problem += " (a tab: indent with spaces)"
    if problem_mark is None:
        return first_line, problem
    line = problem_mark.line + first_line
    unclosed = _UNCLOSED.get(str(getattr(exc, "context", "")))
    if unclosed is None or context_mark is None or context_mark.line == problem_mark.line:
        return line, problem
    return context_mark.line + first_line, f"{unclosed} (YAML: {problem} on line {line})"
