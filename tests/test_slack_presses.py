"""What a button press does on Slack around its turn, end to end (signed requests into the
real slack-bolt code, the Web API faked): where a word for the presser alone (an aside, such
as "that button has already been used") goes, when the pressed message shows the press, and
what a press during a chat with an agent does."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from bot.adapters.slack import DeskSetup
from bot.adapters.slack.convert import press_from_action
from bot.engine import Engine
from bot.handoff import DbOutbox
from bot.knowledge.base import KnowledgeBase
from bot.messages import IncomingMessage, Reply
from bot.storage.models import ButtonAction, Feedback, OutboxMessage, Ticket
from tests.fakes.outbox import SpyOutbox
from tests.fakes.slack_api import BOT_USER, TEAM, Call
from tests.fakes.slack_desk import claimed_thread, running_desk, team_settings
from tests.fakes.slack_payloads import block_actions
from tests.handoff_support import Clock
from tests.test_slack import PHRASES, GatedCore, running_slack, texts
from tests.test_slack_language import pressed_label
from tests.test_slack_mpim import GROUP
from tests.test_slack_threads import send


def mention(channel: str, text: str, *, ts: str) -> dict[str, Any]:
    """U1 mentions the bot at the top of `channel` (a channel, or a group DM)."""
    event = {"type": "app_mention", "channel": channel, "user": "U1", "ts": ts, "team": TEAM}
    return event | {"text": f"<@{BOT_USER}> {text}"}


@pytest.mark.parametrize("channel", ["C1", GROUP])
async def test_a_second_press_in_a_thread_is_told_to_the_presser_alone(
    engine: Engine, db_url: str, channel: str
) -> None:
    thread = "1700000600.000001"
    used = PHRASES.get("en", "button_used")
    async with running_slack(engine, db_url) as slack:
        await send(slack.sender, mention(channel, "vpn keeps dropping", ts=thread))
        answer = await slack.answered()
        await slack.press(answer, "Helped")
        await slack.settle()
        await slack.press(answer, "Didn't help")  # Slack's copy still had the buttons
        sent = await slack.settle()
    [aside] = [c for c in sent if c.method == "chat.postEphemeral"]
    assert (aside.args["channel"], aside.args["user"]) == (channel, "U1")
    assert aside.args["thread_ts"] == thread and texts(aside) == [used]
    posted = [texts(c) for c in sent if c.method == "chat.postMessage"]
    assert posted[1:] == [[PHRASES.get("en", "helped")]]  # nothing more for everyone
    assert not await OutboxMessage.filter(text=used).exists()
    assert not await OutboxMessage.filter(status="pending").exists()  # nor later


async def test_a_press_first_handled_on_slacks_retry_shows_on_the_message(
    engine: Engine, db_url: str
) -> None:
    async with running_slack(engine, db_url) as slack:
        await slack.dm("vpn keeps dropping")
        [answer] = await slack.posts()
        [button] = [b for b in answer.buttons() if b["text"]["text"] == "Didn't help"]
        [block] = [b for b in answer.args["blocks"] if button in b.get("elements", ())]
        payload = block_actions(answer, button, block, user="U1")
        press = press_from_action(payload)
        assert press is not None
        # The first delivery was recorded and acknowledged, then its instance died.
        assert await engine.accept(press.message)
        assert (await slack.sender.interaction(payload, retry=1))[0] == 200
        sent = await slack.settle()
    [update] = [c for c in sent if c.method == "chat.update"]
    assert pressed_label(update) == "› Didn't help" and update.buttons() == []
    assert await Ticket.all().count() == 1


class DiesBeforeThePress(GatedCore):
    """The engine, but the instance stops after the first press's ack, before its turn."""

    async def handle(self, message: IncomingMessage, *, durable: bool = False) -> list[Reply]:
        if message.button is not None and not self.gate.is_set():
            self.gate.set()
            raise asyncio.CancelledError
        return await self.engine.handle(message, durable=durable)


async def test_a_press_recovered_after_a_crash_shows_on_the_message(
    engine: Engine, db_url: str
) -> None:
    async with running_slack(engine, db_url, core=DiesBeforeThePress(engine)) as slack:
        await slack.dm("vpn keeps dropping")
        [answer] = await slack.posts()
        assert (await slack.press(answer, "Didn't help"))[0] == 200
        assert await slack.settle() == [answer]  # acknowledged, then the instance died
        assert await slack.channel.recover(older_than=timedelta(0)) == 1
        await slack.settle()
    [update] = slack.api.calls_to("chat.update")
    assert (update.args["channel"], update.args["ts"]) == ("DU1", answer.response["ts"])
    assert pressed_label(update) == "› Didn't help" and update.buttons() == []
    assert texts(update) == texts(answer)
    assert await Ticket.all().count() == 1


async def test_a_press_during_a_chat_with_an_agent_reaches_the_agent_once(
    db_url: str, knowledge: KnowledgeBase
) -> None:
    async with running_desk(db_url, knowledge, team_settings()) as desk:
        await desk.dm("vpn keeps dropping")
        answer = await desk.dm_saying("VPN does not connect")
        thread = await claimed_thread(desk)
        await desk.sender.interaction(press_of(answer, "Didn't help"))
        await desk.in_thread_saying(thread, "[Didn't help]")
        await desk.channel.join()
        await desk.sender.interaction(press_of(answer, "Helped"))  # Slack's copy had them
        await desk.channel.join()
    relayed = await OutboxMessage.filter(text__contains="u1:").values_list("text", flat=True)
    assert relayed == ["**u1:** \\[Didn't help\\]"]  # to the agent, once
    told = [c for c in desk.api.calls_to("chat.postMessage") if c.args["channel"] == "DU1"]
    assert texts(told[-1]) == [PHRASES.get("en", "button_used")]
    [update] = [c for c in desk.api.calls_to("chat.update") if c.args["channel"] == "DU1"]
    assert pressed_label(update) == "› Didn't help"
    assert not await ButtonAction.filter(used_at=None, key__in=keys_of(answer)).exists()
    assert await Ticket.all().count() == 0 and await Feedback.all().count() == 0


async def test_a_press_while_slack_takes_the_answer_is_answered_once_it_is_taken(
    engine: Engine, db_url: str
) -> None:
    """The press's thanks waits behind the answer still being posted (`order.py`) and goes
    when the answer is recorded sent. The outbox's clock stands still (ahead of the real
    time rows are written at, short of the answer's lease) and its sender has no tick: the
    hold's RECHECK never runs out, so only the wake on that record can send the thanks."""
    stopped = Clock(datetime.now(UTC) + timedelta(seconds=30))
    outbox = SpyOutbox(DbOutbox(clock=stopped))
    thanks = PHRASES.get("en", "helped")
    setup = DeskSetup(outbox, every=timedelta(hours=1))
    async with running_slack(engine, db_url, desk=setup) as slack:
        slow = slack.api.hold("chat.postMessage")
        await slack.dm("vpn keeps dropping")
        [answer] = await slack.posts()  # Slack has it, and takes its time
        await slack.press(answer, "Helped")
        await held_back(outbox, thanks, after=stopped.now)
        slow.set()
        posted = await slack.api.wait_for("chat.postMessage", count=2)
        await slack.settle()
    assert [texts(call) for call in posted[1:]] == [[thanks]]
    assert (await OutboxMessage.get(text=thanks)).status == "sent"


async def held_back(outbox: SpyOutbox, text: str, *, after: datetime) -> None:
    """Wait until a sender has held back the message `text` behind an earlier one: it is
    not due until `after`."""
    while True:
        claims = outbox.claims
        if await OutboxMessage.filter(text=text, available_at__gt=after).exists():
            return
        await outbox.until_claimed(claims + 1)


def press_of(call: Call, label: str) -> dict[str, Any]:
    """U1's press of the button labelled `label` on the message of `call`."""
    [button] = [b for b in call.buttons() if b["text"]["text"] == label]
    [block] = [b for b in call.args["blocks"] if button in b.get("elements", ())]
    return block_actions(call, button, block, user="U1")


def keys_of(call: Call) -> list[str]:
    return [str(button["value"]) for button in call.buttons()]
