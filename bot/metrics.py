"""GET /metrics (HELPDESK_METRICS): the service's state in Prometheus' text format, for
alerts on a growing queue, messages the platforms do not take, or tickets past their due
time. Every instance reports the same figures (read from the database), except
`helpdesk_kb_articles`, its own KB's.

- `helpdesk_requests{team,status}`: requests for a person waiting for, or talking to, an agent;
- `helpdesk_oldest_waiting_seconds{team}`: how long the longest-waiting one has waited;
- `helpdesk_tickets{priority,status}`: tickets open or in progress;
- `helpdesk_tickets_overdue{priority}`: those past the SLA due time they wait for;
- `helpdesk_outbox_messages{platform,status}`: messages not yet sent (pending) or given up
  on (failed, until housekeeping removes them);
- `helpdesk_outbox_oldest_pending_seconds{platform}`: the age of the oldest pending one that
  a sender is on: a growing age means a platform refuses it or is out of reach (on "web", a
  page asks for it and does not take it);
- `helpdesk_outbox_oldest_unfetched_seconds{platform}`: on "web", the age of the oldest one
  waiting for a visitor (or the web desk) who is away to open the page again: normal, not
  a fault, so apart from the one above that alerts watch; it is given up after a week
  (at the next housekeeping: `bot/handoff/unfetched.py`);
- `helpdesk_kb_articles`: the articles this instance answers from.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterator, Mapping
from datetime import UTC, datetime

from prometheus_client import CollectorRegistry, generate_latest
from prometheus_client.core import GaugeMetricFamily, Metric
from prometheus_client.registry import Collector

from bot.storage.gauges import Gauges, TicketGauges, read_gauges, read_ticket_gauges

__all__ = ["exposition"]


class _Reading(Collector):
    """A collector of metrics already read (a registry's collectors are synchronous)."""

    def __init__(self, metrics: list[Metric]) -> None:
        self.metrics = metrics

    def collect(self) -> Iterator[Metric]:
        return iter(self.metrics)


Values = Mapping[tuple[str, ...], float]


def _gauge(name: str, text: str, labels: list[str], values: Values) -> Metric:
    family = GaugeMetricFamily(name, text, labels=labels)
    for key, value in sorted(values.items()):
        family.add_metric(list(key), value)
    return family


def _ages(since: dict[str, datetime], now: datetime) -> Values:
    return {(key,): (now - when).total_seconds() for key, when in since.items()}


async def exposition(
    articles: Callable[[], int], now: datetime | None = None, *, fetching: Collection[str] = ()
) -> bytes:
    """The metrics as Prometheus reads them; `articles` counts the KB's articles, `fetching`
    are the platforms whose chats fetch their own messages (see `read_gauges`)."""
    now = now or datetime.now(UTC)
    waiting = await read_gauges(now, fetching=fetching)
    metrics = _waiting(waiting, now) + _tickets(await read_ticket_gauges(now))
    metrics.append(_gauge("helpdesk_kb_articles", "Articles answered from", [], {(): articles()}))
    registry = CollectorRegistry(auto_describe=False)
    registry.register(_Reading(metrics))
    return generate_latest(registry)


def _waiting(state: Gauges, now: datetime) -> list[Metric]:
    """The requests with the desk, and the messages not sent."""
    return [
        _gauge("helpdesk_requests", "Requests for a person", ["team", "status"], state.requests),
        _gauge(
            "helpdesk_oldest_waiting_seconds",
            "How long the longest-waiting request has waited",
            ["team"],
            _ages(state.oldest_waiting, now),
        ),
        _gauge(
            "helpdesk_outbox_messages", "Messages not sent", ["platform", "status"], state.outbox
        ),
        _gauge(
            "helpdesk_outbox_oldest_pending_seconds",
            "Age of the oldest pending message",
            ["platform"],
            _ages(state.oldest_pending, now),
        ),
        _gauge(
            "helpdesk_outbox_oldest_unfetched_seconds",
            "Age of the oldest message waiting for its reader to open the page again",
            ["platform"],
            _ages(state.oldest_unfetched, now),
        ),
    ]


def _tickets(state: TicketGauges) -> list[Metric]:
    """Unresolved tickets, and those past the due time they wait for."""
    return [
        _gauge(
            "helpdesk_tickets", "Tickets open or in progress", ["priority", "status"], state.tickets
        ),
        _gauge(
            "helpdesk_tickets_overdue", "Tickets past their due time", ["priority"], state.overdue
        ),
    ]
