"""The bot's own words, loaded from bot/locales/<language>.yaml; no phrase lives in code."""

from __future__ import annotations

import re
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

__all__ = ["Intents", "PageTexts", "Phrases", "load_intents", "load_page_texts", "load_phrases"]

_WORDS = re.compile(r"[^\w\s]+")
# A request for a person is a short message; in a long one "agent" or "специалист" is
# more likely part of a question for the KB.
_PERSON_MAX_WORDS = 8
_TICKETS_OTHER_WORDS = 4  # besides the phrase, in a request for the status of one's tickets


def _read(name: str) -> dict[str, Any]:
    text = resources.files("bot").joinpath("locales", name).read_text(encoding="utf-8")
    data = yaml.safe_load(text)
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


def load_phrases(languages: tuple[str, ...] = ("ru", "en")) -> Phrases:
    """Read the phrase files of `languages`."""
    return Phrases(
        {lang: {k: str(v) for k, v in _read(f"{lang}.yaml").items()} for lang in languages}
    )


def simplify(text: str) -> str:
    """Lower-case, ё→е, punctuation and extra spaces removed: how intents are compared."""
    return " ".join(_WORDS.sub(" ", text.casefold().replace("ё", "е")).split())


@dataclass(frozen=True, slots=True)
class Intents:
    """Trigger phrases of the messages that are not KB questions."""

    phrases: dict[str, frozenset[str]]

    def classify(self, text: str) -> str | None:
        """The intent of `text` ("outage", "greeting", "thanks", "help", "person",
        "tickets"), or None for an ordinary question."""
        simple = simplify(text)
        if not simple:
            return None
        padded = f" {simple} "
        if self._contains(padded, "outage"):
            return "outage"
        short = len(simple.split()) <= _PERSON_MAX_WORDS
        if self._contains(padded, "person"):
            return "person" if short else None
        if self._asks_about_tickets(padded):
            return "tickets"
        for intent in ("help", "greeting", "thanks"):
            rest = padded
            for phrase in sorted(self.phrases.get(intent, ()), key=len, reverse=True):
                rest = rest.replace(f" {phrase} ", " ")
            if not rest.strip():
                return intent
        return None

    def urgency(self, text: str) -> str | None:
        """The priority `text` asks for by its words: "urgent" for an outage, "high" for an
        urgent request, None when it says nothing of the kind."""
        padded = f" {simplify(text)} "
        if self._contains(padded, "outage"):
            return "urgent"
        return "high" if self._contains(padded, "urgent") else None

    def _asks_about_tickets(self, padded: str) -> bool:
        """A `tickets` phrase and at most a few other words ("what is the status of my
        ticket"): "can't attach a file to my ticket" is a question, not a status request."""
        found = [p for p in self.phrases.get("tickets", ()) if f" {p} " in padded]
        if not found:
            return False
        rest = padded.replace(f" {max(found, key=len)} ", " ", 1)
        return len(rest.split()) <= _TICKETS_OTHER_WORDS

    def _contains(self, padded: str, intent: str) -> bool:
        return any(f" {p} " in padded for p in self.phrases.get(intent, ()))


def load_intents(extra: Path | None = None) -> Intents:
    """Read bot/locales/intents.yaml, and add the phrases of the deployment's own file
    `extra` (the same lists; ValueError says what is wrong with it)."""
    data = _read("intents.yaml")
    lists = {k: {simplify(p) for p in v} for k, v in data.items()}
    for intent, phrases in _own_intents(extra, known=frozenset(lists)).items():
        lists[intent] |= phrases
    return Intents({k: frozenset(v) for k, v in lists.items()})


def _own_intents(path: Path | None, *, known: frozenset[str]) -> dict[str, set[str]]:
    if path is None:
        return {}
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError) as exc:
        raise ValueError(f"{path}: {exc}") from exc
    if not isinstance(data, dict):
        raise ValueError(f"{path}: must map lists ({', '.join(sorted(known))}) to phrases")
    lists = {}
    for intent, phrases in data.items():
        if intent not in known:
            raise ValueError(f"{path}: unknown list '{intent}': use {', '.join(sorted(known))}")
        if not isinstance(phrases, list) or not all(isinstance(p, str) for p in phrases):
            raise ValueError(f"{path}: '{intent}' must be a list of phrases")
        lists[intent] = {simplify(p) for p in phrases} - {""}
    return lists


PageTexts = dict[str, dict[str, dict[str, str]]]  # language → page → key → text


def load_page_texts() -> PageTexts:
    """Read bot/locales/web.yaml: language → page ("chat", "agent") → key → text."""
    data = _read("web.yaml")
    return {
        lang: {page: {k: str(v) for k, v in texts.items()} for page, texts in pages.items()}
        for lang, pages in data.items()
    }
