"""The open tickets of a desk's teams as their desk lists them: the one due first first, each
with the due time it waits for in its team's zone (the web desk's board shows them as
`TicketCard`s, a chat desk as lines: `tickets_text`). Taking one is `pickup.py`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime

from tortoise.expressions import Q

from bot.handoff.queue import Queue
from bot.handoff.sla import due_first, due_label
from bot.handoff.text import subject_markdown
from bot.markdown import literal
from bot.storage.models import Ticket, User
from bot.zones import local_time

__all__ = ["TicketCard", "open_tickets", "tickets_text"]

_LIMIT = 100
_Name = Callable[[User], str]  # how the desk names a user (`Queue.user_name`)
_LISTED = 20  # open tickets a chat desk's list shows
_CLOCKS = ("response_due", "first_response_at", "resolve_due", "resolved_at")


@dataclass(frozen=True, slots=True)
class TicketCard:
    """An open ticket as the desk lists it."""

    number: int
    team: str
    user: str
    platform: str
    priority: str
    subject: str
    created_at: str  # ISO, for programs
    opened: str  # when, as the desk reads it: in its team's zone, as `due` is
    due: str | None = None  # the SLA clock it waits for, in its team's zone: "… 16:00 (Zone)"
    overdue: bool = False
    reopens: int = 0  # times its user reopened it after a resolution: the problem came back


async def open_tickets(
    teams: list[str], *, default: str, now: datetime, zones: Mapping[str, str], name: _Name
) -> list[TicketCard]:
    """The open tickets of `teams` (a ticket without a team is the default team's), up to
    _LIMIT: the one due first first, then the more urgent, then the older (`due_first`);
    each with the due time it waits for (the first response, or resolution once answered)
    and whether it passed. The order is found on the clocks alone, the first _LIMIT read."""
    mine = Q(team__in=teams) | Q(team__isnull=True) if default in teams else Q(team__in=teams)
    found = Ticket.filter(mine, status="open")
    clocks = await found.only("id", "priority", *_CLOCKS)
    first = sorted(clocks, key=lambda t: due_first(t, t.priority, t.id))[:_LIMIT]
    rows = {
        t.id: t for t in await Ticket.filter(id__in=[t.id for t in first]).prefetch_related("user")
    }
    return [_card(rows[t.id], default, now, zones, name) for t in first]


def _card(
    ticket: Ticket, default: str, now: datetime, zones: Mapping[str, str], name: _Name
) -> TicketCard:
    team = ticket.team or default
    zone = zones.get(team, "UTC")
    due, overdue = due_label(ticket, zone, now)
    return TicketCard(
        number=ticket.id,
        team=team,
        user=name(ticket.user),
        platform=ticket.user.platform,
        priority=ticket.priority,
        subject=ticket.subject,
        created_at=ticket.created_at.isoformat(timespec="minutes"),
        opened=local_time(ticket.created_at, zone),
        due=due,
        overdue=overdue,
        reopens=ticket.reopens,
    )


def tickets_text(queue: Queue, cards: list[TicketCard]) -> str:
    """Open tickets as a chat desk lists them: each with the due time it waits for, in its
    team's time zone, marked once overdue; the first _LISTED of them."""
    t = queue.desk_text
    if not cards:
        return t("desk_tickets_none")
    lines = [t("desk_tickets_head", count=len(cards))]
    lines += [_line(queue, card) for card in cards[:_LISTED]]
    if len(cards) > _LISTED:
        lines.append(t("desk_tickets_more", count=len(cards) - _LISTED))
    return "\n".join(lines)


def _line(queue: Queue, card: TicketCard) -> str:
    t = queue.desk_text
    line = t(
        "desk_tickets_line",
        number=card.number,
        priority=queue.priority_text(card.priority),
        team=card.team,
        user=literal(card.user),
        subject=subject_markdown(card, untitled=t("no_subject_person")),
        due=t("desk_overdue" if card.overdue else "desk_due", due=card.due or "-"),
    )
    return line + t("desk_tickets_reopened", count=card.reopens) if card.reopens else line
