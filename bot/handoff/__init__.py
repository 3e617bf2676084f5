"""Passing conversations to people: the handoff port, the live-agent queue, tickets and their
service levels (working hours, SLA policies, warnings)."""

from bot.handoff.board import Board, Card, Line
from bot.handoff.desk import Desk
from bot.handoff.desk_port import DeskAction, DeskPort, DeskResult, agent_id, answers_agent
from bot.handoff.escalation import escalate_backlog, escalate_due
from bot.handoff.live import LiveHandoff
from bot.handoff.offices import Office, Offices
from bot.handoff.outbox import DbOutbox
from bot.handoff.outbox_port import Outbox, OutboxItem
from bot.handoff.port import HandoffPort, HandoffRequest, HandoffResult, Takeover, Withdrawal
from bot.handoff.queue import Queue
from bot.handoff.sla import Policies, Policy
from bot.handoff.takeover import LiveTakeover
from bot.handoff.teams import Team, Teams, parse_hours
from bot.handoff.ticket_desk import TicketDesk
from bot.handoff.ticket_list import TicketCard
from bot.handoff.timeouts import expire_overdue

__all__ = [
    "Board",
    "Card",
    "DbOutbox",
    "Desk",
    "DeskAction",
    "DeskPort",
    "DeskResult",
    "HandoffPort",
    "HandoffRequest",
    "HandoffResult",
    "Line",
    "LiveHandoff",
    "LiveTakeover",
    "Office",
    "Offices",
    "Outbox",
    "OutboxItem",
    "Policies",
    "Policy",
    "Queue",
    "Takeover",
    "Team",
    "Teams",
    "TicketCard",
    "TicketDesk",
    "Withdrawal",
    "agent_id",
    "answers_agent",
    "escalate_backlog",
    "escalate_due",
    "expire_overdue",
    "parse_hours",
]
