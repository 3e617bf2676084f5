"""A question as the matcher sees it: terms of the KB with weights, and what is unknown.

`Reader.analyse` takes one reading of a question (the text as typed, or another layout or a
transliteration of it, see `layout.variants`): adjacent words the KB does not know that spell
one word it knows are joined ("глобал протект"), each content word is spelling-corrected to the
KB's vocabulary when it is close enough (`speller.Speller`), synonyms become their group's
term, and each known term weighs its IDF × the spelling's similarity; words the KB does not
know count in the question's length and mass, so a question mostly about something else
scores low everywhere. `Reader.may_know_more` tells, correcting as few words as it can,
whether another reading could know more of the question than one already analysed.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from bot.knowledge.index import InvertedIndex
from bot.knowledge.normalize import STOP_WORDS, stem, words
from bot.knowledge.speller import Speller
from bot.knowledge.synonyms import Synonyms

__all__ = ["Question", "Reader"]

Floats = npt.NDArray[np.float64]
Ints = npt.NDArray[np.int64]


@dataclass(frozen=True, slots=True)
class Question:
    """One reading of a question, analysed: its term ids with their weights."""

    text: str
    ids: Ints
    weights: Floats
    norm: float
    known: float  # the share of the question's (squared) weight that the KB knows
    mass: float  # the sum of the weights, unknown words included


@dataclass(frozen=True, slots=True)
class Reader:
    """Analyses readings against one KB's speller, synonyms and index."""

    speller: Speller
    synonyms: Synonyms
    index: InvertedIndex

    def may_know_more(self, text: str, known: float) -> bool:
        """Whether `text` may know more than `known` of the question (`analyse`'s share),
        correcting its words' spelling only until the answer is sure. A word the speller may
        know counts as a known term of the highest IDF; each distinct stem of the words it
        does not know is a term the KB does not know (no known word, correction or synonym
        gives one: synonyms' words are known)."""
        speller, unsure, unknown, possible = self.speller, [], set(), 0
        for word in self._words(text):
            if not speller.may_know(word):
                unknown.add(stem(word))
            else:
                possible += 1
                if stem(word) not in speller:
                    unsure.append(word)
        for word in unsure:
            if self._knows_less(possible, len(unknown), known):
                return False
            if speller.correct(word) is None:
                possible -= 1
                unknown.add(stem(word))
        return not self._knows_less(possible, len(unknown), known)

    def _knows_less(self, known_terms: int, unknown_terms: int, share: float) -> bool:
        """Whether a question of these many known terms, each of the highest IDF, and unknown
        ones has a known share below `share` (by a margin for rounding)."""
        most = known_terms * self.index.top_idf**2
        return most < (share - 1e-9) * (most + unknown_terms * self.index.unknown_idf**2)

    def _words(self, text: str) -> list[str]:
        """The content words of `text`, adjacent words the KB does not know joined into the
        one word they spell for it (`Speller.join`), before any word is spelling-corrected."""
        return [word for word in self.speller.join(words(text)) if word not in STOP_WORDS]

    def _weigh(self, text: str) -> dict[str, float]:
        """The reading's terms after spelling and synonyms, each with its spelling similarity
        (1 for a known word, 0 for a word the KB does not know)."""
        raw = self._words(text)
        fixed = [self.speller.correct(word) for word in raw]
        words = [f[0] if f else stem(word) for f, word in zip(fixed, raw, strict=True)]
        weights: dict[str, float] = {}
        for term, start, end in self.synonyms.spans(words):
            sim = min((f[1] if f else 0.0) for f in fixed[start:end])
            weights[term] = max(weights.get(term, 0.0), sim)
        return weights

    def analyse(self, text: str) -> Question | None:
        weights = self._weigh(text)
        if not weights:
            return None
        index, ids, values, unknown, mass = self.index, [], [], 0.0, 0.0
        for term, sim in weights.items():
            ident = index.vocab.get(term)
            if ident is None or sim == 0.0:
                unknown += index.unknown_idf**2
                mass += index.unknown_idf
            else:
                ids.append(ident)
                values.append(sim * float(index.idf[ident]))
        known = math.fsum(v * v for v in values)
        return Question(
            text=" ".join(weights),
            ids=np.array(ids, dtype=np.int64),
            weights=np.array(values, dtype=np.float64),
            norm=math.sqrt(known + unknown),
            known=known / (known + unknown),
            mass=mass + sum(values),
        )
