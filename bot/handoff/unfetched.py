"""Messages to chats that fetch their own (the web page asks for them) wait only so long.

Slack and Telegram take a message or refuse it, and the outbox gives one up after repeated
failures (`outbox.MAX_ATTEMPTS`). A web page that is never opened again refuses nothing: its
messages (an agent's late reply, a ticket's resolution) would stay pending for ever, the
outbox's oldest-unfetched gauge (`storage/gauges.py`) would only grow, and housekeeping,
which removes sent and given-up messages, would keep them. So one not fetched within its
platform's window is given up: failed, counted as the ticket view counts a message no
platform took ("given up on (not delivered)"), and removed by housekeeping as any given-up
message is. That is the outbox's record, not the chat's: a page opened later still shows it
among the chat's recent lines (`storage/history.py`), so a visitor back after a month reads
the agent's late reply, and a tab left open all the while (asleep) reads it with its next
poll, which brings what the tab missed (`PageOutbox.missed`).

A message handed to a page that never said it showed it (the tab closed during the poll, or
right after) is not delivered either: the outbox records delivery on the page's word only
(`DbOutbox.received`). While a page's lease on it runs it is left alone: the page has it now,
and its receipt, in the next poll, records it sent.

The web desk's page draws its requests from the database (reading them marks the messages to
it sent, `board.py`): giving up those nobody read hides nothing from agents.

The side that wrote it is not told, as `undelivered.py` tells of a relay that failed: a week
on, its request has most likely ended, and a web visitor, known by a browser's cookie only,
cannot be reached any other way; IT sees it in the ticket's view (`tickets show`).
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime, timedelta

from bot.storage.models import OutboxMessage

__all__ = ["give_up_unfetched"]

log = logging.getLogger(__name__)


async def give_up_unfetched(platform: str, *, window: timedelta, now: datetime) -> int:
    """Give up the pending messages to `platform` written more than `window` before `now`
    that no page holds now (never leased, or the lease ran out); how many."""
    now = now.astimezone(UTC)  # SQLite compares the stored UTC times as text
    count = await OutboxMessage.filter(
        platform=platform, status="pending", created_at__lt=now - window, available_at__lte=now
    ).update(status="failed")
    if count:
        log.info("gave up %d %s messages nobody fetched within %s", count, platform, window)
    return count
