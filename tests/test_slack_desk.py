"""A Slack channel as the agents' desk, end to end: the real engine and slack-bolt stack, the
composition root's Slack branch, and the fake Slack Web API (`fakes/slack_api.py`)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from bot.adapters.slack.desk_convert import DESK_PREFIX
from bot.config import TeamSettings
from bot.handoff import Queue, Team, Teams, escalate_due
from bot.handoff.ticketed import to_ticket
from bot.knowledge.base import KnowledgeBase
from bot.phrases import load_phrases
from bot.storage.models import Handoff, InboundEvent, OutboxMessage, Ticket
from tests.fakes.slack_desk import (
    BOB,
    DESK,
    EVE,
    USER,
    DeskSide,
    claimed_thread,
    posted_in,
    running_desk,
    team_settings,
    updated_with,
)
from tests.fakes.slack_payloads import block_actions

QUEUE = Queue(
    Teams((Team("it", f"slack:{DESK}", frozenset({f"slack:{BOB}"})),), "it"), load_phrases()
)


@pytest.fixture
async def desk(db_url: str, knowledge: KnowledgeBase) -> AsyncIterator[DeskSide]:
    async with running_desk(db_url, knowledge, team_settings()) as running:
        yield running


async def test_slack_user_served_from_a_slack_desk(desk: DeskSide) -> None:
    await desk.dm("I want to talk to a human")
    await desk.dm_saying("number *1*")
    card = await desk.card()
    thread = str(card.response["ts"])
    assert "Request #1" in card.text and card.buttons()[0]["text"]["text"] == "Claim"

    await desk.claim(card, user=EVE)
    await desk.told(EVE, "not an agent")
    assert await Handoff.filter(status="waiting").count() == 1

    await desk.claim(card, user=BOB)
    update = await desk.api.wait_until(lambda c: c.method == "chat.update")
    assert update.args["ts"] == thread and "Claimed by U0BOB" in update.text
    assert "Request #1" in update.text and not update.buttons()  # the card, its button gone
    await desk.dm_saying("U0BOB from IT has joined the chat")
    await desk.in_thread_saying(thread, "taken by U0BOB")

    await desk.in_thread(thread, "Try restarting the router, please")
    await desk.dm_saying("Try restarting the router, please")
    await desk.dm("Still broken after the restart")
    await desk.in_thread_saying(thread, "Still broken after the restart")

    await desk.in_thread(thread, "!close")
    bye = await desk.dm_saying("has closed the chat")
    closed = await desk.api.wait_until(lambda c: updated_with(c, "Closed by U0BOB"))
    assert closed.args["ts"] == thread and not closed.buttons()
    assert [b["text"]["text"] for b in bye.buttons()] == ["1", "2", "3", "4", "5"]
    [five] = [b for b in bye.buttons() if b["text"]["text"] == "5"]
    assert not five["action_id"].startswith(DESK_PREFIX)  # the user's button, not the desk's
    [block] = [b for b in bye.args["blocks"] if five in b.get("elements", ())]
    status, _ = await desk.sender.interaction(block_actions(bye, five, block, user=USER))
    assert status == 200
    await desk.dm_saying("Thank you for the rating")
    assert (await Handoff.get()).rating == 5
    await desk.dm("how do I reset my password")
    answer = await desk.dm_saying("Helped")  # self-help again: a KB answer with its buttons
    assert answer.buttons()
    await desk.channel.join()
    assert await Handoff.filter(status="closed").count() == 1


async def test_the_bot_stays_quiet_while_an_agent_owns_the_chat(desk: DeskSide) -> None:
    thread = await claimed_thread(desk)
    await desk.dm("how do I reset my password")
    await desk.in_thread_saying(thread, "how do I reset my password")
    await desk.channel.join()
    assert not [c for c in desk.api.calls if posted_in(c, f"D{USER}") and "Helped" in c.text]


async def test_commands_and_refusals_in_the_thread(desk: DeskSide) -> None:
    thread = await claimed_thread(desk)
    await desk.in_thread(thread, "I can write here too", user=EVE)
    await desk.told(EVE, "not an agent")
    await desk.in_thread(thread, "!note the router is old")
    await desk.told(BOB, "Note saved")
    await desk.in_thread(thread, "!dance")
    await desk.told(BOB, "!transfer")
    await desk.in_thread(thread, "!transfer nowhere")
    await desk.told(BOB, "no team called nowhere")
    await desk.in_thread(thread, "!ticket")
    await desk.dm_saying("ticket *#1*")
    await desk.in_thread_saying(thread, "became ticket #1")  # for everyone at the desk
    await desk.channel.join()
    assert desk.told_so_far(BOB, "became ticket") == []  # and not again to Bob alone
    assert not [c for c in desk.api.calls if posted_in(c, f"D{USER}") and "router is old" in c.text]
    assert await Handoff.filter(status="ticketed").count() == 1


async def test_an_agent_sets_the_priority_in_the_thread(desk: DeskSide) -> None:
    """`!priority <level>` in the card's thread; a wrong level gets the levels, privately."""
    thread = await claimed_thread(desk)
    await desk.in_thread(thread, "!priority asap")
    await desk.told(BOB, "low, normal, high or urgent")
    await desk.in_thread(thread, "!priority urgent")
    await desk.in_thread_saying(thread, "priority set to 🔴 URGENT by")
    await desk.dm_saying("raised your request's priority")
    await desk.channel.join()
    assert (await Handoff.get()).priority == "urgent"


async def test_an_agent_answers_with_a_kb_article(desk: DeskSide, knowledge: KnowledgeBase) -> None:
    thread = await claimed_thread(desk)
    await desk.in_thread(thread, "!kb vpn does not connect")
    sent = await desk.dm_saying(knowledge.articles["vpn-connect"].title["en"])
    assert "U0BOB" in sent.text and "sent you an article" in sent.text
    await desk.in_thread_saying(thread, "sent the article")
    await desk.in_thread(thread, "!kb не работает")
    await desk.told(BOB, "nothing was sent")  # unclear: the closest articles, for Bob only
    await desk.in_thread(thread, "!kb")
    await desk.told(BOB, "(sends a KB article)")  # the syntax
    await desk.channel.join()
    articles = [c for c in desk.api.calls if posted_in(c, f"D{USER}") and "article" in c.text]
    assert len(articles) == 1


async def test_a_retried_thread_event_is_relayed_once(desk: DeskSide) -> None:
    thread = await claimed_thread(desk)
    await desk.in_thread(thread, "Only once, please", event_id="EvAGAIN")
    await desk.in_thread(thread, "Only once, please", event_id="EvAGAIN", retry=1)
    await desk.dm_saying("Only once, please")
    await desk.channel.stop()  # every action done, the sender's last round recorded
    assert await OutboxMessage.filter(chat_id=f"D{USER}", text__contains="Only once").count() == 1
    sent = [c for c in desk.api.calls if posted_in(c, f"D{USER}") and "Only once" in c.text]
    assert len(sent) == 1


async def test_a_rate_limited_relay_is_sent_once_later(desk: DeskSide) -> None:
    thread = await claimed_thread(desk)
    too_many: tuple[int, Any, dict[str, str]] = (
        429,
        {"ok": False, "error": "ratelimited"},
        {"Retry-After": "0"},
    )
    desk.api.script("chat.postMessage", too_many)
    await desk.in_thread(thread, "Please try again now")
    await desk.dm_saying("Please try again now")
    limited = [c for c in desk.api.calls if c.response == too_many[1]]
    assert len(limited) == 1 and "Please try again now" in limited[0].text
    await desk.channel.stop()  # the sender ends after its round: every outcome is recorded
    sent = [c for c in desk.api.calls if posted_in(c, f"D{USER}") and "try again now" in c.text]
    assert len(sent) == 1
    row = await OutboxMessage.filter(text__contains="try again now").first()
    assert row is not None and row.status == "sent" and row.attempts == 2


async def test_an_unreachable_desk_is_not_retried(
    db_url: str, knowledge: KnowledgeBase, caplog: pytest.LogCaptureFixture
) -> None:
    async with running_desk(db_url, knowledge, team_settings("slack:C0GONE")) as desk:
        desk.api.gone.add("C0GONE")
        await desk.dm("I want to talk to a human")
        await desk.api.wait_until(lambda c: c.args.get("channel") == "C0GONE")
        await desk.dm_saying("number")
        await desk.channel.join()
    card = await OutboxMessage.get(kind="card")
    assert card.status == "failed" and card.attempts == 1
    assert "C0GONE" in caplog.text and "channel_not_found" in caplog.text


async def test_transfer_moves_the_card_to_another_slack_desk(
    db_url: str, knowledge: KnowledgeBase
) -> None:
    teams = (
        *team_settings(),
        TeamSettings(name="net", desk="slack:C0NET", agents=(f"slack:{EVE}",)),
    )
    async with running_desk(db_url, knowledge, teams) as desk:
        thread = await claimed_thread(desk)
        await desk.in_thread(thread, "!transfer net")
        await desk.dm_saying("passed to the *net* team")
        moved = await desk.api.wait_until(lambda c: posted_in(c, "C0NET") and bool(c.buttons()))
        old_card = await desk.api.wait_until(lambda c: updated_with(c, "Moved to team net"))
        assert (old_card.args["channel"], old_card.args["ts"]) == (DESK, thread)
        line = await desk.api.wait_until(lambda c: posted_in(c, DESK) and "moved to team" in c.text)
        assert line.args.get("thread_ts") == thread  # the old card's, not the new one's
        await desk.in_thread(thread, "Are you still there?")  # the old thread is not live
        await desk.claim(moved, user=EVE)
        await desk.dm_saying(f"{EVE} from IT has joined the chat")
        await desk.channel.join()
        assert desk.told_so_far(BOB, "moved to team net") == []  # the thread's line says it
    assert not [c for c in desk.api.calls if posted_in(c, f"D{USER}") and "still there" in c.text]
    handoff = await Handoff.get()
    assert (handoff.team, handoff.agent) == ("net", f"slack:{EVE}")


async def test_take_picks_up_a_ticket_from_the_desk_channel(desk: DeskSide) -> None:
    await desk.dm("I want to talk to a human")
    await desk.card()
    await desk.channel.join()
    ticket = await to_ticket(QUEUE, await Handoff.get(), "timeout")
    await desk.at_top("!tickets")
    listed = await desk.told(BOB, "Open tickets (1), due first:")
    assert f"#{ticket.id}" in listed.text and "due by" in listed.text
    await desk.at_top(f"!take {ticket.id}", user=EVE)
    await desk.told(EVE, "not an agent")
    await desk.at_top(f"!take {ticket.id}")
    await desk.dm_saying(f"U0BOB from IT picked up your ticket *#{ticket.id}*")
    card = await desk.api.wait_until(lambda c: posted_in(c, DESK) and "picked up by" in c.text)
    assert f"Ticket #{ticket.id} picked up by U0BOB" in card.text and not card.buttons()
    thread = str(card.response["ts"])
    await desk.dm("Still broken after the restart")
    await desk.in_thread_saying(thread, "Still broken after the restart")  # the thread is known
    await desk.in_thread(thread, "Try restarting the router, please")
    await desk.dm_saying("Try restarting the router, please")
    await desk.in_thread(thread, "!close")
    await desk.dm_saying("has closed the chat")
    await desk.in_thread_saying(thread, "closed by U0BOB")
    await desk.channel.join()
    assert (await Ticket.get(id=ticket.id)).status == "resolved"
    assert desk.told_so_far(BOB, "picked up by") == []  # the desk's card says it, once
    assert desk.told_so_far(BOB, "closed by") == []  # the line in the thread says it


async def test_resolve_closes_a_ticket_from_the_desk_channel_without_a_chat(
    desk: DeskSide,
) -> None:
    await desk.dm("I want to talk to a human")
    await desk.card()
    await desk.channel.join()
    ticket = await to_ticket(QUEUE, await Handoff.get(), "timeout")
    await desk.at_top(f"!resolve {ticket.id} Your account is unlocked", user=EVE)
    await desk.told(EVE, "not an agent")
    await desk.at_top(f"!resolve {ticket.id}")
    await desk.told(BOB, "Add a short note")
    await desk.at_top(f"!resolve #{ticket.id} Your account is unlocked")
    told = await desk.dm_saying("is resolved: Your account is unlocked")
    assert told.args["text"] == (
        f"Your ticket *#{ticket.id}* «(no subject: asked for a person)» is resolved: "
        "Your account is unlocked\n\nHow was the help? Rate it from 1 (poor) to 5 (excellent):"
    )
    [four] = [b for b in told.buttons() if b["text"]["text"] == "4"]  # the user's to press
    [block] = [b for b in told.args["blocks"] if four in b.get("elements", ())]
    status, _ = await desk.sender.interaction(block_actions(told, four, block, user=USER))
    assert status == 200
    await desk.dm_saying("Thank you for the rating")
    assert (await Ticket.get(id=ticket.id)).rating == 4
    notice = await desk.api.wait_until(
        lambda c: posted_in(c, DESK) and "resolved by U0BOB" in c.text
    )
    assert "thread_ts" not in notice.args  # one line at the top of the channel
    await desk.channel.join()
    assert (await Ticket.get(id=ticket.id)).status == "resolved"
    assert desk.told_so_far(BOB, "resolved by") == []  # that line is Bob's answer too
    await desk.at_top(f"!resolve {ticket.id} again")
    await desk.told(BOB, f"Ticket #{ticket.id} is already resolved.")


async def test_a_raised_priority_rewrites_the_card_with_its_claim_button(desk: DeskSide) -> None:
    await desk.dm("I want to talk to a human")
    card = await desk.card()
    assert "priority normal" in card.text
    await desk.dm("urgent please, the CEO is waiting")
    update = await desk.api.wait_until(lambda c: updated_with(c, "priority high"))
    assert update.args["ts"] == card.response["ts"]
    assert [b["value"] for b in update.buttons()] == [b["value"] for b in card.buttons()]


async def test_an_sla_breach_is_posted_at_the_top_of_the_desk_channel(desk: DeskSide) -> None:
    await desk.dm("I want to talk to a human")
    await desk.card()
    ticket = await to_ticket(QUEUE, await Handoff.get(), "timeout")
    past = datetime.now(UTC) - timedelta(minutes=1)  # its first response is overdue
    await Ticket.filter(id=ticket.id).update(response_due=past, next_alert_at=past)
    assert await escalate_due(QUEUE) == 1
    breach = await desk.api.wait_until(
        lambda c: posted_in(c, DESK) and "missed its first-response time" in c.text
    )
    assert f"Ticket #{ticket.id}" in breach.text and "thread_ts" not in breach.args


async def test_a_user_who_asked_with_the_slash_command_is_served_in_a_dm(desk: DeskSide) -> None:
    await desk.command("I want to talk to a human")
    await desk.api.wait_until(lambda c: c.method == "response_url" and "number" in c.text)
    # They were told "a person from IT will take over here" alone: now where, too.
    told = await desk.api.wait_until(
        lambda c: c.method == "response_url" and "direct messages" in c.text
    )
    card = await desk.card()
    thread = str(card.response["ts"])
    await desk.claim(card, user=BOB)
    await desk.dm_saying("U0BOB from IT has joined the chat")  # in a DM the bot opened
    [opened] = desk.api.calls_to("conversations.open")
    assert opened.args["users"] == USER
    await desk.in_thread(thread, "Try restarting the router, please")
    await desk.dm_saying("Try restarting the router, please")
    await desk.dm("Still broken after the restart")  # answered in the DM: the agent gets it
    await desk.in_thread_saying(thread, "Still broken after the restart")
    await desk.command("anyone there?")  # with the command again: told where, once more
    # This time's answer, not the first one again: a close before the command is read makes
    # it a new request (a second handoff).
    await desk.api.wait_until(
        lambda c: c.method == "response_url" and "direct messages" in c.text and c is not told
    )
    await desk.in_thread(thread, "!close")
    bye = await desk.dm_saying("has closed the chat")
    [three] = [b for b in bye.buttons() if b["text"]["text"] == "3"]  # rated in the DM too
    [block] = [b for b in bye.args["blocks"] if three in b.get("elements", ())]
    status, _ = await desk.sender.interaction(block_actions(bye, three, block, user=USER))
    assert status == 200
    await desk.dm_saying("Thank you for the rating")
    assert (await Handoff.get()).rating == 3
    await desk.channel.join()
    assert len(desk.api.calls_to("conversations.open")) == 1  # the DM is known after that
    assert not [c for c in desk.api.calls if posted_in(c, f"D{USER}") and "Helped" in c.text]


async def test_a_desk_event_left_by_a_crash_is_done_once_after_a_restart(
    db_url: str, knowledge: KnowledgeBase
) -> None:
    async with running_desk(db_url, knowledge, team_settings()) as desk:
        thread = await claimed_thread(desk)
        assert desk.channel.desk is not None
        desk.channel.desk.take = lambda work: None  # the process dies right after the ack
        await desk.in_thread(thread, "Try restarting the router, please")
    said = OutboxMessage.filter(text__contains="restarting the router")
    assert not await said.exists()  # acknowledged to Slack, and not done
    event = await InboundEvent.get(platform="slack-desk", handled_at=None)
    assert "token" not in event.payload["body"]  # Slack's verification token is not kept
    async with running_desk(db_url, knowledge, team_settings()) as desk:
        await desk.dm_saying("Try restarting the router, please")  # done on the restart
        assert desk.channel.desk is not None
        await desk.channel.join()
        assert await desk.channel.desk.recover(older_than=timedelta(0)) == 0  # nothing left
    assert await said.count() == 1


async def test_agents_talking_in_the_desk_channel_are_not_done_again_by_every_recovery(
    db_url: str, knowledge: KnowledgeBase
) -> None:
    async with running_desk(db_url, knowledge, team_settings()) as desk:
        await desk.at_top("Anyone seen the printer on floor 3?")  # chatter, no card
        await desk.in_thread("1699999990.000001", "Yes, it is jammed again")  # not a card
        assert desk.channel.desk is not None
        await desk.channel.join()
        # Done once, nothing for a crash to leave: a sweep finds nothing to act on again.
        assert await desk.channel.desk.recover(older_than=timedelta(0)) == 0
    assert not await InboundEvent.filter(platform="slack-desk", handled_at=None).exists()
