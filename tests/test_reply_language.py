"""The language of the reply to Latin text that reads as Russian only in the other keyboard
layout: Russian when it is Russian typed in the wrong layout, and for keyboard mashing that
matches nothing, the language of the user's browser (or platform), not the layout's."""

from __future__ import annotations

import re

import pytest

from bot.adapters.memory import MemoryChat
from bot.engine import Engine

CYRILLIC = re.compile("[а-яё]", re.IGNORECASE)


async def language_of_reply(engine: Engine, text: str, *, locale: str | None) -> str:
    """ "ru" or "en": the language of the bot's first reply to `text`, a new user's first
    message, from a platform that says the user's language is `locale`."""
    [first, *_] = await MemoryChat(engine.handle, locale=locale).say(text)
    return "ru" if CYRILLIC.search(first.text) else "en"


@pytest.mark.parametrize(
    ("text", "locale"),
    [
        ("asdfgh", "en"),
        ("zxcvbn", "en"),
        ("qwerty zxcv", "en"),  # English already: it has vowels enough for English
        ("asdfgh", "ru"),
        ("zxcvbn", "ru"),
        ("qwerty zxcv", "ru"),  # not a word of English either: answered in English
        ("asdasd", "ru"),
    ],
)
async def test_mashing_that_matches_nothing_is_answered_in_the_browsers_language(
    engine: Engine, text: str, locale: str
) -> None:
    """ "asdfgh" is "фывапр" in the Russian layout: vowel-rich enough to read as Russian, so
    an English browser's user was answered in Russian."""
    assert await language_of_reply(engine, text, locale=locale) == locale


@pytest.mark.parametrize(
    "text",
    [
        "ghbdtn",  # "привет": a greeting
        "yt hf,jnftn dgy",  # "не работает впн": the VPN article
        "jgthfnjh",  # "оператор": known to the intents only
        "pf,sk gfhjkm",  # "забыл пароль"
    ],
)
async def test_russian_in_the_wrong_layout_is_answered_in_russian_in_any_browser(
    engine: Engine, text: str
) -> None:
    assert await language_of_reply(engine, text, locale="en") == "ru"


async def test_mashing_keeps_the_language_the_user_writes_in(engine: Engine) -> None:
    """With no language of its own, it is answered in the conversation's."""
    chat = MemoryChat(engine.handle, locale="en")
    await chat.say("не работает принтер")
    [reply, *_] = await chat.say("asdfgh")
    assert CYRILLIC.search(reply.text), reply.text


@pytest.mark.parametrize("text", ["ty", "yes", "menu", "yo", "thanks", "ok thx"])
async def test_short_english_is_answered_in_english(engine: Engine, text: str) -> None:
    """Read as transliterated Russian ("ты", "ес", "мену", "йо"), an English user's "ty"
    after an answer was thanked in Russian, and "menu" got the Russian help."""
    chat = MemoryChat(engine.handle, locale="en")
    await chat.say("vpn keeps dropping")
    [reply, *_] = await chat.say(text)
    assert not CYRILLIC.search(reply.text), reply.text


LOG = "\n".join(
    f"2026-11-27 09:{minute:02d}:13 ERROR Sync failed: mailbox folder Inbox could not be read"
    for minute in range(30)
)


@pytest.mark.parametrize(
    ("text", "language"),
    [
        (f"помогите, outlook не синхронизируется:\n{LOG}", "ru"),
        (f"help, outlook does not sync:\n{LOG}", "en"),
        (f"помогите\n\n{LOG}", "ru"),
    ],
)
async def test_a_pasted_log_does_not_change_the_language_of_the_words_before_it(
    engine: Engine, text: str, language: str
) -> None:
    """A Russian user's question with an English log pasted under it was answered in
    English: the log's letters outnumbered theirs."""
    assert await language_of_reply(engine, text, locale="en" if language == "ru" else "ru") == (
        language
    )


@pytest.mark.parametrize(
    "text",
    ["poteryal propusk", "slomalas mysh", "zavis komp", "printer zazhevala bumagu", "propusk"],
)
async def test_transliterated_russian_the_kb_matched_is_answered_in_russian(
    engine: Engine, text: str
) -> None:
    """None of these words is in the short lists of common words, and the matched article
    read them as Russian ("потерял пропуск"), yet the answer came in English."""
    assert await language_of_reply(engine, text, locale="en") == "ru"


@pytest.mark.parametrize(
    "text",
    [
        "vpn not working",
        "printer jam",
        "reset password",
        "I lost my pass",
        "monitor flickering",
        "printer offline",
        "internet down",
        "my laptop is slow",
    ],
)
async def test_english_the_kb_matched_stays_english(engine: Engine, text: str) -> None:
    assert await language_of_reply(engine, text, locale="ru") == "en"
