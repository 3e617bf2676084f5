"""Who the bot is on Slack: `auth.test`, asked once when the channel starts.

A token Slack refuses is a configuration error (the token is never shown); Slack out of reach
stops the start, as the Telegram channel's getMe does. Bolt's own single-workspace
authorization would ask `auth.test` again at the first request; Bolt is given this instead
(`AsyncAuthorize` is its seam for that), so it knows the bot's ids from the start's answer.
"""

from __future__ import annotations

from typing import Any, Final

from aiohttp import ClientError
from slack_bolt.authorization import AuthorizeResult
from slack_bolt.authorization.async_authorize import AsyncAuthorize
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bot.adapters.slack.refusals import api_error
from bot.errors import ConfigError, DeliveryError

__all__ = ["REFUSED_TOKEN", "Identity"]

# auth.test's answers for a token Slack will not take (any call with it would fail the same).
REFUSED_TOKEN: Final = frozenset({"invalid_auth", "not_authed", "account_inactive"})


class Identity(AsyncAuthorize):
    """The bot's `auth.test` answer, as Bolt's authorization of every request."""

    def __init__(self, client: AsyncWebClient) -> None:
        self.client = client
        self._found: AuthorizeResult | None = None

    async def check(self) -> AuthorizeResult:
        """Ask Slack who the token is (see the module's docstring for the errors)."""
        try:
            response = await self.client.auth_test()
        except SlackApiError as exc:
            error = api_error(exc)[1]
            if error in REFUSED_TOKEN:
                raise ConfigError(f"SLACK_BOT_TOKEN: Slack refused the token ({error})") from None
            raise DeliveryError(f"slack: auth.test failed ({error})") from None
        except (ClientError, TimeoutError) as exc:
            raise DeliveryError(f"slack: cannot reach the Web API: {exc}") from exc
        self._found = AuthorizeResult.from_auth_test_response(
            bot_token=self.client.token, auth_test_response=response
        )
        return self._found

    async def __call__(self, **_: Any) -> AuthorizeResult:
        """Bolt's authorization: the start's answer (asked now for a request that came first)."""
        return self._found or await self.check()
