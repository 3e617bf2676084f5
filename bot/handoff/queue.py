"""The handoff queue's shared steps: places, waits (`places.py` counts them), notices, card
edits, and times as a user is told them.

Everything here runs inside the caller's transaction and writes what other chats must see
to the outbox, so a message exists exactly when the change it reports was committed. The
steps built on these are functions of the `Queue`: posting and rewriting a request's card
(`desk_card.py`), making a handoff a ticket (`ticketed.py`), an agent's actions
(`actions.py`).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from tortoise.models import Model

from bot.handoff.cards import CARD_EDIT, card_edit_text
from bot.handoff.offices import Offices
from bot.handoff.outbox import put
from bot.handoff.places import average_wait, place_of, queued_behind, serving_order, wait_minutes
from bot.handoff.port import REOPEN_DAYS
from bot.handoff.sla import Policies
from bot.handoff.teams import Team, Teams
from bot.messages import Button
from bot.phrases import Phrases
from bot.priorities import PRIORITIES, rank
from bot.storage.models import Handoff, User

__all__ = [
    "ALERT",
    "NOTICE",
    "OFF_DUTY_ALERT",
    "Queue",
    "desk_address",
    "load_related",
    "serving_order",  # where it was first: the desk's board and an outage's heir take it here
]

NOTICE = "notice"  # an outbox message's kind: a line for the desk, under a card or at the top
ALERT = "alert"  # a notice that warns (an SLA time near or missed): the web desk marks it red
# An alert of an urgent request that became a ticket off duty, with no card: the web desk
# shows it among its notices (an SLA warning under a chat's card is that card's)
OFF_DUTY_ALERT = "off_duty_alert"


async def load_related(handoff: Handoff, *names: str) -> None:
    """Fetch those of the handoff's relations ("user", "conversation") not loaded yet: a step
    that needs them does not query again for what an earlier step already has."""
    missing = [name for name in names if not isinstance(getattr(handoff, name), Model)]
    if missing:
        await handoff.fetch_related(*missing)


def desk_address(desk: str, team: str) -> tuple[str, str]:
    """(platform, chat id) of a desk; the web desk has one virtual chat per team."""
    if desk == "web":
        return "web", f"desk:{team}"
    platform, _, chat = desk.partition(":")
    return platform, chat


@dataclass(frozen=True, slots=True)
class Queue:
    """The teams, offices, phrases and the clock every handoff step needs."""

    teams: Teams
    phrases: Phrases
    desk_language: str = "en"
    clock: Callable[[], datetime] = lambda: datetime.now(UTC)
    offices: Offices = field(default_factory=Offices)
    sla: Policies = field(default_factory=Policies)
    reopen_days: int = REOPEN_DAYS

    def desk_text(self, key: str, **params: object) -> str:
        return self.phrases.get(self.desk_language, key, **params)

    def wrong_state(self, handoff: Handoff) -> str:
        """Why nothing can be done with request `handoff` now: its state, as the desk reads it
        ("closed", "закрыт"), in its language."""
        key = f"desk_status_{handoff.status}"
        status = self.desk_text(key) if key in self.phrases.by_language["en"] else handoff.status
        return self.desk_text("desk_wrong_state", id=handoff.id, status=status)

    def ticket_status(self, status: str) -> str:
        """A ticket's status as the desk reads it ("resolved", "решена"), in its language."""
        return self.desk_text(f"desk_ticket_status_{status}")

    def user_name(self, user: User) -> str:
        """How a user is shown on the desk: their name, else their id on their platform; a
        web chat's visitor (their id a 33-character hash) as "Web visitor 3f2a"."""
        if user.name or user.platform != "web":
            return user.name or user.external_id
        return self.desk_text("desk_web_visitor", tag=user.external_id.removeprefix("w")[:4])

    def priority_text(self, priority: str) -> str:
        """A priority as the desk reads it ("🔴 URGENT"), in the desk's language."""
        return self.desk_text(f"priority_{PRIORITIES[rank(priority)]}")

    async def tell_user(
        self, handoff: Handoff, key: str, *, buttons: Sequence[Button] = (), **params: object
    ) -> None:
        """An outbox message to the user's chat, in the handoff's language."""
        await self._to_user(handoff, self.phrases.get(handoff.language, key, **params), buttons)

    async def tell_wait(
        self, handoff: Handoff, key: str, *, minutes: int, **params: object
    ) -> None:
        """Phrase `key` of the user's place and wait of `minutes` to their chat, with the line
        saying when the team's hours end when the wait runs past them (`until_hours_end`)."""
        text = self.phrases.get(handoff.language, key, minutes=minutes, **params)
        await self._to_user(handoff, await self.until_hours_end(handoff, text, minutes))

    async def _to_user(self, handoff: Handoff, text: str, buttons: Sequence[Button] = ()) -> None:
        await load_related(handoff, "user", "conversation")
        platform, chat = handoff.user.platform, handoff.conversation.chat_id
        await put(
            platform, chat, text, kind="relay", handoff=handoff, buttons=buttons, now=self.clock()
        )

    async def tell_desk(
        self, handoff: Handoff, text: str, *, kind: str = NOTICE, buttons: Sequence[Button] = ()
    ) -> None:
        """An outbox message to the handoff's desk (in the card's thread, unless a card)."""
        platform, chat = desk_address(handoff.desk, handoff.team)
        await put(
            platform, chat, text, kind=kind, handoff=handoff, buttons=buttons, now=self.clock()
        )

    async def tell_team(self, team: Team, text: str, *, kind: str = NOTICE) -> None:
        """A notice of no request at the top of `team`'s desk (`kind`: or an `ALERT`)."""
        platform, chat = desk_address(team.desk, team.name)
        await put(platform, chat, text, kind=kind, now=self.clock())

    async def mark_card(self, handoff: Handoff, key: str, **params: object) -> None:
        """Edit the handoff's card on its (current) desk to show phrase `key` under it, with
        no Claim button; the web desk's board is read from the database, it needs none."""
        if handoff.desk == "web":
            return
        platform, chat = desk_address(handoff.desk, handoff.team)
        text = await card_edit_text(handoff, platform, chat, self.desk_text(key, **params))
        if text is not None:
            await put(platform, chat, text, kind=CARD_EDIT, handoff=handoff, now=self.clock())

    async def place(self, handoff: Handoff) -> int:
        """The handoff's place in its team's queue, 1 being next (`places.place_of`)."""
        return await place_of(handoff)

    async def _hours_end(self, handoff: Handoff, minutes: int) -> str | None:
        """When the expected wait of `minutes` runs past the end of the handoff's team's
        working time (then nobody is there to take it: it becomes a ticket), that end as the
        user reads it (for "handoff_queued_hours_end"); else None."""
        team, now = self.teams.named(handoff.team), self.clock()
        end = None if team is None else team.closes_at(now)
        if end is None or now + timedelta(minutes=minutes) <= end:
            return None
        await load_related(handoff, "user")
        return self.user_time(end, team, handoff.user, handoff.language)

    async def until_hours_end(self, handoff: Handoff, text: str, minutes: int) -> str:
        """`text` (what the user is told of their place and wait of `minutes`), with the line
        saying when the team's hours end when the wait runs past them (`_hours_end`)."""
        if end := await self._hours_end(handoff, minutes):  # a ticket then: said now
            told = self.phrases.get(handoff.language, "handoff_queued_hours_end", end=end)
            return f"{text}\n{told}"
        return text

    async def minutes(self, team: str, place: int) -> int:
        """Expected wait: the team's recent time to claim, times the place."""
        return wait_minutes(await average_wait(team), place)

    async def announce_places(
        self, team: str, *, after: Handoff, before: tuple[int, int] | None = None
    ) -> None:
        """Tell everyone behind `after`'s spot in `team`'s queue their new place: they moved
        up when it left, or back when it came in ahead of them (a higher priority); with
        `before` (its old spot, when it moved up) only those it passed."""
        behind = await queued_behind(team, after=after, before=before)
        if not behind:
            return
        average = await average_wait(team)
        for place, handoff in behind:
            minutes = wait_minutes(average, place)
            await self.tell_wait(handoff, "handoff_place", place=place, minutes=minutes)

    def user_time(
        self, moment: datetime | None, team: Team | None, user: User, language: str
    ) -> str:
        """`moment` as `user` is told it in `language` (see `Offices.time_for`; by default in
        the team's time zone)."""
        default = "UTC" if team is None else team.timezone
        days = self.phrases.days(language, self.clock())
        return self.offices.time_for(
            moment, own=user.timezone, office=user.office, default=default, days=days
        )
