"""Files within Telegram: a user in a private chat, agents in a desk group of the same bot.

A file goes by its file_id with the method of its kind (no download, no size limit): the
user's photo reaches the card's reply chain as a photo, the agent's voice note reaches the
user as a voice note. Real python-telegram-bot against the fake Bot API, the real engine.
"""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from bot.adapters.telegram import TelegramChannel
from bot.knowledge.base import KnowledgeBase
from bot.storage.models import TranscriptMessage
from tests.fakes.outbox import SpyOutbox
from tests.fakes.telegram_api import FakeBotAPI
from tests.fakes.telegram_desk import DESK, claimed, desk_channel, desk_engine
from tests.fakes.telegram_spy import running_channel
from tests.fakes.telegram_updates import Updates
from tests.fakes.telegram_wire import visible_text

pytest_plugins = ["tests.fakes.telegram_harness"]
pytestmark = pytest.mark.usefixtures("ptb_timedelta")


@pytest.fixture
def outbox() -> SpyOutbox:
    return SpyOutbox()


@pytest.fixture
async def channel(
    api: FakeBotAPI, db_url: str, knowledge: KnowledgeBase, outbox: SpyOutbox
) -> AsyncIterator[TelegramChannel]:
    core = desk_engine(db_url, knowledge)
    config, channel = desk_channel(api, core, outbox)
    async with running_channel(core, config, channel=channel):
        yield channel


@pytest.mark.usefixtures("channel")
async def test_files_go_by_file_id_between_a_user_and_a_telegram_desk(
    api: FakeBotAPI, updates: Updates, outbox: SpyOutbox
) -> None:
    desk, bob, card = await claimed(api, updates, outbox, 601, "my vpn is broken, I want a human")
    ann = updates.user(601, "Ann", "en")

    api.add_file("AgAD1", b"jpeg bytes")
    api.push(updates.photo(ann))  # a photo alone, no caption
    [photo] = await api.wait_for("sendPhoto")
    assert (int(photo.params["chat_id"]), photo.params["photo"]) == (DESK, "AgAD1")
    assert photo.params["reply_parameters"]["message_id"] == card["message_id"]
    relays = [visible_text(m["text"]) for m in api.sent(DESK) if "text" in m]
    assert "Ann: [photo]" in relays  # who sent it: queued before the photo, so sent before

    voice = {"file_id": "VOICE1", "file_unique_id": "uv1", "duration": 3}
    voice |= {"mime_type": "audio/ogg", "file_size": 4000}
    api.add_file("VOICE1", b"ogg")
    api.push(updates.message(bob, None, chat=desk, reply_to_message=card, voice=voice))
    [sent] = await api.wait_for("sendVoice")
    assert (int(sent.params["chat_id"]), sent.params["voice"]) == (601, "VOICE1")
    assert not api.called("getFile") and not api.uploads  # nothing was downloaded
    said = await TranscriptMessage.filter(direction="agent").values_list("text", flat=True)
    assert said == ["[voice]"]
