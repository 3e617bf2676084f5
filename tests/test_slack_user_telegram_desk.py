"""A Slack user served from a Telegram desk, end to end: both channels on one engine, the
real slack-bolt and python-telegram-bot stacks against the fake Slack Web API and the fake
Bot API. Every wait is on calls a fake recorded."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import pytest

from bot.adapters.web import create_web_app
from bot.app import build_engine
from bot.channels import build_desk
from bot.config import Settings
from bot.handoff import DbOutbox
from bot.knowledge.base import KnowledgeBase
from tests.fakes.slack_api import FakeSlackApi
from tests.fakes.slack_desk import DeskSide
from tests.fakes.slack_harness import http_channel, serving, unpaced
from tests.fakes.telegram_api import FakeBotAPI
from tests.fakes.telegram_desk import DESK, QUEUE, USAGE, arrives
from tests.fakes.telegram_spy import SpyCore, config_for, running_channel, unpaced_channel
from tests.fakes.telegram_updates import Updates
from tests.fakes.telegram_wire import visible_text

pytest_plugins = ["tests.fakes.telegram_harness"]
pytestmark = pytest.mark.usefixtures("ptb_timedelta")


@dataclass
class Sides:
    """Slack's side (the user's) and the Telegram desk's fake Bot API and updates."""

    slack: DeskSide
    api: FakeBotAPI
    updates: Updates


@pytest.fixture
async def sides(
    db_url: str, knowledge: KnowledgeBase, api: FakeBotAPI, updates: Updates
) -> AsyncIterator[Sides]:
    engine = build_engine(
        Settings(database_url=db_url, default_language="en"), knowledge, queue=QUEUE
    )
    every = timedelta(seconds=0.1)
    config = config_for(
        api, desk_chats=frozenset({str(DESK)}), desk_usage=USAGE, outbox_every=every
    )
    telegram = unpaced_channel(engine, config, desk=build_desk(QUEUE, engine), outbox=DbOutbox())
    async with FakeSlackApi() as slack_api:
        slack = http_channel(engine, slack_api)
        unpaced(slack)
        web_app = create_web_app(engine.handle)
        slack.mount(web_app)
        async with (
            serving(slack, web_app) as sender,
            running_channel(SpyCore(engine), config, channel=telegram),
        ):
            yield Sides(DeskSide(slack_api, sender, slack), api, updates)


async def test_a_slack_users_bold_reaches_the_telegram_desk_without_its_marks(
    sides: Sides,
) -> None:
    """Slack sends what the user made bold as "*bold*" (and says so in its blocks): the
    desk read the stars. What Slack did not format stays as typed."""
    sides.updates.group(DESK, "IT desk", kind="supergroup")
    await sides.slack.dm("I want a human")
    await arrives(sides.api, DESK, "slack")
    typed = "*Outlook* _still_ ~works~ fails: `C:\\x *y*` in file_name_2"
    await sides.slack.dm(typed, blocks=styled("Outlook", "still", "works"))
    relayed = await arrives(sides.api, DESK, "Outlook")
    shown = visible_text(relayed["text"])
    assert "Outlook still works fails: `C:\\x *y*` in file_name_2" in shown


async def test_a_telegram_agents_formatting_reaches_the_slack_user(sides: Sides) -> None:
    """Telegram gives an agent's bold as an entity beside the text: the user read it plain.
    What the agent typed ("# 1", "*.pst") stays as typed, a link keeps its address."""
    desk = sides.updates.group(DESK, "IT desk", kind="supergroup")
    bob = sides.updates.user(42, "Bob")
    await sides.slack.dm("I want a human")
    card = await arrives(sides.api, DESK, "slack")
    sides.api.push(sides.updates.press(bob, card, "Claim"))
    await sides.slack.dm_saying("has joined the chat")
    text = "# 1 Restart *.pst now, see the guide"
    bold = {"type": "bold", "offset": 4, "length": 7}
    link = {"type": "text_link", "offset": 31, "length": 5, "url": "https://x.example/g"}
    italic = {"type": "italic", "offset": 31, "length": 5}
    entities = [bold, italic, link]
    reply = sides.updates.message(bob, text, chat=desk, reply_to_message=card, entities=entities)
    sides.api.push(reply)
    said = await sides.slack.dm_saying("Restart")
    star = "<!date^00000000^{_}|*>"  # a "*" as typed (mrkdwn.py)
    assert said.args["text"].endswith(
        f"# 1 *Restart* {star}.pst now, see the _guide_ (<https://x.example/g>)"
    )


async def test_a_slack_users_mention_reaches_the_desk_as_a_name(sides: Sides) -> None:
    """Slack sends a mention of a colleague as "<@U0CAROL>": the desk read "@U0CAROL"."""
    sides.slack.api.names["U0CAROL"] = "Carol Jones"
    sides.updates.group(DESK, "IT desk", kind="supergroup")
    await sides.slack.dm("I want a human")
    await arrives(sides.api, DESK, "slack")
    await sides.slack.dm("<@U0CAROL> has the same problem")
    relayed = await arrives(sides.api, DESK, "same problem")
    assert "@Carol Jones has the same problem" in visible_text(relayed["text"])


def styled(bold: str, italic: str, struck: str) -> list[dict[str, Any]]:
    """The rich_text block of Slack's client for a message with words in these styles."""
    elements = [
        {"type": "text", "text": bold, "style": {"bold": True}},
        {"type": "text", "text": " "},
        {"type": "text", "text": italic, "style": {"italic": True}},
        {"type": "text", "text": " "},
        {"type": "text", "text": struck, "style": {"strike": True}},
    ]
    section = {"type": "rich_text_section", "elements": elements}
    return [{"type": "rich_text", "block_id": "typed", "elements": [section]}]


async def test_a_slack_channel_request_is_marked_on_the_telegram_desk(sides: Sides) -> None:
    """The agent's replies go to a channel's thread others read: the card said nothing (a
    Telegram group's does). Without `channels:read` the channel's name is not known."""
    sides.updates.group(DESK, "IT desk", kind="supergroup")
    await sides.slack.mention("my vpn is broken, I want a human")
    card = await arrives(sides.api, DESK, "Asked in")
    assert (
        "👥 Asked in a thread of a Slack channel: the replies go there, and everyone in the"
        " channel reads them." in visible_text(card["text"])
    )
