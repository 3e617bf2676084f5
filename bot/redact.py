"""Remove secrets users paste (passwords, tokens, card numbers) before storing or relaying."""

from __future__ import annotations

import re

__all__ = ["redact"]

_MASK = "[redacted]"
_PASSWORD = re.compile(r"(?i)\b(password|passwd|pwd|пароль|парол[ья]|pass)(\s*(?:is|:|=)\s*)(\S+)")
_TOKENS = re.compile(
    r"\b(xox[abprs]-[\w-]{10,}|xapp-[\w-]{10,}|\d{6,12}:[\w-]{30,}|gh[pousr]_\w{30,}"
    r"|AKIA[0-9A-Z]{16}|eyJ[\w-]{10,}\.[\w-]{10,}\.[\w-]{10,})\b"
)
_CARD = re.compile(r"\b(?:\d[ -]?){12,18}\d\b")


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
    text = _PASSWORD.sub(lambda m: m.group(1) + m.group(2) + _MASK, text)
    text = _TOKENS.sub(_MASK, text)
    return _CARD.sub(_card, text)
