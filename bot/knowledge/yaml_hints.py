"""What to do about a YAML error, in words for support staff: YAML names its own syntax
("mapping values are not allowed here"), and the author wrote a title, a question or an
indent. `hint` adds the fix for the mistakes people make (`files.yaml_mistake` uses it)."""

from __future__ import annotations

import re

import yaml

__all__ = ["hint"]

# A line's text, after `- ` or `key: `
_TEXT = re.compile(r"^\s*(?:-\s+|[^\s:][^:]*:\s+)?(.*?)\s*$")

# Characters YAML reads as its own syntax at the start of a text (a quote has its own hint)
_STARTERS = "@`%*!&|>[{"

# The errors a text starting with one of them gives
_SYNTAX_AT_START = (
    "found character",
    "found undefined alias",
    "expected alphabetic or numeric character",
    "could not determine a constructor",
    "expected chomping or indentation indicators",
    "expected a comment or a line break",
    "expected <block end>, but found '<scalar>'",
)

_INDENT = " (this line's indent does not fit: line it up, with spaces, with the lines it goes with)"


def hint(problem: str, mark: yaml.Mark) -> str:
    """How to fix what support staff write that YAML reads as its own syntax: a ': ' inside
    a title, a key without its ':', a text that starts with @, *, [, a quote…, an indent."""
    lines = mark.buffer.rstrip("\0").split("\n") if mark.buffer else []
    line = lines[mark.line] if mark.line < len(lines) else ""
    if "'\\t'" in problem:
        return " (a tab: indent with spaces)"
    if problem == "mapping values are not allowed here":
        return _mapping(line[: mark.column], lines[mark.line - 1] if mark.line else "")
    text = match[1] if (match := _TEXT.match(line)) else ""
    if problem.startswith("expected <block end>") and text[:1] in ("'", '"'):
        single = "'" + text.replace("'", "''") + "'"
        other = single if text[0] == '"' else f'"{_escaped(text)}"'
        return (
            " (a text that starts with a quote ends with it: put the whole text in the other"
            f" quotes, {other})"
        )
    if text[:1] and text[0] in _STARTERS and problem.startswith(_SYNTAX_AT_START):
        starts = "@ or `" if text[0] in "@`" else text[0]
        return f" (a text that starts with {starts}: put the whole text in quotes)"
    return _block_end(problem) if problem.startswith("expected <block end>") else ""


def _block_end(problem: str) -> str:
    """A list or mapping in brackets went on after its end (`tags: [x]]`, `- [a, b], c`),
    or else the line is not indented as the lines it goes with."""
    found = problem.removeprefix("expected <block end>, but found ").strip("'")
    if found in ("]", "}"):
        opening = "[" if found == "]" else "{"
        return f" (a '{found}' too many on this line: each '{opening}' is closed by one '{found}')"
    if found in (",", "[", "{"):
        return (
            " (something after the closing bracket on this line: put it inside the brackets,"
            " or delete it)"
        )
    return _INDENT


def _mapping(before: str, above: str) -> str:
    """A ': ' inside a text, a line indented under one that is no key, or a key without its
    ':' on the line above (YAML then reads the two lines as one key)."""
    if ": " in before.lstrip(" -"):
        return " (a ': ' in a text: put the whole text in quotes)"
    key = above.strip()
    if (
        key
        and ":" not in key
        and not key.startswith(("-", "#"))
        and _indent(before) <= _indent(above)
    ):
        return " (no ':' after the key on the line above?)"
    return " (indented more than the key above it?)"


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


def _escaped(text: str) -> str:
    return text.replace("\\", "\\\\").replace('"', '\\"')
