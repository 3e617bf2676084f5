"""One mini-batch of the classifier's training (`classifier.py`): its logits and one AdaGrad
step, arranged for sparse features that are mostly found in a single question."""

from __future__ import annotations

from itertools import pairwise

import numpy as np
import numpy.typing as npt

from bot.knowledge.linear import ranges

__all__ = ["Batch", "adagrad"]

Ints = npt.NDArray[np.int64]

RATE, L2 = 2.0, 1e-5  # AdaGrad's learning rate and the L2 penalty (bench/fit.py: how chosen)
GROUP = 16  # questions per group of a batch (see Batch)
SLICE = 32_768  # numbers per slice of an update: 128 KB of float32, well within a core's cache


class Batch:
    """A mini-batch. A feature found in two or more of its questions (`shared`) is a column of
    a dense questions × features matrix. Each of the others (`alone`, most) is in one
    question: its gradient is that question's error times its value, and the logits take such
    features `GROUP` questions at a time, not as columns of the whole batch, zero in all
    questions but one."""

    def __init__(
        self, bounds: Ints, indices: Ints, values: npt.NDArray[np.float32], batch: Ints, width: int
    ) -> None:
        lo, hi = bounds[batch], bounds[batch + 1]
        at = ranges(lo, hi)
        keys, found = indices[at], values[at]
        rows = np.repeat(np.arange(len(batch)), hi - lo)
        counts = np.bincount(keys, minlength=width)
        single = counts[keys] == 1
        self.shared = np.flatnonzero(counts > 1)
        column = np.zeros(width, dtype=np.int64)
        column[self.shared] = np.arange(len(self.shared))
        self.x = np.zeros((len(batch), len(self.shared)), dtype=np.float32)
        self.x[rows[~single], column[keys[~single]]] = found[~single]
        self.alone, self.rows, self.values = keys[single], rows[single], found[single]
        self.groups = np.zeros((GROUP, len(self.rows)), dtype=np.float32)
        self.groups[self.rows % GROUP, np.arange(len(self.rows))] = self.values
        tops = [*range(0, len(batch), GROUP), len(batch)]
        self.cuts = list(zip(tops, np.searchsorted(self.rows, tops).tolist(), strict=True))

    def logits(
        self, weights: npt.NDArray[np.float32], shared: npt.NDArray[np.float32]
    ) -> npt.NDArray[np.float32]:
        """The batch's logits without the bias (`shared`: weights[self.shared])."""
        out = self.x @ shared
        for (top, start), (bottom, end) in pairwise(self.cuts):
            if end > start:
                part = self.groups[: bottom - top, start:end]
                out[top:bottom] += part @ weights[self.alone[start:end]]
        return out

    def learn(
        self,
        weights: npt.NDArray[np.float32],
        squares: npt.NDArray[np.float32],
        shared: npt.NDArray[np.float32],
        error: npt.NDArray[np.float32],
    ) -> None:
        """One AdaGrad step for the batch's features, `SLICE` numbers at a time (whole
        features × articles temporaries, 9 MB each at 1,000 articles, spill the cache); the
        gradient of a feature alone is made slice by slice, from its question's error."""
        size = max(1, SLICE // error.shape[1])
        gradient = self.x.T @ error
        for start in range(0, len(self.shared), size):
            at = slice(start, start + size)
            adagrad(weights, squares, self.shared[at], shared[at], gradient[at])
        for start in range(0, len(self.alone), size):
            at = slice(start, start + size)
            own = error[self.rows[at]]
            own *= self.values[at, None]
            adagrad(weights, squares, self.alone[at], weights[self.alone[at]], own)


def adagrad(
    weights: npt.NDArray[np.float32],
    squares: npt.NDArray[np.float32],
    rows: Ints,
    local: npt.NDArray[np.float32],
    gradient: npt.NDArray[np.float32],
) -> None:
    """AdaGrad with L2 for these rows of the weights (`local`: weights[rows], a copy), in place
    on `local` and `gradient`."""
    scratch = np.multiply(local, L2)
    gradient += scratch
    sums = squares[rows]
    sums += np.multiply(gradient, gradient, out=scratch)
    squares[rows] = sums
    gradient *= RATE
    gradient /= np.sqrt(sums, out=sums)
    local -= gradient
    weights[rows] = local
