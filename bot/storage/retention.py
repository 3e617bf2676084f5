"""Housekeeping: what the bot keeps only for a while.

- Inbound deliveries (with the platform's whole payload) are needed until handled, and their
  keys a while longer to spot a late redelivery: handled ones (and ones given up after
  repeated failures) go after `EVENTS`.
- Outbox messages, once sent or given up, matter while their request is live (a desk thread
  is found through them): those of requests that ended, and notices of none, go after
  `OUTBOX`.
- Pacing slots (`pacing.py`) hold nothing back a minute after their last message: those
  idle for `SLOTS` go.
- With a retention period set (HELPDESK_RETENTION_DAYS), what users wrote goes after it:
  the transcript, the unanswered questions and the "Helped" / "Didn't help" records. Tickets
  and requests (the figures of the reports) stay.

Deleting is the same on every instance, so each may run it; no coordination is needed.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from tortoise.expressions import Q, Subquery

from bot.storage.events import MAX_FAILURES
from bot.storage.models import (
    ACTIVE_HANDOFF,
    Feedback,
    Handoff,
    InboundEvent,
    OutboxMessage,
    SendSlot,
    TranscriptMessage,
    UnansweredQuestion,
)

__all__ = ["EVENTS", "OUTBOX", "SLOTS", "purge"]

log = logging.getLogger(__name__)

EVENTS = timedelta(days=7)  # far beyond Slack's and Telegram's retries
OUTBOX = timedelta(days=30)
SLOTS = timedelta(hours=1)


async def purge(now: datetime, *, retention: timedelta | None = None) -> dict[str, int]:
    """Delete what is no longer kept; how many rows of each kind went."""
    done = Q(handled_at__isnull=False) | Q(failures__gte=MAX_FAILURES)
    counts = {
        "inbound events": await InboundEvent.filter(done, received_at__lt=now - EVENTS).delete(),
        "outbox messages": await _old_outbox(now - OUTBOX),
        "pacing slots": await SendSlot.filter(next_at__lt=(now - SLOTS).timestamp()).delete(),
    }
    if retention is not None:
        before = now - retention
        counts["transcript lines"] = await TranscriptMessage.filter(created_at__lt=before).delete()
        counts["unanswered questions"] = await UnansweredQuestion.filter(
            created_at__lt=before
        ).delete()
        counts["feedback"] = await Feedback.filter(created_at__lt=before).delete()
    if any(counts.values()):
        log.info("housekeeping deleted %s", counts)
    return counts


async def _old_outbox(before: datetime) -> int:
    """Sent or given-up messages from before `before` whose request (if any) has ended."""
    live = Subquery(Handoff.filter(status__in=ACTIVE_HANDOFF).values("id"))
    old = OutboxMessage.filter(status__in=("sent", "failed"), created_at__lt=before)
    return await old.filter(Q(handoff_id__isnull=True) | ~Q(handoff_id__in=live)).delete()
