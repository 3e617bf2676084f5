"""What an agent's action does to a handoff, once the desk (`desk.py`) has let them: claim,
reply, note, close, transfer, make a ticket of it (an article: `articles.py`).

Each runs in the desk's transaction with the handoff's row locked, writes its change and the
messages that report it (the card's edit, the user's line, the desk's line), and returns the
line the desk shows; `Refused` says the handoff changed under it, or the action cannot be.
"""

from __future__ import annotations

from collections.abc import Sequence

from bot.handoff.agents import agent_labels, agent_name
from bot.handoff.desk_card import group_title, post_card
from bot.handoff.files import pass_files, with_markers
from bot.handoff.outages import tell_joined
from bot.handoff.queue import Queue, load_related
from bot.handoff.rating import rating_buttons
from bot.handoff.sla import due_now
from bot.handoff.teams import Team
from bot.handoff.ticketed import to_ticket
from bot.handoff.tickets import mark_ticket
from bot.handoff.timeouts import expire
from bot.markdown import literal
from bot.messages import Attachment
from bot.ratings import RATE_CHAT
from bot.storage.models import Handoff, Ticket, TranscriptMessage

__all__ = ["Refused", "claim", "close", "make_ticket", "note", "reply", "transfer"]

_MAX_TEXT = 8000


class Refused(Exception):
    """An action found the handoff changed under it; the text says how."""


async def claim(queue: Queue, handoff: Handoff, who: str) -> str:
    """Agent `who` takes the waiting handoff: one of two agents claiming at once wins."""
    now = queue.clock()
    taken = await Handoff.filter(id=handoff.id, status="waiting").update(
        status="claimed", agent=who, claimed_at=now
    )
    if not taken:
        await handoff.refresh_from_db()
        if handoff.status == "claimed":
            owner = await agent_name(handoff.agent)
            raise Refused(queue.desk_text("desk_already_taken", id=handoff.id, agent=owner))
        raise Refused(queue.wrong_state(handoff))
    handoff.status, handoff.agent, handoff.claimed_at = "claimed", who, now  # as updated
    name = await agent_name(who)
    await load_related(handoff, "user", "conversation")  # for the user, and so for the desk
    await queue.mark_card(handoff, "desk_card_claimed", agent=name)
    await queue.tell_user(handoff, "handoff_claimed", agent=name)
    where, title = group_title(queue, handoff)  # the agent's replies go where others read
    key = f"desk_claimed_{where}" if where else "desk_claimed"
    text = queue.desk_text(key, id=handoff.id, agent=name, title=title)
    await queue.tell_desk(handoff, text)
    await queue.announce_places(handoff.team, after=handoff)
    return text


async def reply(
    queue: Queue,
    handoff: Handoff,
    who: str,
    text: str,
    files: Sequence[Attachment],
    *,
    edited: bool = False,
) -> str:
    """The agent's words (and files) go to the user, and into the transcript; nothing at
    all (an empty text through the web desk's API) is refused, not sent as a blank line.
    `edited`: a correction of their last words, marked so for the user."""
    text = text.strip()[:_MAX_TEXT]
    if not text and not files:
        raise Refused(queue.desk_text("desk_reply_usage"))
    await TranscriptMessage.create(
        conversation_id=handoff.conversation_id,
        direction="agent",
        text=with_markers(text, files),
    )
    if text or not files:
        key = "handoff_agent_edits" if edited else "handoff_agent_says"
        await queue.tell_user(handoff, key, agent=await agent_name(who), text=text)
    await pass_files(queue, handoff, files, to_desk=False)
    return queue.desk_text("desk_sent")


async def note(queue: Queue, handoff: Handoff, who: str, text: str) -> str:
    """An internal note in the transcript; the user never sees it. An empty one (a bare
    `/note`) is refused."""
    if not text.strip():
        raise Refused(queue.desk_text("desk_note_usage"))
    line = f"{(await agent_labels([who]))[who]}: {text.strip()[:_MAX_TEXT]}"  # a note is text
    await TranscriptMessage.create(
        conversation_id=handoff.conversation_id, direction="note", text=line
    )
    return queue.desk_text("desk_note_saved")


async def close(queue: Queue, handoff: Handoff, who: str) -> str:
    """The chat is over: the user is back with the bot and asked for a rating (a picked-up
    ticket is resolved by it)."""
    handoff.status, handoff.closed_at = "closed", queue.clock()
    await handoff.save(update_fields=["status", "closed_at"])
    if handoff.ticket_id is not None:  # a picked-up ticket: the talk was the work
        await mark_ticket(handoff.ticket_id, now=handoff.closed_at, resolved=True)
    name, ticket = await agent_name(who), handoff.ticket_id
    await load_related(handoff, "user", "conversation")  # for the user, and so for the desk
    await queue.mark_card(handoff, "desk_card_closed", agent=name)
    rate = await rating_buttons(handoff.conversation, RATE_CHAT, handoff.id)
    key = "handoff_closed" if ticket is None else "handoff_closed_ticket"
    await queue.tell_user(handoff, key, agent=name, number=ticket, buttons=rate)
    await tell_joined(queue, handoff, agent=name)  # an outage: those who reported it too
    text = queue.desk_text("desk_closed", id=handoff.id, agent=name)
    await queue.tell_desk(handoff, text)
    return text


async def transfer(queue: Queue, handoff: Handoff, who: str, team: str) -> str:
    """Move the request to `team`'s desk, where it waits afresh (a new card); a team off duty
    gets it as a ticket at once, as a request made while it is off duty does. The name as
    typed, spaces around it aside (the chat desks' commands drop them too)."""
    target = _team_named(queue, team.strip())
    if target.name == handoff.team:  # the team exists: say where the request is
        raise Refused(queue.desk_text("desk_same_team", id=handoff.id, team=target.name))
    name = await agent_name(who)
    text = queue.desk_text("desk_transferred", id=handoff.id, team=target.name, agent=name)
    await queue.tell_desk(handoff, text)
    await queue.mark_card(handoff, "desk_card_moved", team=target.name, agent=name)
    old_team, was_waiting = handoff.team, handoff.status == "waiting"
    await _move(queue, handoff, target)
    if was_waiting:
        await queue.announce_places(old_team, after=handoff)
    if not target.is_open(queue.clock()):  # nobody there to queue for: their ticket now
        return f"{text} {await expire(queue, handoff, queue.clock())}"
    await post_card(queue, handoff)
    await queue.announce_places(target.name, after=handoff)  # those it came in ahead of
    place = await queue.place(handoff)
    minutes = await queue.minutes(target.name, place)  # the new team's, as when queued
    # with when the hours end, if before the wait does: a ticket then, as when queued
    await queue.tell_wait(
        handoff, "handoff_transferred", team=target.name, place=place, minutes=minutes
    )
    return text


async def _move(queue: Queue, handoff: Handoff, target: Team) -> None:
    """The request waits afresh in `target`: unclaimed, so neither the team's expected wait
    nor the report counts a claim from before the transfer (it would precede `created_at`).
    A picked-up ticket goes with it: its SLA warnings go to the desk that has it now."""
    handoff.team, handoff.desk, handoff.desk_ref = target.name, target.desk, None
    handoff.status, handoff.agent, handoff.claimed_at = "waiting", None, None
    handoff.created_at = queue.clock()
    await handoff.save()
    if handoff.ticket_id is not None:
        await Ticket.filter(id=handoff.ticket_id).update(team=target.name)


async def make_ticket(queue: Queue, handoff: Handoff, who: str) -> str:
    """Turn the chat into a ticket; the user gets its number and the due time they wait for:
    its resolution after the agent's chat (the first response), else a first reply (a
    request made a ticket before anyone claimed it). A ticket the agent had picked up goes
    back to the team, open, and the user is told so (not that it is a new ticket)."""
    handed_back = handoff.ticket_id is not None
    ticket = await to_ticket(queue, handoff, "agent")
    await load_related(handoff, "user")
    team, when = queue.teams.named(handoff.team), due_now(ticket)
    due = queue.user_time(when, team, handoff.user, handoff.language)
    key = "handoff_ticket_agent" if ticket.first_response_at else "handoff_ticket_agent_unclaimed"
    key = "handoff_ticket_handed_back" if handed_back else key
    if when is not None and when < queue.clock():  # a time gone by is no promise
        key = "handoff_ticket_handed_back_late" if handed_back else "handoff_ticket_agent_late"
    name = await agent_name(who)
    await queue.tell_user(handoff, key, agent=name, number=ticket.id, due=due)
    text = queue.desk_text("desk_ticketed", id=handoff.id, number=ticket.id)
    await queue.tell_desk(handoff, text)
    return text


def _team_named(queue: Queue, team: str) -> Team:
    """The team an agent typed, or refused: none typed (not a team "-" that is missing) is
    told the teams there are."""
    if not team:
        names = ", ".join(each.name for each in queue.teams.teams)
        raise Refused(queue.desk_text("desk_transfer_usage", teams=names))
    target = queue.teams.named(team)
    if target is None:
        raise Refused(queue.desk_text("desk_unknown_team", team=literal(team)))
    return target
