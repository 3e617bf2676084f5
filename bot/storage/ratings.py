"""The users' ratings of the help they had: 1–5 on a closed chat or a resolved ticket (once;
a ticket once per resolution), and what went wrong after a low one."""

from __future__ import annotations

from datetime import UTC, datetime

from tortoise.expressions import F, Q
from tortoise.queryset import QuerySet

from bot.ratings import RATE_CHAT
from bot.storage.models import Conversation, Handoff, Ticket

__all__ = ["comment_rating", "rate_handoff", "rate_ticket"]


async def rate_handoff(
    conversation: Conversation, handoff_id: int, score: int, *, now: datetime | None = None
) -> bool:
    """Keep the user's 1–5 for a closed handoff of theirs (once), rated at `now`."""
    unrated = Handoff.filter(id=handoff_id, status="closed", rating__isnull=True)
    return await _rate(unrated, conversation, score, now)


async def rate_ticket(
    conversation: Conversation, number: int, score: int, *, now: datetime | None = None
) -> bool:
    """Keep the user's 1–5 for a resolved ticket of theirs, once per resolution: a rating
    from before the user reopened it gives way to that of its new one (and the comment on
    it goes); a withdrawn one is not rated (nobody helped)."""
    unrated = Q(rating__isnull=True) | Q(reopened_at__gt=F("rated_at"))
    resolved = Ticket.filter(unrated, id=number, status="resolved")
    return await _rate(resolved, conversation, score, now)


async def _rate(
    rows: QuerySet[Handoff] | QuerySet[Ticket],
    conversation: Conversation,
    score: int,
    now: datetime | None,
) -> bool:
    """Keep `score` on the one row of `rows` if it is the conversation's user's."""
    mine = rows.filter(user_id=conversation.user_id)
    rated = await mine.update(rating=score, rated_at=now or datetime.now(UTC), rating_comment=None)
    return bool(rated)


async def comment_rating(conversation: Conversation, rated: str, number: int, text: str) -> bool:
    """Keep the user's `text` (what went wrong) with their rating of a handoff (`rated`:
    RATE_CHAT) or a ticket (RATE_TICKET), once."""
    rows = Handoff.filter(id=number) if rated == RATE_CHAT else Ticket.filter(id=number)
    mine = rows.filter(user_id=conversation.user_id, rating__isnull=False)
    return bool(await mine.filter(rating_comment__isnull=True).update(rating_comment=text))
