"""An agent in a Telegram desk group sets a priority: `/priority <level>` in reply to a
request's card, `/priority <ticket number> <level>` anywhere in the group. The real
python-telegram-bot against the fake Bot API, the real engine."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import pytest

from bot.handoff import Queue, Teams
from bot.knowledge.base import KnowledgeBase
from bot.storage.models import Handoff, Ticket
from tests.fakes.outbox import SpyOutbox
from tests.fakes.telegram_api import FakeBotAPI
from tests.fakes.telegram_desk import DESK, IT, PHRASES, arrives, claimed, serving_desks
from tests.fakes.telegram_updates import Updates
from tests.handoff_support import IT as OFFICE_HOURS
from tests.handoff_support import NOON, Clock

pytest_plugins = ["tests.fakes.telegram_harness"]
pytestmark = pytest.mark.usefixtures("ptb_timedelta")
ON_DUTY = Queue(Teams((IT,), default="it"), PHRASES, desk_language="en")
# 22:00 in Moscow: the team, on Moscow office hours, is off duty: a request is a ticket.
TEAM = replace(IT, timezone=OFFICE_HOURS.timezone, shifts=OFFICE_HOURS.shifts)
OFF_DUTY = Queue(Teams((TEAM,), default="it"), PHRASES, clock=Clock(NOON + timedelta(hours=10)))


async def test_a_reply_to_the_card_sets_the_requests_priority(
    db_url: str, knowledge: KnowledgeBase, api: FakeBotAPI, updates: Updates
) -> None:
    outbox = SpyOutbox()
    async with serving_desks(db_url, knowledge, api, ON_DUTY, outbox=outbox):
        desk, bob, card = await claimed(api, updates, outbox, 791, "I want a human")
        api.push(updates.message(bob, "/priority banana", chat=desk, reply_to_message=card))
        await arrives(api, DESK, "Give the priority: low, normal, high or urgent")
        api.push(updates.message(bob, "/priority urgent", chat=desk, reply_to_message=card))
        await arrives(api, DESK, "Request #1: priority set to 🔴 URGENT by Bob (was normal).")
        await arrives(api, 791, "IT has raised your request's priority: urgent.")
    assert (await Handoff.get()).priority == "urgent"


async def test_a_command_in_the_group_sets_a_tickets_priority(
    db_url: str, knowledge: KnowledgeBase, api: FakeBotAPI, updates: Updates
) -> None:
    async with serving_desks(db_url, knowledge, api, OFF_DUTY):
        desk = updates.group(DESK, "IT desk", kind="supergroup")
        ann, bob = updates.user(792, "Ann", "en"), updates.user(42, "Bob")
        api.push(updates.message(ann, "I want a human"))
        await arrives(api, 792, "ticket")
        number = (await Ticket.get()).id
        api.push(updates.message(bob, f"/priority {number} urgent", chat=desk))
        line = await arrives(api, DESK, f"Ticket #{number} «")
        assert "priority set to 🔴 URGENT by Bob (was normal), due by" in line["text"]
        assert "reply_to_message" not in line  # at the top of the group
        await arrives(api, 792, f"IT has raised the priority of your ticket #{number}")
    assert (await Ticket.get()).priority == "urgent"
