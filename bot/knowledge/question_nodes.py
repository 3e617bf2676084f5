"""Example questions YAML does not read as text (`- error: printer jammed`, an empty `-`,
`- 404`, `- yes`), found in the front matter's YAML tree, which keeps each one's line and
how it was written: in a list of twenty, the author is shown the one to fix."""

from __future__ import annotations

import re

import yaml

from bot.knowledge.files import YAML_TEXT

__all__ = ["commented", "cut_short", "not_questions", "written_questions"]

_COMMENT = re.compile(r"^:\s+#")  # after a key: `ru: #1 …`, a comment to YAML
_TRAILING = re.compile(r"^\s+#")  # after a text: `- принтер #3`, the rest a comment


def not_questions(node: yaml.Node, text: str) -> dict[str, list[tuple[int, str]]]:
    """Per language, each example question YAML does not read as text, at its own line
    (within the front matter) with what is wrong: in a list of twenty, the author must find
    the one `- error: printer jammed`, `- 404` or empty `-` line."""
    found: dict[str, list[tuple[int, str]]] = {}
    questions = _value(node, "questions")
    for language, items in questions.value if isinstance(questions, yaml.MappingNode) else ():
        for item in items.value if isinstance(items, yaml.SequenceNode) else ():
            written = text[item.start_mark.index : item.end_mark.index].strip()
            problem = _not_a_question(item, written)
            if problem:
                where = f"'questions.{language.value}'"
                found.setdefault(str(language.value), []).append(
                    (item.start_mark.line + 1, f"{where}{problem}")
                )
    return found


def written_questions(node: yaml.Node) -> dict[str, list[tuple[int, str]]]:
    """Per language, every example question that is text, with its line (within the front
    matter): the same text twice still has two lines."""
    found: dict[str, list[tuple[int, str]]] = {}
    questions = _value(node, "questions")
    for language, items in questions.value if isinstance(questions, yaml.MappingNode) else ():
        for item in items.value if isinstance(items, yaml.SequenceNode) else ():
            if isinstance(item, yaml.ScalarNode) and item.tag == YAML_TEXT:
                found.setdefault(str(language.value), []).append(
                    (item.start_mark.line + 1, str(item.value))
                )
    return found


def commented(node: yaml.Node, text: str) -> frozenset[str]:
    """The languages under `title` and `questions` ("title.ru") that YAML read as empty
    because what follows `ru:` starts with '#' (a comment to YAML): the author wrote one."""
    lines, found = text.split("\n"), set()
    for key, value in node.value if isinstance(node, yaml.MappingNode) else ():
        for language, item in value.value if isinstance(value, yaml.MappingNode) else ():
            after = lines[language.end_mark.line][language.end_mark.column :]
            if item.tag == "tag:yaml.org,2002:null" and _COMMENT.match(after):
                found.add(f"{key.value}.{language.value}")
    return frozenset(found)


def cut_short(node: yaml.Node, text: str) -> list[tuple[int, str]]:
    """Each title and question (at its line, within the front matter) that YAML cut short at
    ' #' (`- не печатает принтер #3`: the rest of the line is a comment to YAML), with what
    it was read as."""
    lines, found = text.split("\n"), []
    for key, value in node.value if isinstance(node, yaml.MappingNode) else ():
        for language, item in value.value if isinstance(value, yaml.MappingNode) else ():
            items = item.value if isinstance(item, yaml.SequenceNode) else [item]
            for one in items if key.value in ("title", "questions") else ():
                end = one.end_mark
                plain = one.tag == YAML_TEXT and one.style is None  # quoted: all of it
                if plain and _TRAILING.match(lines[end.line][end.column :]):
                    found.append(
                        (
                            one.start_mark.line + 1,
                            f"'{key.value}.{language.value}' is read as {one.value!r}: from"
                            " ' #' on, YAML takes the line for a comment; put the whole text"
                            " in quotes",
                        )
                    )
    return found


def _value(node: yaml.Node, key: str) -> yaml.Node | None:
    pairs = node.value if isinstance(node, yaml.MappingNode) else ()
    return next((value for name, value in reversed(pairs) if name.value == key), None)


def _not_a_question(item: yaml.Node, written: str) -> str | None:
    if isinstance(item, yaml.MappingNode):  # `- error: printer is jammed`
        return (
            f": {written!r} is read as a key and a value (a ': ' in it): put the question in quotes"
        )
    if isinstance(item, yaml.ScalarNode) and item.tag == YAML_TEXT:
        return None
    if not written:
        return (
            " has an empty '-' line, or one that starts with '#' (a comment to YAML):"
            " put the question in quotes"
        )
    return (
        f": {written} is not text to YAML (a number, a date, yes/no or a list):"
        " put the question in quotes"
    )
