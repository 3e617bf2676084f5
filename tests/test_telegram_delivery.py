"""The Telegram channel's failures and guarantees: 429s, network errors, blocked users,
migrated groups, recording before acknowledging, redeliveries and crash recovery, replies
kept in the outbox until Telegram takes them.

Real python-telegram-bot against the fake Bot API, around the real engine; every test waits
on recorded calls, never on time.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from telegram import Update

from bot.adapters.telegram import TelegramChannel
from bot.adapters.telegram.convert import BotIdentity, to_incoming
from bot.engine import Engine
from bot.handoff import DbOutbox
from bot.handoff.lease import LEASE
from bot.messages import IncomingMessage, UserRef
from bot.phrases import load_phrases
from bot.storage.models import Conversation, OutboxMessage, User
from tests.fakes.outbox import AheadClock, SpyOutbox
from tests.fakes.telegram_api import BAD_GATEWAY, FakeBotAPI, error, too_many_requests
from tests.fakes.telegram_spy import FAST_RETRY, SpyCore, config_for, running_channel
from tests.fakes.telegram_updates import Updates

# The fake Bot API, the spied-on engine and the update builders as fixtures.
pytest_plugins = ["tests.fakes.telegram_harness"]
pytestmark = pytest.mark.usefixtures("ptb_timedelta")
PHRASES = load_phrases()


async def test_429_is_waited_out_and_the_message_goes_out_once(
    api: FakeBotAPI, updates: Updates, core: SpyCore
) -> None:
    api.fail_next("sendMessage", too_many_requests(1), BAD_GATEWAY)
    async with running_channel(core, config_for(api)):
        api.push(updates.message(updates.user(506), "впн не подключается"))
        await api.wait_for("sendMessage")
    limited, failed, sent = api.called("sendMessage", None)
    assert [c.status for c in (limited, failed, sent)] == [429, 502, 200]
    assert failed.at - limited.at >= 0.95  # retry_after is honoured
    assert len(api.sent(506)) == 1


async def test_a_blocked_user_is_marked_unreachable_without_retrying(
    api: FakeBotAPI, updates: Updates, core: SpyCore
) -> None:
    api.blocked.add(507)
    async with running_channel(core, config_for(api)):
        api.push(updates.message(updates.user(507), "впн не подключается"))
        [user] = await core.wait_for("mark_unreachable")
    assert user == UserRef("telegram", "123456", "507")
    assert [c.status for c in api.called("sendMessage", None)] == [403]
    assert (await User.get(external_id="507")).unreachable


async def test_a_group_that_became_a_supergroup_is_followed(
    api: FakeBotAPI, updates: Updates, core: SpyCore
) -> None:
    group = updates.group(-4002)
    updates.group(-1004002, kind="supergroup")
    api.migrated[-4002] = -1004002
    async with running_channel(core, config_for(api)):
        api.push(updates.message(updates.user(508), "/ask@helpdesk_bot впн", chat=group))
        await api.wait_for("sendMessage")
    assert core.called("move_chat") == [("-4002", "-1004002")]
    assert len(api.sent(-1004002)) == 1
    assert (await Conversation.get()).chat_id == "-1004002"


async def test_an_update_is_recorded_before_telegram_is_told(
    api: FakeBotAPI, updates: Updates, core: SpyCore, caplog: pytest.LogCaptureFixture
) -> None:
    core.failing_accepts = 1  # the database is down at the first try
    confirmed_at_accept: list[int] = []
    core.on_accept = lambda: confirmed_at_accept.append(api.confirmed)
    update = updates.message(updates.user(509), "впн не подключается")
    async with running_channel(core, config_for(api)):
        api.push(update)
        await api.wait_for("sendMessage")
    assert len(confirmed_at_accept) == 2  # fetched again after the failed recording
    assert all(offset <= update["update_id"] for offset in confirmed_at_accept)
    assert len(core.called("handle")) == 1
    [said] = [r for r in caplog.records if "not recorded" in r.getMessage()]
    assert "polling failed, trying again" in said.getMessage()
    assert said.exc_info is None


async def test_a_redelivered_update_is_handled_once(
    api: FakeBotAPI, updates: Updates, core: SpyCore
) -> None:
    anna = updates.user(510)
    first = updates.message(anna, "впн не подключается")
    async with running_channel(core, config_for(api)):
        api.push(first)
        await api.wait_for("sendMessage")
    api.push(first)  # Telegram sends it again (say, the confirmation was lost)
    api.confirmed = 0
    async with running_channel(core, config_for(api)):
        api.push(updates.message(anna, "спасибо"))
        await api.wait_for("sendMessage", 2)
    accepted = core.called("accept")
    assert accepted[0][0].event_id == accepted[1][0].event_id
    assert [fresh for _, fresh in accepted] == [True, False, True]
    assert len(core.called("handle")) == 2
    assert api.sent(510)[1]["text"] == PHRASES.get("ru", "thanks")


def _vpn_question(updates: Updates, user: int, event_id: str) -> IncomingMessage:
    """User `user`'s "впн не подключается" in their private chat, as delivery `event_id`."""
    updates.private_chat(updates.user(user))
    return IncomingMessage(
        user=UserRef("telegram", "123456", str(user)),
        chat_id=str(user),
        text="впн не подключается",
        event_id=event_id,
    )


async def test_an_update_left_by_a_crash_is_handled_on_start(
    api: FakeBotAPI, updates: Updates, core: SpyCore, engine: Engine
) -> None:
    left = _vpn_question(updates, 511, "123456:77")
    assert await engine.accept(left)
    async with running_channel(core, config_for(api, recover_after=timedelta(0))):
        await api.wait_for("sendMessage")
    assert api.sent(511)[0]["text"].startswith("<b>Не подключается VPN</b>")


async def test_a_press_left_by_a_crash_takes_its_keyboard_off_on_start(
    api: FakeBotAPI, updates: Updates, core: SpyCore, engine: Engine
) -> None:
    anna = updates.user(516)
    async with running_channel(core, config_for(api)):
        api.push(updates.message(anna, "впн не подключается"))
        await api.wait_for("sendMessage")
    [answer] = api.sent(516)
    press = Update.de_json(updates.press(anna, answer, "Помогло"), None)
    left = to_incoming(press, BotIdentity(123456, "helpdesk_bot"))
    assert left is not None and await engine.accept(left)  # recorded, then the instance died
    async with running_channel(core, config_for(api, recover_after=timedelta(0))):
        await api.until(lambda: len(api.sent(516)) == 2)
        await api.until(lambda: "reply_markup" not in api.messages[516, answer["message_id"]])
    assert api.sent(516)[1]["text"] == PHRASES.get("ru", "helped")


async def test_service_updates_move_the_chat_and_mark_a_blocking_user(
    api: FakeBotAPI, updates: Updates, core: SpyCore
) -> None:
    group, boris = updates.group(-4003), updates.user(514)
    async with running_channel(core, config_for(api)):
        api.push(updates.message(boris, None, chat=group, migrate_to_chat_id=-1004003))
        api.push(updates.blocked(boris))
        await core.wait_for("move_chat")
        await core.wait_for("mark_unreachable")
    assert core.called("move_chat") == [("-4003", "-1004003")]
    assert core.called("mark_unreachable") == [UserRef("telegram", "123456", "514")]
    assert not core.called("accept") and not api.called("sendMessage", None)


SERVER_ERROR = error(500, "Internal Server Error")


async def test_replies_telegram_cannot_take_now_are_retried_once_each_in_order(
    api: FakeBotAPI, updates: Updates, core: SpyCore
) -> None:
    clock = AheadClock()
    outbox = SpyOutbox(DbOutbox(clock=clock))
    config = config_for(api, outbox_every=timedelta(seconds=0.05))
    channel = TelegramChannel(core, config, policy=FAST_RETRY, outbox=outbox)
    anna = updates.user(515)
    api.fail_next("sendMessage", too_many_requests(30))
    async with running_channel(core, config, channel=channel):
        api.push(updates.message(anna, "впн не подключается"))
        api.push(updates.message(anna, "спасибо"))
        await core.wait_for("handle", 2)  # the answer was put off, the thanks queued after it
        await outbox.rounds()
        assert api.sent(515) == []  # nothing went ahead of the answer
        api.fail_next("sendMessage", *[SERVER_ERROR] * FAST_RETRY.attempts)
        clock.advance(timedelta(seconds=31))  # Retry-After has passed
        channel.sender.wake()
        await outbox.until_failed(3)  # the answer put off again, the thanks still behind it
        clock.advance(timedelta(seconds=31))
        channel.sender.wake()
        await api.until(lambda: len(api.sent(515)) == 2)
    answer, thanks = api.sent(515)
    assert answer["text"].startswith("<b>Не подключается VPN</b>")
    assert thanks["text"] == PHRASES.get("ru", "thanks")
    statuses = [call.status for call in api.called("sendMessage", None)]
    assert statuses == [429, *[500] * FAST_RETRY.attempts, 200, 200]


async def test_a_reply_kept_before_a_crash_is_sent_by_the_next_instance(
    api: FakeBotAPI, updates: Updates, core: SpyCore, engine: Engine
) -> None:
    question = _vpn_question(updates, 516, "123456:78")
    assert await engine.accept(question)
    [kept] = await engine.handle(question, durable=True)  # then the process died
    outbox = DbOutbox(clock=AheadClock(LEASE + timedelta(seconds=1)))  # its lease ran out
    config = config_for(api, recover_after=timedelta(0), outbox_every=timedelta(seconds=0.05))
    channel = TelegramChannel(core, config, policy=FAST_RETRY, outbox=outbox)
    async with running_channel(core, config, channel=channel):
        await api.until(lambda: api.sent(516))
    [sent] = api.sent(516)
    assert sent["text"].startswith("<b>Не подключается VPN</b>")
    keyboard = sent["reply_markup"]["inline_keyboard"]
    assert [button["text"] for row in keyboard for button in row] == [
        button.label for button in kept.buttons
    ]
    assert core.called("handle") == []  # answered from the outbox, not handled again


async def test_a_reply_telegram_is_slow_to_take_is_put_off_while_still_leased(
    api: FakeBotAPI, updates: Updates, core: SpyCore
) -> None:
    """Given up when its window closes, well inside its lease: no other instance takes the
    reply while this one still waits on Telegram, and it is sent (reported) once, later."""
    clock = AheadClock()
    outbox = SpyOutbox(DbOutbox(clock=clock))
    config = config_for(api, outbox_every=timedelta(seconds=0.05))
    channel = TelegramChannel(core, config, policy=FAST_RETRY, outbox=outbox)
    channel.sender.send_within = timedelta(seconds=2)
    slow = api.hold("sendMessage")
    async with running_channel(core, config, channel=channel):
        api.push(updates.message(updates.user(517), "впн не подключается"))
        await api.until(lambda: api.arrived["sendMessage"])  # Telegram has it, takes its time
        await outbox.until_failed(1)
        row = await OutboxMessage.get(kind="reply")
        assert (row.status, row.attempts) == ("pending", 1)
        assert row.available_at > clock() + timedelta(seconds=10)  # put off, not due to others
        slow.set()
        clock.advance(timedelta(seconds=31))
        channel.sender.wake()
        await outbox.until_reported_sent()
    assert api.arrived["sendMessage"] == 2
    sent = api.sent(517)[-1]
    assert sent["text"].startswith("<b>Не подключается VPN</b>")
    row = await OutboxMessage.get(kind="reply")
    assert (row.status, row.attempts) == ("sent", 2)
    assert outbox.message_ids == [str(sent["message_id"])]  # by the outbox's sender alone


async def test_a_429_on_a_pressed_buttons_message_does_not_hold_the_answer(
    api: FakeBotAPI, updates: Updates, core: SpyCore
) -> None:
    """Telegram forgets a press not answered within seconds, and taking the buttons off only
    tidies up (the core refuses a second press anyway): a long Retry-After there is not waited
    out, and the press is answered at once."""
    anna = updates.user(518)
    async with running_channel(core, config_for(api)):
        api.push(updates.message(anna, "впн не подключается"))
        await api.wait_for("sendMessage")
        [answer] = api.sent(518)
        api.fail_next("answerCallbackQuery", too_many_requests(60))
        api.fail_next("editMessageReplyMarkup", too_many_requests(60))
        api.push(updates.press(anna, answer, "Помогло"))
        await api.until(lambda: len(api.sent(518)) == 2)  # not a minute later
    assert api.sent(518)[1]["text"] == PHRASES.get("ru", "helped")
    assert [c.status for c in api.called("editMessageReplyMarkup", None)] == [429]


async def test_another_process_polling_the_token_is_named_in_the_log_without_a_traceback(
    api: FakeBotAPI, updates: Updates, core: SpyCore, caplog: pytest.LogCaptureFixture
) -> None:
    conflict = "Conflict: terminated by other getUpdates request; make sure that only one bot instance is running"  # noqa: E501 - Telegram's words
    api.fail_next("getUpdates", error(409, conflict))
    async with running_channel(core, config_for(api)):
        await api.wait_for("getUpdates", status=409)
        api.push(updates.message(updates.user(530), "впн не подключается"))
        await api.wait_for("sendMessage")  # polling goes on
    [said] = [
        r for r in caplog.records if "getUpdates" in r.getMessage() or "polling" in r.getMessage()
    ]
    assert said.levelname == "ERROR"
    assert "another process is polling this bot's token" in said.getMessage()
    assert "TELEGRAM_MODE=webhook" in said.getMessage()
    assert said.exc_info is None  # one line, not PTB's traceback at every retry
