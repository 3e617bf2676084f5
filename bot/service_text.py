"""The service-level report as text, for support leads (`helpdesk-bot report`), and the
tickets still open (`helpdesk-bot tickets`); the figures are `bot/service.py`'s, and
`bot/service_json.py` gives the same ones as JSON.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from datetime import UTC, datetime

from bot.handoff.sla import due_now
from bot.service import (
    TICKET_SPLITS,
    Compliance,
    Levels,
    by_priority,
    comments,
    due_first_order,
    grouped,
    requests,
    sla,
    sla_counted,
    ticket_states,
)
from bot.shares import percent
from bot.storage.models import WITHDRAWN
from bot.storage.reports import HandoffRow, TicketRow

__all__ = ["format_report", "format_unresolved"]


def format_report(
    handoffs: Sequence[HandoffRow],
    tickets: Sequence[TicketRow],
    *,
    since: datetime,
    now: datetime | None = None,
    names: Mapping[str, str] | None = None,
    teams: Collection[str] = (),
    reopened: Mapping[str, int] | None = None,
) -> str:
    """The report as text; an agent's row and comments say their name from `names` (by
    "platform:user id") beside their id; each of the configured `teams` has its rows, with
    no requests or tickets if it had none; `reopened`: per team, the tickets their users
    reopened in the period (`reports.reopened_since`)."""
    names = names or {}
    figures = requests(handoffs, tickets, teams)
    lines = [f"since {since:%Y-%m-%d %H:%M} UTC", _HEADER]
    lines.append(_row("all requests", figures.all))
    for split, groups in figures.splits:
        lines += [_row(f"{split} {name}", group) for name, group in groups]
    if figures.agents:  # closed chats; tickets resolved without a chat
        lines.append(f"{'agent':<28}{'closed':>8}{'resolved':>10}  rating")
    for one in figures.agents:
        who = _who(one.agent, names)
        lines.append(f"{who:<28}{one.closed:>8}{one.resolved:>10}  {_rating(one.levels)}")
    states = ticket_states(tickets)
    lines.append(
        f"tickets opened: {len(tickets)} ({_priorities(tickets) or 'none'}); "
        f"now open {states['open']}, in progress {states['in_progress']}, "
        f"resolved {states['resolved']}, withdrawn {states[WITHDRAWN]}"
    )
    lines.append(_reopened(reopened or {}))
    lines += _sla_lines(tickets, now or datetime.now(UTC), teams)
    lines += _comment_lines(handoffs, tickets, names)
    return "\n".join(lines)


def _reopened(reopened: Mapping[str, int]) -> str:
    """Such as "tickets reopened by their users: 3 (team it 2, team net 1)"."""
    teams = ", ".join(f"team {team} {count}" for team, count in sorted(reopened.items()))
    return f"tickets reopened by their users: {sum(reopened.values())}" + (
        f" ({teams})" if teams else ""
    )


def _who(agent: str | None, names: Mapping[str, str]) -> str:
    """An agent as the report names them: "Bob Smith (telegram:42)", else their id."""
    name = names.get(agent or "")
    return f"{name} ({agent})" if name else agent or "-"


def _comment_lines(
    handoffs: Sequence[HandoffRow], tickets: Sequence[TicketRow], names: Mapping[str, str]
) -> list[str]:
    """What went wrong, in the users' words after a low rating: one line each."""
    said = comments(handoffs, tickets)
    lines = ["comments with ratings"] if said else []
    for one in said:
        what = f"request #{one.request}" if one.request is not None else f"ticket #{one.ticket}"
        text = " ".join(one.comment.split())
        lines.append(f"  {what}  {one.rating}  {_who(one.agent, names)}: {text}")
    return lines


def _sla_lines(opened: Sequence[TicketRow], now: datetime, teams: Collection[str]) -> list[str]:
    """SLA compliance of the tickets (`sla_counted`), in all and in each of `TICKET_SPLITS`."""
    tickets = sla_counted(opened)
    if not any(t.response_due is not None for t in tickets):
        return []
    lines = [f"{'SLA of tickets':<28}{'tickets':>8}  {'first response':<36}  resolution"]
    groups = [("all tickets", list(tickets))]
    for split in TICKET_SPLITS:
        groups += [(f"{split.name} {name}", rows) for name, rows in grouped(split, tickets, teams)]
    for name, rows in groups:
        kept = sla(rows, now)
        lines.append(
            f"{name:<28}{kept.tickets:>8}  {_kept(kept.response):<36}  {_kept(kept.resolve)}"
        )
    return lines


def _priorities(tickets: Sequence[TicketRow]) -> str:
    """Such as "urgent 1, normal 2": the priorities present, most urgent first."""
    return ", ".join(f"{p} {n}" for p, n in by_priority(tickets).items())


def _kept(figures: Compliance) -> str:
    """Such as "met 3, missed 1 (75%), pending 2"."""
    share = "" if figures.share is None else f" ({percent(figures.share)})"
    return f"met {figures.met}, missed {figures.missed}{share}, pending {figures.pending}"


_HEADER = (
    f"{'requests for a person':<28}{'asked':>6}{'taken':>7}{'ticket':>8}{'left':>6}{'waiting':>9}"
    "  first response (median / 90%)  rating"
)


def _row(name: str, figures: Levels) -> str:
    response = figures.first_response
    shown = "-" if response is None else f"{_minutes(response[0])} / {_minutes(response[1])}"
    return (
        f"{name:<28}{figures.requests:>6}{figures.taken:>7}{figures.ticketed:>8}"
        f"{figures.left:>6}{figures.waiting:>9}  {shown:<30}  {_rating(figures)}"
    )


def _rating(figures: Levels) -> str:
    return "-" if figures.rating is None else f"{figures.rating[0]:.1f} ({figures.rating[1]})"


def _minutes(value: float) -> str:
    return f"{value:.0f} min" if value >= 1 else "<1 min"


def format_unresolved(tickets: Sequence[TicketRow], *, now: datetime) -> str:
    """The tickets still open or in progress, due first, each with the SLA due time
    it waits for (UTC) and "OVERDUE" once that has passed (`helpdesk-bot tickets`)."""
    if not tickets:
        return "no open tickets"
    lines = [f"open tickets: {len(tickets)} ({_priorities(tickets)})"]
    for ticket in due_first_order(tickets):
        due = due_now(ticket)
        when = "due -" if due is None else f"due {due.astimezone(UTC):%Y-%m-%d %H:%M} UTC"
        late = "  OVERDUE" if due is not None and due < now else ""
        lines.append(
            f"#{ticket.number:<6} {ticket.priority:<7} {ticket.status:<12} "
            f"team {ticket.team or '-':<12} {when}{late}  «{ticket.subject or '-'}»"
        )
    return "\n".join(lines)
