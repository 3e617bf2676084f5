"""The knowledge base as the agents' desks look things up in it (`!kb`), for `Desk`.

Part of the composition root: it joins `bot.knowledge` to `bot.handoff`, which do not import
each other. An article's id picks it; otherwise the words are matched like a user's question
(in the background thread, as the engine does), and the best article is chosen only at the
bot's own answer threshold: below it, the agent gets the closest few to choose from, those at
the bot's suggest threshold or above (what it would offer a user as "did you mean"): below
that, an article is no closer than any other.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.handoff.articles import KbEntry, Lookup
from bot.knowledge.article import Article
from bot.knowledge.base import Knowledge
from bot.offload import Offload

__all__ = ["KbLibrary"]

_CLOSEST = 3


def _entry(article: Article, language: str) -> KbEntry:
    return KbEntry(article.id, article.title_in(language), article.answer_in(language))


@dataclass(frozen=True, slots=True)
class KbLibrary:
    """`Library` over the KB in use; `threshold` is the confidence the bot answers at,
    `closest_at` the one it suggests at."""

    knowledge: Knowledge
    offload: Offload
    threshold: float
    closest_at: float

    async def lookup(self, text: str, language: str) -> Lookup:
        return await self.offload.run(self._lookup, text.strip(), language)

    def _lookup(self, text: str, language: str) -> Lookup:
        named = self.knowledge.articles.get(text) or self.knowledge.articles.get(text.casefold())
        if named is not None:
            return Lookup(_entry(named, language))
        found = self.knowledge.search(text, limit=_CLOSEST)
        if found and found[0][1] >= self.threshold:
            return Lookup(_entry(found[0][0], language))
        closest = (_entry(article, language) for article, sure in found if sure >= self.closest_at)
        return Lookup(None, tuple(closest))
