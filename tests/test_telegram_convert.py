"""The Telegram adapter's pure parts: updates in, HTML and keyboards out, pacing arithmetic."""

from __future__ import annotations

from typing import Any

import pytest
from telegram import Update

from bot.adapters.telegram.buttons import keyboard, pressed_by_other
from bot.adapters.telegram.convert import (
    BotIdentity,
    chat_move,
    to_incoming,
    to_outgoing,
)
from bot.adapters.telegram.markdown import render_blocks, split_html, utf16_len
from bot.adapters.telegram.membership import blocked_by
from bot.messages import Attachment, Button, IncomingMessage, Reply, UserRef
from tests.fakes.telegram_api import FakeBotAPI
from tests.fakes.telegram_updates import Updates
from tests.fakes.telegram_wire import check_html, visible_text

ME = BotIdentity(123456, "helpdesk_bot")


@pytest.fixture
def updates() -> Updates:
    return Updates(FakeBotAPI())


def incoming(update: dict[str, Any]) -> IncomingMessage | None:
    return to_incoming(Update.de_json(update, None), ME)


def html(markdown: str) -> str:
    [part] = split_html(render_blocks(markdown))
    assert check_html(part, "HTML") is None, part
    return part


def test_a_private_message(updates: Updates) -> None:
    update = updates.message(updates.user(7, "Anna", "en"), "vpn is down")
    message = incoming(update)
    assert message == IncomingMessage(
        user=UserRef("telegram", "123456", "7"),
        chat_id="7",
        text="vpn is down",
        user_name="Anna",
        event_id=f"123456:{update['update_id']}",
        locale="en",
    )


GROUP_CASES = [
    ("password", None),
    ("@helpdesk_bot password", "password"),
    ("password, @Helpdesk_Bot?", "password, ?"),
    ("/ask password", "password"),
    ("/ask@helpdesk_bot password", "password"),
    ("/help@helpdesk_bot", "/help"),
    ("/lang en", "/lang en"),
    ("/office", "/office"),  # in the menu (with offices): picked there, it comes bare
    ("/office Kazan", "/office Kazan"),
    ("/tickets", "/tickets"),
    ("/help@other_bot", None),
    ("/weather", None),
    ("write to it@helpdesk_bot.example.com", None),
]


@pytest.mark.parametrize(("text", "expected"), GROUP_CASES)
def test_in_groups_only_what_is_addressed_to_the_bot(
    updates: Updates, text: str, expected: str | None
) -> None:
    update = updates.message(updates.user(8), text, chat=updates.group(-100))
    message = incoming(update)
    assert (message.text if message else None) == expected


def test_in_groups_a_reply_to_the_bot_is_read(updates: Updates, api_me: dict[str, Any]) -> None:
    group = updates.group(-100)
    earlier = {"message_id": 1, "from": api_me, "chat": group, "date": 1, "text": "Answer"}
    message = incoming(
        updates.message(updates.user(8), "thanks", chat=group, reply_to_message=earlier)
    )
    assert message is not None and message.text == "thanks"


@pytest.fixture
def api_me() -> dict[str, Any]:
    return {"id": ME.id, "is_bot": True, "first_name": "Helpdesk", "username": ME.username}


@pytest.mark.parametrize(
    ("text", "expected"),
    [("/ask vpn", "vpn"), ("/start@helpdesk_bot", "/start"), ("/lang  en", "/lang en")],
)
def test_private_commands(updates: Updates, text: str, expected: str) -> None:
    message = incoming(updates.message(updates.user(9), text))
    assert message is not None and message.text == expected


def test_other_bots_are_not_read(updates: Updates, api_me: dict[str, Any]) -> None:
    assert incoming(updates.message(api_me | {"id": 42, "username": "x_bot"}, "hi")) is None


def test_a_photo_is_an_attachment_with_its_caption(updates: Updates) -> None:
    message = incoming(updates.photo(updates.user(10), caption="this error"))
    assert message is not None
    assert message.text == "this error"
    assert message.attachments == (Attachment("telegram", "photo", mime="image/jpeg", ref="AgAD1"),)


def test_an_edit_soon_after_sending_is_a_new_question(updates: Updates) -> None:
    original = updates.message(updates.user(11), "vpm down")
    soon = incoming(updates.edited(original, "vpn down", after=30))
    assert soon is not None and soon.text == "vpn down"
    assert soon.event_id != incoming(original).event_id  # type: ignore[union-attr]
    assert incoming(updates.edited(original, "vpn down!", after=600)) is None


def test_a_button_press(updates: Updates, api_me: dict[str, Any]) -> None:
    user = updates.user(12)
    markup = {"inline_keyboard": [[{"text": "Helped", "callback_data": "k" * 16}]]}
    sent = {"message_id": 5, "from": api_me, "chat": updates.private_chat(user), "date": 1}
    update = updates.press(user, sent | {"text": "answer", "reply_markup": markup}, "Helped")
    message = incoming(update)
    assert message is not None
    assert (message.button, message.text, message.chat_id) == ("k" * 16, "Helped", "12")
    assert message.event_id == f"123456:{update['update_id']}"


def test_buttons_in_a_group_are_their_owners(updates: Updates, api_me: dict[str, Any]) -> None:
    [part] = to_outgoing(Reply("answer", (Button("Helped", "k" * 16),)), owner="12")
    assert part.markup is not None
    [[helped]] = part.markup.inline_keyboard
    assert helped.callback_data == "k" * 16 + "@12"
    sent = {"message_id": 5, "from": api_me, "chat": updates.group(-6), "date": 1}
    sent |= {"text": "answer", "reply_markup": {"inline_keyboard": [[helped.to_dict()]]}}
    own = updates.press(updates.user(12), sent, "Helped")
    message = incoming(own)
    assert message is not None and (message.button, message.text) == ("k" * 16, "Helped")
    other = updates.press(updates.user(13), sent, "Helped")
    assert incoming(other) is None
    assert pressed_by_other(Update.de_json(other, None).callback_query)
    assert not pressed_by_other(Update.de_json(own, None).callback_query)


def test_service_updates(updates: Updates) -> None:
    group = updates.group(-5)
    moved = updates.message(updates.user(13), None, chat=group, migrate_to_chat_id=-1005)
    assert chat_move(Update.de_json(moved, None)) == ("-5", "-1005")
    assert incoming(moved) is None
    update = Update.de_json(updates.blocked(updates.user(14)), None)
    assert blocked_by(update, ME) == UserRef("telegram", "123456", "14")


def test_keyboards() -> None:
    short = keyboard((Button("Helped", "a" * 16), Button("Didn't help", "b" * 16)))
    assert short is not None and [len(row) for row in short.inline_keyboard] == [2]
    long = keyboard((Button("Не подключается VPN", "c" * 16), Button("None of these", "d")))
    assert long is not None and [len(row) for row in long.inline_keyboard] == [1, 1]
    assert keyboard(()) is None
    scores = keyboard(tuple(Button(str(n), f"key{n}") for n in range(1, 6)))  # a 1-5 rating
    assert scores is not None and [len(row) for row in scores.inline_keyboard] == [5]
    # a resolved ticket's 1-5 and "Still not solved": the scores in a row, then the longer one
    still = (*(Button(str(n), f"key{n}") for n in range(1, 6)), Button("Проблема осталась", "k"))
    rows = keyboard(still)
    assert rows is not None and [len(row) for row in rows.inline_keyboard] == [5, 1]
    with pytest.raises(ValueError, match="1-64 bytes"):
        keyboard((Button("x", "я" * 33),))


def test_markdown_is_escaped_and_mapped_to_telegram_tags() -> None:
    assert html("## Title <b>") == "<b>Title &lt;b&gt;</b>"
    assert html("a & b < c **bold** *it* ~~no~~ `x<y>&`") == (
        "a &amp; b &lt; c <b>bold</b> <i>it</i> <s>no</s> <code>x&lt;y&gt;&amp;</code>"
    )
    assert html('[site](https://e.com/?q="1"&a=2)') == (
        '<a href="https://e.com/?q=%221%22&amp;a=2">site</a>'
    )
    assert html("[x](javascript:alert(1))") == "[x](javascript:alert(1))"
    assert html("<script>alert(1)</script>") == "&lt;script&gt;alert(1)&lt;/script&gt;"
    assert html("1. one\n2. two\n   - sub") == "1. one\n2. two\n  • sub"
    assert html("> quoted\n\n```\n<code>\n```").count("<blockquote>") == 1


def test_a_5000_character_text_is_split_on_paragraphs_with_balanced_tags() -> None:
    paragraphs = [
        f"**Шаг {n}.** Откройте `app-{n}` и " + "проверьте настройки " * 5 for n in range(40)
    ]
    markdown = "\n\n".join(paragraphs)
    assert len(markdown) > 5000
    parts = to_outgoing(Reply(markdown, (Button("Helped", "k" * 16),)))
    assert len(parts) == 2
    assert [p.markup is not None for p in parts] == [False, True]
    for part in parts:
        assert check_html(part.text, "HTML") is None
        assert part.text.startswith("<b>Шаг") and part.text.endswith("проверьте настройки")
    shown = "\n\n".join(visible_text(p.text) for p in parts)
    assert shown == "\n\n".join(visible_text(html(p)) for p in paragraphs)


def test_an_oversized_paragraph_is_cut_at_lines_with_tags_reopened() -> None:
    markdown = "> **" + "строка 😀 текста\n" * 400 + "конец**"
    parts = split_html(render_blocks(markdown))
    assert len(parts) >= 2
    for part in parts:
        assert utf16_len(part) <= 4096
        assert check_html(part, "HTML") is None
        assert part.startswith("<blockquote><b>") and part.endswith("</b></blockquote>")
    assert "".join(visible_text(p) for p in parts).count("😀") == 400
