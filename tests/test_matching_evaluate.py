"""evaluate() on a tiny case whose figures are computed by hand."""

from __future__ import annotations

import pytest

from bot.knowledge.article import Match
from bot.knowledge.eval_report import format_report
from bot.knowledge.evaluate import evaluate
from bot.knowledge.jsonl import LabelledQuery


class ScriptedMatcher:
    """Answers each known text with a fixed ranking."""

    def __init__(self, answers: dict[str, list[Match]]) -> None:
        self.answers = answers
        self.limits: list[int] = []

    def match(self, text: str, limit: int = 5) -> list[Match]:
        self.limits.append(limit)
        return self.answers[text][:limit]


def query(text: str, *expected: str) -> LabelledQuery:
    return LabelledQuery(text=text, expected=frozenset(expected))


MATCHER = ScriptedMatcher(
    {
        # right first, confident: answered correctly
        "q1": [Match("a", 0.9), Match("b", 0.2)],
        # right second, in the suggest band
        "q2": [Match("b", 0.5), Match("a", 0.4)],
        # right article third and confident wrong answer
        "q3": [Match("c", 0.8), Match("b", 0.1), Match("a", 0.05)],
        # right article not returned at all
        "q4": [Match("b", 0.1)],
        # either of two ids is right; right first but below the answer threshold
        "q5": [Match("c", 0.6), Match("a", 0.3)],
        # out of scope: one abstained (none band), one wrongly answered, one with no matches
        "o1": [Match("a", 0.2)],
        "o2": [Match("b", 0.95)],
        "o3": [],
    }
)
QUERIES = [
    query("q1", "a"),
    query("q2", "a"),
    query("q3", "a"),
    query("q4", "a"),
    query("q5", "c", "b"),
    query("o1"),
    query("o2"),
    query("o3"),
]


def test_figures_match_the_hand_computation() -> None:
    result = evaluate(MATCHER, QUERIES, answer_threshold=0.7, suggest_threshold=0.3)
    assert result["n_queries"] == 8
    assert result["n_answerable"] == 5
    assert result["top1"] == pytest.approx(2 / 5)  # q1, q5
    assert result["mrr"] == pytest.approx((1 + 1 / 2 + 1 / 3 + 0 + 1) / 5)
    assert result["inscope_accuracy"] == pytest.approx(1 / 5)  # only q1 is answered and right
    assert result["oos_recall"] == pytest.approx(2 / 3)  # o1, o3
    # abstained: q2, q4, q5, o1, o3 → 2 of 5 were out of scope; 2 of 3 out-of-scope abstained
    assert result["abstain_precision"] == pytest.approx(2 / 5)
    assert result["abstain_recall"] == pytest.approx(2 / 3)
    assert result["bands"] == {"answer": 3, "suggest": 2, "none": 3}
    assert 0 <= result["p50_ms"] <= result["p99_ms"]
    assert min(MATCHER.limits) > 3  # every article is ranked, not only the top five


def test_no_out_of_scope_questions_gives_none() -> None:
    result = evaluate(MATCHER, QUERIES[:2], answer_threshold=0.7, suggest_threshold=0.3)
    assert result["oos_recall"] is None
    assert result["abstain_recall"] is None
    assert result["abstain_precision"] == 0.0  # q2 abstained and was answerable


def test_report_shows_the_figures() -> None:
    result = evaluate(MATCHER, QUERIES, answer_threshold=0.7, suggest_threshold=0.3)
    report = format_report(result)
    assert "top-1 accuracy: 0.400" in report
    assert "MRR: 0.567" in report
    assert "out-of-scope recall: 0.667" in report
    assert "bands: answer 3, suggest 2, none 3" in report


def test_threshold_sweep_and_confident_mistakes() -> None:
    result = evaluate(MATCHER, QUERIES, answer_threshold=0.7, suggest_threshold=0.3)
    sweep = {row["threshold"]: row for row in result["sweep"]}
    # at 0.3: q1, q2, q3, q5 and o2 answered; q1 and q5 right
    assert sweep[0.3]["inscope_accuracy"] == pytest.approx(2 / 5)
    assert sweep[0.3]["oos_recall"] == pytest.approx(2 / 3)
    assert sweep[0.3]["wrong_answers"] == 3
    assert (sweep[0.6]["inscope_accuracy"], sweep[0.6]["wrong_answers"]) == (
        pytest.approx(2 / 5),
        2,
    )
    assert (sweep[0.9]["inscope_accuracy"], sweep[0.9]["wrong_answers"]) == (
        pytest.approx(1 / 5),
        1,
    )
    assert result["mistakes"] == [
        {"text": "o2", "answered": "b", "confidence": 0.95, "expected": []},
        {"text": "q3", "answered": "c", "confidence": 0.8, "expected": ["a"]},
    ]
    report = format_report(result)
    assert "  0.30: 0.400  0.667  3" in report
    assert "  0.95 b ← 'o2' (expected: no answer)" in report
    assert "other answer thresholds" not in format_report(result, verbose=False)


def test_calibration_bands() -> None:
    result = evaluate(MATCHER, QUERIES, answer_threshold=0.7, suggest_threshold=0.3)
    bands = [(band["from"], band["questions"], band["right"]) for band in result["calibration"]]
    assert bands == [
        (0.0, 2, 0.0),  # q4 0.1, o3 none
        (0.2, 1, 0.0),  # o1
        (0.4, 1, 0.0),  # q2
        (0.6, 1, 1.0),  # q5
        (0.8, 3, pytest.approx(1 / 3)),  # q1 right; q3 and o2 wrong
    ]
    assert "0.8+ 0.333 (3)" in format_report(result, verbose=False)


def test_an_out_of_scope_question_sent_elsewhere_is_not_answered() -> None:
    """An article that sends a question elsewhere (`elsewhere: true`): for a question with no
    article that is the right outcome, for one with an article it is a wrong answer."""
    matcher = ScriptedMatcher(
        {
            "o1": [Match("hr", 0.9), Match("a", 0.1)],  # sent elsewhere, confidently
            "o2": [Match("a", 0.8)],  # answered from the KB: wrong
            "q1": [Match("hr", 0.9), Match("a", 0.5)],  # a question for "a" sent elsewhere
            "q2": [Match("a", 0.9)],
        }
    )
    queries = [query("o1"), query("o2"), query("q1", "a"), query("q2", "a")]
    result = evaluate(
        matcher, queries, answer_threshold=0.7, suggest_threshold=0.3, elsewhere=frozenset({"hr"})
    )
    assert result["top1"] == pytest.approx(1 / 2)  # q2; o1's "right" outcome is no top-1 hit
    assert result["inscope_accuracy"] == pytest.approx(1 / 2)
    assert result["oos_recall"] == pytest.approx(1 / 2)  # o1
    assert result["sent_elsewhere"] == 1
    assert "out-of-scope recall: 0.500 (1 of them sent elsewhere)" in format_report(result)
    assert result["abstain_recall"] == pytest.approx(1 / 2)
    assert [m["text"] for m in result["mistakes"]] == ["q1", "o2"]
    assert {row["threshold"]: row["wrong_answers"] for row in result["sweep"]}[0.7] == 2
    unaware = evaluate(matcher, queries, answer_threshold=0.7, suggest_threshold=0.3)
    assert unaware["oos_recall"] == 0.0  # without the list, "hr" is an answer like any


def test_a_set_in_both_languages_is_also_measured_per_language() -> None:
    """A bilingual KB is often better in one language: the figures per language show it."""
    matcher = ScriptedMatcher(
        {
            "впн не работает": [Match("vpn", 0.9)],
            "ghbynth yt gtxfnftn": [Match("vpn", 0.8)],  # "принтер не печатает": Russian
            "погода завтра": [Match("vpn", 0.1)],
            "vpn is down": [Match("printer", 0.9), Match("vpn", 0.5)],
            "printer is jammed": [Match("printer", 0.5)],
        }
    )
    queries = [
        query("впн не работает", "vpn"),
        query("ghbynth yt gtxfnftn", "printer"),
        query("погода завтра"),
        query("vpn is down", "vpn"),
        query("printer is jammed", "printer"),
    ]
    result = evaluate(matcher, queries, answer_threshold=0.7, suggest_threshold=0.3)
    assert result["by_language"] == {
        "ru": {"n_queries": 3, "top1": 0.5, "inscope_accuracy": 0.5, "oos_recall": 1.0},
        "en": {"n_queries": 2, "top1": 0.5, "inscope_accuracy": 0.0, "oos_recall": None},
    }
    report = format_report(result)
    assert "by language:\n  ru: 3 questions, top-1 0.500, in-scope accuracy 0.500," in report
    assert "  en: 2 questions, top-1 0.500, in-scope accuracy 0.000, out-of-scope" in report


def test_a_language_with_one_question_is_counted_in_the_singular() -> None:
    matcher = ScriptedMatcher({"впн не работает": [Match("vpn", 0.9)], "vpn is down": []})
    queries = [query("впн не работает", "vpn"), query("vpn is down", "vpn")]
    report = format_report(evaluate(matcher, queries, answer_threshold=0.7, suggest_threshold=0.3))
    assert "  ru: 1 question, top-1 1.000," in report
    assert "  en: 1 question, top-1 0.000," in report


def test_a_set_in_one_language_has_no_figures_per_language() -> None:
    result = evaluate(MATCHER, QUERIES, answer_threshold=0.7, suggest_threshold=0.3)
    assert result["by_language"] == {}
    assert "by language" not in format_report(result)
