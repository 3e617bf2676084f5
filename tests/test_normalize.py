"""Normalisation, keyboard-layout recovery, transliteration and language detection."""

from __future__ import annotations

import pytest

from bot.knowledge.language import detect_language
from bot.knowledge.layout import mixed, swap_layout, to_cyrillic, variants
from bot.knowledge.normalize import MAX_INPUT_CHARS, clean, stem, terms
from bot.knowledge.speller import Speller


def test_clean_lowercases_folds_yo_and_strips_punctuation_and_emoji() -> None:
    assert clean("  Ёлка!!!  Не   РАБОТАЕТ 😡 (VPN), wi-fi?? ") == "елка не работает vpn wi fi"


def test_clean_joins_apostrophes_inside_words() -> None:
    assert clean("I can't log in, it's broken") == "i cant log in its broken"


def test_inflections_share_a_stem() -> None:
    stems = {stem(word) for word in ("подключиться", "подключается", "подключение")}
    assert stems == {"подключ"}
    assert stem("пароля") == stem("пароль")
    assert stem("connecting") == stem("connection") == "connect"


def test_terms_drop_stop_words_but_keep_negation() -> None:
    assert terms("Подскажите, пожалуйста, у меня не работает принтер") == [
        "не",
        "работ",
        "принтер",
    ]
    # English function words stay (IDF weighs them down), greetings and politeness go.
    assert terms("Hi, how do I reset my password please?") == [
        "how",
        "do",
        "i",
        "reset",
        "my",
        "password",
    ]
    assert terms("привет, спасибо!") == []
    assert terms("Hello, thanks!") == []


def test_input_is_bounded() -> None:
    """Only a prefix is analysed, so a 100 KB paste costs what a question does (bench/
    measures that, DESIGN §6): the rest never reaches the stemmer."""
    paste = "пароль " + "принтер " * 12_500
    assert len(clean(paste)) <= MAX_INPUT_CHARS
    assert terms(paste) == terms(paste[:MAX_INPUT_CHARS])
    assert terms(paste)[0] == "парол"


@pytest.mark.parametrize(
    ("typed", "meant"),
    [
        ("gfhjkm", "пароль"),
        ("ghbynth", "принтер"),
        ("yt hf,jnftn", "не работает"),
        ("gjxnf", "почта"),
        ("щгедщщл", "outlook"),
    ],
)
def test_wrong_layout_is_recovered(typed: str, meant: str) -> None:
    assert swap_layout(typed) == meant
    assert meant in variants(typed)


@pytest.mark.parametrize(
    ("typed", "meant"),
    [
        ("zabyl parol", "забыл парол"),
        ("ne rabotaet pochta", "не работает почта"),
        ("ya zabyl svoy parol v 1s", "я забыл свой парол в 1с"),
        ("podklyuchitsya", "подключится"),
        ("novyj noutbuk", "новый ноутбук"),
    ],
)
def test_transliteration_reads_latin_as_russian(typed: str, meant: str) -> None:
    assert to_cyrillic(typed) == meant


def test_transliterated_words_stem_like_the_russian_ones() -> None:
    assert terms(to_cyrillic("zabyl parol")) == terms("забыл пароль")


def test_mixed_reading_fixes_only_unknown_words() -> None:
    known = {"outlook", "не", "работает"}.__contains__
    assert mixed("outlook yt hf,jnftn", known) == "outlook не работает"
    assert "outlook не работает" in variants("outlook yt hf,jnftn", known)


def test_variants_keep_the_original_first() -> None:
    assert variants("reset my password")[0] == "reset my password"
    assert variants("12345") == ["12345"]


def test_speller_corrects_close_typos_only() -> None:
    speller = Speller(["password", "принтер", "calendar"], stems=["outlook", "впн"])
    assert speller.correct("passwords") == ("password", 1.0)  # same stem: not a typo
    assert speller.correct("passwrod") == ("password", pytest.approx(0.875))
    assert speller.correct("принтр") == (stem("принтер"), pytest.approx(12 / 13))
    assert speller.correct("calender") == ("calendar", pytest.approx(0.875))  # "calend" alone
    assert speller.correct("outlok") == ("outlook", pytest.approx(12 / 13))
    assert speller.correct("впнн") is None  # short words need a closer match
    assert speller.correct("banana") is None
    assert speller.correct("abc") is None  # too short to guess


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("не работает почта", "ru"),
        ("My printer is not working", "en"),
        ("gfhjkm yt gjlfqn", "ru"),
        ("zabyl parol ot pochty", "ru"),
        ("ne rabotaet vpn", "ru"),
        ("reset my password please", "en"),
        ("vpn", "en"),
        ("12345 !!!", None),
        ("не открывается https://intranet.example.com/sites/finance/Shared/Forms", "ru"),
        ("ошибка 0x80070005_ACCESS_DENIED_SHAREPOINT", "ru"),
        ("не приходят письма на ivanov@example.com", "ru"),
        ("не открывается www.example.com", "ru"),
        ("error 0x80070005 when I log in", "en"),
        ("ghbdtn/", "ru"),  # "/" is "." in the Russian layout
        ("https://intranet.example.com/vpn", None),
        ("", None),
        # "one" transliterated is "оне", whose stem is the pronoun "он": everyday English
        # words the list lacked read as Russian
        ("line one\nline two", "en"),
        ("one two", "en"),
        ("the first line", "en"),
    ],
)
def test_detect_language(text: str, language: str | None) -> None:
    assert detect_language(text) == language


@pytest.mark.parametrize(
    ("text", "guessed"),
    [
        ("asdfgh", "ru"),  # "фывапр": only the letters' pattern says Russian
        ("zxcvbn", "ru"),
        ("ghbdtn", "ru"),  # "привет": a Russian word, not a guess
        ("yt hf,jnftn dgy", "ru"),  # "не работает впн"
        ("qwerty zxcv", "en"),
        ("reset my password", "en"),
    ],
)
def test_the_guess_from_the_letters_can_be_left_out(text: str, guessed: str) -> None:
    """Without the guess from the letters alone, keyboard mashing has no language (its
    reader decides), and nothing else changes."""
    assert detect_language(text) == guessed
    unguessed = None if text in ("asdfgh", "zxcvbn", "qwerty zxcv") else guessed
    assert detect_language(text, guess=False) == unguessed


def test_short_stems_need_the_short_words_cutoff() -> None:
    """ "завтра" stems to "завтр", two edits from the KB's "затер" (from "затёр"): a short
    stem is held to the short-word cutoff, so an everyday word is not turned into a KB word."""
    speller = Speller(["затёр", "пароль"])
    assert speller.correct("завтра") is None
    assert speller.correct("пороль") == (stem("пароль"), pytest.approx(5 / 6))
