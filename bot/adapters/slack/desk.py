"""A Slack channel as the agents' desk: Claim presses and card threads become `Desk.act`.

The agent is who Slack says pressed or wrote (`UserRef("slack", team, user)`); the core
checks for every action that they are an agent of the handoff's team. A thread is mapped to
its handoff with `DeskPort.thread_of`; Slack's event or trigger id makes a redelivered event
act once; with a desk inbox the event is also recorded before the ack and acted on again
after a crash (`desk_records.py`). What an action did shows where everyone at the desk
sees it (the core's card edit, its line in the card's thread or at the top of the channel,
a picked-up ticket's new card), so the agent is answered alone (ephemeral, in the thread or
at the top) only with what nothing else shows (`answers_agent`): a refusal, a note saved,
the ticket list, and the command syntax.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Callable, Coroutine, Mapping
from dataclasses import replace
from datetime import timedelta
from typing import Any

from bot.adapters.slack.blocks import reply_to_messages
from bot.adapters.slack.convert import PLATFORM, Target, with_names
from bot.adapters.slack.delivery import Sender
from bot.adapters.slack.desk_convert import DeskInput, channel_action, thread_action
from bot.adapters.slack.desk_records import desk_record, work_of
from bot.adapters.slack.profiles import Profiles
from bot.adapters.slack.tasks import Tracked
from bot.errors import DeliveryError
from bot.handoff.desk_port import DeskPort, answers_agent
from bot.handoff.inbox import DeskInbox
from bot.messages import Reply

__all__ = ["SlackDesk"]

log = logging.getLogger(__name__)


class SlackDesk:
    """Turns agents' presses and thread messages into desk actions, after the ack."""

    def __init__(
        self,
        port: DeskPort,
        sender: Sender,
        *,
        desks: frozenset[str],
        usage: str,
        wake: Callable[[], None] = lambda: None,
        inbox: DeskInbox | None = None,
        profiles: Profiles | None = None,
    ) -> None:
        """`profiles`: the agents' Slack names for the texts that name them (users.info,
        cached as for users); without, or if Slack does not say, they go by their ids."""
        self.port = port
        self.profiles = profiles
        self.sender = sender
        self.desks = desks
        self.usage = usage
        self.wake = wake
        self.inbox = inbox
        self._tasks = Tracked()

    async def accept(
        self, work: DeskInput, body: Mapping[str, Any], *, bot_user_id: str | None
    ) -> bool:
        """Record the event before the ack; False when it was recorded before (a retry)."""
        if self.inbox is None or not work.event_id:
            return True
        record = desk_record(body, bot_user_id=bot_user_id)
        return await self.inbox.accept(PLATFORM, work.event_id, record)

    async def recover(self, *, older_than: timedelta) -> int:
        """Act again on the events a crash left recorded but not done; how many."""
        if self.inbox is None:
            return 0
        found = await self.inbox.pending(PLATFORM, older_than=older_than)
        works = [work_of(record, desks=self.desks) for record in found]
        for work in filter(None, works):
            self.take(work)
        return sum(1 for work in works if work is not None)

    def take(self, work: DeskInput) -> None:
        """Do the agent's action in a background task (the request is acknowledged)."""
        self._tasks.spawn(self._guarded(self._take(work), work))

    async def join(self) -> None:
        """Wait until every action in flight is done."""
        await self._tasks.join()

    async def _guarded(self, work: Coroutine[Any, Any, None], item: DeskInput) -> None:
        try:
            await work
        except DeliveryError:
            pass  # logged with the channel id where Slack refused it
        except Exception:
            log.exception(
                "Slack desk action failed (agent=%s channel=%s thread=%s)",
                item.agent.user_id,
                item.channel,
                item.thread_ts,
            )

    async def _take(self, work: DeskInput) -> None:
        work = await self._named(work)
        action = work.action
        if action is None:
            handoff = await self.port.thread_of(f"{PLATFORM}:{work.channel}", work.thread_ts)
            if handoff is None:  # a thread that is not a live card: people talking
                await self._skip(work)
                return
            action = thread_action(work.text, handoff, work.attachments, edited=work.edited)
        if action is None:
            await self._tell(work, self.usage)
            await self._skip(work)
            return
        if self.profiles is not None:
            profile = await self.profiles.profile(work.agent.user_id)
            action = replace(action, name=profile.name or "")
        result = await self.port.act(work.agent, action, event_id=work.event_id or None)
        self.wake()
        if answers_agent(action.kind, result):  # not a redelivery (done the first time)
            await self._tell(work, result.text)

    async def _skip(self, work: DeskInput) -> None:
        """Mark `work`'s record as needing no act: only `port.act` marks one done, and a
        record left open is taken up again by every recovery sweep for days."""
        if self.inbox is not None and work.event_id:
            await self.inbox.skip(PLATFORM, work.event_id)

    async def _named(self, work: DeskInput) -> DeskInput:
        """`work` with the people its text names by id ("<@U123>") named as Slack shows
        them ("@Ann Smith"), from their profiles (users.info, cached); an id Slack does
        not name stays."""
        if not work.mentions or self.profiles is None:
            return work
        text = with_names(work.text, await self.profiles.names(work.mentions))
        action = channel_action(text) if work.text and work.action is not None else work.action
        return replace(work, text=text, action=action)

    async def _tell(self, work: DeskInput, text: str) -> None:
        thread = work.thread_ts or None
        target = Target(work.channel, thread_ts=thread, ephemeral_user=work.agent.user_id)
        with contextlib.suppress(DeliveryError):  # logged in the sender
            await self.sender.send(target, reply_to_messages(Reply(text), owner=""))
