"""Users' time zones, languages and names from their Slack profiles (users.info `tz`, the
display or full name, and `locale` with include_locale; scope `users:read`).

Asked once per user and then kept for a while (`ttl`), so a busy user costs one call per
few hours, not one per message; a failed look-up is kept as "unknown" just as long, so a
missing scope does not cost a call (and a warning) on every message. Look-ups of one user
at the same time (two quick messages, a retried event) share one call. The core checks the
zone's name before storing it, and takes the locale only as a hint (a new conversation's
language when the words do not tell); this module only passes on what Slack says.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from typing import Any, Final

from aiohttp import ClientError
from slack_sdk.errors import SlackApiError, SlackClientError
from slack_sdk.web.async_client import AsyncWebClient

from bot.adapters.slack.refusals import api_error
from bot.messages import IncomingMessage

__all__ = ["Profile", "Profiles"]

log = logging.getLogger(__name__)
TTL: Final = 6 * 3600.0  # seconds; people who travel change their Slack zone now and then
MAX_USERS: Final = 10_000  # beyond that the cache starts over rather than grow without end


@dataclass(frozen=True, slots=True)
class Profile:
    """What the bot reads of a Slack profile: `tz` ("Europe/Berlin"), `locale` ("ru-RU"),
    and the name people see ("Ann Smith")."""

    timezone: str | None = None
    locale: str | None = None
    name: str | None = None


class Profiles:
    """Looks up and caches each user's Slack time zone and locale."""

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
        self._found: dict[str, tuple[Profile, float]] = {}
        self._asking: dict[str, asyncio.Future[Profile]] = {}  # look-ups in flight

    async def with_profile(self, message: IncomingMessage) -> IncomingMessage:
        """`message` with the user's Slack time zone, locale and name, when Slack gives them
        (an event names nobody: without it the desks would know the user as "U02ABC")."""
        profile = await self.profile(message.user.user_id)
        return replace(
            message,
            timezone=profile.timezone or message.timezone,
            locale=profile.locale or message.locale,
            user_name=profile.name or message.user_name,
        )

    async def names(self, user_ids: Iterable[str]) -> dict[str, str]:
        """The names of those of `user_ids` Slack names (for `convert.with_names`)."""
        found = {user: (await self.profile(user)).name for user in user_ids}
        return {user: name for user, name in found.items() if name}

    async def timezone(self, user_id: str) -> str | None:
        """The user's `tz` ("Europe/Berlin"); None if unknown."""
        return (await self.profile(user_id)).timezone

    async def profile(self, user_id: str) -> Profile:
        """The user's profile, from the cache or users.info (empty if unknown)."""
        now = self.clock()
        cached = self._found.get(user_id)
        if cached is not None and now - cached[1] < self.ttl:
            return cached[0]
        asking = self._asking.get(user_id)
        if asking is None:
            asking = self._asking[user_id] = asyncio.ensure_future(self._look_up(user_id, now))
            asking.add_done_callback(lambda _: self._asking.pop(user_id, None))
        return await asyncio.shield(asking)  # one caller's cancellation leaves it to the rest

    async def _look_up(self, user_id: str, now: float) -> Profile:
        profile = await self._ask(user_id)
        if len(self._found) >= MAX_USERS:
            self._found.clear()
        self._found[user_id] = (profile, now)
        return profile

    async def _ask(self, user_id: str) -> Profile:
        try:
            response = await self.client.users_info(user=user_id, include_locale=True)
        except SlackApiError as exc:
            log.warning("Slack users.info for %s refused: %s", user_id, api_error(exc)[1])
            return Profile()
        except (SlackClientError, ClientError, TimeoutError) as exc:
            log.warning("Slack users.info for %s failed: %s", user_id, type(exc).__name__)
            return Profile()
        user = response.get("user") or {}
        user = user if isinstance(user, dict) else {}
        return Profile(_text(user.get("tz")), _text(user.get("locale")), _name(user))


def _name(user: dict[str, Any]) -> str | None:
    """The name Slack shows for the user: the display name they chose, else their full name."""
    profile = user.get("profile")
    profile = profile if isinstance(profile, dict) else {}
    return _text(profile.get("display_name")) or _text(user.get("real_name"))


def _text(value: Any) -> str | None:
    return value if isinstance(value, str) and value else None
