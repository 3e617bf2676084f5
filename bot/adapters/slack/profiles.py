"""Users' time zones from their Slack profiles (users.info `tz`, scope `users:read`).

Asked once per user and then kept for a while (`ttl`), so a busy user costs one call per
few hours, not one per message; a failed look-up is kept as "unknown" just as long, so a
missing scope does not cost a call (and a warning) on every message. The core checks the
name before storing it; this module only passes on what Slack says.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import replace
from typing import Final

from aiohttp import ClientError
from slack_sdk.errors import SlackApiError, SlackClientError
from slack_sdk.web.async_client import AsyncWebClient

from bot.adapters.slack.delivery import api_error
from bot.messages import IncomingMessage

__all__ = ["Profiles"]

log = logging.getLogger(__name__)
TTL: Final = 6 * 3600.0  # seconds; people who travel change their Slack zone now and then
MAX_USERS: Final = 10_000  # beyond that the cache starts over rather than grow without end


class Profiles:
    """Looks up and caches each user's Slack time zone."""

    def __init__(
        self,
        client: AsyncWebClient,
        *,
        ttl: float = TTL,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.client = client
        self.ttl = ttl
        self.clock = clock
        self._zones: dict[str, tuple[str | None, float]] = {}

    async def with_timezone(self, message: IncomingMessage) -> IncomingMessage:
        """`message` with the user's Slack time zone, when Slack gives one."""
        zone = await self.timezone(message.user.user_id)
        return replace(message, timezone=zone) if zone else message

    async def timezone(self, user_id: str) -> str | None:
        """The user's `tz` ("Europe/Berlin"), from the cache or users.info; None if unknown."""
        now = self.clock()
        cached = self._zones.get(user_id)
        if cached is not None and now - cached[1] < self.ttl:
            return cached[0]
        zone = await self._ask(user_id)
        if len(self._zones) >= MAX_USERS:
            self._zones.clear()
        self._zones[user_id] = (zone, now)
        return zone

    async def _ask(self, user_id: str) -> str | None:
        try:
            response = await self.client.users_info(user=user_id)
        except SlackApiError as exc:
            log.warning("Slack users.info for %s refused: %s", user_id, api_error(exc)[1])
            return None
        except (SlackClientError, ClientError, TimeoutError) as exc:
            log.warning("Slack users.info for %s failed: %s", user_id, type(exc).__name__)
            return None
        user = response.get("user") or {}
        zone = user.get("tz") if isinstance(user, dict) else None
        return zone if isinstance(zone, str) and zone else None
