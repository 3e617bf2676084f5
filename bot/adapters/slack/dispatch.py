"""The work after the acknowledgement: ask the core, send its replies, in tracked tasks.

This is the Slack loop's one place that catches: a failure is logged with the user and the
chat, the user gets the error phrase if Slack still takes messages, and the loop keeps
serving. (A turn the core could not run is apologised for by the core, in the language of
the user's conversation; this apology is for what failed around it, and is in the user's
Slack language when their profile tells it, else the deployment's.) The replies are sent
by `turn_send.py`. A private answer in someone else's thread is not kept: its chat could
not show it to that person only, later.
"""

from __future__ import annotations

import contextlib
import enum
import logging
from collections.abc import Callable, Mapping, Sequence
from dataclasses import replace
from datetime import timedelta
from types import MappingProxyType

from bot.adapters.slack.convert import (
    PLATFORM,
    ButtonPress,
    Target,
    pressed_blocks,
    target_for,
    with_names,
)
from bot.adapters.slack.delivery import Sender
from bot.adapters.slack.mention_records import mentions_noted
from bot.adapters.slack.press_records import press_of
from bot.adapters.slack.profiles import Profiles
from bot.adapters.slack.tasks import Tracked
from bot.adapters.slack.turn_send import TurnSender
from bot.errors import DeliveryError, Unreachable
from bot.handoff.lease import SEND_WITHIN, SendWindow
from bot.handoff.outbox_port import Outbox
from bot.messages import Core, HandledBefore, IncomingMessage, Reply, locale_language

__all__ = ["Delivery", "Dispatcher"]

log = logging.getLogger(__name__)


class Delivery(enum.Enum):
    """How a delivery the dispatcher answers came: recorded now, or recorded before (Slack's
    retry, X-Slack-Retry-Num): the core answers that once, and its first delivery read the
    user's profile (users.info), so a retry does not again. Whether a press is shown on its
    message is the core's to say (`HandledBefore`): a first delivery that died before its
    turn leaves that to the retry."""

    NEW = "new"
    AGAIN = "again"


class Dispatcher:
    """Records deliveries before the ack and answers them in background tasks."""

    def __init__(
        self,
        core: Core,
        sender: Sender,
        *,
        outbox: Outbox,
        error_text: str,
        apologies: Mapping[str, str] = MappingProxyType({}),
        on_turn: Callable[[], None] = lambda: None,
        profiles: Profiles | None = None,
    ) -> None:
        """`error_text`: the apology when the user's language is not known; `apologies`:
        the same by language code ("ru", "en")."""
        self.core = core
        self.sender = sender
        self.error_text = error_text
        self.apologies = apologies
        self.on_turn = on_turn  # a turn may have written to the outbox (wakes its sender)
        self.profiles = profiles  # the users' time zones and locales, added to their messages
        self.replies = TurnSender(sender, outbox=outbox, on_turn=on_turn)
        self.send_within = SEND_WITHIN  # the time a turn's replies have, inside their lease
        self._tasks = Tracked()

    async def accept(self, message: IncomingMessage) -> Delivery | None:
        """Record the delivery; how to answer it (None: not at all). A redelivery is still
        answered (`handle` dedups it); an unaddressed message the core did not take is not,
        and neither is its redelivery (recovery answers it if a crash left it unanswered)."""
        if await self.core.accept(message):
            return Delivery.NEW
        if message.unaddressed:
            return None  # someone else's talk in a thread: not even their profile is read
        log.info("Slack redelivered %s; the core answers it once", message.event_id)
        return Delivery.AGAIN

    def answer(self, message: IncomingMessage, target: Target, delivery: Delivery) -> None:
        """Handle `message` after the ack and send the replies to `target`; the people it
        mentions by id ("@U123" in its text, their ids `noted` with it when it was recorded)
        are named first (`convert.mentions_of`): at once, or after a crash."""
        mentions = mentions_noted(message)
        self._tasks.spawn(self._answer(message, target, delivery=delivery, mentions=mentions))

    def answer_press(self, press: ButtonPress, delivery: Delivery) -> None:
        """Answer the press; once the core took it, the pressed message shows it instead of
        its buttons (before the answer goes)."""
        target = self._press_target(press)
        self._tasks.spawn(self._answer(press.message, target, delivery=delivery, press=press))

    async def recover(self, *, older_than: timedelta) -> int:
        """Answer what a crash left accepted but unhandled; the number found. A press is
        answered as one answered at once (its message shows it, from what was recorded)."""
        pending = await self.core.pending(PLATFORM, older_than=older_than)
        for message in pending:
            press = press_of(message)
            if press is not None:
                self.answer_press(press, Delivery.NEW)
            else:
                self.answer(message, target_for(message), Delivery.NEW)  # mentions named
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
        self,
        message: IncomingMessage,
        target: Target,
        *,
        delivery: Delivery,
        press: ButtonPress | None = None,
        mentions: Sequence[str] = (),
    ) -> None:
        try:
            if self.profiles is not None and mentions:  # "@Carol Jones", not "@U0CAROL"
                names = await self.profiles.names(mentions)
                message = replace(message, text=with_names(message.text, names))
            await self._turn(message, target, delivery, press)
        except Exception:
            log.exception(
                "Slack turn failed (user=%s chat=%s)", message.user.user_id, message.chat_id
            )
            await self._apologise(message, target)

    async def _turn(
        self,
        message: IncomingMessage,
        target: Target,
        delivery: Delivery,
        press: ButtonPress | None,
    ) -> None:
        try:
            if self.profiles is not None and delivery is Delivery.NEW:  # not for a retry
                message = await self.profiles.with_profile(message)
            durable = not (target.ephemeral_user and target.thread_ts)
            window = SendWindow(self.send_within)  # before the turn leases its replies
            replies = await self.core.handle(message, durable=durable)
            self.on_turn()
            if press is not None and _taken(press, replies):
                await self._take_buttons_off(press)
            await self.replies.send(message, target, replies, window)
        except Unreachable:
            await self.core.mark_unreachable(message.user)
        except DeliveryError:
            pass  # logged with the channel id; a kept reply is the outbox's to retry or drop

    async def _take_buttons_off(self, press: ButtonPress) -> None:
        # Logged where it failed; the core still refuses a second press of these buttons.
        with contextlib.suppress(DeliveryError):
            await self.sender.update(press, pressed_blocks(press.blocks, press.message.text))

    async def _apologise(self, message: IncomingMessage, target: Target) -> None:
        try:
            await self.replies.send(
                message, target, [Reply(await self._apology(message))], SendWindow()
            )
        except Exception:
            log.exception("Slack apology failed too (chat=%s)", message.chat_id)

    async def _apology(self, message: IncomingMessage) -> str:
        """The error phrase in the user's Slack language (their profile's locale: cached,
        unless the failure came before the first look), else the deployment's."""
        locale = message.locale
        if self.profiles is not None and locale is None:
            locale = (await self.profiles.profile(message.user.user_id)).locale
        return self.apologies.get(locale_language(locale), self.error_text)


def _taken(press: ButtonPress, replies: Sequence[Reply]) -> bool:
    """Whether the pressed message is to show the press instead of its buttons: the owner's
    press the core took now (no refusal among its replies: the core sends a refusal at once,
    never holds it back). Not for a press handled before (its turn showed it), nor for a
    press of buttons used already (a quick second press, of the other button too: the first
    one's label stays), nor for a turn that failed (the buttons stay, to press again)."""
    if isinstance(replies, HandledBefore) or any(reply.refusal for reply in replies):
        return False
    return press.by_owner and bool(press.blocks)
