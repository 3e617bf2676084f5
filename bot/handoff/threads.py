"""Which request a message at a chat desk belongs to (`Desk.thread_of`): the one whose card
is the thread it was written in, or whose relay or notice it answers (a reply chain).

A card's id on the platform is known only once the platform has answered the sender, and
the sender records it a moment later (`Outbox.sent`); the platform may show the card before
it answers (a slow Bot API or Web API). An agent who answers in that moment writes under a
message no request names yet, and was told "no such request" (Telegram) or ignored (Slack):
their words were lost. So a message found under no request while a card to that desk is
leased to a sender (pending, taken, its lease not run out) is looked up again, after each
`pause`, until it is found or no card is in flight any more (what it answers was some other
message), for SETTLE at most.

A message found at once (nearly every one) costs that one look. Then each round asks whether
a card is in flight *before* it looks the message up: a card
recorded after the question is found by the lookup, or by the next round's (the question
said it was in flight); one recorded before is found by the lookup. The other way round (the
first version of this wait, reverted), a card recorded between the lookup and the question
read as "nothing in flight any more", and the reply was refused with its card right there:
rare, and likelier the busier the machine (each query waits longer for its turn), which is
why its tests failed only under load.

Only cards count: a card edit or a notice held back behind an unsent card (`order.py`) is
no message an agent answers in that moment, and one put off for a while would keep every
stray reply at the desk waiting. The lease (`lease.py`) bounds the wait as well: a sender
reports within SEND_WITHIN, and a dead one's lease runs out.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from datetime import datetime, timedelta
from typing import Final

from bot.handoff.cards import CARD
from bot.storage.models import ACTIVE_HANDOFF, Handoff, OutboxMessage

__all__ = ["SETTLE", "Pause", "again", "thread_of"]

# Far longer than recording a sent card takes (a busy database included). It ends the wait
# only when a card stays in flight that long: a slow platform that has not shown it either,
# or a card put off (a 429), which no agent can have answered.
SETTLE: Final = timedelta(seconds=10)
_AGAIN: Final = 0.05  # seconds between two looks

Pause = Callable[[], Awaitable[None]]  # the wait between two looks


async def again() -> None:
    """The usual pause between two looks."""
    await asyncio.sleep(_AGAIN)


async def thread_of(
    desk: str,
    ref: str,
    *,
    clock: Callable[[], datetime],
    pause: Pause = again,
    settle: timedelta = SETTLE,
) -> int | None:
    """The active handoff whose card, or a message of its thread, is `ref` on `desk`
    ("platform:chat"), waiting (see above) for a card being recorded."""
    if (found := await _lookup(desk, ref)) is not None:  # as a reply almost always is
        return found
    loop = asyncio.get_running_loop()
    until = loop.time() + settle.total_seconds()
    while True:
        flying = await _card_in_flight(desk, clock())  # first: see the module's docstring
        found = await _lookup(desk, ref)
        if found is not None or not flying or loop.time() >= until:
            return found
        await pause()


async def _lookup(desk: str, ref: str) -> int | None:
    handoff = await Handoff.filter(desk=desk, desk_ref=ref, status__in=ACTIVE_HANDOFF).first()
    if handoff is None:  # a reply to a relay or notice under the card (a reply chain)
        platform, _, chat = desk.partition(":")
        sent = await OutboxMessage.filter(
            platform=platform, chat_id=chat, platform_message_id=ref, handoff_id__isnull=False
        ).first()
        found = sent and sent.handoff_id
        active = Handoff.filter(id=found or 0, desk=desk, status__in=ACTIVE_HANDOFF)
        handoff = await active.first()
    return None if handoff is None else handoff.id


async def _card_in_flight(desk: str, now: datetime) -> bool:
    """Whether a card to `desk` is leased to a sender now: perhaps on the platform already,
    its id not recorded yet."""
    platform, _, chat = desk.partition(":")
    return await OutboxMessage.filter(
        platform=platform,
        chat_id=chat,
        kind=CARD,
        status="pending",
        attempts__gt=0,
        available_at__gt=now,
    ).exists()
