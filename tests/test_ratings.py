"""After an agent closes a chat the user rates the help from 1 to 5, once, in their own chat."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from bot.knowledge.base import KnowledgeBase
from bot.messages import Reply
from bot.phrases import load_phrases
from bot.service_json import report_json
from bot.service_text import format_report
from bot.storage import reports
from bot.storage.models import Conversation, Handoff, UnansweredQuestion
from bot.storage.retention import purge
from tests.handoff_support import World, build_world

PHRASES = load_phrases()


@pytest.fixture
def world(db_url: str, knowledge: KnowledgeBase) -> World:
    return build_world(db_url, knowledge)


async def _closed(world: World, user_id: str = "u1") -> tuple[int, Reply]:
    """A chat that Bob claimed and closed: the handoff's id and the user's last message."""
    await world.chat(user_id).say("human")
    handoff = await Handoff.filter(conversation__chat_id=user_id).order_by("-id").first()
    assert handoff is not None
    assert (await world.act("bob", "claim", handoff.id)).ok
    await world.drain("memory", user_id)
    assert (await world.act("bob", "close", handoff.id)).ok
    [bye] = await world.drain("memory", user_id)
    return handoff.id, Reply(bye.text, bye.buttons)


async def test_the_user_rates_the_closed_chat_once(world: World) -> None:
    handoff, bye = await _closed(world)
    assert "has closed the chat" in bye.text and "1 (poor) to 5 (excellent)" in bye.text
    assert [b.label for b in bye.buttons] == ["1", "2", "3", "4", "5"]
    chat = world.chats[0]
    [thanks] = await chat.press("4", among=[bye])
    assert thanks.text == PHRASES.get("en", "rated")
    rated = await Handoff.get(id=handoff)
    assert rated.rating == 4 and rated.rated_at is not None
    [again] = await chat.press("1", among=[bye])
    assert again.text == PHRASES.get("en", "button_used")
    assert (await Handoff.get(id=handoff)).rating == 4


async def test_another_user_cannot_rate_someone_elses_chat(world: World) -> None:
    handoff, bye = await _closed(world, "u1")
    [refused] = await world.chat("u2").press("1", among=[bye])
    assert refused.text == PHRASES.get("en", "button_unknown")
    assert (await Handoff.get(id=handoff)).rating is None


async def test_a_request_that_never_reached_an_agent_asks_no_rating(world: World) -> None:
    chat = world.chat("u1")
    await chat.say("human")
    await chat.say("/cancel")
    handoff = await Handoff.get()
    assert handoff.status == "cancelled"
    assert all(not item.buttons for item in await world.drain("memory", "u1"))


async def test_a_score_typed_under_the_rating_buttons_is_the_rating(world: World) -> None:
    """Users often type the number instead of pressing it: "5" right after the close rates
    the chat, as the button would (not a question the KB missed); once rated, it is not."""
    handoff, _ = await _closed(world)
    chat = world.chats[0]
    [thanks] = await chat.say(" 5 ")
    assert thanks.text == PHRASES.get("en", "rated")
    assert (await Handoff.get(id=handoff)).rating == 5
    assert not await UnansweredQuestion.exists()
    [again] = await chat.say("2")  # the buttons were used: rated already
    assert again.text == PHRASES.get("en", "rated_again")
    assert (await Handoff.get(id=handoff)).rating == 5


async def test_a_typed_score_is_a_rating_only_right_under_the_buttons(world: World) -> None:
    handoff, _ = await _closed(world)
    chat = world.chats[0]
    await chat.say("vpn does not connect")  # a new question: its buttons are the newest
    [reply] = await chat.say("4")
    assert reply.text != PHRASES.get("en", "rated")
    assert (await Handoff.get(id=handoff)).rating is None
    for text in ("6", "0", "45"):
        assert (await world.chat("u2").say(text))[0].text != PHRASES.get("en", "rated")


@pytest.mark.parametrize(("language", "rate"), [("en", "press"), ("ru", "type")])
async def test_a_score_typed_again_after_rating_is_acknowledged(
    world: World, language: str, rate: str
) -> None:
    """The user rated (pressed, or typed, the score) and types a number again: they hear
    they have rated already, the rating stays, and "5" is no question the KB missed."""
    handoff, bye = await _closed(world)
    chat = world.chats[0]
    await chat.say(f"/lang {language}")
    await (chat.press("4", among=[bye]) if rate == "press" else chat.say("4"))
    [again] = await chat.say("5")
    assert again.text == PHRASES.get(language, "rated_again")
    assert (await Handoff.get(id=handoff)).rating == 4
    assert not await UnansweredQuestion.exists()


@pytest.mark.parametrize(
    ("text", "score"),
    [("5/5", 5), ("4 из 5", 4), ("3 out of 5", 3), ("5 звёзд", 5), ("2 stars", 2), ("1 звезда", 1)],
)
async def test_a_score_typed_as_people_write_it(world: World, text: str, score: int) -> None:
    """ "5/5" or "5 звёзд" right under the buttons was a question the KB missed ("I
    couldn't find an answer to that"), and the chat stayed unrated."""
    handoff, _ = await _closed(world)
    [thanks] = await world.chats[0].say(text)
    thanked = {PHRASES.get(lang, key) for lang in ("en", "ru") for key in ("rated", "rated_low")}
    assert thanks.text in thanked
    assert (await Handoff.get(id=handoff)).rating == score
    assert not await UnansweredQuestion.exists()


async def test_a_typed_score_in_russian(world: World) -> None:
    handoff, _ = await _closed(world)
    chat = world.chats[0]
    await chat.say("/lang ru")
    [thanks] = await chat.say("3")
    assert thanks.text == PHRASES.get("ru", "rated")
    assert (await Handoff.get(id=handoff)).rating == 3


async def test_a_late_rating_while_a_new_request_waits_is_the_rating(world: World) -> None:
    """The user came back with a new problem before rating: pressing a score under the old
    chat's close is still the rating, not a message for whoever takes the new request."""
    handoff, bye = await _closed(world)
    chat = world.chats[0]
    await chat.say("the printer jams again, I want a human")
    [thanks] = await chat.press("4", among=[bye])
    assert thanks.text == PHRASES.get("en", "rated_in_request")
    assert (await Handoff.get(id=handoff)).rating == 4
    desk = [item.text for item in await world.drain("memory", "desk")]
    assert not any("[4]" in text for text in desk)  # nothing relayed to the desk


@pytest.mark.parametrize("claimed", [False, True], ids=["waiting", "claimed"])
async def test_a_late_low_rating_while_a_new_request_is_open_asks_nothing(
    world: World, claimed: bool
) -> None:
    """A 1 or 2 pressed under the old chat while a new request waits for (or is with) an
    agent: the bot thanks for it and asks nothing, since what the user writes next goes to
    the agent, not into the rating's comment."""
    handoff, bye = await _closed(world)
    chat = world.chats[0]
    await chat.say("the printer jams again, I want a human")
    new = await Handoff.filter(status="waiting").get()
    if claimed:
        assert (await world.act("carol", "claim", new.id)).ok
    await world.drain("memory", "desk")
    [thanks] = await chat.press("2", among=[bye])
    assert thanks.text == PHRASES.get("en", "rated_in_request")
    assert "What went wrong" not in thanks.text
    await chat.say("it jams on every page")
    rated = await Handoff.get(id=handoff)
    assert (rated.rating, rated.rating_comment) == (2, None)
    desk = [item.text for item in await world.drain("memory", "desk")]
    assert any("it jams on every page" in text for text in desk)
    assert (await Conversation.get(chat_id="u1")).state == "idle"


@pytest.mark.parametrize("language", ["en", "ru"])
async def test_a_low_rating_asks_what_went_wrong_and_keeps_the_answer(
    world: World, language: str
) -> None:
    """After a 1 or 2 the bot asks what went wrong; the next message, which the KB does not
    answer, is kept with the rating (not "I couldn't find an answer"), and the report shows
    it beside the agent."""
    handoff, bye = await _closed(world)
    chat = world.chats[0]
    await chat.say(f"/lang {language}")
    [asked] = await chat.press("2", among=[bye])
    assert asked.text == PHRASES.get(language, "rated_low")
    [kept] = await chat.say("it took too long")
    assert kept.text == PHRASES.get(language, "rating_comment_kept")
    rated = await Handoff.get(id=handoff)
    assert (rated.rating, rated.rating_comment) == (2, "it took too long")
    assert not await UnansweredQuestion.exists()
    [after] = await chat.say("it took too long")  # asked once: now a question again
    assert after.text != PHRASES.get(language, "rating_comment_kept")
    since = world.clock.now - timedelta(days=1)
    handoffs, tickets = await reports.handoffs_since(since), await reports.tickets_since(since)
    text = format_report(handoffs, tickets, since=since, language="en")
    assert f"request #{handoff}  2  memory:bob: it took too long" in text
    [comment] = report_json(handoffs, tickets, since=since, now=world.clock.now)["comments"]
    assert comment == {
        "request": handoff,
        "ticket": None,
        "agent": "memory:bob",
        "rating": 2,
        "comment": "it took too long",
    }


@pytest.mark.parametrize(
    ("language", "text"),
    [("en", "the agent was slow and rude"), ("ru", "оператор отвечал очень долго и грубо")],
)
async def test_a_complaint_naming_the_agent_is_kept_not_a_request_for_one(
    world: World, language: str, text: str
) -> None:
    """ "What went wrong?" is answered about the agent: "agent" / "оператор" in a short message
    made it a request for a person, so the complaint opened a new request (its card read
    "the was slow and rude") and was not kept with the rating."""
    handoff, bye = await _closed(world)
    chat = world.chats[0]
    await chat.say(f"/lang {language}")
    await chat.press("1", among=[bye])
    [kept] = await chat.say(text)
    assert kept.text == PHRASES.get(language, "rating_comment_kept")
    assert (await Handoff.get(id=handoff)).rating_comment == text
    assert await Handoff.all().count() == 1


async def test_after_a_low_rating_asking_for_a_person_is_a_request(world: World) -> None:
    handoff, bye = await _closed(world)
    chat = world.chats[0]
    await chat.press("1", among=[bye])
    await chat.say("I want to talk to a human")
    assert await Handoff.filter(status="waiting").exists()
    assert (await Handoff.get(id=handoff)).rating_comment is None


async def test_no_after_a_low_rating_is_what_went_wrong(world: World) -> None:
    """A typed "no" answers the offer of a person when the bot made one; here it is what
    the user says went wrong, kept as any words would be."""
    handoff, bye = await _closed(world)
    chat = world.chats[0]
    await chat.press("1", among=[bye])
    [kept] = await chat.say("no")
    assert kept.text == PHRASES.get("en", "rating_comment_kept")
    assert (await Handoff.get(id=handoff)).rating_comment == "no"


async def test_after_a_low_rating_a_question_the_kb_answers_is_answered(world: World) -> None:
    handoff, bye = await _closed(world)
    chat = world.chats[0]
    await chat.press("1", among=[bye])
    [answer] = await chat.say("how do I reset my password")
    assert "Helped" in [b.label for b in answer.buttons]
    assert (await Handoff.get(id=handoff)).rating_comment is None


async def test_a_good_rating_asks_nothing(world: World) -> None:
    handoff, bye = await _closed(world)
    chat = world.chats[0]
    [thanks] = await chat.press("5", among=[bye])
    assert thanks.text == PHRASES.get("en", "rated")
    [reply] = await chat.say("it took too long")
    assert reply.text != PHRASES.get("en", "rating_comment_kept")
    assert (await Handoff.get(id=handoff)).rating_comment is None


async def test_a_comment_comes_within_a_short_time(world: World) -> None:
    """A message hours after the low rating is a new question, not a comment on it."""
    handoff, bye = await _closed(world)
    chat = world.chats[0]
    await chat.press("2", among=[bye])
    await Conversation.all().update(updated_at=datetime.now(UTC) - timedelta(hours=1))
    [reply] = await chat.say("it took too long")
    assert reply.text != PHRASES.get("en", "rating_comment_kept")
    assert (await Handoff.get(id=handoff)).rating_comment is None


async def test_a_comment_goes_with_the_retention_period_and_its_rating_stays(
    world: World,
) -> None:
    """What the user wrote with a low rating is theirs, as the transcript is: with
    HELPDESK_RETENTION_DAYS it is cleared once older than that; the rating (a figure of the
    reports) stays."""
    handoff, bye = await _closed(world)
    chat = world.chats[0]
    await chat.press("1", among=[bye])
    await chat.say("nobody read what I wrote")
    await purge(datetime.now(UTC), retention=timedelta(days=30))  # written today: kept
    assert (await Handoff.get(id=handoff)).rating_comment == "nobody read what I wrote"
    await Handoff.all().update(rated_at=datetime.now(UTC) - timedelta(days=31))
    await purge(datetime.now(UTC))  # no retention period: kept
    assert (await Handoff.get(id=handoff)).rating_comment == "nobody read what I wrote"
    counts = await purge(datetime.now(UTC), retention=timedelta(days=30))
    assert counts["rating comments"] == 1
    rated = await Handoff.get(id=handoff)
    assert (rated.rating, rated.rating_comment) == (1, None)


async def test_a_low_rating_and_what_went_wrong_reach_the_teams_desk(world: World) -> None:
    handoff, bye = await _closed(world)
    await world.drain("memory", "desk")
    chat = world.chats[0]
    await chat.press("2", among=[bye])
    # (the card's edit for the close may come as late)
    [rated] = [item for item in await world.drain("memory", "desk") if "👎" in item.text]
    assert rated.text == f"👎 Request #{handoff} (bob) rated 2 of 5 by Test User."
    await chat.say("nobody told me anything for an hour")
    [line] = [item for item in await world.drain("memory", "desk") if "👎" in item.text]
    assert line.text == (
        f"👎 Request #{handoff} (bob) rated 2 of 5 by Test User: "
        "«nobody told me anything for an hour»"
    )
    assert line.thread is None and rated.thread is None
    await chat.say("nobody told me anything for an hour")  # a question now: nothing more
    assert not [item for item in await world.drain("memory", "desk") if "👎" in item.text]


async def test_a_low_rating_without_words_reaches_the_desk_once(world: World) -> None:
    """The desk hears of a 1 or 2 when it is pressed: a user who asks something else next
    (or writes no more) says nothing of it, and the desk still knows."""
    handoff, bye = await _closed(world)
    await world.drain("memory", "desk")
    chat = world.chats[0]
    await chat.press("1", among=[bye])
    [answer] = await chat.say("how do I reset my password")
    assert "Helped" in [b.label for b in answer.buttons]
    lines = [item.text for item in await world.drain("memory", "desk") if "👎" in item.text]
    assert lines == [f"👎 Request #{handoff} (bob) rated 1 of 5 by Test User."]
    await chat.press("3", among=[bye])  # rated already: nothing more
    assert not [item for item in await world.drain("memory", "desk") if "👎" in item.text]


async def test_a_good_rating_tells_the_desk_nothing(world: World) -> None:
    _, bye = await _closed(world)
    await world.drain("memory", "desk")
    await world.chats[0].press("3", among=[bye])
    assert not [item for item in await world.drain("memory", "desk") if "👎" in item.text]
