"""The service as it stands, read for monitoring (`bot/metrics.py`): requests with the desk,
and the outbox. Read from the database, so every instance reports the same figures."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from tortoise.functions import Count, Min

from bot.storage.models import Handoff, OutboxMessage

__all__ = ["Gauges", "read_gauges"]

_OPEN = ("waiting", "claimed")


@dataclass(frozen=True, slots=True)
class Gauges:
    requests: dict[tuple[str, ...], int]  # (team, waiting | claimed): requests for a person
    oldest_waiting: dict[str, datetime]  # team: when its longest-waiting request joined
    outbox: dict[tuple[str, ...], int]  # (platform, pending | failed): messages not sent
    oldest_pending: dict[str, datetime]  # platform: when its oldest pending message was made


async def read_gauges() -> Gauges:
    requests = await (
        Handoff.filter(status__in=_OPEN)
        .annotate(count=Count("id"))
        .group_by("team", "status")
        .values_list("team", "status", "count")
    )
    waiting = await (
        Handoff.filter(status="waiting")
        .annotate(since=Min("created_at"))
        .group_by("team")
        .values_list("team", "since")
    )
    outbox = await (
        OutboxMessage.filter(status__in=("pending", "failed"))
        .annotate(count=Count("id"))
        .group_by("platform", "status")
        .values_list("platform", "status", "count")
    )
    pending = await (
        OutboxMessage.filter(status="pending")
        .annotate(since=Min("created_at"))
        .group_by("platform")
        .values_list("platform", "since")
    )
    return Gauges(
        {(team, status): int(count) for team, status, count in requests},
        {team: since for team, since in waiting},
        {(platform, status): int(count) for platform, status, count in outbox},
        {platform: since for platform, since in pending},
    )
