"""Reading the text files support staff write (articles, synonyms, labelled questions).

They come from every editor: a Windows one may start the file with a byte-order mark, which
is not part of the text, and one set to a legacy encoding saves bytes that are not UTF-8,
which are named with their line so the author can find them. A YAML mistake is named at the
line the author must fix, which is not always where YAML noticed it.
"""

from __future__ import annotations

import os
import re
import unicodedata
from pathlib import Path
from typing import BinaryIO

import yaml

from bot.errors import KnowledgeError
from bot.knowledge.yaml_hints import hint

__all__ = [
    "MAX_FILE_BYTES",
    "YAML_MISTAKES",
    "YAML_TEXT",
    "odd_spaces",
    "read_text",
    "yaml_mistake",
]

# The tag YAML resolves text to (quoted, or plain words); `- 404`, `- yes` get another
YAML_TEXT = "tag:yaml.org,2002:str"

# What YAML finds unclosed only further on (at the next key, or the end of the file): the
# author must go back to the line where it opened. So with a key without its ':' (or a
# question without its '- '), which YAML finds at the next line.
_UNCLOSED = {
    "while scanning a simple key": (
        "this line is not 'key: text' nor a '- ' item: put a ':' after its key, or '- ' before a"
        " list item"
    ),
    "while scanning a quoted scalar": "the quote opened on this line is not closed",
    "while parsing a flow sequence": "the '[' on this line is not closed by ']'",
    "while parsing a flow mapping": "the '{' on this line is not closed by '}'",
}


# The most a file that people write may hold: an article (the demo's longest is 5 KB: a page
# of text), synonyms.yaml (9 KB), the intents file. 200x the longest, and read in
# milliseconds; a 200 MB article took 8 s and 1 GB of memory to check.
# The JSON Lines files (kb.jsonl, the questions of `kb eval`) are data sets a script makes,
# read at the operator's command: they have no limit (`limit=None`).
MAX_FILE_BYTES = 1024 * 1024


def read_text(path: Path, *, limit: int | None = MAX_FILE_BYTES) -> str:
    """The file's text (UTF-8, a leading byte-order mark dropped); KnowledgeError naming the
    file, and the line of the first byte that is not UTF-8, when it cannot be read, or naming
    its size when it holds more than `limit` bytes."""
    try:
        with path.open("rb") as file:
            data = file.read(-1 if limit is None else limit + 1)
            if limit is not None and len(data) > limit:
                raise KnowledgeError(f"{path}: {_too_big(file, limit)}")
    except OSError as exc:
        raise KnowledgeError(f"{path}: cannot read: {exc.strerror or exc}") from exc
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise KnowledgeError(
            f"{path}:{line}: not UTF-8 text (byte 0x{data[exc.start]:02x}); save the file as UTF-8"
        ) from exc


def _too_big(file: BinaryIO, limit: int) -> str:
    """What is wrong with a file bigger than `limit`, by its size (or "more than the limit"
    for a device or a pipe, which reads on and on: it is read up to the limit only)."""
    size, megabyte = os.fstat(file.fileno()).st_size, 1024 * 1024
    held = f"{size / megabyte:.1f} MB" if size > limit else f"more than {limit / megabyte:g} MB"
    return f"too big: {held}; it may hold at most {limit / megabyte:g} MB (is it the right file?)"


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
    if problem_mark is None:
        return first_line, problem + (" (a tab: indent with spaces)" if "'\\t'" in problem else "")
    line = problem_mark.line + first_line
    unclosed = _UNCLOSED.get(str(getattr(exc, "context", "")))
    if unclosed is None or context_mark is None:
        return line, problem + hint(problem, problem_mark)
    if context_mark.line == problem_mark.line:  # the end of the file, on that line
        return line, f"{unclosed} (YAML: {problem})"
    return context_mark.line + first_line, f"{unclosed} (YAML: {problem} on line {line})"


# Where YAML needs a plain space: the indent, after a list's '-', and after a key's ':' (a
# question `- ошибка:\u00a0809` is text to YAML, as it is meant)
_SEPARATORS = re.compile(r"^(\s*)(?:-(\s+)|[^\s:#'\"\[\]{},-][^:#]*?:(\s+))?")
_PLAIN = " \t\r"  # a CRLF file's lines end in "\r"


def odd_spaces(text: str, first_line: int = 1) -> list[tuple[int, str]]:
    """Each line (of the file, its text starting on `first_line`) with a space YAML does not
    take for one where it needs one: a no-break space pasted from a web page or a document
    ("  ru:", "- question" indented with it) is a letter to YAML, which then names a later
    line with "could not find expected ':'"."""
    found = []
    for number, line in enumerate(text.split("\n"), start=first_line):
        match = _SEPARATORS.match(line)
        spaces = "".join(group or "" for group in match.groups()) if match else ""
        odd = [char for char in spaces if char not in _PLAIN]
        if odd:
            name = unicodedata.name(odd[0], "space").lower()
            found.append(
                (
                    number,
                    f"an invisible {name} (U+{ord(odd[0]):04X}) where YAML needs a plain space"
                    " (pasted from a web page or a document?): type a space instead",
                )
            )
    return found
