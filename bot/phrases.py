"""The bot's own words, loaded from bot/locales/<language>.yaml; no phrase lives in code."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from importlib import resources
from typing import Any

import yaml

from bot.zones import Days

__all__ = ["PageTexts", "Phrases", "load_page_texts", "load_phrases", "read_locale"]

_NO_DESK = "no_desk_"  # the prefix of a phrase said instead when there is no agents' desk

# libyaml's safe loader where PyYAML was built with it: ten times faster than the pure one
# (the phrases are read at every start, and by every test's engine)
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def read_locale(name: str) -> dict[str, Any]:
    """One file of bot/locales, a mapping."""
    text = resources.files("bot").joinpath("locales", name).read_text(encoding="utf-8")
    data = yaml.load(text, Loader=_LOADER)  # noqa: S506 - a safe loader, libyaml's if there
    if not isinstance(data, dict):
        raise ValueError(f"bot/locales/{name} must be a mapping")
    return data


@dataclass(frozen=True, slots=True)
class Phrases:
    """Phrases per language; `get` falls back to English for an unknown language."""

    by_language: dict[str, dict[str, str]]

    def get(self, language: str, key: str, **params: object) -> str:
        table = self.by_language.get(language) or self.by_language["en"]
        return table[key].format(**params) if params else table[key]

    def days(self, language: str, now: datetime) -> Days:
        """How `language` says a time on `now`'s day and the next (`zones.told_time`)."""
        return Days(now, self.get(language, "time_today"), self.get(language, "time_tomorrow"))

    def without_desk(self) -> Phrases:
        """The phrases of a deployment with no agents' desk (no teams): each `no_desk_<key>`
        says <key>'s words (a ticket is offered, never a person who could not answer)."""
        return Phrases(
            {
                language: table
                | {k.removeprefix(_NO_DESK): v for k, v in table.items() if k.startswith(_NO_DESK)}
                for language, table in self.by_language.items()
            }
        )

    def each(self, key: str) -> dict[str, str]:
        """Phrase `key` in every language, by language code (for a channel to pick from)."""
        return {language: table[key] for language, table in self.by_language.items()}


def load_phrases(languages: tuple[str, ...] = ("ru", "en")) -> Phrases:
    """Read the phrase files of `languages`."""
    return Phrases(
        {lang: {k: str(v) for k, v in read_locale(f"{lang}.yaml").items()} for lang in languages}
    )


PageTexts = dict[str, dict[str, dict[str, str]]]  # language → page → key → text


def load_page_texts() -> PageTexts:
    """Read bot/locales/web.yaml: language → page ("chat", "agent") → key → text."""
    data = read_locale("web.yaml")
    return {
        lang: {page: {k: str(v) for k, v in texts.items()} for page, texts in pages.items()}
        for lang, pages in data.items()
    }
