"""Carrying out a dialog decision: records (`turn_records.py`), language, handoff (its
request: `handoff_request.py`), tickets, state, keyed buttons, and the replies kept in the
outbox for channels that must not lose them."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime

from bot.dialog_described import DESCRIBING
from bot.handoff.offices import Offices
from bot.handoff.order import waiting
from bot.handoff.outbox import put
from bot.handoff.port import REOPEN_DAYS, HandoffPort
from bot.handoff.replies import REPLY
from bot.handoff.tickets import describe_ticket
from bot.handoff_request import handoff_request
from bot.knowledge.article import Article
from bot.messages import Button, Reply
from bot.phrases import Phrases
from bot.redact import redact
from bot.storage import repo
from bot.storage.models import Conversation
from bot.turn_records import store_records
from bot.turns import Decision, Handoff, Say
from bot.user_tickets import UserTickets

__all__ = ["Effects"]


@dataclass(frozen=True, slots=True)
class Effects:
    """Performs what the dialog decided, inside the engine's transaction."""

    phrases: Phrases
    articles: Mapping[str, Article]
    handoff: HandoffPort
    max_stored_chars: int = 8000
    urgency: Callable[[str], str | None] = lambda _: None  # the priority a text asks for
    offices: Offices = field(default_factory=Offices)  # their time zones, for due times
    team_zones: Mapping[str, str] = field(default_factory=dict)  # and the teams' (by name)
    clock: Callable[[], datetime] = lambda: datetime.now(UTC)  # "today" is its day
    reopen_days: int = REOPEN_DAYS

    async def apply(self, conversation: Conversation, decision: Decision) -> list[Reply]:
        """Perform the decision's effects and turn its messages into replies."""
        await store_records(
            conversation,
            decision.records,
            handoff=self.handoff,
            limit=self.max_stored_chars,
            clock=self.clock,
        )
        await self._choose(conversation, decision)
        says, state = list(decision.says), decision.state
        if decision.described is not None:
            says.insert(0, await self._described(conversation, *decision.described))
        if decision.urged is not None:
            says[:0] = await self._urged(conversation, *decision.urged)
        if decision.handoff is not None:
            said, awaited, tried = await self._hand_off(conversation, decision.handoff)
            says.append(said)
            if awaited:  # the next message says (more of) the problem: the ticket's
                state = replace(state, name=f"{DESCRIBING}{awaited}", tried=tried)
        says += await self._about_tickets(conversation, decision)
        if decision.reopen is not None:  # asked what is still wrong: the next words say it
            said, reopened = await self._mine().reopen(conversation, decision.reopen)
            says.append(said)
            if reopened:  # not a ticket the articles shown failed: no `tried` in its wait
                state = replace(state, name=f"{DESCRIBING}{decision.reopen}", tried=())
        conversation.state, conversation.misses = state.name, state.misses
        conversation.last_question = redact(state.question)[: self.max_stored_chars]
        conversation.tried_articles = list(state.tried)
        await conversation.save()
        return await self.say(conversation, says)

    @staticmethod
    async def _choose(conversation: Conversation, decision: Decision) -> None:
        """The user's language and office, as the decision chose them (if it did)."""
        if decision.language is not None:
            chosen = None if decision.language == "auto" else decision.language
            await repo.choose_language(conversation.user, chosen)
            conversation.language = conversation.user.language or conversation.language
        if decision.office is not None:
            conversation.user.office = decision.office
            await conversation.user.save(update_fields=["office"])

    async def say(self, conversation: Conversation, says: Sequence[Say]) -> list[Reply]:
        """Replies for `says`, their buttons keyed and everything added to the transcript."""
        replies = []
        for say in says:
            reply = await self._reply(conversation, say)
            await repo.add_transcript(
                conversation, "out", reply.text, limit=self.max_stored_chars, article=say.answered
            )
            replies.append(reply)
        return replies

    @staticmethod
    async def keep(conversation: Conversation, replies: Sequence[Reply]) -> list[Reply]:
        """Write the turn's replies to the outbox (see `bot/handoff/replies.py`): those the
        channel sends at once, each with its `outbox_id`; none when earlier messages to the
        chat still wait (these go after them, through the channel's outbox sender)."""
        platform, chat_id = conversation.user.platform, conversation.chat_id
        queued = await waiting(platform, chat_id)
        kept = []
        for reply in replies:
            item_id = await put(
                platform,
                chat_id,
                reply.text,
                kind=REPLY,
                buttons=reply.buttons,
                conversation=conversation,
                leased=not queued,
            )
            kept.append(replace(reply, outbox_id=item_id))
        return [] if queued else kept

    async def _hand_off(
        self, conversation: Conversation, handoff: Handoff
    ) -> tuple[Say, int, tuple[str, ...]]:
        """What the user is told of the handoff, and the ticket (0: none) their next words go
        into: a bare request's ("human please", opened before they said the problem), or one
        opened after the KB's articles did not help (what the printer shows, said next, is a
        detail of it, not a new question: `dialog_described.py`), with those articles."""
        request = handoff_request(
            conversation,
            handoff,
            articles=self.articles,
            urgency=self.urgency,
            limit=self.max_stored_chars,
        )
        result = await self.handoff.hand_off(request)
        user, number, language = conversation.user, result.ticket_id, conversation.language
        if result.already and number is not None:  # what they write next goes into it
            key = "ticket_already_open"
            if handoff.follow_up and handoff.question:  # what they wrote before it too
                added = redact(handoff.question)[: self.max_stored_chars]
                await describe_ticket(number, user_id=user.id, text=added)
                key = "ticket_followed_up"
            return Say(await self._mine().about(conversation, number, key)), number, ()
        text = result.text
        if text is None:
            days = self.phrases.days(language, self.clock())
            due = self.offices.time_for(
                result.due, own=user.timezone, office=user.office, default="UTC", days=days
            )
            text = self.phrases.get(language, "ticket_opened", number=number, due=due)
        if handoff.question:
            return Say(text), (number or 0) if handoff.tried else 0, handoff.tried
        ask = self.phrases.get(language, "describe_queued" if number is None else "describe_ticket")
        return Say(f"{text}\n\n{ask}"), number or 0, ()

    async def _described(self, conversation: Conversation, number: int, text: str) -> Say:
        """The problem of ticket `number`, as the user described it when asked."""
        kept = redact(text)[: self.max_stored_chars]
        await describe_ticket(number, user_id=conversation.user.id, text=kept)
        return Say(self.phrases.get(conversation.language, "ticket_described", number=number))

    async def _urged(self, conversation: Conversation, number: int, text: str) -> list[Say]:
        """Words of urgency for ticket `number` (0: the user's newest open one, said at any
        time): it is raised, and the user told so. For 0 the user is answered in any case:
        how the ticket stands when it was that urgent already, else what is urgent."""
        wanted, user_id, language = self.urgency(text), conversation.user.id, conversation.language
        any_time = number == 0
        if any_time:
            newest = await repo.newest_open_ticket(user_id)
            if newest is None:
                return [Say(self.phrases.get(language, "urgent_what"))]
            number = newest.id
        if wanted is not None and await self.handoff.raise_priority(user_id, number, wanted):
            return [Say(await self._mine().about(conversation, number, "ticket_raised"))]
        if not any_time:  # the ticket the bot asked about: it asks again, nothing more
            return []
        return [Say(await self._mine().about(conversation, number, "ticket_urgent_already"))]

    async def _about_tickets(self, conversation: Conversation, decision: Decision) -> list[Say]:
        """The user's tickets: one withdrawn (asked about first), and how they stand."""
        mine, says = self._mine(), []
        if decision.confirm_withdraw is not None:
            says.append(await mine.confirm(conversation, decision.confirm_withdraw))
        if decision.withdraw is not None:
            says.append(await mine.withdraw(conversation, decision.withdraw))
        if decision.tickets:
            says.append(await mine.listed(conversation))
        return says

    def _mine(self) -> UserTickets:
        return UserTickets(
            self.phrases,
            self.handoff,
            self.offices,
            self.team_zones,
            self.clock,
            self.reopen_days,
        )

    async def _reply(self, conversation: Conversation, say: Say) -> Reply:
        if not say.choices:
            return Reply(say.text)
        keys = await repo.store_buttons(conversation, [(c.action, c.argument) for c in say.choices])
        buttons = tuple(Button(c.label, key) for c, key in zip(say.choices, keys, strict=True))
        return Reply(say.text, buttons)
