"""The keys of an article's front matter, and what `kb check` says of one it does not know
("unknown key 'priorty'" alone left the author to guess the fix) or of one given twice."""

from __future__ import annotations

import difflib
from pathlib import Path

import yaml

from bot.knowledge.problems import Problems

__all__ = ["KEYS", "given_twice", "unknown_key"]

KEYS = ("id", "title", "questions", "tags", "priority", "team", "on_site", "elsewhere")


def unknown_key(key: str) -> str:
    """The problem with `key`: the key it nearly spells (a typo, capitals, `on-site`), or
    the keys there are."""
    near = difflib.get_close_matches(key.lower().replace("-", "_"), KEYS, n=1, cutoff=0.7)
    if near:
        return f"unknown key '{key}': did you mean '{near[0]}'?"
    return f"unknown key '{key}': an article's keys are {', '.join(KEYS)}"


def given_twice(path: Path, node: yaml.Node, problems: Problems, within: str = "") -> None:
    """A key given twice, at any depth (a second `ru:` under `questions`): YAML would keep
    the last one silently, and drop the first one's example questions."""
    seen: set[str] = set()
    for key, value in node.value if isinstance(node, yaml.MappingNode) else ():
        name = f"{within}{key.value}"
        if key.value in seen:
            problems.add(path, key.start_mark.line + 2, f"'{name}' is given twice")
        seen.add(key.value)
        given_twice(path, value, problems, f"{name}.")
