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
from typing import Any, cast

from aiohttp import ClientError, ClientSession

from bot.adapters.slack import SlackChannel
from bot.storage.models import Handoff, OutboxMessage
from tests.conftest import ROOT, postgres_only
from tests.fakes.slack_api import SECRET as SLACK_SECRET
from tests.fakes.slack_api import TEAM as TEAM_ID
from tests.fakes.slack_api import TOKEN as SLACK_TOKEN
from tests.fakes.slack_api import FakeSlackApi, SlackSender
from tests.fakes.slack_desk import BOB, DeskSide
from tests.fakes.slack_desk import DESK as SLACK_DESK
from tests.fakes.telegram_api import TOKEN, FakeBotAPI
from tests.fakes.telegram_updates import Updates
from tests.fakes.telegram_wire import visible_text
from tests.test_cli import environment

DESK = -1001500
SECRET = "deploy-secret_1"
TEAM = """
default_team = "it"

[[teams]]
name = "it"
desk = "{desk}"
agents = ["{agent}"]
"""


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@asynccontextmanager
async def _instances(
    db_url: str, api: FakeBotAPI, tmp_path: Path, team: str, **more: str
) -> AsyncIterator[list[str]]:
    """Two instances of `helpdesk-bot run` on `db_url`, each on its own port, with Telegram in
    webhook mode, the `team`'s TOML and `more` settings; yields their base URLs once each
    answers /healthz. On leaving, SIGTERM: each must end with 0 and log no traceback."""
    (tmp_path / "helpdesk.toml").write_text(team, "utf-8")
    env = (
        more
        | environment(tmp_path)
        | {
            "HELPDESK_DATABASE_URL": db_url,
            "HELPDESK_CONFIG": str(tmp_path / "helpdesk.toml"),
            "HELPDESK_DEFAULT_LANGUAGE": "en",
            "TELEGRAM_BOT_TOKEN": TOKEN,
            "TELEGRAM_API_BASE_URL": api.base_url,
            "TELEGRAM_MODE": "webhook",
            "TELEGRAM_WEBHOOK_URL": "https://helpdesk.example.com/telegram/hook",
            "TELEGRAM_WEBHOOK_SECRET": SECRET,
        }
    )
    runs: list[tuple[Process, Path]] = []
    servers = []
    try:
        for number in range(2):
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
    team = TEAM.format(desk=f"telegram:{DESK}", agent="telegram:42")
    async with FakeBotAPI() as api, _instances(db_url, api, tmp_path, team) as (one, two):
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
        # The card's edit is in no chat's order (cards.py): it may come after the rating,
        # or before the desk's line on the close.
        await api.until(lambda: "Closed by Bob" in _texts(api, DESK)[0])
        await _arrives(api, DESK, "Request #1 closed by Bob")

        user, desk_texts = _texts(api, 601), _texts(api, DESK)
        assert user.count("Bob: Restart FortiClient") == 1 and len(user) == 6, user
        assert desk_texts[1:] == [
            "Request #1 is taken by Bob.",
            "Ann: it says error 809",
            "Request #1 closed by Bob.",
        ]
        assert desk_texts[0].startswith("Request #1 from Ann") and "Closed by Bob" in desk_texts[0]
        handoff = await Handoff.get()
        assert (handoff.status, handoff.rating) == ("closed", 5)


@postgres_only
async def test_a_telegram_user_served_from_a_slack_desk_across_instances(
    db_url: str, tmp_path: Path
) -> None:
    """Slack over the Events API on both instances too, its desk serving a Telegram user; a
    Slack retry of the agent's reply, to the other instance, is relayed once."""
    team = TEAM.format(desk=f"slack:{SLACK_DESK}", agent=f"slack:{BOB}")
    async with FakeBotAPI() as api, FakeSlackApi() as slack:
        slack_env = {"SLACK_BOT_TOKEN": SLACK_TOKEN, "SLACK_SIGNING_SECRET": SLACK_SECRET}
        slack_env["SLACK_API_URL"] = slack.api_url
        async with _instances(db_url, api, tmp_path, team, **slack_env) as (one, two):
            desks = [
                DeskSide(slack, SlackSender(f"{server}/slack/events"), cast(SlackChannel, None))
                for server in (one, two)
            ]
            try:
                await _slack_desk_serves(api, Updates(api), (one, two), desks)
            finally:
                for desk in desks:
                    await desk.sender.close()


async def _slack_desk_serves(
    api: FakeBotAPI, updates: Updates, servers: tuple[str, str], desks: list[DeskSide]
) -> None:
    (one, two), ann = servers, updates.user(601, "Ann", "en")
    await _post(api, one, updates.message(ann, "my vpn is broken, I want a human"))
    await _arrives(api, 601, "number 1 in the queue")
    card = await desks[0].card()
    assert "Ann" in card.text and "telegram" in card.text
    thread = str(card.response["ts"])
    await desks[1].claim(card, user=BOB)
    await _arrives(api, 601, f"{BOB} from IT has joined the chat")

    reply = f"1699999997.{desks[0].sender.next_id()}"
    event = {"type": "message", "channel_type": "channel", "channel": SLACK_DESK, "user": BOB}
    event |= {"text": "Restart FortiClient", "ts": reply, "thread_ts": thread, "team": TEAM_ID}
    assert (await desks[0].sender.event(event, event_id="EvReply"))[0] == 200
    assert (await desks[1].sender.event(event, event_id="EvReply", retry=1))[0] == 200
    await _arrives(api, 601, "Restart FortiClient")
    await _post(api, two, updates.message(ann, "it says error 809"))
    await desks[0].in_thread_saying(thread, "error 809")
    await desks[1].in_thread(thread, "!close")
    await _arrives(api, 601, f"{BOB} has closed the chat")
    assert _texts(api, 601).count(f"{BOB}: Restart FortiClient") == 1, _texts(api, 601)
    assert (await Handoff.get()).status == "closed"
