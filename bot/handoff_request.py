"""The request the handoff port is given for a dialog's handoff: the question (redacted),
the articles the user was shown, and the priority, team and on-site need they hint at."""

from __future__ import annotations

from collections.abc import Callable, Mapping

from bot.handoff.port import HandoffRequest
from bot.knowledge.article import Article
from bot.priorities import highest
from bot.redact import redact
from bot.storage.models import Conversation
from bot.turns import Handoff

__all__ = ["handoff_request"]


def handoff_request(
    conversation: Conversation,
    handoff: Handoff,
    *,
    articles: Mapping[str, Article],
    urgency: Callable[[str], str | None],
    limit: int,
) -> HandoffRequest:
    """The request for `handoff`, its question cut to `limit` characters; its priority the
    highest of the article's hint and what `urgency` reads in the user's words."""
    tried = [articles[a] for a in handoff.tried if a in articles]
    # The hints (priority, team, on site) are the latest article's: the one the handoff is
    # about. Earlier ones may answer other questions asked in the same conversation.
    latest = articles.get(handoff.tried[-1]) if handoff.tried else None
    hint = latest.priority if latest else None  # and the question's and the request's words
    priority = highest([hint, urgency(handoff.question), urgency(handoff.words)])
    language = conversation.language
    return HandoffRequest(
        user_db_id=conversation.user.id,
        conversation_db_id=conversation.id,
        question=redact(handoff.question)[:limit],
        reason=handoff.reason,
        language=language,
        tried_articles=handoff.tried,
        priority=priority,
        team=latest.team if latest else None,
        tried_titles=tuple(a.title_in(language) for a in tried),
        office=conversation.user.office,
        on_site=latest is not None and latest.on_site,
        follow_up=handoff.follow_up,
    )
