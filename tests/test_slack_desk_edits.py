"""An agent on a Slack desk who corrects a reply in a card's thread soon after sending it (a
typo in a command or a path), end to end: the composition root's Slack branch, the real
slack-bolt stack and the fake Slack Web API. Slack sends an edit as a `message_changed`
event whose `message` is the message as it now reads, with `edited.ts`."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import pytest

from bot.knowledge.base import KnowledgeBase
from bot.phrases import load_phrases
from bot.storage.models import OutboxMessage
from tests.fakes.slack_api import TEAM
from tests.fakes.slack_desk import (
    BOB,
    DESK,
    USER,
    DeskSide,
    claimed_thread,
    running_desk,
    team_settings,
)

PHRASES = load_phrases()


@pytest.fixture
async def desk(db_url: str, knowledge: KnowledgeBase) -> AsyncIterator[DeskSide]:
    async with running_desk(db_url, knowledge, team_settings()) as running:
        yield running


async def changed(
    desk: DeskSide, where: tuple[str, str], message: dict[str, Any], *, after: int
) -> None:
    """Slack's `message_changed` event in channel `where` (its id and type): `message` (as
    Slack sends it, with its `user` and `ts`) edited by its author `after` seconds after it
    was sent."""
    edited = f"{float(message['ts']) + after:.6f}"
    message = {"type": "message", "team": TEAM} | message
    message["edited"] = {"user": message["user"], "ts": edited}
    channel, kind = where
    event = {"type": "message", "subtype": "message_changed", "channel": channel, "hidden": True}
    event |= {"channel_type": kind, "message": message, "ts": edited, "event_ts": edited}
    status, _ = await desk.sender.event(event)
    assert status == 200


async def edit(desk: DeskSide, thread: str, ts: str, text: str, *, after: int, **more: Any) -> None:
    """Bob's message `ts` in the thread now reads `text`, edited `after` seconds after it
    was sent (`more` added to the message: a link's preview; an unfurl of a message never
    edited comes without `edited`)."""
    message = {"user": BOB, "text": text, "ts": ts, "thread_ts": thread} | more
    await changed(desk, (DESK, "channel"), message, after=after)


async def test_an_agents_reply_corrected_soon_reaches_the_user_as_on_telegram(
    desk: DeskSide,
) -> None:
    """The edit was not read (Slack's edits never were): the user kept "Restart the
    ruoter" while the thread showed the agent "router". A Telegram desk agent's correction
    within two minutes reaches the user; a Slack desk agent's now does too, and a later edit
    (a reworded sentence, long after) is still left alone."""
    thread = await claimed_thread(desk)
    typo = await desk.in_thread(thread, "Restart the ruoter")
    await desk.dm_saying("Restart the ruoter")
    await edit(desk, thread, typo, "Restart the router", after=20)
    await desk.dm_saying("(corrected): Restart the router")  # marked as a correction
    late = await desk.in_thread(thread, "Then open the portal")
    await desk.dm_saying("Then open the portal")
    await edit(desk, thread, late, "Then open the portal, please", after=600)
    await desk.in_thread(thread, "!note done")
    await desk.told(BOB, PHRASES.get("en", "desk_note_saved"))
    await desk.channel.stop()  # every action done, the sender's last round recorded
    assert not await OutboxMessage.filter(chat_id=f"D{USER}", text__contains="please").exists()


async def test_an_unfurled_link_is_no_correction(desk: DeskSide) -> None:
    """Slack changes a message to add a link's preview (no `edited`): not sent again."""
    thread = await claimed_thread(desk)
    ts = await desk.in_thread(thread, "See <https://wiki.example/vpn>")
    await desk.dm_saying("wiki.example/vpn")
    message = {"type": "message", "user": BOB, "text": "See <https://wiki.example/vpn>"}
    message |= {"ts": ts, "thread_ts": thread, "attachments": [{"title": "VPN"}]}
    event = {"type": "message", "subtype": "message_changed", "channel": DESK}
    event |= {"channel_type": "channel", "message": message, "ts": "1699999998.5"}
    assert (await desk.sender.event(event))[0] == 200
    await desk.in_thread(thread, "!note done")
    await desk.told(BOB, PHRASES.get("en", "desk_note_saved"))
    await desk.channel.stop()  # every action done, the sender's last round recorded
    relayed = OutboxMessage.filter(chat_id=f"D{USER}", text__contains="wiki.example")
    assert await relayed.count() == 1


async def user_edits(desk: DeskSide, ts: str, text: str, *, after: int) -> None:
    """The user's DM message `ts` now reads `text`, edited `after` seconds after sending."""
    message = {"user": USER, "text": text, "ts": ts}
    await changed(desk, (f"D{USER}", "im"), message, after=after)


async def test_a_users_corrected_message_reaches_the_agent_marked_as_on_telegram(
    desk: DeskSide,
) -> None:
    """A Slack user's edit was not read at all: the agent kept "floor 2" where the user had
    fixed it to "floor 3". A Telegram user's correction reaches the desk marked as one."""
    thread = await claimed_thread(desk)
    ts = await desk.dm("The printer on floor 2 jams")
    await desk.in_thread_saying(thread, "floor 2")
    await user_edits(desk, ts, "The printer on floor 3 jams", after=30)
    said = PHRASES.get("en", "desk_user_edits", user=USER, text="The printer on floor 3 jams")
    await desk.in_thread_saying(thread, said.replace("**", "*"))


async def test_a_question_corrected_soon_is_answered_again_as_on_telegram(
    desk: DeskSide,
) -> None:
    ts = await desk.dm("how do I conect to the vpm")
    await desk.dm_saying("Could you put it differently")
    await user_edits(desk, ts, "vpn does not connect", after=40)
    await desk.dm_saying("Helped")  # the VPN article, with its buttons


async def test_a_corrected_reply_whose_link_slack_then_previews_goes_once(
    desk: DeskSide,
) -> None:
    """Slack changes an edited message again to add its link's preview: the same edit
    (the same `edited.ts`) in a second event, which is no second correction."""
    thread = await claimed_thread(desk)
    ts = await desk.in_thread(thread, "See the wiki")
    await desk.dm_saying("See the wiki")
    fixed = "See <https://wiki.example/vpn>"
    await edit(desk, thread, ts, fixed, after=15)
    await edit(desk, thread, ts, fixed, after=15, attachments=[{"title": "VPN"}])
    await desk.dm_saying("wiki.example/vpn")
    await desk.in_thread(thread, "!note done")
    await desk.told(BOB, PHRASES.get("en", "desk_note_saved"))
    await desk.channel.stop()  # every action done, the sender's last round recorded
    relayed = OutboxMessage.filter(chat_id=f"D{USER}", text__contains="wiki.example")
    assert await relayed.count() == 1
