"""Passing conversations to people: the handoff port and its ticket implementation."""

from bot.handoff.port import HandoffPort, HandoffRequest, HandoffResult
from bot.handoff.tickets import TicketDesk

__all__ = ["HandoffPort", "HandoffRequest", "HandoffResult", "TicketDesk"]
