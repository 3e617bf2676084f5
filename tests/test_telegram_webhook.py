"""The Telegram channel in webhook mode, on our own aiohttp server, against the fake Bot API."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from pydantic import SecretStr

from bot import channels
from bot.adapters.telegram import TelegramChannel
from bot.adapters.web import bound_port, create_web_app, serve
from bot.config import Settings
from bot.engine import Engine
from bot.storage.models import InboundEvent
from tests.fakes.telegram_api import FakeBotAPI
from tests.fakes.telegram_spy import SpyCore, config_for, running_channel
from tests.fakes.telegram_updates import Updates

URL = "https://helpdesk.example.com/hooks/telegram"
SECRET = "s3cret-Token_42"

# The fake Bot API, the spied-on engine and the update builders as fixtures.
pytest_plugins = ["tests.fakes.telegram_harness"]
pytestmark = pytest.mark.usefixtures("ptb_timedelta")


@pytest.fixture
async def server(api: FakeBotAPI, core: SpyCore) -> AsyncIterator[str]:
    """Our web server with the webhook mounted, the channel started; its base URL."""
    config = config_for(api, mode="webhook", webhook_url=URL, webhook_secret=SECRET)
    channel = TelegramChannel(core, config)
    web_app = create_web_app(core.handle)
    channel.mount(web_app)
    runner = await serve(web_app, "127.0.0.1", 0)
    try:
        async with running_channel(core, config, channel=channel):
            yield f"http://127.0.0.1:{bound_port(runner)}"
    finally:
        await runner.cleanup()


async def test_the_right_secret_is_answered(api: FakeBotAPI, updates: Updates, server: str) -> None:
    [registered] = api.called("setWebhook")
    assert registered.params["url"] == URL
    assert registered.params["secret_token"] == SECRET
    assert "callback_query" in registered.params["allowed_updates"]
    status = await api.post_webhook(
        server, updates.message(updates.user(601), "впн не подключается")
    )
    assert status == 200
    await api.wait_for("sendMessage")
    assert api.sent(601)[0]["text"].startswith("<b>Не подключается VPN</b>")
    assert not api.called("getUpdates", None)


@pytest.mark.parametrize("secret", [None, "wrong", SECRET + "x", SECRET[:-1]])
async def test_a_missing_or_wrong_secret_is_refused(
    api: FakeBotAPI, updates: Updates, core: SpyCore, server: str, secret: str | None
) -> None:
    update = updates.message(updates.user(602), "впн не подключается")
    assert await api.post_webhook(server, update, secret=secret) == 403
    assert core.calls == []
    assert await InboundEvent.all().count() == 0


async def test_a_redelivered_update_is_handled_once(
    api: FakeBotAPI, updates: Updates, core: SpyCore, server: str
) -> None:
    anna = updates.user(603)
    update = updates.message(anna, "впн не подключается")
    assert await api.post_webhook(server, update) == 200
    assert await api.post_webhook(server, update) == 200  # our 200 was lost on the way
    assert await api.post_webhook(server, updates.message(anna, "спасибо")) == 200
    await api.wait_for("sendMessage", 2)
    assert [fresh for _, fresh in core.called("accept")] == [True, False, True]
    assert len(core.called("handle")) == 2
    assert await InboundEvent.all().count() == 2


def test_the_composition_root_mounts_the_webhook(engine: Engine, tmp_path: Path) -> None:
    settings = Settings(
        telegram_bot_token=SecretStr("1:abc"),
        telegram_mode="webhook",
        telegram_webhook_url=URL,
        telegram_webhook_secret=SecretStr(SECRET),
    )
    web_app = create_web_app(engine.handle)
    [channel] = channels.build_channels(settings, engine, web_app, None)
    assert isinstance(channel, TelegramChannel)
    assert "1:abc" not in repr(channel.config)
    paths = {
        r.resource.canonical for r in web_app.router.routes() if r.resource and r.method == "POST"
    }
    assert "/hooks/telegram" in paths
