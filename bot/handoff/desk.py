"""What agents do with handoffs: claim, reply, answer with a KB article, note, close,
transfer, convert to a ticket; and with open tickets: list, take, resolve.

Channel adapters call `Desk.act` with the agent's identity as the platform gave it (never a
value the client sent back) and a `DeskAction`; the agent's right to act is checked here,
against the team's configured agents, for every action. What a chat desk answers the agent
alone is `answers_agent`'s to say, the same on every platform.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from tortoise.transactions import in_transaction

from bot.handoff.articles import NO_LIBRARY, Library, Lookup, send_article
from bot.handoff.board import Board, board, notices
from bot.handoff.files import pass_files, with_markers
from bot.handoff.inbox import desk_source
from bot.handoff.pickup import TicketCard, open_tickets, take_ticket, tickets_text
from bot.handoff.queue import Queue, agent_name
from bot.handoff.resolution import resolve_ticket
from bot.handoff.tickets import mark_ticket
from bot.messages import Attachment, UserRef
from bot.storage import events
from bot.storage.models import ACTIVE_HANDOFF, Handoff, OutboxMessage, TranscriptMessage

__all__ = ["Desk", "DeskAction", "DeskPort", "DeskResult", "agent_id", "answers_agent"]

ACTIONS = frozenset(
    {"claim", "reply", "kb", "note", "close", "transfer", "ticket", "take", "tickets", "resolve"}
)
_UNSEEN = frozenset({"note", "tickets"})  # done, and nothing at the desk shows it
_MAX_TEXT = 8000


def agent_id(agent: UserRef) -> str:
    """How agents are written in the configuration: "platform:user id"."""
    return f"{agent.platform}:{agent.user_id}"


@dataclass(frozen=True, slots=True)
class DeskAction:
    """One agent action on handoff `handoff_id`; `text` for reply/note (for kb: the words to
    look for, or an article's id; for resolve: the note the user is told), `team` for
    transfer, `ticket_id` for take and resolve (pick up or resolve an open ticket:
    `handoff_id` is not used); a reply's `attachments` go to the user too (files alone,
    without text, are a reply)."""

    kind: str
    handoff_id: int
    text: str = ""
    team: str = ""
    ticket_id: int = 0
    attachments: tuple[Attachment, ...] = ()


@dataclass(frozen=True, slots=True)
class DeskResult:
    """Whether it was done, and what to show the agent."""

    ok: bool
    text: str


def answers_agent(kind: str, result: DeskResult) -> bool:
    """Whether a chat desk answers the agent, and them alone, with the result of an action
    of `kind`: a refusal, or what nothing else shows (a note saved, the ticket list). Any
    other action that was done shows for everyone at the desk already (the card's edit, a
    line in its thread or at the top, the new card of a ticket picked up), and a reply or an
    article in the user's chat; saying it again to the agent would say it twice."""
    return bool(result.text) and (not result.ok or kind in _UNSEEN)


class DeskPort(Protocol):
    """What an agents' desk adapter may ask of the core."""

    def is_agent(self, agent: UserRef) -> bool:
        """Whether `agent` belongs to any team."""
        ...

    async def board(self, agent: UserRef) -> Board:
        """The waiting handoffs of the agent's teams and the agent's own, and the teams'
        recent notices of no request."""
        ...

    async def tickets(self, agent: UserRef) -> list[TicketCard]:
        """The open tickets of the agent's teams, which the agent may take or resolve."""
        ...

    async def act(
        self, agent: UserRef, action: DeskAction, *, event_id: str | None = None
    ) -> DeskResult:
        """Do `action` if `agent` may; a refusal says why. With `event_id` (the platform's
        delivery id, the key a channel recorded it under with `DeskInbox.accept`, if it did)
        a redelivery is done once: (False, "") the second time."""
        ...

    async def thread_of(self, desk: str, ref: str) -> int | None:
        """The active handoff whose card, or a message of its thread, is `ref` on `desk`."""
        ...


@dataclass(frozen=True, slots=True)
class Desk:
    """The desk service over the handoff queue (and the KB, for agents' `kb` answers)."""

    queue: Queue
    library: Library = NO_LIBRARY  # none: no article is ever found

    def is_agent(self, agent: UserRef) -> bool:
        return bool(self.queue.teams.of_agent(agent_id(agent)))

    async def board(self, agent: UserRef) -> Board:
        teams, now = (
            [t.name for t in self.queue.teams.of_agent(agent_id(agent))],
            self.queue.clock(),
        )
        cards = await board(teams, agent_id(agent), now=now, zones=self.queue.teams.zones)
        return Board(cards, await notices(teams, now=now))

    async def tickets(self, agent: UserRef) -> list[TicketCard]:
        teams = [t.name for t in self.queue.teams.of_agent(agent_id(agent))]
        default, now = self.queue.teams.default, self.queue.clock()
        return await open_tickets(teams, default=default, now=now, zones=self.queue.teams.zones)

    async def act(
        self, agent: UserRef, action: DeskAction, *, event_id: str | None = None
    ) -> DeskResult:
        if event_id is None:
            return await self._act(agent, action)
        async with in_transaction():
            source = desk_source(agent.platform)  # where the channel may have recorded it
            event = await events.claim(source, event_id, {"desk": action.kind})
            if event is None:
                return DeskResult(False, "")  # a redelivery: done the first time
            result = await self._act(agent, action)
            await events.mark_handled(event)
        return result

    async def _act(self, agent: UserRef, action: DeskAction) -> DeskResult:
        if action.kind not in ACTIONS:
            return DeskResult(False, self.queue.desk_text("desk_not_found"))
        who = agent_id(agent)
        if action.kind == "take":
            return DeskResult(*await take_ticket(self.queue, who, action.ticket_id))
        if action.kind == "resolve":
            return DeskResult(*await resolve_ticket(self.queue, who, action.ticket_id, action.text))
        if action.kind == "tickets":
            return await self._list(agent)
        # A kb action's article is looked up first: matching waits for the matching thread, and
        # the handoff's row (and on SQLite the database) must not stay locked meanwhile.
        found = await self._find(action) if action.kind == "kb" else None
        try:
            async with in_transaction():
                handoff = await Handoff.filter(id=action.handoff_id).select_for_update().first()
                refusal = self._refusal(handoff, who, action)
                if refusal is not None or handoff is None:
                    raise _Refused(refusal or "")
                if action.kind == "kb":
                    text = await self._kb(handoff, who, action.text, found)
                else:
                    text = await getattr(self, f"_{action.kind}")(handoff, who, action)
        except _Refused as refused:
            return DeskResult(False, str(refused))
        return DeskResult(True, text)

    async def _list(self, agent: UserRef) -> DeskResult:
        """The open tickets of the agent's teams as text, for a chat desk (the web desk lists
        them itself)."""
        if not self.is_agent(agent):
            return DeskResult(False, self.queue.desk_text("desk_not_agent"))
        return DeskResult(True, tickets_text(self.queue, await self.tickets(agent)))

    async def thread_of(self, desk: str, ref: str) -> int | None:
        handoff = await Handoff.filter(desk=desk, desk_ref=ref, status__in=ACTIVE_HANDOFF).first()
        if handoff is None:  # a reply to a relay or notice under the card (a reply chain)
            platform, _, chat = desk.partition(":")
            sent = await OutboxMessage.filter(
                platform=platform, chat_id=chat, platform_message_id=ref, handoff_id__isnull=False
            ).first()
            found = sent and sent.handoff_id
            active = Handoff.filter(id=found or 0, desk=desk, status__in=ACTIVE_HANDOFF)
            handoff = await active.first()
        return None if handoff is None else handoff.id

    def _refusal(self, handoff: Handoff | None, who: str, action: DeskAction) -> str | None:
        t = self.queue.desk_text
        if handoff is None:
            return t("desk_not_found")
        team = self.queue.teams.named(handoff.team)
        if team is None or not team.serves(who):
            return t("desk_not_agent")
        if action.kind == "claim" or action.kind == "note":
            return None
        if handoff.status not in ACTIVE_HANDOFF:
            return t("desk_wrong_state", id=handoff.id, status=handoff.status)
        owner_only = action.kind in ("reply", "kb", "close") or handoff.status == "claimed"
        if owner_only and handoff.agent != who:
            if handoff.agent is None:
                return t("desk_wrong_state", id=handoff.id, status=handoff.status)
            return t("desk_not_yours", id=handoff.id, agent=agent_name(handoff.agent))
        return None

    async def _claim(self, handoff: Handoff, who: str, action: DeskAction) -> str:
        now = self.queue.clock()
        taken = await Handoff.filter(id=handoff.id, status="waiting").update(
            status="claimed", agent=who, claimed_at=now
        )
        if not taken:
            await handoff.refresh_from_db()
            if handoff.status == "claimed":
                raise _Refused(
                    self.queue.desk_text(
                        "desk_already_taken", id=handoff.id, agent=agent_name(handoff.agent)
                    )
                )
            raise _Refused(
                self.queue.desk_text("desk_wrong_state", id=handoff.id, status=handoff.status)
            )
        handoff.status, handoff.agent, handoff.claimed_at = "claimed", who, now  # as updated
        name = agent_name(who)
        await self.queue.mark_card(handoff, "desk_card_claimed", agent=name)
        await self.queue.tell_user(handoff, "handoff_claimed", agent=name)
        text = self.queue.desk_text("desk_claimed", id=handoff.id, agent=name)
        await self.queue.tell_desk(handoff, text)
        await self.queue.announce_places(handoff.team, after=handoff)
        return text

    async def _reply(self, handoff: Handoff, who: str, action: DeskAction) -> str:
        text, files = action.text.strip()[:_MAX_TEXT], action.attachments
        await TranscriptMessage.create(
            conversation_id=handoff.conversation_id,
            direction="agent",
            text=with_markers(text, files),
        )
        if text or not files:
            await self.queue.tell_user(
                handoff, "handoff_agent_says", agent=agent_name(who), text=text
            )
        await pass_files(self.queue, handoff, files, to_desk=False)
        return self.queue.desk_text("desk_sent")

    async def _find(self, action: DeskAction) -> Lookup | None:
        """The article a kb action's words name or match, in the handoff's language (None
        without words or without such a handoff)."""
        language = await Handoff.filter(id=action.handoff_id).first().values_list("language")
        if not action.text.strip() or language is None:
            return None
        return await self.library.lookup(action.text, str(language[0]))

    async def _kb(self, handoff: Handoff, who: str, query: str, found: Lookup | None) -> str:
        done, text = await send_article(self.queue, handoff, who, query, found)
        if not done:
            raise _Refused(text)
        return text

    async def _note(self, handoff: Handoff, who: str, action: DeskAction) -> str:
        text = f"{agent_name(who)}: {action.text.strip()[:_MAX_TEXT]}"
        await TranscriptMessage.create(
            conversation_id=handoff.conversation_id, direction="note", text=text
        )
        return self.queue.desk_text("desk_note_saved")

    async def _close(self, handoff: Handoff, who: str, action: DeskAction) -> str:
        handoff.status, handoff.closed_at = "closed", self.queue.clock()
        await handoff.save(update_fields=["status", "closed_at"])
        if handoff.ticket_id is not None:  # a picked-up ticket: the talk was the work
            await mark_ticket(handoff.ticket_id, now=handoff.closed_at, resolved=True)
        await self.queue.mark_card(handoff, "desk_card_closed", agent=agent_name(who))
        rate = await self.queue.rating_buttons(handoff)
        name, ticket = agent_name(who), handoff.ticket_id
        key = "handoff_closed" if ticket is None else "handoff_closed_ticket"
        await self.queue.tell_user(handoff, key, agent=name, number=ticket, buttons=rate)
        text = self.queue.desk_text("desk_closed", id=handoff.id, agent=agent_name(who))
        await self.queue.tell_desk(handoff, text)
        return text

    async def _transfer(self, handoff: Handoff, who: str, action: DeskAction) -> str:
        target = self.queue.teams.named(action.team)
        if target is None or target.name == handoff.team:
            raise _Refused(self.queue.desk_text("desk_unknown_team", team=action.team or "-"))
        text = self.queue.desk_text(
            "desk_transferred", id=handoff.id, team=target.name, agent=agent_name(who)
        )
        await self.queue.tell_desk(handoff, text)
        await self.queue.mark_card(
            handoff, "desk_card_moved", team=target.name, agent=agent_name(who)
        )
        old_team, was_waiting = handoff.team, handoff.status == "waiting"
        handoff.team, handoff.desk, handoff.desk_ref = target.name, target.desk, None
        # It waits afresh in the new team: unclaimed, so neither the team's expected wait nor
        # the report counts a claim from before the transfer (it would precede `created_at`).
        handoff.status, handoff.agent, handoff.claimed_at = "waiting", None, None
        handoff.created_at = self.queue.clock()
        await handoff.save()
        if was_waiting:
            await self.queue.announce_places(old_team, after=handoff)
        await self.queue.post_card(handoff)
        await self.queue.announce_places(target.name, after=handoff)  # those it came in ahead of
        place = await self.queue.place(handoff)
        await self.queue.tell_user(handoff, "handoff_transferred", team=target.name, place=place)
        return text

    async def _ticket(self, handoff: Handoff, who: str, action: DeskAction) -> str:
        ticket = await self.queue.to_ticket(handoff, "agent")
        await self.queue.tell_user(
            handoff, "handoff_ticket_agent", agent=agent_name(who), number=ticket.id
        )
        text = self.queue.desk_text("desk_ticketed", id=handoff.id, number=ticket.id)
        await self.queue.tell_desk(handoff, text)
        return text


class _Refused(Exception):
    """An action found the handoff changed under it; the text says how."""
