"""Attachments as values: what the converters make of platform files, what old stored
payloads become, and how the Slack file source guards the bot token (no network but the
fake Slack Web API)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import pytest
from telegram import Message, Update

from bot.adapters.slack.desk_convert import thread_action
from bot.adapters.slack.files import SlackFiles
from bot.adapters.telegram.media import attachments_of
from bot.errors import FileUnavailable
from bot.files import FileSources, upload_name
from bot.messages import (
    Attachment,
    IncomingMessage,
    UserRef,
    message_from_payload,
    message_to_payload,
)
from tests.fakes.slack_api import TOKEN, FakeSlackApi
from tests.fakes.telegram_api import FakeBotAPI
from tests.fakes.telegram_updates import Updates
from tests.test_telegram_desk_convert import card, order

ANN = UserRef("telegram", "1", "601")


@pytest.fixture
def updates() -> Updates:
    return Updates(FakeBotAPI())


def telegram_message(update: dict[str, Any]) -> Message:
    message = Update.de_json(update, None).message
    assert message is not None
    return message


def test_old_payloads_held_names_and_still_load() -> None:
    """Before attachments were values, a payload listed Telegram kinds or Slack file names."""
    old = {"user": ["slack", "T1", "U1"], "chat_id": "D1", "attachments": ["photo", "a.pdf"]}
    message = message_from_payload(old)
    assert message.attachments == (
        Attachment("slack", "photo"),
        Attachment("slack", "file", name="a.pdf"),
    )


def test_a_payload_keeps_every_field_of_an_attachment() -> None:
    file = Attachment("telegram", "document", "a.pdf", "application/pdf", 120, "BQAD1")
    message = IncomingMessage(user=ANN, chat_id="601", attachments=(file,))
    assert message_from_payload(message_to_payload(message)) == message


def test_an_unknown_kind_is_refused_but_a_stored_one_loads_as_a_file() -> None:
    with pytest.raises(ValueError, match="unknown attachment kind"):
        Attachment("telegram", "hologram")
    stored = {"platform": "telegram", "kind": "hologram", "name": "h.bin", "ref": "X1"}
    assert Attachment.from_json(stored) == Attachment("telegram", "file", "h.bin", ref="X1")


def test_a_telegram_gif_is_one_animation_not_also_a_document(updates: Updates) -> None:
    gif = {"file_id": "CgAD1", "file_unique_id": "g1", "file_name": "fun.mp4"}
    gif |= {"mime_type": "video/mp4", "file_size": 900, "width": 1, "height": 1, "duration": 1}
    update = updates.message(updates.user(601), None, animation=gif, document=gif)
    [found] = attachments_of(telegram_message(update))
    assert found == Attachment("telegram", "animation", "fun.mp4", "video/mp4", 900, "CgAD1")


def test_a_photo_alone_in_the_reply_chain_is_a_reply(updates: Updates) -> None:
    photo = updates.photo(updates.user(42, "Bob"))
    photo["message"] |= {"chat": card(updates)["chat"], "reply_to_message": card(updates)}
    found = order(photo)
    assert found is not None and (found.kind, found.text) == ("reply", "")
    assert [a.ref for a in found.attachments] == ["AgAD1"]


def test_a_note_with_a_photo_keeps_the_photo_to_the_desk(updates: Updates) -> None:
    photo = updates.photo(updates.user(42, "Bob"), caption="/note see the screen")
    photo["message"] |= {"chat": card(updates)["chat"], "reply_to_message": card(updates)}
    found = order(photo)
    assert found is not None and (found.kind, found.text, found.attachments) == (
        "note",
        "see the screen",
        (),
    )


def test_slack_files_alone_in_a_thread_are_a_reply() -> None:
    file = Attachment("slack", "document", "a.pdf", ref="https://files.slack.com/x")
    action = thread_action("", 5, (file,))
    assert action is not None and (action.kind, action.attachments) == ("reply", (file,))
    assert thread_action("", 5) is None
    note = thread_action("!note private", 5, (file,))
    assert note is not None and (note.kind, note.attachments) == ("note", ())


def test_upload_names() -> None:
    assert upload_name(Attachment("telegram", "photo", mime="image/jpeg")) == "photo.jpg"
    assert upload_name(Attachment("telegram", "voice", mime="audio/ogg")) == "voice.oga"
    assert upload_name(Attachment("slack", "document", "a.pdf")) == "a.pdf"


@pytest.fixture
async def slack_api() -> AsyncIterator[FakeSlackApi]:
    api = FakeSlackApi()
    await api.start()
    yield api
    await api.close()


def slack_file(api: FakeSlackApi, data: bytes, **extra: Any) -> Attachment:
    shared = api.add_file("log.txt", data, "text/plain", **extra)
    return Attachment(
        "slack", "document", "log.txt", "text/plain", 0, shared["url_private_download"]
    )


async def test_slack_files_are_read_with_the_bot_token(slack_api: FakeSlackApi) -> None:
    files = SlackFiles(TOKEN, api_url=slack_api.api_url)
    assert await files.fetch(slack_file(slack_api, b"hello"), limit=100) == b"hello"
    assert TOKEN not in repr(files)


async def test_without_files_read_slack_answers_a_login_page(slack_api: FakeSlackApi) -> None:
    files = SlackFiles("xoxb-no-files-read", api_url=slack_api.api_url)
    with pytest.raises(FileUnavailable, match="302"):
        await files.fetch(slack_file(slack_api, b"hello"), limit=100)


async def test_the_token_goes_to_no_other_host(slack_api: FakeSlackApi) -> None:
    files = SlackFiles(TOKEN, api_url="https://slack.com/api/")  # the fake is not Slack
    with pytest.raises(FileUnavailable, match="not a Slack file URL"):
        await files.fetch(slack_file(slack_api, b"hello"), limit=100)
    assert not slack_api.calls_to("download")


async def test_a_slack_file_over_the_limit_is_cut_off(slack_api: FakeSlackApi) -> None:
    files = SlackFiles(TOKEN, api_url=slack_api.api_url)
    with pytest.raises(FileUnavailable, match="limit"):
        await files.fetch(slack_file(slack_api, b"x" * 300_000), limit=200_000)


async def test_a_platform_without_a_source_cannot_fetch() -> None:
    with pytest.raises(FileUnavailable, match="no way to fetch"):
        await FileSources().fetch(Attachment("slack", "photo", ref="x"), limit=10)
