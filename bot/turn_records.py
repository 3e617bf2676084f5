"""What a turn stores of the user's answers (the dialog's `Record`s): a rating of the help
and the comment after a low one (which the team hears of), whether an answer helped, and the
questions the KB did not answer (its gaps, `gaps.py`). Texts are redacted before they are
stored, and cut to the stored length."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime

from bot.dialog_ratings import RATING_COMMENT
from bot.handoff.port import HandoffPort
from bot.ratings import LOW_RATING, RATE_CHAT, RATINGS
from bot.redact import redact
from bot.storage import repo
from bot.storage.models import Conversation
from bot.turns import Record

__all__ = ["store_records"]


async def store_records(
    conversation: Conversation,
    records: Sequence[Record],
    *,
    handoff: HandoffPort,
    limit: int,
    clock: Callable[[], datetime],
) -> None:
    """Store `records` (texts up to `limit` characters); a rating at `clock`'s time."""
    for record in records:
        if record.kind == RATING_COMMENT and record.about is not None:
            text = redact(record.question)[:limit]
            if await repo.comment_rating(conversation, *record.about, text):
                await handoff.rated_low(*record.about)
            continue
        if record.kind in RATINGS:
            if record.rating is not None:
                await _rate(conversation, record.kind, *record.rating, handoff=handoff, at=clock())
            continue
        question = redact(record.question)[:limit]
        if record.kind in ("helped", "not_helped") and record.article_id:
            helpful = record.kind == "helped"
            await repo.add_feedback(conversation, record.article_id, question, helpful=helpful)
        if record.kind != "helped":
            article = (record.article_id, record.confidence)
            await repo.add_unanswered(conversation, question, reason=record.reason, article=article)


async def _rate(
    conversation: Conversation,
    kind: str,
    number: int,
    score: int,
    *,
    handoff: HandoffPort,
    at: datetime,
) -> None:
    """Keep the rating; a low one is told to the team at once (what went wrong, if the
    user says it, follows): a user who writes no more still lets it know."""
    rate = repo.rate_handoff if kind == RATE_CHAT else repo.rate_ticket
    if await rate(conversation, number, score, now=at) and score <= LOW_RATING:
        await handoff.rated_low(kind, number)
