"""A Slack channel as the agents' desk (channel `DESK`, Bob its agent), for the tests that
drive one end to end: the composition root's Slack branch with teams, the real engine and
slack-bolt stack, the fake Web API (`slack_api.py`), and what the tests wait for on it."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bot.adapters.slack import SlackChannel
from bot.adapters.web import create_web_app
from bot.app import build_engine, build_queue
from bot.channels import build_channels
from bot.config import Settings, TeamSettings
from bot.knowledge.base import KnowledgeBase
from tests.fakes.slack_api import (
    BOT_USER,
    SECRET,
    TEAM,
    TOKEN,
    Call,
    FakeSlackApi,
    SlackSender,
)
from tests.fakes.slack_harness import serving, unpaced
from tests.fakes.slack_payloads import block_actions

__all__ = [
    "BOB",
    "DESK",
    "EVE",
    "USER",
    "DeskSide",
    "claimed_thread",
    "posted_in",
    "running_desk",
    "team_settings",
    "updated_with",
]

KB_DIR = Path(__file__).resolve().parents[2] / "kb"
DESK = "C0DESK"
BOB = "U0BOB"  # an agent of the "it" team
EVE = "U0EVE"  # not an agent
USER = "U1"


def team_settings(desk: str = f"slack:{DESK}") -> tuple[TeamSettings, ...]:
    """The "it" team, Bob its agent, at `desk`."""
    return (TeamSettings(name="it", desk=desk, agents=(f"slack:{BOB}",)),)


@dataclass
class DeskSide:
    """The bot with a Slack desk in channel `DESK`, the fake Web API and Slack's side."""

    api: FakeSlackApi
    sender: SlackSender
    channel: SlackChannel

    async def dm(self, text: str, *, user: str = USER, **fields: Any) -> str:
        """A DM from `user` (`fields` adds to the event: the `blocks` a client attaches): the
        message's ts."""
        ts = f"1699999999.{self.sender.next_id()}"
        event = {"type": "message", "channel_type": "im", "channel": f"D{user}", "user": user}
        event |= {"text": text, "ts": ts, "team": TEAM} | fields
        status, _ = await self.sender.event(event)
        assert status == 200
        return ts

    async def mention(self, text: str, *, user: str = USER, channel: str = "C0GEN") -> str:
        """`user` mentions the bot at the top of `channel`, which others read: the message's
        ts (the thread the bot answers in)."""
        ts = f"1699999995.{self.sender.next_id()}"
        event = {"type": "app_mention", "channel": channel, "user": user, "ts": ts}
        status, _ = await self.sender.event(event | {"text": f"<@{BOT_USER}> {text}", "team": TEAM})
        assert status == 200
        return ts

    async def in_thread(
        self,
        thread: str,
        text: str,
        *,
        user: str = BOB,
        blocks: list[dict[str, Any]] | None = None,
        **options: Any,
    ) -> str:
        """`user` writes `text` in the thread of card `thread`: the message's ts."""
        ts = f"1699999997.{self.sender.next_id()}"
        event = {"type": "message", "channel_type": "channel", "channel": DESK, "user": user}
        event |= {"text": text, "ts": ts, "thread_ts": thread, "team": TEAM}
        event |= {"blocks": blocks} if blocks is not None else {}
        status, _ = await self.sender.event(event, **options)
        assert status == 200
        return ts

    async def at_top(self, text: str, *, user: str = BOB) -> None:
        ts = f"1699999996.{self.sender.next_id()}"
        event = {"type": "message", "channel_type": "channel", "channel": DESK, "user": user}
        status, _ = await self.sender.event({**event, "text": text, "ts": ts, "team": TEAM})
        assert status == 200

    async def command(self, text: str, *, user: str = USER, channel: str = "C0GEN") -> None:
        """`/helpdesk <text>` in a channel: the answers are visible to the user only."""
        fields = {"command": "/helpdesk", "text": text, "team_id": TEAM, "channel_id": channel}
        fields |= {"user_id": user, "user_name": "ann", "trigger_id": f"tr{self.sender.next_id()}"}
        fields["response_url"] = self.api.response_url(f"cmd{self.sender.next_id()}")
        status, _ = await self.sender.command(fields)
        assert status == 200

    async def claim(self, card: Call, *, user: str) -> None:
        [button] = card.buttons()
        [block] = [b for b in card.args["blocks"] if b.get("type") == "actions"]
        status, _ = await self.sender.interaction(block_actions(card, button, block, user=user))
        assert status == 200

    async def card(self) -> Call:
        return await self.api.wait_until(lambda c: posted_in(c, DESK) and bool(c.buttons()))

    async def dm_saying(self, words: str, *, user: str = USER) -> Call:
        return await self.api.wait_until(lambda c: posted_in(c, f"D{user}") and words in c.text)

    async def in_thread_saying(self, thread: str, words: str) -> Call:
        def found(call: Call) -> bool:
            return (
                posted_in(call, DESK)
                and call.args.get("thread_ts") == thread
                and words in call.text
            )

        return await self.api.wait_until(found)

    async def told(self, user: str, words: str) -> Call:
        return await self.api.wait_until(lambda call: _private(call, user, words))

    def told_so_far(self, user: str, words: str) -> list[Call]:
        """What `user` was told privately with `words` in it (after `channel.join()`: all)."""
        return [call for call in self.api.calls if _private(call, user, words)]


def _private(call: Call, user: str, words: str) -> bool:
    private = call.method == "chat.postEphemeral" and call.args.get("user") == user
    return private and words in call.text


def posted_in(call: Call, channel: str) -> bool:
    """Whether `call` is a message Slack took in `channel`."""
    ok = isinstance(call.response, dict) and call.response.get("ok")
    return call.method == "chat.postMessage" and call.args.get("channel") == channel and bool(ok)


def updated_with(call: Call, words: str) -> bool:
    """Whether `call` is a message edit with `words` in it that Slack took."""
    ok = isinstance(call.response, dict) and call.response.get("ok")
    return call.method == "chat.update" and words in call.text and bool(ok)


@asynccontextmanager
async def running_desk(
    db_url: str, knowledge: KnowledgeBase, teams: tuple[TeamSettings, ...]
) -> AsyncIterator[DeskSide]:
    """The composition root's Slack branch with `teams`, served against a fake Slack."""
    async with FakeSlackApi() as api:
        settings = Settings(
            database_url=db_url,
            kb_dir=KB_DIR,
            default_language="en",
            slack_bot_token=TOKEN,
            slack_signing_secret=SECRET,
            slack_api_url=api.api_url,
            teams=teams,
        )
        engine = build_engine(settings, knowledge)
        web_app = create_web_app(engine.handle)
        queue = build_queue(settings, engine.dialog.phrases)
        [channel] = build_channels(settings, engine, web_app, queue)
        assert isinstance(channel, SlackChannel)
        unpaced(channel)
        async with serving(channel, web_app) as sender:
            yield DeskSide(api, sender, channel)


async def claimed_thread(desk: DeskSide) -> str:
    """A user asks for a person and Bob claims the card: the card's ts (its thread)."""
    await desk.dm("I want to talk to a human")
    card = await desk.card()
    await desk.claim(card, user=BOB)
    await desk.dm_saying("has joined the chat")
    thread = str(card.response["ts"])
    await desk.in_thread_saying(thread, "taken by")
    return thread
