"""The words of the reports the `helpdesk-bot` commands print for people (`report`,
`tickets`, `tickets show`, `kb gaps`), in Russian or English, from bot/locales/reports.yaml.
Their --help and error messages stay English; their JSON is for machines, and keeps its keys
and values."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import cache

from bot.phrases import read_locale

__all__ = ["LANGUAGES", "Words", "report_texts", "report_words", "utc_time"]

LANGUAGES = ("ru", "en")


@dataclass(frozen=True, slots=True)
class Words:
    """One language's words of one report: its section of reports.yaml, and `common`."""

    language: str
    table: Mapping[str, str]

    def __call__(self, key: str, **params: object) -> str:
        text = self.table[key]
        return text.format(**params) if params else text

    def width(self, key: str, at_least: int, *, pad: int = 1) -> int:
        """A column's width: `at_least` (the numbers'), and room for its heading `key` with
        `pad` spaces before it (a Cyrillic letter is one column wide, as a Latin one is)."""
        return max(at_least, len(self(key)) + pad)

    def count(self, key: str, count: int, **params: object) -> str:
        """Phrase `key` for `count`: its `_one`, `_few` or `_many` form, as the language
        says "1 раз", "2 раза", "5 раз" (English: one, and many)."""
        return self(f"{key}_{_form(self.language, count)}", count=count, **params)

    def widest(self, keys: Iterable[str], at_least: int) -> int:
        """A column's width that holds each phrase of `keys` (the values it shows)."""
        return max([at_least, *(len(self(key)) for key in keys)])

    def value(self, kind: str, stored: str) -> str:
        """A stored value ("urgent", a `kind` of "priority") in these words; one these words
        do not know, as stored."""
        return self.table.get(f"{kind}_{stored}", stored)


def _form(language: str, count: int) -> str:
    """The plural form of `count`: Russian has three ("1 раз", "2 раза", "5 раз")."""
    if language != "ru":
        return "one" if count == 1 else "many"
    if count % 10 == 1 and count % 100 != 11:
        return "one"
    return "few" if 2 <= count % 10 <= 4 and not 12 <= count % 100 <= 14 else "many"


@cache
def report_texts() -> dict[str, dict[str, dict[str, str]]]:
    """bot/locales/reports.yaml: language → report ("report", "tickets", …) → key → text."""
    return {
        language: {report: {k: str(v) for k, v in keys.items()} for report, keys in texts.items()}
        for language, texts in read_locale("reports.yaml").items()
    }


def report_words(language: str, report: str) -> Words:
    """The words of `report` in `language` ("ru" or "en")."""
    texts = report_texts()[language]
    return Words(language, texts["common"] | texts[report])


def utc_time(moment: datetime | None) -> str:
    """A moment as the reports print it, "2026-11-28 09:30 UTC"; "-" for none."""
    return "-" if moment is None else f"{moment.astimezone(UTC):%Y-%m-%d %H:%M} UTC"
