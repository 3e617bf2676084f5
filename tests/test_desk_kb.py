"""Agents answer with a KB article (`kb`), and the question is kept, labelled, for the KB."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest

from bot.gaps import labelling_template
from bot.gaps_text import format_gaps
from bot.handoff.articles import AGENT_ARTICLE
from bot.knowledge.base import KnowledgeBase
from bot.phrases import load_phrases
from bot.storage import reports
from bot.storage.models import Handoff, TranscriptMessage, UnansweredQuestion
from tests.handoff_support import World, build_world
from tests.test_ticket_status import shown

PHRASES = load_phrases()


@pytest.fixture
def world(db_url: str, knowledge: KnowledgeBase) -> World:
    return build_world(db_url, knowledge)


async def _claimed(world: World, *said: str, user_id: str = "u1") -> int:
    chat = world.chat(user_id)
    for text in said:
        await chat.say(text)
    handoff = await Handoff.filter(conversation__chat_id=user_id).order_by("-id").first()
    assert handoff is not None
    assert (await world.act("bob", "claim", handoff.id)).ok
    await world.drain("memory", user_id)  # "bob has joined"
    for _ in range(2):  # the card, then its edit ("Claimed by bob") once the card is posted
        await world.drain("memory", "desk")
    return handoff.id


async def test_an_article_found_by_words_goes_to_the_user(
    world: World, knowledge: KnowledgeBase
) -> None:
    question = "оператор, у меня не работает удалёнка"
    handoff_id = await _claimed(world, question)
    sent = await world.act("bob", "kb", handoff_id, text="впн не подключается")
    assert sent.ok and "vpn-connect" in sent.text

    [message] = await world.drain("memory", "u1")
    article = knowledge.articles["vpn-connect"]
    assert article.title["ru"] in message.text  # the user's language
    assert article.answer["ru"].splitlines()[0] in message.text
    assert "bob" in message.text
    [notice] = [item for item in await world.drain("memory", "desk") if item.kind == "notice"]
    assert "vpn-connect" in notice.text and f"#{handoff_id}" in notice.text
    line = await TranscriptMessage.filter(direction="agent").get()
    assert line.text == f"📄 {article.title['ru']} (vpn-connect)"

    kept = await UnansweredQuestion.filter(reason=AGENT_ARTICLE).get()
    problem = "у меня не работает удалёнка"  # the request's problem, without "оператор"
    assert (kept.text, kept.best_article_id) == (problem, "vpn-connect")
    assert (await world.act("bob", "kb", handoff_id, text="vpn-connect")).ok  # again, by id
    assert await UnansweredQuestion.filter(reason=AGENT_ARTICLE).count() == 1  # kept once


async def test_unclear_words_send_nothing_and_list_the_closest(world: World) -> None:
    handoff_id = await _claimed(world, "human please")
    unclear = await world.act("bob", "kb", handoff_id, text="пароль")  # two articles, neither sure
    assert not unclear.ok and "nothing was sent" in unclear.text
    assert "`" in unclear.text  # the closest articles, by id
    for words in ("заяц в париже завтра", r"C:\Temp\*.pst zzqx"):  # the second: 3 articles
        nothing = await world.act("bob", "kb", handoff_id, text=words)  # at 0.00-0.01 before
        assert not nothing.ok and "No article fits" in nothing.text, nothing.text
    empty = await world.act("bob", "kb", handoff_id, text="  ")
    assert not empty.ok and "Say which article" in empty.text
    assert await world.drain("memory", "u1") == []
    assert await world.drain("memory", "desk") == []
    assert await UnansweredQuestion.filter(reason=AGENT_ARTICLE).count() == 0


async def test_the_desk_quotes_the_agents_words_as_typed(world: World) -> None:
    """What an agent searched for, or the team they named, is quoted back as they typed it:
    not read as Markdown, whose backslashes and stars would change it."""
    handoff_id = await _claimed(world, "human please")
    typed = r"\\fs01\buh\*.pst_old *now*"
    nothing = await world.act("bob", "kb", handoff_id, text=typed)
    assert f"«{typed}»" in shown(nothing.text)
    wrong = await world.act("bob", "transfer", handoff_id, team=typed)
    assert shown(wrong.text) == PHRASES.get("en", "desk_unknown_team", team=typed)


async def test_a_transfer_naming_no_team_asks_for_one(world: World) -> None:
    """The web desk's Transfer pressed with its team box empty (or a bare `/transfer`) said
    "There is no team called -": as if a team "-" were missing. It asks for one, naming the
    teams there are."""
    handoff_id = await _claimed(world, "human please")
    for typed in ("", "   "):
        empty = await world.act("bob", "transfer", handoff_id, team=typed)
        assert not empty.ok
        names = ", ".join(team.name for team in world.desk.queue.teams.teams)
        assert shown(empty.text) == PHRASES.get("en", "desk_transfer_usage", teams=names)
        assert "net" in names  # the world's teams are named, for the agent to pick one
    assert (await Handoff.get(id=handoff_id)).status == "claimed"


async def test_only_the_owner_of_a_claimed_request_sends_articles(world: World) -> None:
    await world.chat("u1").say("human")
    waiting = await Handoff.get(conversation__chat_id="u1")
    refused = await world.act("bob", "kb", waiting.id, text="vpn-connect")
    assert not refused.ok  # not claimed yet
    assert (await world.act("bob", "claim", waiting.id)).ok
    assert not (await world.act("carol", "kb", waiting.id, text="vpn-connect")).ok
    assert not (await world.act("mallory", "kb", waiting.id, text="vpn-connect")).ok
    missing = await world.act("bob", "kb", waiting.id + 99, text="vpn-connect")
    assert not missing.ok and "no such request" in missing.text
    assert (await world.act("bob", "kb", waiting.id, text="VPN-Connect")).ok  # ids: any case


async def test_gaps_show_and_label_what_agents_sent(world: World) -> None:
    question = "my laptop cannot reach the office network from home"
    handoff_id = await _claimed(world, question, "human")
    assert (await Handoff.get(id=handoff_id)).question == question
    assert (await world.act("bob", "kb", handoff_id, text="vpn-connect")).ok
    since = datetime.now(UTC) - timedelta(days=1)
    missed = await reports.missed_questions(since)
    report = format_gaps(missed, {}, since=since, language="en")
    assert "agent sent 1" in report
    [row] = [line for line in report.splitlines() if line.startswith("vpn-connect")]
    assert row.split()[-3:] == ["1", "0", "-"]  # one "agent sent", none sent elsewhere, not rated
    assert f"  vpn-connect: {question!r}" in report.split("answered by agents")[1]

    lines = [json.loads(line) for line in labelling_template(missed)]
    texts = [line["text"] for line in lines]
    assert texts.count(question) == 1  # asked once, though kept twice (no match, agent sent)
    [labelled] = [line for line in lines if line["expected"] != "?"]  # "?": to fill in
    assert (labelled["text"], labelled["expected"]) == (question, "vpn-connect")
