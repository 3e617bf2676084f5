"""The user's own tickets: how they stand (/tickets, "my tickets"), withdrawing an open
one from that list, and reopening one resolved within the reopen window (its "Reopen #12",
as the "Still not solved" under the notice of its resolution: `handoff/reopening.py`).

Each open ticket in the list has a "Withdraw #12" button. Pressing it asks first ("Withdraw
ticket #12 «…»?", with "Yes, withdraw" and "Keep it"), so a mis-tap does not lose a ticket;
only "Yes, withdraw" withdraws it, and only if it is still open then (see
`HandoffPort.withdraw`). A ticket that is no longer open is not asked about: the user is
told why at once.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime

from bot.handoff.offices import Offices
from bot.handoff.port import REOPEN, HandoffPort, Reopening, Withdrawal
from bot.handoff.reopening import reopenable
from bot.handoff.sla import due_now
from bot.handoff.text import subject_markdown
from bot.phrases import Phrases
from bot.storage import repo
from bot.storage.models import WITHDRAWN, Conversation, Ticket
from bot.turns import Choice, Say

__all__ = ["UserTickets"]

# "queued": in progress, its chat passed to another team and waiting in its queue
_LINE_STATUSES = ("waiting", "open", "in_progress", "queued", "resolved", WITHDRAWN)
_DUE_STATUSES = _LINE_STATUSES[:4]  # the lines that name a due time
# Why a ticket was not withdrawn, by its status; anything else: the button was not valid.
_NOT_WITHDRAWN = {
    "in_progress": "ticket_withdraw_in_chat",
    "resolved": "ticket_already_resolved",
    WITHDRAWN: "ticket_already_withdrawn",
}
# Why a ticket was not reopened, by its status ("resolved": too long ago)
_NOT_REOPENED = {
    "open": "ticket_reopen_open",
    "in_progress": "ticket_reopen_open",
    "resolved": "ticket_reopen_late",
    WITHDRAWN: "ticket_reopen_withdrawn",
}


@dataclass(frozen=True, slots=True)
class UserTickets:
    """What the user reads about their tickets, in their conversation's language."""

    phrases: Phrases
    handoff: HandoffPort
    offices: Offices  # their time zones, for due times
    team_zones: Mapping[str, str]  # and the teams' (by name)
    clock: Callable[[], datetime]  # "today" is its day
    reopen_days: int  # how long after its resolution a ticket may be reopened (0: never)

    async def listed(self, conversation: Conversation) -> Say:
        """How the user's tickets stand, with the due time each waits for, in their zone;
        a button withdraws each open one."""
        user, language = conversation.user, conversation.language
        tickets = await repo.user_tickets(user.id)
        if not tickets:  # a request in the queue or with an agent is no ticket, but is IT's
            busy = await repo.has_open_request(user.id)
            return Say(
                self.phrases.get(language, "tickets_none_in_request" if busy else "tickets_none")
            )
        queued = await _queued(tickets)
        lines = [self.phrases.get(language, "tickets_list")]
        lines += [self.line(conversation, t, queued=queued.get(t.id)) for t in tickets]
        buttons = self._withdraw_buttons(tickets, language)
        return Say("\n".join(lines), buttons + self._reopen_buttons(tickets, language))

    async def about(self, conversation: Conversation, number: int, key: str) -> str:
        """Phrase `key` with how the user's ticket `number` stands now: it is open already
        ("ticket_already_open": they asked for a person again), it was raised
        ("ticket_raised"), or it was that urgent already ("ticket_urgent_already")."""
        ticket = await repo.user_ticket(conversation.user.id, number)
        if ticket is None:
            return self.phrases.get(conversation.language, key, line="")
        line = self.line(conversation, ticket, queued=(await _queued([ticket])).get(number))
        return self.phrases.get(conversation.language, key, line=line)

    def line(self, conversation: Conversation, ticket: Ticket, *, queued: str | None = None) -> str:
        """How `ticket` stands, with the due time it waits for in the user's zone; `queued`:
        the team whose queue its chat waits in (a picked-up ticket passed on): nobody is on
        it until one of them takes it."""
        user, language = conversation.user, conversation.language
        days = self.phrases.days(language, self.clock())
        zone = self.team_zones.get(ticket.team or "", "UTC")
        due = due_now(ticket)
        when = self.offices.time_for(
            due, own=user.timezone, office=user.office, default=zone, days=days
        )
        waiting = ticket.first_response_at is None and ticket.status == "open"
        status = "waiting" if waiting else ticket.status
        status = "queued" if status == "in_progress" and queued is not None else status
        key = f"ticket_line_{status}" if status in _LINE_STATUSES else "ticket_line_closed"
        if status in _DUE_STATUSES and due is not None and due < self.clock():
            key = f"{key}_late"  # a time gone by is no promise: the line says it is late
        return self.phrases.get(
            language,
            key,
            number=ticket.id,
            subject=self._subject(language, ticket),
            due=when,
            team=queued,
        )

    async def confirm(self, conversation: Conversation, number: int) -> Say:
        """Ask whether to withdraw the user's ticket `number`, if it is open; else why not."""
        language = conversation.language
        ticket = await repo.user_ticket(conversation.user.id, number)
        if ticket is None or ticket.status != "open":
            status, subject = (
                (None, "") if ticket is None else (ticket.status, self._subject(language, ticket))
            )
            can_reopen = ticket is not None and reopenable(ticket, self.clock(), self.reopen_days)
            return Say(self._not_withdrawn(language, number, status, subject, reopen=can_reopen))
        text = self.phrases.get(
            language,
            "ticket_withdraw_confirm",
            number=number,
            subject=self._subject(language, ticket),
        )
        t = self.phrases.get
        choices = (
            Choice(t(language, "ticket_withdraw_yes"), "withdraw_confirmed", str(number)),
            Choice(t(language, "ticket_withdraw_keep"), "withdraw_kept", str(number)),
        )
        return Say(text, choices)

    async def withdraw(self, conversation: Conversation, number: int) -> Say:
        """The user withdraws their ticket `number` (they confirmed): done, or why not."""
        language = conversation.language
        found = await self.handoff.withdraw(conversation.user.id, number)
        if not found.done:
            subject = self._subject(language, found)
            # resolved since the question was asked: within the window, if there is one
            reopen = self.reopen_days > 0
            return Say(self._not_withdrawn(language, number, found.status, subject, reopen=reopen))
        text = self.phrases.get(
            language, "ticket_withdrawn", number=number, subject=self._subject(language, found)
        )
        return Say(text)

    async def reopen(self, conversation: Conversation, number: int) -> tuple[Say, bool]:
        """The user reopens their resolved ticket `number`: asked what is still wrong (True:
        their next words go into it), or told why not and to write anew."""
        language = conversation.language
        found = await self.handoff.reopen(conversation.user.id, number)
        key = (
            "ticket_reopened"
            if found.done
            else _NOT_REOPENED.get(found.status or "", "button_unknown")
        )
        subject = self._subject(language, found)
        text = self.phrases.get(language, key, number=number, subject=subject)
        return Say(text), found.done

    def _subject(self, language: str, ticket: Ticket | Withdrawal | Reopening) -> str:
        """The ticket's subject for a phrase in `language`, or its words for none yet."""
        return subject_markdown(ticket, untitled=self.phrases.get(language, "no_subject_person"))

    def _not_withdrawn(
        self, language: str, number: int, status: str | None, subject: str, *, reopen: bool
    ) -> str:
        """Why ticket `number` (its `subject` as Markdown) is not withdrawn, by its status
        (None: not the user's); a resolved one that cannot be `reopen`ed (reopening is off,
        or its window past) says to write anew instead."""
        key = _NOT_WITHDRAWN.get(status or "", "button_unknown")
        key = f"{key}_final" if key == "ticket_already_resolved" and not reopen else key
        return self.phrases.get(language, key, number=number, subject=subject)

    def _withdraw_buttons(self, tickets: Sequence[Ticket], language: str) -> tuple[Choice, ...]:
        """A button "Withdraw #12" for each open ticket; the number is kept with the button."""
        return tuple(
            Choice(
                self.phrases.get(language, "ticket_withdraw", number=t.id), "withdraw", str(t.id)
            )
            for t in tickets
            if t.status == "open"
        )

    def _reopen_buttons(self, tickets: Sequence[Ticket], language: str) -> tuple[Choice, ...]:
        """A button "Reopen #12" for each ticket resolved within the reopen window."""
        now, label = self.clock(), self.phrases.get
        return tuple(
            Choice(label(language, "ticket_reopen", number=t.id), REOPEN, str(t.id))
            for t in tickets
            if reopenable(t, now, self.reopen_days)
        )


async def _queued(tickets: Sequence[Ticket]) -> dict[int, str]:
    """Of `tickets`, those whose chat waits in a team's queue, and the team: only one in
    progress can (picked up, then passed to another team), so none in progress asks nothing."""
    numbers = [ticket.id for ticket in tickets if ticket.status == "in_progress"]
    return await repo.queued_tickets(numbers) if numbers else {}
