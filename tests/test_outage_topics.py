"""Which outage reports are of the same outage (bot/outage_topics.py): by what the KB reads
in them besides the words every outage report has; and what a user whose report joined one
says of it later."""

from __future__ import annotations

import pytest

from bot.intents import load_intents
from bot.knowledge.base import KnowledgeBase
from bot.outage_topics import outage_follow_up, same_outage


@pytest.mark.parametrize(
    ("first", "second", "same"),
    [
        ("почта не работает у всех", "the whole office is without email!!", True),
        ("почта не работает у всех", "nobody can send mail in the office", True),
        ("outlook is down for everyone here", "аутлук не работает у всех", True),
        ("нет интернета во всём офисе", "the whole office has no internet", True),
        ("VPN is down for everyone", "у всех не работает впн", True),
        ("у всех всё упало", "everything is down for everyone", True),  # nothing named
        ("нет интернета во всём офисе", "почта не работает у всех", False),
        ("у всех не работает wifi", "принтер не печатает ни у кого", False),
        ("у всех не работает впн", "у всех всё упало", False),  # one names what: its own
    ],
)
def test_reports_of_the_same_thing(
    knowledge: KnowledgeBase, first: str, second: str, same: bool
) -> None:
    judge = same_outage(knowledge)
    assert judge(first, second) is same
    assert judge(second, first) is same


@pytest.mark.parametrize(
    ("said", "kind"),
    [
        ("any news?", "outage_asks"),
        ("есть новости?", "outage_asks"),
        ("когда починят?", "outage_asks"),
        ("still down", "outage_still"),
        ("всё ещё не работает", "outage_still"),
        ("почта так и не работает", "outage_still"),  # the outage's own thing
        ("still no email here", "outage_still"),
        ("принтер так и не работает", None),  # another thing: a question for the bot
        ("still no email, and my printer is jammed too", None),  # and another: the bot's too
        ("почта так и не работает, и принтер тоже", None),
        ("how do I reset my password?", None),
        ("thanks", None),
    ],
)
def test_what_a_joined_user_says_of_the_outage(
    knowledge: KnowledgeBase, said: str, kind: str | None
) -> None:
    about = outage_follow_up(knowledge, load_intents().said)(said)
    assert (about and about("почта не работает у всех")) == kind


def test_only_the_start_of_a_long_message_is_read_for_the_outage(
    knowledge: KnowledgeBase,
) -> None:
    """A pasted log that says "still down" far down is no word about the outage (other
    intents are told from a message's start too)."""
    pasted = "error log: " + "x " * 150 + "still down"
    assert outage_follow_up(knowledge, load_intents().said)(pasted) is None
