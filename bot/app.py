"""The composition root: builds every part from the validated settings (the web app and the
platform channels are built in bot/channels.py; bot/serving.py runs them)."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from functools import partial
from pathlib import Path

from bot.config import Settings
from bot.dialog import Dialog
from bot.effects import Effects
from bot.engine import Engine
from bot.errors import ConfigError
from bot.handoff import (
    HandoffPort,
    LiveHandoff,
    LiveTakeover,
    Offices,
    Policies,
    Queue,
    Teams,
    TicketDesk,
)
from bot.intents import Intents, load_intents
from bot.knowledge.base import Knowledge
from bot.knowledge.live import LiveKnowledge
from bot.knowledge.matcher import DEFAULT_ANSWER_THRESHOLD, DEFAULT_SUGGEST_THRESHOLD
from bot.outage_topics import outage_follow_up, same_outage
from bot.phrases import Phrases, load_phrases
from bot.storage import database

__all__ = [
    "build_engine",
    "build_intents",
    "build_offices",
    "build_operator_queue",
    "build_policies",
    "build_queue",
    "build_teams",
    "kb_path",
    "running",
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


def kb_path(settings: Settings) -> Path:
    """HELPDESK_KB_DIR, which must be there: the default `kb` is read from the folder the bot
    starts in, and a systemd unit without WorkingDirectory starts it in /."""
    path = settings.kb_dir
    if not path.exists():
        where = "read from the folder the bot starts in"
        relative = (
            ""
            if path.is_absolute()
            else f" (a relative path, such as the default 'kb', is {where})"
        )
        raise ConfigError(
            f"HELPDESK_KB_DIR: no knowledge base at {path.absolute()}{relative}: set"
            " HELPDESK_KB_DIR to the KB's folder"
        )
    return path


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
    return None if teams is None else _queue(settings, phrases, teams)


def _queue(settings: Settings, phrases: Phrases, teams: Teams) -> Queue:
    return Queue(
        teams,
        phrases,
        desk_language=settings.default_language,
        offices=build_offices(settings),
        sla=build_policies(settings),
        reopen_days=settings.ticket_reopen_days,
    )


def build_operator_queue(settings: Settings) -> Queue:
    """The queue an IT person's ticket commands (`helpdesk-bot tickets reply|resolve`) act
    through: the teams' (their desks hear of a resolution), else one of no teams, whose
    users are told in the words of a deployment with no agents' desk."""
    phrases = load_phrases()
    return build_queue(settings, phrases) or _queue(settings, phrases.without_desk(), Teams((), ""))


def build_engine(
    settings: Settings, knowledge: Knowledge | None = None, *, queue: Queue | None = None
) -> Engine:
    """The conversation engine over the KB of the settings (loaded and validated here, and
    loaded again when its files change, see `_rounds`) or over `knowledge`.

    With teams (configured, or `queue` given) a handoff queues for an agent; else a ticket.
    """
    if knowledge is None:
        knowledge = LiveKnowledge(kb_path(settings))
    phrases = queue.phrases if queue is not None else load_phrases()
    queue = queue or build_queue(settings, phrases)
    if queue is None:  # nobody can answer in a chat: a ticket is offered, never a person
        phrases = phrases.without_desk()
    intents, offices = build_intents(settings), build_offices(settings)
    live = None if queue is None else LiveHandoff(queue, same_outage=same_outage(knowledge))
    follow_up = outage_follow_up(knowledge, intents.said)  # a joined outage report's user's
    takeover = (
        None
        if queue is None
        else LiveTakeover(queue, intents.urgency, intents.topic, intents.classify, follow_up)
    )
    reopen_days = settings.ticket_reopen_days if queue is None else queue.reopen_days
    handoff: HandoffPort = live or TicketDesk(
        build_policies(settings), offices, reopen_days=reopen_days
    )
    answer, suggest = thresholds(settings)
    dialog = Dialog(
        phrases=phrases,
        articles=knowledge.articles,
        answer_threshold=answer,
        suggest_threshold=suggest,
        offices=offices.names,
        office_aliases=offices.aliases,
    )
    effects = Effects(
        phrases=dialog.phrases,
        articles=knowledge.articles,
        handoff=handoff,
        max_stored_chars=settings.max_stored_chars,
        urgency=intents.urgency,
        offices=offices,
        team_zones={} if queue is None else queue.teams.zones,
        clock=partial(datetime.now, UTC) if queue is None else queue.clock,
        reopen_days=reopen_days,
    )
    return Engine(
        dialog=dialog,
        knowledge=knowledge,
        intents=intents,
        effects=effects,
        default_language=settings.default_language,
        takeover=takeover,
    )


@asynccontextmanager
async def running(
    settings: Settings, *, queue: Queue | None = None, checked: bool = False
) -> AsyncIterator[Engine]:
    """A migrated, connected database and an engine; closes the connections at the end."""
    engine = build_engine(settings, queue=queue)  # the KB is checked before anything else
    await database.migrate(settings.database_url, checked=checked)  # by only_instance
    await database.connect(settings.database_url, checked=True)
    try:
        yield engine
    finally:
        engine.offload.close()
        await database.close()
