"""What agents do with handoffs: claim, reply, answer with a KB article, note, close,
transfer, set its priority, convert to a ticket; and with open tickets: list, take, resolve,
set a priority.

Channel adapters call `Desk.act` with the agent's identity as the platform gave it (never a
value the client sent back) and a `DeskAction`; the agent's right to act is checked here,
against the team's configured agents, for every action, and a delivery the channel recorded
is acted on once (who may do what to a request: `desk_rights.py`). What each action then
does is in `actions.py` (on a handoff), `pickup.py` and `resolution.py` (on an open ticket),
`prioritise.py` (a priority, on either). The values and the protocol the adapters use are in
`desk_port.py`.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from tortoise.transactions import in_transaction

from bot.handoff import actions
from bot.handoff.actions import Refused
from bot.handoff.agents import remember_name
from bot.handoff.articles import NO_LIBRARY, Library, Lookup, send_article
from bot.handoff.board import Board, board
from bot.handoff.desk_port import ACTIONS, DeskAction, DeskResult, agent_id
from bot.handoff.desk_rights import refusal_of
from bot.handoff.inbox import desk_source
from bot.handoff.notices import notices
from bot.handoff.pickup import take_ticket
from bot.handoff.prioritise import set_request_priority, set_ticket_level
from bot.handoff.queue import Queue
from bot.handoff.reopening import recently_resolved
from bot.handoff.resolution import resolve_ticket
from bot.handoff.threads import Pause, again, thread_of
from bot.handoff.ticket_list import TicketCard, open_tickets, tickets_text
from bot.messages import UserRef
from bot.storage import events
from bot.storage.models import Handoff
from bot.wellformed import mended

__all__ = ["Desk"]


@dataclass(frozen=True, slots=True)
class Desk:
    """The desk service over the handoff queue (and the KB, for agents' `kb` answers)."""

    queue: Queue
    library: Library = NO_LIBRARY  # none: no article is ever found
    pause: Pause = again  # between two looks for a card being recorded (`threads.py`)

    def is_agent(self, agent: UserRef) -> bool:
        return bool(self.queue.teams.of_agent(agent_id(agent)))

    async def board(self, agent: UserRef) -> Board:
        teams, now = (
            [t.name for t in self.queue.teams.of_agent(agent_id(agent))],
            self.queue.clock(),
        )
        zones, name = self.queue.teams.zones, self.queue.user_name
        untitled = self.queue.desk_text("no_subject_person")  # a bare request, nothing said
        recent = recently_resolved(self.queue)  # a user's tickets "fixed" lately, too
        cards = await board(
            teams,
            agent_id(agent),
            now=now,
            zones=zones,
            name=name,
            untitled=untitled,
            recent=recent,
        )
        cards = [replace(card, question=card.question or untitled) for card in cards]
        return Board(cards, await notices(teams, now=now, zones=zones))

    async def tickets(self, agent: UserRef) -> list[TicketCard]:
        teams = [t.name for t in self.queue.teams.of_agent(agent_id(agent))]
        default, now = self.queue.teams.default, self.queue.clock()
        zones, name = self.queue.teams.zones, self.queue.user_name
        found = await open_tickets(teams, default=default, now=now, zones=zones, name=name)
        untitled = self.queue.desk_text("no_subject_person")  # none said yet
        return [replace(card, subject=card.subject or untitled) for card in found]

    async def act(
        self, agent: UserRef, action: DeskAction, *, event_id: str | None = None
    ) -> DeskResult:
        action = mended(action)  # the desk's door, as the engine's is for users' messages
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
        if action.name and self.is_agent(agent):  # for the texts this action writes
            await remember_name(who, action.name)
        if action.kind == "take":
            return DeskResult(*await take_ticket(self.queue, who, action.ticket_id))
        if action.kind == "resolve":
            return DeskResult(*await resolve_ticket(self.queue, who, action.ticket_id, action.text))
        if action.kind == "tickets":
            return await self._list(agent)
        if action.kind == "priority" and action.ticket_id:
            return DeskResult(
                *await set_ticket_level(self.queue, who, action.ticket_id, action.text)
            )
        # A kb action's article is looked up first: matching waits for the matching thread, and
        # the handoff's row (and on SQLite the database) must not stay locked meanwhile.
        found = await self._find(action) if action.kind == "kb" else None
        try:
            async with in_transaction():
                handoff = await Handoff.filter(id=action.handoff_id).select_for_update().first()
                refusal = await refusal_of(self.queue, handoff, who, action)
                if refusal is not None or handoff is None:
                    raise Refused(refusal or "")
                text = await self._on_handoff(handoff, who, action, found)
        except Refused as refused:
            return DeskResult(False, str(refused))
        return DeskResult(True, text)

    async def _on_handoff(
        self, handoff: Handoff, who: str, action: DeskAction, found: Lookup | None
    ) -> str:
        """Do `action` (allowed) on the locked `handoff`: what the desk shows."""
        queue = self.queue
        match action.kind:
            case "claim":
                return await actions.claim(queue, handoff, who)
            case "reply":
                return await actions.reply(
                    queue, handoff, who, action.text, action.attachments, edited=action.edited
                )
            case "kb":
                return await self._kb(handoff, who, action.text, found)
            case "note":
                return await actions.note(queue, handoff, who, action.text)
            case "close":
                return await actions.close(queue, handoff, who)
            case "transfer":
                return await actions.transfer(queue, handoff, who, action.team)
            case "ticket":
                return await actions.make_ticket(queue, handoff, who)
            case "priority":
                return await set_request_priority(queue, handoff, who, action.text)
        raise Refused(queue.desk_text("desk_not_found"))

    async def _list(self, agent: UserRef) -> DeskResult:
        """The open tickets of the agent's teams as text, for a chat desk (the web desk lists
        them itself)."""
        if not self.is_agent(agent):
            return DeskResult(False, self.queue.desk_text("desk_not_agent"))
        return DeskResult(True, tickets_text(self.queue, await self.tickets(agent)))

    async def thread_of(self, desk: str, ref: str) -> int | None:
        return await thread_of(desk, ref, clock=self.queue.clock, pause=self.pause)

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
            raise Refused(text)
        return text
