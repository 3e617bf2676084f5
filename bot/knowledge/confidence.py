"""A match's confidence: P(the article is the right one), from its score and its rivals'.

P(right) = relevance(score) × distinctness(score − the best rival's score), two logistic
curves fitted by log-loss on validation data (`bench/fit.py`, through `confidence` itself);
`bot/knowledge/matcher.py`'s docstring says why each input is there.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import numpy.typing as npt

__all__ = ["confidence"]

Floats = npt.NDArray[np.float64]

# P(right) = relevance(score) × distinctness(score − best rival score), each a logistic curve
# fitted (log-loss) on validation data; see the matcher's docstring.
# relevance: per score, bias, per ln(the article's example questions), per known share
_RELEVANCE = (6.76, -3.26, -0.88, 1.38)
_DISTINCT = 4.3  # slope; 1/2 at a tie, so a tie is never answered


def _logistic(x: Floats, slope: float, bias: float | Floats = 0.0) -> Floats:
    return 1 / (1 + np.exp(-(slope * x + bias)))


def confidence(
    scores: Floats,
    rivals: Floats,
    density: Floats,
    known: float | Floats,
    *,
    relevance: Sequence[float] = _RELEVANCE,
    distinct: float = _DISTINCT,
) -> Floats:
    """P(each article is the right one): relevant (a high score for an article with this
    many examples: ln of their number is its `density`, for a question the KB knows this
    share of) and distinct (clearly ahead of its best rival). `bench/fit.py` fits the curves'
    parameters (`relevance`, `distinct`) through this same function."""
    slope, bias, per_density, per_known = relevance
    relevant = _logistic(scores, slope, bias + per_density * density + per_known * known)
    return relevant * _logistic(scores - rivals, distinct)
