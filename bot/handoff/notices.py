"""The web desk's notices of no request (SLA warnings), of requests their users ended and the
alerts of requests that became tickets (an urgent one asked off duty), which the desk shows
beside its cards (`board.Board`)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from tortoise.expressions import Q
from tortoise.queryset import QuerySet

from bot.handoff.queue import ALERT, NOTICE, OFF_DUTY_ALERT, desk_address
from bot.storage.models import Handoff, OutboxMessage
from bot.zones import local_time

__all__ = ["Notice", "notices"]

_NOTICES = 10  # the newest desk notices of no request the web desk shows, from the last day
_NOTICE_WINDOW = timedelta(days=1)
_WARNINGS = (ALERT, OFF_DUTY_ALERT)


@dataclass(frozen=True, slots=True)
class Notice:
    """A desk notice with when it was made: `at` in UTC (ISO, for programs), `when` as the
    desk reads it (in its team's zone, named, as a card's due time); `warning`: it warns (an
    SLA time near or missed), the others only inform."""

    at: str
    when: str
    text: str
    warning: bool = False


async def notices(
    teams: Sequence[str], *, now: datetime, zones: Mapping[str, str] | None = None
) -> list[Notice]:
    """The teams' web desk notices of the last day, newest first: those of no request, the
    last one of each request its user ended (/cancel), whose card or thread just went from
    the board without a word otherwise, and the alerts of requests that became tickets (the
    list of tickets says the rest). `zones`: the teams' time zones (by name; UTC if none)."""
    zone_of = {desk_address("web", t)[1]: (zones or {}).get(t, "UTC") for t in teams}  # by chat
    since, chats = now - _NOTICE_WINDOW, list(zone_of)
    # of a request, only the off-duty alert: not an SLA alert under a chat's card (the
    # chat's, even once it is handed back to a ticket)
    shown = Q(handoff_id__isnull=True) | Q(kind=OFF_DUTY_ALERT)
    rows = await _desk_notices(chats, since).filter(shown).order_by("-id").limit(_NOTICES)
    rows.extend(await _ended_notices(teams, chats, since))
    rows.sort(key=lambda row: row.id, reverse=True)
    return [
        Notice(
            at=row.created_at.isoformat(timespec="minutes"),
            when=local_time(row.created_at, zone_of[row.chat_id]),
            text=row.text,
            warning=row.kind in _WARNINGS,
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
        platform="web", chat_id__in=chats, kind__in=(NOTICE, *_WARNINGS), created_at__gte=since
    )
