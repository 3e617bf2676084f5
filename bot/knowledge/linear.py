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
    ends = sizes.cumsum()
    return np.repeat(lo - ends + sizes, sizes) + np.arange(int(ends[-1]) if len(ends) else 0)


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
    return (
        ordered[np.concatenate(([True], ordered[1:] != ordered[:-1]))] if len(ordered) else ordered
    )


class _Block:
    """One feature family: per feature, the articles whose centroid has it and the weights."""

    def __init__(self, entry: Ints, col: Ints, owners: Ints, count: int) -> None:
        width, span = int(col.max()) + 1 if len(col) else 1, max(count, 1)
        keys, key = np.unique(col * span + owners[entry], return_inverse=True)
        feat, art = np.divmod(keys, span)  # by feature, then article
        self.idf = np.log1p(count / np.maximum(np.bincount(feat, minlength=width), 1))
        self.unknown_idf = math.log1p(count)
        values = self.idf[col]
        norms = np.sqrt(np.bincount(entry, values**2))
        sums = np.bincount(key, values / norms[entry])
        art_norm = np.sqrt(np.bincount(art, sums**2, minlength=count))
        self.articles = art
        self.weights = sums / art_norm[art]
        self.starts = np.searchsorted(feat, np.arange(width + 1))


class Centroids:
    """Per-article centroids over the term and term-pair blocks of the example questions."""

    def __init__(self, terms: Terms, owners: Ints, count: int) -> None:
        self._vocab, flat, entry = terms.vocab, terms.ids, terms.entry
        self._count, size = count, max(len(self._vocab), 1)
        words = sorted_unique(entry * size + flat)
        same = entry[:-1] == entry[1:]
        pair_keys = flat[:-1][same] * size + flat[1:][same]
        self._pairs, pair_col = np.unique(pair_keys, return_inverse=True)
        pairs = sorted_unique(entry[:-1][same] * (len(self._pairs) + 1) + pair_col)
        blocks = (
            _Block(words // size, words % size, owners, count),
            _Block(pairs // (len(self._pairs) + 1), pairs % (len(self._pairs) + 1), owners, count),
        )
        # Both blocks in one table, pairs after terms: a question is scored in one pass.
        self._offset = len(blocks[0].idf)
        self._idf = np.concatenate([block.idf for block in blocks])
        self._unknown_idf = math.log1p(count)
        self._articles = np.concatenate([block.articles for block in blocks])
        self._weights = np.concatenate([block.weights for block in blocks])
        self._starts = np.r_[blocks[0].starts[:-1], blocks[1].starts + len(blocks[0].articles)]

    def _pair_ids(self, terms: Sequence[str]) -> tuple[list[int], int]:
        """The known pairs of adjacent terms (sorted ids in the table), and how many distinct
        pairs are unknown."""
        pairs, vocab, size = set(pairwise(terms)), self._vocab, max(len(self._vocab), 1)
        keys = [vocab[a] * size + vocab[b] for a, b in pairs if a in vocab and b in vocab]
        if not keys or not len(self._pairs):
            return [], len(pairs)
        at = self._pairs.searchsorted(keys).clip(0, len(self._pairs) - 1)
        found = sorted(set(at[self._pairs[at] == keys].tolist()))
        return [self._offset + i for i in found], len(pairs) - len(found)

    def scores(self, terms: Sequence[str]) -> Floats:
        """Each article's weighted sum of block cosines (`BLOCK_WEIGHTS`) with the question's
        terms and pairs; a block's unknown features count in its norm."""
        unique = list(dict.fromkeys(terms))
        words = sorted({self._vocab[t] for t in unique if t in self._vocab})
        pairs, unknown_pairs = self._pair_ids(terms)
        ids = np.array(words + pairs, dtype=np.int64)
        factor = self._idf[ids]
        squares, split = factor**2, len(words)
        unknown = self._unknown_idf**2
        norms = (
            math.sqrt(float(squares[:split].sum()) + (len(unique) - split) * unknown),
            math.sqrt(float(squares[split:].sum()) + unknown_pairs * unknown),
        )
        factor[:split] *= BLOCK_WEIGHTS[0] / norms[0] if norms[0] else 0.0
        factor[split:] *= BLOCK_WEIGHTS[1] / norms[1] if norms[1] else 0.0
        lo, hi = self._starts[ids], self._starts[ids + 1]
        at = ranges(lo, hi)
        weight = np.repeat(factor, hi - lo) * self._weights[at]
        articles, cut = self._articles[at], int((hi - lo)[:split].sum())
        # Each block's cosines summed on their own, then added: the score as defined above.
        out = np.bincount(articles[:cut], weight[:cut], minlength=self._count).astype(np.float64)
        out += np.bincount(articles[cut:], weight[cut:], minlength=self._count)
        return out
