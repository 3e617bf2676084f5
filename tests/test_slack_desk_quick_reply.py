"""An agent who writes in the thread of a card the moment it appears in the Slack desk
channel, before the bot has recorded the card's ts (Slack shows the card but is slow to answer
chat.postMessage): the real engine and slack-bolt stack, the fake Web API. The fake holds back
the card's answer, and the desk's lookup is stepped (`Steps`), so the message surely comes
inside that moment."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from dataclasses import replace

import pytest

from bot.handoff.desk import Desk
from bot.knowledge.base import KnowledgeBase
from bot.storage.models import Handoff
from tests.fakes.lookup_steps import Steps
from tests.fakes.slack_desk import BOB, DESK, DeskSide, running_desk, team_settings


@pytest.fixture
def steps() -> Steps:
    return Steps()


@pytest.fixture
async def desk(db_url: str, knowledge: KnowledgeBase, steps: Steps) -> AsyncIterator[DeskSide]:
    async with running_desk(db_url, knowledge, team_settings()) as running:
        slack_desk = running.channel.desk
        assert slack_desk is not None and isinstance(slack_desk.port, Desk)
        slack_desk.port = replace(slack_desk.port, pause=steps.pause)  # the lookup, stepped
        yield running


async def test_a_message_in_the_thread_of_a_card_not_recorded_yet_reaches_the_user(
    desk: DeskSide, steps: Steps
) -> None:
    """It was ignored (a thread of no request: people talking) and lost; it waits for the
    card's ts and goes to the user."""
    answer = desk.api.hold("chat.postMessage", channel=DESK)  # shown; the bot not told yet
    await desk.dm("I want to talk to a human")
    card = await desk.card()
    thread = str(card.response["ts"])
    await desk.claim(card, user=BOB)  # the button names its request
    await desk.channel.join()
    assert (await Handoff.get()).agent == f"slack:{BOB}"

    await desk.in_thread(thread, "Restart FortiClient")
    done = asyncio.ensure_future(desk.channel.join())  # ignored: the action ends at once
    try:
        assert await steps.first(done)  # the lookup waits for the card's ts
    finally:
        answer.set()  # Slack answers: the sender records the card's ts
        steps.let_go()
        await done

    await desk.dm_saying("Restart FortiClient")
    assert (await Handoff.get()).desk_ref == thread
