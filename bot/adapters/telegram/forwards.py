"""Who first wrote a message a Telegram user forwarded (an error a colleague sent them, a
channel's outage notice): the desk reads it marked so, not as the user's own words."""

from __future__ import annotations

from telegram import (
    Message,
    MessageOriginChannel,
    MessageOriginChat,
    MessageOriginHiddenUser,
    MessageOriginUser,
)

__all__ = ["forwarded_from"]


def forwarded_from(message: Message) -> str:
    """The name Telegram shows for the forward's origin: a person ("Carol Jones", or the
    name of one who hides their account), a group or a channel by its title (with the
    author's signature, if it has one); "" for a message that is not a forward."""
    origin = message.forward_origin
    if isinstance(origin, MessageOriginUser):
        return origin.sender_user.full_name
    if isinstance(origin, MessageOriginHiddenUser):
        return origin.sender_user_name
    if isinstance(origin, MessageOriginChat | MessageOriginChannel):
        chat = origin.sender_chat if isinstance(origin, MessageOriginChat) else origin.chat
        title = chat.title or chat.full_name or ""
        signed = origin.author_signature
        return f"{title} ({signed})" if signed and title else title or signed or ""
    return ""
