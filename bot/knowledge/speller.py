"""Spelling correction of a question's words to the KB's vocabulary (see `Speller`)."""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Iterable, Sequence
from functools import lru_cache, partial

from rapidfuzz import fuzz

from bot.knowledge.normalize import STOP_WORDS, root, stem, terms

__all__ = ["SPELLING_CUTOFF", "SPELLING_MIN_LENGTH", "Speller"]

SPELLING_CUTOFF = (88.0, 80.0)
"""Least rapidfuzz `ratio` (0–100) between a typo and the known term it is corrected to, for
words of up to 5 letters (where one wrong letter is too often another word: "завтр" is not
"застр") and for longer ones."""
SPELLING_MIN_LENGTH = 4
_SHORT_WORD = 5
_LONGEST_WORD = 30  # longer "words" are hashes, keys or pasted junk: not worth correcting
_SPELLING_CACHE = 16384  # words whose correction a speller remembers
_LONGEST_RUN = 3  # adjacent words `Speller.join` may read as one


class Speller:
    """Corrects a word the KB does not know to the stem of the closest word it knows.

    It compares words as typed ("calender" → "calendar") and stems. Candidates come from a
    deletion index (every known form filed under itself and each of its one-letter deletions),
    so a lookup costs a few dictionary probes whatever the vocabulary's size; it finds every
    form one typo away (a letter wrong, missing, extra or swapped). It also reads adjacent
    unknown words as the one word the KB writes ("глобал протект" for "глобалпротект", `join`).
    """

    def __init__(self, words: Iterable[str], stems: Iterable[str] = ()) -> None:
        forms = {word: stem(word) for word in words} | {term: term for term in stems}
        self._known = frozenset(forms.values())
        # In order, to tell whether some known form starts with a text: the index, a hash,
        # cannot; the list shares the index's strings (8 bytes a form).
        self._forms = sorted(forms)
        index: dict[str, list[tuple[str, str]]] = {}
        for entry in sorted(forms.items()):  # one (form, target) pair, filed under each key
            if len(entry[0]) >= SPELLING_MIN_LENGTH - 1:
                for key in _deletions(entry[0]):
                    index.setdefault(key, []).append(entry)
        # Questions repeat words, and the other-layout readings of a question (layout.py) are
        # mostly unknown words, each a dozen or more probes of the index: remember answers.
        self._correct = lru_cache(maxsize=_SPELLING_CACHE)(partial(_correct, self._known, index))
        self._knows = lru_cache(maxsize=_SPELLING_CACHE)(partial(_knows, self._known))
        self._spells = lru_cache(maxsize=_SPELLING_CACHE)(partial(_spells, index))

    def __contains__(self, term: str) -> bool:
        return term in self._known

    def correct(self, word: str) -> tuple[str, float] | None:
        """The stem of `word` or of the closest known word, with the similarity in (0, 1];
        None when no known word is close."""
        return self._correct(word)

    def knows(self, word: str) -> bool:
        """Whether `word` has terms and the KB knows each as it is (no correction)."""
        return self._knows(word)

    def may_know(self, word: str) -> bool:
        """False when `correct(word)` is sure to be None (`_correct`'s cheap early answers)."""
        return stem(word) in self._known or _correctable(word)

    def join(self, words: Sequence[str]) -> list[str]:
        """`words` (cleaned, stop words included) with each run of two or three adjacent words
        the KB does not know that together spell a word it knows read as that one word
        ("глобал протекта" → "глобалпротекта"), longest run first. Words the KB knows and
        stop words are never joined. A run is tried only while its first words begin a known
        form exactly, so a typo may be in its last word only, and the joined word is held to
        its whole length (`_spells`)."""
        joined, start = [], 0
        while start < len(words):
            size = self._run(words, start)
            joined.append("".join(words[start : start + size]))
            start += size
        return joined

    def _run(self, words: Sequence[str], start: int) -> int:
        """How many words from `start` join into one known word (1 when none do)."""
        size, text = 1, ""
        for count, word in enumerate(words[start : start + _LONGEST_RUN], 1):
            if word in STOP_WORDS or stem(word) in self._known:
                break
            text += word
            if count > 1 and _correctable(text) and self._spells(text):
                size = count
            if not self._begins(text):
                break
        return size

    def _begins(self, text: str) -> bool:
        """Whether some known form starts with `text`."""
        at = bisect_left(self._forms, text)
        return at < len(self._forms) and self._forms[at].startswith(text)


def _correct(
    known: frozenset[str], index: dict[str, list[tuple[str, str]]], word: str
) -> tuple[str, float] | None:
    term = stem(word)
    if term in known:
        return term, 1.0
    if not _correctable(word):
        return None
    best: tuple[str, float] | None = None
    for key in _deletions(word) | _deletions(term):
        for form, target in index.get(key, ()):
            score = max(_passing(word, form), _passing(term, form))
            if score and (best is None or (-score, target) < (-best[1], best[0])):
                best = (target, score)
    return None if best is None else (best[0], best[1] / 100)


def _spells(index: dict[str, list[tuple[str, str]]], word: str) -> bool:
    """Whether `word` (words joined) or its `root` is a known form, compared whole, or one
    typo from one if longer than a short word. `_correct` also compares stems, right for one
    word but not for words joined: a Russian stem is at most 7 letters, so "глобалпоиск" has
    the stem of "глобалпротект" ("глобалп"), yet it is not that word."""
    base = root(word)
    return any(
        fuzz.ratio(text, form) >= (100.0 if len(text) <= _SHORT_WORD else SPELLING_CUTOFF[1])
        for key in _deletions(word) | _deletions(base)
        for form, _ in index.get(key, ())
        for text in (word, base)
    )


def _correctable(word: str) -> bool:
    """Whether an unknown `word` is worth correcting: a word, not a hash, key or number."""
    return SPELLING_MIN_LENGTH <= len(word) <= _LONGEST_WORD and not word.isdigit()


def _knows(known: frozenset[str], word: str) -> bool:
    found = terms(word)
    return bool(found) and all(term in known for term in found)


def _passing(text: str, form: str) -> float:
    """fuzz.ratio of `text` and `form` if it passes the cutoff for `text`'s length, else 0."""
    score = fuzz.ratio(text, form)
    cutoff = SPELLING_CUTOFF[0] if len(text) <= _SHORT_WORD else SPELLING_CUTOFF[1]
    return score if score >= cutoff else 0.0


def _deletions(term: str) -> set[str]:
    return {term} | {term[:i] + term[i + 1 :] for i in range(len(term))}
