"""Measure a matcher on labelled questions (what `helpdesk-bot kb eval` prints).

Figures, each over the questions it makes sense for:
- `top1`, `mrr`: answerable questions (non-empty `expected`), ranking all articles; an article
  the matcher does not return at all counts as rank infinity (reciprocal rank 0).
- `inscope_accuracy`: answerable questions answered (confidence ≥ answer threshold) with a
  right article first.
- `oos_recall`: questions with nothing to answer (`expected` empty) whose top confidence is
  below the answer threshold, or whose top article is one of `elsewhere` (articles saying the
  question is not this desk's and where to go: declining is the right outcome); None when
  there are none. `sent_elsewhere`: how many of them the bot sends elsewhere (confidently).
- `abstain_precision` / `abstain_recall`: abstaining means top confidence below the answer
  threshold, or an out-of-scope question sent elsewhere; precision is the share of
  abstentions that were out of scope, recall the share of out-of-scope questions abstained on.
  None when undefined.
- `bands`: how many questions fell in each band (answer / suggest / none).
- `sweep`: in-scope accuracy, out-of-scope recall and wrong answers (answerable questions
  answered with a wrong article first, plus out-of-scope questions answered) at answer
  thresholds 0.30, 0.40 … 0.90: the trade-off to pick a threshold from.
- `calibration`: per confidence band (0–0.2, 0.2–0.4, … 0.8–1), how many questions had their
  top confidence there and the share of them whose top article was right (for an
  out-of-scope question, one of `elsewhere`, at any confidence): what a confidence means on
  this KB.
- `mistakes`: up to 10 wrong answers at the answer threshold, most confident first (the text,
  the article it got, the confidence, the articles expected): what to add example questions
  to, or which article needs a clearer one.
- `by_language`: for a set in both languages, per language ("ru", "en", as the bot tells a
  question's language), the questions' count, top-1, in-scope accuracy and out-of-scope recall:
  a bilingual KB is often better in one (its examples written in it first); empty for a set in
  one language.
- `p50_ms`, `p99_ms`: time of one `match` call (time.perf_counter).
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from bot.knowledge.article import Match
from bot.knowledge.jsonl import LabelledQuery
from bot.knowledge.language import detect_language

__all__ = ["SupportsMatch", "evaluate"]

_RANK_ALL = 1_000_000
_SWEEP = (0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9)
_CALIBRATION = (0.0, 0.2, 0.4, 0.6, 0.8)  # band starts; the last band includes 1.0
_MISTAKES = 10
_PER_LANGUAGE = ("n_queries", "top1", "inscope_accuracy", "oos_recall")


class SupportsMatch(Protocol):
    """Anything that ranks articles for a text, like `Matcher`."""

    def match(self, text: str, limit: int = 5) -> list[Match]: ...


def _percentile(values: Sequence[float], share: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def _ratio(part: int, whole: int) -> float | None:
    return part / whole if whole else None


def _sent(right: bool, has_article: bool) -> bool:
    """An out-of-scope question sent elsewhere (the only way one is right): not answered."""
    return right and not has_article


@dataclass(slots=True)
class _Tally:
    """What each question got (its top confidence, whether that article was right, whether it
    had a right article at all), from which every figure is computed, plus its reciprocal
    rank and the wrong answers."""

    answer: float
    suggest: float
    elsewhere: frozenset[str] = frozenset()
    reciprocal: float = 0.0
    seen: list[tuple[float, bool, bool]] = field(default_factory=list)
    mistakes: list[dict[str, Any]] = field(default_factory=list)

    def add(self, query: LabelledQuery, ranked: list[Match]) -> None:
        confidence = ranked[0].confidence if ranked else 0.0
        right = bool(ranked) and ranked[0].article_id in (query.expected or self.elsewhere)
        self.seen.append((confidence, right, bool(query.expected)))
        if confidence >= self.answer and not right:
            self.mistakes.append(
                {
                    "text": query.text,
                    "answered": ranked[0].article_id,
                    "confidence": confidence,
                    "expected": sorted(query.expected),
                }
            )
        if query.expected:
            rank = next((i for i, m in enumerate(ranked, 1) if m.article_id in query.expected), 0)
            self.reciprocal += 1 / rank if rank else 0.0

    def figures(self) -> dict[str, Any]:
        answerable = sum(has_article for *_, has_article in self.seen)
        out_of_scope = len(self.seen) - answerable
        abstained = [
            has_article
            for c, right, has_article in self.seen
            if c < self.answer or _sent(right, has_article)
        ]
        oos_abstained = abstained.count(False)
        at_answer = self._at(self.answer)
        return {
            "n_queries": len(self.seen),
            "n_answerable": answerable,
            "n_out_of_scope": out_of_scope,
            "top1": _ratio(
                sum(right for _, right, has_article in self.seen if has_article), answerable
            ),
            "mrr": self.reciprocal / answerable if answerable else None,
            "inscope_accuracy": at_answer["inscope_accuracy"],
            "oos_recall": at_answer["oos_recall"],
            "sent_elsewhere": sum(
                c >= self.answer and _sent(right, has_article)
                for c, right, has_article in self.seen
            ),
            "abstain_precision": _ratio(oos_abstained, len(abstained)),
            "abstain_recall": _ratio(oos_abstained, out_of_scope),
            "bands": self._bands(),
            "sweep": [self._at(threshold) for threshold in _SWEEP],
            "calibration": self._calibration(),
            "mistakes": sorted(self.mistakes, key=lambda m: -m["confidence"])[:_MISTAKES],
            "answer_threshold": self.answer,
            "suggest_threshold": self.suggest,
        }

    def _bands(self) -> dict[str, int]:
        """How many questions fell in each band: answered, "did you mean", nothing."""
        answered = sum(c >= self.answer for c, *_ in self.seen)
        suggested = sum(self.suggest <= c < self.answer for c, *_ in self.seen)
        return {
            "answer": answered,
            "suggest": suggested,
            "none": len(self.seen) - answered - suggested,
        }

    def _calibration(self) -> list[dict[str, Any]]:
        bands = []
        for lo, hi in zip(_CALIBRATION, (*_CALIBRATION[1:], float("inf")), strict=True):
            inside = [right for c, right, _ in self.seen if lo <= c < hi]
            bands.append(
                {"from": lo, "questions": len(inside), "right": _ratio(sum(inside), len(inside))}
            )
        return bands

    def _at(self, threshold: float) -> dict[str, Any]:
        """In-scope accuracy, out-of-scope recall and wrong answers at `threshold`."""
        answerable = sum(has_article for *_, has_article in self.seen)
        out_of_scope = len(self.seen) - answerable
        answered = [
            (right, has_article)
            for c, right, has_article in self.seen
            if c >= threshold and not _sent(right, has_article)
        ]
        right_answers = sum(right for right, _ in answered)
        oos_answered = sum(not has_article for _, has_article in answered)
        return {
            "threshold": threshold,
            "inscope_accuracy": _ratio(right_answers, answerable),
            "oos_recall": _ratio(out_of_scope - oos_answered, out_of_scope),
            "wrong_answers": len(answered) - right_answers,
        }


def evaluate(
    matcher: SupportsMatch,
    queries: list[LabelledQuery],
    *,
    answer_threshold: float,
    suggest_threshold: float,
    elsewhere: frozenset[str] = frozenset(),
) -> dict[str, Any]:
    """Quality and speed figures of `matcher` on `queries` (see the module docstring);
    `elsewhere`: the ids of the articles that send a question elsewhere."""

    def tally() -> _Tally:
        return _Tally(answer=answer_threshold, suggest=suggest_threshold, elsewhere=elsewhere)

    whole, languages = tally(), {"ru": tally(), "en": tally()}
    times: list[float] = []
    for query in queries:
        started = time.perf_counter()
        ranked = matcher.match(query.text, limit=_RANK_ALL)
        times.append((time.perf_counter() - started) * 1000)
        whole.add(query, ranked)
        languages[detect_language(query.text) or "en"].add(query, ranked)
    by_language = {
        language: {key: figures[key] for key in _PER_LANGUAGE}
        for language, part in languages.items()
        if (figures := part.figures())["n_queries"]
    }
    return whole.figures() | {
        "by_language": by_language if len(by_language) > 1 else {},
        "p50_ms": _percentile(times, 0.5),
        "p99_ms": _percentile(times, 0.99),
    }
