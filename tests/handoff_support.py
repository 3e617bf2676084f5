"""Builders for the live-agent tests: teams, a settable clock, an engine and its desk."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from bot.adapters.memory import MemoryChat
from bot.app import build_engine, build_offices
from bot.channels import build_desk
from bot.config import Settings
from bot.config_tables import OfficeSettings
from bot.engine import Engine
from bot.handoff import (
    DbOutbox,
    Desk,
    DeskAction,
    DeskResult,
    OutboxItem,
    Policies,
    Queue,
    Team,
    Teams,
    parse_hours,
)
from bot.handoff.undelivered import ReportUndelivered
from bot.knowledge.base import KnowledgeBase
from bot.messages import UserRef
from bot.phrases import load_phrases

# A Wednesday, 12:00 in Moscow: the "it" team is on duty.
NOON = datetime(2026, 11, 25, 9, 0, tzinfo=UTC)
IT = Team(
    name="it",
    desk="memory:desk",
    agents=frozenset({"memory:bob", "memory:carol", "web:alice"}),
    timezone="Europe/Moscow",
    shifts=parse_hours("mon-fri 09:00-18:00"),
    claim_timeout=timedelta(minutes=10),
)
NET = Team(name="net", desk="web", agents=frozenset({"web:alice", "memory:dave"}))
TEAMS = Teams((IT, NET), default="it")
WEB_TEAMS = Teams((IT, NET), default="net")  # the web chat is both sides


@dataclass
class Clock:
    """A clock a test moves by hand."""

    now: datetime = NOON

    def __call__(self) -> datetime:
        return self.now


def agent(name: str, platform: str = "memory") -> UserRef:
    return UserRef(platform, "test", name)


@dataclass
class World:
    """One app instance's view: the engine, the desk and the outbox on a shared clock."""

    engine: Engine
    desk: Desk
    outbox: DbOutbox
    clock: Clock
    chats: list[MemoryChat] = field(default_factory=list)

    def chat(self, user_id: str = "u1", **kwargs: object) -> MemoryChat:
        chat = MemoryChat(self.engine.handle, user_id=user_id, **kwargs)  # type: ignore[arg-type]
        self.chats.append(chat)
        return chat

    async def act(self, who: str, kind: str, handoff_id: int, **kwargs: str) -> DeskResult:
        return await self.desk.act(agent(who), DeskAction(kind, handoff_id, **kwargs))

    async def drain(self, platform: str, chat_id: str) -> list[OutboxItem]:
        """Everything due for one chat, marked sent (as a channel adapter would)."""
        items = await self.outbox.claim(platform, chat_id=chat_id, limit=100)
        for number, item in enumerate(items):
            await self.outbox.sent(item, message_id=f"m{item.id}-{number}")
        return items


def build_world(
    db_url: str,
    knowledge: KnowledgeBase,
    clock: Clock | None = None,
    teams: Teams = TEAMS,
    desk_language: str = "en",
    sla: Policies | None = None,
    offices: tuple[OfficeSettings, ...] = (),
    reopen_days: int = 7,
) -> World:
    clock = clock or Clock()
    settings = Settings(database_url=db_url, default_language="en", offices=offices)
    queue = Queue(
        teams,
        load_phrases(),
        desk_language=desk_language,
        clock=clock,
        sla=sla or Policies(),
        offices=build_offices(settings),
        reopen_days=reopen_days,
    )
    engine = build_engine(settings, knowledge, queue=queue)
    outbox = DbOutbox(clock=clock, on_give_up=ReportUndelivered(queue))
    return World(engine, build_desk(queue, engine), outbox, clock)  # with the KB, as the app
