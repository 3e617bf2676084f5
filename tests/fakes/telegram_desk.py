"""A Telegram desk group around the real engine, shared by the desk tests of several modules.

One team "it" works in the supergroup `DESK`, and Telegram user 42 is its agent.
`desk_channel` builds the channel as the composition root does (desk and outbox), with a
pacer that never waits, so the tests wait only for what the fake Bot API recorded.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterable
from contextlib import asynccontextmanager
from datetime import timedelta
from typing import Any

from bot.adapters.telegram import TelegramChannel, TelegramConfig
from bot.app import build_engine
from bot.channels import build_desk
from bot.config import Settings
from bot.handoff import DbOutbox, Queue, Team, Teams
from bot.handoff.desk_port import DeskPort
from bot.handoff.inbox import DbDeskInbox
from bot.handoff.outbox_port import Outbox
from bot.knowledge.base import KnowledgeBase
from bot.phrases import load_phrases
from tests.fakes.outbox import SpyOutbox
from tests.fakes.telegram_api import FakeBotAPI
from tests.fakes.telegram_spy import SpyCore, config_for, running_channel, unpaced_channel
from tests.fakes.telegram_updates import Updates
from tests.fakes.telegram_wire import visible_text

__all__ = [
    "DESK",
    "IT",
    "PHRASES",
    "QUEUE",
    "arrives",
    "claimed",
    "desk_channel",
    "desk_engine",
    "texts",
]

PHRASES = load_phrases()
DESK = -1001500
IT = Team(name="it", desk=f"telegram:{DESK}", agents=frozenset({"telegram:42"}))
QUEUE = Queue(Teams((IT,), default="it"), PHRASES, desk_language="en")
USAGE = PHRASES.get("en", "desk_telegram_commands")  # as the composition root sets it


def desk_engine(db_url: str, knowledge: KnowledgeBase) -> SpyCore:
    """The real engine with the desk's queue, spied on."""
    settings = Settings(database_url=db_url, default_language="en")
    return SpyCore(build_engine(settings, knowledge, queue=QUEUE))


def desk_channel(
    api: FakeBotAPI, core: SpyCore, outbox: Outbox, *, desk: DeskPort | None = None, **extra: Any
) -> tuple[TelegramConfig, TelegramChannel]:
    """The configuration and the (not yet started) channel serving `DESK` (with `desk`, or
    the desk as the app builds it); `extra` goes to `TelegramChannel` (an inbox, say)."""
    config = config_for(
        api,
        desk_chats=frozenset({str(DESK)}),
        outbox_every=timedelta(seconds=0.2),
        desk_usage=USAGE,
    )
    desk = desk or build_desk(QUEUE, core.engine)  # with the KB, as the app builds it
    channel = unpaced_channel(core, config, desk=desk, outbox=outbox, **extra)
    return config, channel


@asynccontextmanager
async def serving_desks(
    db_url: str,
    knowledge: KnowledgeBase,
    api: FakeBotAPI,
    queue: Queue,
    *,
    desks: Iterable[int] = (DESK,),
    language: str = "en",
    outbox: Outbox | None = None,
) -> AsyncIterator[TelegramChannel]:
    """The real engine with `queue`, its desks in the Telegram groups `desks`, and the
    database's outbox (or `outbox`: a `SpyOutbox` to wait for a card's id to be recorded)
    and desk inbox, served against the fake Bot API while in use."""
    engine = build_engine(
        Settings(database_url=db_url, default_language=language), knowledge, queue=queue
    )
    chats = frozenset(str(chat) for chat in desks)
    config = config_for(
        api, desk_chats=chats, outbox_every=timedelta(seconds=0.2), desk_usage=USAGE
    )
    channel = unpaced_channel(
        engine,
        config,
        desk=build_desk(queue, engine),
        outbox=outbox or DbOutbox(),
        inbox=DbDeskInbox(),
    )
    async with running_channel(SpyCore(engine), config, channel=channel):
        yield channel


def texts(api: FakeBotAPI, chat: int) -> list[str]:
    return [visible_text(m["text"]) for m in api.sent(chat)]


async def arrives(api: FakeBotAPI, chat: int, words: str) -> dict[str, Any]:
    """Wait for the bot's message to `chat` that contains `words`; that message."""
    await api.until(lambda: any(words in t for t in texts(api, chat)))
    return next(m for m in api.sent(chat) if words in visible_text(m["text"]))


async def claimed(
    api: FakeBotAPI, updates: Updates, outbox: SpyOutbox, user_id: int, text: str
) -> tuple[dict[str, Any], dict[str, Any], dict[str, Any]]:
    """A user (Ann) asks for a person with `text`, and Bob claims the card in the desk
    group: the group, Bob and the card."""
    desk = updates.group(DESK, "IT desk", kind="supergroup")
    ann, bob = updates.user(user_id, "Ann", "en"), updates.user(42, "Bob")
    api.push(updates.message(ann, text))
    card = await arrives(api, DESK, "Ann")
    await outbox.until_sent(card)
    api.push(updates.press(bob, card, "Claim"))
    await arrives(api, user_id, "has joined the chat")
    return desk, bob, card
