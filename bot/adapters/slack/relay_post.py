"""Posting one outbox item to Slack, for the outbox sender (`relay.py`): a card, a relay or a
notice (in its thread, or in a DM opened for a user who asked with /helpdesk), a file, or a
card edit (`chat.update`). Each call is paced with the rest; what Slack answers decides
whether the item may go again (`PutOff`).
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from datetime import timedelta
from functools import partial
from typing import Final

from aiohttp import ClientError
from slack_sdk.errors import SlackApiError, SlackClientError
from slack_sdk.web.async_client import AsyncWebClient
from slack_sdk.web.async_slack_response import AsyncSlackResponse

from bot.adapters.slack.delivery import post_message
from bot.adapters.slack.desk_convert import dm_user, item_messages, item_target
from bot.adapters.slack.files import MAX_FILE
from bot.adapters.slack.refusals import NETWORK_BACKOFF, TryLater, api_error, refusal
from bot.adapters.slack.targets import Target
from bot.errors import DeliveryError, FileUnavailable
from bot.files import FileSource, upload_name
from bot.handoff.cards import CARD_EDIT
from bot.handoff.outbox_port import OutboxItem, Parts
from bot.messages import Attachment
from bot.pacing import Pace

__all__ = ["ItemPoster", "PutOff"]

log = logging.getLogger(__name__)
NO_CARD_YET: Final = timedelta(seconds=5)
KNOWN_DMS: Final = 1000  # DM channel ids kept (conversations.open gives the same one again)


class PutOff(Exception):
    """The item cannot go now: `retry_after` None means never; with `batch`, the rest of
    the batch waits as long (a 429, or the batch's time is up)."""

    def __init__(self, retry_after: timedelta | None, *, batch: bool = False) -> None:
        super().__init__(retry_after)
        self.retry_after = retry_after
        self.batch = batch


class ItemPoster:
    """Posts outbox items with the outbox's Web API client, paced by `pacer`."""

    def __init__(self, client: AsyncWebClient, *, files: FileSource, pacer: Pace) -> None:
        self.client = client
        self.files = files
        self.pacer = pacer
        self._dms: dict[str, str] = {}  # user id: their DM channel with the bot

    async def post(self, item: OutboxItem, thread: str | None, parts: Parts) -> str:
        """Post the parts of the item Slack has not taken yet, counting them in `parts` (a
        card edit changes the card); the ts of the first posted."""
        if item.kind == CARD_EDIT:
            return await self._edit(item)
        target = item_target(item, thread=thread)
        if target is None and (user := dm_user(item)) is not None:
            target = Target(await self._dm(user))
        if target is None:
            if item.kind != "card" and "/" not in item.chat_id and thread is None:
                raise PutOff(NO_CARD_YET)  # its card is not posted yet
            log.warning("Slack chat %s takes no private messages; dropped", item.chat_id)
            raise PutOff(None)
        if item.attachment is not None:
            return await self._upload(item, item.attachment, target)
        posted = await parts.send(
            item_messages(item),
            lambda message: self._call(target, message.text, list(message.blocks)),
        )
        return next(filter(None, posted), "")

    async def _edit(self, item: OutboxItem) -> str:
        """Replace the card (`item.thread`, its first message) with the item's text: the
        status under it, and no Claim button."""
        card = item.thread or ""
        [message, *_] = item_messages(item)  # a card is one message (far under 50 blocks)
        call = partial(
            self.client.chat_update,
            channel=item.chat_id,
            ts=card,
            text=message.text,
            blocks=list(message.blocks),
        )
        await self._api(call, item.chat_id)
        return card

    async def _upload(self, item: OutboxItem, file: Attachment, target: Target) -> str:
        """Upload the item's file into the chat; when it cannot go, post the item's text (the
        line saying so) instead. The ts is "" (Slack shares an upload a moment later)."""
        try:
            data = await self.files.fetch(file, limit=MAX_FILE)
        except FileUnavailable as exc:
            log.info("Slack channel %s: file not passed on: %s", target.channel, exc)
            [message, *_] = item_messages(item)
            return await self._call(target, message.text, list(message.blocks))
        except DeliveryError as exc:
            log.warning("Slack channel %s: file not fetched yet: %s", target.channel, exc)
            raise PutOff(NETWORK_BACKOFF) from None
        name = upload_name(file)
        call = partial(
            self.client.files_upload_v2,
            channel=target.channel,
            thread_ts=target.thread_ts,
            file=data,
            filename=name,
            title=name,
        )
        await self._api(call, target.channel)
        return ""

    async def _dm(self, user: str) -> str:
        """The DM channel with `user`, opened (conversations.open) the first time."""
        if user not in self._dms:
            response = await self._api(partial(self.client.conversations_open, users=user), user)
            channel = str((response.get("channel") or {}).get("id") or "")
            if not channel:
                raise PutOff(None)
            if len(self._dms) >= KNOWN_DMS:
                self._dms.clear()
            self._dms[user] = channel
        return self._dms[user]

    async def _call(self, target: Target, text: str, blocks: list[dict[str, object]]) -> str:
        call = partial(post_message, self.client, target, text, blocks)
        response = await self._api(call, target.channel)
        return str(response.get("ts") or "")

    async def _api(
        self, call: Callable[[], Awaitable[AsyncSlackResponse]], channel: str
    ) -> AsyncSlackResponse:
        """Make one Web API call about `channel`, paced: about one a second per channel."""
        await self.pacer.wait(channel, group=False)
        try:
            return await call()
        except SlackApiError as exc:
            raise _refused(exc, channel) from None
        except (SlackClientError, ClientError, TimeoutError) as exc:
            log.warning("Slack unreachable for channel %s: %s", channel, type(exc).__name__)
            raise PutOff(NETWORK_BACKOFF) from None


def _refused(exc: SlackApiError, channel: str) -> PutOff:
    """When the item may go again, by the Slack error's kind (see `refusals.refusal`)."""
    error = refusal(exc, channel)
    if not isinstance(error, TryLater):
        return PutOff(None)
    return PutOff(error.retry_after, batch=api_error(exc)[0] == 429)
