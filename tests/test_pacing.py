"""Outbound pacing: per chat, per group and overall, in process and shared by instances.

Clocks and sleeps are injected: the tests check the waits the pacers asked for, never the
time that passed.
"""

from __future__ import annotations

import asyncio

import pytest
from pydantic import SecretStr

from bot.adapters.slack import SlackChannel
from bot.adapters.telegram import TelegramChannel
from bot.adapters.web import create_web_app
from bot.channels import build_channels
from bot.config import Settings
from bot.engine import Engine
from bot.pacing import ALL, SLACK, TELEGRAM, Pacer, Pacing
from bot.storage.models import SendSlot
from bot.storage.pacing import SharedPacer
from tests.conftest import postgres_only
from tests.fakes.fake_time import FakeTime
from tests.fakes.telegram_api import FakeBotAPI
from tests.fakes.telegram_spy import SpyCore, config_for, running_channel
from tests.fakes.telegram_updates import Updates

pytest_plugins = ["tests.fakes.telegram_harness"]


def _pacers(time: FakeTime) -> list[Pacing]:
    """The same limits kept in process and in the database."""
    return [
        Pacer(TELEGRAM, clock=time.clock, sleep=time.sleep),
        SharedPacer("telegram", TELEGRAM, clock=time.clock, sleep=time.sleep),
    ]


async def test_a_chat_a_group_and_the_bot_each_have_their_limit(db_url: str) -> None:
    for pacer in _pacers(FakeTime()):
        assert await pacer.book("1", 1.0) == 0
        assert await pacer.book("1", 1.0) == pytest.approx(1.0)  # 1 message/s in a chat
        assert await pacer.book("2", 1.0) == 0  # another chat is not held up
        overall = [await pacer.book(ALL, 1 / 30) for _ in range(3)]
        assert overall == pytest.approx([0, 1 / 30, 2 / 30])
        delays = [await pacer.book("-7", 1.0, 20, 60.0) for _ in range(21)]
        assert delays[19] == pytest.approx(19.0)  # one a second...
        assert delays[20] == pytest.approx(60.0)  # ...but 20 a minute in a group


async def test_waiting_books_the_chat_then_the_bot(db_url: str) -> None:
    for index in range(2):
        time = FakeTime()
        pacer = _pacers(time)[index]
        for _ in range(3):
            await pacer.wait("5", group=False)
        await pacer.wait("6", group=False)
        # the 2nd and 3rd to chat 5 waited a second; chat 6 only the bot's 1/30 s after them
        assert time.slept == pytest.approx([1.0, 1.0, 1 / 30]), type(pacer).__name__


async def test_instances_sharing_a_token_share_its_slots(db_url: str) -> None:
    time = FakeTime()
    one, two = (SharedPacer("slack", SLACK, clock=time.clock, sleep=time.sleep) for _ in "12")
    other_bot = SharedPacer("telegram", TELEGRAM, clock=time.clock, sleep=time.sleep)
    assert [await p.book("C1", 1.0) for p in (one, two, one, two)] == pytest.approx([0, 1, 2, 3])
    assert await other_bot.book("C1", 1.0) == 0  # another platform's token: its own slots
    in_process = [Pacer(SLACK, clock=time.clock) for _ in "12"]  # what each would do alone
    assert [await p.book("C1", 1.0) for p in in_process] == [0, 0]
    assert await SendSlot.all().count() == 2


@postgres_only
async def test_concurrent_bookings_never_take_the_same_slot(db_url: str) -> None:
    time = FakeTime()
    pacers = [SharedPacer("telegram", TELEGRAM, clock=time.clock) for _ in range(4)]
    booked = await asyncio.gather(*(p.book("77", 1.0) for p in pacers for _ in range(5)))
    assert sorted(booked) == pytest.approx([float(n) for n in range(20)])


async def test_several_instances_pace_in_the_database_one_alone_in_process(
    engine: Engine, db_url: str
) -> None:
    for url, shared in (("postgres://db.example/helpdesk", True), (db_url, "postgres" in db_url)):
        settings = Settings(
            database_url=url,
            telegram_bot_token=SecretStr("1:abc"),
            slack_bot_token=SecretStr("xoxb-1"),
            slack_signing_secret=SecretStr("s"),
        )
        slack, telegram = build_channels(settings, engine, create_web_app(engine.handle), None)
        assert isinstance(slack, SlackChannel) and isinstance(telegram, TelegramChannel)
        paced = (slack.outbox.pacer, telegram.outbox.pacer)
        kinds = {type(p) for p in paced}
        assert kinds == ({SharedPacer} if shared else {Pacer}), url
        assert [p.limits for p in paced] == [SLACK, TELEGRAM]


@pytest.mark.usefixtures("ptb_timedelta")
async def test_telegram_answers_through_the_shared_slots(
    api: FakeBotAPI, core: SpyCore, updates: Updates
) -> None:
    time = FakeTime()
    pacer = SharedPacer("telegram", TELEGRAM, clock=time.clock, sleep=time.sleep)
    async with running_channel(core, config_for(api), pacer=pacer):
        anna, boris = updates.user(501), updates.user(502)
        api.push(updates.message(anna, "впн не подключается"))
        await api.wait_for("sendMessage")
        api.push(updates.message(boris, "принтер не печатает"))
        await api.wait_for("sendMessage", 2)
    assert [len(api.sent(chat)) for chat in (501, 502)] == [1, 1]
    slots = {s.key: s.next_at for s in await SendSlot.all()}
    assert slots.keys() == {"telegram:501", "telegram:502", "telegram:*"}
    # the fake clock stands still but for sleeps: the 2nd chat waited the bot's 1/30 s only
    assert time.slept == pytest.approx([1 / 30])
