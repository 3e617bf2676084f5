"""A Slack agent is named by their Slack name in what the user and the desk read (an event
carries only their id, "U0BOB"); who may act is still decided on that id. End to end: the
composition root's Slack branch, the real slack-bolt stack and the fake Slack Web API."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from bot.knowledge.base import KnowledgeBase
from bot.storage.models import TranscriptMessage
from tests.fakes.slack_desk import BOB, EVE, DeskSide, running_desk, team_settings, updated_with


@pytest.fixture
async def desk(db_url: str, knowledge: KnowledgeBase) -> AsyncIterator[DeskSide]:
    async with running_desk(db_url, knowledge, team_settings()) as running:
        yield running


async def test_the_user_and_the_desk_read_the_agents_slack_name(desk: DeskSide) -> None:
    """They read "U0BOB from IT has joined the chat" and "taken by U0BOB"."""
    desk.api.names[BOB] = "Bob Smith"
    desk.api.names[EVE] = "Eve Intruder"  # not an agent: her name is kept nowhere
    await desk.dm("I want to talk to a human")
    card = await desk.card()
    thread = str(card.response["ts"])
    await desk.claim(card, user=EVE)
    await desk.told(EVE, "not an agent")
    await desk.claim(card, user=BOB)
    await desk.dm_saying("Bob Smith from IT has joined the chat")
    await desk.in_thread_saying(thread, "taken by Bob Smith")
    await desk.api.wait_until(lambda c: updated_with(c, "Claimed by Bob Smith"))
    await desk.in_thread(thread, "Try restarting the router")
    said = await desk.dm_saying("Try restarting the router")
    assert "Bob Smith" in said.text and BOB not in said.text
    await desk.in_thread(thread, "!note the router is old")
    await desk.told(BOB, "Note saved")
    note = await TranscriptMessage.get(direction="note")
    assert note.text == "Bob Smith: the router is old"
    await desk.in_thread(thread, "!close")
    await desk.dm_saying("Bob Smith has closed the chat")
    asked = [c.args["user"] for c in desk.api.calls_to("users.info")]
    assert asked.count(BOB) == 1  # asked once, then kept, as for users


async def test_an_agent_slack_does_not_name_goes_by_their_id(desk: DeskSide) -> None:
    await desk.dm("I want to talk to a human")
    await desk.claim(await desk.card(), user=BOB)
    await desk.dm_saying(f"{BOB} from IT has joined the chat")
