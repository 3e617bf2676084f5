"""GET /metrics (HELPDESK_METRICS): the queue, tickets and outbox as Prometheus reads them,
from real conversations on both databases."""

from __future__ import annotations

import itertools
from collections import Counter
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from aiohttp.test_utils import TestClient, TestServer
from prometheus_client.parser import text_string_to_metric_families
from tortoise import connections

from bot.channels import build_web_app
from bot.config import Settings
from bot.handoff.sla import due_now
from bot.knowledge.base import KnowledgeBase
from bot.metrics import exposition
from bot.storage.models import Handoff, OutboxMessage, Ticket, User
from bot.storage.reports import unresolved_tickets
from tests.conftest import KB_DIR
from tests.handoff_support import NOON, World, build_world
from tests.test_handoff_pickup import timed_out

Samples = dict[tuple[str, tuple[tuple[str, str], ...]], float]


@pytest.fixture
def world(db_url: str, knowledge: KnowledgeBase) -> World:
    return build_world(db_url, knowledge)


def _samples(text: str) -> Samples:
    return {
        (s.name, tuple(sorted(s.labels.items()))): s.value
        for family in text_string_to_metric_families(text)
        for s in family.samples
    }


async def test_the_figures_match_what_happened(world: World) -> None:
    await timed_out(world, "u3")  # a ticket, nobody having claimed the request in time
    waiting_since = world.clock.now
    await world.chat("u1").say("my vpn is broken, I want a human")
    await world.chat("u2").say("printer jammed, I want a human")
    taken = await Handoff.filter(conversation__chat_id="u2").get()
    assert (await world.act("bob", "claim", taken.id)).ok
    given_up = await OutboxMessage.filter(status="pending").order_by("id").first()
    assert given_up is not None
    given_up.status = "failed"
    await given_up.save()
    ticket = await Ticket.get()
    now = NOON + timedelta(days=3)  # past every due time of the ticket

    samples = _samples((await exposition(lambda: 44, now)).decode())

    assert samples[("helpdesk_requests", (("status", "waiting"), ("team", "it")))] == 1
    assert samples[("helpdesk_requests", (("status", "claimed"), ("team", "it")))] == 1
    oldest = samples[("helpdesk_oldest_waiting_seconds", (("team", "it"),))]
    assert oldest == (now - waiting_since).total_seconds()
    label = (("priority", ticket.priority), ("status", "open"))
    assert samples[("helpdesk_tickets", label)] == 1
    assert samples[("helpdesk_tickets_overdue", (("priority", ticket.priority),))] == 1
    pending = await OutboxMessage.filter(status="pending").order_by("created_at")
    assert pending and {m.platform for m in pending} == {"memory"}
    memory = ("platform", "memory")
    assert samples[("helpdesk_outbox_messages", (memory, ("status", "pending")))] == len(pending)
    assert samples[("helpdesk_outbox_messages", (memory, ("status", "failed")))] == 1
    age = samples[("helpdesk_outbox_oldest_pending_seconds", (memory,))]
    assert age == pytest.approx((now - pending[0].created_at).total_seconds())
    assert samples[("helpdesk_kb_articles", ())] == 44


async def test_nothing_open_reads_as_no_samples_not_an_error(world: World) -> None:
    samples = _samples((await exposition(lambda: 0, NOON)).decode())
    assert set(samples) == {("helpdesk_kb_articles", ())}


async def test_served_only_when_switched_on(db_url: str, world: World) -> None:
    for metrics, status in ((True, 200), (False, 404)):
        settings = Settings(database_url=db_url, kb_dir=KB_DIR, metrics=metrics)
        app = build_web_app(settings, world.engine, None)
        async with TestClient(TestServer(app)) as client, client.get("/metrics") as response:
            assert response.status == status
            if metrics:
                assert response.content_type == "text/plain"
                assert "helpdesk_kb_articles" in await response.text()


def _at(hours: int | None) -> datetime | None:
    return None if hours is None else NOON + timedelta(hours=hours)


async def _mixed_tickets() -> None:
    """Every mix of priority, status, due times passed or not (or none) and clocks met or not:
    4 * 4 * 3 * 2 * 3 * 2 = 576 tickets, 288 of them unresolved."""
    user = await User.create(platform="memory", workspace="test", external_id="u1")
    mixes = itertools.product(
        ("urgent", "high", "normal", "low"),
        ("open", "in_progress", "resolved", "withdrawn"),
        (-1, 1, None),  # the first response's due time, in hours from NOON
        (None, -2),  # when the first response came
        (-1, 1, None),  # the resolution's due time
        (None, -2),  # when it was resolved
    )
    await Ticket.bulk_create(
        Ticket(
            user=user,
            subject="s",
            priority=priority,
            status=status,
            response_due=_at(response),
            first_response_at=_at(answered),
            resolve_due=_at(resolve),
            resolved_at=_at(resolved),
        )
        for priority, status, response, answered, resolve, resolved in mixes
    )


async def test_ticket_figures_are_counted_by_the_database(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The same figures as counting every unresolved ticket's due time here (as /metrics did),
    with a row read per figure, not per ticket (100k open tickets made a scrape slow)."""
    await _mixed_tickets()
    rows = await unresolved_tickets()
    expected = Counter((t.priority, t.status) for t in rows)
    late = Counter(t.priority for t in rows if (due := due_now(t)) is not None and due < NOON)
    assert len(rows) == 288 and 0 < sum(late.values()) < len(rows)
    client = type(connections.get("default"))
    read = 0

    async def counted(self: Any, *args: Any, **kwargs: Any) -> Any:
        nonlocal read
        found = await query(self, *args, **kwargs)
        read += len(found[1])
        return found

    query = client.execute_query
    monkeypatch.setattr(client, "execute_query", counted)

    samples = _samples((await exposition(lambda: 0, NOON)).decode())

    tickets = {
        (dict(labels)["priority"], dict(labels)["status"]): value
        for (name, labels), value in samples.items()
        if name == "helpdesk_tickets"
    }
    overdue = {
        dict(labels)["priority"]: value
        for (name, labels), value in samples.items()
        if name == "helpdesk_tickets_overdue"
    }
    assert tickets == expected and overdue == late
    assert read == len(tickets) + len(overdue)  # nothing else open: no request, no message
    for zone in ("Asia/Tokyo", "America/New_York"):  # the same moment, told in another zone
        local = _samples((await exposition(lambda: 0, NOON.astimezone(ZoneInfo(zone)))).decode())
        assert local == samples
