"""The warnings a ticket's desk gets about its service levels: one when `warn_at` of the time
to the first response (or to the resolution) is used, one when it is over. Each is sent once
(a bit of `Ticket.sla_alerts`) and none once what it warns of is done; `escalation.py` sends
them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from bot.storage.models import Ticket

__all__ = ["ALERTS", "Alert", "next_alert_at", "pending"]


@dataclass(frozen=True, slots=True)
class Alert:
    """One warning: the ticket field holding when it falls due, the field whose value makes
    it moot, its bit in `Ticket.sla_alerts` and the desk's phrase."""

    bit: int
    at: str
    done: str
    phrase: str
    due: str  # the due time the phrase names

    @property
    def missed(self) -> bool:
        return self.at == self.due


ALERTS = (
    Alert(1, "response_warn_at", "first_response_at", "desk_sla_response_soon", "response_due"),
    Alert(2, "response_due", "first_response_at", "desk_sla_response_missed", "response_due"),
    Alert(4, "resolve_warn_at", "resolved_at", "desk_sla_resolve_soon", "resolve_due"),
    Alert(8, "resolve_due", "resolved_at", "desk_sla_resolve_missed", "resolve_due"),
)


def pending(ticket: Ticket) -> list[Alert]:
    """The alerts not sent yet and not moot."""
    return [
        alert
        for alert in ALERTS
        if not ticket.sla_alerts & alert.bit
        and getattr(ticket, alert.at) is not None
        and getattr(ticket, alert.done) is None
    ]


def next_alert_at(ticket: Ticket) -> datetime | None:
    """When the ticket's next alert falls due; None when none is left."""
    moments = [getattr(ticket, alert.at) for alert in pending(ticket)]
    return min(moments, default=None)
