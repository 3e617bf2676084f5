"""A linear classifier over the example questions: which article is a question about.

Multinomial logistic regression (softmax) on sparse features of the matcher's terms: the
terms, the pairs of adjacent terms (word order) and each term's 4-character pieces (a word
the spelling corrector left alone, or another form of a stem, still shares most of its
pieces), each weighing its IDF over articles, every question L2-normalised. Trained with
AdaGrad on mini-batches for a fixed number of passes, from a fixed seed, so a KB always gives
the same model. Where the centroids (`linear.Centroids`) pool an
article's questions, the classifier learns which words tell an article from its neighbours:
"card" says little between "card declined" and "card lost", "declined" says a lot.

Cost: a pass costs about questions × articles × the features each question shares with others
of its batch (some 700 of ~2,300 in a batch of CLINC150's). So the classifier learns
from at most `_BUDGET // articles` questions, taken evenly across the articles: every question
of a KB of 150 articles with up to ~100 questions each; 2 per article at 1,000 articles (there
the nearest questions and centroids still see every question). Features outside the sample
are unknown to it; a question's unknown features still count in its length, so a question
mostly about something else gets flat, low probabilities.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from functools import lru_cache
from itertools import pairwise

import numpy as np
import numpy.typing as npt

from bot.knowledge.linear import Terms
from bot.knowledge.minibatch import RATE, Batch

__all__ = ["Classifier"]

Floats = npt.NDArray[np.float64]
Ints = npt.NDArray[np.int64]

_BUDGET = 2_500_000  # training questions × articles
_PASSES, _BATCH = 5, 128  # bench/fit.py says how they, and minibatch.py's RATE and L2, were chosen
_START_SQUARES = 0.1
_SEED = 0
_GRAM = 4  # characters per piece of a term
_FLOOR_QUANTILE = 0.25  # a question's length counts at least the lower quartile of examples'


def _keys(terms: Sequence[str]) -> list[str]:
    """A question's features: its distinct terms, adjacent pairs and terms' 4-character pieces
    (with the term's start and end marked, so "<vpn>" gives "<vpn" and "vpn>")."""
    keys = [*terms, *(f"{a} {b}" for a, b in pairwise(terms))]
    for term in terms:
        keys.extend(_pieces(term))
    return list(dict.fromkeys(keys))


@lru_cache(maxsize=65536)
def _pieces(term: str) -> tuple[str, ...]:
    marked = f"<{term}>"
    return tuple(f"#{marked[i : i + _GRAM]}" for i in range(max(1, len(marked) - _GRAM + 1)))


def _sample(owners: Ints, count: int) -> Ints:
    """Indexes of at most `_BUDGET // count` questions in all: the first ones of every
    article, as many of each."""
    per_article = max(1, _BUDGET // max(count, 1) // max(count, 1))
    order = np.argsort(owners, kind="stable")
    starts = np.searchsorted(owners[order], np.arange(count))
    rank = np.arange(len(order)) - starts[owners[order]]
    return np.sort(order[rank < per_article])


class Classifier:
    """P(article | question) over the articles' example questions (already reduced to terms)."""

    def __init__(self, entries: Sequence[Sequence[str]], owners: Ints, count: int) -> None:
        self._count = count
        chosen = _sample(owners, count)
        rows = [_keys(entries[i]) for i in chosen.tolist()]
        numbered = Terms.of(rows)
        self._vocab, row, indices = numbered.vocab, numbered.entry, numbered.ids
        sizes = np.bincount(row, minlength=len(rows))
        labels = owners[chosen]
        seen = np.unique(labels[row] * max(len(self._vocab), 1) + indices)
        df = np.bincount(seen % max(len(self._vocab), 1), minlength=len(self._vocab))
        self._idf = np.log1p(count / np.maximum(df, 1)).astype(np.float32)
        self._unknown_idf = math.log1p(count)
        values = self._idf[indices]
        norms = np.sqrt(np.bincount(row, values.astype(np.float64) ** 2, minlength=len(rows)))
        # A question with less known evidence than the shorter examples counts as weaker: "vpn"
        # alone must not be as sure as a whole example question (the norm is floored).
        self._floor = float(np.quantile(norms, _FLOOR_QUANTILE)) if len(rows) else 0.0
        values = (values / np.maximum(norms[row], 1e-12)).astype(np.float32)
        self._weights = np.zeros((len(self._vocab), count), dtype=np.float32)
        self._bias = np.zeros(count, dtype=np.float32)
        if len(rows):
            self._train(np.r_[0, np.cumsum(sizes)], indices, values, labels)

    def _train(
        self, bounds: Ints, indices: Ints, values: npt.NDArray[np.float32], labels: Ints
    ) -> None:
        weights, bias = self._weights, self._bias
        # AdaGrad's running squares start at 0.1 (as TensorFlow's does), not near 0: near 0 its
        # first steps are ±rate whatever the gradient's size, so on a small KB (a handful of
        # steps in all) a word shared by two articles ended up arbitrarily on one's side.
        squares = np.full(weights.shape, _START_SQUARES, dtype=np.float32)
        bias_squares = np.full(bias.shape, _START_SQUARES, dtype=np.float32)
        rng = np.random.default_rng(_SEED)
        for _ in range(_PASSES):
            order = rng.permutation(len(labels))
            for start in range(0, len(order), _BATCH):
                batch = order[start : start + _BATCH]
                part = Batch(bounds, indices, values, batch, len(weights))
                shared = weights[part.shared]
                error = _softmax(part.logits(weights, shared) + bias)
                error[np.arange(len(batch)), labels[batch]] -= 1
                part.learn(weights, squares, shared, error)
                bias_gradient = error.sum(axis=0)
                bias_squares += bias_gradient * bias_gradient
                bias -= RATE * bias_gradient / np.sqrt(bias_squares)

    def probabilities(self, terms: Sequence[str]) -> Floats:
        """P(each article | the question's terms); near uniform for a question it cannot place."""
        if not self._count:
            return np.zeros(0)
        keys, find = _keys(terms), self._vocab.get
        known = np.array([i for key in keys if (i := find(key)) is not None], dtype=np.int64)
        idf = self._idf[known].astype(np.float64)
        unknown = (len(keys) - len(known)) * self._unknown_idf**2
        norm = max(math.sqrt(float((idf**2).sum()) + unknown), self._floor) or 1.0
        logits = ((idf / norm) @ self._weights[known] + self._bias).astype(np.float64)
        logits -= logits.max()  # the softmax of one row, as _softmax computes it
        np.exp(logits, out=logits)
        logits /= logits.sum()
        return logits


def _softmax(logits: npt.NDArray[np.floating]) -> npt.NDArray[np.floating]:
    """Row-wise softmax, in place on a copy."""
    logits = logits - logits.max(axis=1, keepdims=True)
    np.exp(logits, out=logits)
    logits /= logits.sum(axis=1, keepdims=True)
    return logits
