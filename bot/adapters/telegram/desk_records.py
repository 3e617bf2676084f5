"""Agents' orders in desk groups, recorded before Telegram is told they arrived.

An order (a Claim press, a reply or command in a card's chain, `/take`) is recorded with the
core's `DeskInbox` under the `event_id` its `Desk.act` will carry, together with the raw
update, before the polling offset or the webhook's 200 confirms it. The act marks the record
done; a crash in between leaves it for `replay`, which acts on the update again after a
restart (still once: the act checks the record). Chatter in the group, and an unknown
command (answered with the syntax), are not recorded: nothing would ever act on them, and
every recovery round would take them up again.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from datetime import timedelta

from telegram import Bot, Update

from bot.adapters.telegram.convert import PLATFORM, BotIdentity
from bot.adapters.telegram.desk_convert import USAGE, desk_order
from bot.handoff.inbox import DeskInbox

__all__ = ["DeskRecords"]

log = logging.getLogger(__name__)


class DeskRecords:
    """Records desk updates and finds the ones a crash left undone."""

    def __init__(self, inbox: DeskInbox, bot: Bot) -> None:
        self.inbox = inbox
        self.bot = bot

    async def accept(self, update: Update, me: BotIdentity) -> bool:
        """Record an agent's order; False when it was recorded before (a redelivery)."""
        order = desk_order(update, me)
        if order is None or order.kind == USAGE:  # only answered: nothing to do again
            return True
        payload = {"bot": me.id, "update": update.to_dict()}
        return await self.inbox.accept(PLATFORM, order.event_id, payload)

    async def replay(
        self,
        me: BotIdentity,
        act: Callable[[Update], Awaitable[None]],
        *,
        older_than: timedelta,
    ) -> None:
        """Act again on the orders recorded `older_than` ago and never done.

        One that fails is logged and left for the next round.
        """
        found = await self.inbox.pending(PLATFORM, older_than=older_than)
        updates = [self._update(payload, me) for payload in found]
        for update in filter(None, updates):
            try:
                await act(update)
            except Exception:
                log.exception("telegram: desk update %s failed again", update.update_id)

    def _update(self, payload: dict[str, object], me: BotIdentity) -> Update | None:
        """The recorded update, if this bot recorded it (another token's is not ours)."""
        raw = payload.get("update")
        if payload.get("bot") != me.id or not isinstance(raw, dict):
            return None
        return Update.de_json(raw, self.bot)
