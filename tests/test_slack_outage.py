"""The Slack Web API down while the bot answers: Slack's edge then answers a 5xx in plain text
(Envoy's "upstream connect error …"), not Slack's JSON. The answer is put off for the outbox,
as after any 5xx, and goes out once Slack is back; the user gets no apology meanwhile.

Real slack-bolt and slack_sdk against the fake Web API (`fakes/slack_api.py`), the real engine.
"""

from __future__ import annotations

from datetime import timedelta

import pytest

from bot.engine import Engine
from bot.handoff.outbox import put
from bot.storage.models import OutboxMessage
from tests.fakes.slack_harness import OutboxSide
from tests.test_slack import PHRASES, labels, running_slack, texts

pytest_plugins = ["tests.fakes.slack_outbox_harness"]
DOWN = (
    503,
    "upstream connect error or disconnect/reset before headers. reset reason: overflow",
    {},
)


async def test_an_answer_slack_cannot_take_in_an_outage_is_sent_when_it_is_back(
    engine: Engine, db_url: str, slack_outbox: OutboxSide, caplog: pytest.LogCaptureFixture
) -> None:
    clock, outbox, setup = slack_outbox
    async with running_slack(engine, db_url, desk=setup) as slack:
        slack.api.script("users.info", DOWN)
        slack.api.script("chat.postMessage", DOWN)
        await slack.dm("vpn keeps dropping")
        await outbox.until_failed(1)  # put off, not left to its lease
        clock.advance(timedelta(seconds=16))  # the outbox's backoff after a 5xx has passed
        slack.channel.outbox.wake()
        calls = await slack.api.wait_for("chat.postMessage", count=2)
        await slack.settle()
    down, answer = calls
    assert down.args == answer.args
    assert texts(answer)[0].startswith("*VPN does not connect*")
    assert labels(answer) == ["Helped", "Didn't help"]
    assert PHRASES.get("ru", "error") not in str(slack.api.calls_to("chat.postMessage"))
    assert "Slack turn failed" not in caplog.text
    assert "Slack refused a message to channel DU1: 503" in caplog.text


async def test_the_outbox_puts_off_what_slack_cannot_take_in_an_outage(
    engine: Engine, db_url: str, slack_outbox: OutboxSide
) -> None:
    clock, outbox, setup = slack_outbox
    async with running_slack(engine, db_url, desk=setup) as slack:
        slack.api.script("chat.postMessage", DOWN)
        await put("slack", "DU1", "An agent's message", kind="relay")
        await outbox.until_failed(1)
        row = await OutboxMessage.get()
        assert (row.status, row.attempts) == ("pending", 1)  # put off, not left to its lease
        clock.advance(timedelta(seconds=16))
        slack.channel.outbox.wake()
        calls = await slack.api.wait_for("chat.postMessage", count=2)
    assert [call.args["text"] for call in calls] == ["An agent's message"] * 2
