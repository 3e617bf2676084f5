"""The softmax classifier under the matcher: what it learns, and its training budget."""

from __future__ import annotations

import numpy as np
import pytest

from bot.knowledge import classifier
from bot.knowledge.base import KnowledgeBase
from bot.knowledge.classifier import Classifier
from bot.knowledge.matcher import DEFAULT_ANSWER_THRESHOLD

ENTRIES = [
    ["card", "declin"],
    ["payment", "declin", "card"],
    ["card", "refus", "shop"],
    ["card", "lost"],
    ["lost", "wallet", "card"],
    ["card", "stolen"],
    ["weather", "tomorrow"],
    ["rain", "tomorrow"],
]
OWNERS = np.array([0, 0, 0, 1, 1, 1, 2, 2], dtype=np.int64)


def test_the_word_that_tells_articles_apart_decides() -> None:
    model = Classifier(ENTRIES, OWNERS, 3)
    declined = model.probabilities(["card", "declin"])
    lost = model.probabilities(["my", "card", "lost"])
    assert int(np.argmax(declined)) == 0
    assert int(np.argmax(lost)) == 1
    assert declined.sum() == pytest.approx(1.0)


def test_a_question_of_unknown_words_gets_no_strong_article() -> None:
    model = Classifier(ENTRIES, OWNERS, 3)
    assert float(model.probabilities(["coffee", "machine", "broken"]).max()) < 0.6
    assert float(model.probabilities(["card", "declin"]).max()) > 0.6


def test_word_order_counts_through_adjacent_pairs() -> None:
    entries = [["limit", "card"], ["card", "limit"]]
    model = Classifier(entries, np.array([0, 1], dtype=np.int64), 2)
    assert int(np.argmax(model.probabilities(["limit", "card"]))) == 0
    assert int(np.argmax(model.probabilities(["card", "limit"]))) == 1


def test_the_same_kb_gives_the_same_model() -> None:
    first = Classifier(ENTRIES, OWNERS, 3).probabilities(["card", "shop"])
    second = Classifier(ENTRIES, OWNERS, 3).probabilities(["card", "shop"])
    assert np.array_equal(first, second)


def test_big_kbs_train_on_an_even_sample(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(classifier, "_BUDGET", 3 * 3 * 2)  # 2 questions per article
    owners = np.array([2, 0, 1, 0, 2, 1, 0, 1, 2, 0], dtype=np.int64)
    chosen = classifier._sample(owners, 3)
    assert chosen.tolist() == [0, 1, 2, 3, 4, 5]
    assert np.bincount(owners[chosen]).tolist() == [2, 2, 2]


def test_an_empty_kb_builds() -> None:
    model = Classifier([], np.zeros(0, dtype=np.int64), 0)
    assert model.probabilities(["anything"]).shape == (0,)


def test_one_word_two_articles_share_is_not_answered(knowledge: KnowledgeBase) -> None:
    """ "password" alone fits two demo articles: the classifier must not be as sure of it as
    of a whole example question (its length is floored), so the bot asks which one."""
    found = knowledge.matcher.match("password", 2)
    assert {m.article_id for m in found} == {"password-forgotten", "password-expired"}
    assert found[0].confidence < DEFAULT_ANSWER_THRESHOLD
    assert knowledge.matcher.match("forgot my password")[0].confidence >= DEFAULT_ANSWER_THRESHOLD
