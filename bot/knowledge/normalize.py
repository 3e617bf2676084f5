"""One text normalisation, used identically when indexing the KB and when matching a question.

Steps: keep a bounded prefix, lower-case, ё→е, drop apostrophes inside words ("can't" → "cant"),
replace everything that is not a letter or digit (punctuation, emoji, "_") with a space, split,
drop stop words, stem each word with the Snowball stemmer of its script (Cyrillic → Russian,
otherwise English). Russian stems get a light extra trim so that derivations share a key
("подключиться", "подключается", "подключение" → "подключ").
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from functools import cache, lru_cache
from typing import Any

import Stemmer

__all__ = [
    "MAX_INPUT_CHARS",
    "STOP_WORDS",
    "clean",
    "cyrillic_share",
    "is_cyrillic",
    "pasted",
    "root",
    "stem",
    "terms",
    "unpasted",
    "word_lists",
    "words",
]

MAX_INPUT_CHARS = 1000
"""Only this prefix of a message is matched, so a 100 KB paste costs the same as a question."""

_APOSTROPHE = re.compile(r"['’`](?<=[^\W\d_]['’`])(?=[^\W\d_])")
_NON_WORD = re.compile(r"[\W_]+")
_WORD = re.compile(r"[^\W_]+")
_CYRILLIC = re.compile(r"[а-яё]")
# What a pasted word looks like (`pasted`): a link, an address, a mention, a host or file name.
_LINK = re.compile(r"://|^www\.|@", re.IGNORECASE)
# A host or file name: two dots between letters, or one before a common ending. Not any dot
# with letters after it: typed in the Latin layout, "ю" is "." ("pfgecrf.ncz", "запускаются").
_DOMAIN = r"com|net|org|ru|io|local|corp|lan"
_FILE_TYPE = r"docx?|xlsx?|pptx?|pdf|exe|msi|pst|ost|txt|csv|log|zip|rar|7z|png|jpe?g|html?"
_DOTTED = re.compile(
    rf"\w[\w-]*\.[\w-]+\.[a-z][\w-]*(?:\.[\w-]+)*|\w[\w-]*\.(?:{_DOMAIN}|{_FILE_TYPE})",
    re.IGNORECASE,
)
_SCHEME = re.compile(r"^[a-z][a-z0-9+.-]*://", re.IGNORECASE)
_HOST = re.compile(r"[\w-]+(?:\.[\w-]+)+(?:[/?#:]|$)")  # a host name, and where it ends
_FILE = re.compile(rf"[^/\\]+\.(?:{_FILE_TYPE})", re.IGNORECASE)
_PATH_START = re.compile(r"(?:[a-z]:)?[/\\~]", re.IGNORECASE)
_LETTER = re.compile(r"[^\W\d_]")
_MAYBE_PASTED = re.compile(r"[@/\\~]|\w\.\w")
_TRAILING = "\"'»”).,:;!?"
_RU_RESIDUAL = ("ен", "ан", "к", "а", "я", "й", "ь")
_RU_MIN_STEM = 4
_RU_MAX_STEM = 7
# Words that carry no topic. In Russian: prepositions, conjunctions, auxiliaries, politeness,
# personal pronouns, which are mostly filler ("у меня не работает"). In English only greetings
# and politeness: its function words stay, since IDF weighs them down anyway and they tell
# intents apart ("how do i say hello in french", "what is my name" / "what is your name").
# Dropping them too (language.py's list of them) cost 0.018 top-1 on CLINC150 val and 0.024 on its
# 10-per-article cut; on the demo KB's small validation sets it gained 4 questions of 440 and
# lost 1 (see bench/fit.py). Negations ("не", "not", "no") stay as well.
_STOP_TEXT = """
    и в во на с со к ко по за из от до о об а но же ли бы б то у я мне меня мной мой моя мое мои
    моего моей ты тебе вы вам вас ваш ваша он она оно они его ее их им это этот эта эти этого
    что чтобы так там тут уже еще вот для при про или мы нас нам ну пожалуйста плиз пжлст
    подскажите подскажи скажите привет здравствуйте добрый доброе день утро вечер спасибо всем
    коллеги есть был была было были быть очень просто какой какая какие как опять снова тоже также
    дела делать сделать делаю
    please pls plz hi hello hey thanks thank
"""
STOP_WORDS = frozenset(_STOP_TEXT.split())


def clean(text: str) -> str:
    """The bounded, lower-cased text with only letters, digits and single spaces left."""
    return " ".join(words(text))


def words(text: str) -> list[str]:
    """The words of `text` after `clean`, stop words included."""
    return _WORD.findall(_lower(text[:MAX_INPUT_CHARS]))


def word_lists(texts: Sequence[str]) -> list[list[str]]:
    """`words` of each text, for many at once (a KB's): the texts are lower-cased and cleaned
    as one string, since per text these calls cost more than the work itself (a 100,000-
    question KB spent a second here). Lines keep them apart: a line break is not a letter,
    so no rule of `clean` reaches across one."""
    if not texts:
        return []
    whole = _lower("\n".join(text[:MAX_INPUT_CHARS].replace("\n", " ") for text in texts))
    for char in set(whole) - {"\n"}:
        if _NON_WORD.match(char):
            whole = whole.replace(char, " ")
    return [line.split() for line in whole.split("\n")]


def pasted(word: str) -> bool:
    """Whether one word of a message (split at white space) is something pasted rather than
    written: a link ("https://…", "www.…"), an e-mail address or a mention ("…@…"), a host or
    file name ("portal.example.com", "report.xlsx", with a port or path after it), or a path
    (starting with "/", "\\", "~" or a drive, or with two or more slashes). One slash is a
    word's ("вход/выход", "and/or")."""
    word = word.rstrip(_TRAILING)
    host = _HOST.match(word)
    if _LINK.search(word) or (host and _DOTTED.fullmatch(host.group().rstrip("/?#:"))):
        return True
    slashes = word.count("/") + word.count("\\")
    if not slashes or not _LETTER.search(word):  # "12/03/2019" is a date
        return False
    return slashes >= 2 or _PATH_START.match(word) is not None


def unpasted(text: str, known: Callable[[str], bool] | None = None) -> str:
    """`text` with each pasted word (`pasted`) replaced by the words of it that may say what it
    is about (`_telling`), and of those only the `known` ones: with a KB that knows "portal",
    "не открывается https://portal.example.com/hr/vacation" is read as "не открывается portal".
    What the KB does not know of a link is neither a sign that the question is off-topic nor
    a word to correct the spelling of, as it would be in the text around it, so it does not
    count at all. The KB's own texts are read with `known` None: every telling word kept."""
    if not _MAYBE_PASTED.search(text):
        return text
    kept: list[str] = []
    for part in text.split():
        if pasted(part):
            kept.extend(w for w in _telling(part.rstrip(_TRAILING)) if known is None or known(w))
        else:
            kept.append(part)
    return " ".join(kept)


def _telling(word: str) -> list[str]:
    """The words of a pasted word but its organisation's domain, which its other links and
    addresses share ("example.com" of "portal.example.com", "hr@example.com"), and "www": of
    an address its name ("hr"), of a link its host's other labels and its path ("vpn",
    "remote", "login" of "https://vpn.example.com/remote/login"), of a path all of it."""
    word = _SCHEME.sub("", word)
    if "@" in word:  # an address or a mention: the name before the domain
        return words(word.split("@")[0] or word)
    host, _, rest = word.partition("/") if _HOST.match(word) else ("", "", word)
    labels = [label for label in host.split(".") if label and label.lower() != "www"]
    if _FILE.fullmatch(host):  # "report.xlsx": a file's name, all of it
        labels = host.split(".")
    elif labels:
        labels = labels[: -2 if len(labels) > 2 else -1]
    return words(" ".join(labels) + " " + rest)


def _lower(text: str) -> str:
    text = text.lower().replace("ё", "е")
    if "'" in text or "’" in text or "`" in text:
        text = _APOSTROPHE.sub("", text)
    return text


def is_cyrillic(word: str) -> bool:
    """Whether `word` has any Cyrillic letter (so it is stemmed as Russian)."""
    return _CYRILLIC.search(word) is not None


def cyrillic_share(text: str) -> float:
    """The share of the words of `text` (numbers aside) that are Cyrillic: 1.0 for a Russian
    question, 0.0 for an English one or one without words."""
    found = [word for word in words(text) if not word.isdigit()]
    return sum(map(is_cyrillic, found)) / len(found) if found else 0.0


@cache
def _stemmer(language: str) -> Any:  # PyStemmer ships no type hints
    return Stemmer.Stemmer(language)


def _trim_russian(stem: str) -> str:
    for _ in range(2):
        for ending in _RU_RESIDUAL:
            if stem.endswith(ending) and len(stem) - len(ending) >= _RU_MIN_STEM:
                stem = stem[: -len(ending)]
                break
        else:
            break
    return stem[:_RU_MAX_STEM]


@lru_cache(maxsize=65536)
def stem(word: str) -> str:
    """The stem of one cleaned word, by its script; digits-only words are kept as they are."""
    found = root(word)
    return _trim_russian(found) if is_cyrillic(word) else found


def root(word: str) -> str:
    """The Snowball stem of one cleaned word, without `stem`'s extra Russian trim (which cuts
    a stem to its first letters): the word without its ending."""
    if is_cyrillic(word):
        return str(_stemmer("russian").stemWord(word))
    if word.isdigit():
        return word
    return str(_stemmer("english").stemWord(word))


def content_words(text: str) -> list[str]:
    """The cleaned words of `text` without stop words, in order."""
    return [word for word in words(text) if word not in STOP_WORDS]


def terms(text: str) -> list[str]:
    """Stems of the non-stop words of `text`, in order: the matcher's view of a text."""
    return [stem(word) for word in content_words(text)]
