"""The service as it stands, read for monitoring (`bot/metrics.py`): requests with the desk,
and the outbox. Read from the database, so every instance reports the same figures."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from tortoise.functions import Count, Min
from tortoise.queryset import QuerySet

from bot.storage.models import ACTIVE_HANDOFF, Handoff, OutboxMessage

__all__ = ["Gauges", "read_gauges"]

_UNSENT = ("pending", "failed")


@dataclass(frozen=True, slots=True)
class Gauges:
    requests: dict[tuple[str, ...], int]  # (team, waiting | claimed): requests for a person
    oldest_waiting: dict[str, datetime]  # team: when its longest-waiting request joined
    outbox: dict[tuple[str, ...], int]  # (platform, pending | failed): messages not sent
    oldest_pending: dict[str, datetime]  # platform: when its oldest pending message was made


async def read_gauges() -> Gauges:
    """One grouped query per table: the counts, and the oldest of each group."""
    requests = await _groups(Handoff.filter(status__in=ACTIVE_HANDOFF), "team")
    outbox = await _groups(OutboxMessage.filter(status__in=_UNSENT), "platform")
    return Gauges(
        {key: count for key, (count, _) in requests.items()},
        {team: since for (team, status), (_, since) in requests.items() if status == "waiting"},
        {key: count for key, (count, _) in outbox.items()},
        {where: since for (where, status), (_, since) in outbox.items() if status == "pending"},
    )


async def _groups(
    rows: QuerySet[Handoff] | QuerySet[OutboxMessage], by: str
) -> dict[tuple[str, ...], tuple[int, datetime]]:
    """Per (`by`, status): how many rows, and the earliest `created_at` among them."""
    found = await (
        rows.annotate(count=Count("id"), since=Min("created_at"))
        .group_by(by, "status")
        .values_list(by, "status", "count", "since")
    )
    return {(key, status): (int(count), since) for key, status, count, since in found}
