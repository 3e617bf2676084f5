"""The same example question under two articles, in a KB folder or a kb.jsonl alike.

Written apart only by case, spaces or punctuation ("VPN is down?", "vpn is down"), it is one
question to the matcher, and the two articles tie on it: neither is answered at once. That is
a warning, not an error (the bot still answers with "Did you mean…"), named at the later
article with the first one's file and line, so the author sees which to keep.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from bot.knowledge.frontmatter import Problems
from bot.knowledge.normalize import word_lists

__all__ = ["Example", "shared_examples"]


@dataclass(frozen=True, slots=True)
class Example:
    """One example question of an article, where it is written."""

    article: str
    text: str
    path: str
    line: int


def shared_examples(examples: Sequence[Example], problems: Problems) -> None:
    """Warn, in `problems`, at each example question an earlier article already has."""
    first: dict[str, Example] = {}
    told: set[tuple[str, str]] = set()
    for example, words in zip(examples, word_lists([e.text for e in examples]), strict=True):
        key = " ".join(words)
        seen = first.setdefault(key, example) if key else example
        if seen.article == example.article or (example.article, key) in told:
            continue
        told.add((example.article, key))
        problems.warn(
            example.path,
            example.line,
            f"example question {example.text!r} of '{example.article}' is also under "
            f"'{seen.article}' ({seen.path}:{seen.line})",
        )
