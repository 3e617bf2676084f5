"""Article centroids (bot.knowledge.linear) on a tiny KB of term sequences."""

from __future__ import annotations

import numpy as np
import pytest

from bot.knowledge.linear import Centroids, Terms

ENTRIES = [
    ("credit", "card", "limit"),
    ("card", "limit", "rais"),
    ("card", "block"),
    ("block", "card", "lost"),
    ("weather", "tomorrow"),
]
OWNERS = np.array([0, 0, 1, 1, 2], dtype=np.int64)


@pytest.fixture(scope="module")
def centroids() -> Centroids:
    return Centroids(Terms.of(ENTRIES), OWNERS, 3)


def test_scores_are_cosines_and_rank_the_right_article(centroids: Centroids) -> None:
    scores = centroids.scores(["card", "limit"])
    assert int(np.argmax(scores)) == 0
    assert np.all(scores >= 0.0)
    assert np.all(scores <= 1.0 + 1e-9)


def test_word_order_counts_through_pairs(centroids: Centroids) -> None:
    assert centroids.scores(["card", "limit"])[0] > centroids.scores(["limit", "card"])[0]


def test_unknown_words_lower_every_score(centroids: Centroids) -> None:
    plain = centroids.scores(["weather"])
    noisy = centroids.scores(["weather", "salari", "bonus"])
    assert noisy[2] < plain[2]
    assert not centroids.scores(["salari"]).any()
    assert not centroids.scores([]).any()


def test_empty_kb() -> None:
    empty = Centroids(Terms.of([]), np.zeros(0, dtype=np.int64), 0)
    assert len(empty.scores(["anything"])) == 0


def test_examples_without_pairs_still_score_a_question_with_one() -> None:
    """One-word examples give no pair of terms at all; a question's pair is then unknown."""
    single = Centroids(Terms.of([("vpn",), ("printer",)]), np.array([0, 1], dtype=np.int64), 2)
    scores = single.scores(["vpn", "printer"])
    assert scores[0] == pytest.approx(scores[1])
    assert 0.0 < scores[0] < single.scores(["vpn"])[0]
