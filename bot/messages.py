"""Neutral values that cross the seam between the adapters and the core.

Adapters turn platform payloads into `IncomingMessage` and send `Reply` values with their
own SDK; the core never sees a platform type.
"""

from __future__ import annotations

from dataclasses import dataclass, field

__all__ = ["Button", "IncomingMessage", "Reply", "UserRef"]


@dataclass(frozen=True, slots=True)
class UserRef:
    """Who is talking: identity is (platform, workspace, user id), never a display name."""

    platform: str
    workspace: str
    user_id: str


@dataclass(frozen=True, slots=True)
class IncomingMessage:
    """One thing a user did: a text message, or a button press (`button` holds its key).

    `event_id` is the platform's unique id for the delivery (Telegram update id, Slack event
    id, a web client's message id); the core records it before handling so a redelivery is
    handled once. `locale` is the platform's language hint for the user, if it has one.
    """

    user: UserRef
    chat_id: str
    text: str = ""
    button: str | None = None
    user_name: str = ""
    event_id: str | None = None
    locale: str | None = None
    attachments: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Button:
    """A button under a reply. `key` is an opaque short id the core resolves on its side."""

    label: str
    key: str


@dataclass(frozen=True, slots=True)
class Reply:
    """What the bot says: Markdown text (KB answers are Markdown) and optional buttons."""

    text: str
    buttons: tuple[Button, ...] = field(default=())
