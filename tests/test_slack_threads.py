"""A user's replies in the thread of their mention, without mentioning the bot again, end to
end: signed events into the real slack-bolt code, the Web API faked (`fakes/slack_api.py`).

The bot takes them from the user it is talking with in that thread; everybody else's talk
there, and every other channel message, is ignored and leaves nothing in the database.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from bot.adapters.memory import MemoryChat
from bot.engine import Engine
from bot.intake import THREAD_QUIET
from bot.knowledge.base import KnowledgeBase
from bot.messages import message_from_payload
from bot.storage.models import (
    Conversation,
    Handoff,
    InboundEvent,
    OutboxMessage,
    TranscriptMessage,
    UnansweredQuestion,
    User,
)
from tests.fakes.slack_api import BOT_USER, TEAM, Call
from tests.fakes.slack_desk import BOB, DESK, EVE, DeskSide, running_desk, team_settings
from tests.handoff_support import build_world
from tests.test_slack import Slack, running_slack, texts

CHANNEL = "C0GEN"


def channel_message(
    text: str, *, user: str, ts: str, thread: str | None = None, channel: str = CHANNEL
) -> dict[str, Any]:
    """A `message` event in a public channel (`message.channels`): in a thread if given."""
    event = {"type": "message", "channel_type": "channel", "channel": channel, "user": user}
    event |= {"text": text, "ts": ts, "team": TEAM}
    return event | ({"thread_ts": thread} if thread else {})


def mention_event(text: str, *, user: str, ts: str, thread: str | None = None) -> dict[str, Any]:
    event = {"type": "app_mention", "channel": CHANNEL, "user": user, "ts": ts, "team": TEAM}
    event["text"] = f"<@{BOT_USER}> {text}"
    return event | ({"thread_ts": thread} if thread else {})


async def send(sender: Any, event: dict[str, Any], **options: Any) -> None:
    assert (await sender.event(event, **options))[0] == 200


async def nothing_kept_of(marker: str, *, user: str | None = None) -> None:
    """No trace of a message with `marker` in it (nor of `user`, who spoke only there)."""
    assert not await TranscriptMessage.filter(text__contains=marker).exists()
    assert not await UnansweredQuestion.filter(text__contains=marker).exists()
    assert not await OutboxMessage.filter(text__contains=marker).exists()
    assert not [e for e in await InboundEvent.all() if marker in json.dumps(e.payload)]
    if user is not None:
        assert not await User.filter(external_id=user).exists()


@pytest.fixture
async def slack(engine: Engine, db_url: str) -> AsyncIterator[Slack]:
    async with running_slack(engine, db_url) as running:
        yield running


def in_thread(call: Call, thread: str) -> bool:
    return call.args.get("channel") == CHANNEL and call.args.get("thread_ts") == thread


async def test_the_users_reply_in_the_thread_is_answered_without_a_mention(slack: Slack) -> None:
    thread = "1700000100.000001"
    await send(slack.sender, mention_event("forgot my password", user="U1", ts=thread))
    [first] = await slack.posts()
    assert in_thread(first, thread)
    reply = channel_message("vpn keeps dropping", user="U1", ts="1700000101.1", thread=thread)
    await send(slack.sender, reply)
    [_, second] = await slack.posts(2)
    assert in_thread(second, thread) and texts(second)[0].startswith("*VPN does not connect*")
    said = TranscriptMessage.filter(direction="in", text="vpn keeps dropping")
    assert await said.count() == 1


async def test_other_peoples_talk_and_top_level_messages_are_ignored_and_not_kept(
    slack: Slack,
) -> None:
    thread = "1700000200.000001"
    await send(slack.sender, mention_event("vpn keeps dropping", user="U1", ts=thread))
    await slack.posts()
    events = [
        channel_message(
            "U2-marker vpn keeps dropping", user="U2", ts="1700000201.1", thread=thread
        ),
        channel_message("top-marker vpn keeps dropping", user="U1", ts="1700000202.1"),
        channel_message("other-marker vpn", user="U1", ts="1700000203.1", thread="1700000009.1"),
    ]
    for event in events:
        await send(slack.sender, event)
    assert len(await slack.settle()) == 1  # the mention's answer only
    await nothing_kept_of("U2-marker", user="U2")
    await nothing_kept_of("top-marker")
    await nothing_kept_of("other-marker")
    chats = await Conversation.all().values_list("chat_id", flat=True)
    assert chats == [f"{CHANNEL}/{thread}"]
    assert await InboundEvent.all().count() == 1
    asked = [c.args.get("user") for c in slack.api.calls_to("users.info")]
    assert "U2" not in asked  # not even the profile of someone the bot does not talk with


async def test_a_reply_that_mentions_the_bot_is_handled_once(slack: Slack) -> None:
    """Slack sends it twice: as `app_mention` and as `message`, with two event ids."""
    thread = "1700000300.000001"
    await send(slack.sender, mention_event("forgot my password", user="U1", ts=thread))
    await slack.answered()
    ts = "1700000301.1"
    mentioned = mention_event("vpn keeps dropping", user="U1", ts=ts, thread=thread)
    as_message = channel_message(mentioned["text"], user="U1", ts=ts, thread=thread)
    await send(slack.sender, as_message)
    await send(slack.sender, mentioned)
    assert len(await slack.settle()) == 2
    assert await TranscriptMessage.filter(text__contains="vpn keeps dropping").count() == 1
    assert await InboundEvent.all().count() == 2  # the first mention and the second one


async def test_a_retried_thread_reply_is_answered_once(slack: Slack) -> None:
    thread = "1700000400.000001"
    await send(slack.sender, mention_event("forgot my password", user="U1", ts=thread))
    await slack.answered()
    reply = channel_message("позовите человека", user="U1", ts="1700000401.1", thread=thread)
    for retry in (0, 1, 2):
        await send(slack.sender, reply, event_id="EvTHREAD", retry=retry)
    assert len(await slack.settle()) == 2
    assert await TranscriptMessage.filter(direction="in", text="позовите человека").count() == 1


async def in_the_users_thread(desk: DeskSide, thread: str, words: str) -> Call:
    def found(call: Call) -> bool:
        return in_thread(call, thread) and words in call.text

    return await desk.api.wait_until(found)


async def test_the_users_reply_reaches_the_agent_and_only_theirs(
    db_url: str, knowledge: KnowledgeBase
) -> None:
    async with running_desk(db_url, knowledge, team_settings()) as desk:
        thread = "1700000500.000001"
        await send(desk.sender, mention_event("I want to talk to a human", user="U1", ts=thread))
        card = await desk.card()
        desk_thread = str(card.response["ts"])
        await desk.claim(card, user=BOB)
        await in_the_users_thread(desk, thread, "U0BOB from IT has joined the chat")
        reply = channel_message("error 809", user="U1", ts="1700000501.1", thread=thread)
        await send(desk.sender, reply)
        await desk.in_thread_saying(desk_thread, "error 809")
        other = "eve-marker did you restart it?"
        await send(desk.sender, channel_message(other, user=EVE, ts="1700000502.1", thread=thread))
        await desk.in_thread(desk_thread, "Try restarting the router, please")
        await in_the_users_thread(desk, thread, "Try restarting the router, please")
        await desk.channel.stop()  # every action done, the sender's last round recorded
    relayed = [c for c in desk.api.calls if c.args.get("channel") == DESK and "809" in c.text]
    assert len(relayed) == 1
    assert not [c for c in desk.api.calls if "eve-marker" in c.text]
    await nothing_kept_of("eve-marker", user=EVE)


async def test_the_core_takes_an_unaddressed_message_only_in_the_users_conversation(
    engine: Engine,
) -> None:
    """The seam's promise, for any channel: `accept` records nothing of a message it does not
    take, and `handle` (called without `accept`, as the web chat does) neither; a recorded
    one keeps its flag, so a crash's recovery still knows it."""
    ann, bea = (
        MemoryChat(engine.handle, chat_id="C1/1.1"),
        MemoryChat(engine.handle, user_id="bea", chat_id="C1/1.1"),
    )
    stranger = replace(bea.message("bea-marker vpn keeps dropping"), unaddressed=True)
    assert not await engine.accept(stranger)
    assert await engine.handle(stranger) == []
    await nothing_kept_of("bea-marker", user="bea")
    early = replace(ann.message("vpn keeps dropping"), unaddressed=True)
    assert await engine.handle(early) == []  # no conversation of Ann's in the thread yet
    await ann.say("forgot my password")
    reply = replace(ann.message("ann-marker vpn keeps dropping"), unaddressed=True)
    assert await engine.accept(reply)
    [event] = [e for e in await InboundEvent.all() if "ann-marker" in json.dumps(e.payload)]
    assert message_from_payload(event.payload) == reply
    [answer] = await engine.handle(reply)  # the answer, or "Did you mean" it (the marker)
    assert "VPN does not connect" in " ".join([answer.text, *(b.label for b in answer.buttons)])


async def test_a_quiet_thread_is_colleagues_talk_again_unless_the_desk_has_it(
    db_url: str, knowledge: KnowledgeBase
) -> None:
    """A day after the user last spoke with the bot in a thread, their replies there are taken
    only with a mention: before, the bot answered their talk with colleagues months later.
    A request with the desk keeps the thread the bot's however long it takes."""
    engine = build_world(db_url, knowledge).engine
    ann = MemoryChat(engine.handle, chat_id="C1/1.1")
    await ann.say("my vpn is broken, I want a human")
    assert await Handoff.filter(status="waiting").exists()
    reply = replace(ann.message("quiet-marker see you at lunch"), unaddressed=True)
    long_ago = datetime.now(UTC) - THREAD_QUIET - timedelta(minutes=1)
    await Conversation.filter(chat_id="C1/1.1").update(updated_at=long_ago)
    assert await engine.accept(reply)  # still waiting for an agent: the bot's thread
    await ann.say("/cancel")
    await Conversation.filter(chat_id="C1/1.1").update(updated_at=long_ago)
    quiet = replace(reply, event_id="quiet-2")
    assert not await engine.accept(quiet)
    assert await engine.handle(quiet) == []
