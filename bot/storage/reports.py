"""Read-only queries behind the support leads' reports; plain values out."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import datetime

from bot.storage.models import (
    UNRESOLVED_TICKET,
    Agent,
    Feedback,
    OutboxMessage,
    Ticket,
    TranscriptMessage,
    UnansweredQuestion,
)
from bot.storage.report_requests import HandoffRow, handoffs_since

__all__ = [
    "HandoffRow",
    "MissedQuestion",
    "TicketRow",
    "TicketView",
    "agent_names",
    "feedback_counts",
    "handoffs_since",
    "missed_questions",
    "reopened_since",
    "ticket_view",
    "tickets_since",
    "unresolved_tickets",
]


@dataclass(frozen=True, slots=True)
class MissedQuestion:
    """A question the KB did not answer: no match, "none of these" or "didn't help"."""

    text: str
    language: str
    reason: str
    article_id: str | None  # the nearest article (too weak), or the one that did not help
    confidence: float | None
    at: datetime


async def missed_questions(since: datetime) -> list[MissedQuestion]:
    """Every question the KB did not answer since `since`, newest first."""
    rows = await UnansweredQuestion.filter(created_at__gte=since).order_by("-created_at", "-id")
    return [
        MissedQuestion(
            row.text,
            row.language,
            row.reason,
            row.best_article_id,
            row.best_confidence,
            row.created_at,
        )
        for row in rows
    ]


async def feedback_counts(since: datetime) -> dict[str, tuple[int, int]]:
    """Per article: how many answers since `since` were marked helped and didn't help."""
    rows = await Feedback.filter(created_at__gte=since).values_list("article_id", "helpful")
    counts = Counter((str(article), bool(helpful)) for article, helpful in rows)
    articles = {article for article, _ in counts}
    return {a: (counts[(a, True)], counts[(a, False)]) for a in sorted(articles)}


@dataclass(frozen=True, slots=True)
class TicketRow:
    """One ticket, as the service-level report counts it."""

    team: str | None
    priority: str
    status: str  # open, in_progress, resolved, withdrawn
    created_at: datetime
    response_due: datetime | None = None  # SLA due times, and when they were met
    first_response_at: datetime | None = None
    resolve_due: datetime | None = None
    resolved_at: datetime | None = None
    number: int = 0
    subject: str = ""
    office: str | None = None  # the user's office when it was opened
    sla_policy: str | None = None  # the policy its due times came from (None: from before them)
    resolved_by: str | None = None  # the agent who resolved it without a chat
    rating: int | None = None  # its user's 1–5 for that
    comment: str | None = None  # and what went wrong, after a low one


async def agent_names() -> dict[str, str]:
    """The agents' names ("telegram:42": "Bob Smith"), as their last desk action gave them."""
    return dict(await Agent.all().values_list("key", "name"))


async def tickets_since(since: datetime) -> list[TicketRow]:
    """Every ticket opened since `since`, oldest first."""
    return _ticket_rows(await Ticket.filter(created_at__gte=since).order_by("id"))


async def reopened_since(since: datetime) -> dict[str, int]:
    """Per team ("-": none), how many tickets their users reopened since `since` (opened
    before it or not; one reopened twice is counted once, by its latest reopening)."""
    teams = await Ticket.filter(reopened_at__gte=since).values_list("team", flat=True)
    return dict(Counter(str(team or "-") for team in teams))


async def unresolved_tickets() -> list[TicketRow]:
    """Every ticket still open or in progress, oldest first."""
    return _ticket_rows(await Ticket.filter(status__in=UNRESOLVED_TICKET).order_by("id"))


def _ticket_rows(rows: list[Ticket]) -> list[TicketRow]:
    return [
        TicketRow(
            t.team,
            t.priority,
            t.status,
            t.created_at,
            t.response_due,
            t.first_response_at,
            t.resolve_due,
            t.resolved_at,
            t.id,
            t.subject,
            t.office,
            t.sla_policy,
            t.resolved_by,
            t.rating,
            t.rating_comment,
        )
        for t in rows
    ]


@dataclass(frozen=True, slots=True)
class TicketView:
    """A ticket (with its user) as `helpdesk-bot tickets show` prints it: the last lines of
    its conversation since it was opened, oldest first, and how many messages to the user's
    chat since then wait to be sent (the bot not running, a platform putting them off) or
    were given up on."""

    ticket: Ticket
    lines: list[TranscriptMessage]
    waiting: int = 0
    undelivered: int = 0


async def ticket_view(number: int, *, limit: int = 50) -> TicketView:
    """Ticket `number` as `TicketView` says; DoesNotExist if there is no such ticket."""
    ticket = await Ticket.get(id=number).prefetch_related("user")
    if ticket.conversation_id is None:
        return TicketView(ticket, [])
    since = TranscriptMessage.filter(
        conversation_id=ticket.conversation_id, created_at__gte=ticket.created_at
    )
    lines = await since.order_by("-id").limit(limit)
    told = OutboxMessage.filter(
        conversation_id=ticket.conversation_id,
        platform=ticket.user.platform,
        created_at__gte=ticket.created_at,
    )
    waiting = await told.filter(status="pending").count()
    return TicketView(ticket, lines[::-1], waiting, await told.filter(status="failed").count())
