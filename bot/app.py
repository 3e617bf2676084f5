"""The composition root: builds every part from the validated settings, and runs them."""

from __future__ import annotations

import asyncio
import hashlib
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import replace
from typing import Protocol

from aiohttp import web

from bot.adapters.slack import DeskSetup, SlackChannel
from bot.adapters.telegram import TelegramChannel, TelegramConfig
from bot.adapters.web import AgentAuth, bound_port, create_web_app, serve
from bot.config import Settings
from bot.dialog import Dialog
from bot.effects import Effects
from bot.engine import Engine
from bot.files import FileSources
from bot.handoff import (
    DbOutbox,
    Desk,
    HandoffPort,
    LiveHandoff,
    Offices,
    Queue,
    Teams,
    TicketDesk,
    expire_forever,
)
from bot.handoff.inbox import DbDeskInbox
from bot.handoff.undelivered import ReportUndelivered
from bot.knowledge.base import KnowledgeBase, load_knowledge_base
from bot.knowledge.matcher import DEFAULT_ANSWER_THRESHOLD, DEFAULT_SUGGEST_THRESHOLD
from bot.phrases import Phrases, load_intents, load_phrases
from bot.storage import database

__all__ = [
    "Channel",
    "build_engine",
    "build_offices",
    "build_queue",
    "build_teams",
    "running",
    "serve_forever",
    "thresholds",
]

log = logging.getLogger(__name__)


def thresholds(settings: Settings) -> tuple[float, float]:
    """(answer, suggest) thresholds: the settings', or the matcher's calibrated defaults."""
    answer = settings.answer_threshold
    suggest = settings.suggest_threshold
    answer = DEFAULT_ANSWER_THRESHOLD if answer is None else answer
    suggest = min(DEFAULT_SUGGEST_THRESHOLD, answer) if suggest is None else suggest
    return answer, suggest


def build_teams(settings: Settings) -> Teams | None:
    """The configured teams as plain values; None when there are none (tickets at once)."""
    teams = tuple(team.to_team() for team in settings.teams)
    return Teams(teams, settings.default_team or teams[0].name) if teams else None


def build_offices(settings: Settings) -> Offices:
    """The configured offices as plain values (maybe none)."""
    return Offices(tuple(office.to_office() for office in settings.offices))


def build_queue(settings: Settings, phrases: Phrases) -> Queue | None:
    """The live-agent queue of the configured teams, if any."""
    teams = build_teams(settings)
    if teams is None:
        return None
    offices = build_offices(settings)
    return Queue(teams, phrases, desk_language=settings.default_language, offices=offices)


def build_engine(
    settings: Settings, knowledge: KnowledgeBase | None = None, *, queue: Queue | None = None
) -> Engine:
    """The conversation engine over the KB of the settings (loaded and validated here).

    With teams (configured, or `queue` given) a handoff queues for an agent; else a ticket.
    """
    knowledge = knowledge or load_knowledge_base(settings.kb_dir)
    phrases = queue.phrases if queue is not None else load_phrases()
    queue = queue or build_queue(settings, phrases)
    live = None if queue is None else LiveHandoff(queue)
    handoff: HandoffPort = live or TicketDesk()
    answer, suggest = thresholds(settings)
    dialog = Dialog(
        phrases=phrases,
        articles=knowledge.articles,
        answer_threshold=answer,
        suggest_threshold=suggest,
        offices=build_offices(settings).names,
    )
    effects = Effects(
        phrases=dialog.phrases,
        articles=knowledge.articles,
        handoff=handoff,
        max_stored_chars=settings.max_stored_chars,
    )
    return Engine(
        dialog=dialog,
        knowledge=knowledge,
        intents=load_intents(),
        effects=effects,
        default_language=settings.default_language,
        takeover=live,
    )


@asynccontextmanager
async def running(settings: Settings, *, queue: Queue | None = None) -> AsyncIterator[Engine]:
    """A migrated, connected database and an engine; closes the connections at the end."""
    engine = build_engine(settings, queue=queue)  # the KB is checked before anything else
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


def _channels(
    settings: Settings, engine: Engine, web_app: web.Application, queue: Queue | None
) -> list[Channel]:
    """The configured channels; HTTP ones mount their routes on `web_app` here."""
    channels: list[Channel] = []
    files = FileSources()  # every channel's own files, for each outbox sender to fetch
    if settings.slack_bot_token is not None:
        token = settings.slack_bot_token.get_secret_value()
        slack = _slack(settings, token, engine, web_app, queue, files)
        files.add("slack", slack.files)
        channels.append(slack)
    if settings.telegram_bot_token is not None:
        token = settings.telegram_bot_token.get_secret_value()
        telegram = _telegram(settings, token, engine, web_app, queue, files)
        files.add("telegram", telegram.files)
        channels.append(telegram)
    return channels


def _desk_chats(queue: Queue, platform: str) -> frozenset[str]:
    """The chats of `platform` that are a team's desk ("slack:C01", "telegram:-100…")."""
    prefix = f"{platform}:"
    return frozenset(
        t.desk.removeprefix(prefix) for t in queue.teams.teams if t.desk.startswith(prefix)
    )


def _slack(
    settings: Settings,
    token: str,
    engine: Engine,
    web_app: web.Application,
    queue: Queue | None,
    files: FileSources,
) -> SlackChannel:
    """Slack over Socket Mode when SLACK_APP_TOKEN is set, else on POST /slack/events."""
    secret, app_token = settings.slack_signing_secret, settings.slack_app_token
    slack = SlackChannel(
        engine,
        bot_token=token,
        api_url=settings.slack_api_url,
        error_text=engine.dialog.phrases.get(settings.default_language, "error"),
        signing_secret=secret.get_secret_value() if secret else None,
        app_token=app_token.get_secret_value() if app_token else None,
        desk=None if queue is None else _slack_desk(settings, engine.dialog.phrases, queue, files),
    )
    slack.mount(web_app)
    return slack


def _outbox(queue: Queue) -> DbOutbox:
    """The outbox a channel delivers from; a relay that fails for good is reported back."""
    return DbOutbox(on_give_up=ReportUndelivered(queue))


def _slack_desk(
    settings: Settings, phrases: Phrases, queue: Queue, files: FileSources
) -> DeskSetup:
    """Slack's share of the outbox, and the desk in the teams' "slack:" channels."""
    usage = phrases.get(settings.default_language, "desk_slack_commands")
    channels = _desk_chats(queue, "slack")
    return DeskSetup(
        _outbox(queue),
        port=Desk(queue),
        channels=channels,
        usage=usage,
        files=files,
        inbox=DbDeskInbox(),
    )


_TELEGRAM_COMMANDS = ("start", "help", "lang", "cancel")


def _telegram(
    settings: Settings,
    token: str,
    engine: Engine,
    web_app: web.Application,
    queue: Queue | None,
    files: FileSources,
) -> TelegramChannel:
    """Telegram by polling, or by a webhook on our web server at TELEGRAM_WEBHOOK_URL's path."""
    phrases, secret = engine.dialog.phrases, settings.telegram_webhook_secret
    names = _TELEGRAM_COMMANDS + (("office",) if engine.dialog.offices else ())
    commands = {
        language: tuple((c, phrases.get(language, f"command_{c}")) for c in names)
        for language in phrases.by_language
    }
    config = TelegramConfig(
        token=token,
        base_url=settings.telegram_api_base_url,
        mode=settings.telegram_mode,
        webhook_url=settings.telegram_webhook_url,
        webhook_secret=secret.get_secret_value() if secret else None,
        commands={"": commands[settings.default_language], **commands},
        apology={language: phrases.get(language, "error") for language in phrases.by_language},
        default_language=settings.default_language,
        desk_chats=frozenset() if queue is None else _desk_chats(queue, "telegram"),
    )
    desk, outbox = (None, None) if queue is None else (Desk(queue), _outbox(queue))
    inbox = None if queue is None else DbDeskInbox()  # agents' orders, kept until done
    telegram = TelegramChannel(engine, config, desk=desk, outbox=outbox, inbox=inbox, files=files)
    if config.mode == "webhook":
        telegram.mount(web_app)
    return telegram


async def serve_forever(settings: Settings) -> None:
    """Run the bot: the web server (web chat, /healthz, webhooks) and every channel."""
    queue = build_queue(settings, load_phrases())
    async with running(settings, queue=queue) as engine:
        web_app = _web_app(settings, engine, queue)
        channels = _channels(settings, engine, web_app, queue)
        runner = await serve(web_app, settings.http_host, settings.http_port)
        log.info("web chat on http://%s:%s/", settings.http_host, bound_port(runner))
        expiry = asyncio.create_task(expire_forever(queue)) if queue else None
        try:
            for channel in channels:
                await channel.start()
            await asyncio.Event().wait()
        finally:
            if expiry is not None:
                expiry.cancel()
            for channel in reversed(channels):
                await channel.stop()
            await runner.cleanup()


def _web_app(settings: Settings, engine: Engine, queue: Queue | None) -> web.Application:
    """The web chat; with teams also agent messages to the page and the /agent desk."""
    if queue is None:
        return create_web_app(engine.handle)
    secret = settings.agent_password
    password = secret.get_secret_value() if secret else None
    auth = AgentAuth(password=password, trust_localhost=settings.agent_trust_localhost)
    if password:  # every instance signs agent sessions with the same key
        auth = replace(auth, key=hashlib.sha256(f"helpdesk-agent:{password}".encode()).digest())
    return create_web_app(
        engine.handle,
        outbox=_outbox(queue),
        desk=Desk(queue),
        agent_auth=auth,
        desk_language=queue.desk_language,
    )
