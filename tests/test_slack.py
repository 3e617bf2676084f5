"""The Slack channel end to end: signed requests into our aiohttp route, the real slack-bolt
and slack_sdk code, and the Web API client pointed at a fake Slack (`fakes/slack_api.py`)."""

from __future__ import annotations

import asyncio
import json
import logging
import os
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any, cast

import pytest
from aiohttp import web

from bot.adapters.slack import SlackChannel
from bot.adapters.slack.convert import message_from_event
from bot.adapters.web import create_web_app
from bot.app import build_engine
from bot.channels import build_channels
from bot.config import Settings
from bot.engine import Engine
from bot.errors import ConfigError
from bot.handoff.lease import LEASE
from bot.knowledge.base import load_knowledge_base
from bot.messages import Core, IncomingMessage, Reply, UserRef
from bot.phrases import load_phrases
from bot.storage.models import Feedback, InboundEvent, OutboxMessage, Ticket, User
from tests.fakes.slack_api import (
    APP_TOKEN,
    BOT_ID,
    BOT_USER,
    SECRET,
    TEAM,
    TOKEN,
    Call,
    FakeSlackApi,
    SlackSender,
)
from tests.fakes.slack_harness import OutboxSide, http_channel, serving, unpaced
from tests.fakes.slack_payloads import block_actions

UNTITLED = "(no subject: asked for a person)"  # a bare request's subject

pytest_plugins = ["tests.fakes.slack_outbox_harness"]
KB_DIR = Path(__file__).resolve().parents[1] / "kb"
PHRASES = load_phrases()
POSTS = ("chat.postMessage", "chat.postEphemeral", "chat.update", "response_url")
UNUSED_CORE = cast(Core, object())  # for tests that never get as far as the core


@dataclass
class Slack:
    """Our server with the Slack channel mounted, the fake Web API and Slack's side."""

    api: FakeSlackApi
    sender: SlackSender
    channel: SlackChannel
    settings: Settings

    async def dm(self, text: str, *, user: str = "U1", **options: Any) -> tuple[int, str]:
        event = {
            "type": "message",
            "channel_type": "im",
            "channel": f"D{user}",
            "user": user,
            "text": text,
            "ts": f"1699999999.{self.sender.next_id()}",
            "team": TEAM,
        }
        return await self.sender.event(event, **options)

    async def mention(self, text: str, *, user: str = "U1", thread: str | None = None) -> str:
        ts = f"1699999998.{self.sender.next_id()}"
        event = {
            "type": "app_mention",
            "channel": "C1",
            "user": user,
            "ts": ts,
            "text": f"<@{BOT_USER}> {text}",
            "team": TEAM,
        }
        if thread:
            event["thread_ts"] = thread
        assert (await self.sender.event(event))[0] == 200
        return ts

    async def press(
        self, call: Call, label: str, *, user: str = "U1", **ephemeral: str
    ) -> tuple[int, str]:
        """`user` presses the button labelled `label` on the message of a recorded call
        (an ephemeral one when `channel` and `response_url` are given)."""
        [button] = [b for b in call.buttons() if b["text"]["text"] == label]
        [block] = [b for b in call.args["blocks"] if button in b.get("elements", ())]
        payload = block_actions(call, button, block, user=user)
        if ephemeral:  # Slack sends no copy of an ephemeral message
            del payload["message"]
            payload["channel"]["id"] = ephemeral["channel"]
            payload["response_url"] = ephemeral["response_url"]
            payload["container"] = {
                "type": "message",
                "message_ts": "1700000005.000001",
                "channel_id": ephemeral["channel"],
                "is_ephemeral": True,
            }
        return await self.sender.interaction(payload)

    async def posts(self, count: int = 1) -> list[Call]:
        return await self.api.wait_for(*POSTS, count=count)

    async def settle(self) -> list[Call]:
        """Every answer in flight is done: what the bot sent."""
        await self.channel.join()
        return self.api.calls_to(*POSTS)

    async def answered(self) -> Call:
        """The bot's one answer so far, once its turn is done (the reply recorded sent).
        `posts` returns as soon as Slack has the call: a message or press of the user's
        then may find the answer still waiting in the outbox, and its replies go after it
        through the outbox sender, later than `settle` waits for (`bot/handoff/order.py`)."""
        [answer] = await self.settle()
        return answer


@asynccontextmanager
async def running_slack(
    engine: Engine, db_url: str, *, core: Core | None = None, **extra: Any
) -> AsyncIterator[Slack]:
    """Our web server with the Slack branch of the composition root, against a fake Slack
    (or, given `core` or `extra` for `SlackChannel`, a channel built the same way)."""
    async with FakeSlackApi() as api:
        settings = Settings(
            database_url=db_url,
            kb_dir=KB_DIR,
            slack_bot_token=TOKEN,
            slack_signing_secret=SECRET,
            slack_api_url=api.api_url,
        )
        web_app = create_web_app(engine.handle)
        if core is None and not extra:
            [channel] = build_channels(settings, engine, web_app, None)
        else:
            channel = http_channel(core or engine, api, **extra)
            channel.mount(web_app)
        assert isinstance(channel, SlackChannel)
        unpaced(channel)
        async with serving(channel, web_app) as sender:
            yield Slack(api, sender, channel, settings)


@pytest.fixture
async def slack(engine: Engine, db_url: str) -> AsyncIterator[Slack]:
    async with running_slack(engine, db_url) as running:
        yield running


def texts(call: Call) -> list[str]:
    return [b["text"]["text"] for b in call.args.get("blocks") or () if b["type"] == "section"]


def labels(call: Call) -> list[str]:
    return [b["text"]["text"] for b in call.buttons()]


async def test_dm_question_is_answered_with_buttons(slack: Slack) -> None:
    assert await slack.dm("vpn keeps dropping") == (200, "")
    [call] = await slack.posts()
    assert call.method == "chat.postMessage"
    assert call.args["channel"] == "DU1" and "thread_ts" not in call.args
    assert texts(call)[0].startswith("*VPN does not connect*")
    assert call.args["text"].startswith("*VPN does not connect*")
    assert labels(call) == ["Helped", "Didn't help"]
    for button in call.buttons():
        assert button["action_id"] == f"helpdesk.{button['value']}"
    # Ours at the start (the token's check; Bolt is given its answer), the user's zone.
    methods = ["auth.test", "users.info", "chat.postMessage"]
    assert [c.method for c in slack.api.calls] == methods


async def test_pressing_helped_updates_the_message_and_stores_feedback(slack: Slack) -> None:
    await slack.dm("vpn keeps dropping")
    [answer] = await slack.posts()
    status, _ = await slack.press(answer, "Helped")
    assert status == 200
    [_, update, thanks] = await slack.posts(3)
    assert update.method == "chat.update"
    assert (update.args["channel"], update.args["ts"]) == ("DU1", answer.response["ts"])
    assert update.buttons() == [] and texts(update) == texts(answer)
    assert update.args["text"] == answer.args["text"]
    assert "Helped" in update.text
    assert thanks.method == "chat.postMessage"
    assert texts(thanks) == [PHRASES.get("en", "helped")]
    feedback = await Feedback.get()
    assert (feedback.article_id, feedback.helpful) == ("vpn-connect", True)


async def test_mention_is_answered_in_its_thread(slack: Slack) -> None:
    ts = await slack.mention("forgot my password")
    [call] = await slack.posts()
    assert (call.method, call.args["channel"], call.args["thread_ts"]) == (
        "chat.postMessage",
        "C1",
        ts,
    )
    assert texts(call)[0].startswith("*")
    assert BOT_USER not in call.text
    await slack.mention("vpn keeps dropping", thread=ts)
    second = (await slack.posts(2))[1]
    assert second.args["thread_ts"] == ts


async def test_someone_else_pressing_in_a_thread_gets_a_private_refusal(slack: Slack) -> None:
    await slack.mention("vpn keeps dropping")
    [answer] = await slack.posts()
    await slack.press(answer, "Helped", user="U2")
    [_, refusal] = await slack.posts(2)
    assert refusal.method == "chat.postEphemeral"
    assert (refusal.args["user"], refusal.args["thread_ts"]) == ("U2", answer.args["thread_ts"])
    # U2 never wrote to the bot: the core answers in its default language.
    assert texts(refusal) == [PHRASES.get("ru", "button_unknown")]
    assert await Feedback.all().count() == 0
    await slack.press(answer, "Helped", user="U1")  # the asker's buttons still work
    [*_, update, thanks] = await slack.posts(4)
    assert (update.method, thanks.args["thread_ts"]) == ("chat.update", answer.args["thread_ts"])
    assert await Feedback.all().count() == 1


async def test_slash_command_answers_only_the_asker(slack: Slack) -> None:
    fields = {
        "command": "/helpdesk",
        "text": "vpn keeps dropping",
        "team_id": TEAM,
        "channel_id": "C7",
        "channel_name": "general",
        "user_id": "U1",
        "user_name": "ann",
        "trigger_id": "trig-1",
        "response_url": slack.api.response_url("cmd1"),
    }
    assert (await slack.sender.command(fields))[0] == 200
    # Settled: the answer is recorded sent, as it is long before a person can press (a press
    # that came first would queue its reply behind the answer, for the outbox's DM).
    [call] = await slack.settle()
    assert call.method == "response_url"
    assert call.args["response_type"] == "ephemeral"
    assert labels(call) == ["Helped", "Didn't help"]
    url = slack.api.response_url("press1")
    await slack.press(call, "Helped", channel="C7", response_url=url)
    [_, thanks] = await slack.posts(2)
    assert (thanks.method, thanks.args["response_type"]) == ("response_url", "ephemeral")
    assert texts(thanks) == [PHRASES.get("en", "helped")]
    assert not thanks.args.get("replace_original")  # no copy to rebuild the answer from
    assert slack.api.calls_to("chat.postMessage", "chat.update") == []
    assert (await Feedback.get()).helpful


async def test_did_you_mean(slack: Slack) -> None:
    await slack.dm("password")
    [call] = await slack.posts()
    assert texts(call) == [PHRASES.get("en", "did_you_mean")]
    assert 2 <= len(labels(call)) <= 4 and labels(call)[-1] == "None of these"
    await slack.press(call, labels(call)[0])
    [_, update, answer] = await slack.posts(3)
    assert update.method == "chat.update"
    assert labels(answer) == ["Helped", "Didn't help"]


async def test_asking_for_a_person_opens_a_ticket(slack: Slack) -> None:
    await slack.dm("позовите человека")
    [call] = await slack.posts()
    ticket = await Ticket.get()
    assert f"№{ticket.id}" in texts(call)[0]


async def test_withdrawing_a_ticket_asks_first(slack: Slack) -> None:
    await slack.dm("human please")
    await slack.posts()
    number = (await Ticket.get()).id
    await slack.dm("my tickets")
    [_, listed] = await slack.posts(2)
    assert labels(listed) == [f"Withdraw #{number}"]
    await slack.press(listed, f"Withdraw #{number}")
    asked = (await slack.posts(4))[-1]  # after the list's buttons came off
    assert texts(asked) == [
        f"Withdraw ticket *#{number}* «{UNTITLED}»? IT will stop working on it."
    ]
    assert labels(asked) == ["Yes, withdraw", "Keep it"]
    assert (await Ticket.get()).status == "open"
    await slack.press(asked, "Yes, withdraw")
    done = (await slack.posts(6))[-1]
    assert texts(done)[0].startswith(f"Ticket *#{number}* «{UNTITLED}» is withdrawn.")
    assert (await Ticket.get()).status == "withdrawn"


async def test_bad_signature_is_refused_without_logging_the_body(
    slack: Slack, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    status, _ = await slack.dm("secret-marker-1234 vpn", secret="wrong-secret")
    assert status == 401
    assert "secret-marker-1234" not in caplog.text
    assert "bad signature" in caplog.text
    assert await slack.settle() == []
    assert await InboundEvent.all().count() == 0


DM_EVENT = {"type": "message", "channel_type": "im", "channel": "DU1", "user": "U1", "ts": "1.7"}


@pytest.mark.parametrize(
    "headers",
    [{}, {"X-Slack-Request-Timestamp": "soon", "X-Slack-Signature": "v0=00"}],
    ids=["unsigned", "garbled"],
)
async def test_a_request_without_a_readable_signature_is_refused(
    slack: Slack, headers: dict[str, str]
) -> None:
    body = json.dumps({"type": "event_callback", "event": DM_EVENT | {"text": "vpn"}})
    sent = headers | {"Content-Type": "application/json"}
    async with slack.sender.session.post(slack.sender.url, data=body, headers=sent) as answer:
        assert answer.status == 401
    assert await slack.settle() == []
    assert await InboundEvent.all().count() == 0


async def test_retried_event_is_answered_once(slack: Slack) -> None:
    event = DM_EVENT | {"text": "позовите человека"}
    for retry in (0, 1, 2):
        assert (await slack.sender.event(event, event_id="Ev42", retry=retry))[0] == 200
    assert len(await slack.settle()) == 1
    assert await Ticket.all().count() == 1


async def test_retries_arriving_together_are_answered_once(slack: Slack) -> None:
    event = DM_EVENT | {"text": "позовите человека"}
    sends = [slack.sender.event(event, event_id="Ev43", retry=retry) for retry in (0, 1, 2, 3)]
    assert [status for status, _ in await asyncio.gather(*sends)] == [200] * 4
    assert len(await slack.settle()) == 1
    assert await Ticket.all().count() == 1


async def test_rate_limited_then_sent_once(slack: Slack) -> None:
    slack.api.script(
        "chat.postMessage", (429, {"ok": False, "error": "ratelimited"}, {"Retry-After": "0"})
    )
    await slack.dm("vpn keeps dropping")
    sent = await slack.settle()
    assert [c.response.get("ok") for c in sent] == [False, True]
    assert sent[0].args == sent[1].args


async def test_a_second_429_puts_the_reply_off_not_away(slack: Slack) -> None:
    limited = (429, {"ok": False, "error": "ratelimited"}, {"Retry-After": "0"})
    slack.api.script("chat.postMessage", limited, limited)  # the client's retry meets one too
    await slack.dm("vpn keeps dropping")
    calls = await slack.api.wait_for("chat.postMessage", count=3)  # the outbox sends it
    assert [c.response.get("ok") for c in calls] == [False, False, True]
    assert calls[0].args == calls[2].args


async def test_channel_not_found_is_not_retried(
    slack: Slack, caplog: pytest.LogCaptureFixture
) -> None:
    slack.api.script("chat.postMessage", (200, {"ok": False, "error": "channel_not_found"}, {}))
    await slack.mention("vpn keeps dropping")
    assert len(await slack.settle()) == 1
    assert "C1" in caplog.text and "channel_not_found" in caplog.text


async def test_an_archived_dm_marks_the_user_unreachable(slack: Slack) -> None:
    slack.api.script("chat.postMessage", (200, {"ok": False, "error": "is_archived"}, {}))
    await slack.dm("vpn keeps dropping", user="U8")
    assert len(await slack.settle()) == 1
    user = await User.get(platform="slack", workspace=TEAM, external_id="U8")
    assert user.unreachable


async def test_the_bots_own_and_other_bots_messages_are_ignored(slack: Slack) -> None:
    own = {
        "type": "message",
        "channel_type": "im",
        "channel": "DU1",
        "user": BOT_USER,
        "bot_id": BOT_ID,
        "text": "vpn keeps dropping",
        "ts": "1.1",
    }
    other = {
        "type": "message",
        "subtype": "bot_message",
        "channel_type": "im",
        "channel": "DU1",
        "bot_id": "B0OTHER",
        "text": "vpn keeps dropping",
        "ts": "1.2",
    }
    edited = {
        "type": "message",
        "subtype": "message_changed",
        "channel_type": "im",
        "channel": "DU1",
        "message": {"user": "U1", "text": "vpn"},
        "ts": "1.3",
    }
    for event in (own, other, edited):
        assert (await slack.sender.event(event))[0] == 200
    assert await slack.settle() == []


def envelope(event: dict[str, Any], *, team: str, installation: str) -> bytes:
    """An Events API callback from workspace `team`, delivered for the app's installation in
    workspace `installation` (Slack's `authorizations`)."""
    body = {
        "type": "event_callback",
        "team_id": team,
        "api_app_id": "A0APP",
        "event_id": f"Ev{team}",
        "authorizations": [{"team_id": installation, "user_id": BOT_USER, "is_bot": True}],
        "event": event | {"team": team},
    }
    return json.dumps(body).encode()


async def test_an_event_for_another_workspace_is_left_alone(slack: Slack) -> None:
    """The app installed in another workspace too (the same signing secret and request URL,
    another token): its events are not the bot's to answer, record or keep users of."""
    event = DM_EVENT | {"channel": "DU7", "user": "U7", "text": "vpn keeps dropping"}
    body = envelope(event, team="T0OTHER", installation="T0OTHER")
    assert await slack.sender.post(body, "application/json") == (200, "")
    assert await slack.settle() == []
    assert await InboundEvent.all().count() == 0
    assert await User.all().count() == 0


async def test_a_shared_channels_other_side_is_served(slack: Slack) -> None:
    mention = {"type": "app_mention", "channel": "C9", "user": "U7", "ts": "1.9"}
    mention["text"] = f"<@{BOT_USER}> vpn keeps dropping"
    body = envelope(mention, team="T0OTHER", installation=TEAM)  # delivered to our install
    assert await slack.sender.post(body, "application/json") == (200, "")
    [answer] = await slack.posts()
    assert (answer.args["channel"], answer.args["thread_ts"]) == ("C9", "1.9")


async def test_channel_mention_in_a_question_is_harmless(slack: Slack) -> None:
    await slack.dm("<!channel> <@U9> vpn keeps dropping &lt;!here&gt;")
    await slack.posts()
    sent = await slack.settle()
    assert all("<!" not in c.text and "<@" not in c.text for c in sent)


async def test_forged_button_gets_a_polite_answer(slack: Slack) -> None:
    await slack.dm("vpn keeps dropping")
    [answer] = await slack.posts()
    forged = json.loads(json.dumps(answer.args))
    forged["blocks"][-1]["elements"][0] |= {
        "value": "forged-key",
        "action_id": "helpdesk.forged-key",
    }
    status, _ = await slack.press(Call(answer.method, forged, answer.response), "Helped")
    assert status == 200
    _, reply = await slack.posts(2)
    assert texts(reply) == [PHRASES.get("en", "button_unknown")]
    assert await Feedback.all().count() == 0
    assert "chat.update" not in [c.method for c in await slack.settle()]  # a press not taken


async def test_url_verification(slack: Slack) -> None:
    body = json.dumps({"token": "legacy", "challenge": "abc123", "type": "url_verification"})
    status, text = await slack.sender.post(body.encode(), "application/json")
    assert (status, json.loads(text)) == (200, {"challenge": "abc123"})


async def test_deliveries_left_by_a_crash_are_answered_on_start(
    slack: Slack, engine: Engine
) -> None:
    body = {
        "team_id": TEAM,
        "event_id": "EvCrash",
        "event": {
            "type": "message",
            "channel_type": "im",
            "channel": "DU5",
            "user": "U5",
            "text": "позовите человека",
            "ts": "1.5",
        },
    }
    message = message_from_event(body)
    assert message is not None and await engine.accept(message)
    [restarted] = build_channels(slack.settings, engine, web.Application(), None)
    await restarted.start()
    await restarted.stop()
    [call] = slack.api.calls_to("chat.postMessage")
    assert call.args["channel"] == "DU5"
    assert await Ticket.all().count() == 1
    assert await engine.pending("slack", older_than=timedelta(0)) == []


EVIL_ARTICLE = """---
id: printer-evil
title:
  ru: Принтер на третьем этаже
  en: Third floor printer
questions:
  ru: [принтер на третьем этаже не печатает, третий этаж принтер сломался,
       не печатает принтер третьего этажа, принтер третий этаж замятие,
       принтер на 3 этаже выдает ошибку, принтер 3 этаж не работает]
  en: [third floor printer is broken, printer on the third floor not printing,
       3rd floor printer error, third floor printer jammed, printer third floor offline,
       the third floor printer does not work]
tags: [printer]
---
## ru
Напишите <!channel>.

## en
Tell <!channel> and <@U0ADMIN> & <!here>, see [https://intranet.example.com](https://evil.example.net/x),
[the wiki](https://wiki.example.com/a?b=1&c=2) and [run me](javascript:alert(1)).
Or https://evil.example.net/y|https://portal.example.com/login, https://portal.example.com/?a=1&b=2.
"""


async def test_mentions_and_disguised_links_in_the_kb_are_harmless(
    db_url: str, tmp_path: Path
) -> None:
    (tmp_path / "printer-evil.md").write_text(EVIL_ARTICLE, encoding="utf-8")
    settings = Settings(database_url=db_url, kb_dir=tmp_path)
    engine = build_engine(settings, load_knowledge_base(tmp_path))
    async with running_slack(engine, db_url) as slack:
        await slack.dm("third floor printer is broken")
        [call] = await slack.posts()
    [text] = texts(call)
    assert "Tell &lt;!channel&gt; and &lt;@U0ADMIN&gt; &amp; &lt;!here&gt;" in text
    assert "<https://evil.example.net/x>" in text  # the real target, not the disguise
    assert "<https://wiki.example.com/a?b=1&amp;c=2|the wiki>" in text
    assert "intranet.example.com" not in text
    assert "[run me](javascript:alert(1))" in text  # not a link: shown as written
    # Bare addresses: "|" ends one (Slack would show the rest as its label), "&" does not.
    assert "<https://evil.example.net/y>|<https://portal.example.com/login>" in text
    assert "<https://portal.example.com/?a=1&amp;b=2>." in text
    assert "<!" not in call.text and "<@" not in call.text


class GatedCore:
    """The engine, whose `handle` waits for the test's gate (or fails when told to)."""

    def __init__(self, engine: Engine, *, fail: bool = False) -> None:
        self.engine = engine
        self.gate = asyncio.Event()
        self.fail = fail

    async def accept(self, message: IncomingMessage) -> bool:
        return await self.engine.accept(message)

    async def handle(self, message: IncomingMessage, *, durable: bool = False) -> list[Reply]:
        await self.gate.wait()
        if self.fail and "boom" in message.text:
            raise RuntimeError("the core broke")
        return await self.engine.handle(message, durable=durable)

    async def pending(self, platform: str, *, older_than: timedelta) -> list[IncomingMessage]:
        return await self.engine.pending(platform, older_than=older_than)

    async def mark_unreachable(self, user: UserRef, *, unreachable: bool = True) -> None:
        await self.engine.mark_unreachable(user, unreachable=unreachable)

    async def move_chat(self, platform: str, old_chat_id: str, new_chat_id: str) -> None:
        await self.engine.move_chat(platform, old_chat_id, new_chat_id)


async def test_recorded_before_the_ack_answered_after_it(engine: Engine, db_url: str) -> None:
    core = GatedCore(engine)
    async with running_slack(engine, db_url, core=core) as slack:
        try:
            assert await slack.dm("позовите человека", event_id="EvGate") == (200, "")
            event = await InboundEvent.get_or_none(platform="slack", key="event:EvGate")
            assert event is not None and event.handled_at is None  # acked, not handled yet
            assert slack.api.calls_to(*POSTS) == []
        finally:
            core.gate.set()
        [call] = await slack.posts()
    assert "№" in texts(call)[0]
    await event.refresh_from_db()
    assert event.handled_at is not None


async def test_a_failing_turn_is_apologised_for_and_the_loop_keeps_serving(
    engine: Engine, db_url: str, caplog: pytest.LogCaptureFixture
) -> None:
    core = GatedCore(engine, fail=True)
    core.gate.set()
    async with running_slack(engine, db_url, core=core) as slack:
        await slack.dm("boom")
        [apology] = await slack.posts()
        await slack.dm("vpn keeps dropping")
        [_, answer] = await slack.posts(2)
    assert texts(apology) == [PHRASES.get("en", "error")]
    assert "Slack turn failed (user=U1 chat=DU1)" in caplog.text
    assert labels(answer) == ["Helped", "Didn't help"]


async def test_socket_mode(engine: Engine) -> None:
    async with FakeSlackApi() as api:
        channel = SlackChannel(
            engine, bot_token=TOKEN, api_url=api.api_url, app_token=APP_TOKEN, error_text="sorry"
        )
        web_app = web.Application()
        channel.mount(web_app)
        assert not web_app.router.routes()  # no HTTP route in Socket Mode
        try:
            await channel.start()
            event = {
                "type": "message",
                "channel_type": "im",
                "channel": "DU1",
                "user": "U1",
                "text": "vpn keeps dropping",
                "ts": "1.1",
            }
            payload = {
                "type": "event_callback",
                "team_id": TEAM,
                "event_id": "EvS1",
                "event": event,
            }
            await api.push(
                {
                    "envelope_id": "env-1",
                    "type": "events_api",
                    "payload": payload,
                    "accepts_response_payload": False,
                    "retry_attempt": 0,
                }
            )
            [ack] = await api.wait_for("socket")
            [answer] = await api.wait_for("chat.postMessage")
        finally:
            await channel.stop()
    assert ack.args == {"envelope_id": "env-1"}
    assert labels(answer) == ["Helped", "Didn't help"]
    assert [c.method for c in api.calls][:2] == ["auth.test", "apps.connections.open"]


async def test_socket_mode_with_a_wrong_app_token_stops_the_start() -> None:
    async with FakeSlackApi() as api:
        channel = SlackChannel(
            UNUSED_CORE,
            bot_token=TOKEN,
            api_url=api.api_url,
            app_token="xapp-wrong",
            error_text="sorry",
        )
        try:
            with pytest.raises(ConfigError, match=r"SLACK_APP_TOKEN.*invalid_auth"):
                await channel.start()
        finally:
            await channel.stop()


def test_bolt_never_reads_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    for name, value in {
        "SLACK_BOT_TOKEN": "xoxb-env",
        "SLACK_SIGNING_SECRET": "env",
        "SLACK_CLIENT_ID": "1.2",
        "SLACK_CLIENT_SECRET": "env",
    }.items():
        monkeypatch.setenv(name, value)
    channel = SlackChannel(
        UNUSED_CORE,
        bot_token=TOKEN,
        api_url="http://127.0.0.1:9/api/",
        signing_secret=SECRET,
        error_text="sorry",
    )
    assert channel.app.oauth_flow is None  # Bolt would switch to OAuth on SLACK_CLIENT_*
    assert channel.app.client.token is None  # each request's token comes from auth.test's
    assert channel.identity.client.token == TOKEN
    assert channel.app.client.base_url == "http://127.0.0.1:9/api/"
    assert os.environ["SLACK_CLIENT_ID"] == "1.2"  # put back as it was


LIMITED = (429, {"ok": False, "error": "ratelimited"})


async def test_replies_slack_cannot_take_now_are_retried_once_each_in_order(
    engine: Engine, db_url: str, slack_outbox: OutboxSide
) -> None:
    clock, outbox, setup = slack_outbox  # the outbox, no desk
    async with running_slack(engine, db_url, desk=setup) as slack:
        # The client waits out the first 429 itself; the second puts the answer off.
        slack.api.script(
            "chat.postMessage", (*LIMITED, {"Retry-After": "0"}), (*LIMITED, {"Retry-After": "30"})
        )
        await slack.dm("vpn keeps dropping")
        await slack.settle()
        await slack.dm("thank you")  # queued behind the answer
        await slack.settle()
        await outbox.rounds()
        assert len(slack.api.calls_to("chat.postMessage")) == 2  # nothing went ahead of it
        slack.api.script("chat.postMessage", (500, {"ok": False, "error": "fatal_error"}, {}))
        clock.advance(timedelta(seconds=31))  # Retry-After has passed
        slack.channel.outbox.wake()
        await outbox.until_failed(3)  # the answer put off again, the thanks still behind it
        clock.advance(timedelta(seconds=16))
        slack.channel.outbox.wake()
        calls = await slack.api.wait_for("chat.postMessage", count=5)
    assert [call.response["ok"] for call in calls] == [False, False, False, True, True]
    answer, thanks = calls[3:]
    assert texts(answer)[0].startswith("*VPN does not connect*")
    assert labels(answer) == ["Helped", "Didn't help"]
    assert texts(thanks) == [PHRASES.get("en", "thanks")]
    assert len(slack.api.calls_to(*POSTS)) == 5


async def test_an_answer_the_response_url_cannot_take_now_goes_to_a_dm_later(
    engine: Engine, db_url: str, slack_outbox: OutboxSide
) -> None:
    clock, outbox, setup = slack_outbox
    async with running_slack(engine, db_url, desk=setup) as slack:
        slack.api.script("response_url", (503, "upstream connect error", {}))
        fields = {
            "command": "/helpdesk",
            "text": "vpn keeps dropping",
            "team_id": TEAM,
            "channel_id": "C7",
            "user_id": "U1",
            "trigger_id": "trig-9",
            "response_url": slack.api.response_url("cmd9"),
        }
        assert (await slack.sender.command(fields))[0] == 200
        await outbox.until_failed(1)  # put off, not dropped
        clock.advance(timedelta(seconds=16))  # the outbox's backoff has passed
        slack.channel.outbox.wake()
        [answer] = await slack.api.wait_for("chat.postMessage")
    # The response_url is gone by then: only a DM reaches the asker alone.
    assert answer.args["channel"] == "DU1"
    assert texts(answer)[0].startswith("*VPN does not connect*")
    assert labels(answer) == ["Helped", "Didn't help"]


async def test_a_reply_slack_is_slow_to_take_is_put_off_while_still_leased(
    engine: Engine, db_url: str, slack_outbox: OutboxSide
) -> None:
    """Given up when its window closes, well inside its lease: no other instance takes the
    reply while this one still waits on Slack, and it is sent (reported) once, later."""
    clock, outbox, setup = slack_outbox
    async with running_slack(engine, db_url, desk=setup) as slack:
        slack.channel.dispatcher.send_within = timedelta(seconds=2)
        slow = slack.api.hold("chat.postMessage")
        await slack.dm("vpn keeps dropping")
        await slack.api.wait_for("chat.postMessage")  # Slack has it, and takes its time
        await outbox.until_failed(1)
        row = await OutboxMessage.get(kind="reply")
        assert (row.status, row.attempts) == ("pending", 1)
        assert row.available_at > clock() + timedelta(seconds=10)  # put off, not due to others
        slow.set()
        clock.advance(timedelta(seconds=16))
        slack.channel.outbox.wake()
        await slack.api.wait_for("chat.postMessage", count=2)
    _, answer = slack.api.calls_to("chat.postMessage")
    assert texts(answer)[0].startswith("*VPN does not connect*")
    row = await OutboxMessage.get(kind="reply")
    assert (row.status, row.attempts) == ("sent", 2)
    assert outbox.message_ids == [answer.response["ts"]]  # by the outbox's sender alone


class DiesAfterTheTurn(GatedCore):
    """The engine, but the instance stops between the turn's commit and the reply's post."""

    async def handle(self, message: IncomingMessage, *, durable: bool = False) -> list[Reply]:
        await self.engine.handle(message, durable=durable)
        raise asyncio.CancelledError


async def test_a_reply_kept_by_a_cancelled_turn_is_sent_by_the_outbox(
    engine: Engine, db_url: str, slack_outbox: OutboxSide
) -> None:
    clock, _, setup = slack_outbox
    async with running_slack(engine, db_url, core=DiesAfterTheTurn(engine), desk=setup) as slack:
        await slack.dm("vpn keeps dropping")
        assert await slack.settle() == []  # the turn was cancelled before the post
        clock.advance(LEASE + timedelta(seconds=1))  # the lease runs out
        slack.channel.outbox.wake()
        [answer] = await slack.posts()
    assert (answer.method, answer.args["channel"]) == ("chat.postMessage", "DU1")
    assert texts(answer)[0].startswith("*VPN does not connect*")
    assert labels(answer) == ["Helped", "Didn't help"]
    assert slack.api.calls_to(*POSTS) == [answer]
    assert await engine.pending("slack", older_than=timedelta(0)) == []


async def test_deliveries_left_unhandled_are_answered_while_running(
    engine: Engine, db_url: str
) -> None:
    event = DM_EVENT | {"channel": "DU6", "user": "U6", "text": "позовите человека"}
    left = message_from_event({"team_id": TEAM, "event_id": "EvLeft", "event": event})
    assert left is not None
    async with running_slack(engine, db_url, recover_every=timedelta(seconds=0.1)) as slack:
        assert await slack.settle() == []  # nothing was left when it started
        assert await engine.accept(left)  # another instance recorded it, then died
        [call] = await slack.posts()
    assert call.args["channel"] == "DU6"
    assert await Ticket.all().count() == 1
    assert await engine.pending("slack", older_than=timedelta(0)) == []
