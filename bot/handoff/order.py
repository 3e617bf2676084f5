"""Messages to one conversation go out in the order they were written.

A conversation, here a lane, is where a reader sees messages one after the other: a user's
chat (every message to it, the bot's replies as well as an agent's words and the queue's
notices: the rows that name the user's `conversation`, which `put` finds by itself with
`conversation_in`), or on a desk the thread of one
handoff (its card, relays and notices), or the top of a desk (notices of no request). A
card edit changes its card rather than adding to a lane: it is in none (`cards.py` puts it
after its card).

`plan_order` holds a message back while an earlier one of its lane is pending outside the
batch being leased (put off after a 429 or a 5xx, or leased to someone sending it right
now); within a batch, a sender holds back the rest of a lane behind an item it puts off
(`OutboxItem.lane`). A turn whose user's chat still has messages waiting queues its replies
behind them instead of sending them at once (`waiting`). A lane that is stuck holds back no
other: another user's chat, or another handoff's thread in the same desk, goes on.

When the earlier message is done (sent, or failed for good), `release` makes the ones held
behind it due at once, and the sender is woken (`Outbox.sent` says so), so a reply queued
behind an answer being sent goes as soon as the answer is recorded, not up to RECHECK later.
The sender woken is that of the process that recorded it: with several instances it claims
for all of them, and the others' senders find the rows due at their next round.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta

from tortoise.expressions import Q
from tortoise.models import Model
from tortoise.queryset import QuerySet

from bot.handoff.cards import CARD_EDIT
from bot.handoff.outbox_port import Lane
from bot.storage.models import Conversation, Handoff, OutboxMessage

__all__ = ["RECHECK", "conversation_in", "lane_of", "plan_order", "release", "waiting"]

RECHECK = timedelta(seconds=1)  # the longest a held message waits before it is looked at again


async def conversation_in(
    platform: str, chat_id: str, handoff: Handoff | None
) -> Conversation | None:
    """The user's conversation a message to `chat_id` is part of; None for a desk's chat.
    With `handoff`: its user's, when the message goes to their chat (else it is for the
    desk); read from its `user` and `conversation` when they are loaded (as the desk's steps
    mostly have them, `queue.load_related`), else one query. Without: the conversation of
    the one user the bot talks with in that chat. A chat of several users (a group, Slack's
    /helpdesk in a channel) does not say whose a message is: one without a handoff must be
    given its conversation (`put`)."""
    if handoff is not None:
        conversation, user = handoff.conversation, handoff.user
        if _loaded(conversation) and _loaded(user) and conversation.user_id == user.id:
            theirs = conversation.chat_id == chat_id and user.platform == platform
            return conversation if theirs else None  # as the query below, without it
        mine = Conversation.filter(id=handoff.conversation_id, chat_id=chat_id)
        return await mine.filter(user__platform=platform).first()
    found = await Conversation.filter(user__platform=platform, chat_id=chat_id).limit(2)
    return found[0] if len(found) == 1 else None


def _loaded(relation: object) -> bool:
    """Whether a relation of a row was fetched already (else reading it is a query)."""
    return isinstance(relation, Model)


def lane_of(row: OutboxMessage) -> Lane | None:
    """The lane of a row: its user's chat, its handoff's thread on a desk, the top of a desk;
    None for a card edit."""
    if row.kind == CARD_EDIT:
        return None
    thread = None if row.conversation_id is not None else row.handoff_id
    return row.platform, row.chat_id, thread


async def waiting(platform: str, chat_id: str) -> bool:
    """Whether messages to the user's chat are still waiting to be delivered."""
    return await OutboxMessage.filter(
        platform=platform, chat_id=chat_id, status="pending", conversation_id__isnull=False
    ).exists()


async def plan_order(rows: Sequence[OutboxMessage], *, now: datetime) -> dict[int, datetime]:
    """The rows among `rows` (due rows about to be leased, oldest first) that must wait
    behind an earlier message of their lane, and until when; one query for the whole batch."""
    lanes = {row.id: lane for row in rows if (lane := lane_of(row)) is not None}
    if not lanes:
        return {}
    earlier = (
        OutboxMessage.filter(status="pending", id__lt=max(lanes))
        .filter(platform__in={p for p, _, _ in lanes.values()})
        .filter(chat_id__in={c for _, c, _ in lanes.values()})
        .exclude(id__in=[row.id for row in rows])
        .exclude(kind=CARD_EDIT)
        .order_by("id")
    )
    blocking: dict[Lane | None, OutboxMessage] = {}  # lane: its oldest pending row outside
    for row in await earlier:
        blocking.setdefault(lane_of(row), row)
    later: dict[int, datetime] = {}
    for row in rows:
        held = blocking.get(lanes.get(row.id))
        if held is not None and held.id < row.id:
            later[row.id] = min(max(held.available_at, now), now + RECHECK)
    return later


async def release(row: OutboxMessage, *, now: datetime) -> bool:
    """Make due at once the messages `plan_order` holds back behind `row`, in the transaction
    that records its outcome (sent, or failed for good), with `row` locked; whether there
    were any (once committed, wake the sender: they would wait up to RECHECK, and for its
    next round). They are the later pending ones of its lane due within RECHECK: a later
    time is a lease (being sent now) or a put-off, not a hold. They are locked first, so a
    claim that read `row` still pending and is holding them back (under its lock) is waited
    for, not missed; every lock is taken in the order of the ids, so none waits in a circle.
    """
    lane = lane_of(row)
    if lane is None:
        return False
    later = _in_lane(lane).filter(status="pending", id__gt=row.id)
    rows = await later.order_by("id").select_for_update()
    held = [r.id for r in rows if now < r.available_at <= now + RECHECK]
    if held:
        await OutboxMessage.filter(id__in=held).update(available_at=now)
    return bool(held)


def _in_lane(lane: Lane) -> QuerySet[OutboxMessage]:
    """The rows of `lane` (see `lane_of`)."""
    platform, chat_id, thread = lane
    rows = OutboxMessage.filter(platform=platform, chat_id=chat_id).exclude(kind=CARD_EDIT)
    if thread is None:  # the whole chat: a user's, or the top of a desk
        return rows.filter(Q(conversation_id__isnull=False) | Q(handoff_id__isnull=True))
    return rows.filter(conversation_id__isnull=True, handoff_id=thread)
