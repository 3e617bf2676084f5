"""An agent answers with a KB article: `!kb <words or article id>` in a request's thread
(`/kb` on a Telegram desk, "Send article" on the web desk).

The article's answer goes to the user, in their language, as the agent's message, and the
desk's thread notes which article went. The user's question is kept with that article (as a
question the KB did not answer, reason "agent_article"), so `kb gaps` shows what the bot
should have found and writes it already labelled for `kb eval`. When the words fit no article
clearly, nothing is sent: the agent gets the closest few, with the ids to send one by.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from bot.handoff.agents import agent_name
from bot.handoff.queue import Queue
from bot.handoff.text import one_line
from bot.markdown import literal
from bot.storage.models import Handoff, TranscriptMessage, UnansweredQuestion

__all__ = ["AGENT_ARTICLE", "NO_LIBRARY", "KbEntry", "Library", "Lookup", "send_article"]

AGENT_ARTICLE = "agent_article"  # the reason a question is kept with the article an agent sent
_QUERY_CHARS = 80  # of the agent's words, repeated back to them


@dataclass(frozen=True, slots=True)
class KbEntry:
    """An article as the desk sends it: id, and title and answer in one language."""

    id: str
    title: str
    answer: str


@dataclass(frozen=True, slots=True)
class Lookup:
    """The article to send, or (none clear) the closest few."""

    chosen: KbEntry | None
    closest: tuple[KbEntry, ...] = ()


class Library(Protocol):
    """The knowledge base, as agents' desks look things up in it."""

    async def lookup(self, text: str, language: str) -> Lookup:
        """The article `text` names by its id or clearly matches, in `language`; else the
        closest few."""
        ...


class _NoLibrary:
    """A desk built without the KB finds no article."""

    async def lookup(self, text: str, language: str) -> Lookup:
        return Lookup(None)


NO_LIBRARY: Library = _NoLibrary()


async def send_article(
    queue: Queue, handoff: Handoff, who: str, query: str, found: Lookup | None
) -> tuple[bool, str]:
    """Send the article `found` for `query` (by `Library.lookup`; None: no words) to the
    handoff's user; (done, what the agent reads)."""
    t = queue.desk_text
    if found is None or not query.strip():
        return False, t("desk_kb_usage")
    entry, words = found.chosen, literal(one_line(query, _QUERY_CHARS))  # quoted as typed
    if entry is None:
        if not found.closest:
            return False, t("desk_kb_none", query=words)
        options = "\n".join(t("desk_kb_option", id=e.id, title=e.title) for e in found.closest)
        return False, t("desk_kb_choose", query=words, options=options)
    name = await agent_name(who)
    await TranscriptMessage.create(  # the article itself is in the KB: its title and id
        conversation_id=handoff.conversation_id,
        direction="agent",
        text=f"📄 {entry.title} ({entry.id})",
    )
    await queue.tell_user(
        handoff, "handoff_agent_article", agent=name, title=entry.title, answer=entry.answer
    )
    await _keep_question(handoff, entry.id)
    text = t("desk_kb_sent", id=handoff.id, title=entry.title, article=entry.id, agent=name)
    await queue.tell_desk(handoff, text)
    return True, text


async def _keep_question(handoff: Handoff, article_id: str) -> None:
    """The user's question, with the article that answered it (once per conversation,
    question and article)."""
    question = handoff.question.strip()
    kept = UnansweredQuestion.filter(
        conversation_id=handoff.conversation_id,
        reason=AGENT_ARTICLE,
        best_article_id=article_id,
        text=question,
    )
    if question and not await kept.exists():
        await UnansweredQuestion.create(
            conversation_id=handoff.conversation_id,
            text=question,
            language=handoff.language,
            reason=AGENT_ARTICLE,
            best_article_id=article_id,
        )
