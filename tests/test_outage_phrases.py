"""What people write when many are affected is an outage (urgent, no self-help); the same
words about one person's problem, or with no problem at all, stay questions for the KB."""

from __future__ import annotations

import pytest

from bot.adapters.memory import MemoryChat
from bot.engine import Engine
from bot.intents import load_intents
from bot.storage.models import Ticket

INTENTS = load_intents()

MANY_AFFECTED = [
    "the whole office has no internet",
    "Everyone has no wifi since 9am",
    "nobody can print",
    "none of us can connect to the VPN",
    "all of us can't log in to Outlook",
    "the entire floor has no network",
    "it's not just me, everyone's email is down",
    "у всех нет интернета",
    "Весь офис без сети!",
    "во всём офисе пропал вайфай",
    "никто не может распечатать документы",
    "у нас у всех не открывается портал",
    "на всём этаже нет wifi",
    "не только у меня не работает впн",
    "сеть легла во всём офисе",  # "легла": it was a question for the KB
    "у всех в офисе не работает интернет",
    "у всего офиса пропала почта",
    "the whole office is without wifi",
    "everyone in the office is offline",
    "the printer is broken for the whole office",
    # "only"/"не у всех" inside a real outage's words
    "не только у меня, у всех в офисе не работает почта",
    "not only my laptop, the whole office has no internet",
    "the internet is down for everyone, not only me",
    "у всех не работает почта, не только у меня",
]

ONE_USER_OR_NO_PROBLEM = [
    "my internet is slow",
    "how do I send an email to everyone",
    "nobody can hear me in Teams",
    "everyone else is fine but my wifi is down",
    "how to add all of us to a group chat",
    "у меня медленный интернет",
    "как сделать рассылку на весь офис",
    "меня никто не слышит в зуме",
    "у всех работает, а у меня нет интернета",
    # the others are fine in other words: it was an urgent outage, with no self-help
    "у всех всё хорошо, а у меня нет интернета",
    "у всех нормально, а у меня не работает почта",
    "у всех коллег есть доступ, а у меня нет доступа",
    "у нас у всех новые ноутбуки, а у меня не работает камера",
    "everyone got new monitors but mine is not working",
    "не работает интернет",
    # a whole office with nothing down: "у всех в офисе", "everyone in the office" alone were
    # outage phrases, so these skipped self-help and jumped the queue as urgent outages
    "нужно установить программу у всего офиса",
    "у всех в офисе стоит антивирус?",
    "как сделать, чтобы у всех в офисе была подпись в почте",
    "у всех в офисе работает почта, кроме меня",
    "у всех в офисе всё работает, а у меня нет почты",
    "the whole office is moving to the 5th floor next week, who sets up the pcs?",
    "everyone in the office got a new laptop, how do I set up mine",
    "can you set up a printer for the whole office",
    # it is down for some only: they were urgent outages, with no self-help
    "it's not down for everyone, only my laptop",
    "почта не работает, но не у всех",
    "wifi is not working for everyone, only on my laptop",
    "the vpn is down, but not for everyone",
    "у всех не работает? нет, только у меня",
    "интернет пропал, но только у меня",
    "не работает у всех? или только у меня?",
]


@pytest.mark.parametrize("text", MANY_AFFECTED)
def test_many_people_without_service_is_an_outage(text: str) -> None:
    assert (INTENTS.classify(text), INTENTS.urgency(text)) == ("outage", "urgent")


@pytest.mark.parametrize("text", ONE_USER_OR_NO_PROBLEM)
def test_one_users_problem_or_many_people_alone_is_no_outage(text: str) -> None:
    assert INTENTS.classify(text) != "outage"
    assert INTENTS.urgency(text) is None


@pytest.mark.parametrize(
    ("text", "number"), [("the whole office has no internet", "#"), ("у всех нет интернета", "№")]
)
async def test_the_whole_office_offline_gets_an_urgent_ticket(
    engine: Engine, text: str, number: str
) -> None:
    [reply] = await MemoryChat(engine.handle).say(text)
    ticket = await Ticket.get()
    assert f"{number}{ticket.id}" in reply.text and not reply.buttons  # no KB answer
    assert (ticket.priority, ticket.reason) == ("urgent", "outage")


async def test_a_slow_internet_is_still_answered_from_the_kb(engine: Engine) -> None:
    [reply] = await MemoryChat(engine.handle).say("my internet is slow")
    assert await Ticket.all().count() == 0
    assert reply.buttons  # an answer or "did you mean", not a person


@pytest.mark.parametrize(
    "text",
    [
        "хочу сделать рассылку на весь офис, но почта не работает",
        "нужно отправить приказ на весь отдел, а почта не работает",
        "how do I send a message to everyone? outlook is not working",
        "I need to share a folder with the whole team but OneDrive is down",
    ],
)
def test_many_people_as_whom_a_message_is_for_are_not_the_affected(text: str) -> None:
    """A mailing "to the whole office" with the user's mail down was an office-wide outage:
    urgent, ahead of everyone, no self-help."""
    assert INTENTS.classify(text) != "outage"
    assert INTENTS.urgency(text) is None
