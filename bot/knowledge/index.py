"""The matcher's inverted index over the KB's example questions (already reduced to terms).

Per term: the example questions ("entries") that use it, the articles that do with the share
of each article's entries using it, and its IDF over articles, so words found everywhere
("не", "how") weigh little. Per entry: its norm. A question's terms, each with its weight,
give every entry's dot product with the question (the cosine's numerator) and every
article's coverage: the question's weight found in the article, each word counted by
(the share of the article's entries using it)^0.3, so a word most of an article's questions
use says more about it than a word one of them happens to use.
"""

from __future__ import annotations

import math

import numpy as np
import numpy.typing as npt

from bot.knowledge.linear import Terms, sorted_unique

__all__ = ["InvertedIndex"]

Floats = npt.NDArray[np.float64]
Ints = npt.NDArray[np.int64]

_UNKNOWN_WEIGHT = 1.0  # a word the KB never uses weighs like a word found in one article
_SHARE_POWER = 0.3  # coverage counts a word by (share of the article's questions using it)^this


class InvertedIndex:
    """Terms → entries and articles, built once with numpy from the numbered terms."""

    def __init__(self, terms: Terms, entry_article: Ints, sizes: Ints) -> None:
        """`entry_article[e]` is the article of entry e (entries go article by article) and
        `sizes[a]` the number of article a's entries."""
        self.vocab, entries = terms.vocab, max(len(entry_article), 1)
        count, width = max(len(sizes), 1), len(terms.vocab)
        self._entries = len(entry_article)
        term, entry = np.divmod(sorted_unique(terms.ids * entries + terms.entry), entries)
        self._postings = np.split(entry, np.searchsorted(term, np.arange(1, width)))
        keys = term * count + entry_article[entry]  # sorted: entries go article by article
        first = np.flatnonzero(np.diff(keys, prepend=-1))
        owner_term, owners = np.divmod(keys[first], count)
        used = np.diff(first, append=len(keys))  # the article's entries with the term
        cuts = np.searchsorted(owner_term, np.arange(1, width))
        self._articles = len(sizes)
        self._owners = np.split(owners, cuts)
        self._shares = np.split((used / sizes[owners]) ** _SHARE_POWER, cuts)
        self.idf = np.log(1 + count / np.maximum(np.bincount(owner_term, minlength=width), 1))
        self.unknown_idf = math.log(1 + count) * _UNKNOWN_WEIGHT
        self.top_idf = float(self.idf.max()) if width else 0.0
        squares = np.bincount(entry, self.idf[term] ** 2, minlength=len(entry_article))
        self.entry_norm = np.sqrt(squares)

    def sums(self, ids: Ints, weights: Floats) -> tuple[Floats, Floats]:
        """For a question of these term ids with these weights: each entry's dot product with
        it, and each article's coverage (see the module docstring)."""
        found = ids.tolist()
        dots = _sums([self._postings[i] for i in found], weights * self.idf[ids], self._entries)
        shares = np.concatenate([self._shares[i] for i in found])
        owners = [self._owners[i] for i in found]
        return dots, _sums(owners, weights, self._articles, shares)


def _sums(lists: list[Ints], weights: Floats, size: int, values: Floats | None = None) -> Floats:
    """Per index up to `size`, the sum of the weights of the `lists` that hold it (each weight
    times the `values` entry there, `values` being the lists' joined): the same sums, to the
    last bit, as adding list after list (np.bincount adds in order), with fewer numpy calls."""
    spread = np.repeat(weights, [len(found) for found in lists])
    if values is not None:
        spread *= values
    return np.bincount(np.concatenate(lists), spread, minlength=size).astype(np.float64, copy=False)
