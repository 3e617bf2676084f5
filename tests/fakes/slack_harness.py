"""Our web server with a Slack channel in it, for the tests that drive Slack end to end.

Such tests build their channel from the composition root's Slack branch or with
`http_channel` (a spied-on core, a desk beside a Telegram channel); they share serving it and
stopping it.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any, NamedTuple

from aiohttp import web

from bot.adapters.slack import DeskSetup, SlackChannel
from bot.adapters.web import bound_port, serve
from bot.messages import Core
from bot.pacing import Limits, Pacer
from bot.phrases import load_phrases
from tests.fakes.outbox import AheadClock, SpyOutbox
from tests.fakes.slack_api import SECRET, TOKEN, FakeSlackApi, SlackSender


class OutboxSide(NamedTuple):
    """The outbox's clock, the outbox, and the channel's setup with it."""

    clock: AheadClock
    outbox: SpyOutbox
    setup: DeskSetup


def http_channel(core: Core, api: FakeSlackApi, **extra: Any) -> SlackChannel:
    """The channel on the HTTP Events API against the fake Web API, as the composition root
    builds it from SLACK_BOT_TOKEN and SLACK_SIGNING_SECRET (`extra`: its desk)."""
    return SlackChannel(
        core,
        bot_token=TOKEN,
        api_url=api.api_url,
        signing_secret=SECRET,
        error_text=load_phrases().get("en", "error"),
        apologies={language: load_phrases().get(language, "error") for language in ("ru", "en")},
        **extra,
    )


def unpaced(channel: SlackChannel) -> None:
    """The answers and the desk outbox send at once: test_slack_pacing.py tests the pacing."""
    channel.outbox.pacer = channel.dispatcher.sender.pacer = Pacer(Limits(0.0, overall=0.0))


@asynccontextmanager
async def serving(channel: SlackChannel, web_app: web.Application) -> AsyncIterator[SlackSender]:
    """`web_app` (the channel already mounted) on an ephemeral port, the channel started, and
    Slack's side signing requests to it; all stopped on the way out."""
    runner = await serve(web_app, "127.0.0.1", 0)
    await channel.start()
    sender = SlackSender(f"http://127.0.0.1:{bound_port(runner)}/slack/events")
    try:
        yield sender
    finally:
        await channel.stop()
        await sender.close()
        await runner.cleanup()
