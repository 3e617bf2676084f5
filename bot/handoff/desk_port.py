"""The agents' desk as the channel adapters see it: the `DeskPort` they call (five methods),
the `DeskAction` they send and the `DeskResult` they show; `desk.py` serves it.

An agent is named by the identity their platform gave (`UserRef`), never by a value a client
sent back; in the configuration they are "platform:user id" (`agent_id`). `answers_agent` is
the one rule of what a chat desk (Slack, Telegram) says to the agent alone.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from bot.handoff.board import Board
from bot.handoff.ticket_list import TicketCard
from bot.messages import Attachment, UserRef

__all__ = ["ACTIONS", "DeskAction", "DeskPort", "DeskResult", "agent_id", "answers_agent"]

ACTIONS = frozenset(
    {
        "claim",
        "reply",
        "kb",
        "note",
        "close",
        "transfer",
        "ticket",
        "take",
        "tickets",
        "resolve",
        "priority",
    }
)
_UNSEEN = frozenset({"note", "tickets"})  # done, and nothing at the desk shows it


def agent_id(agent: UserRef) -> str:
    """How agents are written in the configuration: "platform:user id"."""
    return f"{agent.platform}:{agent.user_id}"


@dataclass(frozen=True, slots=True)
class DeskAction:
    """One agent action on handoff `handoff_id`; `text` for reply/note (for kb: the words to
    look for, or an article's id; for resolve: the note the user is told; for priority: the
    level), `team` for transfer, `ticket_id` for take and resolve (pick up or resolve an
    open ticket: `handoff_id` is not used) and for priority on a ticket (else the
    handoff's); a reply's `attachments` go to the user too (files alone, without text, are a
    reply). `name`: the agent's name as their platform shows it, for the texts that name
    them (empty: not known, they are named by their id). `edited`: a reply is the new text
    of one the agent sent a moment ago (a typo fixed): the user reads it marked as a correction."""

    kind: str
    handoff_id: int
    text: str = ""
    team: str = ""
    ticket_id: int = 0
    attachments: tuple[Attachment, ...] = ()
    name: str = ""
    edited: bool = False


@dataclass(frozen=True, slots=True)
class DeskResult:
    """Whether it was done, and what to show the agent."""

    ok: bool
    text: str


def answers_agent(kind: str, result: DeskResult) -> bool:
    """Whether a chat desk answers the agent, and them alone, with the result of an action
    of `kind`: a refusal, or what nothing else shows (a note saved, the ticket list). Any
    other action that was done shows for everyone at the desk already (the card's edit, a
    line in its thread or at the top, the new card of a ticket picked up), and a reply or an
    article in the user's chat; saying it again to the agent would say it twice."""
    return bool(result.text) and (not result.ok or kind in _UNSEEN)


class DeskPort(Protocol):
    """What an agents' desk adapter may ask of the core."""

    def is_agent(self, agent: UserRef) -> bool:
        """Whether `agent` belongs to any team."""
        ...

    async def board(self, agent: UserRef) -> Board:
        """The waiting handoffs of the agent's teams and the agent's own, and the teams'
        recent notices of no request."""
        ...

    async def tickets(self, agent: UserRef) -> list[TicketCard]:
        """The open tickets of the agent's teams, which the agent may take or resolve."""
        ...

    async def act(
        self, agent: UserRef, action: DeskAction, *, event_id: str | None = None
    ) -> DeskResult:
        """Do `action` if `agent` may; a refusal says why. With `event_id` (the platform's
        delivery id, the key a channel recorded it under with `DeskInbox.accept`, if it did)
        a redelivery is done once: (False, "") the second time."""
        ...

    async def thread_of(self, desk: str, ref: str) -> int | None:
        """The active handoff whose card, or a message of its thread, is `ref` on `desk`."""
        ...
