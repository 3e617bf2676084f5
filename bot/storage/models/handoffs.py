"""Work passed to people: handoffs to a team's live agents, and tickets, with their statuses.

A handoff may end as a ticket (its `ticket`: nobody on duty or nobody claimed in time, or
the agent made one of it); a ticket keeps its SLA clocks and warnings on its row.
"""

from __future__ import annotations

from tortoise import fields
from tortoise.models import Model

from bot.storage.models.conversations import Conversation, User

__all__ = [
    "ACTIVE_HANDOFF",
    "ENDED_TICKET",
    "LINKED",
    "UNRESOLVED_TICKET",
    "WITHDRAWN",
    "Handoff",
    "Ticket",
]


ACTIVE_HANDOFF = ("waiting", "claimed")  # a request someone still waits on or works on
LINKED = "linked"  # an outage report joined to a colleague's earlier one: not queued itself
UNRESOLVED_TICKET = ("open", "in_progress")
WITHDRAWN = "withdrawn"  # a ticket its user withdrew (an open one only)
ENDED_TICKET = ("resolved", WITHDRAWN)  # by an agent, or by its user


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
    # Resolved without a chat (bot/handoff/resolution.py): by whom ("platform:user id"), and
    # the user's 1–5 for it; a chat's agent and rating are its handoff's.
    resolved_by = fields.CharField(max_length=160, null=True)
    rating = fields.SmallIntField(null=True)
    rated_at = fields.DatetimeField(null=True)
    rating_comment = fields.TextField(null=True)  # what went wrong, asked after a low rating
    # Reopened by its user after a resolution (bot/handoff/reopening.py): when last, how often
    reopened_at = fields.DatetimeField(null=True)
    reopens = fields.SmallIntField(default=0, db_default=0)  # db_default: existing rows
    user_id: int
    conversation_id: int | None
    created_at = fields.DatetimeField(auto_now_add=True)
    updated_at = fields.DatetimeField(auto_now=True)

    class Meta:
        table = "tickets"
        # The SLA rounds read the due ones; /metrics (each scrape), reports and the desk's
        # list read the unresolved ones by status, and count or rank them by priority; a
        # user's /tickets, and a card's list of its user's other tickets, read by user.
        indexes = (("next_alert_at",), ("status", "priority"), ("user_id",))


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
    # An outage its user reported while a colleague's report of it was still open (status
    # LINKED, bot/handoff/outages.py): that first report, which the desk works on
    linked_to: fields.ForeignKeyNullableRelation[Handoff] = fields.ForeignKeyField(
        "models.Handoff", related_name="linked", null=True
    )
    ticket_id: int | None
    linked_to_id: int | None
    conversation_id: int
    user_id: int
    created_at = fields.DatetimeField()  # when it joined its team's queue (a transfer resets it)
    asked_at = fields.DatetimeField(null=True)  # when the user asked: a ticket's SLA starts here
    claimed_at = fields.DatetimeField(null=True)  # by its team's agent (a transfer clears it)
    closed_at = fields.DatetimeField(null=True)
    rating = fields.SmallIntField(null=True)  # 1–5, the user's, after an agent closed it
    rated_at = fields.DatetimeField(null=True)
    rating_comment = fields.TextField(null=True)  # what went wrong, asked after a low rating

    class Meta:
        table = "handoffs"
        # Whether a thread reply in a Slack channel is the bot's joins a conversation's
        # handoffs; telling a ticket's user finds the ticket's last request. (A user's or a
        # conversation's active one is found by `status`: few rows, indexed.)
        # An outage's card and its closing read the reports linked to it.
        indexes = (("conversation_id",), ("ticket_id",), ("linked_to_id",))


class Agent(Model):
    """The name an agent goes by on their platform ("Bob Smith"), kept from their last desk
    action for the texts that name them (the id "telegram:42" tells a user nothing). `key`
    is the agent as a handoff's `agent` names them, "platform:user id": who may act is
    checked on that, never on this name."""

    key = fields.CharField(max_length=160, primary_key=True)
    name = fields.CharField(max_length=200)
    updated_at = fields.DatetimeField(auto_now=True)

    class Meta:
        table = "agents"
