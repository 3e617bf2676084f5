"""A Telegram group desk hears that a user raised their ticket ("urgent!" after a bare
request for a person became a ticket off hours): the real python-telegram-bot against the
fake Bot API, the real engine."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import replace
from datetime import timedelta

import pytest

from bot.adapters.telegram import TelegramChannel
from bot.handoff import Queue, Teams
from bot.knowledge.base import KnowledgeBase
from bot.storage.models import OutboxMessage, Ticket
from bot.zones import local_time
from tests.fakes.telegram_api import FakeBotAPI
from tests.fakes.telegram_desk import DESK, IT, PHRASES, arrives, serving_desks
from tests.fakes.telegram_updates import Updates
from tests.handoff_support import IT as OFFICE_HOURS
from tests.handoff_support import NOON, Clock

pytest_plugins = ["tests.fakes.telegram_harness"]
pytestmark = pytest.mark.usefixtures("ptb_timedelta")
UNTITLED = "(no subject: asked for a person)"
# 22:00 in Moscow: the team, on Moscow office hours, is off duty.
TEAM = replace(IT, timezone=OFFICE_HOURS.timezone, shifts=OFFICE_HOURS.shifts)
QUEUE = Queue(Teams((TEAM,), default="it"), PHRASES, clock=Clock(NOON + timedelta(hours=10)))


@pytest.fixture
async def channel(
    db_url: str, knowledge: KnowledgeBase, api: FakeBotAPI
) -> AsyncIterator[TelegramChannel]:
    async with serving_desks(db_url, knowledge, api, QUEUE) as channel:
        yield channel


@pytest.mark.usefixtures("channel")
async def test_the_desk_group_hears_once_that_a_user_raised_their_ticket(
    api: FakeBotAPI, updates: Updates
) -> None:
    updates.group(DESK, "IT desk", kind="supergroup")
    ann = updates.user(781, "Ann", "en")
    api.push(updates.message(ann, "I want a human"))
    await arrives(api, 781, "ticket")
    api.push(updates.message(ann, "urgent!"))
    await arrives(api, 781, "I've raised your ticket's priority")
    ticket = await Ticket.get()
    assert ticket.priority == "high" and ticket.response_due is not None
    due = local_time(ticket.response_due, TEAM.timezone)
    notice = await arrives(api, DESK, f"⬆️ Ticket #{ticket.id}")
    assert notice["text"] == (
        f"⬆️ Ticket #{ticket.id} «{UNTITLED}» now has priority high, due by {due}:"
        " Ann wrote that it is urgent."
    )
    assert "reply_to_message" not in notice  # at the top of the group
    asked = len(api.sent(781))
    api.push(updates.message(ann, "urgent!!"))  # again: the ticket is high already
    await api.until(lambda: len(api.sent(781)) > asked)  # the turn is over (and committed)
    told = OutboxMessage.filter(platform="telegram", chat_id=str(DESK), text__contains="⬆️")
    assert await told.count() == 1
