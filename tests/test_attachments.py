"""Files between users and agents, end to end: the real python-telegram-bot and slack-bolt
stacks on one engine, against the fake Bot API and the fake Slack Web API.

A Telegram user's photo reaches a Slack desk thread as an upload; a Slack agent's file
reaches the Telegram user as a document; within Telegram a file goes by its file_id; a file
over the bots' limits becomes a line naming it. Every wait is on calls a fake recorded.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

import pytest

from bot.adapters.web import create_web_app
from bot.app import build_engine
from bot.config import Settings
from bot.files import FileSources
from bot.handoff import DbOutbox, Desk
from bot.knowledge.base import KnowledgeBase
from bot.storage.models import OutboxMessage
from tests.fakes.slack_api import TEAM, FakeSlackApi
from tests.fakes.slack_desk import (
    BOB,
    DESK,
    USER,
    DeskSide,
    claimed_thread,
    running_desk,
    team_settings,
)
from tests.fakes.slack_harness import serving
from tests.fakes.telegram_api import FakeBotAPI, too_many_requests
from tests.fakes.telegram_spy import SpyCore, config_for, running_channel, unpaced_channel
from tests.fakes.telegram_updates import Updates
from tests.fakes.telegram_wire import visible_text
from tests.test_cross_platform import EVERY, PHRASES, QUEUE, arrives, desk_channel

pytest_plugins = ["tests.fakes.telegram_harness"]
pytestmark = pytest.mark.usefixtures("ptb_timedelta")
PNG = b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 40
MB = 1024 * 1024


@dataclass
class Both:
    """The Slack desk side, and the Telegram user side's fake Bot API and update builder."""

    slack: DeskSide
    api: FakeBotAPI
    updates: Updates


@pytest.fixture
async def both(
    db_url: str, knowledge: KnowledgeBase, api: FakeBotAPI, updates: Updates
) -> AsyncIterator[Both]:
    """Both channels on one engine, sharing their file sources as the composition root
    wires them (`bot/app.py`)."""
    engine = build_engine(
        Settings(database_url=db_url, default_language="en"), knowledge, queue=QUEUE
    )
    files = FileSources()
    async with FakeSlackApi() as slack_api:
        slack = desk_channel(engine, slack_api, files=files)
        config = config_for(api, outbox_every=EVERY)
        telegram = unpaced_channel(engine, config, desk=Desk(QUEUE), outbox=DbOutbox(), files=files)
        files.add("slack", slack.files)
        files.add("telegram", telegram.files)
        web_app = create_web_app(engine.handle)
        slack.mount(web_app)
        async with (
            serving(slack, web_app) as sender,
            running_channel(SpyCore(engine), config, channel=telegram),
        ):
            yield Both(DeskSide(slack_api, sender, slack), api, updates)


async def claimed(both: Both) -> tuple[dict[str, Any], str]:
    """Ann (Telegram) asks for a person, Bob claims in Slack: Ann, and the card's thread."""
    ann = both.updates.user(601, "Ann", "en")
    both.api.push(both.updates.message(ann, "my vpn is broken, I want a human"))
    card = await both.slack.card()
    await both.slack.claim(card, user=BOB)
    await arrives(both.api, 601, f"{BOB} from IT has joined the chat")
    thread = str(card.response["ts"])
    await both.slack.in_thread_saying(thread, f"taken by {BOB}")
    return ann, thread


async def test_a_telegram_photo_reaches_the_slack_thread(both: Both) -> None:
    ann, thread = await claimed(both)
    both.api.add_file("AgAD1", PNG)
    both.api.push(both.updates.photo(ann, caption="this error"))

    await both.slack.in_thread_saying(thread, "this error [photo]")
    await both.slack.api.wait_for("files.completeUploadExternal")
    [upload] = both.slack.api.uploads
    assert upload == {"name": "photo.jpg", "data": PNG, "channel": DESK, "thread": thread}
    [fetched] = both.api.called("getFile")
    assert fetched.params["file_id"] == "AgAD1"  # the largest size of the photo


async def test_a_slack_agents_file_reaches_the_telegram_user_as_a_document(both: Both) -> None:
    _, thread = await claimed(both)
    report = both.slack.api.add_file("report.pdf", b"%PDF-1.4 report", "application/pdf")
    event = {"type": "message", "subtype": "file_share", "channel_type": "channel"}
    event |= {"channel": DESK, "user": BOB, "text": "", "ts": "1699999990.000100"}
    event |= {"thread_ts": thread, "team": TEAM, "files": [report]}
    status, _ = await both.slack.sender.event(event)
    assert status == 200

    [sent] = await both.api.wait_for("sendDocument")
    assert int(sent.params["chat_id"]) == 601
    assert list(both.api.uploads.values()) == [("report.pdf", b"%PDF-1.4 report")]
    [download] = both.slack.api.calls_to("download")
    assert download.args == {"file": report["id"]}
    document = [m for m in both.api.sent(601) if "document" in m]
    assert document[0]["document"]["file_name"] == "report.pdf"


async def test_a_429_on_an_upload_puts_the_file_off_and_it_goes_once(both: Both) -> None:
    _, thread = await claimed(both)
    both.api.fail_next("sendDocument", too_many_requests(1))
    log = both.slack.api.add_file("vpn.log", b"error 809", "text/plain")
    event = {"type": "message", "subtype": "file_share", "channel_type": "channel"}
    event |= {"channel": DESK, "user": BOB, "text": "look", "ts": "1699999990.000200"}
    status, _ = await both.slack.sender.event(
        event | {"thread_ts": thread, "team": TEAM, "files": [log]}
    )
    assert status == 200

    await both.api.wait_for("sendDocument")  # the second try, after retry_after
    assert [c.status for c in both.api.called("sendDocument", status=None)] == [429, 200]
    assert list(both.api.uploads.values()) == [("vpn.log", b"error 809")]
    texts = [visible_text(m["text"]) for m in both.api.sent(601) if "text" in m]
    assert f"{BOB}: look" in texts  # the words went at once, before the file's first try


async def test_a_file_over_the_limits_becomes_a_line_naming_it(both: Both) -> None:
    ann, thread = await claimed(both)
    big = {"file_id": "BIG1", "file_unique_id": "ub1", "file_name": "dump.zip"}
    big |= {"mime_type": "application/zip", "file_size": 30 * MB}
    both.api.add_file("BIG1", b"PK", size=30 * MB)
    both.api.push(both.updates.message(ann, None, document=big))
    line = PHRASES.get("en", "file_not_passed", name="dump.zip")
    await both.slack.in_thread_saying(thread, line[:40])
    assert not both.api.called("getFile")  # its size said it all

    quiet = big | {"file_id": "BIG2", "file_name": "trace.log"}  # no size: Telegram refuses
    del quiet["file_size"]
    both.api.add_file("BIG2", b"log", size=25 * MB)
    both.api.push(both.updates.message(ann, None, document=quiet))
    await both.slack.in_thread_saying(thread, "trace.log: this file could not be passed on")
    [refused] = both.api.called("getFile", status=400)
    assert refused.params["file_id"] == "BIG2"
    assert not both.slack.api.uploads
    rows = await OutboxMessage.filter(attachment__isnull=False).order_by("id")
    assert [(r.attachment or {}).get("name") for r in rows] == ["dump.zip", "trace.log"]


async def test_a_slack_users_file_reaches_the_slack_desk_thread(
    db_url: str, knowledge: KnowledgeBase
) -> None:
    """Slack to Slack, wired by the composition root: fetched with the token, uploaded."""
    async with running_desk(db_url, knowledge, team_settings()) as desk:
        thread = await claimed_thread(desk)
        shot = desk.api.add_file("screen.png", PNG, "image/png")
        event = {"type": "message", "subtype": "file_share", "channel_type": "im"}
        event |= {"channel": f"D{USER}", "user": USER, "text": "see", "team": TEAM}
        status, _ = await desk.sender.event(event | {"ts": "1699999991.000100", "files": [shot]})
        assert status == 200
        await desk.in_thread_saying(thread, "see [photo: screen.png]")
        await desk.api.wait_for("files.completeUploadExternal")
        assert desk.api.uploads == [
            {"name": "screen.png", "data": PNG, "channel": DESK, "thread": thread}
        ]
