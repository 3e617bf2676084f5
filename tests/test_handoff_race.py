"""Two app instances on one PostgreSQL database: claim races and a handoff that moves.

Each instance has its own tortoise context (its own connection pool), as two processes
behind a load balancer would; `on(instance, ...)` runs a call in that instance's context.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from typing import TypeVar

import pytest
from tortoise.context import TortoiseContext

from bot.knowledge.base import KnowledgeBase
from bot.storage.database import tortoise_config
from bot.storage.models import Handoff
from tests.conftest import PG_URL
from tests.handoff_support import Clock, World, build_world

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(PG_URL is None, reason="needs TEST_DATABASE_URL"),
]
ROUNDS = 100
T = TypeVar("T")


@asynccontextmanager
async def instance(url: str) -> AsyncIterator[TortoiseContext]:
    async with TortoiseContext() as context:
        await context.init(config=tortoise_config(url))
        yield context


async def on(context: TortoiseContext, call: Callable[[], Awaitable[T]]) -> T:
    """Run `call` with `context` as the current tortoise context (in its own task)."""

    async def run() -> T:
        with context:
            return await call()

    return await asyncio.create_task(run())


@pytest.mark.parametrize("db_url", ["postgres"], indirect=True)
async def test_two_instances_claim_at_once_one_owner_each_round(
    db_url: str, knowledge: KnowledgeBase
) -> None:
    clock = Clock()
    first, second = build_world(db_url, knowledge, clock), build_world(db_url, knowledge, clock)
    async with instance(db_url) as a, instance(db_url) as b:
        for number in range(ROUNDS):
            await on(a, lambda n=number: first.chat(f"u{n}").say("human"))  # type: ignore[misc]
            handoff = await Handoff.filter(status="waiting").order_by("-id").first()
            assert handoff is not None
            bob, carol = await asyncio.gather(
                on(a, lambda h=handoff.id: first.act("bob", "claim", h)),  # type: ignore[misc]
                on(b, lambda h=handoff.id: second.act("carol", "claim", h)),  # type: ignore[misc]
            )
            assert bob.ok != carol.ok, (number, bob, carol)
            assert "already taken by" in (carol if bob.ok else bob).text
            owner = (await Handoff.get(id=handoff.id)).agent
            assert owner == ("memory:bob" if bob.ok else "memory:carol")
        assert await on(b, Handoff.filter(status="claimed").count) == ROUNDS


@pytest.mark.parametrize("db_url", ["postgres"], indirect=True)
async def test_handoff_started_on_one_instance_is_relayed_by_the_other(
    db_url: str, knowledge: KnowledgeBase
) -> None:
    clock = Clock()
    first, second = build_world(db_url, knowledge, clock), build_world(db_url, knowledge, clock)
    async with instance(db_url) as a, instance(db_url) as b:
        user_on_a = first.chat("u1")
        await on(a, lambda: user_on_a.say("operator"))
        [card] = await on(b, lambda: second.drain("memory", "desk"))
        assert card.handoff_id is not None
        handoff_id = card.handoff_id
        assert (await on(b, lambda: second.act("bob", "claim", handoff_id))).ok
        user_on_b = second.chat("u1")
        assert await on(b, lambda: user_on_b.say("still broken")) == []
        relays = await on(a, lambda: first.drain("memory", "desk"))
        assert any("still broken" in r.text for r in relays)
        assert (await on(a, lambda: first.act("bob", "reply", handoff_id, text="on it"))).ok
        told = await on(b, lambda: World.drain(second, "memory", "u1"))
        assert any("on it" in t.text for t in told)
