"""The composition root: builds every part from the validated settings, and runs them (the
web app and the platform channels are built in bot/channels.py)."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Coroutine, Mapping
from contextlib import asynccontextmanager
from datetime import UTC, datetime, timedelta
from typing import Any

from aiohttp import web

from bot.adapters.web import bound_port, serve
from bot.channels import build_channels, build_web_app
from bot.config import Settings
from bot.dialog import Dialog
from bot.effects import Effects
from bot.engine import Engine
from bot.errors import ConfigError
from bot.handoff import (
    HandoffPort,
    LiveHandoff,
    Offices,
    Policies,
    Queue,
    Teams,
    TicketDesk,
    escalate_backlog,
    expire_overdue,
)
from bot.intents import Intents, load_intents
from bot.knowledge.article import Article
from bot.knowledge.base import Knowledge
from bot.knowledge.live import LiveKnowledge
from bot.knowledge.matcher import DEFAULT_ANSWER_THRESHOLD, DEFAULT_SUGGEST_THRESHOLD
from bot.offload import Offload, prefer_the_loop
from bot.periodic import repeat
from bot.phrases import Phrases, load_phrases
from bot.storage import database
from bot.storage.retention import purge

__all__ = [
    "build_engine",
    "build_intents",
    "build_offices",
    "build_policies",
    "build_queue",
    "build_teams",
    "running",
    "serve_forever",
    "thresholds",
    "warn_unknown_teams",
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


def build_intents(settings: Settings) -> Intents:
    """The built-in intent phrases, with the deployment's own added (HELPDESK_INTENTS_FILE)."""
    try:
        return load_intents(settings.intents_file)
    except ValueError as exc:
        raise ConfigError(
            f"HELPDESK_INTENTS_FILE (or 'intents_file' in the config file): {exc}"
        ) from exc


def build_policies(settings: Settings) -> Policies:
    """The configured service-level policies, else the built-in one."""
    policies = tuple(policy.to_policy() for policy in settings.sla)
    if not policies:
        return Policies()
    return Policies(policies, settings.default_sla or policies[0].name)


def build_queue(settings: Settings, phrases: Phrases) -> Queue | None:
    """The live-agent queue of the configured teams, if any."""
    teams = build_teams(settings)
    if teams is None:
        return None
    return Queue(
        teams,
        phrases,
        desk_language=settings.default_language,
        offices=build_offices(settings),
        sla=build_policies(settings),
    )


def build_engine(
    settings: Settings, knowledge: Knowledge | None = None, *, queue: Queue | None = None
) -> Engine:
    """The conversation engine over the KB of the settings (loaded and validated here, and
    loaded again when its files change, see `_rounds`) or over `knowledge`.

    With teams (configured, or `queue` given) a handoff queues for an agent; else a ticket.
    """
    if knowledge is None:
        knowledge = LiveKnowledge(settings.kb_dir)
    phrases = queue.phrases if queue is not None else load_phrases()
    queue = queue or build_queue(settings, phrases)
    intents, offices = build_intents(settings), build_offices(settings)
    live = None if queue is None else LiveHandoff(queue, urgency=intents.urgency)
    handoff: HandoffPort = live or TicketDesk(build_policies(settings), offices)
    answer, suggest = thresholds(settings)
    dialog = Dialog(
        phrases=phrases,
        articles=knowledge.articles,
        answer_threshold=answer,
        suggest_threshold=suggest,
        offices=offices.names,
    )
    effects = Effects(
        phrases=dialog.phrases,
        articles=knowledge.articles,
        handoff=handoff,
        max_stored_chars=settings.max_stored_chars,
        urgency=intents.urgency,
        offices=offices,
        team_zones={} if queue is None else queue.teams.zones,
    )
    return Engine(
        dialog=dialog,
        knowledge=knowledge,
        intents=intents,
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
        engine.offload.close()
        await database.close()


async def serve_forever(settings: Settings) -> None:
    """Run the bot: the web server (web chat, /healthz, webhooks) and every channel."""
    prefer_the_loop()
    queue = build_queue(settings, load_phrases())
    with database.only_instance(settings.database_url):
        await _serve(settings, queue)


def warn_unknown_teams(articles: Mapping[str, Article], teams: Teams | None) -> None:
    """Log each article whose `team:` hint names no configured team (its handoffs go to the
    default team). Not fatal: a KB may be shared by deployments with other teams."""
    if teams is None:  # no teams: every handoff is a ticket, and no hint is used
        return
    names = ", ".join(team.name for team in teams.teams)
    for article in articles.values():
        if article.team is not None and teams.named(article.team) is None:
            log.warning(
                "KB article %s (%s): team %r is not a configured team (%s); its handoffs go "
                "to the default team %r",
                article.id,
                article.source,
                article.team,
                names,
                teams.default,
            )


async def _serve(settings: Settings, queue: Queue | None) -> None:
    async with running(settings, queue=queue) as engine:
        warn_unknown_teams(engine.knowledge.articles, None if queue is None else queue.teams)
        web_app = build_web_app(settings, engine, queue)
        channels = build_channels(settings, engine, web_app, queue)
        runner = await _listen(web_app, settings)
        log.info("web chat on http://%s:%s/", settings.http_host, bound_port(runner))
        tasks = [asyncio.create_task(work) for work in _rounds(settings, queue, engine)]
        try:
            for channel in channels:
                await channel.start()
            await asyncio.Event().wait()
        finally:
            for task in tasks:
                task.cancel()
            for channel in reversed(channels):
                await channel.stop()
            await runner.cleanup()


async def _listen(web_app: web.Application, settings: Settings) -> web.AppRunner:
    """The web server, started; a port another program holds stops the bot with the settings
    named instead of a traceback."""
    host, port = settings.http_host, settings.http_port
    try:
        return await serve(web_app, host, port)
    except OSError as exc:
        raise ConfigError(
            f"HELPDESK_HTTP_HOST / HELPDESK_HTTP_PORT: cannot listen on {host}:{port}: "
            f"{str(exc.strerror or exc).rpartition(': ')[2]}"
        ) from None


def _rounds(
    settings: Settings, queue: Queue | None, engine: Engine
) -> list[Coroutine[Any, Any, None]]:
    """What every instance repeats: housekeeping, a look for KB edits, and with teams the
    queue's time-outs and the SLA warnings (each of those taken by one instance, see their
    modules)."""
    days = settings.retention_days
    retention = None if days is None else timedelta(days=days)
    rounds = [
        repeat(
            lambda: purge(datetime.now(UTC), retention=retention),
            timedelta(hours=6),
            name="housekeeping",
        )
    ]
    knowledge = engine.knowledge
    if isinstance(knowledge, LiveKnowledge) and settings.kb_reload_seconds:
        every = timedelta(seconds=settings.kb_reload_seconds)
        rounds.append(_reloads(knowledge, every, None if queue is None else queue.teams))
    if queue is not None:
        every = timedelta(seconds=30)
        rounds.append(repeat(lambda: expire_overdue(queue), every, name="queue time-outs"))
        rounds.append(repeat(lambda: escalate_backlog(queue), every, name="SLA warnings"))
    return rounds


async def _reloads(knowledge: LiveKnowledge, every: timedelta, teams: Teams | None) -> None:
    """Look for KB edits every `every`, in a thread of its own (a big KB takes seconds to
    build, and matching goes on meanwhile), until cancelled; then the thread is let go. A KB
    taken is checked for team hints no team answers to, as at the start."""
    thread = Offload("kb-reload")

    async def reload() -> None:
        if await thread.run(knowledge.reload_if_changed):
            warn_unknown_teams(knowledge.articles, teams)

    try:
        await repeat(reload, every, name="KB reload")
    finally:
        thread.close()
