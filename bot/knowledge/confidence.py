"""A match's confidence: P(the article is the right one), from its score and its rivals'.

Confidence = relevance(score, the article's number of examples, the share of the question
the KB knows) × distinctness(score − best rival's score): two logistic curves fitted by
log-loss; absolute and relative scores, not ranks, so they do not drift with the number of
articles. An article with few examples scores lower when it is right (there is less to be
close to), so relevance takes ln(its examples) too: with it, answers at 0.8–1.0 were right
91–94% of the time (balanced: see bench/fit.py) on CLINC150 with 100, 20, 10 and 5 examples per
article alike, where 0.2–0.4 had meant 15% at 100 and 61% at 5. A question whose words the
KB mostly does not know ("пароль от домофона в подъезде") is less likely one it answers:
the known share (of the question's squared IDF weight) took the demo's confidently answered
off-topic questions from 3 to 1 of 60, with no in-scope answer lost on the fit sets.
Relevance also takes ln(1 + the question's weight the article covers), not divided by the
question's length: a customer who describes the situation in twenty words ("i moved last
week and my order is going to my old address, can i change it") has a low share anywhere
but much evidence for one article, and one known word ("im bored talk to me") is little
evidence however well it matches. Fitted with it and with two KBs of other domains
(`bench/domains`), in-scope accuracy at the default threshold on the two never fitted on
(`bench/unseen/ru-telecom`, `en-travel`) went from 0.692 and 0.760 to 0.742 and 0.820 (cut to
5 examples per article: 0.608 and 0.675 to 0.708 and 0.730), off-topic recall from 1.000 to
1.000 and 0.983 (cut: 1.000 and 0.967); CLINC150's and the demo's figures barely moved.
Relevance also takes the share of the question's words that are Russian (in the reading it
was matched as: wrong-layout Russian counts as Russian). A Russian question that is right
scores lower than an English one (more word forms, freer word order, fewer exact repeats of an
example), so with one curve for both, Russian answers were under-confident: on the Russian KBs
never fitted on, answers at 0.4–0.6 were right 83–100% of the time, English ones 64–81%. Its
weight is fitted after the rest, with the rest held (bench/fit.py says why). Fitted on two KBs
of other domains it came out at 0.78, shipped at 0.7 by the rule the classifier's settings kept
(bench/fit.py): "не работает", which two articles cover alike, stays below the answer
threshold on a KB of 155 articles (tests/test_matching.py). Fitted on four (two more Russian
ones, 2026-11-27) every parameter moved and it came out at 0.54, shipped as fitted ("не
работает" 0.599 there).

The curves are fitted through `confidence` itself by `bench/fit.py`.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import numpy.typing as npt

__all__ = ["confidence"]

Floats = npt.NDArray[np.float64]

# P(right) = relevance(score) × distinctness(score − best rival score), each a logistic curve
# fitted (log-loss) on validation data; see the module's docstring.
# relevance: per score, bias, per ln(the article's example questions), per known share,
# per ln(1 + the question's weight the article covers), per Russian share of its words
_RELEVANCE = (5.65, -4.8, -1.27, 1.02, 2.46, 0.54)
_DISTINCT = 4.74  # slope; 1/2 at a tie, so a tie is never answered


def _logistic(x: Floats, slope: float, bias: float | Floats = 0.0) -> Floats:
    return 1 / (1 + np.exp(-(slope * x + bias)))


def confidence(
    scores: Floats,
    rivals: Floats,
    density: Floats,
    known: float | Floats,
    covered: Floats,
    russian: float | Floats = 0.0,
    *,
    relevance: Sequence[float] = _RELEVANCE,
    distinct: float = _DISTINCT,
) -> Floats:
    """P(each article is the right one): relevant (a high score for an article with this
    many examples: ln of their number is its `density`, for a question the KB knows this
    share of, of which the article covers this much IDF weight) and distinct (clearly ahead
    of its best rival). `bench/fit.py` fits the curves' parameters (`relevance`,
    `distinct`) through this same function."""
    slope, bias, per_density, per_known, per_covered, per_russian = relevance
    shift = bias + per_density * density + per_known * known + per_covered * np.log1p(covered)
    shift = shift + per_russian * russian
    relevant = _logistic(scores, slope, shift)
    return relevant * _logistic(scores - rivals, distinct)
