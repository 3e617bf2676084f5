"""The knowledge base's values: articles and ranked matches."""

from __future__ import annotations

from dataclasses import dataclass, field

__all__ = ["LANGUAGES", "Article", "Match"]

LANGUAGES = ("ru", "en")


@dataclass(frozen=True, slots=True)
class Article:
    """One KB article. Text fields are keyed by language code ("ru", "en").

    Articles loaded from a neutral `kb.jsonl` have a single language (the data set's).
    """

    id: str
    title: dict[str, str]
    questions: dict[str, tuple[str, ...]]
    answer: dict[str, str] = field(default_factory=dict)
    tags: tuple[str, ...] = ()
    priority: str | None = None
    team: str | None = None
    on_site: bool = False
    elsewhere: bool = False  # the question is not for this desk: the answer says where to go
    source: str = ""

    def title_in(self, language: str) -> str:
        """The title in `language`, or in any language the article has."""
        return self.title.get(language) or next(iter(self.title.values()), self.id)

    def answer_in(self, language: str) -> str:
        """The answer in `language`, or in any language the article has."""
        return self.answer.get(language) or next(iter(self.answer.values()), "")


@dataclass(frozen=True, slots=True)
class Match:
    """A ranked candidate: `confidence` is in [0, 1] and comparable across KBs."""

    article_id: str
    confidence: float
