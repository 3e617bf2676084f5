"""The service-level report as text, for support leads (`helpdesk-bot report`), and the
tickets still open (`helpdesk-bot tickets`); the figures are `bot/service.py`'s, and
`bot/service_json.py` gives the same ones as JSON.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from datetime import UTC, datetime

from bot.handoff.sla import due_now
from bot.priorities import PRIORITIES
from bot.report_words import Words, report_words, utc_time
from bot.service import (
    TICKET_SPLITS,
    AgentLevels,
    Compliance,
    RatingComment,
    by_priority,
    comments,
    due_first_order,
    grouped,
    requests,
    sla,
    sla_counted,
    ticket_states,
)
from bot.service_table import LABEL, RequestsTable, rating
from bot.shares import percent
from bot.storage.models import WITHDRAWN
from bot.storage.reports import HandoffRow, TicketRow

__all__ = ["format_report", "format_unresolved"]


def format_report(
    handoffs: Sequence[HandoffRow],
    tickets: Sequence[TicketRow],
    *,
    since: datetime,
    language: str,
    now: datetime | None = None,
    names: Mapping[str, str] | None = None,
    teams: Collection[str] = (),
    reopened: Mapping[str, int] | None = None,
) -> str:
    """The report as text, in `language`'s words (`report_words`); an agent's row and
    comments say their name from `names` (by "platform:user id") beside their id; each of
    the configured `teams` has its rows, with no requests or tickets if it had none;
    `reopened`: per team, the tickets their users reopened in the period
    (`reports.reopened_since`)."""
    words, names = report_words(language, "report"), names or {}
    figures = requests(handoffs, tickets, teams)
    table = RequestsTable(words)
    lines = [words("since", since=f"{since:%Y-%m-%d %H:%M}"), table.header()]
    lines.append(table.row(words("all_requests"), figures.all))
    for split, groups in figures.splits:
        lines += [table.row(_group(words, split, name), group) for name, group in groups]
    lines += _agent_lines(words, figures.agents, names)
    states = ticket_states(tickets)
    lines.append(
        words(
            "tickets_opened",
            count=len(tickets),
            priorities=_priorities(words, tickets) or words("no_priorities"),
            open=states["open"],
            in_progress=states["in_progress"],
            resolved=states["resolved"],
            withdrawn=states[WITHDRAWN],
        )
    )
    lines.append(_reopened(words, reopened or {}))
    lines += _sla_lines(words, tickets, now or datetime.now(UTC), teams)
    lines += _comment_lines(words, comments(handoffs, tickets), names)
    return "\n".join(lines)


def _group(words: Words, split: str, name: str) -> str:
    """A group's row name, such as "team it" or "priority urgent", in `words`."""
    shown = words.value("priority", name) if split == "priority" else name
    return f"{words(f'split_{split}')} {shown}"


def _agent_lines(
    words: Words, agents: Sequence[AgentLevels], names: Mapping[str, str]
) -> list[str]:
    """Per agent, the chats closed and the tickets resolved without one, and the rating."""
    if not agents:
        return []
    closed, resolved = words.width("closed", 8, pad=2), words.width("resolved", 10, pad=2)
    label = words.width("agent", LABEL)
    lines = [
        f"{words('agent'):<{label}}{words('closed'):>{closed}}{words('resolved'):>{resolved}}"
        f"  {words('rating')}"
    ]
    for one in agents:
        who = _who(one.agent, names)
        lines.append(
            f"{who:<{label}}{one.closed:>{closed}}{one.resolved:>{resolved}}  {rating(one.levels)}"
        )
    return lines


def _reopened(words: Words, reopened: Mapping[str, int]) -> str:
    """Such as "tickets reopened by their users: 3 (team it 2, team net 1)"."""
    teams = ", ".join(
        words("reopened_team", team=team, count=count) for team, count in sorted(reopened.items())
    )
    return words("reopened", count=sum(reopened.values())) + (f" ({teams})" if teams else "")


def _who(agent: str | None, names: Mapping[str, str]) -> str:
    """An agent as the report names them: "Bob Smith (telegram:42)", else their id."""
    name = names.get(agent or "")
    return f"{name} ({agent})" if name else agent or "-"


def _comment_lines(
    words: Words, said: Sequence[RatingComment], names: Mapping[str, str]
) -> list[str]:
    """What went wrong, in the users' words after a low rating: one line each."""
    lines = [words("comments")] if said else []
    for one in said:
        what = (
            words("comment_request", number=one.request)
            if one.request is not None
            else words("comment_ticket", number=one.ticket)
        )
        text = " ".join(one.comment.split())
        lines.append(f"  {what}  {one.rating}  {_who(one.agent, names)}: {text}")
    return lines


def _sla_lines(
    words: Words, opened: Sequence[TicketRow], now: datetime, teams: Collection[str]
) -> list[str]:
    """SLA compliance of the tickets (`sla_counted`), in all and in each of `TICKET_SPLITS`."""
    tickets = sla_counted(opened)
    if not any(t.response_due is not None for t in tickets):
        return []
    groups = [(words("all_tickets"), list(tickets))]
    for split in TICKET_SPLITS:
        rows = grouped(split, tickets, teams)
        groups += [(_group(words, split.name, name), group) for name, group in rows]
    kept = [(name, sla(group, now)) for name, group in groups]
    response = [_kept(words, figures.response) for _, figures in kept]
    label, count = words.width("sla_heading", LABEL), words.width("sla_tickets", 8)
    width = max([36, len(words("sla_first_response")), *map(len, response)])  # a long Russian
    lines = [
        f"{words('sla_heading'):<{label}}{words('sla_tickets'):>{count}}  "
        f"{words('sla_first_response'):<{width}}  {words('sla_resolution')}"
    ]
    for (name, figures), met in zip(kept, response, strict=True):
        lines.append(
            f"{name:<{label}}{figures.tickets:>{count}}  {met:<{width}}  "
            f"{_kept(words, figures.resolve)}"
        )
    return lines


def _priorities(words: Words, tickets: Sequence[TicketRow]) -> str:
    """Such as "urgent 1, normal 2": the priorities present, most urgent first."""
    return ", ".join(f"{words.value('priority', p)} {n}" for p, n in by_priority(tickets).items())


def _kept(words: Words, figures: Compliance) -> str:
    """Such as "met 3, missed 1 (75%), pending 2"."""
    share = "" if figures.share is None else f" ({percent(figures.share)})"
    return words(
        "kept", met=figures.met, missed=figures.missed, share=share, pending=figures.pending
    )


def format_unresolved(tickets: Sequence[TicketRow], *, now: datetime, language: str) -> str:
    """The tickets still open or in progress, due first, each with the SLA due time
    it waits for (UTC) and "OVERDUE" once that has passed (`helpdesk-bot tickets`), in
    `language`'s words, its columns as wide as the widest priority and status they say."""
    words = report_words(language, "tickets")
    if not tickets:
        return words("none")
    lines = [words("open", count=len(tickets), priorities=_priorities(words, tickets))]
    priority = words.widest((f"priority_{p}" for p in PRIORITIES), 7)
    status = words.widest((f"status_{s}" for s in ("open", "in_progress")), 12)
    for ticket in due_first_order(tickets):
        due = due_now(ticket)
        when = words("due", due=utc_time(due))
        late = f"  {words('overdue')}" if due is not None and due < now else ""
        lines.append(
            f"#{ticket.number:<6} {words.value('priority', ticket.priority):<{priority}} "
            f"{words.value('status', ticket.status):<{status}} "
            f"{words('team')} {ticket.team or '-':<12} {when}{late}  «{ticket.subject or '-'}»"
        )
    return "\n".join(lines)
