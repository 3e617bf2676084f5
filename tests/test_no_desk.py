"""With no agents' desk (no [[teams]], as `helpdesk-bot run` with no config file) nobody can
answer a user in chat: the bot offers a ticket, never a person, and start-up says why."""

from __future__ import annotations

import asyncio
import logging
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot.adapters.memory import MemoryChat
from bot.config import Settings
from bot.engine import Engine
from bot.handoff.ticketed import await_words
from bot.knowledge.base import KnowledgeBase
from bot.messages import Reply
from bot.phrases import load_phrases
from bot.service_json import report_json
from bot.service_text import format_report
from bot.serving import serve_forever
from bot.storage import reports
from bot.storage.models import Conversation, Ticket
from tests.conftest import KB_DIR
from tests.handoff_support import build_world
from tests.test_kb_team_hints import logged

PHRASES = load_phrases()
LIVE = ("welcome", "help", "offer_person", "talk_to_person", "tickets_none")


def said(replies: list[Reply]) -> str:
    return "\n".join([r.text for r in replies] + [b.label for r in replies for b in r.buttons])


async def conversation(chat: MemoryChat) -> list[Reply]:
    """/start, /help, /tickets, two misses and the offer taken, then "human"."""
    for text in ("/start", "/help", "/tickets", "where is my elephant", "a grey elephant"):
        await chat.say(text)
    await chat.press(0)
    await chat.say("human please")
    return chat.replies


async def test_with_no_desk_a_ticket_is_offered_never_a_person(engine: Engine) -> None:
    text = said(await conversation(MemoryChat(engine.handle, locale="en")))

    for key in LIVE:  # the words of a deployment whose agents answer in the chat
        assert PHRASES.get("en", key) not in text
        assert PHRASES.get("en", f"no_desk_{key}") in text
    # "human please" after the ticket opens no second one: the bot points at the first
    [first] = await Ticket.all()
    assert "elephant" in first.description and f"ticket **#{first.id}**" in text
    assert "haven't opened another" in text and f"**#{first.id}** «" in text
    # IT writes back in the chat (`helpdesk-bot tickets reply`), though nobody chats live
    assert "IT will write to you here once they have looked at it" in text
    assert "Nobody from IT answers" not in text and "doesn't chat live" in text


async def test_with_a_desk_a_person_is_offered(db_url: str, knowledge: KnowledgeBase) -> None:
    world = build_world(db_url, knowledge)

    text = said(await conversation(world.chat("u1")))

    for key in LIVE:
        assert PHRASES.get("en", key) in text
    assert "no_desk" not in text and "IT will write to you here" not in text


async def test_helpdesk_bot_run_with_no_teams_warns_there_is_no_desk(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    url = f"sqlite://{tmp_path}/helpdesk.sqlite3"
    settings = Settings(database_url=url, kb_dir=KB_DIR, http_port=0)
    caplog.set_level(logging.WARNING, logger="bot.serving")
    running = asyncio.create_task(serve_forever(settings))
    try:
        await logged(caplog, "no agents' desk: HELPDESK_CONFIG is not set, so nobody can answer")
    finally:
        running.cancel()
        await asyncio.gather(running, return_exceptions=True)
    assert "HELPDESK_CONFIG to a TOML file with [[teams]]" in caplog.text


async def test_asking_for_a_person_again_adds_to_the_open_ticket(engine: Engine) -> None:
    """A user whose request became ticket #1 and who asks for a person again ("оператор",
    "anyone there?") got a second ticket, a duplicate for IT to close: they are told their
    ticket is open, with its subject and due time, and what they write next is added to it.
    A request that names another problem opens a ticket of its own."""
    chat = MemoryChat(engine.handle, locale="en")
    await chat.say("my monitor flickers, human please")
    [ticket] = await Ticket.all()
    await chat.say("human")
    told = chat.replies[-1].text
    assert await Ticket.all().count() == 1
    assert f"**#{ticket.id}** «my monitor flickers»: waiting for IT, first reply by" in told
    await chat.say("anyone there?")
    assert await Ticket.all().count() == 1
    await chat.say("it is the left one, a Dell")
    assert chat.replies[-1].text.startswith(PHRASES.get("en", "ticket_described", number=ticket.id))
    await ticket.refresh_from_db()
    assert ticket.subject == "my monitor flickers"
    assert ticket.description.endswith("it is the left one, a Dell")
    await chat.say("human please, now the printer is broken too")
    first, second = await Ticket.all().order_by("id")
    assert first.id == ticket.id and "printer" in second.subject
    assert f"ticket **#{second.id}**" in chat.replies[-1].text


async def test_urgent_after_a_bare_request_raises_its_ticket(engine: Engine) -> None:
    """ "срочно!" raised a request waiting in the queue, but not the ticket a bare request
    became: it stayed normal, due as late as before."""
    chat = MemoryChat(engine.handle, locale="ru")
    await chat.say("позовите человека")
    ticket = await Ticket.get()
    assert ticket.priority == "normal"
    await chat.say("срочно!")
    raised = await Ticket.get()
    assert raised.priority == "high" and raised.response_due < ticket.response_due
    told, asked = (reply.text for reply in chat.replies[-2:])
    assert told.startswith("Повысил приоритет") and f"**№{ticket.id}** «" in told
    assert asked == PHRASES.get("ru", "describe_ticket")  # what the problem is: asked again


async def test_a_bare_request_after_a_follow_up_adds_it_to_the_open_ticket(engine: Engine) -> None:
    """ "still not working after reboot" (nothing the KB knows), then "human": a second
    ticket, titled with the follow-up, for IT to find is the first one again. The follow-up,
    said right after the ticket opened, is added to it as a detail when said, so "human"
    finds it open with nothing more to add."""
    chat = MemoryChat(engine.handle, locale="en")
    await chat.say("vpn keeps dropping")
    await chat.press("Didn't help")
    [ticket] = await Ticket.all()
    await chat.say("still not working after reboot")
    [told] = await chat.say("human")
    assert await Ticket.all().count() == 1
    assert f"**#{ticket.id}** «vpn keeps dropping»" in told.text
    assert told.text.startswith(PHRASES.get("en", "ticket_already_open", line="")[:40])
    await ticket.refresh_from_db()
    assert ticket.description == "vpn keeps dropping\n\nstill not working after reboot"
    await chat.say("and the office wifi is fine")  # what they write next is added too
    await ticket.refresh_from_db()
    assert ticket.description.endswith("after reboot\n\nand the office wifi is fine")


async def test_a_bare_request_after_another_answered_question_opens_its_own(
    engine: Engine,
) -> None:
    """A question the KB answered since names a problem of its own: one ticket each."""
    chat = MemoryChat(engine.handle, locale="en")
    await chat.say("vpn keeps dropping")
    await chat.press("Didn't help")
    await chat.say("how do I add a printer")
    await chat.say("human")
    first, second = await Ticket.all().order_by("id")
    described = (first.description, second.description)
    assert described == ("vpn keeps dropping", "how do I add a printer")


async def test_details_after_a_ticket_go_into_it_not_the_article_again(engine: Engine) -> None:
    """ "The printer is not printing" → the article → "Didn't help" → ticket #1; the user then
    says what the printer shows. It was taken for a new question: the very article they had
    just said did not help came again, and the detail never reached the ticket. Now what they
    add is the ticket's ("Thank you, I've added that to ticket #1"); a question of another
    article is answered, and is not added to it."""
    chat = MemoryChat(engine.handle, locale="en")
    [shown] = await chat.say("my printer is not printing")
    assert shown.text.startswith("**The printer is not printing**")
    await chat.press("Didn't help")
    [ticket] = await Ticket.all()
    [told] = await chat.say("the display says paper jam in tray 2")
    assert told.text == PHRASES.get("en", "ticket_described", number=ticket.id)
    await ticket.refresh_from_db()
    assert ticket.description.endswith("\n\nthe display says paper jam in tray 2")
    [answer] = await chat.say("how do I set up the vpn on my new laptop")
    assert "printer" not in answer.text.lower() and "VPN" in answer.text
    assert await Ticket.all().count() == 1
    await ticket.refresh_from_db()
    assert "vpn" not in ticket.description


async def test_the_report_counts_requests_that_went_straight_to_tickets(engine: Engine) -> None:
    """With no desk, "Didn't help", "None of these" and "human" open tickets at once, with
    no queued request: `helpdesk-bot report` said "all requests 0" over two tickets opened.
    Each is a request for a person that became a ticket, in the text and in the JSON."""
    since = datetime.now(UTC) - timedelta(hours=1)
    chat = MemoryChat(engine.handle, locale="en")
    await chat.say("vpn keeps dropping")
    await chat.press("Didn't help")
    await MemoryChat(engine.handle, user_id="u2", locale="en").say("human please, no sound")
    handoffs, tickets = await reports.handoffs_since(since), await reports.tickets_since(since)
    assert len(tickets) == 2

    text = format_report(handoffs, tickets, since=since, language="en")
    lines = {line.split("  ")[0].strip(): line.split() for line in text.splitlines()}
    assert lines["all requests"][2:7] == ["2", "0", "2", "0", "0"]  # asked, taken, ticket
    figures = report_json(handoffs, tickets, since=since, now=datetime.now(UTC))
    assert figures["requests"]["all"]["requests"] == figures["requests"]["all"]["ticketed"] == 2
    assert sum(g["requests"] for g in figures["requests"]["priority"].values()) == 2


@pytest.mark.parametrize("text", ["still not working", "не помогло", "всё ещё не работает"])
async def test_still_not_working_after_a_ticket_is_added_to_it(engine: Engine, text: str) -> None:
    """Said right after "Didn't help" opened ticket #1, these are no new question: the bot
    asked to put it differently (or offered the rejected article again) and the wait ended."""
    chat = MemoryChat(engine.handle, locale="en")
    await chat.say("my printer is not printing")
    await chat.press("Didn't help")
    [ticket] = await Ticket.all()
    [told] = await chat.say(text)
    language = "ru" if text[0] > "z" else "en"
    assert told.text == PHRASES.get(language, "ticket_described", number=ticket.id)
    await ticket.refresh_from_db()
    assert ticket.description.endswith(f"\n\n{text}")


async def test_urgent_after_a_ticket_raises_it_and_the_wait_goes_on(engine: Engine) -> None:
    chat = MemoryChat(engine.handle, locale="en")
    await chat.say("my printer is not printing")
    await chat.press("Didn't help")
    told = await chat.say("urgent!")
    assert [r.text[:11] for r in told] == ["I've raised"]
    added = await chat.say("the display says paper jam")
    assert [r.text for r in added] == [PHRASES.get("en", "ticket_described", number=1)]


async def test_after_it_replies_the_users_words_go_into_the_ticket_whatever_was_tried(
    engine: Engine,
) -> None:
    """The wait after IT's reply (`tickets reply`) is no ticket of articles tried: what the
    user says is added to it even when an article answers it, as before."""
    chat = MemoryChat(engine.handle, locale="en")
    await chat.say("my printer is not printing")
    await chat.press("Didn't help")
    await chat.say("how do I set up the vpn on my new laptop")  # another article: tried
    conversation = await Conversation.get()
    assert conversation.tried_articles and conversation.state == "idle"
    await await_words(conversation.id, 1)
    [added, answer] = await chat.say("my outlook mailbox is full")
    assert (
        added.text == PHRASES.get("en", "ticket_described", number=1)
        and "mailbox" in answer.text.lower()
    )
    ticket = await Ticket.get()
    assert ticket.description.endswith("\n\nmy outlook mailbox is full")
