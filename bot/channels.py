"""The platform half of the composition root: the web app and the Slack and Telegram channels,
built from the validated settings around one engine (and the queue, when teams are set)."""

from __future__ import annotations

import asyncio
import hashlib
from dataclasses import replace
from functools import partial
from typing import Protocol

from aiohttp import web

from bot.adapters.slack import DeskSetup, SlackChannel
from bot.adapters.telegram import TelegramChannel, TelegramConfig
from bot.adapters.web import AgentAuth, create_web_app
from bot.adapters.web.convert import PLATFORM as WEB
from bot.config import Settings
from bot.engine import Engine
from bot.files import FileSources
from bot.handoff import DbOutbox, Desk, Queue
from bot.handoff.inbox import DbDeskInbox
from bot.handoff.undelivered import ReportUndelivered
from bot.library import KbLibrary
from bot.metrics import exposition
from bot.pacing import SLACK, TELEGRAM, Limits, Pace
from bot.storage import database
from bot.storage.database import single_instance
from bot.storage.history import recent_lines
from bot.storage.pacing import SharedPacer

__all__ = ["Channel", "build_channels", "build_desk", "build_web_app"]


class Channel(Protocol):
    """A messaging platform the bot serves, started after the web server is listening."""

    async def start(self) -> None:
        """Connect (polling, socket mode, webhook registration) and serve."""
        ...

    async def stop(self) -> None:
        """Stop taking new messages and finish what is in flight."""
        ...


def build_channels(
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
    return frozenset(t.desk[len(prefix) :] for t in queue.teams.teams if t.desk.startswith(prefix))


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
        apologies=engine.dialog.phrases.each("error"),
        signing_secret=secret.get_secret_value() if secret else None,
        app_token=app_token.get_secret_value() if app_token else None,
        desk=None if queue is None else _slack_desk(settings, engine, queue, files),
        pacer=_pacer(settings, "slack", SLACK),
    )
    slack.mount(web_app)
    return slack


def _pacer(settings: Settings, platform: str, limits: Limits) -> Pace | None:
    """Pacing in the database when instances may share the token (PostgreSQL); None: the
    channel's own, in process (a SQLite file serves one instance)."""
    if single_instance(settings.database_url):
        return None
    return SharedPacer(platform, limits)


def build_desk(queue: Queue, engine: Engine) -> Desk:
    """The desk service, with the KB in use for agents' `kb` answers."""
    dialog = engine.dialog
    library = KbLibrary(
        engine.knowledge, engine.offload, dialog.answer_threshold, dialog.suggest_threshold
    )
    return Desk(queue, library=library)


def _outbox(queue: Queue) -> DbOutbox:
    """The outbox a channel delivers from; a relay that fails for good is reported back."""
    return DbOutbox(on_give_up=ReportUndelivered(queue))


def _slack_desk(settings: Settings, engine: Engine, queue: Queue, files: FileSources) -> DeskSetup:
    """Slack's share of the outbox, and the desk in the teams' "slack:" channels."""
    usage = engine.dialog.phrases.get(settings.default_language, "desk_slack_commands")
    channels = _desk_chats(queue, "slack")
    return DeskSetup(
        _outbox(queue),
        port=build_desk(queue, engine),
        channels=channels,
        usage=usage,
        files=files,
        inbox=DbDeskInbox(),
    )


_TELEGRAM_COMMANDS = ("start", "help", "lang", "cancel", "tickets")


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
        apology=phrases.each("error"),
        not_yours=phrases.each("button_not_yours"),
        default_language=settings.default_language,
        desk_chats=frozenset() if queue is None else _desk_chats(queue, "telegram"),
        desk_usage=phrases.get(settings.default_language, "desk_telegram_commands"),
    )
    desk, outbox = (None, None) if queue is None else (build_desk(queue, engine), _outbox(queue))
    inbox = None if queue is None else DbDeskInbox()  # agents' orders, kept until done
    pacer = _pacer(settings, "telegram", TELEGRAM)
    telegram = TelegramChannel(
        engine, config, desk=desk, outbox=outbox, inbox=inbox, files=files, pacer=pacer
    )
    if config.mode == "webhook":
        telegram.mount(web_app)
    return telegram


def build_web_app(
    settings: Settings, engine: Engine, queue: Queue | None, *, started: asyncio.Event | None = None
) -> web.Application:
    """The web chat with messages from IT to the page (an agent's, or `helpdesk-bot tickets
    reply` and `resolve`); with teams also the /agent desk. Its
    /healthz says ok once `started` is set (if given) while the database answers."""
    shown = partial(exposition, lambda: len(engine.knowledge.articles), fetching=(WEB,))
    metrics = shown if settings.metrics else None
    health = partial(_healthy, started)
    if queue is None:  # no desk, but IT's replies from the command line come to the page
        return create_web_app(
            engine.handle, outbox=DbOutbox(), health=health, metrics=metrics, history=recent_lines
        )
    secret = settings.agent_password
    password = secret.get_secret_value() if secret else None
    auth = AgentAuth(password=password, trust_localhost=settings.agent_trust_localhost)
    if password:  # every instance signs agent sessions with the same key
        auth = replace(auth, key=hashlib.sha256(f"helpdesk-agent:{password}".encode()).digest())
    return create_web_app(
        engine.handle,
        outbox=_outbox(queue),
        desk=build_desk(queue, engine),
        agent_auth=auth,
        desk_language=queue.desk_language,
        health=health,
        metrics=metrics,
        history=recent_lines,
    )


async def _healthy(started: asyncio.Event | None) -> None:
    """Raise unless the channels have started (a balancer must not send webhooks before)
    and the database answers."""
    if started is not None and not started.is_set():
        raise RuntimeError("still starting")
    await database.ping()
