"""Guess the language a user writes in: "ru", "en", or None when there are no letters.

Cyrillic text is Russian. Latin text is Russian when, read in the other keyboard layout or as
transliteration, more of its words are common Russian words than its words as typed are
common English words ("gfhjkm" → "пароль", "ne rabotaet" → "не работает"); otherwise English.
Latin text with almost no vowels that turns into vowel-rich Cyrillic in the other layout is
also wrong-layout Russian, even when its words are not in the short lists below. Both that
reading and the English one of Latin text with no common English word are guesses from the
letters alone, and keyboard mashing ("asdfgh", "qwerty zxcv") looks the same: a caller that
knows the text matched nothing in any reading can leave them out (`guess=False`) and
decide the language by other means.

Links, e-mail addresses, paths and codes (a word with a digit or "_": "0x80070005",
"ACCESS_DENIED") are not words of any language: a Russian question with a pasted address or
error code is still Russian. A message of nothing else has no language (None), as one
without letters.

Transliterated Russian of words outside those lists ("poteryal propusk") reads as Russian by
the article it matched (`reads_russian_in`): its words transliterated are more of the words of
the article's Russian questions than its words as typed are of its English ones.
"""

from __future__ import annotations

import re
from functools import cache
from itertools import chain

from bot.knowledge.article import Article
from bot.knowledge.layout import swap_layout, to_cyrillic
from bot.knowledge.normalize import MAX_INPUT_CHARS, STOP_WORDS, clean, is_cyrillic, stem, terms

__all__ = ["detect_language", "reads_russian_in"]

_CYRILLIC = re.compile(r"[а-яё]", re.IGNORECASE)
_LATIN = re.compile(r"[a-z]", re.IGNORECASE)
# Not words: a link (with a scheme or "www."), an e-mail address, a path, or a code. No
# Russian letter is typed as "@", a digit or "_"; "/" is "." in the Russian layout, so only
# a slash with more after it ("ghbdtn/" is "привет.").
# Tested per word (`_words`), not as `\S*(…)\S*` over the text: that pattern scans from each
# letter of a long word to its end, 37 ms for a 1,000-letter word.
_NOT_A_WORD = re.compile(r"://|www\.|[@\d_]|[/\\]\S", re.IGNORECASE)
_RU_WORDS = """
    не нет ни как где когда почему зачем сколько можно нужно надо хочу могу может помогите
    работает работать сломался включается пароль почта письмо забыл зайти войти вход принтер
    компьютер ноутбук интернет сеть доступ ошибка печатает подключиться настроить установить
    телефон экран открыть файл папка программа сбросить новый сделать делать пишет выдает
    учетная запись права удалить отправить получить обновить звук камера микрофон
"""
_EN_WORDS = """
    not no dont cant doesnt wont isnt work working works broken help need want new why when
    where who which reset password printer print email mail internet network access error
    connect install login account phone screen file folder open send laptop computer update
    forgot change set up setup show find use sound camera mic meeting calendar today my
    i me you your we our it its what how this that there here
    a an the is are am was were be been being to of in on at for with and or but so do does did
    doing can could would should will shall may might must im ive id just some any about from by
    as into up out get got has have had again still also too
    yes yeah yep ok okay thanks thank thx ty please pls hi hello hey yo sure menu cheers
    one two three four five first second third last next other only all each every line page
"""
_MIN_LETTERS = 4
_EN_VOWEL_FLOOR = 0.2
_RU_VOWEL_FLOOR = 0.3
_MIN_PREFIX = 3  # the shortest stem that is the beginning of another (`_found`)


@cache
def _russian_stems() -> frozenset[str]:
    words = _RU_WORDS.split() + [w for w in STOP_WORDS if is_cyrillic(w)]
    return frozenset(stem(word) for word in words)


@cache
def _english_words() -> frozenset[str]:
    return frozenset(_EN_WORDS.split()) | {w for w in STOP_WORDS if not is_cyrillic(w)}


def _russian_share(text: str) -> float:
    words = clean(text).split()
    return sum(stem(w) in _russian_stems() for w in words) / len(words) if words else 0.0


def _english_share(text: str) -> float:
    words = clean(text).split()
    return sum(w in _english_words() for w in words) / len(words) if words else 0.0


def _vowel_share(text: str, vowels: str) -> float:
    letters = [c for c in text.lower() if c.isalpha()]
    return sum(c in vowels for c in letters) / len(letters) if letters else 0.0


def _looks_wrong_layout(text: str) -> bool:
    letters = len(_LATIN.findall(text))
    swapped = swap_layout(text)
    return (
        letters >= _MIN_LETTERS
        and _vowel_share(text, "aeiouy") < _EN_VOWEL_FLOOR
        and _vowel_share(swapped, "аеиоуыэюяё") >= _RU_VOWEL_FLOOR
    )


def _words(text: str) -> str:
    """`text` without its links, addresses, paths and codes."""
    return " ".join(word for word in text.split() if not _NOT_A_WORD.search(word))


def detect_language(text: str, *, guess: bool = True) -> str | None:
    """ "ru", "en", or None when `text` has no letters (see the module docstring); with
    `guess=False` also None for Latin text that no word of makes English or Russian."""
    text = _words(text[:MAX_INPUT_CHARS])
    cyrillic, latin = len(_CYRILLIC.findall(text)), len(_LATIN.findall(text))
    if not cyrillic and not latin:
        return None
    if cyrillic >= latin:
        return "ru"
    english = _english_share(text)
    russian = max(_russian_share(swap_layout(text)), _russian_share(to_cyrillic(text)))
    if russian > english:
        return "ru"
    if english == 0 and not guess:
        return None
    return "ru" if english == 0 and _looks_wrong_layout(text) else "en"


def _article_stems(article: Article, language: str) -> frozenset[str]:
    texts = [article.title.get(language, ""), *article.questions.get(language, ())]
    return frozenset(chain.from_iterable(terms(text) for text in texts))


def reads_russian_in(text: str, article: Article) -> bool:
    """Whether Latin `text` is transliterated Russian by the `article` it matched: more of its
    words read in Cyrillic are words of the article's Russian title and questions than of
    its words as typed are of the English ones ("poteryal propusk" is "потерял пропуск" of
    the building-pass article; "printer jam" has "printer" in English, "принтер" in Russian
    only as much)."""
    if _CYRILLIC.search(text) or not _LATIN.search(text):
        return False
    text = _words(text[:MAX_INPUT_CHARS])
    russian = _article_stems(article, "ru")
    english = _article_stems(article, "en")
    in_russian = sum(_found(word, russian) for word in terms(to_cyrillic(text)))
    return in_russian > sum(_found(word, english) for word in terms(text))


def _found(word: str, stems: frozenset[str]) -> bool:
    """Whether `word` (a stem) is one of `stems` or one is the other's beginning ("мыш" of
    "мышк": a transliteration loses endings the stemmer would have cut)."""
    if word in stems:
        return True
    return len(word) >= _MIN_PREFIX and any(
        len(other) >= _MIN_PREFIX and (other.startswith(word) or word.startswith(other))
        for other in stems
    )
