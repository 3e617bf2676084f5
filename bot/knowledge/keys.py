"""The keys of an article's front matter, and what `kb check` says of one it does not know:
"unknown key 'priorty'" alone left the author to guess the fix."""

from __future__ import annotations

import difflib

__all__ = ["KEYS", "unknown_key"]

KEYS = ("id", "title", "questions", "tags", "priority", "team", "on_site", "elsewhere")


def unknown_key(key: str) -> str:
    """The problem with `key`: the key it nearly spells (a typo, capitals, `on-site`), or
    the keys there are."""
    near = difflib.get_close_matches(key.lower().replace("-", "_"), KEYS, n=1, cutoff=0.7)
    if near:
        return f"unknown key '{key}': did you mean '{near[0]}'?"
    return f"unknown key '{key}': an article's keys are {', '.join(KEYS)}"
