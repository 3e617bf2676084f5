"""A reply's buttons: each gets an opaque key stored with its action, a press of any of one
reply's buttons uses them all up, and a typed score may stand for a rating button."""

from __future__ import annotations

import re
import secrets
from collections.abc import Sequence
from datetime import UTC, datetime

from bot.ratings import RATINGS
from bot.storage.models import ButtonAction, Conversation, TranscriptMessage

__all__ = [
    "asked_before",
    "find_button",
    "followed",
    "press_button",
    "shown_after",
    "store_buttons",
    "typed_answer",
    "typed_rating",
]

# A score as people type it: "5", "5!", "5/5", "4 из 5", "3 out of 5", "5 звёзд", "2 stars"
_SCORE = re.compile(
    r"\s*([1-5])\s*(?:(?:/|из|of|out of)\s*5|зв[её]зд[аы]?|stars?)?\s*[.!)]?\s*", re.IGNORECASE
)


async def typed_rating(conversation: Conversation, text: str) -> ButtonAction | None:
    """The rating button a typed score ("5") presses: only while the bot's newest buttons in
    the chat are the 1–5, so a digit typed after another answer stays a message. Once they
    are used, the press finds them used (the user is told they rated already)."""
    score = _SCORE.fullmatch(text)
    if score is None:
        return None
    newest = await ButtonAction.filter(conversation=conversation).order_by("-created_at").first()
    if newest is None:
        return None
    # Of the newest reply's buttons (the 1–5 may have a "Still not solved" beside them)
    rated = ButtonAction.filter(group=newest.group, action__in=list(RATINGS))
    return await rated.filter(argument__endswith=f":{score[1]}").first()


async def typed_answer(conversation: Conversation, action: str) -> ButtonAction | None:
    """The button of `action` a typed answer ("да", "no thanks") presses: only among the
    bot's newest buttons in the chat, while they are unused, so an answer typed after
    another reply stays a message; one alone of that action (a "yes" to one of several
    articles suggested says nothing)."""
    newest = await ButtonAction.filter(conversation=conversation).order_by("-created_at").first()
    if newest is None or newest.used_at is not None:
        return None
    found = await ButtonAction.filter(group=newest.group, action=action).limit(2)
    return found[0] if len(found) == 1 else None


async def store_buttons(
    conversation: Conversation, actions: Sequence[tuple[str, str]]
) -> list[str]:
    """Keys for the (action, argument) pairs of one reply's buttons; they share a group."""
    group = secrets.token_urlsafe(9)
    # 16 characters each, well inside Telegram's 64 bytes
    rows = [
        ButtonAction(
            key=secrets.token_urlsafe(12),
            conversation=conversation,
            group=group,
            action=action,
            argument=argument,
        )
        for action, argument in actions
    ]
    await ButtonAction.bulk_create(rows)  # one INSERT per reply, not one per button
    return [row.key for row in rows]


async def find_button(key: str, conversation: Conversation) -> ButtonAction | None:
    """The user's button `key`; None if it is not theirs (or no button at all).

    A key from another user's conversation counts as unknown: identity is checked here,
    never taken from what the client sent. The same user's other chat is fine: a Slack user
    who asked with /helpdesk in a channel gets the agent's messages, and their buttons, in a
    DM.
    """
    return await ButtonAction.get_or_none(key=key, conversation__user_id=conversation.user_id)


async def press_button(button: ButtonAction | None) -> str:
    """Press a button `find_button` found: "ok" once per reply, "used" after; "unknown" for
    None."""
    if button is None:
        return "unknown"
    claimed = await ButtonAction.filter(group=button.group, used_at=None).update(
        used_at=datetime.now(UTC)
    )
    return "ok" if claimed else "used"


async def followed(button: ButtonAction, actions: Sequence[str]) -> bool:
    """Whether the bot sent buttons of `actions` after `button`'s reply, in its chat."""
    later = ButtonAction.filter(
        conversation_id=button.conversation_id,
        action__in=list(actions),
        created_at__gt=button.created_at,
    )
    return await later.exclude(group=button.group).exists()


async def shown_after(button: ButtonAction) -> set[str]:
    """The articles the bot answered with after `button`'s reply, in its chat (each answer's
    "Helped" carries its article)."""
    later = ButtonAction.filter(
        conversation_id=button.conversation_id, action="helped", created_at__gt=button.created_at
    )
    return {row.argument for row in await later.exclude(group=button.group)}


async def asked_before(button: ButtonAction) -> str | None:
    """What the user had asked when the bot sent the reply `button` is under: their newest
    typed line (not a press: a "Did you mean" pick is about the question before it) in its
    conversation, as the transcript keeps it; None when it is kept no longer (retention)."""
    line = await (
        TranscriptMessage.filter(
            conversation_id=button.conversation_id,
            direction="in",
            pressed=False,
            created_at__lte=button.created_at,
        )
        .order_by("-id")
        .first()
    )
    return None if line is None else line.text
