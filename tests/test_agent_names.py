"""An agent's name, kept from their desk actions for the texts that name them, is written when
it is new or changed, not with every action: on SQLite a write takes the database's lock."""

from __future__ import annotations

import logging
from datetime import UTC, datetime, timedelta

import pytest

from bot.handoff import DeskAction
from bot.knowledge.base import KnowledgeBase
from bot.storage.models import Agent
from bot.storage.retention import purge
from tests.handoff_support import World, agent, build_world
from tests.test_handoff import queued


@pytest.fixture
def world(db_url: str, knowledge: KnowledgeBase) -> World:
    return build_world(db_url, knowledge)


def writes_to_agents(caplog: pytest.LogCaptureFixture) -> list[str]:
    """The statements that wrote to the agents' table, as the database client logged them."""
    said = [r.getMessage() for r in caplog.records if r.name == "tortoise.db_client"]
    return [sql for sql in said if sql.startswith(("INSERT", "UPDATE")) and '"agents"' in sql]


async def act(world: World, kind: str, handoff_id: int, name: str, **extra: str) -> None:
    action = DeskAction(kind, handoff_id, name=name, **extra)  # type: ignore[arg-type]
    assert (await world.desk.act(agent("bob"), action)).ok


async def test_a_name_is_written_when_new_or_changed_only(
    world: World, caplog: pytest.LogCaptureFixture
) -> None:
    first, second = await queued(world, "u1"), await queued(world, "u2")
    caplog.set_level(logging.DEBUG, logger="tortoise.db_client")

    await act(world, "claim", first, "Bob Smith")
    assert len(writes_to_agents(caplog)) == 1  # new
    caplog.clear()
    await act(world, "claim", second, "Bob  Smith")  # the same name, as the platform spaced it
    await act(world, "note", first, "Bob Smith", text="printer on floor 3")
    assert writes_to_agents(caplog) == []
    await act(world, "note", first, "Robert Smith", text="it was the toner")
    assert len(writes_to_agents(caplog)) == 1  # changed
    assert (await Agent.get(key="memory:bob")).name == "Robert Smith"


async def test_an_agent_who_acts_keeps_their_name_through_the_retention_period(
    world: World,
) -> None:
    """The name goes once its agent has not acted for the retention period: it is written
    again, unchanged, when an action finds it written over an hour ago."""
    handoff_id = await queued(world)
    await act(world, "claim", handoff_id, "Bob Smith")
    long_ago = datetime.now(UTC) - timedelta(days=2)
    await Agent.filter(key="memory:bob").update(updated_at=long_ago)

    await act(world, "note", handoff_id, "Bob Smith", text="still on it")

    await purge(datetime.now(UTC), retention=timedelta(days=1))
    assert (await Agent.get(key="memory:bob")).name == "Bob Smith"
