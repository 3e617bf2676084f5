"""The bot's own commands as a Slack user can type them, end to end (the real slack-bolt code
against the fake Web API). Slack's composer takes a message that starts with "/" for one of
its slash commands and refuses an unknown one ("/cancel is not a valid command"), so "write
/cancel to leave the queue" could not be done: on Slack the texts write them "!cancel", and
a user's "!cancel" is the command; in a `/helpdesk` conversation they read "/helpdesk /cancel".
"""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from bot.adapters.slack.convert import message_from_event
from bot.knowledge.base import KnowledgeBase
from bot.storage.models import Conversation, Handoff
from tests.fakes.slack_api import TEAM
from tests.fakes.slack_desk import DeskSide, running_desk, team_settings


@pytest.fixture
async def desk(db_url: str, knowledge: KnowledgeBase) -> AsyncIterator[DeskSide]:
    async with running_desk(db_url, knowledge, team_settings()) as running:
        yield running


async def test_the_queue_says_how_to_leave_it_as_slack_lets_one_type_it(desk: DeskSide) -> None:
    await desk.dm("I want to talk to a human")
    queued = await desk.dm_saying("!cancel")
    assert "/cancel" not in queued.text
    await desk.dm("!cancel")
    await desk.dm_saying("left the queue")
    assert (await Handoff.get()).status == "cancelled"


async def test_help_lists_the_commands_with_the_mark_and_they_work(desk: DeskSide) -> None:
    await desk.dm("!help")
    listed = await desk.dm_saying("!lang ru")
    assert "/lang" not in listed.text and "!tickets" in listed.text
    await desk.dm("!lang ru")
    await desk.dm_saying("русский")
    assert (await Conversation.get()).language == "ru"


async def test_in_a_helpdesk_conversation_they_are_written_after_the_command(
    desk: DeskSide,
) -> None:
    await desk.command("")  # "/helpdesk" alone: the help, visible to the user only
    [answer] = await desk.api.wait_for("response_url")
    assert "/helpdesk /lang ru" in answer.text
    assert "!lang" not in answer.text


@pytest.mark.parametrize(
    ("typed", "read"),
    [
        ("!cancel", "/cancel"),
        ("  !Lang en", "/Lang en"),
        ("!tickets", "/tickets"),
        ("!important: vpn is down", "!important: vpn is down"),  # no command of ours
        ("vpn!cancel", "vpn!cancel"),
    ],
)
def test_a_command_typed_with_the_mark_is_read_as_the_command(typed: str, read: str) -> None:
    event = {"type": "message", "channel_type": "im", "channel": "DU1", "user": "U1"}
    event |= {"text": typed, "ts": "1.1", "team": TEAM}
    message = message_from_event({"event": event, "event_id": "Ev1", "team_id": TEAM})
    assert message is not None and message.text == read
