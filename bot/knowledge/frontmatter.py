"""Validate an article's YAML front matter, keeping the line of every problem."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml

from bot.knowledge.article import LANGUAGES
from bot.knowledge.files import YAML_MISTAKES, odd_spaces, yaml_mistake
from bot.knowledge.keys import KEYS, given_twice, unknown_key
from bot.knowledge.problems import Problems
from bot.knowledge.question_nodes import commented, cut_short, not_questions, written_questions
from bot.knowledge.shared import repeated_examples
from bot.priorities import PRIORITIES

__all__ = ["Problems", "parse_front_matter"]

_ID = re.compile(r"^[a-z0-9][a-z0-9_-]*$")
# What the author adds when a per-language key is missing or empty ("no 'title'" at line 1,
# not a mapping the author never wrote)
_WHAT = {"title": "add the title", "questions": "add example questions"}
_HASHED = {  # `ru: # …`: YAML reads nothing, and what was meant differs by key
    "title": "starts with '#', which YAML reads as a comment: put the whole text in quotes",
    "questions": "starts with '#', which YAML reads as a comment: write its example questions"
    " under it, one '- ' line each",
}


def _lines(node: yaml.Node) -> dict[str, int]:
    """1-based line (within the front matter) of each top-level key, of each language under
    `title` and `questions` ("questions.ru"), and of each question (by its text)."""
    lines: dict[str, int] = {}
    if not isinstance(node, yaml.MappingNode):
        return lines
    for key, value in node.value:
        lines[str(key.value)] = key.start_mark.line + 1
        if key.value in ("title", "questions") and isinstance(value, yaml.MappingNode):
            for language, items in value.value:
                lines[f"{key.value}.{language.value}"] = language.start_mark.line + 1
                listed = key.value == "questions" and isinstance(items, yaml.SequenceNode)
                for item in items.value if listed else ():
                    if isinstance(item, yaml.ScalarNode):
                        lines["q:" + str(item.value).strip()] = item.start_mark.line + 1
    return lines


def _per_language(
    data: dict[str, Any],
    key: str,
    at: Callable[[str], tuple[Path, int]],
    problems: Problems,
    hashed: frozenset[str],
) -> dict[str, Any]:
    """`title` or `questions` by language; `hashed`: those YAML read as empty since they
    start with '#' ("title.ru", see `commented`)."""
    value = data.get(key)
    if key not in data:
        problems.add(*at(key), f"no '{key}': {_WHAT[key]} per language ({', '.join(LANGUAGES)})")
        return {}
    if value is None:
        problems.add(*at(key), f"'{key}' is empty: {_WHAT[key]} per language")
        return {}
    if not isinstance(value, dict):
        problems.add(*at(key), f"'{key}' must map languages (ru, en) to values")
        return {}
    for language in LANGUAGES:
        if f"{key}.{language}" in hashed:
            problems.add(*at(f"{key}.{language}"), f"'{key}.{language}' {_HASHED[key]}")
        elif language in value and not value[language]:  # `ru:` written, nothing under it
            where = at(f"{key}.{language}")
            problems.add(*where, f"'{key}.{language}' is empty: {_WHAT[key]}")
        elif not value.get(language):
            problems.add(*at(key), f"'{key}' is missing language '{language}'")
    for unknown in (str(k) for k in value if k not in LANGUAGES):
        where = at(f"{key}.{unknown}")
        problems.add(*where, f"'{key}.{unknown}': the KB's languages are {', '.join(LANGUAGES)}")
    return {str(k): v for k, v in value.items() if v and k in LANGUAGES}


def _questions(
    raw: dict[str, Any],
    wrong: dict[str, list[tuple[int, str]]],
    at: Callable[[str], tuple[Path, int]],
    problems: Problems,
) -> dict[str, Any]:
    """The example questions per language; a list with one that is not text (`wrong`, each
    at its own line) is left out."""
    questions: dict[str, tuple[str, ...]] = {}
    for language, items in raw.items():
        where = at(f"questions.{language}")
        for line, problem in wrong.get(language, []):
            problems.add(where[0], line, problem)
        if language in wrong:
            continue
        if not isinstance(items, list) or not all(isinstance(q, str) for q in items):
            problems.add(*where, f"'questions.{language}' must be a list of strings")
            continue
        questions[language] = tuple(q.strip() for q in items if q.strip())
        if not questions[language]:
            problems.add(*where, f"'questions.{language}' has only empty questions")
    return questions


def _texts(
    raw: dict[str, Any], at: Callable[[str], tuple[Path, int]], problems: Problems
) -> dict[str, str]:
    for language, text in raw.items():
        if not isinstance(text, str | int | float):
            problems.add(*at(f"title.{language}"), f"'title.{language}' must be text")
    return {k: str(v) for k, v in raw.items() if isinstance(v, str | int | float)}


def _hints(data: dict[str, Any], at: Callable[[str], tuple[Path, int]], problems: Problems) -> None:
    priority, team = data.get("priority"), data.get("team")
    if priority is not None and priority not in PRIORITIES:
        problems.add(*at("priority"), f"'priority' must be one of {', '.join(PRIORITIES)}")
    if team is not None and not isinstance(team, str):
        problems.add(*at("team"), "'team' must be the name of one team")
    for key in ("on_site", "elsewhere"):
        if data.get(key) is not None and not isinstance(data[key], bool):
            problems.add(*at(key), f"'{key}' must be true or false")


def _fields(
    data: dict[str, Any],
    lines: dict[str, int],
    wrong: dict[str, list[tuple[int, str]]],
    path: Path,
    problems: Problems,
    hashed: frozenset[str],
) -> Any:
    def at(key: str) -> tuple[Path, int]:
        return path, lines.get(key) or lines.get(key.split(".")[0], 1)

    ident = data.get("id")
    if not isinstance(ident, str) or not _ID.match(ident):
        problems.add(*at("id"), "missing or invalid 'id' (lower-case letters, digits, '-', '_')")
    title = _texts(_per_language(data, "title", at, problems, hashed), at, problems)
    raw_questions = _per_language(data, "questions", at, problems, hashed)
    questions = _questions(raw_questions, wrong, at, problems)
    _hints(data, at, problems)
    tags = data.get("tags") or []
    if not isinstance(tags, list):
        problems.add(*at("tags"), "'tags' must be a list")
        tags = []
    # YAML reads `2:` or `on:` as a number or a boolean: ordered as text, not compared
    for unknown in sorted(str(key) for key in data if key not in KEYS):
        problems.add(*at(unknown), unknown_key(unknown))
    return {
        "id": str(ident),
        "title": title,
        "questions": questions,
        "tags": tuple(str(t) for t in tags),
        "priority": data.get("priority"),
        "team": str(data["team"]) if data.get("team") else None,
        "on_site": data.get("on_site") is True,
        "elsewhere": data.get("elsewhere") is True,
    }


def parse_front_matter(
    path: Path, text: str, problems: Problems
) -> tuple[dict[str, Any], dict[str, int]] | None:
    """The Article fields of a front matter and the lines of its keys, or None if unusable.

    Problems are added with the line in the file (the front matter starts on line 2).
    """
    odd = odd_spaces(text, first_line=2)
    for line, problem in odd:
        problems.add(path, line, problem)
    if odd:
        return None
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
        data = yaml.safe_load(text)
    except YAML_MISTAKES as exc:
        line, problem = yaml_mistake(exc, first_line=2)
        problems.add(path, line, f"malformed YAML: {problem}")
        return None
    if not isinstance(data, dict) or node is None:
        problems.add(path, 2, "front matter must be a YAML mapping")
        return None
    lines = {key: line + 1 for key, line in _lines(node).items()}
    wrong = {
        language: [(line + 1, problem) for line, problem in found]
        for language, found in not_questions(node, text).items()
    }
    given_twice(path, node, problems)
    for line, cut in cut_short(node, text):
        problems.warn(path, line + 1, cut)
    before = len(problems.items)
    fields = _fields(data, lines, wrong, path, problems, commented(node, text))
    for written in written_questions(node).values():  # per language: "outlook" in ru and en
        repeated_examples(str(path), fields["id"], [(n + 1, q) for n, q in written], problems)
    if len(problems.items) > before and not _ID.match(fields["id"]):
        return None
    return fields, lines
