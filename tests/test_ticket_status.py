"""Users ask how their tickets stand: /tickets or "my tickets", with the due time each waits
for, in the user's time zone."""

from __future__ import annotations

import html
import logging
import re
from datetime import timedelta

import pytest

from bot.adapters.memory import MemoryChat
from bot.engine import Engine
from bot.intents import load_intents
from bot.knowledge.base import KnowledgeBase
from bot.markdown import safe_markdown
from bot.phrases import load_phrases
from bot.storage.models import Conversation, Handoff, Ticket
from tests.handoff_support import World, build_world
from tests.test_handoff_pickup import take, timed_out
from tests.test_sla_escalation import policies

INTENTS = load_intents()


@pytest.mark.parametrize(
    "text",
    [
        "мои заявки",
        "Статус заявки?",
        "что с моей заявкой",
        "my tickets",
        "Where is my ticket?",
        "what is the status of my ticket please",
        "any update on my ticket 12?",
        # a word between ("там"), or "по": the bot had no answer to the question
        "ну что там с моей заявкой?",
        "что по заявке?",
        "What's the status?",
        # asking to withdraw one: the list has its Withdraw button ("cancel my ticket" had
        # it, "отмените мою заявку" was a question the KB missed)
        "отмените мою заявку",
        "Закройте заявку, всё работает",
        "заявка больше не нужна",
        "withdraw my ticket",
    ],
)
def test_asking_for_ones_tickets_is_understood(text: str) -> None:
    assert INTENTS.classify(text) == "tickets"


@pytest.mark.parametrize(
    "text",
    [
        "how do I attach a screenshot to my ticket in the portal when the upload button is gray",
        "I can't attach a file to my ticket",
        "как добавить файл в мою заявку",
        "как отменить заявку на отпуск",
        "my vpn is broken",
    ],
)
def test_a_question_that_mentions_a_ticket_is_still_a_question(text: str) -> None:
    assert INTENTS.classify(text) is None


async def test_none_yet(engine: Engine) -> None:
    [reply] = await MemoryChat(engine.handle).say("/tickets")
    assert reply.text.startswith("У вас нет заявок") or reply.text.startswith("You have no")


@pytest.fixture
def world(db_url: str, knowledge: KnowledgeBase) -> World:
    return build_world(db_url, knowledge, sla=policies())


async def test_the_list_follows_the_ticket(world: World) -> None:
    number = await timed_out(world)
    user = world.chats[0]
    [listed] = await user.say("my tickets")
    assert listed.text.splitlines() == [
        "Your tickets:",
        f"**#{number}** «my vpn is broken»: waiting for IT, first reply by "
        "16:00 today (Europe/Moscow).",  # the team's zone: the user named none
    ]
    world.clock.now += timedelta(minutes=5)
    assert (await take(world, "bob", number)).ok
    await world.drain("memory", "u1")
    [card] = await world.drain("memory", "desk")
    assert card.handoff_id is not None
    assert (await world.act("bob", "close", card.handoff_id)).ok
    [bye] = await world.drain("memory", "u1")
    assert f"bob has closed the chat and resolved ticket **#{number}**" in bye.text
    assert [b.label for b in bye.buttons] == ["1", "2", "3", "4", "5"]
    other = await timed_out(world, "u1")  # a second request of the same user
    [listed] = await user.say("/tickets")
    lines = listed.text.splitlines()
    assert lines[1].startswith(f"**#{other}** «my vpn is broken") and "waiting for IT" in lines[1]
    assert lines[2] == f"**#{number}** «my vpn is broken»: resolved."


@pytest.mark.parametrize(
    ("language", "line"),
    [
        ("en", "passed to the **net** team, waiting for one of them to take it up"),
        ("ru", "передана команде **net**, ждёт, пока её возьмёт специалист"),
    ],
)
async def test_a_picked_up_ticket_transferred_waits_in_the_other_teams_queue(
    world: World, language: str, line: str
) -> None:
    """A picked-up ticket whose chat an agent passed to another team read "someone from IT
    is on it": nobody is until someone of that team takes it."""
    number = await timed_out(world)
    await Conversation.filter(chat_id="u1").update(language=language)  # as they speak
    user = world.chat("u1", locale=language)
    assert (await take(world, "bob", number)).ok
    [card] = await world.drain("memory", "desk")
    assert card.handoff_id is not None
    assert (await world.act("bob", "transfer", card.handoff_id, team="net")).ok
    [listed] = await user.say("/tickets")
    assert line in listed.text
    assert "someone from IT is on it" not in listed.text
    assert "специалист работает над ней" not in listed.text
    assert (await world.act("dave", "claim", card.handoff_id)).ok  # someone is on it now
    [listed] = await user.say("/tickets")
    on_it = {"en": "someone from IT is on it", "ru": "специалист работает над ней"}
    assert on_it[language] in listed.text


def queue_lookups(caplog: pytest.LogCaptureFixture) -> list[str]:
    """The statements that asked which listed tickets' chats wait in a team's queue."""
    said = [r.getMessage() for r in caplog.records if r.name == "tortoise.db_client"]
    return [sql for sql in said if '"handoffs"' in sql and '"ticket_id" IN' in sql]


async def test_the_queue_is_asked_about_tickets_in_progress_only(
    world: World, caplog: pytest.LogCaptureFixture
) -> None:
    """Only a picked-up ticket can wait in another team's queue: a list with none asked the
    database about its tickets' chats all the same (one query more per /tickets)."""
    number = await timed_out(world)
    user = world.chats[0]
    caplog.set_level(logging.DEBUG, logger="tortoise.db_client")
    await user.say("/tickets")
    assert queue_lookups(caplog) == []
    assert (await take(world, "bob", number)).ok
    caplog.clear()
    await user.say("/tickets")
    [lookup] = queue_lookups(caplog)
    assert str(number) in lookup


@pytest.mark.parametrize("language", ["en", "ru"])
async def test_none_while_a_request_waits_for_a_person(world: World, language: str) -> None:
    """A user in the queue who asked how things stand was told to describe their problem
    so that the bot would pass it to a person: it is with IT already."""
    chat = world.chat("u1", locale=language)
    await chat.say("human" if language == "en" else "позовите человека")
    [reply] = await chat.say("/tickets")
    assert reply.text == load_phrases().get(language, "tickets_none_in_request")
    assert (await Handoff.get()).status == "waiting"


async def test_asking_in_russian_to_withdraw_a_ticket_lists_it_to_withdraw(world: World) -> None:
    number = await timed_out(world, "u2")
    user = world.chat("u2", locale="ru")
    [listed] = await user.say("отмените мою заявку")
    assert [b.label for b in listed.buttons] == [f"Отозвать №{number}"]


async def test_in_russian_and_in_the_users_own_zone(world: World) -> None:
    number = await timed_out(world, "u2")
    user = world.chat("u2", locale="ru", timezone="Asia/Yekaterinburg")
    [listed] = await user.say("статус заявки")
    assert listed.text.splitlines()[1] == (
        f"**№{number}** «my vpn is broken»: ждёт специалиста, первый ответ до "
        "18:00 сегодня (Asia/Yekaterinburg)."
    )


async def test_someone_elses_tickets_are_not_listed(world: World) -> None:
    await timed_out(world, "u1")
    [listed] = await world.chat("u3").say("my tickets")
    assert listed.text.startswith("You have no tickets")


async def test_a_subject_is_shown_as_the_user_typed_it(world: World) -> None:
    """A ticket's subject is the user's words: put into a phrase (Markdown), a path such as
    \\\\fs01\\buh\\*.pst and *stars* must reach the reader as typed, not as formatting."""
    number = await timed_out(world)
    typed = r"\\fs01\buh\*.pst won't open *urgent*"
    await Ticket.filter(id=number).update(subject=typed)
    [listed] = await world.chats[0].say("/tickets")
    assert shown(listed.text.splitlines()[1]).startswith(f"#{number} «{typed}»")
    [confirm] = await world.chats[0].press(f"Withdraw #{number}")
    assert typed in shown(confirm.text), confirm.text
    [listed_again] = await world.chats[0].say("/tickets")
    [done] = await world.chats[0].press("Yes, withdraw", among=[confirm])
    [again] = await world.chats[0].press(f"Withdraw #{number}", among=[listed_again])
    assert "already withdrawn" in again.text
    assert [typed in shown(said.text) for said in (done, again)] == [True, True], again.text


def shown(markdown: str) -> str:
    """What a reader sees of `markdown`: rendered, tags dropped."""
    rendered = safe_markdown().renderInline(markdown)
    return html.unescape(re.sub(r"<[^>]+>", "", rendered))


@pytest.mark.parametrize(
    ("language", "late"),
    [
        ("en", "waiting for IT, later than promised: the first reply was due by 16:00 today"),
        ("ru", "ждёт специалиста, первый ответ задерживается: срок был до 16:00 сегодня"),
    ],
)
async def test_a_due_time_gone_by_is_not_promised(world: World, language: str, late: str) -> None:
    """At 17:00 the list read "first reply by 16:00 today", as if it were still to come (and
    so did a ticket raised to a priority whose due time had passed)."""
    number = await timed_out(world, "u2")
    user = world.chat("u2", locale=language)
    world.clock.now += timedelta(hours=5)  # 17:11 in Moscow
    [listed] = await user.say("my tickets" if language == "en" else "статус заявки")
    sign = "#" if language == "en" else "№"
    assert listed.text.splitlines()[1] == (
        f"**{sign}{number}** «my vpn is broken»: {late} (Europe/Moscow)."
    )
