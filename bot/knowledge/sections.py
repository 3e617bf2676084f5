"""An article file's parts: the front matter between `---` lines, and the answer sections,
each opened by a line that is exactly `## ru` or `## en`; every problem at its line."""

from __future__ import annotations

import re
from pathlib import Path

from bot.knowledge.article import LANGUAGES
from bot.knowledge.problems import Problems

__all__ = ["answer_sections", "split_article"]

_SECTION = re.compile(r"^##\s+(ru|en)\s*$")
_LOOKS_LIKE_SECTION = re.compile(r"^##\s+[A-Za-z]{2}\s*$")  # "## EN", "## de"
# "##en", "# en", "## en:": the author meant a section; taken as text, the English answer
# would be added to the Russian one
_MISTYPED_SECTION = re.compile(r"^#{1,6}\s*(ru|en)\s*[:.]?\s*$", re.IGNORECASE)


# Lines as an editor numbers them; Python's `splitlines` also breaks at characters an editor
# shows within a line, pasted from a web page, a PDF or a document: after one, every line
# `kb check` named was off by one, and in the front matter it split a question in two.
_EDITOR_LINE = re.compile(r"\r\n|\r|\n")
_HIDDEN_BREAKS = {
    "\x0b": "vertical tab",
    "\x0c": "form feed",
    "\x1c": "file separator",
    "\x1d": "group separator",
    "\x1e": "record separator",
    "\x85": "next line",
    "\u2028": "line separator",
    "\u2029": "paragraph separator",
}
_HIDDEN_BREAK = re.compile(f"[{''.join(_HIDDEN_BREAKS)}]")


def split_article(path: Path, text: str, problems: Problems) -> tuple[str, int, list[str]] | None:
    lines = _EDITOR_LINE.split(text)
    if not text.strip():
        problems.add(path, 1, "the file is empty")
        return None
    if lines[0].strip() != "---":
        problems.add(path, 1, "expected YAML front matter starting with '---'")
        return None
    for end, line in enumerate(lines[1:], start=1):
        if line.strip() == "---":
            if _hidden_breaks(path, lines[1:end], problems):
                return None
            body = [_HIDDEN_BREAK.sub("\n", line) for line in lines[end + 1 :]]  # as before
            return "\n".join(lines[1:end]), end + 1, body
    problems.add(path, 1, "front matter is not closed by a '---' line")
    return None


def _hidden_breaks(path: Path, front: list[str], problems: Problems) -> bool:
    """Name each line of the front matter with a line break an editor does not show (YAML
    takes one for a break: a question cut in two, an error named lines further on)."""
    found = [(number, _HIDDEN_BREAK.search(line)) for number, line in enumerate(front, start=2)]
    for number, hidden in found:
        if hidden:
            name, code = _HIDDEN_BREAKS[hidden[0]], ord(hidden[0])
            problems.add(
                path,
                number,
                f"an invisible {name} (U+{code:04X}) in the line (pasted from a web page or a"
                " document?): YAML breaks the line there; delete it",
            )
    return any(hidden for _, hidden in found)


def answer_sections(
    path: Path, body: list[str], first_line: int, problems: Problems
) -> dict[str, str]:
    sections: dict[str, list[str]] = {}
    headings: dict[str, int] = {}  # the line of each section's heading
    current: list[str] | None = None
    for offset, line in enumerate(body):
        found = _SECTION.match(line)
        if found:
            language = found.group(1)
            if language in sections:
                problems.add(path, first_line + offset, f"second '## {language}' section")
            headings.setdefault(language, first_line + offset)
            current = sections.setdefault(language, [])
        elif _LOOKS_LIKE_SECTION.match(line) or _MISTYPED_SECTION.match(line):
            problems.add(
                path,
                first_line + offset,
                f"'{line.strip()}' is no answer section: they are '## ru' and '## en'",
            )
        elif current is not None:
            current.append(line)
        elif line.strip():  # named once: what follows it is the same text, not a problem more
            problems.add(path, first_line + offset, "text before the first '## ru'/'## en'")
            current = []
    answers = {lang: "\n".join(text).strip() for lang, text in sections.items()}
    for language in LANGUAGES:  # an empty section: at its heading, where the text goes
        if language in headings and not answers[language]:
            empty = (
                f"the '## {language}' section is empty: write the answer in '{language}' under it"
            )
            problems.add(path, headings[language], empty)
        elif language not in headings:
            problems.add(path, first_line, f"missing the answer in '{language}' ('## {language}')")
    return answers
