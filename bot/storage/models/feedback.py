"""How the KB's answers fared: "Helped" / "Didn't help" on an answer, and the questions it
did not answer, kept so the KB's gaps can be reported (`kb gaps`: bot/gaps.py, which
storage/reports.py reads them for).
"""

from __future__ import annotations

from tortoise import fields
from tortoise.models import Model

from bot.storage.models.conversations import Conversation

__all__ = ["Feedback", "UnansweredQuestion"]


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
