"""What crosses the platform boundary: deliveries recorded before they are handled, and the
messages written in a turn's transaction for a sender to deliver after it (the outbox), and
the pacing slots its senders share.

Together they make a turn once-only and lossless: a redelivered event is found handled, and
a message exists exactly when the change it reports was committed.
"""

from __future__ import annotations

from tortoise import fields
from tortoise.models import Model

from bot.storage.models.conversations import Conversation
from bot.storage.models.handoffs import Handoff

__all__ = ["InboundEvent", "OutboxMessage", "SendSlot"]


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
    # card | card_edit | relay | notice | alert | off_duty_alert (at most 16) | reply
    kind = fields.CharField(max_length=16)
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
        # Senders take what is due per platform; a card's edit reads that card's rows; a web
        # page polls its chat's, and one opened again reads its chat's last ones (history.py).
        indexes = (("platform", "status", "available_at"), ("handoff_id",), ("platform", "chat_id"))


class SendSlot(Model):
    """When the next message under one pacing key may go out (`bot/pacing.py`'s `Slot`), shared
    by every instance sending with the same token. The key is "<platform>:<chat id>", or
    "<platform>:*" for the bot's overall limit, `next_at` is in seconds since the epoch, and
    `recent` holds a group's last sends."""

    key = fields.CharField(max_length=200, primary_key=True)
    next_at = fields.FloatField(default=0.0)
    recent: list[float] = fields.JSONField(default=list)

    class Meta:
        table = "send_slots"
