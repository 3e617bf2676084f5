"""Where a waiting request stands in its team's queue, and how long it is expected to wait.

Waiting requests are served by priority, then first come (`serving_order`); the wait a user
is told is their place times the team's recent time to claim. Queries only: the `Queue`
tells the users (`queue.py`).
"""

from __future__ import annotations

import math
from datetime import timedelta

from bot.priorities import rank
from bot.storage.models import Handoff

__all__ = ["average_wait", "place_of", "queued_behind", "serving_order", "wait_minutes"]

DEFAULT_WAIT = timedelta(minutes=5)


def serving_order(handoff: Handoff) -> tuple[int, int]:
    """Waiting handoffs are served in this order: higher priority first, then first come."""
    return -rank(handoff.priority), handoff.id


def wait_minutes(average: timedelta, place: int) -> int:
    """The wait at `place` of a team whose time to claim is `average`, in whole minutes."""
    return max(1, round(average.total_seconds() * place / 60))


async def place_of(handoff: Handoff) -> int:
    """The handoff's place in its team's queue (1 is next): behind every waiting handoff of a
    higher priority, and behind the earlier ones of its own."""
    waiting = Handoff.filter(team=handoff.team, status="waiting").only("id", "priority")
    spot = serving_order(handoff)
    return 1 + sum(serving_order(other) < spot for other in await waiting)


async def average_wait(team: str) -> timedelta:
    """The team's average time to claim over its last 20 claims (DEFAULT_WAIT if none)."""
    claimed = Handoff.filter(team=team, claimed_at__isnull=False).exclude(reason="ticket")
    recent = await claimed.order_by("-id").limit(20)
    waits = [h.claimed_at - h.created_at for h in recent if h.claimed_at is not None]
    return sum(waits, timedelta()) / len(waits) if waits else DEFAULT_WAIT


async def queued_behind(
    team: str, *, after: Handoff, before: tuple[int, int] | None = None
) -> list[tuple[int, Handoff]]:
    """The handoffs waiting in `team`'s queue behind `after`'s spot (with `before`, only
    those ahead of that spot), each with its place."""
    waiting = sorted(await Handoff.filter(team=team, status="waiting"), key=serving_order)
    spot, until = serving_order(after), before or (math.inf, math.inf)
    return [(p, h) for p, h in enumerate(waiting, 1) if spot < serving_order(h) < until]
