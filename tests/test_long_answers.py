"""A long answer goes out as several platform messages; when one of them cannot go (a 429
here, or a crash of the process sending it), the next attempt goes on from it: the user
never sees the first ones twice.

Real python-telegram-bot, slack-bolt and slack_sdk against the fake servers, the real engine
on a KB with one long article; the tests wait on recorded calls and reports, never on time.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Awaitable
from contextlib import asynccontextmanager
from datetime import timedelta
from pathlib import Path

import pytest

from bot.adapters.slack import DeskSetup
from bot.adapters.slack.relay import OutboxSender, outbox_client
from bot.adapters.telegram import TelegramChannel
from bot.app import build_engine
from bot.config import Settings
from bot.errors import DeliveryError
from bot.handoff import DbOutbox
from bot.handoff.lease import LEASE
from bot.handoff.outbox import put
from bot.handoff.outbox_port import Parts
from bot.messages import IncomingMessage, UserRef
from bot.pacing import Limits, Pacer
from bot.storage.models import OutboxMessage
from tests.fakes.outbox import AheadClock, SpyOutbox
from tests.fakes.slack_api import AS_USUAL, TOKEN, Call, FakeSlackApi
from tests.fakes.telegram_api import BAD_GATEWAY, FakeBotAPI, too_many_requests
from tests.fakes.telegram_spy import SpyCore, config_for, running_channel, unpaced_channel
from tests.fakes.telegram_updates import Updates
from tests.fakes.telegram_wire import visible_text
from tests.long_answers import SLACK_PARAGRAPHS, STEPS, long_guide_kb
from tests.test_slack import LIMITED, labels, running_slack, texts

# The fake Bot API and the update builders as fixtures.
pytest_plugins = ["tests.fakes.telegram_harness"]


def steps_shown(calls: list[Call]) -> list[int]:
    """How often the posts show each of the Slack paragraphs (by its "Step NN:")."""
    shown = "".join(text for call in calls for text in texts(call))
    return [shown.count(paragraph[:8]) for paragraph in SLACK_PARAGRAPHS]


@pytest.mark.usefixtures("ptb_timedelta")
async def test_a_telegram_answer_cut_off_by_a_429_goes_on_where_it_stopped(
    api: FakeBotAPI, updates: Updates, db_url: str, tmp_path: Path
) -> None:
    engine = build_engine(Settings(database_url=db_url, kb_dir=long_guide_kb(tmp_path)))
    core, clock = SpyCore(engine), AheadClock()
    outbox = SpyOutbox(DbOutbox(clock=clock))
    config = config_for(api, outbox_every=timedelta(seconds=0.05))
    channel = unpaced_channel(core, config, outbox=outbox)
    api.fail_next("sendMessage", AS_USUAL, too_many_requests(30))  # the answer's second part
    async with running_channel(core, config, channel=channel):
        api.push(updates.message(updates.user(518), "длинная инструкция по настройке"))
        await outbox.until_failed(1)  # put off after its first part
        assert len(api.sent(518)) == 1
        clock.advance(timedelta(seconds=31))  # retry_after has passed
        channel.sender.wake()
        await outbox.until_reported_sent()
    parts = api.sent(518)  # each accepted by the fake: balanced tags, at most 4096 characters
    shown = "".join(visible_text(part["text"]) for part in parts)
    assert [shown.count(f"Шаг {n}.") for n in range(len(STEPS))] == [3] * len(STEPS)
    assert ["reply_markup" in part for part in parts] == [False] * (len(parts) - 1) + [True]
    statuses = [call.status for call in api.called("sendMessage", None)]
    assert statuses == [200, 429] + [200] * (len(parts) - 1)
    row = await OutboxMessage.get(kind="reply")  # every part but the last noted as it went
    assert (row.status, row.attempts, row.parts_sent) == ("sent", 2, len(parts) - 1)


@asynccontextmanager
async def initialized(channel: TelegramChannel) -> AsyncIterator[TelegramChannel]:
    """The channel's bot, ready to send, with nothing running: a test drives its sender."""
    await channel.bot.initialize()
    try:
        yield channel
    finally:
        await channel.bot.shutdown()


async def dies_sending(sender: Awaitable[object], api: FakeBotAPI) -> None:
    """Run `sender` until Telegram took the first part and has the second in flight, then
    kill it there, as a crashed process: nothing more is sent or recorded. The second
    part's request died with it (Telegram did not take it)."""
    gate = api.hold("sendMessage", after=1)
    task = asyncio.ensure_future(sender)
    await api.until(lambda: api.arrived["sendMessage"] == 2)
    task.cancel()
    with contextlib.suppress(asyncio.CancelledError):
        await task
    api.fail_next("sendMessage", BAD_GATEWAY)  # what the dead connection's request got
    gate.set()
    await api.wait_for("sendMessage", status=502)


@pytest.mark.parametrize("how", ["at once", "outbox round"])
@pytest.mark.usefixtures("ptb_timedelta")
async def test_a_telegram_answer_cut_off_by_a_crash_goes_on_where_it_stopped(
    api: FakeBotAPI, updates: Updates, db_url: str, tmp_path: Path, how: str
) -> None:
    """The process dies after Telegram took the first part of a long answer: sent by the
    turn at once, or by the outbox's sender. The next instance sends the rest, once."""
    engine = build_engine(Settings(database_url=db_url, kb_dir=long_guide_kb(tmp_path)))
    core, config = SpyCore(engine), config_for(api, outbox_every=timedelta(seconds=0.05))
    updates.private_chat(updates.user(519))
    question = IncomingMessage(
        user=UserRef("telegram", "123456", "519"),
        chat_id="519",
        text="длинная инструкция по настройке",
        event_id="123456:90",
    )
    first = unpaced_channel(core, config)
    async with initialized(first):
        window = first.sender.window()
        assert await engine.accept(question)
        replies = await engine.handle(question, durable=True)  # the reply, leased to the turn
        if how == "at once":
            await dies_sending(first.sender.deliver_now(question, replies, window), api)
        else:
            first.sender.outbox = DbOutbox(clock=AheadClock(LEASE + timedelta(seconds=1)))
            await dies_sending(first.sender.deliver_due(), api)
    assert len(api.sent(519)) == 1
    outbox = SpyOutbox(DbOutbox(clock=AheadClock(2 * LEASE + timedelta(seconds=2))))
    second = unpaced_channel(core, config, outbox=outbox)  # its leases ran out
    async with running_channel(core, config, channel=second):
        await outbox.until_reported_sent()
    parts = api.sent(519)
    shown = "".join(visible_text(part["text"]) for part in parts)
    assert [shown.count(f"Шаг {n}.") for n in range(len(STEPS))] == [3] * len(STEPS)
    assert ["reply_markup" in part for part in parts] == [False] * (len(parts) - 1) + [True]
    statuses = [call.status for call in api.called("sendMessage", None)]
    assert statuses == [200, 502] + [200] * (len(parts) - 1)
    row = await OutboxMessage.get(kind="reply")
    assert (row.status, row.parts_sent) == ("sent", len(parts) - 1)


async def test_a_slack_answer_cut_off_by_a_429_goes_on_where_it_stopped(
    db_url: str, tmp_path: Path
) -> None:
    kb = long_guide_kb(tmp_path, SLACK_PARAGRAPHS)  # 60 sections and the buttons: 2 messages
    engine = build_engine(Settings(database_url=db_url, kb_dir=kb))
    clock = AheadClock()
    outbox = SpyOutbox(DbOutbox(clock=clock))
    setup = DeskSetup(outbox, every=timedelta(seconds=0.05))  # the outbox, no desk
    async with running_slack(engine, db_url, desk=setup) as slack:
        slack.channel.outbox.pacer = Pacer(Limits(per_chat=0.0, overall=0.0))
        # The second message: the client waits out one 429 itself, the next puts it off.
        later = ((*LIMITED, {"Retry-After": "0"}), (*LIMITED, {"Retry-After": "30"}))
        slack.api.script("chat.postMessage", AS_USUAL, *later)
        await slack.dm("long setup guide")
        await outbox.until_failed(1)
        clock.advance(timedelta(seconds=31))  # Retry-After has passed
        slack.channel.outbox.wake()
        await outbox.until_reported_sent()
    posts = slack.api.calls_to("chat.postMessage")
    assert [call.response["ok"] for call in posts] == [True, False, False, True]
    assert steps_shown([posts[0], posts[3]]) == [1] * len(SLACK_PARAGRAPHS)
    assert labels(posts[3]) == ["Helped", "Didn't help"]
    row = await OutboxMessage.get(kind="reply")
    assert (row.status, row.attempts, row.parts_sent) == ("sent", 2, 1)


async def test_a_long_item_the_slack_sender_is_cut_off_in_goes_on_where_it_stopped(
    db_url: str,
) -> None:
    await put("slack", "C0DESK", "\n\n".join(SLACK_PARAGRAPHS), kind="notice")
    clock = AheadClock()
    async with FakeSlackApi() as api:
        client = outbox_client(TOKEN, base_url=api.api_url)  # leaves every 429 to the outbox
        pacer = Pacer(Limits(per_chat=0.0, overall=0.0))
        sender = OutboxSender(DbOutbox(clock=clock), client, every=timedelta(1), pacer=pacer)
        api.script("chat.postMessage", AS_USUAL, (*LIMITED, {"Retry-After": "30"}))
        assert await sender.deliver_due() == 1
        row = await OutboxMessage.get()
        assert (row.status, row.parts_sent) == ("pending", 1)
        clock.advance(timedelta(seconds=31))
        assert await sender.deliver_due() == 1
    posts = api.calls_to("chat.postMessage")
    assert [call.response["ok"] for call in posts] == [True, False, True]
    assert steps_shown([posts[0], posts[2]]) == [1] * len(SLACK_PARAGRAPHS)
    row = await OutboxMessage.get()
    assert (row.status, row.attempts, row.parts_sent) == ("sent", 2, 1)


async def test_a_long_code_block_goes_to_slack_in_sections_it_takes(
    db_url: str, tmp_path: Path
) -> None:
    """A code block cut into sections is closed and reopened in each: with the fences, each
    section must still be within Slack's 3,000 characters (the fake refuses more)."""
    lines = [f"10:{n // 60:02d}:{n % 60:02d} vpn: tunnel reset, try {n:04d}" for n in range(300)]
    kb = long_guide_kb(tmp_path, ["```\n" + "\n".join(lines) + "\n```"])
    engine = build_engine(Settings(database_url=db_url, kb_dir=kb))
    async with running_slack(engine, db_url) as slack:
        await slack.dm("long setup guide")
        [answer] = await slack.settle()
    assert answer.response["ok"]
    sections = texts(answer)
    assert len(sections) > 2
    assert all(s.endswith("```") for s in sections[:-1])  # closed where it is cut,
    assert all(s.startswith("```") for s in sections[1:])  # and opened again
    assert "\n".join(sections).count("vpn: tunnel reset") == len(lines)


async def test_a_senders_parts_are_counted_as_the_platform_takes_them() -> None:
    recorded: list[int] = []

    async def record(taken: int) -> None:
        recorded.append(taken)

    async def refuse_d(part: str) -> str:
        if part == "d":
            raise DeliveryError("the platform refused d")
        return part.upper()

    parts = Parts(1, record)  # the platform took "a" in an earlier attempt
    with pytest.raises(DeliveryError):
        await parts.send(["a", "b", "c", "d"], refuse_d)
    assert (parts.taken, recorded) == (3, [2, 3])  # each one taken while more were to come
    again = Parts(parts.taken, record)
    assert await again.send(["a", "b", "c", "d"], lambda part: asyncio.sleep(0, part)) == ["d"]
    assert (again.taken, recorded) == (4, [2, 3])  # the last one: the item is reported sent
