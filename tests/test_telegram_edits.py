"""A message the user edits soon after sending (a typo fixed) is answered as the new
question (README, Telegram): a photo's caption, which the bot reads as the question, too."""

from __future__ import annotations

from typing import Any

import pytest

from bot.phrases import load_phrases
from tests.fakes.telegram_api import FakeBotAPI
from tests.fakes.telegram_spy import SpyCore
from tests.fakes.telegram_updates import Updates

pytest_plugins = ["tests.fakes.telegram_harness"]
pytestmark = pytest.mark.usefixtures("ptb_timedelta")
PHRASES = load_phrases()


def recaptioned(updates: Updates, update: dict[str, Any], caption: str) -> dict[str, Any]:
    """The `edited_message` of a photo whose caption was changed 30 seconds after sending."""
    message = update["message"] | {"caption": caption, "edit_date": update["message"]["date"] + 30}
    return {"update_id": updates.api.next_update_id(), "edited_message": message}


@pytest.mark.usefixtures("polling")
async def test_a_caption_corrected_soon_is_answered_as_the_question(
    api: FakeBotAPI, updates: Updates
) -> None:
    anna = updates.user(621)
    photo = updates.photo(anna, "ghbynth")
    api.push(photo)
    await api.until(lambda: len(api.sent(621)) == 1)
    api.push(recaptioned(updates, photo, "принтер не печатает"))
    await api.until(lambda: len(api.sent(621)) == 2)
    assert api.sent(621)[1]["text"].startswith("<b>Принтер не печатает</b>")


@pytest.mark.usefixtures("polling")
async def test_a_live_location_moving_is_not_a_message(
    api: FakeBotAPI, updates: Updates, core: SpyCore
) -> None:
    anna = updates.user(622)
    here = {"latitude": 55.7, "longitude": 37.6, "live_period": 900}
    shared = updates.message(anna, None, location=here)
    api.push(shared)
    await api.until(lambda: len(api.sent(622)) == 1)
    moved = shared["message"] | {"location": here | {"latitude": 55.8}}
    moved["edit_date"] = moved["date"] + 30
    api.push({"update_id": api.next_update_id(), "edited_message": moved})
    api.push(updates.message(anna, "/help"))
    await core.wait_for("handle", 2)
    await api.until(lambda: len(api.sent(622)) == 2)
    assert api.sent(622)[1]["text"].startswith(PHRASES.get("ru", "help")[:20])
