"""Recover Russian typed in the wrong keyboard layout or in Latin transliteration.

`variants(text)` gives the readings of a message worth matching: the original, the text with
its keyboard layout swapped (ЙЦУКЕН ↔ QWERTY, punctuation keys included: "gfhjkm" → "пароль",
"hf,jnftn" → "работает", "щгедщщл" → "outlook"), Latin transliterated to Cyrillic
("zabyl parol" → "забыл парол"), and, given a test of which words the KB knows, a reading
that fixes only the unknown words ("outlook yt hf,jnftn" → "outlook не работает"). The matcher
scores them and keeps another reading only when it matches the KB clearly better than the
original, so plain English is left alone."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from functools import lru_cache

from bot.knowledge.normalize import MAX_INPUT_CHARS

__all__ = ["mixed", "swap_layout", "to_cyrillic", "transliterate", "variants"]

_QWERTY = "`qwertyuiop[]asdfghjkl;'zxcvbnm,./~QWERTYUIOP{}ASDFGHJKL:\"ZXCVBNM<>?"
_JCUKEN = "ёйцукенгшщзхъфывапролджэячсмитьбю.ЁЙЦУКЕНГШЩЗХЪФЫВАПРОЛДЖЭЯЧСМИТЬБЮ,"
_TO_RU = str.maketrans(dict(zip(_QWERTY, _JCUKEN, strict=True)))
_TO_EN = str.maketrans(dict(zip(_JCUKEN, _QWERTY, strict=True)))
_LATIN = re.compile(r"[a-z]", re.IGNORECASE)
_CYRILLIC = re.compile(r"[а-яё]", re.IGNORECASE)

# Longest first; applied left to right. Covers the usual variants: ya/ja/ia, sh/sch/shch,
# kh/h, ts/c, y/i, iy/yj/ij, zh/j, ch/4.
_TRANSLIT = (
    ("tsya", "тся"),
    ("tsia", "тся"),
    ("shch", "щ"),
    ("sch", "щ"),
    ("sh", "ш"),
    ("ch", "ч"),
    ("zh", "ж"),
    ("kh", "х"),
    ("ts", "ц"),
    ("tz", "ц"),
    ("ya", "я"),
    ("ja", "я"),
    ("ia", "я"),
    ("yu", "ю"),
    ("ju", "ю"),
    ("iu", "ю"),
    ("yo", "е"),
    ("jo", "е"),
    ("ye", "е"),
    ("je", "е"),
    ("iy", "ий"),
    ("ij", "ий"),
    ("yj", "ый"),
    ("yi", "ый"),
    ("yy", "ый"),
    ("ck", "к"),
    ("ph", "ф"),
    ("oo", "у"),
    ("ee", "и"),
    ("a", "а"),
    ("b", "б"),
    ("c", "ц"),
    ("d", "д"),
    ("e", "е"),
    ("f", "ф"),
    ("g", "г"),
    ("h", "х"),
    ("i", "и"),
    ("j", "й"),
    ("k", "к"),
    ("l", "л"),
    ("m", "м"),
    ("n", "н"),
    ("o", "о"),
    ("p", "п"),
    ("q", "к"),
    ("r", "р"),
    ("s", "с"),
    ("t", "т"),
    ("u", "у"),
    ("v", "в"),
    ("w", "в"),
    ("x", "кс"),
    ("y", "ы"),
    ("z", "з"),
    ("'", "ь"),
    ("4", "ч"),
)
_TRANSLIT_RE = re.compile("|".join(re.escape(latin) for latin, _ in _TRANSLIT))
_TRANSLIT_MAP = dict(_TRANSLIT)
_Y_AFTER_VOWEL = re.compile("(?<=[аеиоуыэюя])ы")
_DIGIT_WORD = re.compile(r"\d")


def swap_layout(text: str) -> str:
    """`text` as if typed in the other layout: words with Latin letters go to ЙЦУКЕН, words
    with Cyrillic letters go to QWERTY; other words stay."""
    return " ".join(_swap_word(word) for word in text.split())


def _swap_word(word: str) -> str:
    if _LATIN.search(word):
        return word.translate(_TO_RU)
    if _CYRILLIC.search(word):
        return word.translate(_TO_EN)
    return word


@lru_cache(maxsize=65536)
def transliterate(word: str) -> str:
    """One lower-case Latin word read as transliterated Russian ("parol" → "пароль"-like)."""
    if _DIGIT_WORD.search(word) and len(word) <= 3:
        return word.replace("c", "с").replace("s", "с")  # "1c", "1s" → "1с"
    cyrillic = _TRANSLIT_RE.sub(lambda found: _TRANSLIT_MAP[found.group()], word)
    return _Y_AFTER_VOWEL.sub("й", cyrillic)  # "moy" → "мой", not "моы"


def to_cyrillic(text: str) -> str:
    """`text` with every Latin word transliterated to Cyrillic (Cyrillic words kept)."""
    return " ".join(
        transliterate(word) if _LATIN.search(word) else word for word in text.lower().split()
    )


def mixed(text: str, known: Callable[[str], bool]) -> str:
    """`text` with each word the KB does not know replaced by its other-layout or
    transliterated form when that one is known ("outlook yt hf,jnftn" → "outlook не работает")."""
    return " ".join(next((r for r in _readings(word) if known(r)), word) for word in text.split())


def _readings(word: str) -> Iterator[str]:
    """The word, then its other-layout and transliterated forms (made only when asked for)."""
    yield word
    yield _swap_word(word)
    if _LATIN.search(word):
        yield to_cyrillic(word)


def variants(text: str, known: Callable[[str], bool] | None = None) -> list[str]:
    """The original text first, then the distinct alternative readings worth matching (of
    its first MAX_INPUT_CHARS characters: the rest is never matched). With `known`, a test of
    whether the KB knows a word, one more reading mixes the layouts word by word."""
    found = [text]
    text = text[:MAX_INPUT_CHARS]
    if _LATIN.search(text) or _CYRILLIC.search(text):
        found.append(swap_layout(text))
        if known is not None:
            found.append(mixed(text, known))
    if _LATIN.search(text):
        found.append(to_cyrillic(text))
    return list(dict.fromkeys(found))
