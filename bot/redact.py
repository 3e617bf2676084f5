"""Remove secrets users paste (passwords, tokens, card numbers) before storing or relaying.

Passwords are told by the token right after a password word: password, passwd, pass, pwd,
pw, пароль in any case, парол, пасс, the misspellings "pasword", "пороль", "parol", and
"gfhjkm"/"зфыыцщкв" (typed in the wrong layout); PIN codes by "pin", "pin code", "пин",
"пин-код". Between the two may stand "is", "now", "теперь", a dash, and a short qualifier: a
preposition and up to three words ("от почты", "for vpn", "to my mail"). A change's "на" /
"to" may also be followed by the new password itself ("сменил пароль на Vesna2025"): the
token right after it is tried first.

- After ":" or "=" the next token is the secret, whatever it looks like ("pwd: x", "пароль от
  почты: Qwerty123"), unless it has no letter or digit ("забыл пароль :)").
- Without them it is the secret only if it looks like one: a number of three or more digits
  ("пасс 123"), or six or more characters mixing letters with digits or symbols ("password
  hunter2", "логин ivanov пароль Zx12345"), but not an e-mail address or a link; nor, after
  "gfhjkm", a Russian word typed in the same layout, lower-case Latin letters with the keys of
  "б", "ю", "ж"… (",", ".", ";"): "gfhjkm pf,skb" is "пароль забыл".
- A comma or semicolon ending the secret's token ends the clause and is kept ("пин [redacted],
  номер…").

The matcher sees the redacted text, so sentences about passwords must keep their words
("пароль не подходит", "my password is not working"), and so do short product names
("пароль 1с", "password 2fa"). The price: a plain word given without a separator ("пароль
qwerty") cannot be told from "пароль wifi" or "password expired" and is kept, and a long
product name right after the word ("password office365") is masked.
"""

from __future__ import annotations

import re
import string

__all__ = ["redact"]

_MASK = "[redacted]"
_KEYWORD = re.compile(
    r"(?i)\b(?:pass?words?|passwd|pass|pwd|pw|parol|п[ао]рол(?:ь|я|ю|ем|е|и)?|пасс"
    r"|gfhjkm|зфыыцщкв|pin(?:[- ]?code)?|пин(?:[- ]?код(?:а|у|ом|е)?)?)\b"
)
_FILLERS = r"(?:\s+(?:is|now|was|теперь|сейчас)\b|\s*[-—–])*"
_PREPOSITION = r"\s+(?:от|для|к|на|в|с|for|to|from|of|on|at|in)"
# A qualifier's word does not end a sentence or a clause ("пароль от почты. Пишет…").
_WORD = r"\s+[^\s:=,;!?]*[^\s:=,;!?.]"
_GIVEN = re.compile(
    rf"(?i){_FILLERS}(?:{_PREPOSITION}(?:{_WORD}){{1,3}})?\s*[:=]\s*(?P<secret>\S*\w\S*)"
)


def _unseparated(words: int) -> re.Pattern[str]:
    """The token after the word's fillers and a qualifier of `words` words (none if 0)."""
    qualifier = rf"{_PREPOSITION}(?:{_WORD}){{{words}}}\s" if words else ""
    return re.compile(rf"(?i){_FILLERS}{qualifier}\s*(?P<secret>\S+)")


# The new password a change is "to": "сменил пароль на Vesna2025", "changed it to Summer24".
_CHANGED_TO = re.compile(rf"(?i){_FILLERS}\s+(?:на|to)\s+(?P<secret>\S+)")
# Tried in order, nearest first: the token right after the word, the one a change is to,
# then the token after a qualifier.
_UNSEPARATED = (_unseparated(0), _CHANGED_TO, *(_unseparated(words) for words in range(1, 4)))
_CLAUSE_END = re.compile(r"[,;]+$")
_EDGES = "\"'«»“”()[]<>.,;:!?…"
_TIME = re.compile(r"\d:\d\d(?!\d)")  # "в 10:30": the ":" of a time is no separator
_ADDRESS = re.compile(r"^[^@]+@[^@]+\.\w+$|://")
_TOKENS = re.compile(
    r"\b(xox[abprs]-[\w-]{10,}|xapp-[\w-]{10,}|\d{6,12}:[\w-]{30,}|gh[pousr]_\w{30,}"
    r"|AKIA[0-9A-Z]{16}|eyJ[\w-]{10,}\.[\w-]{10,}\.[\w-]{10,})\b"
)
_CARD = re.compile(r"\b(?:\d[ -]?){12,18}\d\b")
# What a Russian word typed in the English layout is made of: letters, and the keys of "б",
# "ю", "ж", "э", "х", "ъ", "ё".
_LATIN_LAYOUT = frozenset(string.ascii_lowercase + ",.;'[]`")


def _looks_secret(token: str, *, latin_layout: bool = False) -> bool:
    """Whether an unannounced token is a password rather than a word (see the module doc).
    `latin_layout`: it follows "gfhjkm", so a Russian word typed in the English layout too
    ("pf,skb", "забыл") is a word."""
    core = token.strip(_EDGES)
    if latin_layout and core.islower() and set(core) <= _LATIN_LAYOUT:
        return False
    if core.isdigit():
        return len(core) >= 3
    if len(core) < 6 or _ADDRESS.search(core):
        return False
    has_letter = any(char.isalpha() for char in core)
    return has_letter and any(not char.isalpha() and char != "-" for char in core)


def _secret_after(keyword: re.Match[str]) -> tuple[int, int] | None:
    """Where the password given after the password word `keyword` is, if any."""
    text, start = keyword.string, keyword.end()
    given = _GIVEN.match(text, start)
    if given and not _TIME.match(text, given.start("secret") - 2):
        return _clause_kept(given)
    latin_layout = keyword[0].lower() == "gfhjkm"
    for pattern in _UNSEPARATED:
        found = pattern.match(text, start)
        if found and _looks_secret(found["secret"], latin_layout=latin_layout):
            return _clause_kept(found)
    return None


def _clause_kept(found: re.Match[str]) -> tuple[int, int]:
    """The secret's span without the comma or semicolon that ends its clause ("пин 1234,
    номер…"): the token runs to a space, so one at its end is the sentence's."""
    start, end = found.span("secret")
    mark = _CLAUSE_END.search(found["secret"])
    return (start, start + mark.start()) if mark and mark.start() else (start, end)


def _mask_passwords(text: str) -> str:
    spans = {_secret_after(keyword) for keyword in _KEYWORD.finditer(text)}
    parts: list[str] = []
    done = 0
    # Two words can point at the same secret; every span runs to the end of its token.
    for start, end in sorted(span for span in spans if span is not None):
        if start >= done:
            parts += [text[done:start], _MASK]
            done = end
    return "".join(parts) + text[done:]


def _luhn(digits: str) -> bool:
    total = 0
    for index, char in enumerate(reversed(digits)):
        value = int(char) * (2 if index % 2 else 1)
        total += value - 9 if value > 9 else value
    return total % 10 == 0


def _card(match: re.Match[str]) -> str:
    digits = re.sub(r"\D", "", match.group(0))
    return _MASK if 13 <= len(digits) <= 19 and _luhn(digits) else match.group(0)


def redact(text: str) -> str:
    """`text` with pasted secrets replaced by a mask."""
    text = _mask_passwords(text)
    text = _TOKENS.sub(_MASK, text)
    return _CARD.sub(_card, text)
