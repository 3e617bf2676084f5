"""A group DM (mpim: the bot and several people) is served like a channel, end to end
(signed events into the real slack-bolt code, the Web API faked): a mention is answered in a
thread under it, the asker goes on in that thread without a mention, and everybody else's
talk (the group's own messages, another member's replies) is ignored and not kept."""

from __future__ import annotations

from typing import Any

from bot.engine import Engine
from bot.storage.models import Conversation, InboundEvent, TranscriptMessage
from tests.fakes.slack_api import BOT_USER, TEAM
from tests.test_slack import running_slack, texts
from tests.test_slack_threads import nothing_kept_of, send

GROUP = "G0GROUP"  # Slack's id of a multiparty DM (`channel_type` "mpim")


def group_message(text: str, *, user: str, ts: str, thread: str | None = None) -> dict[str, Any]:
    """A `message` event in the group DM (`message.mpim`), in a thread if given."""
    event = {"type": "message", "channel_type": "mpim", "channel": GROUP, "user": user}
    event |= {"text": text, "ts": ts, "team": TEAM}
    return event | ({"thread_ts": thread} if thread else {})


def group_mention(text: str, *, user: str, ts: str) -> dict[str, Any]:
    event = {"type": "app_mention", "channel": GROUP, "user": user, "ts": ts, "team": TEAM}
    return event | {"text": f"<@{BOT_USER}> {text}"}


async def test_a_group_dm_is_served_like_a_channel(engine: Engine, db_url: str) -> None:
    thread = "1700000500.000001"
    async with running_slack(engine, db_url) as slack:
        mention = group_mention("forgot my password", user="U1", ts=thread)
        await send(slack.sender, group_message(mention["text"], user="U1", ts=thread))  # twin
        await send(slack.sender, mention)
        [first] = await slack.posts()
        assert (first.args["channel"], first.args["thread_ts"]) == (GROUP, thread)
        reply = group_message("vpn keeps dropping", user="U1", ts="1700000501.1", thread=thread)
        await send(slack.sender, reply)
        [_, second] = await slack.posts(2)
        assert (second.args["channel"], second.args["thread_ts"]) == (GROUP, thread)
        assert texts(second)[0].startswith("*VPN does not connect*")
        others = [
            group_message("U2-marker vpn", user="U2", ts="1700000502.1", thread=thread),
            group_message("top-marker lunch at one?", user="U1", ts="1700000503.1"),
        ]
        for event in others:
            await send(slack.sender, event)
        assert len(await slack.settle()) == 2
    await nothing_kept_of("U2-marker", user="U2")
    await nothing_kept_of("top-marker")
    assert await Conversation.all().values_list("chat_id", flat=True) == [f"{GROUP}/{thread}"]
    assert await TranscriptMessage.filter(direction="in").count() == 2
    assert await InboundEvent.all().count() == 2
