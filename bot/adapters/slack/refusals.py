"""Slack's answers as the bot's errors: what a failed call means for the message.

A 429 (with its Retry-After), a 5xx or no connection is `TryLater`: the same message may go
later (the caller's outbox retries it). A refusal (`channel_not_found`, `not_in_channel`,
`is_archived`, …) is logged with the channel id and is for good: `DeliveryError`
(`Unreachable` when the user's own DM is gone). The SDK's errors never leave the adapter.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from datetime import timedelta
from typing import Any, Final

from slack_sdk.errors import SlackApiError

from bot.errors import DeliveryError, Unreachable

__all__ = ["NETWORK_BACKOFF", "TryLater", "api_error", "refusal", "retry_after"]

log = logging.getLogger(__name__)
_GONE: Final = frozenset({"channel_not_found", "is_archived", "user_not_found", "user_disabled"})
NETWORK_BACKOFF: Final = timedelta(seconds=15)  # a 5xx or no connection: try again after


class TryLater(DeliveryError):
    """Slack is busy or out of reach: the same message may go after `retry_after`."""

    def __init__(self, message: str, *, retry_after: timedelta = NETWORK_BACKOFF) -> None:
        super().__init__(message)
        self.retry_after = retry_after


def retry_after(headers: Mapping[str, Any] | None) -> timedelta:
    """A 429's Retry-After (the SDK may give a list of values); 1 s when unreadable."""
    value = {k.lower(): v for k, v in (headers or {}).items()}.get("retry-after")
    first = value[0] if isinstance(value, list) and value else value
    try:
        return timedelta(seconds=max(int(str(first)), 0))
    except ValueError:
        return timedelta(seconds=1)


def api_error(exc: SlackApiError) -> tuple[int, str]:
    """The HTTP status of a failed call and Slack's error name (else the status). In an
    outage Slack's edge answers a 5xx in plain text, which the SDK keeps as a str, not a
    dict (and a body that claims JSON but is not gives the SDK's aiohttp response)."""
    response = exc.response
    status = getattr(response, "status_code", None) or getattr(response, "status", None) or 0
    data = getattr(response, "data", None)
    error = data.get("error") if isinstance(data, dict) else None
    return int(status), str(error or status)


def refusal(exc: SlackApiError, channel: str) -> DeliveryError:
    """The bot's error for a call Slack answered with an error: `TryLater` for a 429 (with
    its Retry-After) or a 5xx, `Unreachable` for a user's DM that is gone, else a refusal
    for good."""
    status, error = api_error(exc)
    log.warning("Slack refused a message to channel %s: %s", channel, error)
    if status == 429:
        return TryLater(
            f"Slack channel {channel}: {error}", retry_after=retry_after(exc.response.headers)
        )
    if status >= 500:
        return TryLater(f"Slack channel {channel}: {error}")
    if error in _GONE and channel.startswith("D"):
        return Unreachable(f"Slack DM {channel}: {error}")
    return DeliveryError(f"Slack channel {channel}: {error}")
