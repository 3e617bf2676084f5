"""Inbound deliveries: recorded before they are acknowledged, handled once.

A channel that must acknowledge fast (Slack's 3 seconds, a Telegram webhook) calls `accept`
first, acknowledges, then handles; one that can wait (the web chat) just handles. Either way
`claim` inside the handling transaction lets exactly one handler through, and `unhandled`
finds what a crash left between the two.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from datetime import UTC, datetime, timedelta

from tortoise.exceptions import IntegrityError
from tortoise.transactions import in_transaction

from bot.storage.models import InboundEvent

__all__ = [
    "MAX_FAILURES",
    "accept",
    "claim",
    "failed",
    "first_of",
    "mark_handled",
    "note_failure",
    "nothing_to_do",
    "unhandled",
]

log = logging.getLogger(__name__)

# A delivery whose handling failed this many times is not retried again (a "poison" message
# would otherwise get the user an apology on every recovery sweep, forever).
MAX_FAILURES = 3


async def accept(
    platform: str, key: str, payload: Mapping[str, object], *, handled: datetime | None = None
) -> bool:
    """Record a delivery (`handled`: as handled then); False when it was recorded before (a
    redelivery)."""
    try:
        async with in_transaction():  # a savepoint when nested: a clash keeps the outer one
            await InboundEvent.create(
                platform=platform, key=key, payload=dict(payload), handled_at=handled
            )
    except IntegrityError:
        return False
    return True


async def first_of(platform: str, key: str) -> bool:
    """Whether this is the first delivery of a whole (`key`: one sent as several, as an
    album's files are); recorded as handled, with nothing to handle again."""
    return await accept(platform, key, {}, handled=datetime.now(UTC))


async def claim(platform: str, key: str, payload: Mapping[str, object]) -> InboundEvent | None:
    """Inside a transaction: the delivery's record, locked, or None if already handled."""
    await accept(platform, key, payload)
    event = await InboundEvent.filter(platform=platform, key=key).select_for_update().first()
    if event is None or event.handled_at is not None:
        return None
    return event


async def mark_handled(event: InboundEvent) -> None:
    """The delivery's replies are decided and stored."""
    event.handled_at = datetime.now(UTC)
    await event.save(update_fields=["handled_at"])


async def nothing_to_do(platform: str, key: str) -> None:
    """The delivery needs no handling (agents talking among themselves at a desk): marked
    handled, so no recovery sweep takes it up again."""
    now = datetime.now(UTC)
    await InboundEvent.filter(platform=platform, key=key, handled_at=None).update(handled_at=now)


async def failed(platform: str, key: str) -> int:
    """Count a failed handling of the delivery (outside the failed turn's transaction); the
    failures so far (0 when it was never recorded)."""
    async with in_transaction():
        event = await InboundEvent.filter(platform=platform, key=key).select_for_update().first()
        if event is None:
            return 0
        event.failures += 1
        await event.save(update_fields=["failures"])
        return event.failures


async def note_failure(platform: str, key: str) -> None:
    """Count a failed handling (`failed`), best effort (the database may be what failed the
    turn): a count that fails is logged, and so is a delivery given up on."""
    try:
        failures = await failed(platform, key)
    except Exception:
        log.exception("could not count the failure of delivery %s", key)
        return
    if failures >= MAX_FAILURES:
        log.error("giving up on %s delivery %s after %d failures", platform, key, failures)


async def unhandled(platform: str, *, older_than: timedelta) -> list[InboundEvent]:
    """Deliveries accepted but not handled for `older_than` (a crash in between), except the
    ones whose handling failed MAX_FAILURES times."""
    before = datetime.now(UTC) - older_than
    return await InboundEvent.filter(
        platform=platform, handled_at=None, received_at__lt=before, failures__lt=MAX_FAILURES
    ).order_by("id")
