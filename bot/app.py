"""The composition root: builds every part from the validated settings, and runs them."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Protocol

from aiohttp import web

from bot.adapters.web import bound_port, create_web_app, serve
from bot.config import Settings
from bot.dialog import Dialog
from bot.effects import Effects
from bot.engine import Engine
from bot.handoff import TicketDesk
from bot.knowledge.base import KnowledgeBase, load_knowledge_base
from bot.knowledge.matcher import DEFAULT_ANSWER_THRESHOLD, DEFAULT_SUGGEST_THRESHOLD
from bot.phrases import load_intents, load_phrases
from bot.storage import database

__all__ = ["Channel", "build_engine", "running", "serve_forever", "thresholds"]

log = logging.getLogger(__name__)


def thresholds(settings: Settings) -> tuple[float, float]:
    """(answer, suggest) thresholds: the settings', or the matcher's calibrated defaults."""
    answer = settings.answer_threshold
    suggest = settings.suggest_threshold
    answer = DEFAULT_ANSWER_THRESHOLD if answer is None else answer
    suggest = min(DEFAULT_SUGGEST_THRESHOLD, answer) if suggest is None else suggest
    return answer, suggest


def build_engine(settings: Settings, knowledge: KnowledgeBase | None = None) -> Engine:
    """The conversation engine over the KB of the settings (loaded and validated here)."""
    knowledge = knowledge or load_knowledge_base(settings.kb_dir)
    answer, suggest = thresholds(settings)
    dialog = Dialog(
        phrases=load_phrases(),
        articles=knowledge.articles,
        answer_threshold=answer,
        suggest_threshold=suggest,
    )
    effects = Effects(
        phrases=dialog.phrases,
        articles=knowledge.articles,
        handoff=TicketDesk(),
        max_stored_chars=settings.max_stored_chars,
    )
    return Engine(
        dialog=dialog,
        knowledge=knowledge,
        intents=load_intents(),
        effects=effects,
        default_language=settings.default_language,
    )


@asynccontextmanager
async def running(settings: Settings) -> AsyncIterator[Engine]:
    """A migrated, connected database and an engine; closes the connections at the end."""
    engine = build_engine(settings)  # the KB is checked before anything else starts
    await database.migrate(settings.database_url)
    await database.connect(settings.database_url)
    try:
        yield engine
    finally:
        await database.close()


class Channel(Protocol):
    """A messaging platform the bot serves, started after the web server is listening."""

    async def start(self) -> None:
        """Connect (polling, socket mode, webhook registration) and serve."""
        ...

    async def stop(self) -> None:
        """Stop taking new messages and finish what is in flight."""
        ...


def _channels(settings: Settings, engine: Engine, web_app: web.Application) -> list[Channel]:
    """The configured channels; HTTP ones mount their routes on `web_app` here."""
    channels: list[Channel] = []
    return channels


async def serve_forever(settings: Settings) -> None:
    """Run the bot: the web server (web chat, /healthz, webhooks) and every channel."""
    async with running(settings) as engine:
        web_app = create_web_app(engine.handle)
        channels = _channels(settings, engine, web_app)
        runner = await serve(web_app, settings.http_host, settings.http_port)
        log.info("web chat on http://%s:%s/", settings.http_host, bound_port(runner))
        try:
            for channel in channels:
                await channel.start()
            await asyncio.Event().wait()
        finally:
            for channel in reversed(channels):
                await channel.stop()
            await runner.cleanup()
