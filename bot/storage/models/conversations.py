"""A user and their conversations with the bot: who they are on their platform, each chat's
dialog state (bot/dialog.py), what was said in it and the buttons the bot's replies carry.

Identity is (platform, workspace, user id), never a display name, and a pressed button is
looked up here by its key, so what a client sends back decides nothing by itself.
"""

from __future__ import annotations

from tortoise import fields
from tortoise.models import Model

__all__ = ["ButtonAction", "Conversation", "TranscriptMessage", "User"]


class User(Model):
    """A person on one platform, whose identity is (platform, workspace, external_id)."""

    id = fields.IntField(primary_key=True)
    platform = fields.CharField(max_length=32)
    workspace = fields.CharField(max_length=64)
    external_id = fields.CharField(max_length=128)
    name = fields.CharField(max_length=200, default="")
    language = fields.CharField(max_length=8, null=True)  # the user's override, if any
    office = fields.CharField(max_length=64, null=True)  # a configured office's name
    timezone = fields.CharField(max_length=64, null=True)  # IANA name the platform gave
    unreachable = fields.BooleanField(default=False)
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "users"
        unique_together = (("platform", "workspace", "external_id"),)


class Conversation(Model):
    """A user's conversation in one chat. `state` drives the dialog (see bot/dialog.py)."""

    id = fields.IntField(primary_key=True)
    user: fields.ForeignKeyRelation[User] = fields.ForeignKeyField(
        "models.User", related_name="conversations"
    )
    chat_id = fields.CharField(max_length=128)
    # A group's title ("" for the user's own chat with the bot): the desk is told that the
    # agent's replies go where others read them.
    chat_title = fields.CharField(max_length=255, default="", db_default="")
    # A channel's address, where the platform names no title (Slack: `IncomingMessage`).
    chat_link = fields.CharField(max_length=255, default="", db_default="")
    state = fields.CharField(max_length=32, default="idle")
    language = fields.CharField(max_length=8, default="en")
    last_question = fields.TextField(default="")
    tried_articles: list[str] = fields.JSONField(default=list)
    misses = fields.IntField(default=0)
    user_id: int
    created_at = fields.DatetimeField(auto_now_add=True)
    updated_at = fields.DatetimeField(auto_now=True)

    class Meta:
        table = "conversations"
        unique_together = (("user", "chat_id"),)


class TranscriptMessage(Model):
    """One line of the transcript: what the user said or what the bot answered."""

    id = fields.IntField(primary_key=True)
    conversation: fields.ForeignKeyRelation[Conversation] = fields.ForeignKeyField(
        "models.Conversation", related_name="messages"
    )
    conversation_id: int
    direction = fields.CharField(max_length=8)  # "in" | "out"
    text = fields.TextField()
    truncated = fields.BooleanField(default=False)
    # A button pressed: `text` is its label in brackets ("[Didn't help]"), how the desk reads
    # it; the user's page shows the label as the button said it. db_default: an upgrade adds
    # it to every line already kept (PostgreSQL refused the column on them without one).
    pressed = fields.BooleanField(default=False, db_default=False)
    article_id = fields.CharField(max_length=128, null=True)
    confidence = fields.FloatField(null=True)
    # A user's line they passed on (Telegram's forward): who wrote it first, for the web
    # desk's thread ("" for their own words; the chat desks' relays say it as they go).
    forwarded_from = fields.CharField(max_length=255, default="", db_default="")
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "transcript_messages"
        # A request's card, and each poll of the web desk's board, show a conversation's last
        # lines; the table gains a row per message.
        indexes = (("conversation_id",),)


class ButtonAction(Model):
    """What a button does. Its `key` is all the platform sees, and a press is checked here."""

    key = fields.CharField(max_length=24, primary_key=True)
    conversation: fields.ForeignKeyRelation[Conversation] = fields.ForeignKeyField(
        "models.Conversation", related_name="buttons"
    )
    conversation_id: int
    group = fields.CharField(max_length=24)  # buttons of one reply share a group
    action = fields.CharField(max_length=32)
    argument = fields.CharField(max_length=128, default="")
    used_at = fields.DatetimeField(null=True)
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "button_actions"
        # Each press uses up its reply's group; a score typed ("5") looks for the newest
        # buttons of the conversation. A row per button of every reply, kept for a month
        # (retention.BUTTONS) and deleted by time without an index: see there why.
        indexes = (("conversation_id",), ("group",))
