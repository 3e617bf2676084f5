"""Article centroids: an article-level score learned from all of an article's example questions.

Each example question (already reduced to the matcher's terms: stems after spelling and
synonyms) gives two sparse feature blocks: its terms, and its pairs of adjacent terms (word
order: "card limit" is not "limit card"). Within a block a feature weighs its IDF over
articles, every question's block is L2-normalised, and an article's block is the normalised
sum of its questions' blocks (a Rocchio centroid). A question's score for an article is the
weighted sum of the blocks' cosines with the article's centroid. Features the KB never saw
count in the question's norm, so a question mostly about something else scores low everywhere.
Building is vectorised (the terms are numbered once, `Terms`, shared with the matcher's index).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import chain, pairwise

import numpy as np
import numpy.typing as npt

__all__ = ["BLOCK_WEIGHTS", "Centroids", "Terms", "ranges", "sorted_unique"]

Floats = npt.NDArray[np.float64]
Ints = npt.NDArray[np.int64]

BLOCK_WEIGHTS = (0.6, 0.4)  # terms, pairs of adjacent terms


def ranges(lo: Ints, hi: Ints) -> Ints:
    """The positions lo[0]..hi[0]-1, then lo[1]..hi[1]-1, …, as one array (no Python loop)."""
    sizes = hi - lo
    return np.repeat(lo - np.cumsum(sizes) + sizes, sizes) + np.arange(int(sizes.sum()))


@dataclass(frozen=True, slots=True)
class Terms:
    """Entries (sequences of terms) as numbers: `vocab` gives each term an id, in order of first
    use; `entry` and `ids` give each occurrence's entry and term id, entry after entry."""

    vocab: dict[str, int]
    entry: Ints
    ids: Ints

    @classmethod
    def of(cls, entries: Sequence[Sequence[str]]) -> Terms:
        """Numbered with one dictionary probe per occurrence, in C (`map`), not a Python loop."""
        firsts = dict.fromkeys(chain.from_iterable(entries))
        vocab = {term: ident for ident, term in enumerate(firsts)}
        sizes = np.fromiter(map(len, entries), dtype=np.int64, count=len(entries))
        occurrences = map(vocab.__getitem__, chain.from_iterable(entries))
        ids = np.fromiter(occurrences, dtype=np.int64, count=int(sizes.sum()))
        return cls(vocab, np.repeat(np.arange(len(entries)), sizes), ids)


def sorted_unique(values: Ints) -> Ints:
    """Sorted distinct values (by sorting: numpy's hashing `unique` is slower here)."""
    ordered = np.sort(values)
    return ordered[np.r_[True, ordered[1:] != ordered[:-1]]] if len(ordered) else ordered


class _Block:
    """One feature family: per feature, the articles whose centroid has it and the weights."""

    def __init__(self, entry: Ints, col: Ints, owners: Ints, count: int) -> None:
        width = int(col.max()) + 1 if len(col) else 1
        article = owners[entry]
        keys = sorted_unique(article * width + col)
        art, feat = keys // width, keys % width
        self.idf = np.log1p(count / np.maximum(np.bincount(feat, minlength=width), 1))
        self.unknown_idf = math.log1p(count)
        values = self.idf[col]
        norms = np.sqrt(np.bincount(entry, values**2))
        sums = np.bincount(np.searchsorted(keys, article * width + col), values / norms[entry])
        art_norm = np.sqrt(np.bincount(art, sums**2, minlength=count))
        order = np.argsort(feat, kind="stable")
        self.articles = art[order]
        self.weights = (sums / art_norm[art])[order]
        self.starts = np.searchsorted(feat[order], np.arange(width + 1))

    def score(self, ids: list[int], unknown: int, out: Floats, scale: float) -> None:
        """Add `scale` × cosine(question block, each article's centroid block) to `out`."""
        if not ids:
            return
        idf = self.idf[ids]
        norm = math.sqrt(float(np.sum(idf**2)) + unknown * self.unknown_idf**2)
        lo, hi = self.starts[ids], self.starts[np.add(ids, 1)]
        at = ranges(lo, hi)
        weight = np.repeat(idf * (scale / norm), hi - lo) * self.weights[at]
        out += np.bincount(self.articles[at], weight, minlength=len(out))


class Centroids:
    """Per-article centroids over the term and term-pair blocks of the example questions."""

    def __init__(self, terms: Terms, owners: Ints, count: int) -> None:
        self._vocab, flat, entry = terms.vocab, terms.ids, terms.entry
        self._count, size = count, max(len(self._vocab), 1)
        words = sorted_unique(entry * size + flat)
        same = entry[:-1] == entry[1:]
        pair_keys = flat[:-1][same] * size + flat[1:][same]
        self._pairs = sorted_unique(pair_keys)
        pair_col = np.searchsorted(self._pairs, pair_keys)
        pairs = sorted_unique(entry[:-1][same] * (len(self._pairs) + 1) + pair_col)
        self._blocks = (
            _Block(words // size, words % size, owners, count),
            _Block(pairs // (len(self._pairs) + 1), pairs % (len(self._pairs) + 1), owners, count),
        )

    def _pair_ids(self, terms: Sequence[str]) -> tuple[list[int], int]:
        """The known pairs of adjacent terms, and how many distinct pairs are unknown."""
        pairs = set(pairwise(terms))
        keys = [
            self._vocab[a] * max(len(self._vocab), 1) + self._vocab[b]
            for a, b in pairs
            if a in self._vocab and b in self._vocab
        ]
        at = np.searchsorted(self._pairs, keys).clip(0, max(len(self._pairs) - 1, 0))
        found = sorted({int(i) for i, k in zip(at, keys, strict=True) if self._pairs[i] == k})
        return found, len(pairs) - len(found)

    def scores(self, terms: Sequence[str]) -> Floats:
        """Each article's weighted sum of block cosines with the question's terms."""
        out = np.zeros(self._count)
        unique = list(dict.fromkeys(terms))
        known = sorted({self._vocab[t] for t in unique if t in self._vocab})
        self._blocks[0].score(known, len(unique) - len(known), out, BLOCK_WEIGHTS[0])
        pair_ids, unknown = self._pair_ids(terms)
        self._blocks[1].score(pair_ids, unknown, out, BLOCK_WEIGHTS[1])
        return out
