"""Service levels, for support leads (`helpdesk-bot report`): the figures, which
`bot/service_text.py` shows as text and `bot/service_json.py` as JSON.

Requests for a person per team and per priority: how many an agent took, how soon (the first
response: from the request to the claim, median and 90th percentile), how many became tickets
or were left by the user, and how users rated the help they got (1–5, after an agent closed
the chat, or resolved their ticket without one: `requests`); per agent, the chats
they closed, the tickets they resolved without one, and their ratings (a ticket's are its
resolver's); the tickets opened, and how many met their SLA due times (first response and
resolution), in all, per team, per priority, per client office and per SLA policy. A ticket
keeps the name of the policy it was opened under, so a policy edited or an office moved to
another one since does not rewrite the past. A ticket its user withdrew is left out of the
SLA figures: nobody resolved it, and its clocks stopped without being met or missed.
"""

from __future__ import annotations

from bot.service_requests import (
    AgentLevels,
    Levels,
    RatingComment,
    Requests,
    by_agent,
    comments,
    levels,
    requests,
)
from bot.service_splits import Split, grouped
from bot.service_tickets import (
    TICKET_SPLITS,
    Compliance,
    Sla,
    by_priority,
    compliance,
    due_first_order,
    sla,
    sla_counted,
    ticket_states,
)

__all__ = [
    "TICKET_SPLITS",
    "AgentLevels",
    "Compliance",
    "Levels",
    "RatingComment",
    "Requests",
    "Sla",
    "Split",
    "by_agent",
    "by_priority",
    "comments",
    "compliance",
    "due_first_order",
    "grouped",
    "levels",
    "requests",
    "sla",
    "sla_counted",
    "ticket_states",
]
