"""Housekeeping deletes what is kept only for a while, and nothing a live request needs."""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

import pytest
from tortoise.models import Model

from bot.knowledge.base import KnowledgeBase
from bot.messages import Reply
from bot.phrases import load_phrases
from bot.storage import retention
from bot.storage.models import (
    Agent,
    ButtonAction,
    Conversation,
    Feedback,
    Handoff,
    InboundEvent,
    OutboxMessage,
    SendSlot,
    Ticket,
    TranscriptMessage,
    UnansweredQuestion,
)
from bot.storage.retention import BUTTONS, purge
from tests.handoff_support import NOON, World, build_world

LONG_AGO = NOON - timedelta(days=60)
PHRASES = load_phrases()


@pytest.fixture
def world(db_url: str, knowledge: KnowledgeBase) -> World:
    return build_world(db_url, knowledge)


async def _age(*models: type[Model], field: str = "created_at") -> None:
    for model in models:
        await model.all().update(**{field: LONG_AGO})


async def test_old_rows_go_and_a_live_requests_stay(world: World) -> None:
    waiting = world.chat("u1")
    await waiting.say("forgot my password")
    await waiting.press("Didn't help")  # feedback, an unanswered question, a waiting request
    served = world.chat("u2")
    await served.say("human")
    done = await Handoff.get(conversation__chat_id="u2")
    assert (await world.act("bob", "claim", done.id)).ok
    assert (await world.act("bob", "close", done.id)).ok
    for chat in ("desk", "u1", "u2"):
        await world.drain("memory", chat)
    live = await OutboxMessage.filter(handoff__conversation__chat_id="u1").count()
    assert live and await OutboxMessage.filter(handoff_id=done.id, status="sent").count()
    pending = await OutboxMessage.filter(status="pending").count()  # never delivered: kept
    await _age(OutboxMessage, TranscriptMessage, UnansweredQuestion, Feedback)
    await _age(InboundEvent, field="received_at")
    text_before = await TranscriptMessage.all().count()

    counts = await purge(NOON)  # no retention period: users' words stay
    assert counts["inbound events"] > 0 and await InboundEvent.all().count() == 0
    assert await OutboxMessage.filter(handoff_id=done.id, status="sent").count() == 0
    kept = await OutboxMessage.filter(handoff__conversation__chat_id="u1").count()
    assert kept == live  # the waiting request's thread stays
    assert await OutboxMessage.filter(status="pending").count() == pending
    assert await TranscriptMessage.all().count() == text_before
    assert "transcript lines" not in counts

    await served.say("thanks")  # today's words
    counts = await purge(NOON, retention=timedelta(days=30))
    assert counts["transcript lines"] == text_before
    assert counts["unanswered questions"] >= 1 and counts["feedback"] == 1
    assert await UnansweredQuestion.all().count() == 0 and await Feedback.all().count() == 0
    assert await TranscriptMessage.all().count() == 2  # "thanks" and the answer
    assert await Handoff.all().count() == 2  # the reports' figures stay
    assert await Ticket.all().count() == 0


async def test_a_retention_period_shorter_than_the_housekeeping_windows_takes_every_copy(
    world: World,
) -> None:
    """With HELPDESK_RETENTION_DAYS at 3, what a user wrote also lived on in the deliveries'
    payloads (a week), in the messages relayed to the desk and the cards (30 days after their
    request ended) and in the conversation's last question (for ever). Each goes after the
    retention period too; a live request's thread stays, as without one."""
    served = world.chat("u2")
    await served.say("human")
    done = await Handoff.get(conversation__chat_id="u2")
    assert (await world.act("bob", "claim", done.id)).ok
    await served.say("it shows last month's figures")
    assert (await world.act("bob", "close", done.id)).ok
    await world.chat("u1").say("human")  # a live request: its thread stays
    await world.chat("u3").say("vpn keeps dropping")  # an answer, the question kept for it
    for chat in ("desk", "u1", "u2"):
        await world.drain("memory", chat)
    live = await OutboxMessage.filter(handoff__conversation__chat_id="u1").count()
    assert live and await OutboxMessage.filter(handoff_id=done.id, status="sent").count()
    four_days_ago = NOON - timedelta(days=4)
    await OutboxMessage.all().update(created_at=four_days_ago)
    await InboundEvent.all().update(received_at=four_days_ago)
    await Conversation.all().update(updated_at=four_days_ago)
    assert await Conversation.filter(last_question__not="").exists()

    kept = await purge(NOON)  # no retention period: within the windows, all stays
    assert kept["inbound events"] == kept["outbox messages"] == 0

    await purge(NOON, retention=timedelta(days=3))
    assert await InboundEvent.all().count() == 0
    assert await OutboxMessage.filter(handoff_id=done.id, status="sent").count() == 0
    assert await OutboxMessage.filter(handoff__conversation__chat_id="u1").count() == live
    assert not await Conversation.filter(last_question__not="").exists()


async def test_unhandled_deliveries_and_pending_messages_stay(world: World) -> None:
    await world.chat("u1").say("human")  # a card, pending in the outbox
    await InboundEvent.all().update(handled_at=None)  # as if a crash left it undone
    await _age(OutboxMessage)
    await _age(InboundEvent, field="received_at")
    counts = await purge(NOON)
    assert counts == {"inbound events": 0, "outbox messages": 0, "pacing slots": 0, "buttons": 0}
    assert await InboundEvent.all().count() == 1 and await OutboxMessage.all().count() == 1


async def test_an_agents_name_goes_with_the_retention_period(db_url: str) -> None:
    """An agent's name is kept from their last desk action for the texts that name them; with
    HELPDESK_RETENTION_DAYS, one who has not acted for that long (left the team, say) is
    named by their id again until they next act."""
    await Agent.create(key="telegram:42", name="Bob Smith")
    await Agent.create(key="slack:T1:U2", name="Carol King")
    await Agent.filter(key="telegram:42").update(updated_at=LONG_AGO)
    assert "agent names" not in await purge(NOON)  # no retention period: all kept
    counts = await purge(NOON, retention=timedelta(days=30))
    assert counts["agent names"] == 1
    assert [a.key for a in await Agent.all()] == ["slack:T1:U2"]


async def test_pacing_slots_go_an_hour_after_their_last_message(db_url: str) -> None:
    now = NOON.timestamp()
    await SendSlot.create(key="telegram:1", next_at=now - 2 * 3600)
    await SendSlot.create(key="telegram:-7", next_at=now - 60, recent=[now - 61])
    counts = await purge(NOON)
    assert counts["pacing slots"] == 1
    assert [s.key for s in await SendSlot.all()] == ["telegram:-7"]


async def test_buttons_go_after_a_month_or_the_retention_period_if_sooner(world: World) -> None:
    """A press of a button gone is refused as one of a key never stored; a younger one still
    works."""
    chat = world.chat("u1")
    old, recent, today = [await chat.say("vpn keeps dropping") for _ in range(3)]
    await _made(old, NOON - BUTTONS - timedelta(minutes=1))
    await _made(recent, NOON - timedelta(days=10))

    counts = await purge(NOON)
    assert counts["buttons"] == 2  # the month-old answer's "Helped" and "Didn't help"
    [refused] = await chat.press("Helped", among=old)
    assert refused.text == PHRASES.get("en", "button_unknown")
    assert await Feedback.all().count() == 0
    [thanks] = await chat.press("Helped", among=recent)
    assert thanks.text == PHRASES.get("en", "helped")

    counts = await purge(NOON, retention=timedelta(days=7))
    assert counts["buttons"] == 2  # the 10-day-old answer's
    assert await ButtonAction.all().count() == len(today[0].buttons)


async def test_old_deliveries_and_sent_messages_go_in_batches(
    world: World, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    """Inbound deliveries and sent outbox messages went in one statement each, holding the
    write lock for the whole backlog; now BATCH rows at a time, as the buttons go (and only
    the ones that go: the live request's thread and what is still to send stay)."""
    monkeypatch.setattr(retention, "BATCH", 2)
    served = world.chat("u2")
    await served.say("human")
    done = await Handoff.get()
    assert (await world.act("bob", "claim", done.id)).ok
    for words in ("it says error 809", "since this morning", "on every laptop"):
        await served.say(words)
    assert (await world.act("bob", "close", done.id)).ok
    for chat in ("desk", "u2"):
        await world.drain("memory", chat)
    await world.chat("u1").say("human")  # a live request: its card is pending, kept
    await _age(OutboxMessage)
    await _age(InboundEvent, field="received_at")
    events = await InboundEvent.all().count()
    sent = await OutboxMessage.filter(handoff_id=done.id, status="sent").count()
    kept = await OutboxMessage.all().count() - sent
    assert events >= 5 and sent >= 5

    with caplog.at_level(logging.DEBUG, logger="tortoise.db_client"):
        counts = await purge(NOON)
    assert (counts["inbound events"], counts["outbox messages"]) == (events, sent)
    assert await InboundEvent.all().count() == 0
    assert await OutboxMessage.all().count() == kept
    deletes = [r.getMessage().split(" WHERE ")[0] for r in caplog.records]
    deletes = [sql for sql in deletes if sql.startswith("DELETE")]
    assert len([sql for sql in deletes if "inbound_events" in sql]) == events // 2 + 1
    assert len([sql for sql in deletes if "outbox_messages" in sql]) == sent // 2 + 1


async def _made(replies: list[Reply], at: datetime) -> None:
    """Date the buttons of `replies` back to `at`."""
    keys = [button.key for reply in replies for button in reply.buttons]
    await ButtonAction.filter(key__in=keys).update(created_at=at)


async def test_a_backlog_is_deleted_in_batches(
    world: World, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    """The first run after an upgrade deleted every old button in one statement: 900,000 of
    them held SQLite's write lock for 8 s, every reply waiting. Now each statement (and
    transaction) deletes at most BATCH rows."""
    monkeypatch.setattr(retention, "BATCH", 2)
    chat = world.chat("u1")
    answers = [await chat.say("vpn keeps dropping") for _ in range(3)]
    for replies in answers[:2]:
        await _made(replies, LONG_AGO)  # 2 answers of 2 buttons: 4 old buttons
    await TranscriptMessage.all().update(created_at=LONG_AGO)
    lines = await TranscriptMessage.all().count()
    with caplog.at_level(logging.DEBUG, logger="tortoise.db_client"):
        counts = await purge(NOON, retention=timedelta(days=7))
    assert (counts["buttons"], counts["transcript lines"]) == (4, lines)
    assert await ButtonAction.all().count() == len(answers[2][0].buttons)
    deletes = [r.getMessage() for r in caplog.records if r.getMessage().startswith("DELETE")]
    from_buttons = [sql for sql in deletes if "button_actions" in sql.split(" WHERE ")[0]]
    assert len(from_buttons) == 3  # 2 + 2 + the one that finds none left
    from_transcript = [sql for sql in deletes if "transcript" in sql.split(" WHERE ")[0]]
    assert len(from_transcript) == lines // 2 + 1


async def test_last_questions_and_rating_comments_are_cleared_in_batches(
    world: World, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    """A first run with a retention period cleared every old conversation's last question,
    and every old rating comment, in one UPDATE each, holding the write lock for the whole
    table; now BATCH rows at a time, as the deletions go."""
    monkeypatch.setattr(retention, "BATCH", 2)
    for chat in ("u1", "u2", "u3", "u4", "u5"):
        await world.chat(chat).say("human")  # a request each (and a last question)
    await Conversation.all().update(updated_at=LONG_AGO, last_question="my vpn")
    await Handoff.all().update(rating=1, rating_comment="slow", rated_at=LONG_AGO)
    conversations, handoffs = await Conversation.all().count(), await Handoff.all().count()
    assert conversations == handoffs == 5

    with caplog.at_level(logging.DEBUG, logger="tortoise.db_client"):
        counts = await purge(NOON, retention=timedelta(days=7))

    assert (counts["last questions"], counts["rating comments"]) == (5, 5)
    assert not await Conversation.filter(last_question__not="").exists()
    assert not await Handoff.filter(rating_comment__isnull=False).exists()
    assert await Handoff.filter(rating=1).count() == 5  # the ratings stay: figures
    updates = [r.getMessage().split(" WHERE ")[0] for r in caplog.records]
    updates = [sql for sql in updates if sql.startswith("UPDATE")]
    assert len([sql for sql in updates if "last_question" in sql]) == 5 // 2 + 1
    assert len([sql for sql in updates if '"handoffs"' in sql]) == 5 // 2 + 1
