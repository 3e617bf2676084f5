"""The bot's replies in the outbox: kept until the platform takes them, and in order.

A channel that must not lose a reply (Slack, Telegram) asks the engine for durable replies:
each is written as an outbox item of kind "reply" in the turn's transaction, the one that
marks the delivery handled (`Effects.keep`). A crash after the commit cannot lose it,
and a redelivery cannot answer again. The item is leased to that channel from the start: it
sends it at once and reports it sent, or put off (a 429, a 5xx, no network) for its outbox
sender to retry with the outbox's backoff; if the process dies first, the lease runs out and
any instance's sender delivers it.

Replies keep their order in a chat, with everything else written to it (an agent's words,
the queue's notices): see `order.py`.
"""

from __future__ import annotations

__all__ = ["REPLY"]

REPLY = "reply"
