"""The loaded knowledge base: articles by id and a matcher over them."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from bot.errors import InvalidKB
from bot.knowledge.article import Article
from bot.knowledge.loader import SYNONYMS_FILE, check_kb
from bot.knowledge.matcher import Matcher

__all__ = [
    "MAX_QUERY_CHARS",
    "SYNONYMS_FILE",
    "Knowledge",
    "KnowledgeBase",
    "load_knowledge_base",
]

log = logging.getLogger(__name__)

MAX_QUERY_CHARS = 1000  # a 100 KB paste is matched on its beginning


class Knowledge(Protocol):
    """What the conversation needs of a KB: its articles by id, and a search over them."""

    @property
    def articles(self) -> Mapping[str, Article]: ...

    def search(self, text: str, limit: int = 5) -> list[tuple[Article, float]]:
        """Ranked (article, confidence) pairs for `text`."""
        ...

    def terms(self, text: str) -> frozenset[str]:
        """The terms the search reads `text` as (`Matcher.terms`)."""
        ...


@dataclass(frozen=True, slots=True)
class KnowledgeBase:
    """Articles by id and the matcher built over them."""

    articles: dict[str, Article]
    matcher: Matcher

    def search(self, text: str, limit: int = 5) -> list[tuple[Article, float]]:
        """Ranked (article, confidence) pairs for `text` (cut to MAX_QUERY_CHARS)."""
        matches = self.matcher.match(text[:MAX_QUERY_CHARS], limit=limit)
        return [(self.articles[m.article_id], m.confidence) for m in matches]

    def terms(self, text: str) -> frozenset[str]:
        """The terms the search reads `text` as (`Matcher.terms`; cut as `search` cuts it)."""
        return self.matcher.terms(text[:MAX_QUERY_CHARS])


def load_knowledge_base(path: Path) -> KnowledgeBase:
    """A KB folder (Markdown articles + synonyms.yaml) or a neutral `kb.jsonl` (+ the
    synonyms.yaml beside it).

    Raises InvalidKB with every problem `kb check` names when it cannot be used.
    """
    load = check_kb(path)  # the articles and synonyms.yaml, every problem of both
    if load.problems:
        raise InvalidKB(load.problems)
    for warning in load.warnings:
        log.warning("%s", warning)
    matcher = Matcher(load.articles, synonyms=load.synonyms)
    return KnowledgeBase({a.id: a for a in load.articles}, matcher)
