"""An album (several photos sent at once) comes from Telegram as one update per file, all
with one `media_group_id`: the user sent one message, and gets one answer."""

from __future__ import annotations

from typing import Any

import pytest

from bot.phrases import load_phrases
from tests.fakes.telegram_api import FakeBotAPI
from tests.fakes.telegram_updates import Updates

pytest_plugins = ["tests.fakes.telegram_harness"]
pytestmark = pytest.mark.usefixtures("ptb_timedelta")
PHRASES = load_phrases()


def album(updates: Updates, user: dict[str, Any], caption: str | None) -> list[dict[str, Any]]:
    """Three photos sent together, the first with `caption`, as Telegram delivers them."""
    parts = []
    for n in range(3):
        photo = [{"file_id": f"AgAl{n}", "file_unique_id": f"al{n}", "width": 90, "height": 90}]
        extra: dict[str, Any] = {"photo": photo, "media_group_id": "13571113"}
        if caption and n == 0:
            extra["caption"] = caption
        parts.append(updates.message(user, None, **extra))
    return parts


async def answers_to(
    api: FakeBotAPI, updates: Updates, user: dict[str, Any], parts: list[dict[str, Any]]
) -> list[str]:
    """What the bot said to `parts`: all of it is sent before the answer to a /help after
    them (a chat's updates are served in order)."""
    before = len(api.sent(user["id"]))
    for part in [*parts, updates.message(user, "/help")]:
        api.push(part)
    help_text = PHRASES.get("ru", "help")[:20]
    await api.until(lambda: any(help_text in m["text"] for m in api.sent(user["id"])[before:]))
    return [m["text"] for m in api.sent(user["id"])][before:-1]


@pytest.mark.usefixtures("polling")
async def test_an_album_with_a_question_gets_the_answer_alone(
    api: FakeBotAPI, updates: Updates
) -> None:
    anna = updates.user(611)
    [answer] = await answers_to(api, updates, anna, album(updates, anna, "принтер не печатает"))
    assert answer.startswith("<b>Принтер не печатает</b>")


@pytest.mark.usefixtures("polling")
async def test_an_album_without_words_is_asked_for_them_once(
    api: FakeBotAPI, updates: Updates
) -> None:
    anna = updates.user(612)
    asked = PHRASES.get("ru", "attachment")
    assert await answers_to(api, updates, anna, album(updates, anna, None)) == [asked]
    # a photo sent on its own later is a new message: asked again
    assert await answers_to(api, updates, anna, [updates.photo(anna)]) == [asked]
