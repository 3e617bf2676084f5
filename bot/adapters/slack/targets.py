"""Where the bot's answers to a Slack chat go, read from the chat's id (pure).

Chats (`IncomingMessage.chat_id`), and so the user's conversations, are:
  "D123"             a direct message with the bot; replies go to the DM (not to a thread
                     the user may have opened in it)
  "C123/1700.0001"   a thread in a channel (or a group DM) started by a mention; replies go
                     to the thread (the user's replies there need no mention: `threads.py`)
  "C123/ephemeral"   /helpdesk used in channel C123; replies are visible to the asker only

An aside (a word to the user about what they just did, `Reply.aside`) is not for the chat:
where others read along (a channel, its threads, a group DM) only the user sees it.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Final

from bot.messages import IncomingMessage

__all__ = ["EPHEMERAL", "Target", "aside_target", "channel_link", "in_channel", "target_for"]

EPHEMERAL: Final = "ephemeral"
# Slack's own link to a channel (https://api.slack.com/reference/deep-linking): a Slack desk
# shows it as the channel's name (`mrkdwn.py`), the other desks link their words to it.
CHANNEL_LINK: Final = "https://slack.com/app_redirect?channel={channel}&team={team}"


@dataclass(frozen=True, slots=True)
class Target:
    """Where replies go: a channel (a thread in it), only to one user, or a response_url."""

    channel: str
    thread_ts: str | None = None
    ephemeral_user: str | None = None
    response_url: str | None = None


def target_for(message: IncomingMessage, *, response_url: str | None = None) -> Target:
    """Where the replies to `message` go, from its chat id (see the module's docstring)."""
    channel, _, rest = message.chat_id.partition("/")
    if rest == EPHEMERAL:
        return Target(channel, ephemeral_user=message.user.user_id, response_url=response_url)
    return Target(channel, thread_ts=rest or None)


def channel_link(chat_id: str, team: str) -> str:
    """Slack's link to the channel of a thread chat ("C123/1700.0001": a channel's or a
    group DM's, which others read); "" for a DM and for an answer only its asker sees."""
    channel, _, rest = chat_id.partition("/")
    if not rest or rest == EPHEMERAL:
        return ""
    return CHANNEL_LINK.format(channel=channel, team=team)


def in_channel(message: IncomingMessage, *, name: str = "") -> IncomingMessage:
    """`message` marked as written where others read it, if it was (a thread of a channel
    or of a group DM), with the channel's link and `name` (if the event gave one)."""
    link = channel_link(message.chat_id, message.user.workspace)
    return replace(message, group=True, chat_link=link, chat_title=name) if link else message


def aside_target(target: Target, user_id: str) -> Target:
    """Where an aside to `user_id` goes instead of `target`: only to them (an ephemeral
    message, in the thread if the target is one); a 1:1 DM and an answer only they see
    already are."""
    private = target.ephemeral_user or target.response_url or target.channel.startswith("D")
    return target if private else Target(target.channel, target.thread_ts, ephemeral_user=user_id)
