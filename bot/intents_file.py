"""A deployment's own intent phrases (HELPDESK_INTENTS_FILE): lists named like those of
bot/locales/intents.yaml, each a list of phrases. An operator writes it by hand, so every
mistake is named with the line to fix: a bare `911` or `yes` in a list is a number or a
boolean to YAML, not the phrase the operator meant."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import yaml

from bot.errors import KnowledgeError
from bot.knowledge.files import YAML_MISTAKES, YAML_TEXT, odd_spaces, read_text, yaml_mistake

__all__ = ["read_own_intents"]


def read_own_intents(path: Path, *, known: frozenset[str]) -> dict[str, set[str]]:
    """The phrases of each list in `path`; ValueError naming the file and line of a mistake."""
    text, node = _compose(path)
    if node is None:
        return {}
    if not isinstance(node, yaml.MappingNode):
        raise ValueError(
            f"{path}:{_line(node)}: must map lists ({', '.join(sorted(known))}) to phrases"
        )
    lists: dict[str, set[str]] = {}
    for key, value in node.value:
        if not isinstance(key, yaml.ScalarNode) or key.value not in known:
            raise ValueError(
                f"{path}:{_line(key)}: unknown list '{key.value}': use {', '.join(sorted(known))}"
            )
        lists.setdefault(key.value, set()).update(_phrases(path, text, key.value, value))
    return lists


def _compose(path: Path) -> tuple[str, yaml.Node | None]:
    """The file's text and its YAML tree (which keeps each item's line)."""
    try:
        text = read_text(path)
    except KnowledgeError as exc:  # cannot be read, or not UTF-8: names the file and line
        raise ValueError(str(exc)) from exc
    if odd := odd_spaces(text):  # a no-break space where YAML needs a plain one
        line, problem = odd[0]  # (YAML itself names a later line)
        raise ValueError(f"{path}:{line}: {problem}")
    try:
        return text, yaml.compose(text, Loader=yaml.SafeLoader)
    except YAML_MISTAKES as exc:
        line, problem = yaml_mistake(exc)
        raise ValueError(f"{path}:{line}: not valid YAML: {problem}") from exc


def _phrases(path: Path, text: str, intent: str, node: yaml.Node) -> Iterator[str]:
    if not isinstance(node, yaml.SequenceNode):
        raise ValueError(f"{path}:{_line(node)}: '{intent}' must be a list of phrases")
    for item in node.value:
        if not isinstance(item, yaml.ScalarNode) or item.tag != YAML_TEXT:
            written = text[item.start_mark.index : item.end_mark.index].strip()
            raise ValueError(
                f"{path}:{_line(item)}: '{intent}': {written or 'an empty item'} is not a"
                " phrase (text): put it in quotes"
            )
        yield item.value


def _line(node: yaml.Node) -> int:
    return int(node.start_mark.line) + 1
