"""A Telegram user served from a Slack desk, end to end: both channels on one engine, the
real python-telegram-bot and slack-bolt stacks against the fake Bot API and the fake Slack
Web API. Every wait is on calls a fake recorded."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import timedelta
from typing import Any

import pytest

from bot.adapters.slack import DeskSetup, SlackChannel
from bot.adapters.web import create_web_app
from bot.app import build_engine
from bot.config import Settings
from bot.engine import Engine
from bot.handoff import DbOutbox, Desk, Queue, Team, Teams
from bot.knowledge.base import KnowledgeBase
from bot.phrases import load_phrases
from bot.storage.models import Handoff
from tests.fakes.slack_api import FakeSlackApi
from tests.fakes.slack_desk import BOB, DESK, DeskSide
from tests.fakes.slack_harness import http_channel, serving, unpaced
from tests.fakes.slack_payloads import rich_text
from tests.fakes.telegram_api import FakeBotAPI
from tests.fakes.telegram_spy import SpyCore, config_for, running_channel, unpaced_channel
from tests.fakes.telegram_updates import Updates
from tests.fakes.telegram_wire import visible_text

pytest_plugins = ["tests.fakes.telegram_harness"]
pytestmark = pytest.mark.usefixtures("ptb_timedelta")
PHRASES = load_phrases()
EVERY = timedelta(seconds=0.1)  # how soon a channel sees what the other one's turn wrote
IT = Team(name="it", desk=f"slack:{DESK}", agents=frozenset({f"slack:{BOB}"}))
QUEUE = Queue(Teams((IT,), default="it"), PHRASES, desk_language="en")


def desk_channel(engine: Engine, api: FakeSlackApi, **setup: Any) -> SlackChannel:
    """The Slack channel with its desk in `DESK` (more of its `DeskSetup` in `setup`),
    against the fake Web API and unpaced."""
    desk = DeskSetup(DbOutbox(), port=Desk(QUEUE), channels=frozenset({DESK}), every=EVERY, **setup)
    channel = http_channel(engine, api, desk=desk)
    unpaced(channel)
    return channel


@asynccontextmanager
async def running_slack(engine: Engine) -> AsyncIterator[DeskSide]:
    async with FakeSlackApi() as api:
        channel = desk_channel(engine, api, usage=PHRASES.get("en", "desk_slack_commands"))
        web_app = create_web_app(engine.handle)
        channel.mount(web_app)
        async with serving(channel, web_app) as sender:
            yield DeskSide(api, sender, channel)


@pytest.fixture
async def slack_desk(
    db_url: str, knowledge: KnowledgeBase, api: FakeBotAPI
) -> AsyncIterator[DeskSide]:
    """The Slack desk, with the Telegram channel on the same engine running alongside."""
    engine = build_engine(
        Settings(database_url=db_url, default_language="en"), knowledge, queue=QUEUE
    )
    config = config_for(api, outbox_every=EVERY)
    telegram = unpaced_channel(engine, config, desk=Desk(QUEUE), outbox=DbOutbox())
    async with (
        running_channel(SpyCore(engine), config, channel=telegram),
        running_slack(engine) as slack,
    ):
        yield slack


async def arrives(api: FakeBotAPI, chat: int, words: str) -> dict[str, Any]:
    """Wait for the bot's Telegram message to `chat` that contains `words`; that message."""

    def found() -> list[dict[str, Any]]:
        return [m for m in api.sent(chat) if words in visible_text(m["text"])]

    await api.until(found)
    return found()[0]


async def served(slack_desk: DeskSide, api: FakeBotAPI, updates: Updates, chat: int) -> str:
    """Telegram user Ann (`chat`) asks for a person and Bob claims her card on the Slack
    desk: the card's thread."""
    ann = updates.user(chat, "Ann", "en")
    api.push(updates.message(ann, "my vpn is broken, I want a human"))
    card = await slack_desk.card()
    thread = str(card.response["ts"])
    await slack_desk.claim(card, user=BOB)
    await arrives(api, chat, "has joined the chat")
    return thread


async def test_a_telegram_user_served_from_a_slack_desk(
    slack_desk: DeskSide, api: FakeBotAPI, updates: Updates
) -> None:
    ann = updates.user(601, "Ann", "en")
    api.push(updates.message(ann, "my vpn is broken, I want a human"))
    await arrives(api, 601, "number")
    card = await slack_desk.card()
    assert "Ann" in card.text and "telegram" in card.text
    thread = str(card.response["ts"])

    await slack_desk.claim(card, user=BOB)
    await arrives(api, 601, f"{BOB} from IT has joined the chat")
    await slack_desk.in_thread_saying(thread, f"taken by {BOB}")

    await slack_desk.in_thread(thread, "Restart FortiClient, please")
    await arrives(api, 601, "Restart FortiClient, please")
    api.push(updates.message(ann, "it says error 809"))
    await slack_desk.in_thread_saying(thread, "error 809")

    await slack_desk.in_thread(thread, "!close")
    await arrives(api, 601, f"{BOB} has closed the chat")
    await slack_desk.channel.join()
    assert (await Handoff.get()).status == "closed"
    assert not [m for m in api.sent(601) if "error 809" in visible_text(m["text"])]


async def test_a_slack_agents_emoji_reach_the_telegram_user_as_emoji(
    slack_desk: DeskSide, api: FakeBotAPI, updates: Updates
) -> None:
    """Slack sends what an agent types with its emoji as shortcodes; the user read
    ":slightly_smiling_face:" where the agent had put 🙂."""
    thread = await served(slack_desk, api, updates, 602)
    typed = "Fixed :slightly_smiling_face: try now :+1::skin-tone-3:"
    emoji = {"slightly_smiling_face": "1f642", "+1": "1f44d"}
    await slack_desk.in_thread(thread, typed, blocks=rich_text(typed, emoji))
    relayed = await arrives(api, 602, "Fixed")
    assert visible_text(relayed["text"]) == f"{BOB}: Fixed 🙂 try now 👍🏼"


async def test_a_slack_agents_mentions_reach_the_telegram_user_as_names(
    slack_desk: DeskSide, api: FakeBotAPI, updates: Updates
) -> None:
    """Slack sends a mention of a colleague as "<@U0CAROL>": the user read "@U0CAROL"."""
    slack_desk.api.names["U0CAROL"] = "Carol Jones"
    thread = await served(slack_desk, api, updates, 603)
    typed = "<@U0CAROL> will call you; see <#C0NET|network>, <!date^1392734382^{date}|Feb 18>"
    await slack_desk.in_thread(thread, typed)
    relayed = await arrives(api, 603, "will call")
    said = "@Carol Jones will call you; see #network, Feb 18"
    assert visible_text(relayed["text"]) == f"{BOB}: {said}"
    await slack_desk.in_thread(thread, "<@U0CAROL> again")
    await arrives(api, 603, "@Carol Jones again")
    asked = [c.args["user"] for c in slack_desk.api.calls_to("users.info")]
    assert asked.count("U0CAROL") == 1


async def test_a_chat_line_reads_as_typed_not_as_kb_markdown(
    slack_desk: DeskSide, api: FakeBotAPI, updates: Updates
) -> None:
    """An agent's "# 1" became a bold heading, "---" a rule, "+ x" a bullet: a chat keeps
    the bold the platform gave and shows the rest as typed, both ways."""
    thread = await served(slack_desk, api, updates, 604)
    ann = updates.user(604, "Ann", "en")
    typed = "Steps:\n# 1\n---\n+ restart\n2) *call* us\n&gt; done\n| a | b |\n|---|---|"
    await slack_desk.in_thread(thread, typed)
    relayed = await arrives(api, 604, "Steps")
    shown = "Steps:\n# 1\n---\n+ restart\n2) call us\n> done\n| a | b |\n|---|---|"
    assert visible_text(relayed["text"]) == f"{BOB}: {shown}"
    assert "<b>call</b>" in relayed["text"]
    api.push(updates.message(ann, "# 2\n===\n- tried\n3. twice"))
    said = await slack_desk.in_thread_saying(thread, "tried")
    assert said.args["text"] == "*Ann:* # 2\n===\n- tried\n3. twice"


async def test_a_forwarded_message_reaches_the_desk_marked_with_its_author(
    slack_desk: DeskSide, api: FakeBotAPI, updates: Updates
) -> None:
    """A user forwards what a colleague or a channel wrote: the desk read it as the user's."""
    thread = await served(slack_desk, api, updates, 605)
    ann = updates.user(605, "Ann", "en")
    carol = {"type": "user", "date": 1, "sender_user": updates.user(606, "Carol", "en")}
    api.push(updates.message(ann, "error 809 again", forward_origin=carol))
    said = await slack_desk.in_thread_saying(thread, "error 809 again")
    assert said.args["text"] == "*Ann* (forwarded from Carol): error 809 again"
    news = {"type": "channel", "date": 1, "message_id": 7}
    news["chat"] = {"id": -100777, "type": "channel", "title": "IT *news*"}
    api.push(updates.message(ann, "VPN is down", forward_origin=news))
    said = await slack_desk.in_thread_saying(thread, "VPN is down")
    assert "(forwarded from IT" in said.args["text"] and "news" in said.args["text"]
    api.push(updates.message(ann, "and my own words"))
    said = await slack_desk.in_thread_saying(thread, "and my own words")
    assert said.args["text"] == "*Ann:* and my own words"


async def test_the_desk_is_told_a_user_wrote_from_a_group(
    slack_desk: DeskSide, api: FakeBotAPI, updates: Updates
) -> None:
    """The agent's replies go to the group, which others read: the card did not say so."""
    group = updates.group(-4107, "Branch *12*")
    ann = updates.user(607, "Ann", "en")
    api.push(updates.message(ann, "@helpdesk_bot my vpn is broken, I want a human", chat=group))
    card = await slack_desk.card()
    assert "in the group «Branch *12*»" in card.args["text"].replace("<!date^00000000^{_}|*>", "*")
    thread = str(card.response["ts"])
    await slack_desk.claim(card, user=BOB)
    taken = await slack_desk.in_thread_saying(thread, f"taken by {BOB}")
    assert "group" in taken.args["text"] and "Branch" in taken.args["text"]
