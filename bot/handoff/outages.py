"""One outage, many reports: an outage reported while a colleague's report of it is still
open joins that first report instead of queueing on its own.

"Colleague" means the same office (the user's, as they named it), or the same team for a
user who named none; "still open" means waiting, with an agent, or made a ticket that is not
resolved yet, and reported within `OUTAGE_WINDOW`. The joined report (status `LINKED`) is
kept, linked to the first: it takes no place in the queue and posts no card of its own (the
desk is not flooded with N urgent cards of one problem), the first card names who else
reported it, and its user is told IT already knows. When the first is closed (or its ticket
resolved) each of them is told once; when it ends unsolved, one of them takes its place
(`outage_heirs.py`). Two reports at the same moment (two instances) make one first report:
one that finds none looks again holding the outage's locks (`first_report_held`).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

from tortoise.backends.base.client import BaseDBAsyncClient
from tortoise.expressions import Q

from bot.handoff.desk_card import also_reported, refresh_card
from bot.handoff.port import HandoffRequest, HandoffResult
from bot.handoff.queue import Queue, load_related
from bot.handoff.teams import Team
from bot.markdown import literal
from bot.storage.locks import hold_until_commit
from bot.storage.models import ACTIVE_HANDOFF, LINKED, UNRESOLVED_TICKET, Handoff, Ticket

__all__ = [
    "OUTAGE",
    "OUTAGE_WINDOW",
    "first_report",
    "first_report_held",
    "hold_outage",
    "join",
    "outage_state",
    "tell_joined",
    "tell_joined_resolved",
]

OUTAGE = "outage"  # a handoff's reason: the user reported an outage
OUTAGE_WINDOW = timedelta(minutes=60)  # how recent a first report must be to join it
_CANDIDATES = 20  # first reports (of different outages) looked at, earliest first


async def first_report(
    queue: Queue, request: HandoffRequest, team: Team, same: Callable[[str, str], bool]
) -> Handoff | None:
    """The earliest open outage report of the request's office (or, with none, its team)
    from within `OUTAGE_WINDOW` by another user, of the same outage by `same(its question,
    the request's)` (`bot/outage_topics.py`); the request is an outage."""
    since = queue.clock() - OUTAGE_WINDOW
    found = Handoff.filter(reason=OUTAGE, linked_to_id__isnull=True, asked_at__gte=since)
    if request.office:
        found = found.filter(user__office=request.office)
    else:
        found = found.filter(team=team.name)
    still_open = Q(status__in=ACTIVE_HANDOFF) | Q(
        status="ticketed", ticket__status__in=UNRESOLVED_TICKET
    )
    found = found.filter(still_open).exclude(user_id=request.user_db_id)
    reports = await found.order_by("id").limit(_CANDIDATES)
    return next((r for r in reports if same(r.question, request.question)), None)


async def first_report_held(
    queue: Queue,
    request: HandoffRequest,
    team: Team,
    same: Callable[[str, str], bool],
    *,
    transaction: BaseDBAsyncClient,
) -> Handoff | None:
    """`first_report` again, the outage's locks taken and held until `transaction` ends: the
    request found no first report and is about to be it, and a report of the same outage on
    another instance at this moment either was recorded before, and is found here, or waits
    for this one to be, and finds it (rather than both posting a card)."""
    await hold_outage(transaction, office=request.office, team=team.name)
    return await first_report(queue, request, team, same)


async def hold_outage(transaction: BaseDBAsyncClient, *, office: str | None, team: str) -> None:
    """The locks of an outage reported in `office` (if any) to `team`, held to the end of
    the turn (the outermost transaction, past a savepoint), so another report waits until
    this one is recorded. Two reports that can find each other share a lock: of one office,
    the office's (whatever their teams); one of no office finds its team's reports, with an
    office or not, so every report takes its team's too. Always the office's first, then the
    team's: no two turns wait for each other's."""
    if office:
        await hold_until_commit(transaction, f"outage:office:{office}")
    await hold_until_commit(transaction, f"outage:team:{team}")


async def join(queue: Queue, request: HandoffRequest, first: Handoff) -> HandoffResult:
    """Link the request to `first` (once per user: saying it again links nothing more), tell
    the desk under the first's card, and tell the user IT knows."""
    mine = Handoff.filter(linked_to_id=first.id, user_id=request.user_db_id, status=LINKED)
    if not await mine.exists():
        joined = await _linked(queue, request, first)
        await _tell_desk(queue, first, joined)
    return HandoffResult(text=await _known(queue, request, first))


async def tell_joined(queue: Queue, first: Handoff, *, agent: str) -> None:
    """Request `first` is closed by `agent` (their name): each report joined to it (or to the
    first request of its ticket, picked up in this chat) ends, its user told once (to write
    again if it still does not work for them)."""
    joined = Q(linked_to_id=first.id)
    if first.ticket_id is not None:
        joined |= Q(linked_to__ticket_id=first.ticket_id)
    await _end_joined(queue, joined, "outage_closed", agent=agent)


async def tell_joined_resolved(queue: Queue, number: int, *, agent: str, note: str) -> None:
    """Ticket `number` is resolved by `agent` with `note`: the reports joined to its request
    end, their users told so with the note."""
    joined = Q(linked_to__ticket_id=number)
    await _end_joined(queue, joined, "outage_closed_note", agent=agent, note=note)


async def _end_joined(queue: Queue, joined: Q, key: str, *, agent: str, note: str = "") -> None:
    reports = await Handoff.filter(joined, status=LINKED).order_by("id")
    for handoff in reports:
        handoff.status, handoff.closed_at = "closed", queue.clock()
        await handoff.save(update_fields=["status", "closed_at"])
        await queue.tell_user(handoff, key, agent=agent, note=note)


async def _linked(queue: Queue, request: HandoffRequest, first: Handoff) -> Handoff:
    now = queue.clock()
    return await Handoff.create(
        conversation_id=request.conversation_db_id,
        user_id=request.user_db_id,
        team=first.team,
        status=LINKED,
        question=request.question,
        language=request.language,
        priority=first.priority,
        reason=OUTAGE,
        desk=first.desk,
        linked_to=first,
        created_at=now,
        asked_at=now,
    )


async def _tell_desk(queue: Queue, first: Handoff, joined: Handoff) -> None:
    """A line under the first's card (in its thread) with who joined and what they wrote; a
    waiting card is rewritten to name everyone who reported it, a ticket gets their words."""
    await load_related(joined, "user")
    name = queue.user_name(joined.user)
    told = queue.desk_text("desk_outage_joined", user=literal(name), id=joined.id)
    said = literal(joined.question)
    linked = await also_reported(queue, first)
    await queue.tell_desk(first, f"{told} «{said}»{linked}")
    if first.status == "waiting":
        await refresh_card(queue, first, linked=linked)
    if first.status == "ticketed" and first.ticket_id is not None:  # their words go into it
        ticket = await Ticket.get(id=first.ticket_id)
        added = queue.desk_text("desk_outage_joined", user=name, id=joined.id)
        ticket.description = f"{ticket.description}\n\n{added} {joined.question}".strip()
        await ticket.save(update_fields=["description"])


async def outage_state(queue: Queue, first: Handoff, language: str) -> str:
    """Where the first report of an outage stands, in `language`: its place in the queue,
    with an agent, or its ticket."""
    if first.status == "claimed":
        return queue.phrases.get(language, "outage_state_claimed")
    if first.status == "ticketed":
        return queue.phrases.get(language, "outage_state_ticket", number=first.ticket_id)
    place = await queue.place(first)
    return queue.phrases.get(language, "outage_state_waiting", place=place)


async def _known(queue: Queue, request: HandoffRequest, first: Handoff) -> str:
    """What the user is told: who reported it how long ago, and where it stands."""
    language, now = request.language, queue.clock()
    minutes = max(1, round((now - (first.asked_at or first.created_at)).total_seconds() / 60))
    state = await outage_state(queue, first, language)
    where = (
        queue.phrases.get(language, "outage_known_office", office=literal(request.office))
        if request.office
        else queue.phrases.get(language, "outage_known_team")
    )
    return queue.phrases.get(language, "outage_known", where=where, minutes=minutes, state=state)
