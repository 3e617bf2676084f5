"""What a button press does on Slack around its turn, end to end (signed requests into the
real slack-bolt code, the Web API faked): where a word for the presser alone (an aside, such
as "that button has already been used") goes."""

from __future__ import annotations

from typing import Any

import pytest

from bot.engine import Engine
from bot.storage.models import OutboxMessage
from tests.fakes.slack_api import BOT_USER, TEAM
from tests.test_slack import PHRASES, running_slack, texts
from tests.test_slack_mpim import GROUP
from tests.test_slack_threads import send


def mention(channel: str, text: str, *, ts: str) -> dict[str, Any]:
    """U1 mentions the bot at the top of `channel` (a channel, or a group DM)."""
    event = {"type": "app_mention", "channel": channel, "user": "U1", "ts": ts, "team": TEAM}
    return event | {"text": f"<@{BOT_USER}> {text}"}


@pytest.mark.parametrize("channel", ["C1", GROUP])
async def test_a_second_press_in_a_thread_is_told_to_the_presser_alone(
    engine: Engine, db_url: str, channel: str
) -> None:
    thread = "1700000600.000001"
    used = PHRASES.get("en", "button_used")
    async with running_slack(engine, db_url) as slack:
        await send(slack.sender, mention(channel, "vpn keeps dropping", ts=thread))
        [answer] = await slack.posts()
        await slack.press(answer, "Helped")
        await slack.settle()
        await slack.press(answer, "Didn't help")  # Slack's copy still had the buttons
        sent = await slack.settle()
    [aside] = [c for c in sent if c.method == "chat.postEphemeral"]
    assert (aside.args["channel"], aside.args["user"]) == (channel, "U1")
    assert aside.args["thread_ts"] == thread and texts(aside) == [used]
    posted = [texts(c) for c in sent if c.method == "chat.postMessage"]
    assert posted[1:] == [[PHRASES.get("en", "helped")]]  # nothing more for everyone
    assert not await OutboxMessage.filter(text=used).exists()
