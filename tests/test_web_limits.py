"""The web API's limits: a flood of messages from one browser and password guessing on the
agents' page each get 429 with Retry-After, and the caller may go on once the minute has
passed."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient, TestServer

from bot.adapters.web import AgentAuth, create_web_app
from bot.adapters.web import limits as limits_module
from bot.adapters.web.limits import WebLimits, Window
from bot.knowledge.base import KnowledgeBase
from tests.handoff_support import WEB_TEAMS, World, build_world
from tests.test_web_adapter import EchoBot, text_message

Client = TestClient[web.Request, web.Application]


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_a_window_counts_a_minute_back() -> None:
    clock = Clock()
    window = Window(3, clock=clock)
    assert [window.take("a") for _ in range(3)] == [0, 0, 0]
    clock.now += 20
    assert window.take("a") == 40  # the first of the three leaves the window in 40 s
    assert window.take("b") == 0  # another caller has its own count
    clock.now += 40
    assert window.take("a") == 0


def test_a_window_forgets_the_callers_seen_least_recently(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(limits_module, "_KEYS", 2)
    window = Window(1, clock=Clock())
    for key in ("a", "b", "a", "c"):  # "b" is the one not seen lately when "c" comes
        window.take(key)
    assert (window.wait("a"), window.wait("c"), window.wait("b")) == (60, 60, 0)


@asynccontextmanager
async def serving(app: web.Application, **options: object) -> AsyncIterator[Client]:
    async with TestClient(TestServer(app), **options) as client:  # type: ignore[arg-type]
        yield client


async def _post(client: Client, number: int) -> tuple[int, str | None]:
    async with client.post("/api/messages", json=text_message("hi", f"m{number}")) as response:
        return response.status, response.headers.get("Retry-After")


async def test_one_browser_sending_too_fast_is_told_to_wait() -> None:
    clock = Clock()
    limits = WebLimits(messages=Window(3, clock=clock))
    async with serving(create_web_app(EchoBot(), limits=limits)) as browser:
        assert [await _post(browser, n) for n in range(4)] == [
            (200, None),  # the first makes the session: not counted
            (200, None),
            (200, None),
            (200, None),
        ]
        assert await _post(browser, 4) == (429, "60")
        clock.now += 60
        assert await _post(browser, 5) == (200, None)


@pytest.fixture
def world(db_url: str, knowledge: KnowledgeBase) -> World:
    return build_world(db_url, knowledge, teams=WEB_TEAMS)


async def _login(client: Client, password: str) -> int:
    body = {"name": "alice", "password": password}
    async with client.post("/api/agent/login", json=body) as response:
        return response.status


async def test_password_guessing_is_slowed_and_right_logins_are_not_counted(world: World) -> None:
    clock = Clock()
    app = create_web_app(
        world.engine.handle,
        outbox=world.outbox,
        desk=world.desk,
        agent_auth=AgentAuth(password="s3cret"),
        limits=WebLimits(logins=Window(3, clock=clock)),
    )
    async with serving(app) as agent:
        assert [await _login(agent, "s3cret") for _ in range(5)] == [200] * 5
        assert [await _login(agent, "guess") for _ in range(4)] == [403, 403, 403, 429]
        assert await _login(agent, "s3cret") == 429  # even the right one, for now
        clock.now += 60
        assert await _login(agent, "s3cret") == 200
