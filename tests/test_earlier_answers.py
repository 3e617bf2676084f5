"""Buttons under an earlier answer, pressed after the user asked something else: the press is
about that answer's question, and it leaves the newer question as it stands."""

from __future__ import annotations

import pytest

from bot.adapters.memory import MemoryChat
from bot.engine import Engine
from bot.phrases import load_phrases
from bot.storage.models import Feedback, Ticket, UnansweredQuestion

PHRASES = load_phrases().without_desk()  # the `engine` fixture has no teams: no agents' desk
VPN, PRINTER = "vpn keeps dropping", "how do I add a printer"


@pytest.fixture
def chat(engine: Engine) -> MemoryChat:
    return MemoryChat(engine.handle)


async def test_didnt_help_under_an_earlier_answer_is_about_its_question(chat: MemoryChat) -> None:
    """The ticket was about the VPN (its article, its priority) but titled with the printer
    question asked since, and `kb gaps` paired that question with the VPN article."""
    vpn = await chat.say(VPN)
    await chat.say(PRINTER)
    await chat.press("Didn't help", among=vpn)
    ticket = await Ticket.get()
    assert ticket.description == VPN
    missed = await UnansweredQuestion.get()
    missed_as = (missed.text, missed.best_article_id, missed.reason)
    assert missed_as == (VPN, "vpn-connect", "not_helped")
    feedback = await Feedback.get()
    assert (feedback.question, feedback.article_id, feedback.helpful) == (VPN, "vpn-connect", False)


async def test_helped_under_an_earlier_answer_leaves_the_newer_question(chat: MemoryChat) -> None:
    """ "Helped" under the first answer forgot the second question: its "Didn't help" then
    opened a ticket of no subject, and the bot asked what the problem was."""
    vpn = await chat.say(VPN)
    printer = await chat.say(PRINTER)
    [reply] = await chat.press("Helped", among=vpn)
    assert reply.text == PHRASES.get("en", "helped")
    feedback = await Feedback.get()
    assert (feedback.question, feedback.article_id, feedback.helpful) == (VPN, "vpn-connect", True)
    replies = await chat.press("Didn't help", among=printer)
    ticket = await Ticket.get()
    assert ticket.description == PRINTER
    assert PHRASES.get("en", "describe_ticket") not in [r.text for r in replies]


async def test_the_newest_answer_is_about_the_question_it_answered(chat: MemoryChat) -> None:
    """Its buttons, pressed after a greeting, are still about the question."""
    vpn = await chat.say(VPN)
    await chat.say("thanks")
    await chat.press("Didn't help", among=vpn)
    assert (await Ticket.get()).description == VPN


async def test_an_earlier_answer_after_a_miss_is_about_its_question(chat: MemoryChat) -> None:
    """The question that found nothing since is not the one whose answer did not help."""
    vpn = await chat.say(VPN)
    [reply] = await chat.say("qwe rty uiop zxcv")
    assert reply.text == PHRASES.get("en", "rephrase")
    await chat.press("Didn't help", among=vpn)
    assert (await Ticket.get()).description == VPN


ELEPHANT, EARS = "where is my elephant", "a grey elephant with big ears"
WIFI = "my wifi is dead lol"  # "Did you mean" one article: wifi-connect


async def test_an_earlier_offer_of_a_person_is_about_its_question(chat: MemoryChat) -> None:
    """Its "Yes", pressed after an answer to another question, opened a ticket titled with
    that newer question, with its article's priority ("low": adding a printer)."""
    await chat.say(ELEPHANT)
    offer = await chat.say(EARS)
    assert offer[0].text == PHRASES.get("en", "offer_person")
    await chat.say(PRINTER)
    await chat.press("Yes", among=offer)
    ticket = await Ticket.get()
    assert (ticket.description, ticket.priority) == (EARS, "normal")


async def test_the_current_offer_keeps_its_whole_question(chat: MemoryChat) -> None:
    await chat.say(ELEPHANT)
    offer = await chat.say(EARS)
    await chat.say("thanks")
    await chat.press("Yes", among=offer)
    assert (await Ticket.get()).description == f"{ELEPHANT}\n{EARS}"


async def test_an_earlier_did_you_mean_pick_is_about_its_question(chat: MemoryChat) -> None:
    """The article picked was shown as the answer to the newer question: its "Didn't help"
    opened a ticket titled with the VPN question."""
    [suggested] = await chat.say(WIFI)
    assert suggested.text == PHRASES.get("en", "did_you_mean")
    await chat.say(VPN)
    await chat.press(0, among=[suggested])
    await chat.press("Didn't help")
    assert (await Ticket.get()).description == WIFI


async def test_an_earlier_none_of_these_is_about_its_question(chat: MemoryChat) -> None:
    [suggested] = await chat.say(WIFI)
    await chat.say(VPN)
    await chat.press("None of these", among=[suggested])
    missed = await UnansweredQuestion.get()
    assert (missed.text, missed.reason) == (WIFI, "none_of_these")
