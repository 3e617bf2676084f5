"""The Telegram channel end to end: real python-telegram-bot, fake Bot API, real engine.

Polling mode here; failures in test_telegram_delivery.py, the webhook in
test_telegram_webhook.py. Every test waits on calls the
fake recorded, never on time.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

import pytest

from bot.adapters.telegram import TelegramChannel
from bot.app import build_engine
from bot.config import Settings
from bot.errors import ConfigError
from bot.pacing import TELEGRAM, Pacer
from bot.phrases import load_phrases
from bot.storage.models import Conversation, Feedback, InboundEvent, Ticket
from tests.fakes.fake_time import FakeTime
from tests.fakes.telegram_api import FakeBotAPI, error
from tests.fakes.telegram_spy import SpyCore, config_for, running_channel
from tests.fakes.telegram_updates import Updates
from tests.fakes.telegram_wire import visible_text
from tests.long_answers import long_guide_kb

UNTITLED_RU = "(без темы: просили специалиста)"  # a bare request's subject

# The fake Bot API, the spied-on engine and the update builders as fixtures.
pytest_plugins = ["tests.fakes.telegram_harness"]
pytestmark = pytest.mark.usefixtures("ptb_timedelta")
PHRASES = load_phrases()


def buttons(message: dict[str, Any]) -> list[list[str]]:
    return [[b["text"] for b in row] for row in message["reply_markup"]["inline_keyboard"]]


@pytest.mark.usefixtures("polling")
async def test_private_question_gets_an_answer_with_buttons(
    api: FakeBotAPI, updates: Updates, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    anna = updates.user(501)
    update = updates.message(anna, "впн не подключается")
    api.push(update)
    [call] = await api.wait_for("sendMessage")
    assert call.params["chat_id"] == 501
    assert call.params["parse_mode"] == "HTML"
    [answer] = api.sent(501)
    assert answer["text"].startswith("<b>Не подключается VPN</b>")
    assert buttons(answer) == [["Помогло", "Не помогло"]]
    for row in answer["reply_markup"]["inline_keyboard"]:
        assert all(1 <= len(b["callback_data"].encode()) <= 64 for b in row)
    event = await InboundEvent.get()
    assert (event.platform, event.key) == ("telegram", f"123456:{update['update_id']}")
    assert event.handled_at is not None
    await api.until(lambda: api.confirmed > update["update_id"])  # the next poll confirms it
    assert api.token not in caplog.text


@pytest.mark.usefixtures("polling")
async def test_pressing_helped_answers_removes_the_buttons_and_stores_feedback(
    api: FakeBotAPI, updates: Updates
) -> None:
    anna = updates.user(502)
    api.push(updates.message(anna, "впн не подключается"))
    await api.wait_for("sendMessage")
    [answer] = api.sent(502)
    press = updates.press(anna, answer, "Помогло")
    api.push(press)
    await api.wait_for("sendMessage", 2)
    [answered] = api.called("answerCallbackQuery")
    assert answered.params["callback_query_id"] == press["callback_query"]["id"]
    [edit] = api.called("editMessageReplyMarkup")
    assert (edit.params["chat_id"], edit.params["message_id"]) == (502, answer["message_id"])
    assert api.calls.index(answered) < api.calls.index(edit) < len(api.calls)
    first, second = api.sent(502)
    assert "reply_markup" not in first  # it cannot be pressed twice
    assert second["text"] == PHRASES.get("ru", "helped")
    feedback = await Feedback.get()
    assert (feedback.article_id, feedback.helpful) == ("vpn-connect", True)


@pytest.mark.usefixtures("polling")
async def test_a_group_question_with_a_mention_gets_did_you_mean(
    api: FakeBotAPI, updates: Updates
) -> None:
    group = updates.group(-4001)
    boris = updates.user(503, "Boris", "en")
    chatter = updates.message(boris, "password", chat=group)  # not for the bot: not read
    api.push(chatter)
    api.push(updates.message(boris, "@helpdesk_bot password", chat=group))
    await api.wait_for("sendMessage")
    [suggestion] = api.sent(-4001)
    assert suggestion["text"] == PHRASES.get("en", "did_you_mean")
    rows = buttons(suggestion)
    assert 2 <= len(rows) <= 4 and all(len(row) == 1 for row in rows)
    assert rows[-1] == ["None of these"]
    keys = [e.key for e in await InboundEvent.all()]
    assert keys == [f"123456:{chatter['update_id'] + 1}"]
    conversation = await Conversation.get().prefetch_related("user")
    assert (conversation.chat_id, conversation.user.external_id) == ("-4001", "503")


@pytest.mark.usefixtures("polling")
async def test_asking_for_a_person_opens_a_ticket(api: FakeBotAPI, updates: Updates) -> None:
    api.push(updates.message(updates.user(504), "позовите человека"))
    await api.wait_for("sendMessage")
    [reply] = api.sent(504)
    ticket = await Ticket.get()
    assert f"<b>№{ticket.id}</b>" in reply["text"]


@pytest.mark.usefixtures("polling")
async def test_withdrawing_a_ticket_asks_first(api: FakeBotAPI, updates: Updates) -> None:
    anna = updates.user(520)
    api.push(updates.message(anna, "позовите человека"))
    await api.wait_for("sendMessage")
    number = (await Ticket.get()).id
    api.push(updates.message(anna, "/tickets"))
    await api.until(lambda: len(api.sent(520)) == 2)
    listed = api.sent(520)[1]
    assert buttons(listed) == [[f"Отозвать №{number}"]]
    api.push(updates.press(anna, listed, f"Отозвать №{number}"))
    await api.until(lambda: len(api.sent(520)) == 3)
    asked = api.sent(520)[2]
    assert asked["text"] == (
        f"Отозвать заявку <b>№{number}</b> «{UNTITLED_RU}»? IT перестанет ею заниматься."
    )
    assert buttons(asked) == [["Да, отозвать", "Оставить"]]
    assert (await Ticket.get()).status == "open"
    api.push(updates.press(anna, asked, "Да, отозвать"))
    await api.until(lambda: len(api.sent(520)) == 4)
    assert api.sent(520)[3]["text"].startswith(f"Заявка <b>№{number}</b> «{UNTITLED_RU}»")
    assert (await Ticket.get()).status == "withdrawn"


@pytest.mark.usefixtures("polling")
async def test_a_photo_gets_the_attachment_phrase(api: FakeBotAPI, updates: Updates) -> None:
    api.push(updates.photo(updates.user(505)))
    await api.wait_for("sendMessage")
    [reply] = api.sent(505)
    assert reply["text"] == PHRASES.get("ru", "attachment")


async def test_commands_are_registered_and_a_refusal_is_not_fatal(
    api: FakeBotAPI, updates: Updates, core: SpyCore
) -> None:
    api.fail_next("setMyCommands", error(404, "Not Found"))
    async with running_channel(core, config_for(api)):
        api.push(updates.message(updates.user(512), "/help"))
        await api.wait_for("sendMessage")
    assert api.called("setMyCommands", 404)
    assert api.sent(512)[0]["text"].startswith(PHRASES.get("ru", "help").split("\n")[0][:20])


@pytest.fixture
def long_kb(tmp_path: Path) -> Path:
    return long_guide_kb(tmp_path)


async def test_a_5000_character_answer_is_split_with_balanced_tags(
    api: FakeBotAPI, updates: Updates, db_url: str, long_kb: Path
) -> None:
    engine = build_engine(Settings(database_url=db_url, kb_dir=long_kb))
    # Telegram's pacing on a clock that moves only by the waits it asks for: the spacing of
    # the answers the fake timed moved with the machine's load (one late answer, and the
    # next part, sent a second after it left, was answered less than 0.9 s after it).
    time = FakeTime()
    pacer = Pacer(TELEGRAM, clock=time.clock, sleep=time.sleep)
    async with running_channel(SpyCore(engine), config_for(api), pacer=pacer):
        api.push(updates.message(updates.user(513), "длинная инструкция по настройке"))
        await api.until(lambda: any("reply_markup" in m for m in api.sent(513)))
    parts = api.sent(513)  # the fake refuses unbalanced tags and texts over 4096
    assert len(parts) >= 2 and sum(len(p["text"]) for p in parts) > 5000
    assert [buttons(p) if "reply_markup" in p else None for p in parts[-2:]] == [
        None,
        [["Помогло", "Не помогло"]],
    ]
    assert time.slept == pytest.approx([1.0] * (len(parts) - 1))  # 1 message/s in a chat
    shown = "".join(visible_text(p["text"]) for p in parts)
    assert [shown.count(f"Шаг {n}.") for n in range(45)] == [3] * 45
    assert shown.count("<настройки>") == 135


async def test_a_refused_token_stops_the_start_without_showing_it(
    api: FakeBotAPI, core: SpyCore
) -> None:
    channel = TelegramChannel(core, config_for(api, token="999:not-the-token"))
    with pytest.raises(ConfigError, match="TELEGRAM_BOT_TOKEN") as refused:
        await channel.start()
    await channel.stop()
    assert "not-the-token" not in str(refused.value)
    assert refused.value.__cause__ is None and refused.value.__suppress_context__
