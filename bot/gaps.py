"""The KB's gaps, for support leads (`helpdesk-bot kb gaps`; `bot/gaps_text.py` prints them).

The questions the KB did not answer (no match, "none of these", "didn't help", and those an
agent then answered with an article, `!kb`), counted by the article they came nearest to, that
did not help, or that the agent sent; each article's "Helped" / "Didn't help" tally; and the
questions asked most often. `labelling_template` writes the questions as lines of `kb eval`'s
format, to be labelled and kept as a test set for the KB: where an agent sent an article, it
is already filled in as the expected one (and a good new example question for it).
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field

from bot.handoff.articles import AGENT_ARTICLE
from bot.knowledge.jsonl import UNLABELLED
from bot.storage.reports import MissedQuestion
from bot.turns import ELSEWHERE

__all__ = [
    "REASONS",
    "ArticleGap",
    "by_article",
    "frequent",
    "labelling_template",
    "question_key",
]

# Why a question was kept, in the report's order (bot/locales/reports.yaml: `reason_<it>`).
REASONS = ("no_match", "none_of_these", "not_helped", AGENT_ARTICLE, ELSEWHERE)


@dataclass(slots=True)
class ArticleGap:
    """One article's misses by reason and its feedback."""

    article_id: str | None
    missed: Counter[str] = field(default_factory=Counter)
    helped: int = 0
    not_helped: int = 0

    @property
    def helpful_share(self) -> float | None:
        rated = self.helped + self.not_helped
        return self.helped / rated if rated else None


def by_article(
    missed: Sequence[MissedQuestion], feedback: dict[str, tuple[int, int]], *, near: float = 0.0
) -> list[ArticleGap]:
    """Articles with misses or feedback: most misses first, then the least helpful. A question
    with no match counts for its nearest article only if it came `near` (the suggest
    threshold): "кто выиграл матч вчера" at 0.03 is no gap of the article it happened to
    score highest on."""
    gaps: dict[str | None, ArticleGap] = {}
    for question in missed:
        article = _near(question, near)
        gap = gaps.setdefault(article, ArticleGap(article))
        gap.missed[question.reason] += 1
    for article, (helped, not_helped) in feedback.items():
        gap = gaps.setdefault(article, ArticleGap(article))
        gap.helped, gap.not_helped = helped, not_helped

    def order(gap: ArticleGap) -> tuple[int, int, float, str]:
        share = gap.helpful_share
        missed = gap.missed.total() - gap.missed[ELSEWHERE]  # sent elsewhere: not a gap
        return (
            -missed,
            -gap.missed[ELSEWHERE],
            1.0 if share is None else share,
            gap.article_id or "",
        )

    return sorted(gaps.values(), key=order)


def _near(question: MissedQuestion, near: float) -> str | None:
    """The article a missed question counts for (None: none came near)."""
    weak = question.reason == "no_match" and (question.confidence or 0.0) < near
    return None if weak else question.article_id


def frequent(missed: Sequence[MissedQuestion], limit: int) -> list[tuple[int, MissedQuestion]]:
    """The questions asked most often (same words, any case or spacing), each with its count
    and its newest asking; ties go to the newer."""
    counts: Counter[str] = Counter()
    newest: dict[str, MissedQuestion] = {}
    for question in missed:  # newest first
        key = question_key(question.text)
        counts[key] += 1
        newest.setdefault(key, question)
    keys = sorted(counts, key=lambda k: (-counts[k], -newest[k].at.timestamp()))
    return [(counts[k], newest[k]) for k in keys[:limit]]


def labelling_template(missed: Sequence[MissedQuestion]) -> Iterator[str]:
    """One `kb eval` line per question (the same words once), with what the bot did.
    `expected` is the article an agent sent for it, if one did (several: a list); else
    `UNLABELLED`, for a person to replace with the id of the article that should answer it (or
    null if none should: null left for them would read as that), `nearest` their hint."""
    sent: dict[str, set[str]] = {}
    for question in missed:
        if question.reason == AGENT_ARTICLE and question.article_id:
            sent.setdefault(question_key(question.text), set()).add(question.article_id)
    written: set[str] = set()
    for question in missed:  # newest first: each question's newest asking is written
        key = question_key(question.text)
        if key in written:
            continue
        written.add(key)
        ids = sorted(sent.get(key, []))
        yield json.dumps(
            {
                "text": question.text,
                "expected": (ids[0] if len(ids) == 1 else ids) if ids else UNLABELLED,
                "reason": question.reason,
                "nearest": question.article_id,
                "confidence": question.confidence,
                "language": question.language,
                "at": question.at.isoformat(),
            },
            ensure_ascii=False,
        )


def question_key(text: str) -> str:
    """The same words, whatever their case or spacing."""
    return " ".join(text.casefold().split())
