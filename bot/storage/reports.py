"""Read-only queries behind the support leads' reports; plain values out."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import datetime

from bot.storage.models import Feedback, UnansweredQuestion

__all__ = ["MissedQuestion", "feedback_counts", "missed_questions"]


@dataclass(frozen=True, slots=True)
class MissedQuestion:
    """A question the KB did not answer: no match, "none of these" or "didn't help"."""

    text: str
    language: str
    reason: str
    article_id: str | None  # the nearest article (too weak), or the one that did not help
    confidence: float | None
    at: datetime


async def missed_questions(since: datetime) -> list[MissedQuestion]:
    """Every question the KB did not answer since `since`, newest first."""
    rows = await UnansweredQuestion.filter(created_at__gte=since).order_by("-created_at", "-id")
    return [
        MissedQuestion(
            row.text,
            row.language,
            row.reason,
            row.best_article_id,
            row.best_confidence,
            row.created_at,
        )
        for row in rows
    ]


async def feedback_counts(since: datetime) -> dict[str, tuple[int, int]]:
    """Per article: how many answers since `since` were marked helped and didn't help."""
    rows = await Feedback.filter(created_at__gte=since).values_list("article_id", "helpful")
    counts = Counter((str(article), bool(helpful)) for article, helpful in rows)
    articles = {article for article, _ in counts}
    return {a: (counts[(a, True)], counts[(a, False)]) for a in sorted(articles)}
