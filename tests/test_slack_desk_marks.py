"""What a Slack agent types reaches the user as the agent saw it in Slack: Slack's own marks
(`*bold*`, `_italic_`, `~strike~`, code) mean what they mean in Slack, and everything else
(a path's backslashes, a lone `*`) is text. End to end: the composition root's Slack branch,
the real slack-bolt stack and the fake Slack Web API."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from bot.handoff.ticketed import to_ticket
from bot.knowledge.base import KnowledgeBase
from bot.storage.models import Handoff
from tests.fakes.slack_desk import (
    BOB,
    USER,
    DeskSide,
    claimed_thread,
    running_desk,
    team_settings,
)
from tests.test_slack_desk import QUEUE

PATH = r"\\fs01\share\*.pst"
SHOWN = PATH.replace("*", "<!date^00000000^{_}|*>")  # its "*" shows as typed, not as a mark


@pytest.fixture
async def desk(db_url: str, knowledge: KnowledgeBase) -> AsyncIterator[DeskSide]:
    async with running_desk(db_url, knowledge, team_settings()) as running:
        yield running


async def test_an_agents_reply_keeps_slack_marks_and_typed_text(desk: DeskSide) -> None:
    """A Slack agent's `*done*` reached the user in italics (CommonMark's emphasis), and a
    path lost a backslash and its `*` (CommonMark's escapes)."""
    thread = await claimed_thread(desk)
    await desk.in_thread(thread, f"Open {PATH} and it's *done*, _really_ ~not~ `C:\\x *y*`")
    told = await desk.dm_saying("Open")
    assert told.args["text"] == (
        f"*U0BOB:* Open {SHOWN} and it's *done*, _really_ ~not~ `C:\\x *y*`"
    )


async def test_a_resolution_note_keeps_slack_marks_and_typed_text(desk: DeskSide) -> None:
    await desk.dm("I want to talk to a human")
    await desk.card()
    await desk.channel.join()
    ticket = await to_ticket(QUEUE, await Handoff.get(), "timeout")
    await desk.at_top(f"!resolve {ticket.id} Restored {PATH} from *backup*")
    told = await desk.dm_saying("is resolved")
    assert f"is resolved: Restored {SHOWN} from *backup*\n" in told.args["text"]


async def test_a_card_names_a_slack_user_by_their_name(desk: DeskSide) -> None:
    """A DM carries only the user's id: the card said "from U1", which tells an agent on a
    Telegram desk (or one who does not know Slack ids by heart) nothing."""
    desk.api.names[USER] = "Ann Smith"
    await desk.dm("I want to talk to a human")
    card = await desk.card()
    assert "from Ann Smith (slack" in card.args["text"]


async def test_a_card_says_the_user_asked_in_a_channel_others_read(desk: DeskSide) -> None:
    """A Telegram group's request said so on its card; a Slack channel thread's did not, and
    the agent could not know their replies are public there. On a Slack desk the channel
    shows by its name (`<#C0GEN>`: Slack writes it)."""
    await desk.mention("I want to talk to a human")
    card = await desk.card()
    assert "Asked in a thread of <#C0GEN>: the replies go there" in card.args["text"]
    await desk.claim(card, user=BOB)
    thread = str(card.response["ts"])
    taken = await desk.in_thread_saying(thread, "taken by")
    assert "asked in a thread of <#C0GEN>: your replies go there" in taken.args["text"]


async def test_a_card_of_a_dm_says_nothing_of_a_channel(desk: DeskSide) -> None:
    await desk.dm("I want to talk to a human")
    card = await desk.card()
    assert "Asked in" not in card.args["text"] and "<#" not in card.args["text"]
