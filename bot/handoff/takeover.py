"""While a request waits or is served (`LiveHandoff`), the user's messages go to it.

`intercept` takes them before the dialog: they are relayed to the desk and the bot does not
answer from the KB (/start, which would greet them as if nothing were going on, is told where
they are instead). That holds in every chat of the user, not only the one the request started
in: a Slack user who asked with /helpdesk in a channel gets the agent's messages in a DM and
answers there. A user who names another office is heard of at the desk (`moved`), one who
blocks the bot ends their requests (`gone`).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from bot.handoff.agents import agent_name
from bot.handoff.desk_card import refresh_card, tell_office_changed
from bot.handoff.files import pass_files
from bot.handoff.outage_heirs import hand_over
from bot.handoff.outage_news import outage_news
from bot.handoff.prioritise import announce_moved
from bot.handoff.queue import Queue, load_related
from bot.markdown import literal
from bot.messages import Attachment, UserRef
from bot.priorities import rank
from bot.storage.models import ACTIVE_HANDOFF, Conversation, Handoff, Ticket

__all__ = ["LiveTakeover"]

_CANCEL = frozenset({"/cancel", "/stop"})
# What a waiting user writes that says nothing of the problem: they are told where they are
_SMALL_TALK = frozenset({"greeting", "thanks", "ok", "help", "accept", "decline"})


@dataclass(frozen=True, slots=True)
class LiveTakeover:
    """The user's turns while a request of theirs is active, for the configured teams."""

    queue: Queue
    urgency: Callable[[str], str | None]  # the priority a message asks for (Intents)
    topic: Callable[[str], str]  # what it says besides "human", "urgent"
    intent: Callable[[str], str | None] = lambda _: None  # "greeting", "thanks", …
    # what a joined outage report's user says of it (bot/outage_topics.py: outage_follow_up)
    follow_up: Callable[[str], Callable[[str], str | None] | None] = lambda _: None

    async def intercept(
        self,
        conversation_db_id: int,
        text: str,
        attachments: Sequence[Attachment] = (),
        *,
        edited: bool = False,
        forwarded: str = "",
    ) -> list[str] | None:
        """Relay the user's message (and files) to the desk while a handoff is active, one
        they `edited` marked as a correction, one they passed on with who wrote it first
        (`forwarded`); /cancel leaves, /start is told where they are."""
        handoff = await _active(conversation_db_id)
        if handoff is None:  # the user's report may have joined an outage's: news of it
            return await outage_news(self.queue, conversation_db_id, text, self.follow_up)
        await load_related(handoff, "user")
        if text.strip().casefold() in _CANCEL:
            return [await self._cancel(handoff)]
        if text.strip().casefold().partition(" ")[0] == "/start":
            return [await self._where(handoff)]
        name, said = literal(self.queue.user_name(handoff.user)), literal(text)  # shown as typed
        key = "desk_user_edits" if edited else "desk_user_says"
        key = "desk_user_forwards" if forwarded else key  # a colleague's or a channel's words
        relay = self.queue.desk_text(key, user=name, text=said, author=literal(forwarded))
        await self.queue.tell_desk(handoff, relay, kind="relay")
        await pass_files(self.queue, handoff, attachments, to_desk=True)
        titled = await self._titled(handoff, text)
        if handoff.status == "claimed":
            return []
        if not await self._raise(handoff, text) and titled:  # one rewrite of the card
            await refresh_card(self.queue, handoff)
        return [await self._where(handoff, passed=bool(attachments) or self._details(text))]

    async def _where(self, handoff: Handoff, *, passed: bool = False) -> str:
        """Where the user's request is: with an agent, or its place in the queue and the
        expected wait (what "anyone there?" asks, too, while they wait); `passed`: after
        what the user wrote was passed on to the desk."""
        if handoff.status == "claimed":
            agent = await agent_name(handoff.agent)
            return self.queue.phrases.get(handoff.language, "handoff_with_agent", agent=agent)
        place = await self.queue.place(handoff)
        minutes = await self.queue.minutes(handoff.team, place)
        key = "handoff_passed_on" if passed else "handoff_still_waiting"
        text = self.queue.phrases.get(handoff.language, key, place=place, minutes=minutes)
        return await self.queue.until_hours_end(handoff, text, minutes)

    def _details(self, text: str) -> bool:
        """Whether `text` tells the desk something of the problem: it is said to be passed
        on. "anyone there?", "hello?", "thanks" ask (or say) nothing: where they are."""
        return bool(self.topic(text)) and self.intent(text) not in _SMALL_TALK

    async def _titled(self, handoff: Handoff, text: str) -> bool:
        """A bare request for a person ("human", no question: its question is "") takes the
        user's first message since that says something ("срочно!" or "anyone there?" does
        not) as its question, the subject of a ticket made of it; True: it took this one
        (a waiting card is to show it)."""
        if handoff.question or not self.topic(text):
            return False
        handoff.question = text
        await handoff.save(update_fields=["question"])
        return True

    async def _raise(self, handoff: Handoff, text: str) -> bool:
        """A waiting user who now reports an outage (or writes "urgent") moves up the queue:
        the desk is told, and so is everyone it passes; True: it did (the card is rewritten)."""
        wanted = self.urgency(text)
        if wanted is None or rank(wanted) <= rank(handoff.priority):
            return False
        was, handoff.priority = handoff.priority, wanted
        await handoff.save(update_fields=["priority"])
        await refresh_card(self.queue, handoff)  # the card shows the new priority
        shown = self.queue.priority_text(wanted)
        await self.queue.tell_desk(
            handoff, self.queue.desk_text("desk_priority_raised", id=handoff.id, priority=shown)
        )
        await announce_moved(self.queue, handoff, was)
        return True

    async def moved(self, conversation_db_id: int, *, was: str | None) -> None:
        """The user named another office (it was `was`) while a request of theirs is active:
        its desk is told (a job on site may be for another office's admins)."""
        handoff = await _active(conversation_db_id)
        if handoff is not None:
            await tell_office_changed(self.queue, handoff, was)

    async def gone(self, user: UserRef) -> None:
        """The user blocked the bot: no one is to claim, or talk on in, a request whose
        answers they will not see."""
        mine = Handoff.filter(
            user__platform=user.platform,
            user__workspace=user.workspace,
            user__external_id=user.user_id,
            status__in=ACTIVE_HANDOFF,
        )
        for handoff in await mine.select_for_update():
            await self._cancel(handoff, notice="desk_user_blocked")

    async def _cancel(self, handoff: Handoff, *, notice: str = "") -> str:
        """End the request (the user's /cancel, or `notice` says why); what the user is told."""
        was_waiting, number = handoff.status == "waiting", handoff.ticket_id
        ended = "desk_user_ended_ticket_chat" if number else "desk_user_ended_chat"
        notice = notice or ("desk_cancelled" if was_waiting else ended)
        handoff.status, handoff.closed_at = "cancelled", self.queue.clock()
        await handoff.save(update_fields=["status", "closed_at"])
        if number is not None:  # a picked-up ticket goes back to the team: both are told
            await Ticket.filter(id=number, status="in_progress").update(status="open")
        await self.queue.mark_card(handoff, "desk_card_cancelled")
        told = self.queue.desk_text(notice, id=handoff.id, number=number)
        await self.queue.tell_desk(handoff, told)
        handed = await hand_over(self.queue, handoff, was_waiting=was_waiting)  # an outage
        if was_waiting and not handed:
            await self.queue.announce_places(handoff.team, after=handoff)
        key = "handoff_cancelled" if was_waiting else "handoff_chat_ended"
        key = "handoff_ticket_chat_ended" if number and not was_waiting else key
        return self.queue.phrases.get(handoff.language, key, number=number)


async def _active(conversation_db_id: int) -> Handoff | None:
    """The conversation's active handoff, or else its user's in another chat (locked)."""
    own = Handoff.filter(conversation_id=conversation_db_id, status__in=ACTIVE_HANDOFF)
    handoff = await own.select_for_update().first()
    if handoff is not None:
        return handoff
    user = await Conversation.filter(id=conversation_db_id).values_list("user_id", flat=True)
    if not user:
        return None
    theirs = Handoff.filter(user_id=user[0], status__in=ACTIVE_HANDOFF).order_by("-id")
    return await theirs.select_for_update().first()
