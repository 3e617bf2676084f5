"""Database models (tortoise-orm). All times are stored in UTC.

No semicolons in model docstrings: they become table comments, and tortoise's migration
runner splits SQL on ";" (tortoise-orm 1.1.9).

Conversation state lives here, never in process memory, so any instance can handle any event
and a restart loses nothing.
"""

from __future__ import annotations

from tortoise import fields
from tortoise.models import Model

__all__ = [
    "ACTIVE_HANDOFF",
    "ENDED_TICKET",
    "UNRESOLVED_TICKET",
    "WITHDRAWN",
    "ButtonAction",
    "Conversation",
    "Feedback",
    "Handoff",
    "InboundEvent",
    "OutboxMessage",
    "Ticket",
    "TranscriptMessage",
    "UnansweredQuestion",
    "User",
]


ACTIVE_HANDOFF = ("waiting", "claimed")  # a request someone still waits on or works on
UNRESOLVED_TICKET = ("open", "in_progress")
WITHDRAWN = "withdrawn"  # a ticket its user withdrew (an open one only)
ENDED_TICKET = ("resolved", WITHDRAWN)  # by an agent, or by its user


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
    direction = fields.CharField(max_length=8)  # "in" | "out"
    text = fields.TextField()
    truncated = fields.BooleanField(default=False)
    article_id = fields.CharField(max_length=128, null=True)
    confidence = fields.FloatField(null=True)
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "transcript_messages"


class Feedback(Model):
    """ "Helped" / "Didn't help" on an answer."""

    id = fields.IntField(primary_key=True)
    conversation: fields.ForeignKeyRelation[Conversation] = fields.ForeignKeyField(
        "models.Conversation", related_name="feedback"
    )
    article_id = fields.CharField(max_length=128)
    question = fields.TextField(default="")
    helpful = fields.BooleanField()
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "feedback"


class UnansweredQuestion(Model):
    """A question the KB did not answer (no match, "didn't help", "none of these")."""

    id = fields.IntField(primary_key=True)
    conversation: fields.ForeignKeyRelation[Conversation] = fields.ForeignKeyField(
        "models.Conversation", related_name="unanswered"
    )
    text = fields.TextField()
    language = fields.CharField(max_length=8)
    reason = fields.CharField(max_length=32)
    best_article_id = fields.CharField(max_length=128, null=True)
    best_confidence = fields.FloatField(null=True)
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "unanswered_questions"


class Ticket(Model):
    """A ticket. Its `id` is the number the user is told."""

    id = fields.IntField(primary_key=True)
    user: fields.ForeignKeyRelation[User] = fields.ForeignKeyField(
        "models.User", related_name="tickets"
    )
    conversation: fields.ForeignKeyNullableRelation[Conversation] = fields.ForeignKeyField(
        "models.Conversation", related_name="tickets", null=True
    )
    subject = fields.CharField(max_length=200)
    description = fields.TextField(default="")
    status = fields.CharField(max_length=16, default="open")  # UNRESOLVED_TICKET | ENDED_TICKET
    priority = fields.CharField(max_length=16, default="normal")
    team = fields.CharField(max_length=64, null=True)
    office = fields.CharField(max_length=64, null=True)
    language = fields.CharField(max_length=8, default="en")
    reason = fields.CharField(max_length=32, default="")
    # Service levels (bot/handoff/sla.py): the due times, when the first response and the
    # resolution came, which warnings went out (bits, see bot/handoff/escalation.py) and
    # when the next one is due (None: none left).
    sla_policy = fields.CharField(max_length=64, null=True)
    response_due = fields.DatetimeField(null=True)
    resolve_due = fields.DatetimeField(null=True)
    response_warn_at = fields.DatetimeField(null=True)
    resolve_warn_at = fields.DatetimeField(null=True)
    first_response_at = fields.DatetimeField(null=True)
    resolved_at = fields.DatetimeField(null=True)
    sla_alerts = fields.SmallIntField(default=0, db_default=0)  # db_default: existing rows
    next_alert_at = fields.DatetimeField(null=True)
    user_id: int
    conversation_id: int | None
    created_at = fields.DatetimeField(auto_now_add=True)
    updated_at = fields.DatetimeField(auto_now=True)

    class Meta:
        table = "tickets"
        indexes = (("next_alert_at",),)  # the SLA rounds read the due ones


class ButtonAction(Model):
    """What a button does. Its `key` is all the platform sees, and a press is checked here."""

    key = fields.CharField(max_length=24, primary_key=True)
    conversation: fields.ForeignKeyRelation[Conversation] = fields.ForeignKeyField(
        "models.Conversation", related_name="buttons"
    )
    group = fields.CharField(max_length=24)  # buttons of one reply share a group
    action = fields.CharField(max_length=32)
    argument = fields.CharField(max_length=128, default="")
    used_at = fields.DatetimeField(null=True)
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "button_actions"


class InboundEvent(Model):
    """A platform delivery, recorded before it is handled: unique per (platform, key).

    `handled_at` stays empty until the replies were produced and stored, so a crash in
    between leaves the event (with its payload) visible for a retry instead of losing it.
    """

    id = fields.IntField(primary_key=True)
    platform = fields.CharField(max_length=32)
    key = fields.CharField(max_length=191)
    payload: dict[str, object] = fields.JSONField(default=dict)
    received_at = fields.DatetimeField(auto_now_add=True)
    handled_at = fields.DatetimeField(null=True)
    # handling attempts that failed; db_default: an upgrade adds it to existing rows
    failures = fields.IntField(default=0, db_default=0)

    class Meta:
        table = "inbound_events"
        unique_together = (("platform", "key"),)


class Handoff(Model):
    """A conversation passed to a team: waiting, claimed, closed, ticketed or cancelled.

    `agent` is the owner as "platform:user id". `desk_ref` is the desk's id of the card
    (its thread root), set when the card was delivered.
    """

    id = fields.IntField(primary_key=True)
    conversation: fields.ForeignKeyRelation[Conversation] = fields.ForeignKeyField(
        "models.Conversation", related_name="handoffs"
    )
    user: fields.ForeignKeyRelation[User] = fields.ForeignKeyField(
        "models.User", related_name="handoffs"
    )
    team = fields.CharField(max_length=64)
    status = fields.CharField(max_length=16, default="waiting", db_index=True)
    question = fields.TextField(default="")
    tried_articles: list[str] = fields.JSONField(default=list)
    language = fields.CharField(max_length=8, default="en")
    priority = fields.CharField(max_length=16, default="normal")
    reason = fields.CharField(max_length=32, default="")
    agent = fields.CharField(max_length=160, null=True)
    desk = fields.CharField(max_length=160)
    desk_ref = fields.CharField(max_length=128, null=True)
    ticket: fields.ForeignKeyNullableRelation[Ticket] = fields.ForeignKeyField(
        "models.Ticket", related_name="handoffs", null=True
    )
    ticket_id: int | None
    conversation_id: int
    user_id: int
    created_at = fields.DatetimeField()  # when it joined its team's queue (a transfer resets it)
    asked_at = fields.DatetimeField(null=True)  # when the user asked: a ticket's SLA starts here
    claimed_at = fields.DatetimeField(null=True)  # by its team's agent (a transfer clears it)
    closed_at = fields.DatetimeField(null=True)
    rating = fields.SmallIntField(null=True)  # 1–5, the user's, after an agent closed it
    rated_at = fields.DatetimeField(null=True)

    class Meta:
        table = "handoffs"


class OutboxMessage(Model):
    """A message to a chat, written in the turn's transaction and delivered after.

    `chat_id` is the platform's chat (a desk channel or the user's chat), `handoff` the
    handoff whose card thread it belongs to, `conversation` the one a reply of the bot
    answers in. `available_at` is when it may be tried next (a claim leases it for a while,
    a failure puts it off).
    """

    id = fields.IntField(primary_key=True)
    platform = fields.CharField(max_length=32)
    chat_id = fields.CharField(max_length=128)
    kind = fields.CharField(max_length=16)  # card | card_edit | relay | notice | reply
    text = fields.TextField()
    buttons: list[list[str]] = fields.JSONField(default=list)  # [label, key] pairs
    # a file to pass on (an `Attachment` as JSON), `text` then being the line said instead
    attachment: dict[str, object] | None = fields.JSONField(null=True)
    handoff: fields.ForeignKeyNullableRelation[Handoff] = fields.ForeignKeyField(
        "models.Handoff", related_name="outbox", null=True
    )
    handoff_id: int | None
    conversation: fields.ForeignKeyNullableRelation[Conversation] = fields.ForeignKeyField(
        "models.Conversation", related_name="outbox", null=True
    )
    conversation_id: int | None
    status = fields.CharField(max_length=16, default="pending")  # pending | sent | failed
    attempts = fields.IntField(default=0)  # also the number of its latest lease (outbox.py)
    # how many of its messages the platform took (a long text is several): a retry goes on
    # after them; db_default: an upgrade adds it to existing rows
    parts_sent = fields.IntField(default=0, db_default=0)
    available_at = fields.DatetimeField()
    sent_at = fields.DatetimeField(null=True)
    platform_message_id = fields.CharField(max_length=128, null=True)
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "outbox_messages"
        indexes = (("platform", "status", "available_at"),)


class SendSlot(Model):
    """When the next message under one pacing key may go out (`bot/pacing.py`'s `Slot`), shared
    by every instance sending with the same token: the key is "<platform>:<chat id>", or
    "<platform>:*" for the bot's overall limit; `next_at` is in seconds since the epoch and
    `recent` holds a group's last sends."""

    key = fields.CharField(max_length=200, primary_key=True)
    next_at = fields.FloatField(default=0.0)
    recent: list[float] = fields.JSONField(default=list)

    class Meta:
        table = "send_slots"
