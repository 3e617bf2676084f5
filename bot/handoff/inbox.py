"""Agents' desk deliveries, recorded before they are acknowledged and replayed after a crash.

A channel that acknowledges a desk update before acting on it (Telegram's polling offset, a
webhook's 200) records it first with `DeskInbox.accept`, keyed like the `event_id` it later
gives `Desk.act`; the act marks that record handled in its own transaction. `pending` finds
what a crash left between the two, with the payload the channel stored, to act on again
(still once: the act checks the record).

Desk deliveries are kept apart from the users' (`desk_source`), so the core's `pending`,
which replays user messages, never sees them.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import timedelta
from typing import Protocol

from bot.storage import events
from bot.wellformed import mended

__all__ = ["DbDeskInbox", "DeskInbox", "desk_source"]


def desk_source(platform: str) -> str:
    """Where desk deliveries of `platform` are recorded ("telegram" → "telegram-desk")."""
    return f"{platform}-desk"


class DeskInbox(Protocol):
    """What a desk adapter needs to record its deliveries before acknowledging them."""

    async def accept(self, platform: str, key: str, payload: Mapping[str, object]) -> bool:
        """Record a delivery; False when it was recorded before (a redelivery)."""
        ...

    async def pending(self, platform: str, *, older_than: timedelta) -> list[dict[str, object]]:
        """The payloads of deliveries recorded `older_than` ago and never acted on."""
        ...

    async def skip(self, platform: str, key: str) -> None:
        """A recorded delivery turned out to need no act (chatter): never replay it."""
        ...


@dataclass(frozen=True, slots=True)
class DbDeskInbox:
    """The desk inbox over the inbound_events table."""

    async def accept(self, platform: str, key: str, payload: Mapping[str, object]) -> bool:
        # A platform's JSON may carry a lone surrogate, which no database stores.
        return await events.accept(desk_source(platform), key, mended(dict(payload)))

    async def pending(self, platform: str, *, older_than: timedelta) -> list[dict[str, object]]:
        found = await events.unhandled(desk_source(platform), older_than=older_than)
        return [dict(event.payload) for event in found]

    async def skip(self, platform: str, key: str) -> None:
        await events.nothing_to_do(desk_source(platform), key)
