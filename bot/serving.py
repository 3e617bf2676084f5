"""Running the bot: the web server, every channel, and what each instance repeats on a timer
(housekeeping, KB reloads, the queue's time-outs, SLA warnings). Part of the composition root
(`app.py` builds the parts from the settings; `channels.py` the web app and the platforms).
"""

from __future__ import annotations

import asyncio
import logging
import signal
from collections.abc import AsyncIterator, Coroutine, Mapping
from contextlib import asynccontextmanager
from datetime import UTC, datetime, timedelta
from typing import Any

from aiohttp import web

from bot.adapters.web import bound_port, serve
from bot.adapters.web.convert import PLATFORM as WEB
from bot.adapters.web.updates import UNFETCHED
from bot.app import build_queue, running
from bot.channels import build_channels, build_web_app
from bot.config import Settings
from bot.engine import Engine
from bot.errors import ConfigError
from bot.handoff import Queue, Teams, escalate_backlog, expire_overdue
from bot.handoff.coverage import uncovered
from bot.handoff.unfetched import give_up_unfetched
from bot.knowledge.article import Article
from bot.knowledge.live import LiveKnowledge
from bot.offload import Offload, prefer_the_loop
from bot.periodic import repeat
from bot.phrases import load_phrases
from bot.storage import database
from bot.storage.retention import purge

__all__ = ["housekeeping", "rounds", "serve_forever", "warn_unknown_teams"]

log = logging.getLogger(__name__)


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


def _warn_no_desk(settings: Settings) -> None:
    """No teams: no desk where anyone could answer a user (the bot offers tickets instead)."""
    where = f"{settings.config} has no [[teams]]" if settings.config else "is not set"
    log.warning(
        "no agents' desk: HELPDESK_CONFIG %s, so nobody can answer users in chat; a request "
        "for a person opens a ticket, which IT answers from the command line (`helpdesk-bot "
        "tickets`, `tickets reply N`, `tickets resolve N`). For live "
        "agents set HELPDESK_CONFIG to a TOML file with [[teams]] (demo/helpdesk.toml has "
        "a web desk; README: Live agents)",
        where,
    )


async def _serve(settings: Settings, queue: Queue | None) -> None:
    # only_instance (`serve_forever`) has checked the SQLite file
    async with running(settings, queue=queue, checked=True) as engine, _sigterm() as stop:
        warn_unknown_teams(engine.knowledge.articles, None if queue is None else queue.teams)
        if queue is None:
            _warn_no_desk(settings)
        else:
            for warning in uncovered(queue.teams, queue.offices, queue.sla, datetime.now(UTC)):
                log.warning(warning)
        started = asyncio.Event()  # /healthz answers 503 until every channel has started
        web_app = build_web_app(settings, engine, queue, started=started)
        channels = build_channels(settings, engine, web_app, queue)
        runner = await _listen(web_app, settings)
        _say_where(settings, queue, bound_port(runner))
        tasks = [asyncio.create_task(work) for work in rounds(settings, queue, engine)]
        try:
            for channel in channels:
                await channel.start()
            started.set()
            await stop.wait()
            log.info("SIGTERM: stopping")
        finally:
            for task in tasks:
                task.cancel()
            # Let them end before the database closes: a query still running in its
            # thread would answer to a closed loop.
            await asyncio.gather(*tasks, return_exceptions=True)
            for channel in reversed(channels):
                await channel.stop()
            await runner.cleanup()


def _say_where(settings: Settings, queue: Queue | None, port: int) -> None:
    """Where the web chat is, and the agents' page when a team's desk is "web"."""
    url = f"http://{settings.http_host}:{port}/"
    web_desk = queue is not None and any(t.desk == "web" for t in queue.teams.teams)
    log.info("web chat on %s%s", url, f", agents' desk on {url}agent" if web_desk else "")


@asynccontextmanager
async def _sigterm() -> AsyncIterator[asyncio.Event]:
    """An event SIGTERM sets, which service managers (systemd, Docker, Kubernetes) stop a
    process with: the caller then stops the channels and the web server as after Ctrl-C, and
    the bot ends with 0 (SIGTERM's default action killed it mid-work). Taken from the start,
    so a SIGTERM while the channels start stops the bot once they have."""
    loop, stop = asyncio.get_running_loop(), asyncio.Event()
    loop.add_signal_handler(signal.SIGTERM, stop.set)
    try:
        yield stop
    finally:
        loop.remove_signal_handler(signal.SIGTERM)


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


def rounds(
    settings: Settings, queue: Queue | None, engine: Engine
) -> list[Coroutine[Any, Any, None]]:
    """What every instance repeats: housekeeping, a look for KB edits, and with teams the
    queue's time-outs and the SLA warnings (each of those taken by one instance, see their
    modules)."""
    days = settings.retention_days
    retention = None if days is None else timedelta(days=days)
    rounds = [
        repeat(
            lambda: housekeeping(datetime.now(UTC), retention=retention),
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


async def housekeeping(now: datetime, *, retention: timedelta | None = None) -> None:
    """Give up the messages to web pages that nobody fetched within UNFETCHED, then delete
    what is kept only for a while (`bot/storage/retention.py`)."""
    await give_up_unfetched(WEB, window=UNFETCHED, now=now)
    await purge(now, retention=retention)


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
