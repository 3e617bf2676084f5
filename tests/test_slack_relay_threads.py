"""Which thread each desk message goes under when the Slack sender posts a card and later
messages of the same request in one batch: the card's thread is that of the card in the
message's own channel (a transfer's new card in another team's channel is no thread of the
old desk's), and a message to the user's own chat goes under no card at all."""

from __future__ import annotations

from datetime import timedelta

import pytest

from bot.adapters.slack.relay import OutboxSender, outbox_client
from bot.handoff import DbOutbox
from bot.handoff.outbox import put
from bot.knowledge.base import KnowledgeBase
from bot.storage.models import Handoff, OutboxMessage
from tests.fakes.slack_api import TOKEN, FakeSlackApi
from tests.handoff_support import World, build_world

OLD, NEW, DM = "C0OLD", "C0NET", "D0ANN"


@pytest.fixture
def world(db_url: str, knowledge: KnowledgeBase) -> World:
    return build_world(db_url, knowledge)


async def test_a_batch_with_a_new_card_keeps_each_message_under_its_own_channels_card(
    world: World,
) -> None:
    await world.chat("ann", name="ann").say("my vpn is broken, I want a human")
    handoff = await Handoff.get()
    old_card = await put("slack", OLD, "Request #1 (old team)", kind="card", handoff=handoff)
    await OutboxMessage.filter(id=old_card).update(status="sent", platform_message_id="111.1")
    await put("slack", NEW, "Request #1 (moved here)", kind="card", handoff=handoff)
    await put("slack", OLD, "moved to team net", kind="notice", handoff=handoff)
    await put("slack", OLD, "Request #1: moved to team net", kind="card_edit", handoff=handoff)
    await put("slack", NEW, "ann: are you there?", kind="relay", handoff=handoff)
    await put("slack", DM, "You were passed to the net team.", kind="notice", handoff=handoff)
    async with FakeSlackApi() as api:
        client = outbox_client(TOKEN, base_url=api.api_url)
        sender = OutboxSender(DbOutbox(), client, every=timedelta(seconds=1))
        assert await sender.deliver_due() == 5
    posts = {c.args["text"]: c for c in api.calls_to("chat.postMessage")}
    new_card = posts["Request #1 (moved here)"].response["ts"]
    assert posts["moved to team net"].args.get("thread_ts") == "111.1"
    assert posts["ann: are you there?"].args.get("thread_ts") == new_card
    assert posts["You were passed to the net team."].args.get("thread_ts") is None
    [edit] = api.calls_to("chat.update")
    assert (edit.args["channel"], edit.args["ts"]) == (OLD, "111.1")
