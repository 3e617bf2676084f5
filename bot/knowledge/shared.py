"""The same example question under two articles, in a KB folder or a kb.jsonl alike.

Written apart only by case, spaces or punctuation ("VPN is down?", "vpn is down"), it is one
question to the matcher, and the two articles tie on it: neither is answered at once. That is
a warning, not an error (the bot still answers with "Did you mean…"), named at the later
article with the first one's file and line, so the author sees which to keep.

An example question given twice in one language of an article (a copy pasted to become another
question and left as it was) is a warning too, at the copy: the question the author meant is
missing. The same words in `ru` and `en` ("outlook") are a way to ask in each language.

So is an example question with no word the matcher goes by ("?", "как сделать что-то": only
punctuation and the words it skips, `STOP_WORDS`): it matches nothing, and the author meant
it to.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from bot.knowledge.normalize import STOP_WORDS, unpasted, word_lists, words
from bot.knowledge.problems import Problems

__all__ = ["Example", "repeated_examples", "shared_examples"]


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
    lines = word_lists([e.text for e in examples])
    wordless = _wordless(examples, lines, problems)
    for example, typed in zip(examples, lines, strict=True):
        key = " ".join(typed) if example not in wordless else ""  # no tie on nothing
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


def repeated_examples(
    path: str, article: str, written: Sequence[tuple[int, str]], problems: Problems
) -> None:
    """Warn, in `problems`, at each example question of `article` it already has (`written`:
    its questions in one language with their lines, in file order), read as `shared_examples`
    reads them (case, spaces and punctuation aside; every word, stop words too)."""
    first: dict[str, int] = {}
    for (line, text), typed in zip(written, word_lists([t for _, t in written]), strict=True):
        seen = first.setdefault(" ".join(typed), line)
        if typed and seen != line:
            problems.warn(
                path,
                line,
                f"example question {text.strip()!r} of '{article}' is given twice (also at"
                f" line {seen}): keep one, or write another way people ask",
            )


def _wordless(
    examples: Sequence[Example], lines: Sequence[list[str]], problems: Problems
) -> set[Example]:
    """Warn at each example question with no word the matcher reads, as it reads them (a
    pasted link cut to its telling words, `unpasted`); those questions. `lines`: the words
    of each as typed."""
    found: set[Example] = set()
    for example, typed in zip(examples, lines, strict=True):
        read = unpasted(example.text)
        if not STOP_WORDS.issuperset(typed if read is example.text else words(read)):
            continue
        found.add(example)
        problems.warn(
            example.path,
            example.line,
            f"example question {example.text!r} of '{example.article}' has no word to"
            " match on (only punctuation, or words the bot skips, such as 'как',"
            " 'please'): it never matches; write it as people ask",
        )
    return found
