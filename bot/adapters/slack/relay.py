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
from datetime import timedelta
from typing import Final

from slack_sdk.http_retry.async_handler import AsyncRetryHandler
from slack_sdk.http_retry.builtin_async_handlers import AsyncConnectionErrorRetryHandler
from slack_sdk.web.async_client import AsyncWebClient

from bot.adapters.slack.convert import PLATFORM
from bot.adapters.slack.refusals import NETWORK_BACKOFF
from bot.adapters.slack.relay_post import ItemPoster, PutOff
from bot.files import FileSource, FileSources
from bot.handoff.lease import SEND_WITHIN, SendWindow
from bot.handoff.outbox_port import Lane, Outbox, OutboxItem, Parts, progress_of
from bot.handoff.pump import OutboxPump
from bot.pacing import SLACK, Pace, Pacer

__all__ = ["OutboxSender", "outbox_client"]

log = logging.getLogger(__name__)
BATCH: Final = 20


def outbox_client(token: str, *, base_url: str, timeout: int = 30) -> AsyncWebClient:
    """A Web API client that retries a dropped connection once but leaves 429s to us."""
    retry: list[AsyncRetryHandler] = [AsyncConnectionErrorRetryHandler(max_retry_count=1)]
    return AsyncWebClient(token=token, base_url=base_url, timeout=timeout, retry_handlers=retry)


class OutboxSender(OutboxPump):
    """Claims Slack's outbox items and posts them (`relay_post.py`); `run` loops until `stop`."""

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
        """`files`: none, every file is named instead of passed on."""
        super().__init__(every=every)
        self.outbox = outbox
        self.poster = ItemPoster(client, files=files or FileSources(), pacer=pacer or Pacer(SLACK))
        self.send_within = SEND_WITHIN  # the time a batch has, inside its lease

    @property
    def pacer(self) -> Pace:
        """The pace of every call the items take (shared with the answers sent at once)."""
        return self.poster.pacer

    @pacer.setter
    def pacer(self, pacer: Pace) -> None:
        self.poster.pacer = pacer

    async def deliver_due(self) -> int:
        """One batch: the number of items claimed."""
        window = SendWindow(self.send_within)  # before the claim: it closes before the lease
        items = await self.outbox.claim(PLATFORM, limit=BATCH)
        # cards posted in this batch, by request and channel: each one's ts is the thread of
        # that request's later messages in that channel (another channel's card is none of
        # theirs: a transfer's new card, or the desk's card for a message to the user's chat)
        cards: dict[tuple[int, str], str] = {}
        limited: PutOff | None = None  # after a 429 the rest waits too, in order
        held: dict[Lane | None, PutOff] = {}  # conversations waiting behind a put-off item
        for item in items:
            thread = cards.get((item.handoff_id or 0, item.chat_id), item.thread)
            waits = limited or held.get(item.lane)
            parts = progress_of(item, self.outbox)  # what Slack took before, and takes now
            try:
                if waits is not None:
                    raise waits
                ts = await self._post_within(window, item, thread, parts)
            except PutOff as off:
                limited = off if off.batch else limited
                if item.lane is not None and off.retry_after is not None:
                    held[item.lane] = off
                freed = await self.outbox.failed(
                    item, retry_after=off.retry_after, parts_sent=parts.taken
                )
                self.wake_if(freed)
                continue
            if item.kind == "card" and item.handoff_id is not None:
                cards[item.handoff_id, item.chat_id] = ts
            self.wake_if(await self.outbox.sent(item, message_id=ts))
        return len(items)

    async def _post_within(
        self, window: SendWindow, item: OutboxItem, thread: str | None, parts: Parts
    ) -> str:
        """Post the item while the batch's window is open (see `ItemPoster.post`)."""
        try:
            if window.open:
                async with window.bound():
                    return await self.poster.post(item, thread, parts)
        except TimeoutError:
            log.warning("Slack channel %s: no answer in time; put off", item.chat_id)
        raise PutOff(NETWORK_BACKOFF, batch=True)
