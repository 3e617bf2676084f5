"""The knowledge base in use, loaded again when its files change: a fixed article goes live
without a restart.

The composition root calls `reload_if_changed` every few seconds, in a background thread (a
big KB takes seconds to build; the old one answers meanwhile). A KB whose files now have
problems is not taken: every problem is logged with its file and line, and the one in use
stays. Each turn works on one loaded KB (`current`), swapped whole.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator, Mapping
from pathlib import Path

from bot.errors import KnowledgeError
from bot.knowledge.article import Article
from bot.knowledge.base import KnowledgeBase, load_knowledge_base
from bot.knowledge.folder import synonyms_files, watched

__all__ = ["LiveKnowledge", "fingerprint"]

log = logging.getLogger(__name__)

Stamp = tuple[tuple[str, int, int], ...]


def fingerprint(path: Path) -> Stamp:
    """What changes when the KB's files do: each file's name, size and modification time (a
    KB folder's files that `kb check` reads or names, in sub-folders too, or a `kb.jsonl` and
    the synonyms file beside it, a misnamed one too). A symlink that points nowhere counts by
    its own (lstat)."""
    files = [path, *synonyms_files(path.parent)] if path.is_file() else watched(path)
    stamps = []
    for file in sorted(files):
        try:
            stat = file.stat() if file.exists() else file.lstat()
        except OSError:  # gone, or no synonyms file
            continue
        stamps.append((str(file.relative_to(path.parent)), stat.st_size, stat.st_mtime_ns))
    return tuple(stamps)


class _Articles(Mapping[str, Article]):
    """The articles of whichever KB is in use at the moment of each lookup."""

    def __init__(self, live: LiveKnowledge) -> None:
        self._live = live

    def __getitem__(self, article_id: str) -> Article:
        return self._live.current.articles[article_id]

    def __iter__(self) -> Iterator[str]:
        return iter(self._live.current.articles)

    def __len__(self) -> int:
        return len(self._live.current.articles)


class LiveKnowledge:
    """The KB at `path`, searched like a `KnowledgeBase`; `reload_if_changed` swaps it."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._seen = fingerprint(path)  # before loading: a change made meanwhile is seen next
        self.current: KnowledgeBase = load_knowledge_base(path)
        self.articles: Mapping[str, Article] = _Articles(self)

    def search(self, text: str, limit: int = 5) -> list[tuple[Article, float]]:
        """`KnowledgeBase.search` on the KB in use."""
        return self.current.search(text, limit)

    def terms(self, text: str) -> frozenset[str]:
        """`KnowledgeBase.terms` on the KB in use."""
        return self.current.terms(text)

    def reload_if_changed(self) -> bool:
        """Load the KB again if its files changed since the last look; True when the new one
        is in use. One with problems is logged (each with file and line) and not taken; it is
        tried again when the files next change."""
        seen = fingerprint(self.path)
        if seen == self._seen:
            return False
        self._seen = seen
        try:
            loaded = load_knowledge_base(self.path)
        except KnowledgeError as exc:
            log.error("%s changed, but the knowledge base in use stays: %s", self.path, exc)
            return False
        before, self.current = len(self.current.articles), loaded
        log.info(
            "knowledge base reloaded from %s: %d articles (were %d)",
            self.path,
            len(loaded.articles),
            before,
        )
        return True
