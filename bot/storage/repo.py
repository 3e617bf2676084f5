"""The queries the core needs, in one place; callers get plain values or models back (a
reply's buttons are kept by `buttons.py`, the users' ratings by `ratings.py`, what a user's
tickets are by `ticket_queries.py`, whose functions are here too)."""

from __future__ import annotations

from datetime import datetime

from tortoise.expressions import Q

from bot.storage.buttons import (
    asked_before,
    find_button,
    followed,
    press_button,
    shown_after,
    store_buttons,
    typed_answer,
)
from bot.storage.models import (
    ACTIVE_HANDOFF,
    UNRESOLVED_TICKET,
    Conversation,
    Feedback,
    Handoff,
    Ticket,
    TranscriptMessage,
    UnansweredQuestion,
    User,
)
from bot.storage.ratings import comment_rating, rate_handoff, rate_ticket
from bot.storage.ticket_queries import newest_open_ticket, queued_tickets, user_ticket, user_tickets

__all__ = [
    "add_feedback",
    "add_transcript",
    "add_unanswered",
    "asked_before",
    "choose_language",
    "comment_rating",
    "conversation_for",
    "find_button",
    "followed",
    "has_conversation",
    "known_conversation",
    "lock_conversation",
    "move_chat",
    "newest_open_ticket",
    "press_button",
    "queued_tickets",
    "rate_handoff",
    "rate_ticket",
    "set_unreachable",
    "shown_after",
    "store_buttons",
    "typed_answer",
    "user_ticket",
    "user_tickets",
]


async def conversation_for(
    *,
    platform: str,
    workspace: str,
    user_id: str,
    chat_id: str,
    name: str,
    language: str,
    timezone: str | None = None,
) -> Conversation:
    """The user's conversation in this chat, creating the user and conversation if new; the
    user's name and time zone follow what the platform says now (when it says anything)."""
    user, _ = await User.get_or_create(
        platform=platform, workspace=workspace, external_id=user_id, defaults={"name": name}
    )
    changed = {"name": name, "timezone": timezone}
    changed = {k: v for k, v in changed.items() if v and getattr(user, k) != v}
    if changed:
        await user.update_from_dict(changed).save(update_fields=list(changed))
    conversation, _ = await Conversation.get_or_create(
        user=user, chat_id=chat_id, defaults={"language": language}
    )
    conversation = await lock_conversation(conversation.id) or conversation
    conversation.user = user
    return conversation


async def known_conversation(
    *, platform: str, workspace: str, user_id: str, chat_id: str
) -> Conversation | None:
    """The user's conversation in this chat, else their latest one (None for a user the bot
    has not met), with its user; only reads."""
    mine = Conversation.filter(
        user__platform=platform, user__workspace=workspace, user__external_id=user_id
    ).select_related("user")
    found = await mine.filter(chat_id=chat_id).first()
    return found or await mine.order_by("-updated_at").first()


async def has_conversation(
    *, platform: str, workspace: str, user_id: str, chat_id: str, since: datetime
) -> bool:
    """Whether the user has a conversation in this chat that was active `since` then or has
    a request with the desk (a read: nothing is created)."""
    found = Conversation.filter(
        user__platform=platform,
        user__workspace=workspace,
        user__external_id=user_id,
        chat_id=chat_id,
    )
    live = Q(updated_at__gte=since) | Q(handoffs__status__in=ACTIVE_HANDOFF)
    return await found.filter(live).exists()


async def has_open_request(user_id: int) -> bool:
    """Whether the user has a request waiting for an agent or in a chat with one."""
    return await Handoff.filter(user_id=user_id, status__in=ACTIVE_HANDOFF).exists()


async def lock_conversation(conversation_id: int) -> Conversation | None:
    """Inside a transaction: the conversation, locked until it ends (SELECT … FOR UPDATE).

    Everything that changes a conversation's state or starts a live chat in it takes this
    lock first (a turn, an agent taking one of its tickets), so on several instances they
    run one at a time: two agents cannot both take tickets of one user, two quick messages
    do not both read the same dialog state."""
    return await Conversation.filter(id=conversation_id).select_for_update().first()


async def add_transcript(
    conversation: Conversation,
    direction: str,
    text: str,
    *,
    limit: int,
    article: tuple[str, float] | None = None,
    pressed: bool = False,
    forwarded: str = "",
) -> None:
    """Store one transcript line, cut to `limit` characters; `pressed`: a button's;
    `forwarded`: who wrote first the message the user passed on."""
    await TranscriptMessage.create(
        conversation=conversation,
        direction=direction,
        text=text[:limit],
        truncated=len(text) > limit,
        pressed=pressed,
        forwarded_from=forwarded[:255],
        article_id=article[0] if article else None,
        confidence=article[1] if article else None,
    )


async def add_feedback(
    conversation: Conversation, article_id: str, question: str, *, helpful: bool
) -> None:
    """Store "Helped" / "Didn't help"."""
    await Feedback.create(
        conversation=conversation, article_id=article_id, question=question, helpful=helpful
    )


async def add_unanswered(
    conversation: Conversation,
    text: str,
    *,
    reason: str,
    article: tuple[str | None, float | None] = (None, None),
) -> None:
    """Store a question the KB did not answer, with its best (too weak) match."""
    await UnansweredQuestion.create(
        conversation=conversation,
        text=text,
        language=conversation.language,
        reason=reason,
        best_article_id=article[0],
        best_confidence=article[1],
    )


async def choose_language(user: User, language: str | None) -> None:
    """The user's choice of language (None: the one they write in). Their requests still in
    the queue or with an agent, and their unresolved tickets (a chat when one is picked up),
    speak a chosen one from now on."""
    user.language = language
    await user.save(update_fields=["language"])
    if language is not None:
        mine = {"user_id": user.id}
        await Handoff.filter(**mine, status__in=ACTIVE_HANDOFF).update(language=language)
        await Ticket.filter(**mine, status__in=UNRESOLVED_TICKET).update(language=language)


async def set_unreachable(
    platform: str, workspace: str, user_id: str, *, unreachable: bool = True
) -> None:
    """Mark a user the platform will not deliver to (or, `unreachable=False`, will again)."""
    await User.filter(platform=platform, workspace=workspace, external_id=user_id).update(
        unreachable=unreachable
    )


async def move_chat(platform: str, old_chat_id: str, new_chat_id: str) -> None:
    """Conversations in a chat that changed its id continue under the new id."""
    await Conversation.filter(user__platform=platform, chat_id=old_chat_id).update(
        chat_id=new_chat_id
    )
