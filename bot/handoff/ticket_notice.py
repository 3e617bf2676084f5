"""What the user is told when their request became a ticket on its own (nobody claimed it in
time, or nobody is on duty): its number, the time they will hear back by and, if it helps,
when work starts; and what its team's desk is told (`desk_notice`): an alert, as an SLA
warning is, for an urgent ticket asked off duty (nobody is there to see a card: a plain line
would read as any other).

The time they will hear back by is the due time the ticket waits for (`sla.due_now`), the
one /tickets and the desk's alerts name. When work starts is told only when it comes before
that: the SLA clock may run in an office's business hours or a policy's contract hours while
the team is away (a Brisbane office served from Moscow), and "Work starts 16:00; someone will
get back to you by 13:00" contradicts itself. Then the due time, the promise, is said alone.
Nor is a start told while the team is at work (a wait that ran out on duty): work is under
way, the user hears only when they will hear back.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from bot.handoff.queue import NOTICE, OFF_DUTY_ALERT, Queue, load_related
from bot.handoff.sla import due_now
from bot.handoff.teams import Team
from bot.handoff.text import subject_markdown
from bot.handoff.ticketed import to_ticket
from bot.markdown import literal
from bot.priorities import PRIORITIES
from bot.storage.models import Handoff, Ticket
from bot.zones import local_time

__all__ = ["DeskLine", "Notice", "desk_notice", "off_hours_ticket", "ticketed_notice"]

_URGENT = PRIORITIES[-1]  # the highest priority: its off-duty line is an alert


@dataclass(frozen=True, slots=True)
class Notice:
    """The phrase that tells the user, its ticket number and the sentence of its times (in
    the handoff's language)."""

    key: str
    number: int
    times: str


async def off_hours_ticket(
    queue: Queue, handoff: Handoff, team: Team | None
) -> tuple[Ticket, Notice]:
    """Nobody is on duty: `handoff` becomes a ticket, its team's desk is told so; the news
    its user is to be told (`ticketed_notice`)."""
    ticket = await to_ticket(queue, handoff, "off_hours")
    await load_related(handoff, "user")
    told = desk_notice(queue, handoff, ticket, team, on_duty=False)
    await queue.tell_desk(handoff, told.text, kind=told.kind)
    return ticket, ticketed_notice(queue, handoff, ticket, team, on_duty=False)


@dataclass(frozen=True, slots=True)
class DeskLine:
    """What the desk is told, and as what (`kind`: a notice, or an `OFF_DUTY_ALERT` that
    warns)."""

    text: str
    kind: str = NOTICE


def ticketed_notice(
    queue: Queue,
    handoff: Handoff,
    ticket: Ticket,
    team: Team | None,
    *,
    on_duty: bool,
    again: bool = False,
) -> Notice:
    """The user's news of `ticket`, made of their `handoff` (its user loaded) because its
    wait was over while `team` was `on_duty`, or because `team` is off duty (None: no longer
    configured); `again`: the ticket is not new (an agent had picked it up), it stays open.
    Off duty, the office's local admins are named as such, not as "the IT team"."""
    key = "handoff_ticket_timeout" if on_duty else "handoff_ticket_off_hours"
    key = f"{key}_on_site" if not on_duty and _local_admins(queue, handoff, team) else key
    key = f"{key}_again" if again else key
    times = _times(queue, handoff, due_now(ticket), team, under_way=on_duty)
    return Notice(key, ticket.id, times)


def _local_admins(queue: Queue, handoff: Handoff, team: Team | None) -> bool:
    """Whether `team` is the local admins of the office of the handoff's user (loaded): off
    duty, it is they who are away ("the IT team" may well be at work)."""
    office = queue.offices.named(handoff.user.office)
    return team is not None and office is not None and office.on_site_team == team.name


def desk_notice(
    queue: Queue,
    handoff: Handoff,
    ticket: Ticket,
    team: Team | None,
    *,
    on_duty: bool,
    again: bool = False,
) -> DeskLine:
    """The desk's line on the same news, with its own reason: nobody took the request in time
    while `team` was `on_duty`; the team is off duty (and when it is back, in its own zone:
    the desk's agents are its people, and what the ticket is: no card was posted for a
    request asked then; an alert when it is urgent); or its team is no longer configured
    (None). `again`: the ticket is open again, not new."""
    values = {"id": handoff.id, "number": ticket.id}
    suffix = "_again" if again else ""
    if on_duty:
        return DeskLine(queue.desk_text(f"desk_timed_out{suffix}", **values))
    if team is None:
        return DeskLine(queue.desk_text(f"desk_team_gone{suffix}", team=handoff.team, **values))
    back = local_time(team.opens_at(queue.clock()), team.timezone)
    text = queue.desk_text("desk_off_duty", when=back, **values, **_about(queue, handoff, ticket))
    return DeskLine(text, OFF_DUTY_ALERT if ticket.priority == _URGENT else NOTICE)


def _about(queue: Queue, handoff: Handoff, ticket: Ticket) -> dict[str, str]:
    """What the ticket is, how urgent and whose: a request asked off duty had no card, this
    line is all the desk sees of it (an outage at night is urgent)."""
    untitled = queue.desk_text("no_subject_person")
    return {
        "subject": subject_markdown(ticket, untitled=untitled),
        "priority": queue.priority_text(ticket.priority),
        "user": literal(queue.user_name(handoff.user)),
    }


def _times(
    queue: Queue, handoff: Handoff, due: datetime | None, team: Team | None, *, under_way: bool
) -> str:
    """When work starts and when the user hears back by, as far as each means something: no
    start while work is `under_way` (the team is at work) or after the due time, no due
    time gone by (the ticket is late)."""
    now, user = queue.clock(), handoff.user
    start = None if team is None or under_way else team.opens_at(now)
    values = {
        "due": queue.user_time(due, team, user, handoff.language),
        "when": queue.user_time(start, team, user, handoff.language),
    }
    if due is not None and due > now:
        key = "ticket_times_start_due" if start is not None and start < due else "ticket_times_due"
    else:
        key = "ticket_times_soon" if start is None else "ticket_times_start"
    return queue.phrases.get(handoff.language, key, **values)
