"""The log of `helpdesk-bot run`, as the admin reads it: at HELPDESK_LOG_LEVEL=DEBUG the
libraries log what they send and receive (PTB the Bot API's URL, setWebhook's parameters,
every update), and none of it may show a setting's secret or a password a user pasted."""

from __future__ import annotations

import asyncio
import signal
import sys
from pathlib import Path

from tests.fakes.telegram_api import TOKEN, FakeBotAPI
from tests.fakes.telegram_updates import Updates
from tests.test_cli import environment
from tests.test_deployment import _free_port, _healthy

WEBHOOK_SECRET = "log-probe-secret_7"
AGENT_PASSWORD = "desk-password-31"
PASSWORD = "Zx12345qq"


async def test_a_debug_log_shows_no_token_secret_or_pasted_password(tmp_path: Path) -> None:
    """PTB logged the token ("Set Bot API URL: …/bot123456:…"), setWebhook's secret_token and
    each update as received, with the password the user pasted, at DEBUG."""
    port, log = _free_port(), tmp_path / "bot.log"
    async with FakeBotAPI() as api:
        env = environment(tmp_path) | {
            "HELPDESK_LOG_LEVEL": "DEBUG",
            "HELPDESK_HTTP_PORT": str(port),
            "HELPDESK_AGENT_PASSWORD": AGENT_PASSWORD,
            "HELPDESK_DEFAULT_LANGUAGE": "en",
            "TELEGRAM_BOT_TOKEN": TOKEN,
            "TELEGRAM_API_BASE_URL": api.base_url,
            "TELEGRAM_MODE": "webhook",
            "TELEGRAM_WEBHOOK_URL": "https://helpdesk.example.com/telegram",
            "TELEGRAM_WEBHOOK_SECRET": WEBHOOK_SECRET,
        }
        with log.open("wb") as out:
            bot = await asyncio.create_subprocess_exec(
                *(sys.executable, "-m", "bot", "run"), env=env, cwd=tmp_path, stderr=out
            )
        try:
            server = f"http://127.0.0.1:{port}"
            await asyncio.wait_for(_healthy(server), 90)
            updates = Updates(api)
            anna = updates.user(7, "Anna", "en")
            message = updates.message(anna, f"vpn is down, my password is {PASSWORD}")
            assert await api.post_webhook(server, message) == 200
            await api.until(lambda: api.sent(7))
        finally:
            bot.send_signal(signal.SIGTERM)
            assert await asyncio.wait_for(bot.wait(), 60) == 0
    text = log.read_text("utf-8")
    for secret in (TOKEN, TOKEN.partition(":")[2], WEBHOOK_SECRET, AGENT_PASSWORD, PASSWORD):
        assert secret not in text, [line for line in text.splitlines() if secret in line]
    assert "Processing update" in text and "<TELEGRAM_BOT_TOKEN>" in text  # the lines stay
