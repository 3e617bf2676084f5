"""A message to a web page that nobody fetches (the visitor closed the tab and never came
back) is given up after `UNFETCHED`, as housekeeping runs; a visitor back within it gets
theirs, in order, and Slack's and Telegram's messages are left to their own senders."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from aiohttp.test_utils import TestClient, TestServer
from prometheus_client.parser import text_string_to_metric_families
from tortoise.queryset import QuerySet

from bot.adapters.web.updates import UNFETCHED
from bot.channels import build_web_app
from bot.config import Settings
from bot.handoff.outbox import put
from bot.metrics import exposition
from bot.serving import housekeeping
from bot.storage.models import Handoff, OutboxMessage
from bot.storage.retention import OUTBOX
from tests.conftest import KB_DIR
from tests.handoff_support import World
from tests.test_handoff_web import (  # noqa: F401 - fixtures
    Client,
    act,
    agent,
    call,
    history,
    say,
    updates,
    user,
    world,
)

HOUR = timedelta(hours=1)


async def served(user: Client, agent: Client) -> int:  # noqa: F811 - the fixtures
    """The visitor asks for a person and alice claims: "alice has joined" waits for the page.
    The request's id."""
    await say(user, "I need a human", "1")
    await call(agent, "POST", "/api/agent/login", {"name": "alice"})
    handoff = (await Handoff.get()).id
    assert (await act(agent, "claim", handoff))["ok"]
    return handoff


def to_visitor() -> QuerySet[OutboxMessage]:
    """The messages to the visitor's page (not to the web desk), oldest first."""
    return OutboxMessage.filter(platform="web").exclude(chat_id__startswith="desk:").order_by("id")


async def joined() -> OutboxMessage:
    """The message "alice has joined" to the visitor's page."""
    return await to_visitor().get(text__contains="has joined")


PENDING = "helpdesk_outbox_oldest_pending_seconds"
UNFETCHED_GAUGE = "helpdesk_outbox_oldest_unfetched_seconds"


def ages(text: str, gauge: str) -> dict[str, float]:
    """`gauge` per platform, from the metrics `text`."""
    return {
        s.labels["platform"]: s.value
        for family in text_string_to_metric_families(text)
        for s in family.samples
        if s.name == gauge
    }


async def oldest(now: datetime, gauge: str = UNFETCHED_GAUGE) -> dict[str, float]:
    """`gauge` per platform, as /metrics shows it at `now` (the web page fetching its own)."""
    return ages((await exposition(lambda: 0, now, fetching=("web",))).decode(), gauge)


async def test_a_message_nobody_fetched_within_the_window_is_given_up(
    world: World,  # noqa: F811
    user: Client,  # noqa: F811
    agent: Client,  # noqa: F811
) -> None:
    """It stayed pending for ever: the web's oldest-pending gauge only grew and housekeeping,
    which removes sent and given-up messages, kept it."""
    handoff = await served(user, agent)
    assert (await act(agent, "reply", handoff, text="Try again"))["ok"]
    others = [
        await put("slack", "D1", "hi", kind="notice"),
        await put("telegram", "7", "hi", kind="notice"),
    ]
    late = (await joined()).created_at + UNFETCHED + HOUR
    await OutboxMessage.filter(id__in=others).update(created_at=late - 2 * UNFETCHED)
    world.clock.now = late
    assert set(await oldest(late)) == {"web"}
    assert set(await oldest(late, PENDING)) == {"slack", "telegram"}

    await housekeeping(late)

    web = OutboxMessage.filter(platform="web")
    assert set(await web.values_list("status", flat=True)) == {"failed"}
    assert await OutboxMessage.filter(id__in=others, status="pending").count() == 2
    assert await oldest(late) == {}
    assert set(await oldest(late, PENDING)) == {"slack", "telegram"}
    assert await updates(user) == []  # the visitor back now: nothing comes
    assert (await act(agent, "close", handoff))["ok"]  # the request ended
    await housekeeping(late + OUTBOX + UNFETCHED)
    assert not await web.exists()
    assert await OutboxMessage.filter(id__in=others, status="pending").count() == 2


async def test_a_visitor_back_after_the_window_reads_the_late_reply_in_the_chat_opened_again(
    world: World,  # noqa: F811
    user: Client,  # noqa: F811
    agent: Client,  # noqa: F811
) -> None:
    """Given up, the agent's reply was left out of the chat's history as well: the visitor
    who opened the chat again a week on never saw it. Given up is the outbox's record that
    no page fetched it in time (the ticket's view counts it); the chat shows it all the same."""
    handoff = await served(user, agent)
    assert (await act(agent, "reply", handoff, text="Try again"))["ok"]
    world.clock.now = late = (await joined()).created_at + UNFETCHED + HOUR
    await housekeeping(late)
    assert set(await to_visitor().values_list("status", flat=True)) == {"failed"}

    lines = await history(user)

    assert [author for author, _ in lines] == ["user", "bot", "agent", "agent"]
    assert "has joined" in lines[2][1] and "Try again" in lines[3][1]


async def test_a_visitor_back_within_the_window_gets_its_messages_in_order(
    world: World,  # noqa: F811
    user: Client,  # noqa: F811
    agent: Client,  # noqa: F811
) -> None:
    """One written before the window is given up; the later ones come, in order, and are
    not held back behind it."""
    handoff = await served(user, agent)
    for text in ("first", "second"):
        assert (await act(agent, "reply", handoff, text=text))["ok"]
    now = (await joined()).created_at + UNFETCHED - HOUR  # the replies: within the window
    await to_visitor().filter(id=(await joined()).id).update(created_at=now - UNFETCHED - HOUR)
    world.clock.now = now

    await housekeeping(now)

    came = await updates(user)
    assert len(came) == 2 and "first" in came[0] and "second" in came[1]
    assert await updates(user) == []  # the receipt for them
    assert await to_visitor().values_list("status", flat=True) == ["failed", "sent", "sent"]


async def test_a_message_in_a_pages_hands_waits_for_its_receipt(
    world: World,  # noqa: F811
    user: Client,  # noqa: F811
    agent: Client,  # noqa: F811
) -> None:
    """A page that got a message and never said it showed it (the tab closed during the
    poll) did not show it: it is given up like one never fetched. One a page holds right now
    (its receipt comes with the next poll) is left to that receipt."""
    handoff = await served(user, agent)
    since = (await joined()).created_at
    world.clock.now = since + timedelta(days=1)
    [fetched] = await updates(user)  # and the tab closes
    assert "has joined" in fetched
    world.clock.now = late = since + UNFETCHED + HOUR
    await housekeeping(late)
    assert (await joined()).status == "failed"

    assert (await act(agent, "reply", handoff, text="Try again"))["ok"]
    await to_visitor().filter(text__contains="Try again").update(created_at=since)
    world.clock.now = late + HOUR  # the visitor is back: their page fetches it
    [reply] = await updates(user)
    await housekeeping(late + HOUR)  # while the page shows it
    assert await updates(user) == []  # its receipt
    assert "Try again" in reply
    assert await to_visitor().values_list("status", flat=True) == ["failed", "sent"]


async def test_a_message_waiting_for_an_absent_visitor_is_apart_from_the_stuck_ones(
    world: World,  # noqa: F811
    user: Client,  # noqa: F811
    agent: Client,  # noqa: F811
    db_url: str,
) -> None:
    """A visitor two days away made the web's oldest-pending age two days, so an alert on it
    fired for someone who is simply not there. That wait has its own gauge now; a page that
    asks and does not take its message (it fails to show it) is still a pending one, and a
    Slack message nobody could send is still pending, as it was."""
    await served(user, agent)
    await put("slack", "D1", "hi", kind="notice")
    now = datetime.now(UTC)
    world.clock.now = since = now - timedelta(days=2)
    await OutboxMessage.filter(status="pending").update(created_at=since, available_at=since)
    settings = Settings(database_url=db_url, kb_dir=KB_DIR, metrics=True)
    async with TestClient(TestServer(build_web_app(settings, world.engine, None))) as metrics:

        async def scrape(gauge: str) -> dict[str, float]:
            async with metrics.get("/metrics") as response:
                return ages(await response.text(), gauge)

        two_days = pytest.approx(timedelta(days=2).total_seconds(), abs=60)
        assert await scrape(PENDING) == {"slack": two_days}
        assert await scrape(UNFETCHED_GAUGE) == {"web": two_days}  # the visitor and the desk

        world.clock.now = datetime.now(UTC)  # the visitor is back; the page fails to take it
        assert await updates(user) != []
        assert await scrape(PENDING) == {"slack": two_days, "web": two_days}
