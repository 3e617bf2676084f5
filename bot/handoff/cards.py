"""Card edits: the card on the desk shows what became of its handoff.

A claim, close, transfer, ticket or cancel queues an outbox item of kind "card_edit" for the
desk chat of the card: the card's own text with a status line under it and no buttons (so
nobody presses Claim on a handoff that is gone). A waiting handoff whose priority changed
gets its card rewritten, Claim button and all (`desk_card.refresh_card`): an edit with buttons
is a rewrite, and later status lines go under its text. An edit without buttons is always the
card, a `STATUS_BREAK` and one status line: a claimed card rewritten (its priority changed) is
one, its status line kept, and the card any such edit carries is what is above its last
`STATUS_BREAK`, later status lines going under that. A card posted with a note instead of
its Claim button (who picked up a ticket) keeps it: the note is part of the card, an edit
whose last line is that note carries it as the card's, and a status line goes under it (as
under the card as posted). An edit names no message: the card it
edits is the latest "card" row of the same handoff and chat written before it, and the channel
gets that card's platform message id as the item's `thread` when the edit is handed out.

`plan_edits` decides, for the edits a sender is about to lease, which may go now. An edit
waits while its card is not sent yet (a 429, a sender that was down) and while an earlier
edit of the same card is still pending, so edits apply after the card and in the order they
were made. An edit whose card was never delivered (it failed for good) has nothing to edit
and fails too.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from bot.storage.models import Handoff, OutboxMessage

__all__ = [
    "CARD",
    "CARD_EDIT",
    "STATUS_BREAK",
    "EditPlan",
    "card_edit_text",
    "card_status",
    "plan_edits",
]

CARD = "card"
CARD_EDIT = "card_edit"
STATUS_BREAK = "\n\n"  # between a card and the status line under it (none in a status line)
RECHECK = timedelta(seconds=5)  # the longest an edit waits before its card is looked at again


async def card_edit_text(handoff: Handoff, platform: str, chat_id: str, status: str) -> str | None:
    """The card of `handoff` in `chat_id` as it reads now, with `status` under it; None when
    it has no card there (a handoff that went to a ticket off hours never had one)."""
    text = await _card_text(handoff, platform, chat_id)
    return None if text is None else f"{text}{STATUS_BREAK}{status}"


async def _card_text(handoff: Handoff, platform: str, chat_id: str) -> str | None:
    """The card's text as it reads now: the card as posted, or the latest edit's (all of a
    rewrite with the Claim button, else what is above its status line); None without a
    card. Rows are only read here: a sender marks the card sent meanwhile, and writing it
    from a turn could deadlock."""
    row, note = await _latest(handoff, platform, chat_id)
    if row is None or row.kind == CARD or row.buttons:
        return None if row is None else row.text
    above, _, status = row.text.rpartition(STATUS_BREAK)
    return row.text if status == note else above


async def card_status(handoff: Handoff, platform: str, chat_id: str) -> str | None:
    """What is under the card as it reads now, for a rewrite to keep: its status line
    ("Claimed by bob"), under the note it was posted with if any (the note alone while
    nothing went under it); "" while it has its Claim button, None without a card."""
    row, note = await _latest(handoff, platform, chat_id)
    if row is None or row.buttons:
        return None if row is None else ""
    status = row.text.rpartition(STATUS_BREAK)[2]
    return status if status == note or not note else f"{note}{STATUS_BREAK}{status}"


async def _latest(
    handoff: Handoff, platform: str, chat_id: str
) -> tuple[OutboxMessage | None, str | None]:
    """The latest card or edit of `handoff` in the chat, and the note its card was posted
    with instead of its Claim button (who picked up a ticket), part of the card from then
    on (None for a card posted with the button): one query for both."""
    rows = await OutboxMessage.filter(
        handoff_id=handoff.id, platform=platform, chat_id=chat_id, kind__in=(CARD, CARD_EDIT)
    ).order_by("-id")
    card = next((row for row in rows if row.kind == CARD), None)
    note = None if card is None or card.buttons else card.text.rpartition(STATUS_BREAK)[2]
    return (rows[0] if rows else None), note


@dataclass
class EditPlan:
    """What to do with each edit row: hand it out (`refs`: the card's message id), put it
    off (`later`: until when) or fail it (`dead`: nothing to edit)."""

    refs: dict[int, str] = field(default_factory=dict)
    later: dict[int, datetime] = field(default_factory=dict)
    dead: set[int] = field(default_factory=set)


async def plan_edits(rows: list[OutboxMessage], *, now: datetime) -> EditPlan:
    """The plan for the "card_edit" rows among `rows` (the others are not looked at)."""
    plan = EditPlan()
    for row in rows:
        if row.kind != CARD_EDIT:
            continue
        card = await _card_of(row)
        if card is None or card.status == "failed" or (card.status == "sent" and not _ref(card)):
            plan.dead.add(row.id)
            continue
        blocking = card if card.status != "sent" else await _earlier_edit(row, card.id)
        if blocking is not None:
            plan.later[row.id] = min(max(blocking.available_at, now), now + RECHECK)
        else:
            plan.refs[row.id] = _ref(card)
    return plan


def _ref(card: OutboxMessage) -> str:
    return card.platform_message_id or ""


async def _card_of(edit: OutboxMessage) -> OutboxMessage | None:
    """The card `edit` is for: the latest card of its handoff and chat written before it."""
    return (
        await OutboxMessage.filter(handoff_id=edit.handoff_id, kind=CARD, id__lt=edit.id)
        .filter(platform=edit.platform, chat_id=edit.chat_id)
        .order_by("-id")
        .first()
    )


async def _earlier_edit(edit: OutboxMessage, card_id: int) -> OutboxMessage | None:
    """A pending edit of the same card made before `edit`: it goes first."""
    return (
        await OutboxMessage.filter(handoff_id=edit.handoff_id, kind=CARD_EDIT, status="pending")
        .filter(platform=edit.platform, chat_id=edit.chat_id, id__gt=card_id, id__lt=edit.id)
        .order_by("id")
        .first()
    )
