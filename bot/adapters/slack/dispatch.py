"""The work after the acknowledgement: ask the core, send its replies, in tracked tasks.

This is the Slack loop's one place that catches: a failure is logged with the user and the
chat, the user gets the error phrase if Slack still takes messages, and the loop keeps
serving. Replies are durable (kept in the outbox with the turn, see
`bot/handoff/replies.py`) and sent at once, in order; each is reported sent. When one
cannot go now (a 429 after the client's own retry, a 5xx, no connection), it and the rest
of the turn are put off for the outbox sender (`relay.py`) to retry; a refusal fails them
for good. The replies are leased to this instance by the turn, so they are sent within a
`SendWindow` opened before it (`bot/handoff/lease.py`): one Slack has not taken when the
window closes is put off with the rest, like a dropped connection. A reply long enough to
be several messages has each one Slack takes recorded as it goes (put off, or after a
crash, the outbox posts only the rest).
A private answer in someone else's thread is not kept: its chat could not show it to that
person only, later.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Callable, Sequence
from datetime import timedelta

from bot.adapters.slack.convert import (
    PLATFORM,
    ButtonPress,
    SlackMessage,
    Target,
    pressed_blocks,
    reply_to_messages,
    target_for,
)
from bot.adapters.slack.delivery import Sender, TryLater
from bot.adapters.slack.profiles import Profiles
from bot.adapters.slack.tasks import Tracked
from bot.errors import DeliveryError, Unreachable
from bot.handoff.lease import SEND_WITHIN, SendWindow
from bot.handoff.outbox_port import Outbox, Parts, leased_reply, progress_of
from bot.messages import Core, IncomingMessage, Reply

__all__ = ["Dispatcher"]

log = logging.getLogger(__name__)


class Dispatcher:
    """Records deliveries before the ack and answers them in background tasks."""

    def __init__(
        self,
        core: Core,
        sender: Sender,
        *,
        outbox: Outbox,
        error_text: str,
        on_turn: Callable[[], None] = lambda: None,
        profiles: Profiles | None = None,
    ) -> None:
        self.core = core
        self.sender = sender
        self.outbox = outbox  # where the durable replies are reported sent or put off
        self.error_text = error_text
        self.on_turn = on_turn  # a turn may have written to the outbox (wakes its sender)
        self.profiles = profiles  # the users' time zones, added to their messages
        self.send_within = SEND_WITHIN  # the time a turn's replies have, inside their lease
        self._tasks = Tracked()

    async def accept(self, message: IncomingMessage) -> bool:
        """Record the delivery; whether to answer it. A redelivery is still answered
        (`handle` dedups it); an unaddressed message the core did not take is not, and
        neither is its redelivery (recovery answers it if a crash left it unanswered)."""
        if await self.core.accept(message):
            return True
        if message.unaddressed:
            return False  # someone else's talk in a thread: not even their profile is read
        log.info("Slack redelivered %s; the core answers it once", message.event_id)
        return True

    def answer(self, message: IncomingMessage, target: Target) -> None:
        """Handle `message` after the ack and send the replies to `target`."""
        self._tasks.spawn(self._answer(message, target))

    def answer_press(self, press: ButtonPress) -> None:
        """Take the buttons off the pressed message, then answer the press."""
        self._tasks.spawn(self._answer(press.message, self._press_target(press), press=press))

    async def recover(self, *, older_than: timedelta) -> int:
        """Answer what a crash left accepted but unhandled; the number found."""
        pending = await self.core.pending(PLATFORM, older_than=older_than)
        for message in pending:
            self.answer(message, target_for(message))
        return len(pending)

    async def join(self) -> None:
        """Wait until every answer in flight is sent (or has failed)."""
        await self._tasks.join()

    @staticmethod
    def _press_target(press: ButtonPress) -> Target:
        target = target_for(press.message, response_url=press.response_url)
        if press.by_owner or target.ephemeral_user:
            return target
        # Someone else pressed a button in a thread: only they see the (polite) answer.
        return Target(target.channel, target.thread_ts, ephemeral_user=press.message.user.user_id)

    async def _answer(
        self, message: IncomingMessage, target: Target, *, press: ButtonPress | None = None
    ) -> None:
        try:
            await self._turn(message, target, press)
        except Exception:
            log.exception(
                "Slack turn failed (user=%s chat=%s)", message.user.user_id, message.chat_id
            )
            await self._apologise(message, target)

    async def _turn(
        self, message: IncomingMessage, target: Target, press: ButtonPress | None
    ) -> None:
        try:
            if press is not None and press.by_owner and press.blocks:
                await self._take_buttons_off(press)
            if self.profiles is not None:
                message = await self.profiles.with_timezone(message)
            durable = not (target.ephemeral_user and target.thread_ts)
            window = SendWindow(self.send_within)  # before the turn leases its replies
            replies = await self.core.handle(message, durable=durable)
            self.on_turn()
            await self._send(message, target, replies, window)
        except Unreachable:
            await self.core.mark_unreachable(message.user)
        except DeliveryError:
            pass  # logged with the channel id; a kept reply is the outbox's to retry or drop

    async def _take_buttons_off(self, press: ButtonPress) -> None:
        # Logged where it failed; the core still refuses a second press of these buttons.
        with contextlib.suppress(DeliveryError):
            await self.sender.update(press, pressed_blocks(press.blocks, press.message.text))

    async def _send(
        self, message: IncomingMessage, target: Target, replies: Sequence[Reply], window: SendWindow
    ) -> None:
        """Send `replies` in order, each kept one reported sent; on the first failure the
        kept ones left are put off or failed (see the module's docstring), and it is raised."""
        for index, reply in enumerate(replies):
            messages = reply_to_messages(reply, owner=message.user.user_id)
            parts = self._parts(message.chat_id, reply)
            try:
                await self._send_within(window, target, messages, parts)
            except DeliveryError as exc:
                await self._put_off(message.chat_id, replies[index:], exc, parts)
                raise
            if reply.outbox_id is not None:
                await self.outbox.sent(leased_reply(PLATFORM, message.chat_id, reply))

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
        wait = error.retry_after if isinstance(error, TryLater) else None
        for reply in replies:
            if reply.outbox_id is not None:
                item = leased_reply(PLATFORM, chat_id, reply)
                await self.outbox.failed(item, retry_after=wait, parts_sent=parts.taken)
            parts = Parts()  # the later replies: none of them was begun
        if wait is not None:
            self.on_turn()  # the sender may take them now (a 429's Retry-After may be 0)

    async def _apologise(self, message: IncomingMessage, target: Target) -> None:
        try:
            await self._send(message, target, [Reply(self.error_text)], SendWindow())
        except Exception:
            log.exception("Slack apology failed too (chat=%s)", message.chat_id)
