"""Whether a user can be reached in their private chat, from Telegram's `my_chat_member`
updates (pure): the bot is "kicked" when they block it, a "member" again when they
unblock (restart) it."""

from __future__ import annotations

from telegram import Update

from bot.adapters.telegram.convert import BotIdentity, user_ref
from bot.messages import UserRef

__all__ = ["blocked_by", "unblocked_by"]


def blocked_by(update: Update, me: BotIdentity) -> UserRef | None:
    """The user who blocked the bot in a private chat, when the update says so."""
    return _private_member(update, me, "kicked")


def unblocked_by(update: Update, me: BotIdentity) -> UserRef | None:
    """The user who unblocked the bot in a private chat, when the update says so."""
    return _private_member(update, me, "member")


def _private_member(update: Update, me: BotIdentity, status: str) -> UserRef | None:
    """Who made the bot's membership of their private chat `status`."""
    member = update.my_chat_member
    if member is None or member.chat.type != "private":
        return None
    return user_ref(me, member.from_user) if member.new_chat_member.status == status else None
