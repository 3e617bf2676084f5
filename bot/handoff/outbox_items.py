"""What a claimed outbox row is handed out as: the `OutboxItem` its sender delivers.

An item carries what its row does, and what the sender needs from around it: the thread it
goes under (a handoff's card on the desk, once sent; a message to the user's chat goes under
none: the card is a message of the desk, whose id means nothing, or something else, there),
and the user it is about, as their platform knows them (whose buttons these are, and whom
a DM reaches).

A chat that asks for its messages (the web page) also reads back those of its messages that
its poll was not handed (`missed`): shown by another page of the chat, or given up.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from typing import Final

from tortoise.queryset import QuerySet

from bot.handoff.cards import CARD, CARD_EDIT
from bot.handoff.order import lane_of
from bot.handoff.outbox_port import Missed, OutboxItem
from bot.messages import Attachment, Button
from bot.storage.models import Conversation, Handoff, OutboxMessage

__all__ = ["handed_out", "missed"]

_MISSED: Final = 50  # read back by one poll at most (a tab back after a week: the next brings more)


async def handed_out(rows: Sequence[OutboxMessage], cards: dict[int, str]) -> list[OutboxItem]:
    """The items for `rows`, leased under their `attempts`; `cards`: the card each card edit
    among them changes (its message id). Three queries at most."""
    handoff_ids = [r.handoff_id for r in rows if r.handoff_id is not None]
    users, posted = await _users(handoff_ids), await _posted_cards(handoff_ids)
    askers = await _askers([r.conversation_id for r in rows if r.conversation_id is not None])
    return [
        _item(
            r,
            cards.get(r.id) or _thread_of(r, posted),
            users.get(r.handoff_id) or askers.get(r.conversation_id),
        )
        for r in rows
    ]


def _item(row: OutboxMessage, thread: str | None, user: str | None) -> OutboxItem:
    buttons = tuple(Button(label, key) for label, key in row.buttons)
    file = None if row.attachment is None else Attachment.from_json(row.attachment)
    return OutboxItem(
        row.id,
        row.platform,
        row.chat_id,
        row.text,
        row.kind,
        row.handoff_id,
        thread,
        buttons,
        file,
        user,
        lease=row.attempts,
        parts_sent=row.parts_sent,
        lane=lane_of(row),
        created_at=row.created_at,
    )


_Cards = dict[tuple[int, str, str], list[tuple[int, str]]]  # (handoff, platform, chat): cards


def _thread_of(row: OutboxMessage, posted: _Cards) -> str | None:
    """The card a desk message goes under: its handoff's latest card in the same desk chat
    posted before it. Not the handoff's `desk_ref`, the card on its desk now: after a
    transfer that is the new team's card, and the old desk's line about the move went under
    a message id of another chat (at the top of a Telegram group, into no Slack thread).
    None for the card itself (or its edit: the caller knows that card) and for a message to
    the user's chat."""
    if row.kind in (CARD, CARD_EDIT) or row.conversation_id is not None or row.handoff_id is None:
        return None
    earlier = posted.get((row.handoff_id, row.platform, row.chat_id), [])
    return next((ref for card, ref in reversed(earlier) if card < row.id), None)


async def _posted_cards(handoff_ids: list[int]) -> _Cards:
    """The cards of these handoffs that a desk took (with its message id), oldest first, by
    handoff and desk chat; one query."""
    if not handoff_ids:
        return {}
    rows = await (
        OutboxMessage.filter(handoff_id__in=handoff_ids, kind=CARD, status="sent")
        .order_by("id")
        .values_list("handoff_id", "platform", "chat_id", "id", "platform_message_id")
    )
    found: _Cards = {}
    for handoff, platform, chat, card, ref in rows:
        if ref:
            found.setdefault((int(handoff), str(platform), str(chat)), []).append((int(card), ref))
    return found


async def _users(handoff_ids: list[int]) -> dict[int | None, str]:
    """Each handoff's user as their platform knows them; one query."""
    if not handoff_ids:
        return {}
    rows = await Handoff.filter(id__in=handoff_ids).values_list("id", "user__external_id")
    return {int(h): str(user) for h, user in rows}


async def _askers(conversation_ids: list[int]) -> dict[int | None, str]:
    """The user of each conversation (replies answer in it), as their platform knows them."""
    if not conversation_ids:
        return {}
    rows = await Conversation.filter(id__in=conversation_ids).values_list("id", "user__external_id")
    return {int(c): str(user) for c, user in rows}


async def missed(
    platform: str, chat_id: str, *, after: int | None, handed: Collection[int]
) -> Missed:
    """`PageOutbox.missed`: the rows of the chat after `after`, up to the first one pending
    that the poll was not handed (another page of the chat holds it now, or it waits its
    turn): it comes with a poll, or from that page, and is read back once done, should that
    page not pass it on. One query, on the (platform, chat) index."""
    chat = OutboxMessage.filter(platform=platform, chat_id=chat_id)
    if after is None:
        return Missed([], await _start(chat, handed))
    items, upto = [], after
    for row in await chat.filter(id__gt=after).order_by("id").limit(_MISSED):
        if row.id not in handed:
            if row.status == "pending":
                break
            items.append(
                OutboxItem(row.id, platform, chat_id, row.text, row.kind, created_at=row.created_at)
            )
        upto = row.id
    return Missed(items, upto)


async def _start(chat: QuerySet[OutboxMessage], handed: Collection[int]) -> int:
    """Where a page that has none of the chat's messages yet starts: after its newest one,
    or before the first one pending that its poll was not handed (see `missed`)."""
    held = chat.filter(status="pending").exclude(id__in=list(handed))
    if first := await held.order_by("id").only("id").first():
        return first.id - 1
    newest = await chat.order_by("-id").only("id").first()
    return 0 if newest is None else newest.id
