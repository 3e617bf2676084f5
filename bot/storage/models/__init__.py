"""Database models (tortoise-orm). All times are stored in UTC.

No semicolons in model docstrings: they become table comments, and tortoise's migration
runner splits SQL on ";" (tortoise-orm 1.1.9).

Conversation state lives here, never in process memory, so any instance can handle any event
and a restart loses nothing.

The models are kept by concept: users and their conversations (`conversations.py`), how the
KB's answers fared (`feedback.py`), handoffs and tickets (`handoffs.py`), and inbound
deliveries, the outbox and the pacing slots (`delivery.py`). This package is the one models
module tortoise is given (`bot/storage/database.py`): it finds the models among its names, so
each new model is exported here. The migrations name the models, not their modules.
"""

from bot.storage.models.conversations import ButtonAction, Conversation, TranscriptMessage, User
from bot.storage.models.delivery import InboundEvent, OutboxMessage, SendSlot
from bot.storage.models.feedback import Feedback, UnansweredQuestion
from bot.storage.models.handoffs import (
    ACTIVE_HANDOFF,
    ENDED_TICKET,
    LINKED,
    UNRESOLVED_TICKET,
    WITHDRAWN,
    Agent,
    Handoff,
    Ticket,
)

__all__ = [
    "ACTIVE_HANDOFF",
    "ENDED_TICKET",
    "LINKED",
    "UNRESOLVED_TICKET",
    "WITHDRAWN",
    "Agent",
    "ButtonAction",
    "Conversation",
    "Feedback",
    "Handoff",
    "InboundEvent",
    "OutboxMessage",
    "SendSlot",
    "Ticket",
    "TranscriptMessage",
    "UnansweredQuestion",
    "User",
]
