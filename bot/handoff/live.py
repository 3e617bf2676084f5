"""The handoff port for configured teams: queue for an agent, or a ticket off hours; and
the user's acts on their tickets (raise, withdraw, reopen, a low rating). While a request
waits or is served, `takeover.py` takes the user's messages."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from tortoise.transactions import in_transaction

from bot.handoff.complaints import tell_low_rating
from bot.handoff.desk_card import post_card
from bot.handoff.outage_heirs import hand_over_ticket
from bot.handoff.outages import OUTAGE, first_report, first_report_held, join
from bot.handoff.port import HandoffRequest, HandoffResult, Reopening, Withdrawal
from bot.handoff.prioritise import ticket_clock
from bot.handoff.queue import Queue
from bot.handoff.reopened import reopen_for_team
from bot.handoff.teams import Team
from bot.handoff.ticket_desk import TicketDesk
from bot.handoff.ticket_notice import off_hours_ticket
from bot.handoff.ticket_priority import raise_ticket
from bot.handoff.ticket_tell import tell_raised, tell_withdrawn
from bot.handoff.tickets import open_duplicate, withdraw_ticket
from bot.storage import repo
from bot.storage.models import Handoff

__all__ = ["LiveHandoff"]


@dataclass(frozen=True, slots=True)
class LiveHandoff:
    """Queues handoffs for the configured teams."""

    queue: Queue
    # whether two outage reports are of the same outage (bot/outage_topics.py)
    same_outage: Callable[[str, str], bool] = lambda first, second: first == second

    async def hand_off(self, request: HandoffRequest) -> HandoffResult:
        """Queue for the request's team (or the default one); a ticket when nobody is on duty."""
        team = self.queue.teams.get(self._team_name(request))
        if team is None:
            desk = TicketDesk(self.queue.sla, self.queue.offices, self.queue.clock)
            return await desk.hand_off(request)
        if request.reason != OUTAGE:
            return await self._queue_or_ticket(request, team)
        # one outage, one card: a colleague's report of it is joined
        if first := await first_report(self.queue, request, team, self.same_outage):
            return await join(self.queue, request, first)
        async with in_transaction() as transaction:  # a savepoint within a turn's
            held = first_report_held(
                self.queue, request, team, self.same_outage, transaction=transaction
            )
            if first := await held:  # one reported it at the same moment, and was first
                return await join(self.queue, request, first)
            return await self._queue_or_ticket(request, team)

    async def _queue_or_ticket(self, request: HandoffRequest, team: Team) -> HandoffResult:
        """Queue it for `team`'s agents; a ticket when nobody is on duty."""
        closed = not team.is_open(self.queue.clock())
        if closed and (old := await open_duplicate(request)):  # no second ticket off hours
            return HandoffResult(ticket_id=old.id, due=old.response_due, already=True)
        handoff = await _queued(request, team, now=self.queue.clock())
        if closed:
            return await self._off_hours(handoff, team)
        await post_card(self.queue, handoff)
        await self.queue.announce_places(team.name, after=handoff)  # those it came in ahead of
        place = await self.queue.place(handoff)
        minutes = await self.queue.minutes(team.name, place)
        text = self.queue.phrases.get(
            request.language, "handoff_queued", place=place, minutes=minutes
        )
        return HandoffResult(text=await self.queue.until_hours_end(handoff, text, minutes))

    async def raise_priority(self, user_db_id: int, number: int, priority: str) -> bool:
        """Raise it, with its due times by its office's policy and its team's hours, and
        tell its team's desk."""
        ticket = await repo.user_ticket(user_db_id, number)
        if ticket is None:
            return False
        policy, hours, start = await ticket_clock(self.queue, ticket)
        raised = await raise_ticket(ticket, priority, policy, hours=hours, start=start)
        if raised:
            await tell_raised(self.queue, ticket)  # else it waits unnoticed until its SLA warning
        return raised

    async def withdraw(self, user_db_id: int, number: int) -> Withdrawal:
        """Withdraw it, and tell its team's desk."""
        withdrawal, ticket = await withdraw_ticket(number, user_id=user_db_id)
        if withdrawal.done and ticket is not None:
            await tell_withdrawn(self.queue, ticket)
            await hand_over_ticket(self.queue, ticket.id)  # an outage others reported too
        return withdrawal

    async def reopen(self, user_db_id: int, number: int) -> Reopening:
        """Reopen it for its team, and tell the team's desk."""
        return await reopen_for_team(self.queue, user_db_id, number)

    async def rated_low(self, rated: str, number: int) -> None:
        """Tell the team that helped."""
        await tell_low_rating(self.queue, rated, number)

    def _team_name(self, request: HandoffRequest) -> str | None:
        """A job that needs hands on site goes to the local admins of the user's office (if
        it has them); otherwise the article's team, else the office's (else the default)."""
        offices = self.queue.offices
        if request.on_site and (local := offices.team_of(request.office, on_site=True)):
            return local
        return request.team or offices.team_of(request.office)

    async def _off_hours(self, handoff: Handoff, team: Team) -> HandoffResult:
        """Nobody is on duty: a ticket now, and the user learns when they will hear back."""
        ticket, notice = await off_hours_ticket(self.queue, handoff, team)
        text = self.queue.phrases.get(
            handoff.language, notice.key, number=notice.number, times=notice.times
        )
        return HandoffResult(ticket_id=ticket.id, text=text)


async def _queued(request: HandoffRequest, team: Team, *, now: datetime) -> Handoff:
    return await Handoff.create(
        conversation_id=request.conversation_db_id,
        user_id=request.user_db_id,
        team=team.name,
        question=request.question,
        tried_articles=list(request.tried_titles or request.tried_articles),
        language=request.language,
        priority=request.priority,
        reason=request.reason,
        desk=team.desk,
        created_at=now,
        asked_at=now,
    )
