"""The benchmark's comparison of BM25 with our matcher at the same out-of-scope recall."""

from __future__ import annotations

import sys
from pathlib import Path

from bot.knowledge.article import Match
from bot.knowledge.jsonl import LabelledQuery

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bench"))

from run import at_equal


class _Scripted:
    """A matcher that answers each question with a fixed article and confidence."""

    def __init__(self, answers: dict[str, tuple[str, float]]) -> None:
        self._answers = answers

    def match(self, text: str, limit: int = 5) -> list[Match]:
        article, confidence = self._answers[text]
        return [Match(article, confidence)]


def _question(text: str, expected: str | None) -> LabelledQuery:
    return LabelledQuery(text, frozenset([expected] if expected else []))


def test_the_baseline_is_held_to_our_out_of_scope_recall_at_its_best_threshold() -> None:
    questions = [
        _question("a", "x"),  # right at 0.9
        _question("b", "y"),  # right at 0.5
        _question("c", "z"),  # wrong at 0.8
        _question("d", "w"),  # right at 0.3
        _question("off1", None),  # 0.6
        _question("off2", None),  # 0.2
    ]
    baseline = _Scripted(
        {
            "a": ("x", 0.9),
            "b": ("y", 0.5),
            "c": ("q", 0.8),
            "d": ("w", 0.3),
            "off1": ("x", 0.6),
            "off2": ("y", 0.2),
        }
    )
    # Out-of-scope recall 1.0 needs a threshold above 0.6: only "a" is answered rightly.
    # In-scope accuracy 0.75 needs a threshold of 0.3 or lower: at 0.3 only "off2" is kept back.
    line = at_equal(baseline, questions, {"inscope_accuracy": 0.75, "oos_recall": 1.0})
    assert "its in-scope accuracy 0.250 (ours 0.750)" in line
    assert "its out-of-scope recall 0.500" in line
    # Asked for more than it ever reaches, it says so.
    line = at_equal(baseline, questions, {"inscope_accuracy": 0.9, "oos_recall": 0.5})
    assert "its in-scope accuracy 0.750 (ours 0.900)" in line
    assert "its out-of-scope recall never" in line
    # "x" sends questions elsewhere: "off1", which goes there, is not answered at any threshold.
    line = at_equal(
        baseline, questions, {"inscope_accuracy": 0.75, "oos_recall": 1.0}, frozenset({"x"})
    )
    assert "its in-scope accuracy 0.750 (ours 0.750)" in line
