"""Files in the core, through the in-memory adapter: while a person owns the chat a user's
files go to the desk and an agent's to the user, each as an outbox item of its own with the
line said instead (in the reader's language); with no handoff, self-help asks for words."""

from __future__ import annotations

from dataclasses import replace

import pytest
from aiohttp.test_utils import TestClient, TestServer

from bot.handoff import DeskAction
from bot.knowledge.base import KnowledgeBase
from bot.messages import Attachment
from bot.phrases import load_phrases
from bot.storage.models import Handoff, TranscriptMessage
from tests.handoff_support import WEB_TEAMS, World, agent, build_world
from tests.test_handoff_web import app_for, say, updates

PHRASES = load_phrases()
SHOT = Attachment("memory", "photo", mime="image/png", size=2048, ref="f-shot")
LOG = Attachment("memory", "document", "vpn.log", "text/plain", 90, "f-log")


@pytest.fixture
def world(db_url: str, knowledge: KnowledgeBase) -> World:
    return build_world(db_url, knowledge)


async def test_files_cross_both_ways_while_an_agent_owns_the_chat(world: World) -> None:
    user = world.chat("u1", name="Ann", locale="ru")
    await user.say("my vpn is broken, I want a human")
    [card] = await world.drain("memory", "desk")
    assert card.handoff_id is not None
    assert (await world.act("bob", "claim", card.handoff_id)).ok
    await world.drain("memory", "u1")
    await world.drain("memory", "desk")  # the claim's notice

    assert await user.send(replace(user.message(""), attachments=(SHOT, LOG))) == []
    relay, shot, log = await world.drain("memory", "desk")
    assert (relay.attachment, relay.text) == (None, r"**Ann:** \[photo\] \[document: vpn.log\]")
    assert (shot.attachment, log.attachment) == (SHOT, LOG)
    assert log.text == PHRASES.get("en", "file_not_passed", name="vpn.log")  # the desk's
    assert shot.thread == relay.thread == f"m{card.id}-0"

    answer = Attachment("memory", "document", "fix_vpn_2.reg", ref="f-fix")  # "_": not italics
    action = DeskAction("reply", card.handoff_id, attachments=(answer,))
    assert (await world.desk.act(agent("bob"), action)).ok
    [only] = await world.drain("memory", "u1")  # a file alone: no empty "bob:" line
    handoff = await Handoff.get(id=card.handoff_id)
    assert only.attachment == answer
    assert only.text == PHRASES.get(handoff.language, "file_not_passed", name=r"fix\_vpn\_2.reg")
    said = await TranscriptMessage.filter(direction__in=("in", "agent")).values_list(
        "text", flat=True
    )
    assert said[-2:] == ["[photo] [document: vpn.log]", "[document: fix_vpn_2.reg]"]


async def test_without_a_handoff_a_file_gets_a_request_for_words(world: World) -> None:
    user = world.chat("u1")
    [reply] = await user.send(replace(user.message(""), attachments=(SHOT,)))
    assert reply.text == PHRASES.get("en", "attachment")
    assert await world.drain("memory", "desk") == []


async def test_the_web_chat_and_desk_name_a_file_they_cannot_show(
    db_url: str, knowledge: KnowledgeBase
) -> None:
    """No uploads on the web: the user's page gets the line naming the file, the web desk
    the file's marker in the transcript."""
    world = build_world(db_url, knowledge, teams=WEB_TEAMS)
    async with TestClient(TestServer(app_for(world))) as user:
        await say(user, "I need a human", "1")
        handoff = await Handoff.get()
        assert (await world.desk.act(agent("alice", "web"), DeskAction("claim", handoff.id))).ok
        await updates(user)
        fix = Attachment("telegram", "document", "fix.reg", ref="BQAD9")
        reply = DeskAction("reply", handoff.id, text="run this", attachments=(fix,))
        assert (await world.desk.act(agent("alice", "web"), reply)).ok
        shown = await updates(user)
        assert "run this" in shown[0] and "fix.reg: this file could not be passed on" in shown[1]
        [card] = (await world.desk.board(agent("alice", "web"))).cards
        assert card.lines[-1].text == "run this [document: fix.reg]"


async def test_a_secret_in_a_file_name_is_redacted_in_the_relay(world: World) -> None:
    """The desk reads the same redacted line the transcript stores, file names included."""
    user = world.chat("u1", name="Ann")
    await user.say("my vpn is broken, I want a human")
    await world.drain("memory", "desk")  # the card
    leaky = Attachment("memory", "document", "password=hunter2.txt", ref="f-leak")
    await user.send(replace(user.message("see the file"), attachments=(leaky,)))
    relay, _file = await world.drain("memory", "desk")
    assert "hunter2" not in relay.text and r"\[redacted\]" in relay.text  # shown as typed
    stored = await TranscriptMessage.filter(direction="in").order_by("-id").first()
    assert stored is not None and "hunter2" not in stored.text
