"""How the words of a message are read for the intents (`intents.py`): simplified, Russian
ones as stems, and recovered from the other keyboard layout or a typo when that gives a word
of the phrases."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

from rapidfuzz import process
from rapidfuzz.distance import DamerauLevenshtein

from bot.knowledge.layout import swap_layout
from bot.knowledge.normalize import is_cyrillic, stem

__all__ = ["compared", "key", "marks", "recover", "simplify"]

_WORDS = re.compile(r"[^\w\s]+")
_LATIN = re.compile(r"[a-z]", re.IGNORECASE)
_TYPO_MIN_LETTERS = 6  # a typo is fixed only in a word this long


def simplify(text: str) -> str:
    """Lower-case, ё→е, punctuation and extra spaces removed: how intents are compared."""
    return " ".join(_WORDS.sub(" ", text.casefold().replace("ё", "е")).split())


def key(word: str) -> str:
    """How a simplified word is compared: a Russian word by its stem, others as they are."""
    return stem(word) if is_cyrillic(word) else word


def compared(text: str, *, exact: bool = False) -> str:
    """A phrase as it is compared: its simplified words, Russian ones as stems (`key`) unless
    `exact` (see `Intents.reading`)."""
    words = simplify(text).split()
    return " ".join(words if exact else map(key, words))


def marks(text: str) -> set[str]:
    """The emoji and other symbols of `text` (variation selectors and skin tones aside)."""
    return {c for c in text if unicodedata.category(c) == "So"}


def recover(text: str, *, words: Iterable[str], vocabulary: frozenset[str]) -> list[str]:
    """The simplified words of `text`, each read in the other keyboard layout or with one
    typo fixed when that gives a word of the phrases (`words`, compared as their `key`s, the
    `vocabulary`), and it is none as written: "yes" is not "нуы"."""
    found: list[str] = []
    for raw in text.split():
        as_written = simplify(raw).split()
        if _LATIN.search(raw) and not all(key(word) in vocabulary for word in as_written):
            swapped = simplify(swap_layout(raw)).split()
            if swapped and all(key(word) in vocabulary for word in swapped):
                found += swapped
                continue
        found += [_fix(word, words, vocabulary) for word in as_written]
    return found


def _fix(word: str, words: Iterable[str], vocabulary: frozenset[str]) -> str:
    """The word, or the phrases' word it is one typo away from."""
    if len(word) < _TYPO_MIN_LETTERS or key(word) in vocabulary:
        return word
    found = process.extractOne(word, words, scorer=DamerauLevenshtein.distance, score_cutoff=1)
    return found[0] if found and len(found[0]) >= _TYPO_MIN_LETTERS else word
