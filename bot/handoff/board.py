"""The desk's view of the queue: cards of waiting handoffs and of an agent's own threads.

A desk that renders from the database (the web agent page) shows everything its outbox
messages would say, so reading the board counts as delivering them.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from bot.handoff.agents import agent_label
from bot.handoff.notices import Notice
from bot.handoff.queue import desk_address, serving_order
from bot.handoff.sla import due_label
from bot.handoff.tickets import unresolved_labels
from bot.storage.models import Handoff, OutboxMessage, TranscriptMessage, User

__all__ = ["MARKDOWN_LINES", "Board", "Card", "Line", "also_reported_by", "board"]

# The transcript's lines in Markdown (the bot's answers, IT's messages): a desk shows them
# rendered, as the user saw them; what users wrote, and notes, are plain text.
MARKDOWN_LINES = frozenset({"out", "agent"})

_LINES = 40
# Each conversation's last `most` lines (ids are the database's integers, written in): SQLite
# and PostgreSQL both number rows per conversation, newest first.
_RECENT = """SELECT * FROM transcript_messages WHERE id IN (
    SELECT id FROM (
        SELECT id, ROW_NUMBER() OVER (PARTITION BY conversation_id ORDER BY id DESC) AS newer
        FROM transcript_messages WHERE conversation_id IN ({ids})
    ) AS ranked WHERE newer <= {most}
) ORDER BY id"""
_MINUTE = timedelta(minutes=1)


@dataclass(frozen=True, slots=True)
class Line:
    """One transcript line: "in" (user), "out" (bot), "agent" or "note" (agents only), and
    when it was written (UTC, ISO 8601: the page shows it on the agent's own clock);
    `forwarded`: a user's line they passed on, who wrote it first ("" for their own)."""

    direction: str
    text: str
    at: str
    forwarded: str = ""


@dataclass(frozen=True, slots=True)
class Card:
    """A handoff as an agent sees it."""

    id: int
    team: str
    status: str
    agent: str
    user: str
    platform: str
    office: str  # the user's office, "" when they chose none (the page then shows no office)
    language: str
    priority: str
    question: str
    tried: tuple[str, ...]
    lines: tuple[Line, ...]
    ticket: int | None = None  # a picked-up ticket: its number, SLA due time, and whether
    due: str | None = None  # that passed (in the team's zone)
    overdue: bool = False
    other_tickets: tuple[str, ...] = ()  # the user's other unresolved tickets: "#12 «…»"
    waited: int | None = None  # a waiting one: whole minutes in its team's queue
    group: str = ""  # the title of the group the user asked in (replies go there), as typed
    group_link: str = ""  # a channel's address there (its title: "" when not known)
    also_reported: tuple[str, ...] = ()  # an outage's: who else reported it, "Ann (#5)"


@dataclass(frozen=True, slots=True)
class Board:
    """What the web desk shows an agent: the cards, and the desk's recent notices that belong
    to no request (SLA warnings), newest first."""

    cards: list[Card]
    notices: list[Notice]


def _card(
    handoff: Handoff,
    now: datetime,
    zones: Mapping[str, str],
    others: Mapping[int, tuple[str, ...]],
    lines: Mapping[int | None, tuple[Line, ...]],
    name: Callable[[User], str],
    joined: Mapping[int, tuple[str, ...]],
) -> Card:
    # The ticket comes with the handoffs (see `board`).
    due, overdue = due_label(handoff.ticket, zones.get(handoff.team, "UTC"), now)
    return Card(
        id=handoff.id,
        team=handoff.team,
        status=handoff.status,
        agent=agent_label(handoff.agent) if handoff.agent else "",
        user=name(handoff.user),
        platform=handoff.user.platform,
        office=handoff.user.office or "",
        language=handoff.language,
        priority=handoff.priority,
        question=handoff.question,
        tried=tuple(handoff.tried_articles),
        lines=lines.get(handoff.conversation_id, ()),
        ticket=handoff.ticket_id,
        due=due,
        overdue=overdue,
        other_tickets=others.get(handoff.user_id, ()),
        # Since it joined the queue (a transfer starts it again): the server's clock, as the
        # queue's time-outs go by.
        waited=(now - handoff.created_at) // _MINUTE if handoff.status == "waiting" else None,
        group=handoff.conversation.chat_title,
        group_link=handoff.conversation.chat_link,
        also_reported=joined.get(handoff.id, ()),
    )


async def _lines(conversations: Iterable[int | None]) -> dict[int | None, tuple[Line, ...]]:
    """The last `_LINES` lines of each of `conversations`, oldest first: one query for the
    whole board, not one per card."""
    ids = ",".join(str(int(c)) for c in sorted({c for c in conversations if c is not None}))
    if not ids:
        return {}
    rows: list[TranscriptMessage] = await TranscriptMessage.raw(
        _RECENT.format(ids=ids, most=_LINES)
    )
    lines: dict[int | None, list[Line]] = defaultdict(list)
    for r in rows:
        at = r.created_at.isoformat(timespec="seconds")
        lines[r.conversation_id].append(Line(r.direction, r.text, at, r.forwarded_from))
    return {conversation: tuple(its) for conversation, its in lines.items()}


async def board(
    teams: Sequence[str],
    agent: str,
    *,
    now: datetime,
    zones: Mapping[str, str] | None = None,
    name: Callable[[User], str],
    untitled: str = "-",
    recent: tuple[datetime, str] | None = None,
) -> list[Card]:
    """Waiting handoffs of `teams`, then the ones `agent` owns; web desk items delivered.
    `name`: how the desk names a user (`Queue.user_name`); `untitled`: how it names a
    ticket of no subject yet, among a user's other tickets; `recent`: since when those
    resolved are among them too, and their mark (`reopening.recently_resolved`)."""
    waiting = Handoff.filter(team__in=list(teams), status="waiting")
    mine = Handoff.filter(agent=agent, status="claimed").order_by("id")
    related = ("user", "ticket", "conversation")
    ahead = sorted(await waiting.prefetch_related(*related), key=serving_order)
    found = [*ahead, *await mine.prefetch_related(*related)]
    await OutboxMessage.filter(platform="web", chat_id__in=_chats(teams), status="pending").update(
        status="sent", sent_at=now
    )
    others = await unresolved_labels(
        (h.user_id for h in found),
        untitled=untitled,
        besides=(h.ticket_id for h in found),
        recent=recent,
    )
    lines = await _lines(h.conversation_id for h in found)
    joined = await also_reported_by([h.id for h in found], name)
    return [_card(h, now, zones or {}, others, lines, name, joined) for h in found]


async def also_reported_by(
    ids: Sequence[int], name: Callable[[User], str]
) -> dict[int, tuple[str, ...]]:
    """Who else reported each of these outages (`outages.py`), by request, earliest first:
    "Ann (#5)", the user as `name` writes them; one query for them all."""
    reports = Handoff.filter(linked_to_id__in=list(ids)).prefetch_related("user").order_by("id")
    found: dict[int, list[str]] = defaultdict(list)
    for report in await reports if ids else []:
        if report.linked_to_id is not None:
            found[report.linked_to_id].append(f"{name(report.user)} (#{report.id})")
    return {first: tuple(names) for first, names in found.items()}


def _chats(teams: Sequence[str]) -> list[str]:
    """The web desk chats of `teams`."""
    return [desk_address("web", team)[1] for team in teams]
