"""Sending one turn's replies to Slack, in order, each kept one reported sent.

Replies are durable (kept in the outbox with the turn, see `bot/handoff/replies.py`) and
sent at once. When one cannot go now (a 429 after the client's own retry, a 5xx, no
connection), it and the rest of the turn are put off for the outbox sender (`relay.py`) to
retry; a refusal fails them for good. The replies are leased to this instance by the turn,
so they are sent within a `SendWindow` opened before it (`bot/handoff/lease.py`): one Slack
has not taken when the window closes is put off with the rest, like a dropped connection. A
reply long enough to be several messages has each one Slack takes recorded as it goes (put
off, or after a crash, the outbox posts only the rest). An aside goes to the user alone
where others read along (`targets.aside_target`); it is never kept.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import replace

from bot.adapters.slack.convert import PLATFORM, SlackMessage, Target, reply_to_messages
from bot.adapters.slack.delivery import Sender
from bot.adapters.slack.refusals import TryLater
from bot.adapters.slack.targets import aside_target
from bot.adapters.slack.user_commands import as_slack_lets_type
from bot.errors import DeliveryError
from bot.handoff.lease import SendWindow
from bot.handoff.outbox_port import Outbox, Parts, leased_reply, progress_of
from bot.messages import IncomingMessage, Reply

__all__ = ["TurnSender"]

log = logging.getLogger(__name__)


class TurnSender:
    """Sends a turn's replies and reports the kept ones sent, put off or failed."""

    def __init__(self, sender: Sender, *, outbox: Outbox, on_turn: Callable[[], None]) -> None:
        self.sender = sender
        self.outbox = outbox
        self.on_turn = on_turn  # wakes the outbox's sender (a reply put off may go now)

    async def send(
        self, message: IncomingMessage, target: Target, replies: Sequence[Reply], window: SendWindow
    ) -> None:
        """Send `replies` in order, each kept one reported sent; on the first failure the
        kept ones left are put off or failed (see the module's docstring), and it is raised."""
        for index, reply in enumerate(replies):
            shown = replace(reply, text=as_slack_lets_type(reply.text, message.chat_id))
            messages = reply_to_messages(shown, owner=message.user.user_id)
            parts = self._parts(message.chat_id, reply)
            where = aside_target(target, message.user.user_id) if reply.aside else target
            try:
                await self._send_within(window, where, messages, parts)
            except DeliveryError as exc:
                await self._put_off(message.chat_id, replies[index:], exc, parts)
                raise
            if reply.outbox_id is not None and await self.outbox.sent(
                leased_reply(PLATFORM, message.chat_id, reply)
            ):
                self.on_turn()  # what waited behind the reply may go now (a press's answer)

    def _parts(self, chat_id: str, reply: Reply) -> Parts:
        """The count of the reply's messages Slack takes; a kept one's is recorded as it goes."""
        if reply.outbox_id is None:
            return Parts()
        return progress_of(leased_reply(PLATFORM, chat_id, reply), self.outbox)

    async def _send_within(
        self, window: SendWindow, target: Target, messages: Sequence[SlackMessage], parts: Parts
    ) -> None:
        """Send while the window is open, counting the messages Slack takes in `parts`; when
        it closes first, `TryLater`."""
        try:
            if window.open:
                async with window.bound():
                    return await self.sender.send(target, messages, parts)
        except TimeoutError:
            log.warning("Slack channel %s: no answer in time; put off", target.channel)
        raise TryLater(f"Slack channel {target.channel}: no answer within the replies' lease")

    async def _put_off(
        self, chat_id: str, replies: Sequence[Reply], error: DeliveryError, parts: Parts
    ) -> None:
        """Put off (or fail) the kept ones of `replies`, the first with the `parts` of it
        Slack took."""
        wait, freed = error.retry_after if isinstance(error, TryLater) else None, False
        for reply in replies:
            if reply.outbox_id is not None:
                item = leased_reply(PLATFORM, chat_id, reply)
                freed |= await self.outbox.failed(item, retry_after=wait, parts_sent=parts.taken)
            parts = Parts()  # the later replies: none of them was begun
        if wait is not None or freed:
            self.on_turn()  # the sender may take them now (a 429's Retry-After may be 0)
