"""The Slack channel checks its bot token with auth.test when it starts: a token Slack refuses
stops the start with SLACK_BOT_TOKEN named (never shown), as the Telegram channel's getMe does."""

from __future__ import annotations

import asyncio
import sys
from pathlib import Path
from typing import cast

import pytest

from bot.errors import ConfigError, DeliveryError
from bot.messages import Core
from tests.fakes.slack_api import SECRET, FakeSlackApi
from tests.fakes.slack_harness import http_channel
from tests.test_cli import environment

UNUSED_CORE = cast(Core, object())  # the start never gets as far as the core
WRONG = "xoxb-1-not-the-token"


@pytest.mark.parametrize("error", ["invalid_auth", "not_authed", "account_inactive"])
async def test_a_refused_token_stops_the_start_naming_the_setting(error: str) -> None:
    async with FakeSlackApi() as api:
        api.script("auth.test", (200, {"ok": False, "error": error}, {}))
        channel = http_channel(UNUSED_CORE, api)
        with pytest.raises(ConfigError, match=f"SLACK_BOT_TOKEN.*{error}") as refused:
            await channel.start()
        await channel.stop()
        assert [call.method for call in api.calls] == ["auth.test"]
    assert refused.value.__cause__ is None and refused.value.__suppress_context__


async def test_slack_out_of_reach_stops_the_start() -> None:
    async with FakeSlackApi() as api:
        channel = http_channel(UNUSED_CORE, api)
    with pytest.raises(DeliveryError, match="slack: cannot reach the Web API"):
        await channel.start()  # the fake is closed: its port refuses the connection
    await channel.stop()


async def test_helpdesk_bot_run_with_a_wrong_token_ends_with_the_setting_named(
    tmp_path: Path,
) -> None:
    async with FakeSlackApi() as api:
        env = environment(tmp_path) | {
            "HELPDESK_HTTP_PORT": "0",
            "SLACK_BOT_TOKEN": WRONG,
            "SLACK_SIGNING_SECRET": SECRET,
            "SLACK_API_URL": api.api_url,
        }
        env.pop("SLACK_APP_TOKEN", None)
        run = await asyncio.create_subprocess_exec(
            *(sys.executable, "-m", "bot", "run"),
            env=env,
            cwd=tmp_path,
            stderr=asyncio.subprocess.PIPE,
        )
        async with asyncio.timeout(60):
            _, stderr = await run.communicate()
    assert run.returncode == 2
    assert stderr.decode().endswith(
        "configuration error: SLACK_BOT_TOKEN: Slack refused the token (invalid_auth)\n"
    )
    assert WRONG not in stderr.decode()
