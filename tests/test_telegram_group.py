"""A Telegram group of branch staff, where everyone sees everyone's answers and buttons:
real python-telegram-bot, the fake Bot API and the real engine."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from datetime import UTC, datetime, timedelta

import pytest

from bot.phrases import load_phrases
from bot.storage.models import ButtonAction, Feedback, Ticket, User
from bot.storage.retention import BUTTONS, purge
from tests.fakes.telegram_api import FakeBotAPI
from tests.fakes.telegram_spy import SpyCore, config_for, running_channel
from tests.fakes.telegram_updates import Updates

pytest_plugins = ["tests.fakes.telegram_harness"]
pytestmark = pytest.mark.usefixtures("ptb_timedelta")
PHRASES = load_phrases()
NOT_YOURS = {language: PHRASES.get(language, "button_not_yours") for language in ("ru", "en")}


@pytest.fixture
async def polling(api: FakeBotAPI, core: SpyCore) -> AsyncIterator[None]:
    async with running_channel(core, config_for(api, not_yours=NOT_YOURS)):
        yield


@pytest.mark.usefixtures("polling")
async def test_a_press_on_someone_elses_answer_leaves_it_to_them(
    api: FakeBotAPI, updates: Updates
) -> None:
    group = updates.group(-4101)
    anna, boris = updates.user(541, "Anna", "ru"), updates.user(542, "Boris", "en")
    api.push(updates.message(anna, "@helpdesk_bot впн не подключается", chat=group))
    await api.wait_for("sendMessage")
    [answer] = api.sent(-4101)

    api.push(updates.press(boris, answer, "Не помогло"))  # a colleague's tap
    [told] = await api.wait_for("answerCallbackQuery")
    assert told.params["text"] == PHRASES.get("en", "button_not_yours")
    assert told.params["show_alert"] is True
    assert "reply_markup" in api.messages[-4101, answer["message_id"]]  # still Anna's to press

    api.push(updates.press(anna, answer, "Не помогло"))
    await api.wait_for("sendMessage", 2)
    assert not api.called("editMessageReplyMarkup", None)[:-1]  # only Anna's press took them
    assert "reply_markup" not in api.messages[-4101, answer["message_id"]]
    assert len(api.sent(-4101)) == 2  # nothing was said to the group about Boris's tap
    ticket = await Ticket.get().prefetch_related("user")
    assert ticket.user.external_id == "541"
    feedback = await Feedback.get()
    assert not feedback.helpful


@pytest.mark.usefixtures("polling")
async def test_in_a_group_the_bot_answers_under_the_question(
    api: FakeBotAPI, updates: Updates
) -> None:
    group = updates.group(-4102)
    anna, boris = updates.user(543, "Anna", "ru"), updates.user(544, "Boris", "en")
    asked = updates.message(anna, "@helpdesk_bot впн не подключается", chat=group)
    api.push(asked)
    api.push(updates.message(boris, "@helpdesk_bot printer", chat=group))
    await api.wait_for("sendMessage", 2)
    under = [
        c.params.get("reply_parameters", {}).get("message_id") for c in api.called("sendMessage")
    ]
    assert under[0] == asked["message"]["message_id"]  # whose answer is whose
    assert under[1] == asked["message"]["message_id"] + 1
    [answer, _] = api.sent(-4102)
    api.push(updates.press(anna, answer, "Помогло"))
    await api.wait_for("sendMessage", 3)
    assert (
        api.called("sendMessage")[2].params["reply_parameters"]["message_id"]
        == (answer["message_id"])
    )


async def test_in_a_private_chat_answers_are_not_replies(
    api: FakeBotAPI, updates: Updates, core: SpyCore
) -> None:
    async with running_channel(core, config_for(api)):
        api.push(updates.message(updates.user(545), "впн не подключается"))
        [call] = await api.wait_for("sendMessage")
    assert "reply_parameters" not in call.params


@pytest.mark.usefixtures("polling")
async def test_a_second_tap_in_a_group_is_told_to_the_presser_alone(
    api: FakeBotAPI, updates: Updates
) -> None:
    group = updates.group(-4103)
    anna = updates.user(546, "Anna", "ru")
    api.push(updates.message(anna, "@helpdesk_bot впн не подключается", chat=group))
    await api.wait_for("sendMessage")
    [answer] = api.sent(-4103)
    api.push(updates.press(anna, answer, "Помогло"))
    await api.wait_for("sendMessage", 2)
    api.push(updates.press(anna, answer, "Помогло"))  # a double tap, or a stale keyboard

    [_, told] = await api.wait_for("answerCallbackQuery", 2)
    assert told.params["text"] == PHRASES.get("ru", "button_used")  # a toast for Anna
    assert not told.params.get("show_alert")
    api.push(updates.message(anna, "@helpdesk_bot принтер", chat=group))
    await api.wait_for("sendMessage", 3)  # her next question: the tap came before it
    said = [m["text"] for m in api.sent(-4103)]
    assert len(said) == 3
    assert not any("уже нажата" in text for text in said)  # nothing posted about it


async def _forget_the_article() -> None:
    """The answer's article was taken out of the KB since (a KB edit, reloaded)."""
    await ButtonAction.all().update(argument="an-article-taken-out")


async def _forget_the_buttons() -> None:
    """The core no longer knows the keys at all (another database, say)."""
    await ButtonAction.all().delete()


async def _outlive_the_buttons() -> None:
    """The answer is older than buttons are kept: housekeeping deleted them."""
    now = datetime.now(UTC)
    await ButtonAction.all().update(created_at=now - BUTTONS - timedelta(minutes=1))
    assert (await purge(now))["buttons"] == 2


@pytest.mark.usefixtures("polling")
@pytest.mark.parametrize(
    "stale",
    [_forget_the_article, _forget_the_buttons, _outlive_the_buttons],
    ids=["article_gone", "key_unknown", "purged"],
)
async def test_a_stale_tap_in_a_group_is_told_to_the_presser_alone(
    api: FakeBotAPI, updates: Updates, stale: Callable[[], Awaitable[None]]
) -> None:
    group = updates.group(-4104)
    anna = updates.user(547, "Anna", "ru")
    api.push(updates.message(anna, "@helpdesk_bot впн не подключается", chat=group))
    await api.wait_for("sendMessage")
    [answer] = api.sent(-4104)
    await stale()
    api.push(updates.press(anna, answer, "Помогло"))

    [told] = await api.wait_for("answerCallbackQuery")
    assert told.params["text"] == PHRASES.get("ru", "button_unknown")  # a toast for Anna
    assert not told.params.get("show_alert")
    api.push(updates.message(anna, "@helpdesk_bot принтер", chat=group))
    await api.wait_for("sendMessage", 2)  # her next question: the tap came before it
    said = [m["text"] for m in api.sent(-4104)]
    assert len(said) == 2  # nothing posted about the tap
    assert not any("больше не действует" in text for text in said)
    assert await Feedback.all().count() == 0


async def test_a_user_who_blocked_the_bot_is_reachable_again_once_they_unblock_it(
    api: FakeBotAPI, updates: Updates, core: SpyCore
) -> None:
    group = updates.group(-4105)
    anna = updates.user(548, "Anna", "ru")
    async with running_channel(core, config_for(api)):
        api.push(updates.message(anna, "@helpdesk_bot впн не подключается", chat=group))
        await api.wait_for("sendMessage")
        api.push(updates.blocked(anna))  # in her private chat
        await core.wait_for("mark_unreachable")
        api.push(updates.message(anna, "@helpdesk_bot принтер", chat=group))
        await api.wait_for("sendMessage", 2)
        assert (await User.get(external_id="548")).unreachable  # the group is not her chat
        api.push(updates.unblocked(anna))
        await core.wait_for("mark_reachable")
    assert not (await User.get(external_id="548")).unreachable
