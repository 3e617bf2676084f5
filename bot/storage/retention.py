"""Housekeeping: what the bot keeps only for a while.

- Inbound deliveries (with the platform's whole payload) are needed until handled, and their
  keys a while longer to spot a late redelivery: handled ones (and ones given up after
  repeated failures) go after `EVENTS`.
- Outbox messages, once sent or given up, matter while their request is live (a desk thread
  is found through them): those of requests that ended, and notices of none, go after
  `OUTBOX`.
- Pacing slots (`pacing.py`) hold nothing back a minute after their last message: those
  idle for `SLOTS` go.
- A reply's buttons (one row per button: the articles offered, "Helped", the ratings 1–5,
  the offices, a withdrawal) go after `BUTTONS`, pressed or not. Chats keep showing them for
  ever, but people press late within days (a rating asked on Friday, answered on Monday; a
  list of articles from last week), a few after a holiday; a month covers that. A press of
  one gone is told "that button no longer works", as a press of a key never stored is.
  With a retention period shorter than that, they go after it instead: what a user was
  offered tells what they asked.
- With a retention period set (HELPDESK_RETENTION_DAYS), what users wrote goes after it:
  the transcript, the unanswered questions, the "Helped" / "Didn't help" records, the
  comments given with a low rating (cleared; the rating stays) and a conversation's last
  question (cleared), and the copies of it kept for the reasons above: deliveries and the
  messages of ended requests go after the retention period when it is shorter than their
  window. A live request's messages stay while it lasts (its desk thread is found through
  them). Tickets and requests (the figures of the reports) stay. So does an agent's name
  (kept for the texts that name them) while they act: one who has not acted for that long
  is named by their id again.

Deleting is the same on every instance, so each may run it; no coordination is needed.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from datetime import datetime, timedelta
from typing import Any

from tortoise.expressions import Q, Subquery
from tortoise.models import Model
from tortoise.queryset import QuerySet

from bot.storage.events import MAX_FAILURES
from bot.storage.models import (
    ACTIVE_HANDOFF,
    Agent,
    ButtonAction,
    Conversation,
    Feedback,
    Handoff,
    InboundEvent,
    OutboxMessage,
    SendSlot,
    Ticket,
    TranscriptMessage,
    UnansweredQuestion,
)

__all__ = ["BUTTONS", "EVENTS", "OUTBOX", "SLOTS", "purge"]

log = logging.getLogger(__name__)

EVENTS = timedelta(days=7)  # far beyond Slack's and Telegram's retries
OUTBOX = timedelta(days=30)
SLOTS = timedelta(hours=1)
BUTTONS = timedelta(days=30)  # see above: late presses come within days, a holiday at most
BATCH = 1000  # rows deleted per statement (and transaction): see _in_batches


async def purge(now: datetime, *, retention: timedelta | None = None) -> dict[str, int]:
    """Delete what is no longer kept; how many rows of each kind went."""
    done = Q(handled_at__isnull=False) | Q(failures__gte=MAX_FAILURES)
    events, sent = _within(EVENTS, retention), _within(OUTBOX, retention)
    counts = {
        "inbound events": await _in_batches(InboundEvent, done, received_at__lt=now - events),
        "outbox messages": await _old_outbox(now - sent),
        "pacing slots": await SendSlot.filter(next_at__lt=(now - SLOTS).timestamp()).delete(),
        # The buttons' table holds about a month of replies and is read whole to find the old
        # ones (600,000 buttons: 0.1 s on PostgreSQL, 0.4 s on SQLite), four times a day: not
        # worth an index on `created_at` written with every reply's buttons.
        "buttons": await _in_batches(
            ButtonAction, created_at__lt=now - _within(BUTTONS, retention)
        ),
    }
    if retention is not None:
        before = now - retention
        counts["last questions"] = await _cleared_in_batches(
            Conversation, {"last_question": ""}, updated_at__lt=before, last_question__not=""
        )
        counts["transcript lines"] = await _in_batches(TranscriptMessage, created_at__lt=before)
        counts["unanswered questions"] = await _in_batches(
            UnansweredQuestion, created_at__lt=before
        )
        counts["feedback"] = await _in_batches(Feedback, created_at__lt=before)
        counts["rating comments"] = await _old_comments(before)
        counts["agent names"] = await Agent.filter(updated_at__lt=before).delete()
    if any(counts.values()):
        log.info("housekeeping deleted %s", counts)
    return counts


async def _old_comments(before: datetime) -> int:
    """Clear the comments given with ratings before `before` (the ratings stay: figures)."""
    cleared = 0
    for model in (Handoff, Ticket):
        cleared += await _cleared_in_batches(
            model, {"rating_comment": None}, rating_comment__isnull=False, rated_at__lt=before
        )
    return cleared


async def _old_outbox(before: datetime) -> int:
    """Sent or given-up messages from before `before` whose request (if any) has ended."""
    live = Subquery(Handoff.filter(status__in=ACTIVE_HANDOFF).values("id"))
    ended = Q(handoff_id__isnull=True) | ~Q(handoff_id__in=live)
    return await _in_batches(
        OutboxMessage, ended, status__in=("sent", "failed"), created_at__lt=before
    )


def _within(window: timedelta, retention: timedelta | None) -> timedelta:
    """How long rows of this kind stay: their own window, or the retention period if shorter
    (what a user wrote is in them: a delivery's payload, a relayed message, a card)."""
    return window if retention is None else min(window, retention)


async def _in_batches(model: type[Model], *where: Q, **old: Any) -> int:
    """Delete the rows matching `where` and `old`, at most BATCH per statement, each statement
    its own transaction: the first run after an upgrade (or after HELPDESK_RETENTION_DAYS is
    set) has a backlog of years to delete, and in one statement held the database's write
    lock for it (900,000 buttons: 8 s on SQLite; 500,000 deliveries and as many sent
    messages: 7 to 9 s; every reply waiting). Old rows are the first of the table, so each
    batch's scan stops soon."""
    return await _batched(model, lambda rows: rows.delete(), *where, **old)


async def _cleared_in_batches(
    model: type[Model], values: dict[str, Any], *where: Q, **old: Any
) -> int:
    """Set `values` (what clears a user's words) on the rows matching `where` and `old`, at
    most BATCH per statement, as `_in_batches` deletes: a first run with a retention period
    clears years of last questions and comments. A row so set must no longer match."""
    return await _batched(model, lambda rows: rows.update(**values), *where, **old)


async def _batched(
    model: type[Model],
    step: Callable[[QuerySet[Any]], Awaitable[int]],
    *where: Q,
    **old: Any,
) -> int:
    """Do `step` (a delete or an update) on the rows matching `where` and `old`, BATCH at a
    time, until a batch finds fewer; how many rows it took."""
    key = model._meta.pk_attr
    total = 0
    while True:
        batch = Subquery(model.filter(*where, **old).limit(BATCH).values(key))
        done = await step(model.filter(**{f"{key}__in": batch}))
        total += done
        if done < BATCH:
            return total
