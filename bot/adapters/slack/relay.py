"""Delivering the core's outbox for Slack: cards, relays and notices, one batch at a time;
a card edit (`chat.update`) shows on the card what became of its handoff.

Messages to one channel are paced to about one a second (`bot/pacing.py`'s `SLACK`), as
Slack asks; the client has no rate-limit retry handler: a 429 that still comes puts the
item (and the rest of its batch, so order holds) off by its Retry-After through
`Outbox.failed`, so a sender never sleeps long holding a lease; and a batch is delivered
within its `SendWindow` (`bot/handoff/lease.py`): an item Slack has not taken when the
window closes is put off like a dropped connection, and so is the rest of the batch. A
refusal (`channel_not_found`, `not_in_channel`, `is_archived`, …) is logged with the channel
id and not retried; a dropped connection or a 5xx is tried again later. A card's `ts` goes back to
the core with `Outbox.sent`, which makes it the thread the handoff's other desk messages go
under. A user who asked with /helpdesk in a channel gets the messages meant for them in a DM
with the bot (`dm_user`). An item put off holds back the later ones of its conversation (a
user's chat, a handoff's thread: `bot/handoff/order.py`) in the batch, so they keep order.
An item too long for one message (50 blocks) is posted as several, each one Slack takes
while more are to come recorded at once: its next attempt (put off, or after a crash) posts
only the rest (the ts it reports is then that of the first of these: a card is one).
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from datetime import timedelta
from functools import partial
from typing import Final

from aiohttp import ClientError
from slack_sdk.errors import SlackApiError, SlackClientError
from slack_sdk.http_retry.async_handler import AsyncRetryHandler
from slack_sdk.http_retry.builtin_async_handlers import AsyncConnectionErrorRetryHandler
from slack_sdk.web.async_client import AsyncWebClient
from slack_sdk.web.async_slack_response import AsyncSlackResponse

from bot.adapters.slack.convert import PLATFORM, Target
from bot.adapters.slack.delivery import (
    NETWORK_BACKOFF,
    TryLater,
    api_error,
    post_message,
    refusal,
)
from bot.adapters.slack.desk_convert import dm_user, item_messages, item_target
from bot.adapters.slack.files import MAX_FILE
from bot.errors import DeliveryError, FileUnavailable
from bot.files import FileSource, FileSources, upload_name
from bot.handoff.cards import CARD_EDIT
from bot.handoff.lease import SEND_WITHIN, SendWindow
from bot.handoff.order import Lane
from bot.handoff.outbox_port import Outbox, OutboxItem, Parts, progress_of
from bot.handoff.pump import OutboxPump
from bot.messages import Attachment
from bot.pacing import SLACK, Pace, Pacer

__all__ = ["OutboxSender", "outbox_client"]

log = logging.getLogger(__name__)
BATCH: Final = 20
NO_CARD_YET: Final = timedelta(seconds=5)
KNOWN_DMS: Final = 1000  # DM channel ids kept (conversations.open gives the same one again)


def outbox_client(token: str, *, base_url: str, timeout: int = 30) -> AsyncWebClient:
    """A Web API client that retries a dropped connection once but leaves 429s to us."""
    retry: list[AsyncRetryHandler] = [AsyncConnectionErrorRetryHandler(max_retry_count=1)]
    return AsyncWebClient(token=token, base_url=base_url, timeout=timeout, retry_handlers=retry)


class _PutOff(Exception):
    """The item cannot go now: `retry_after` None means never; with `batch`, the rest of
    the batch waits as long (a 429, or the batch's time is up)."""

    def __init__(self, retry_after: timedelta | None, *, batch: bool = False) -> None:
        super().__init__(retry_after)
        self.retry_after = retry_after
        self.batch = batch


class OutboxSender(OutboxPump):
    """Claims Slack's outbox items and posts them; `run` loops until `stop`."""

    name = "slack"

    def __init__(
        self,
        outbox: Outbox,
        client: AsyncWebClient,
        *,
        every: timedelta,
        files: FileSource | None = None,
        pacer: Pace | None = None,
    ) -> None:
        super().__init__(every=every)
        self.outbox = outbox
        self.client = client
        self.pacer = pacer or Pacer(SLACK)
        self._dms: dict[str, str] = {}  # user id: their DM channel with the bot
        self.files = files or FileSources()  # none: every file is named instead
        self.send_within = SEND_WITHIN  # the time a batch has, inside its lease

    async def deliver_due(self) -> int:
        """One batch: the number of items claimed."""
        window = SendWindow(self.send_within)  # before the claim: it closes before the lease
        items = await self.outbox.claim(PLATFORM, limit=BATCH)
        cards: dict[int, str] = {}  # cards posted in this batch: their ts is each thread
        limited: _PutOff | None = None  # after a 429 the rest waits too, in order
        held: dict[Lane | None, _PutOff] = {}  # conversations waiting behind a put-off item
        for item in items:
            thread = cards.get(item.handoff_id or 0, item.thread)
            waits = limited or held.get(item.lane)
            parts = progress_of(item, self.outbox)  # what Slack took before, and takes now
            try:
                if waits is not None:
                    raise waits
                ts = await self._post_within(window, item, thread, parts)
            except _PutOff as off:
                limited = off if off.batch else limited
                if item.lane is not None and off.retry_after is not None:
                    held[item.lane] = off
                await self.outbox.failed(item, retry_after=off.retry_after, parts_sent=parts.taken)
                continue
            if item.kind == "card" and item.handoff_id is not None:
                cards[item.handoff_id] = ts
            await self.outbox.sent(item, message_id=ts)
        return len(items)

    async def _post_within(
        self, window: SendWindow, item: OutboxItem, thread: str | None, parts: Parts
    ) -> str:
        """Post the item while the batch's window is open (see `_post`)."""
        try:
            if window.open:
                async with window.bound():
                    return await self._post(item, thread, parts)
        except TimeoutError:
            log.warning("Slack channel %s: no answer in time; put off", item.chat_id)
        raise _PutOff(NETWORK_BACKOFF, batch=True)

    async def _post(self, item: OutboxItem, thread: str | None, parts: Parts) -> str:
        """Post the parts of the item Slack has not taken yet, counting them in `parts` (a
        card edit changes the card); the ts of the first posted."""
        if item.kind == CARD_EDIT:
            return await self._edit(item)
        target = item_target(item, thread=thread)
        if target is None and (user := dm_user(item)) is not None:
            target = Target(await self._dm(user))
        if target is None:
            if item.kind != "card" and "/" not in item.chat_id and thread is None:
                raise _PutOff(NO_CARD_YET)  # its card is not posted yet
            log.warning("Slack chat %s takes no private messages; dropped", item.chat_id)
            raise _PutOff(None)
        if item.attachment is not None:
            return await self._upload(item, item.attachment, target)
        first = ""
        for message in parts.rest(item_messages(item)):
            ts = await self._call(target, message.text, list(message.blocks))
            first = first or ts
            await parts.took()
        return first

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
            raise _PutOff(NETWORK_BACKOFF) from None
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
                raise _PutOff(None)
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
            raise _PutOff(NETWORK_BACKOFF) from None


def _refused(exc: SlackApiError, channel: str) -> _PutOff:
    """When the item may go again, by the Slack error's kind (see `delivery.refusal`)."""
    error = refusal(exc, channel)
    if not isinstance(error, TryLater):
        return _PutOff(None)
    return _PutOff(error.retry_after, batch=api_error(exc)[0] == 429)
