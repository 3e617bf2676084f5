"""The bot as it is deployed for several offices: two `helpdesk-bot run` processes on one
PostgreSQL database, Telegram in webhook mode behind a load balancer (the test posts each
update to one instance or the other, as a balancer would), the agents' desk a Telegram group.
A conversation whose updates land on either instance goes as it does on one: self-help, a
handoff, a claim, replies both ways (a redelivered one relayed once), a close and a rating;
then both instances stop cleanly on SIGTERM."""

from __future__ import annotations

import asyncio
import signal
import socket
import sys
from asyncio.subprocess import Process
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from aiohttp import ClientError, ClientSession

from bot.storage.models import Handoff, OutboxMessage
from tests.conftest import ROOT, postgres_only
from tests.fakes.telegram_api import TOKEN, FakeBotAPI
from tests.fakes.telegram_updates import Updates
from tests.fakes.telegram_wire import visible_text
from tests.test_cli import environment

DESK = -1001500
SECRET = "deploy-secret_1"
CONFIG = f"""
default_team = "it"

[[teams]]
name = "it"
desk = "telegram:{DESK}"
agents = ["telegram:42"]
"""


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@asynccontextmanager
async def _instances(
    db_url: str, api: FakeBotAPI, tmp_path: Path, count: int
) -> AsyncIterator[list[str]]:
    """`count` instances of `helpdesk-bot run` on `db_url`, each on its own port; yields their
    base URLs once each answers /healthz. On leaving, SIGTERM: each must end with 0 and log no
    traceback."""
    (tmp_path / "helpdesk.toml").write_text(CONFIG, "utf-8")
    env = environment(tmp_path) | {
        "HELPDESK_DATABASE_URL": db_url,
        "HELPDESK_CONFIG": str(tmp_path / "helpdesk.toml"),
        "HELPDESK_DEFAULT_LANGUAGE": "en",
        "TELEGRAM_BOT_TOKEN": TOKEN,
        "TELEGRAM_API_BASE_URL": api.base_url,
        "TELEGRAM_MODE": "webhook",
        "TELEGRAM_WEBHOOK_URL": "https://helpdesk.example.com/telegram/hook",
        "TELEGRAM_WEBHOOK_SECRET": SECRET,
    }
    runs: list[tuple[Process, Path]] = []
    servers = []
    try:
        for number in range(count):
            port, log = _free_port(), tmp_path / f"instance{number}.log"
            with log.open("wb") as out:
                process = await asyncio.create_subprocess_exec(
                    *(sys.executable, "-m", "bot", "run"),
                    env=env | {"HELPDESK_HTTP_PORT": str(port)},
                    cwd=ROOT,
                    stdout=out,
                    stderr=out,
                )
            runs.append((process, log))
            servers.append(f"http://127.0.0.1:{port}")
        await asyncio.wait_for(asyncio.gather(*map(_healthy, servers)), 90)
        yield servers
    finally:
        for process, _ in runs:
            if process.returncode is None:
                process.send_signal(signal.SIGTERM)
        for process, log in runs:
            code = await asyncio.wait_for(process.wait(), 30)
            text = log.read_text("utf-8", "replace")
            assert code == 0 and "Traceback" not in text, text[-3000:]


async def _healthy(server: str) -> None:
    async with ClientSession() as session:
        while True:
            try:
                async with session.get(f"{server}/healthz") as response:
                    if response.status == 200:
                        return
            except ClientError:
                pass
            await asyncio.sleep(0.2)


def _texts(api: FakeBotAPI, chat: int) -> list[str]:
    return [visible_text(m["text"]) for m in api.sent(chat)]


async def _arrives(api: FakeBotAPI, chat: int, words: str) -> dict[str, Any]:
    await api.until(lambda: any(words in t for t in _texts(api, chat)))
    return next(m for m in api.sent(chat) if words in visible_text(m["text"]))


async def _card_sent() -> None:
    """Until the card's message id is recorded: the agent's replies to it then find the chat."""
    async with asyncio.timeout(10):  # another process writes it: polled
        while not await OutboxMessage.filter(kind="card", status="sent").exists():  # noqa: ASYNC110
            await asyncio.sleep(0.1)


async def _post(api: FakeBotAPI, server: str, update: dict[str, Any]) -> None:
    assert await api.post_webhook(server, update) == 200


@postgres_only
async def test_two_instances_serve_one_conversation(db_url: str, tmp_path: Path) -> None:
    async with FakeBotAPI() as api, _instances(db_url, api, tmp_path, 2) as (one, two):
        assert api.webhook["secret_token"] == SECRET and len(api.called("setWebhook")) == 2
        updates = Updates(api)
        ann, bob = updates.user(601, "Ann", "en"), updates.user(42, "Bob", "en")
        desk = updates.group(DESK, "IT desk", kind="supergroup")
        assert await api.post_webhook(one, updates.message(ann, "vpn"), secret="wrong") == 403

        await _post(api, one, updates.message(ann, "my vpn does not connect"))
        answer = await _arrives(api, 601, "VPN")
        await _post(api, two, updates.press(ann, answer, "Didn't help"))
        card = await _arrives(api, DESK, "Ann")
        await _post(api, one, updates.press(bob, card, "Claim"))
        await _arrives(api, 601, "has joined the chat")

        await _card_sent()
        reply = updates.message(bob, "Restart FortiClient", chat=desk, reply_to_message=card)
        await _post(api, two, reply)
        await _post(api, one, reply)  # the balancer retried it on the other instance
        await _arrives(api, 601, "Restart FortiClient")
        await _post(api, one, updates.message(ann, "it says error 809"))
        await _arrives(api, DESK, "error 809")

        close = updates.message(bob, "/close", chat=desk, reply_to_message=card)
        await _post(api, two, close)
        bye = await _arrives(api, 601, "has closed the chat")
        await _post(api, one, updates.press(ann, bye, "5"))
        await _arrives(api, 601, "Thank you for the rating")

        user, desk_texts = _texts(api, 601), _texts(api, DESK)
        assert user.count("42: Restart FortiClient") == 1 and len(user) == 6, user
        assert desk_texts[1:] == [
            "Request #1 is taken by 42.",
            "Ann: it says error 809",
            "Request #1 closed by 42.",
        ]
        assert desk_texts[0].startswith("Request #1 from Ann") and "Closed by 42" in desk_texts[0]
        handoff = await Handoff.get()
        assert (handoff.status, handoff.rating) == ("closed", 5)
