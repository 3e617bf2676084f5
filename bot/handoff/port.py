"""The handoff port: what the dialog calls when a person is needed.

`TicketDesk` opens a ticket at once (no teams configured); `LiveHandoff` queues the
conversation for a team's agents and, as the engine's `Takeover`, takes the user's messages
before the dialog sees them while a handoff is active.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Final, Protocol

from bot.messages import Attachment, UserRef

__all__ = [
    "REOPEN",
    "REOPEN_DAYS",
    "TAKEOVER_COMMANDS",
    "HandoffPort",
    "HandoffRequest",
    "HandoffResult",
    "Reopening",
    "Takeover",
    "Withdrawal",
]

# The commands a `Takeover` is given while a handoff is active (LiveHandoff.intercept):
# /cancel and /stop leave it, /start is told where the request is. Any other command is the
# bot's to answer (bot/dialog_commands.py), never relayed to the agent.
TAKEOVER_COMMANDS: Final = frozenset({"cancel", "stop", "start"})

# The action of a button "Still not solved" (a resolved ticket's notice, the ticket list)
REOPEN: Final = "reopen"
# How many days after its resolution a user may reopen a ticket (0: never): the default of
# HELPDESK_TICKET_REOPEN_DAYS, and of every part given no setting (tests' queues)
REOPEN_DAYS: Final = 7


@dataclass(frozen=True, slots=True)
class HandoffRequest:
    """Who needs a person, about what, and what the KB already tried."""

    user_db_id: int
    conversation_db_id: int
    question: str
    reason: str
    language: str
    tried_articles: tuple[str, ...] = ()
    priority: str = "normal"
    team: str | None = None
    tried_titles: tuple[str, ...] = ()
    office: str | None = None  # the user's office, if they named one (/office)
    on_site: bool = False  # a tried article says the job needs hands on site
    # The question is what the user wrote since their last request, unknown to the KB, and
    # this one names no problem ("human"): more about their open ticket of this chat, if any
    follow_up: bool = False


@dataclass(frozen=True, slots=True)
class HandoffResult:
    """What happened: a ticket number, and/or the text the user is told instead of the default."""

    ticket_id: int | None = None
    text: str | None = None
    due: datetime | None = None  # a new ticket's first response is due by then
    already: bool = False  # `ticket_id` is the user's open ticket: no new one was opened


@dataclass(frozen=True, slots=True)
class Withdrawal:
    """What became of a user's wish to withdraw their ticket `number`: `done` when it was
    open and is withdrawn now; else `status` says why not (None: they have no such ticket)."""

    number: int
    done: bool = False
    status: str | None = None
    subject: str = ""


@dataclass(frozen=True, slots=True)
class Reopening:
    """What became of a user's wish to reopen their resolved ticket `number`: `done` when it
    is open again now; else `status` says why not (None: they have no such ticket; "resolved":
    too long ago, or reopening is off)."""

    number: int
    done: bool = False
    status: str | None = None
    subject: str = ""


class HandoffPort(Protocol):
    """Passes a conversation to people."""

    async def hand_off(self, request: HandoffRequest) -> HandoffResult:
        """Queue, ticket or whatever the deployment does; returns what the user is told."""
        ...

    async def withdraw(self, user_db_id: int, number: int) -> Withdrawal:
        """The user withdraws their open ticket `number`; its team (if any) is told."""
        ...

    async def reopen(self, user_db_id: int, number: int) -> Reopening:
        """The user reopens their ticket `number`, resolved within the reopen window: open
        again for its team, which (if any) is told."""
        ...

    async def raise_priority(self, user_db_id: int, number: int, priority: str) -> bool:
        """The user's open ticket `number` gets `priority` if that is higher, and due times
        to match (counted from when it was opened); False: it did not change."""
        ...

    async def rated_low(self, rated: str, number: int) -> None:
        """The user rated the chat or ticket `number` low (`rated`: its rating's action), or
        then said what went wrong with it: its team (if any) is told."""
        ...


class Takeover(Protocol):
    """People owning a conversation: the engine asks before the dialog decides."""

    async def intercept(
        self,
        conversation_db_id: int,
        text: str,
        attachments: Sequence[Attachment] = (),
        *,
        edited: bool = False,
        forwarded: str = "",
    ) -> list[str] | None:
        """The user's message (and its files; `edited`: the new text of one they sent
        before; `forwarded`: who wrote the one they passed on) while a person owns the
        conversation: what to answer ([] is silence), or None when no handoff is active and
        the dialog should."""
        ...

    async def moved(self, conversation_db_id: int, *, was: str | None) -> None:
        """The user named another office (they were in `was`) while a person owns or awaits
        the conversation: that person's desk is told."""
        ...

    async def gone(self, user: UserRef) -> None:
        """The user can no longer be written to (they blocked the bot): their requests still
        in the queue or in a chat end, and their desks are told why."""
        ...
