"""The bot's words: both languages complete, intents recognised, secrets redacted."""

from __future__ import annotations

import pytest

from bot.phrases import load_intents, load_page_texts, load_phrases
from bot.redact import redact


def test_every_phrase_exists_in_both_languages() -> None:
    phrases = load_phrases().by_language
    assert set(phrases["ru"]) == set(phrases["en"])
    assert all(text.strip() for table in phrases.values() for text in table.values())


def test_every_web_page_text_exists_in_both_languages() -> None:
    texts = load_page_texts()
    assert set(texts) == {"ru", "en"}
    for page in ("chat", "agent"):
        assert set(texts["ru"][page]) == set(texts["en"][page])
        assert all(text.strip() for lang in texts for text in texts[lang][page].values())


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        ("Привет!", "greeting"),
        ("добрый день", "greeting"),
        ("спс", "thanks"),
        ("Thank you!!", "thanks"),
        ("помогите", "help"),
        ("оператор", "person"),
        ("позовите человека пожалуйста", "person"),
        ("I want to talk to a human", "person"),
        ("привет, не работает впн", None),
        ("agent of change in our printer setup is broken and nobody can print", None),
    ],
)
def test_intents(text: str, intent: str | None) -> None:
    assert load_intents().classify(text) == intent


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("мой пароль: Qwerty123!", "мой пароль: [redacted]"),
        ("password is hunter2 pls", "password is [redacted] pls"),
        ("карта 4111 1111 1111 1111", "карта [redacted]"),
        ("token xoxb-1234567890-abcdefghijkl", "token [redacted]"),
        ("номер заявки 1234567890123", "номер заявки 1234567890123"),  # not a card (Luhn)
        ("пароль истёк, забыл пароль", "пароль истёк, забыл пароль"),
    ],
)
def test_redact(text: str, expected: str) -> None:
    assert redact(text) == expected
