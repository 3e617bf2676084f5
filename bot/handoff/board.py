"""The desk's view of the queue: cards of waiting handoffs and of an agent's own threads.

A desk that renders from the database (the web agent page) shows everything its outbox
messages would say, so reading the board counts as delivering them.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from tortoise.queryset import QuerySet

from bot.handoff.queue import ALERT, NOTICE, agent_label, desk_address, serving_order
from bot.handoff.sla import due_label
from bot.handoff.tickets import unresolved_labels
from bot.storage.models import Handoff, OutboxMessage, TranscriptMessage, User
from bot.zones import local_time

__all__ = ["MARKDOWN_LINES", "Board", "Card", "Line", "Notice", "board", "notices"]

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
_NOTICES = 10  # the newest desk notices of no request the web desk shows, from the last day
_NOTICE_WINDOW = timedelta(days=1)
_MINUTE = timedelta(minutes=1)


@dataclass(frozen=True, slots=True)
class Line:
    """One transcript line: "in" (user), "out" (bot), "agent" or "note" (agents only), and
    when it was written (UTC, ISO 8601: the page shows it on the agent's own clock)."""

    direction: str
    text: str
    at: str


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


@dataclass(frozen=True, slots=True)
class Notice:
    """A desk notice with when it was made: `at` in UTC (ISO, for programs), `when` as the
    desk reads it (in its team's zone, named, as a card's due time); `warning`: it warns (an
    SLA time near or missed), the others only inform."""

    at: str
    when: str
    text: str
    warning: bool = False


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
        lines[r.conversation_id].append(Line(r.direction, r.text, at))
    return {conversation: tuple(its) for conversation, its in lines.items()}


async def board(
    teams: Sequence[str],
    agent: str,
    *,
    now: datetime,
    zones: Mapping[str, str] | None = None,
    name: Callable[[User], str],
) -> list[Card]:
    """Waiting handoffs of `teams`, then the ones `agent` owns; web desk items delivered.
    `name`: how the desk names a user (`Queue.user_name`)."""
    waiting = Handoff.filter(team__in=list(teams), status="waiting")
    mine = Handoff.filter(agent=agent, status="claimed").order_by("id")
    ahead = sorted(await waiting.prefetch_related("user", "ticket"), key=serving_order)
    found = [*ahead, *await mine.prefetch_related("user", "ticket")]
    await OutboxMessage.filter(platform="web", chat_id__in=_chats(teams), status="pending").update(
        status="sent", sent_at=now
    )
    others = await unresolved_labels(
        (h.user_id for h in found), besides=(h.ticket_id for h in found)
    )
    lines = await _lines(h.conversation_id for h in found)
    return [_card(h, now, zones or {}, others, lines, name) for h in found]


async def notices(
    teams: Sequence[str], *, now: datetime, zones: Mapping[str, str] | None = None
) -> list[Notice]:
    """The teams' web desk notices of the last day, newest first: those of no request, and the
    last one of each request its user ended (/cancel), whose card or thread just went from
    the board without a word otherwise. `zones`: the teams' time zones (by name; UTC if
    none)."""
    zone_of = {desk_address("web", t)[1]: (zones or {}).get(t, "UTC") for t in teams}  # by chat
    since, chats = now - _NOTICE_WINDOW, list(zone_of)
    rows = await (
        _desk_notices(chats, since).filter(handoff_id__isnull=True).order_by("-id").limit(_NOTICES)
    )
    rows.extend(await _ended_notices(teams, chats, since))
    rows.sort(key=lambda row: row.id, reverse=True)
    return [
        Notice(
            at=row.created_at.isoformat(timespec="minutes"),
            when=local_time(row.created_at, zone_of[row.chat_id]),
            text=row.text,
            warning=row.kind == ALERT,
        )
        for row in rows[:_NOTICES]
    ]


async def _ended_notices(
    teams: Sequence[str], chats: list[str], since: datetime
) -> list[OutboxMessage]:
    """The last desk notice of each of the teams' requests their users ended since `since`."""
    ended = Handoff.filter(team__in=list(teams), status="cancelled", closed_at__gte=since)
    ids = await ended.order_by("-closed_at").limit(_NOTICES).values_list("id", flat=True)
    rows = await _desk_notices(chats, since).filter(handoff_id__in=ids).order_by("id")
    return list({row.handoff_id: row for row in rows}.values())  # one query, each one's last


def _desk_notices(chats: list[str], since: datetime) -> QuerySet[OutboxMessage]:
    return OutboxMessage.filter(
        platform="web", chat_id__in=chats, kind__in=(NOTICE, ALERT), created_at__gte=since
    )


def _chats(teams: Sequence[str]) -> list[str]:
    """The web desk chats of `teams`."""
    return [desk_address("web", team)[1] for team in teams]
