"""Conversations through the in-memory adapter on the demo KB: "user says X -> bot says Y"."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import pytest

from bot.adapters.memory import MemoryChat
from bot.engine import Engine
from bot.handoff import HandoffRequest, HandoffResult
from bot.knowledge.base import KnowledgeBase
from bot.messages import Attachment, Reply
from bot.phrases import load_phrases
from bot.storage.models import Feedback, Ticket, TranscriptMessage, UnansweredQuestion

PHRASES = load_phrases().without_desk()  # the `engine` fixture has no teams: no agents' desk


@pytest.fixture
def chat(engine: Engine) -> MemoryChat:
    return MemoryChat(engine.handle)


def answered(replies: list[Reply], knowledge: KnowledgeBase) -> str | None:
    """The id of the article a reply answered with, by its bold title line."""
    for reply in replies:
        for article in knowledge.articles.values():
            if any(reply.text.startswith(f"**{t}**") for t in article.title.values()):
                return article.id
    return None


def labels(replies: list[Reply]) -> list[str]:
    return [b.label for r in replies for b in r.buttons]


ANSWERS = [
    # Russian, in the words people use
    ("не могу подключиться к впн", "vpn-connect"),
    ("забыла пароль от компа", "password-forgotten"),
    ("учетку заблокировали после неправильного пароля", "account-locked"),
    ("принтер на этаже не печатает", "printer-not-printing"),
    ("1с не запускается", "onec-login"),
    ("нет звука в зуме", "video-call-av"),
    ("аутлук не получает письма", "mail-not-syncing"),
    ("флешку не видит, пишет доступ запрещен", "usb-blocked"),
    # typos and inflections
    ("пароль истек как поменять", "password-expired"),
    ("не подключаеться вайфай в офисе", "wifi-connect"),
    # slang
    ("инет не пашет", "no-internet"),
    ("комп жутко тормозит", "laptop-slow"),
    # wrong keyboard layout: "впн не подключается", "забыл пароль"
    ("dgy yt gjlrk.xftncz", "vpn-connect"),
    ("pf,sk gfhjkm", "password-forgotten"),
    # transliteration
    ("zabyl parol", "password-forgotten"),
    ("printer ne pechataet", "printer-not-printing"),
    # English
    ("vpn keeps dropping", "vpn-connect"),
    ("forgot my password", "password-forgotten"),
    ("printer jammed again", "printer-not-printing"),
    ("my laptop wont turn on", "laptop-wont-boot"),
    ("how do I set up MFA", "mfa-setup"),
    ("outlook not receiving emails", "mail-not-syncing"),
    ("pasword expired", "password-expired"),
]


@pytest.mark.parametrize(("question", "article"), ANSWERS)
async def test_confident_answer(
    chat: MemoryChat, knowledge: KnowledgeBase, question: str, article: str
) -> None:
    replies = await chat.say(question)
    assert answered(replies, knowledge) == article, [r.text[:80] for r in replies]
    assert len(labels(replies)) == 2


async def test_answer_language_follows_the_message(chat: MemoryChat) -> None:
    [ru] = await chat.say("впн не подключается")
    [en] = await chat.say("vpn does not connect")
    assert ru.text.startswith("**Не подключается VPN**")
    assert labels([ru]) == ["Помогло", "Не помогло"]
    assert en.text.startswith("**VPN does not connect**")
    assert labels([en]) == ["Helped", "Didn't help"]


async def test_wrong_layout_is_answered_in_russian(chat: MemoryChat) -> None:
    [reply] = await chat.say("pf,sk gfhjkm")
    assert labels([reply]) == ["Помогло", "Не помогло"]


async def test_language_override(chat: MemoryChat) -> None:
    [reply] = await chat.say("/lang ru")
    assert reply.text == PHRASES.get("ru", "language_set")
    [reply] = await chat.say("vpn does not connect")
    assert reply.text.startswith("**Не подключается VPN**")
    await chat.say("/lang auto")
    [reply] = await chat.say("vpn does not connect")
    assert reply.text.startswith("**VPN does not connect**")


async def test_helped_is_stored(chat: MemoryChat) -> None:
    await chat.say("впн не подключается")
    [reply] = await chat.press("Помогло")
    assert reply.text == PHRASES.get("ru", "helped")
    feedback = await Feedback.get()
    assert (feedback.article_id, feedback.helpful) == ("vpn-connect", True)
    assert feedback.question == "впн не подключается"


async def test_didnt_help_opens_a_ticket(chat: MemoryChat) -> None:
    await chat.say("vpn keeps dropping")
    [reply] = await chat.press("Didn't help")
    ticket = await Ticket.get()
    assert f"#{ticket.id}" in reply.text
    assert ticket.description == "vpn keeps dropping"
    assert ticket.reason == "not_helped"
    assert (await Feedback.get()).helpful is False
    assert (await UnansweredQuestion.get()).reason == "not_helped"


@pytest.mark.parametrize(
    "typed", ["не помогло", "Нет, не помогло(", "didn't help", "still not working"]
)
async def test_didnt_help_typed_under_the_answer_is_its_button(
    chat: MemoryChat, typed: str
) -> None:
    """Typed instead of pressed, it was a question the KB missed: "I couldn't find an answer
    to that", and only the next message offered a person."""
    answer = await chat.say("vpn keeps dropping")
    [reply] = await chat.say(typed)
    ticket = await Ticket.get()
    assert str(ticket.id) in reply.text
    assert (ticket.description, ticket.reason) == ("vpn keeps dropping", "not_helped")
    assert (await Feedback.get()).helpful is False
    [again] = await chat.press("Didn't help", among=answer)  # its buttons are used
    assert again.text in (PHRASES.get("en", "button_used"), PHRASES.get("ru", "button_used"))


async def test_didnt_help_typed_after_a_handoff_opens_nothing_more(chat: MemoryChat) -> None:
    await chat.say("vpn keeps dropping")
    await chat.say("human")
    await chat.say("didn't help")
    assert await Ticket.all().count() == 1


async def test_ticket_takes_priority_and_team_from_the_article(chat: MemoryChat) -> None:
    await chat.say("на компе вылезло предупреждение антивируса, нашёл вирус")
    await chat.press("Не помогло")
    ticket = await Ticket.get()
    assert ticket.priority == "urgent"
    assert ticket.team == "it"


async def test_asking_for_a_person_opens_a_ticket(chat: MemoryChat) -> None:
    [reply] = await chat.say("позовите человека")
    ticket = await Ticket.get()
    assert f"№{ticket.id}" in reply.text
    [reply] = await chat.say("human please")  # again: the same ticket, no duplicate
    assert f"#{ticket.id}**" in reply.text and "haven't opened another" in reply.text
    assert await Ticket.all().count() == 1


async def test_no_match_rephrase_then_offer_a_person(chat: MemoryChat) -> None:
    [reply] = await chat.say("заяц в париже завтра")
    assert reply.text == PHRASES.get("ru", "rephrase")
    [reply] = await chat.say("ну слон же, серый такой")
    assert reply.text == PHRASES.get("ru", "offer_person")
    [reply] = await chat.press("Да, оформить заявку")
    ticket = await Ticket.get()
    assert "слон" in ticket.description
    assert await UnansweredQuestion.filter(reason="no_match").count() == 2


async def test_declining_the_offer_returns_to_self_help(chat: MemoryChat) -> None:
    await chat.say("where is my elephant")
    await chat.say("a grey elephant with big ears")
    [reply] = await chat.press("No, thanks")
    assert reply.text == PHRASES.get("en", "declined")
    assert await Ticket.all().count() == 0
    replies = await chat.say("vpn keeps dropping")
    assert labels(replies) == ["Helped", "Didn't help"]


@pytest.mark.parametrize("yes", ["да", "Да, давайте", "ок", "угу"])
async def test_the_offer_of_a_person_can_be_answered_yes_by_typing(
    chat: MemoryChat, yes: str
) -> None:
    """People answer a yes/no question in words: "да" was a third miss (the offer again),
    and the ticket's subject got the "да" added to the question."""
    await chat.say("заяц в париже завтра")
    offer = await chat.say("ну слон же, серый такой")
    [reply] = await chat.say(yes)
    ticket = await Ticket.get()
    assert f"№{ticket.id}" in reply.text
    assert ticket.description == "заяц в париже завтра\nну слон же, серый такой"
    [reply] = await chat.press("Да, оформить заявку", among=offer)  # its buttons are used
    assert reply.text == PHRASES.get("ru", "button_used")
    assert await Ticket.all().count() == 1


async def test_the_offer_of_a_ticket_can_be_answered_yes_in_english(chat: MemoryChat) -> None:
    await chat.say("where is my elephant")
    await chat.say("a grey elephant with big ears")
    [reply] = await chat.say("yes please")
    assert f"#{(await Ticket.get()).id}" in reply.text


@pytest.mark.parametrize("no", ["нет", "нет, спасибо", "no thanks", "Nope"])
async def test_the_offer_of_a_person_can_be_answered_no_by_typing(
    chat: MemoryChat, no: str
) -> None:
    await chat.say("where is my elephant")
    await chat.say("a grey elephant with big ears")
    [reply] = await chat.say(no)
    language = "en" if no.isascii() else "ru"
    assert reply.text == PHRASES.get(language, "declined")
    assert await Ticket.all().count() == 0


async def test_yes_is_a_question_when_nothing_was_offered(chat: MemoryChat) -> None:
    [reply] = await chat.say("да")
    assert reply.text == PHRASES.get("ru", "rephrase")


async def test_did_you_mean_one_article_can_be_answered_yes_by_typing(
    chat: MemoryChat, knowledge: KnowledgeBase
) -> None:
    """ "Did you mean" with one article, answered "yes": it was a question the KB missed,
    and "yes" took the question's place (a later ticket read "yes\n…")."""
    [suggested] = await chat.say("my wifi is dead lol")
    assert suggested.text == PHRASES.get("en", "did_you_mean")
    assert len(suggested.buttons) == 2  # the article and "None of these"
    replies = await chat.say("yes")
    assert answered(replies, knowledge) == "wifi-connect"
    await chat.press("Didn't help")
    assert (await Ticket.get()).description == "my wifi is dead lol"


async def test_did_you_mean_can_be_answered_no_by_typing(chat: MemoryChat) -> None:
    await chat.say("my wifi is dead lol")
    [reply] = await chat.say("no")
    assert reply.text == PHRASES.get("en", "rephrase")  # as "None of these"
    assert (await UnansweredQuestion.get()).reason == "none_of_these"


async def test_did_you_mean_is_moot_after_a_handoff(chat: MemoryChat) -> None:
    await chat.say("my wifi is dead lol")
    await chat.say("human")
    [reply] = await chat.say("да")  # an acknowledgement of the ticket, not a pick
    assert not reply.buttons


async def test_did_you_mean_several_articles_is_not_answered_by_yes(chat: MemoryChat) -> None:
    [suggested] = await chat.say("password")
    assert len(suggested.buttons) > 2
    [reply] = await chat.say("yes")
    assert reply.text == PHRASES.get("en", "rephrase")  # which one? a word like any


async def test_did_you_mean_then_pick(chat: MemoryChat, knowledge: KnowledgeBase) -> None:
    replies = await chat.say("password")
    assert replies[0].text == PHRASES.get("en", "did_you_mean"), replies[0].text
    options = labels(replies)
    assert 2 <= len(options) <= 4
    assert options[-1] == "None of these"
    picked = await chat.press(0)
    assert answered(picked, knowledge) is not None


async def test_none_of_these_twice_opens_a_ticket(chat: MemoryChat) -> None:
    await chat.say("password")
    [reply] = await chat.press("None of these")
    assert reply.text == PHRASES.get("en", "rephrase")
    replies = await chat.say("password")
    assert replies[0].text == PHRASES.get("en", "did_you_mean")
    [reply] = await chat.press("None of these")
    assert "#" in reply.text
    assert (await Ticket.get()).reason == "none_of_these"


@pytest.mark.parametrize(
    ("text", "key", "language"),
    [
        ("Привет!", "greeting", "ru"),
        ("hello", "greeting", "en"),
        ("спасибо большое", "thanks", "ru"),
        ("thanks!", "thanks", "en"),
        ("help", "help", "en"),
        ("/start", "welcome", "ru"),
        ("   ", "empty", "ru"),
        ("🤷‍♂️🔥🔥", "empty", "ru"),
        ("ок", "ok", "ru"),
        ("got it", "ok", "en"),
        ("👍", "ok", "ru"),
        ("👋", "greeting", "ru"),  # a wave, a smile: "write your question in words"
        ("👋🏻", "greeting", "ru"),
        ("🙂", "ok", "ru"),
        ("😊😊", "ok", "ru"),
        ("🤝", "thanks", "ru"),
        ("Здравствуйте, у меня вопрос", "greeting", "ru"),
        ("нужна помощь", "help", "ru"),
        ("hi, I need help", "greeting", "en"),
    ],
)
async def test_short_messages(chat: MemoryChat, text: str, key: str, language: str) -> None:
    [reply] = await chat.say(text)
    assert reply.text == PHRASES.get(language, key)


@pytest.mark.parametrize(
    ("text", "key", "language"),
    [
        ("спасибо, помогло", "thanks", "ru"),
        ("Спасибо за помощь!", "thanks", "ru"),
        ("всё заработало, спасибо", "thanks", "ru"),
        ("помогло", "ok", "ru"),
        ("thank you so much", "thanks", "en"),
        ("it worked, thanks", "thanks", "en"),
        ("thnx", "thanks", "en"),
    ],
)
async def test_thanks_after_an_answer_is_no_question(
    chat: MemoryChat, text: str, key: str, language: str
) -> None:
    """What people write after an answer that helped: it was a question the KB missed ("I
    couldn't find an answer to that"), counted for `kb gaps`, and the next one offered a
    person."""
    await chat.say("впн не подключается" if language == "ru" else "vpn keeps dropping")
    [reply] = await chat.say(text)
    assert reply.text == PHRASES.get(language, key)
    assert await UnansweredQuestion.all().count() == 0


async def test_markup_is_just_text(chat: MemoryChat) -> None:
    replies = await chat.say("<script>alert(1)</script> <b>vpn</b> не подключается")
    assert labels(replies)  # answered or suggested, not crashed
    stored = await TranscriptMessage.filter(direction="in").first()
    assert stored is not None and stored.text.startswith("<script>")


async def test_huge_paste_is_matched_on_its_beginning_and_stored_cut(chat: MemoryChat) -> None:
    text = "не могу подключиться к впн " + "лог ошибки 0x800 " * 6000
    assert len(text) > 100_000
    replies = await chat.say(text)
    assert replies[0].text == PHRASES.get("ru", "long_message")
    assert labels(replies[1:]) == ["Помогло", "Не помогло"]
    stored = await TranscriptMessage.filter(direction="in").first()
    assert stored is not None and stored.truncated and len(stored.text) == 8000


async def test_button_pressed_twice(chat: MemoryChat) -> None:
    first = await chat.say("vpn keeps dropping")
    await chat.press("Helped", among=first)
    [reply] = await chat.press("Didn't help", among=first)
    assert reply.text == PHRASES.get("en", "button_used")
    assert await Ticket.all().count() == 0


async def test_button_works_after_a_restart(engine: Engine, knowledge: KnowledgeBase) -> None:
    chat = MemoryChat(engine.handle)
    first = await chat.say("vpn keeps dropping")
    restarted = Engine(engine.dialog, knowledge, engine.intents, engine.effects)
    chat.handler = restarted.handle
    [reply] = await chat.press("Helped", among=first)
    assert reply.text == PHRASES.get("en", "helped")


async def test_forged_and_foreign_buttons_are_refused(engine: Engine) -> None:
    alice, mallory = (
        MemoryChat(engine.handle, user_id="alice"),
        MemoryChat(engine.handle, user_id="m"),
    )
    first = await alice.say("vpn keeps dropping")
    await mallory.say("hello")
    [reply] = await mallory.send(mallory.message("Helped", button="forged-key"))
    assert reply.text == PHRASES.get("en", "button_unknown")
    [reply] = await mallory.send(mallory.message("Helped", button=first[0].buttons[0].key))
    assert reply.text == PHRASES.get("en", "button_unknown")
    assert await Feedback.all().count() == 0


async def test_redelivered_event_is_handled_once(chat: MemoryChat) -> None:
    message = chat.message("позовите человека")
    assert await chat.send(message)
    assert await chat.send(message) == []
    assert await Ticket.all().count() == 1


async def test_cancel(chat: MemoryChat) -> None:
    [reply] = await chat.say("/cancel")
    assert reply.text == PHRASES.get("ru", "nothing_to_cancel")
    await chat.say("заяц в париже завтра")
    [reply] = await chat.say("/cancel")
    assert reply.text == PHRASES.get("ru", "cancelled")


async def test_unknown_command_points_at_help_and_counts_as_nothing(chat: MemoryChat) -> None:
    [reply] = await chat.say("заяц в париже завтра")
    assert reply.text == PHRASES.get("ru", "rephrase")
    [reply] = await chat.say("/foo")
    assert reply.text == PHRASES.get("ru", "unknown_command")
    assert "/help" in reply.text
    assert await UnansweredQuestion.all().count() == 1  # the miss before it, not "foo"
    [reply] = await chat.say("ну слон же, серый такой")  # still the first rephrase
    assert reply.text == PHRASES.get("ru", "offer_person")


async def test_a_path_is_a_question_not_a_command(
    chat: MemoryChat, knowledge: KnowledgeBase
) -> None:
    replies = await chat.say("/etc/vpn keeps dropping")
    assert answered(replies, knowledge) == "vpn-connect"
    replies = await chat.say("/vpn keeps dropping")  # a command's shape: in English now
    assert [r.text for r in replies] == [PHRASES.get("en", "unknown_command")]


async def test_pasted_password_is_redacted(chat: MemoryChat) -> None:
    await chat.say("не могу войти, мой пароль: Qwerty123! не подходит")
    stored = await TranscriptMessage.filter(direction="in").first()
    assert stored is not None
    assert "Qwerty123" not in stored.text
    assert "[redacted]" in stored.text


async def test_off_topic_is_not_answered(chat: MemoryChat) -> None:
    for question in ("сколько дней отпуска у меня осталось", "what's the weather tomorrow"):
        replies = await chat.say(question)
        assert not any(r.text.startswith("**") for r in replies), replies


async def test_accepted_delivery_is_handled_after_a_crash(engine: Engine) -> None:
    """Accepted (and acknowledged to the platform), then the process died: nothing is lost."""
    chat = MemoryChat(engine.handle)
    message = chat.message("позовите человека")
    assert await engine.accept(message)
    assert not await engine.accept(message)  # the platform's retry is dropped
    [recovered] = await engine.pending("memory", older_than=timedelta(0))
    assert recovered == message
    assert await chat.send(recovered)
    assert await chat.send(message) == []
    assert await engine.pending("memory", older_than=timedelta(0)) == []
    assert await Ticket.all().count() == 1


async def test_transcript_keeps_which_article_answered(chat: MemoryChat) -> None:
    await chat.say("впн не подключается")
    answer = await TranscriptMessage.filter(direction="out").first()
    assert answer is not None and answer.article_id == "vpn-connect"
    assert answer.confidence is not None and 0.0 < answer.confidence <= 1.0


async def test_photo_without_text_gets_asked_for_words(engine: Engine) -> None:
    chat = MemoryChat(engine.handle)
    message = replace(chat.message(""), attachments=(Attachment("memory", "photo", ref="f1"),))
    [reply] = await chat.send(message)
    assert reply.text == PHRASES.get("ru", "attachment")


class BrokenDesk:
    """A handoff port whose backend is down."""

    async def hand_off(self, request: HandoffRequest) -> HandoffResult:
        raise ConnectionError("ticket backend down")


async def test_a_failing_turn_is_rolled_back_and_apologised_for(
    engine: Engine, caplog: pytest.LogCaptureFixture
) -> None:
    broken = replace(engine, effects=replace(engine.effects, handoff=BrokenDesk()))
    chat = MemoryChat(broken.handle)
    message = chat.message("позовите человека")
    [reply] = await chat.send(message)
    assert reply.text == PHRASES.get("ru", "error")
    assert "ticket backend down" in caplog.text
    assert await TranscriptMessage.all().count() == 0  # rolled back, delivery not consumed
    chat.handler = engine.handle
    [reply] = await chat.send(message)  # the platform's redelivery now succeeds
    assert "№" in reply.text


async def test_a_question_for_another_department_is_sent_there(
    chat: MemoryChat, knowledge: KnowledgeBase
) -> None:
    """The demo KB's `elsewhere: true` articles: sick leave is HR's. The user is told where to
    go, with nothing to rate; it is neither an answer nor a miss (the next miss is the second
    and offers a person), and the KB's gaps see it as sent elsewhere."""
    [reply] = await chat.say("заяц в париже завтра")
    assert reply.text == PHRASES.get("ru", "rephrase")
    [reply] = await chat.say("как оформить больничный лист")
    assert answered([reply], knowledge) == "not-it-hr", reply.text
    assert knowledge.articles["not-it-hr"].elsewhere
    assert "hr@example.com" in reply.text and reply.buttons == ()
    [reply] = await chat.say("ну слон же, серый такой")
    assert reply.text == PHRASES.get("ru", "offer_person")
    sent = await UnansweredQuestion.get(reason="elsewhere")
    assert (sent.text, sent.best_article_id) == ("как оформить больничный лист", "not-it-hr")
    assert await Feedback.all().count() == 0
