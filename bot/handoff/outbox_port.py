"""What a channel adapter is handed from the outbox and reports back (`outbox.py` keeps it).

`Outbox.claim` leases a batch of `OutboxItem`s to a sender; the sender reports each one
`sent` or `failed` (put off, or dropped for good). A turn's durable replies are leased to
their channel from the start (`put(..., leased=True)`, see `replies.py`): it reports on them
as `leased_reply` makes them. A report that lets messages held behind the item go (see
`bot/handoff/order.py`) says so, and the sender is woken for them.

Each lease of an item has a number, `OutboxItem.lease`: 1 (PUT_LEASE) for the lease `put`
gives its caller, one more at each claim. A sender reports on the item it was handed, lease
and all, so the report of a sender whose lease ran out and was taken by another instance
since is known for what it is: its `failed` is ignored (it would put off, or drop, what the
other is sending now, or undo its outcome), and its `sent` counts only while no outcome is
recorded (see `DbOutbox.sent`).

A long text goes to the platform as several messages: a sender counts the parts taken with
`Parts` (`bot/handoff/parts.py`), which `progress_of` gives it, recorded as it goes.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Final, Protocol

from bot.handoff.lease import LEASE
from bot.handoff.parts import Parts
from bot.handoff.replies import REPLY
from bot.messages import Attachment, Button, Reply

__all__ = [
    "PUT_LEASE",
    "Lane",
    "Missed",
    "Outbox",
    "OutboxItem",
    "PageOutbox",
    "Parts",
    "leased_reply",
    "progress_of",
]

PUT_LEASE: Final = 1  # the lease `put(..., leased=True)` gives its caller: the item's first
Lane = tuple[str, str, int | None]  # platform, chat, handoff (None: the whole chat): order.py


@dataclass(frozen=True, slots=True)
class OutboxItem:
    """One message to deliver: Markdown `text` to `chat_id` on `platform`.

    `thread` is the desk's id of the handoff card this belongs under (None: post at the top,
    the card itself, or a message to the user's chat), `kind` is "card", "relay", "notice",
    "alert" (a notice that warns), "off_duty_alert" (one of a request ticketed off duty),
    "reply" (the bot's answer in a user's chat) or "card_edit" (see `bot/handoff/cards.py`:
    `thread` is then the card to change, `text` its new text).
    With an `attachment` the item passes that file on, and `text` is the line said instead
    when it cannot go (too large, gone, or a chat without uploads).
    `lease` is the number of the sender's lease (see the module's docstring); `parts_sent`
    how many of the item's messages the platform took in earlier attempts: send the rest.
    `lane` is the conversation it is part of (`bot/handoff/order.py`): an item put off holds
    back the later ones of its lane in the batch (None: it holds back nothing).
    `created_at`: when it was written (a chat that shows times shows it).
    """

    id: int
    platform: str
    chat_id: str
    text: str
    kind: str
    handoff_id: int | None = None
    thread: str | None = None
    buttons: tuple[Button, ...] = ()
    attachment: Attachment | None = None
    # The handoff's (or the reply's) user, their id on the platform: whose buttons these are,
    # and for a chat that names no one a message can go to by itself (Slack's /helpdesk in a
    # channel: the channel sender opens a DM).
    user: str | None = None
    lease: int = 0  # 0: made up, never reported (a real one is PUT_LEASE or later)
    parts_sent: int = 0
    lane: Lane | None = None
    created_at: datetime | None = None


class Outbox(Protocol):
    """What a channel adapter needs to deliver the core's outbound messages."""

    async def claim(
        self,
        platform: str,
        *,
        chat_id: str | None = None,
        limit: int = 20,
        lease: timedelta = LEASE,
    ) -> list[OutboxItem]:
        """Lease up to `limit` due items of `platform` (of one chat, if given), oldest first,
        for `lease`."""
        ...

    async def sent(self, item: OutboxItem, *, message_id: str | None = None) -> bool:
        """The platform took the item (the rest of its parts); `message_id` is its id there.
        True: messages of its lane held behind it are due now; wake the outbox's sender."""
        ...

    async def failed(
        self, item: OutboxItem, *, retry_after: timedelta | None = None, parts_sent: int = 0
    ) -> bool:
        """Delivery failed: try again after `retry_after`, or never (None); the platform took
        `parts_sent` of the item's parts in all (the next attempt goes on after them).
        True: it failed for good, and the messages held behind it are due now (see `sent`)."""
        ...

    async def progress(self, item: OutboxItem, *, parts_sent: int) -> None:
        """The platform has taken `parts_sent` of the item's parts so far; more are to come."""
        ...


@dataclass(frozen=True, slots=True)
class Missed:
    """What a page of a chat was not handed by its own poll: `items`, the chat's messages
    another page of it showed or that were given up (`unfetched.py`), without their buttons
    (which were pressed is not known; a history does the same); `upto`, the id up to which
    the page now has every message of the chat (the `after` of its next poll)."""

    items: list[OutboxItem]
    upto: int


class PageOutbox(Protocol):
    """The outbox as a chat that asks for its messages sees it (the web page): it leases
    them for a short while, says which ones it has shown, and reads those it missed."""

    async def claim(
        self, platform: str, *, chat_id: str | None = None, limit: int = 20, lease: timedelta
    ) -> list[OutboxItem]:
        """`Outbox.claim`."""
        ...

    async def received(self, platform: str, chat_id: str, ids: Collection[int]) -> None:
        """The chat has shown the items `ids` (only its own count)."""
        ...

    async def missed(
        self, platform: str, chat_id: str, *, after: int | None, handed: Collection[int]
    ) -> Missed:
        """The chat's messages after the id `after` that a page of it was not `handed` by
        its poll just now, oldest first (None: a page that has none of them yet starts
        after the chat's newest message)."""
        ...


def progress_of(item: OutboxItem, outbox: Outbox) -> Parts:
    """The count of the item's parts for its sender: from what was taken before, each one
    taken now recorded with `outbox` as it goes (see the module's docstring)."""

    async def record(taken: int) -> None:
        await outbox.progress(item, parts_sent=taken)

    return Parts(item.parts_sent, record)


def leased_reply(platform: str, chat_id: str, reply: Reply) -> OutboxItem:
    """A turn's durable reply (`reply.outbox_id`, see `replies.py`) as the item its channel
    reports on: under the lease the turn took with `put(..., leased=True)`."""
    return OutboxItem(
        reply.outbox_id or 0,
        platform,
        chat_id,
        reply.text,
        REPLY,
        buttons=reply.buttons,
        lease=PUT_LEASE,
        lane=(platform, chat_id, None),  # the user's chat
    )
