"""A request's card on its team's desk: what it says (the user, their office, the priority,
the question, what the KB tried, the user's other tickets (unresolved, or resolved lately),
the last lines of the transcript), posted with its Claim button, and rewritten when the
priority changes (or the user names another office).

Its status lines (claimed, closed, a ticket, …) are edits of it: `Queue.mark_card`, and
`cards.py` for how an edit finds its card.
"""

from __future__ import annotations

from bot.handoff.board import MARKDOWN_LINES, also_reported_by
from bot.handoff.cards import CARD, CARD_EDIT, STATUS_BREAK, card_status
from bot.handoff.queue import Queue, desk_address, load_related
from bot.handoff.reopening import recently_resolved
from bot.handoff.text import clip, markdown_line, one_line
from bot.handoff.tickets import unresolved_labels
from bot.markdown import literal
from bot.messages import Button
from bot.storage.models import Conversation, Handoff, TranscriptMessage

__all__ = ["also_reported", "group_title", "post_card", "refresh_card", "tell_office_changed"]

_CARD_LINES = 8
_LINE_CHARS = 200  # of each transcript line
# The card's question is clipped so a whole card stays one Telegram message (4,096 characters)
# with its transcript lines, and so a card edit rewrites all of it.
_CARD_QUESTION_CHARS = 1500
_LINKED_NAMES = 10  # the users an outage's card names as having reported it too (then a count)


async def post_card(queue: Queue, handoff: Handoff, *, note: str = "") -> None:
    """The card on the team's desk: with the Claim button, or with `note` (who has it)."""
    text = await _card_text(queue, handoff)
    if note:
        await queue.tell_desk(handoff, f"{text}{STATUS_BREAK}{note}", kind=CARD)
        return
    await queue.tell_desk(handoff, text, kind=CARD, buttons=(_claim(queue, handoff),))


async def refresh_card(queue: Queue, handoff: Handoff, *, linked: str | None = None) -> None:
    """Rewrite a handoff's card (its priority changed) keeping what is under it: its Claim
    button, or its status line ("Claimed by bob": `cards.py` reads the card above it for
    later edits) and the note it was posted with (who picked up a ticket); the web desk's
    board is read from the database, it needs none. `linked`: its `also_reported` line, when
    the caller has it already."""
    if handoff.desk == "web":
        return
    platform, chat = desk_address(handoff.desk, handoff.team)
    status = await card_status(handoff, platform, chat)
    if status is None:
        return
    text = await _card_text(queue, handoff, linked=linked)
    if status:
        await queue.tell_desk(handoff, f"{text}{STATUS_BREAK}{status}", kind=CARD_EDIT)
    else:
        await queue.tell_desk(handoff, text, kind=CARD_EDIT, buttons=(_claim(queue, handoff),))


async def tell_office_changed(queue: Queue, handoff: Handoff, was: str | None) -> None:
    """The user named another office while `handoff` is active: who goes on site depends on
    it, so the desk reads one line under the request and its card shows the new one (a
    claimed card keeps its status line under it)."""
    await refresh_card(queue, handoff)
    await load_related(handoff, "user")
    office = literal(handoff.user.office or "")
    if was:
        text = queue.desk_text(
            "desk_office_changed", id=handoff.id, office=office, was=literal(was)
        )
    else:  # none before: the card had no office to change
        text = queue.desk_text("desk_office_given", id=handoff.id, office=office)
    await queue.tell_desk(handoff, text)


def _claim(queue: Queue, handoff: Handoff) -> Button:
    return Button(queue.desk_text("desk_claim_button"), f"handoff:claim:{handoff.id}")


def group_title(queue: Queue, handoff: Handoff) -> tuple[str, str]:
    """Where the user asked, if others read it there (the agent's replies go there, where
    everyone in it reads them): "group" and its title, as Markdown, or "channel" and its
    name linked to its address (a platform that gives the address but not the name, as
    Slack's events: the desk's words for an untitled channel); ("", "") for their own chat
    with the bot. Its conversation is loaded (`load_related`)."""
    conversation = handoff.conversation
    if not isinstance(conversation, Conversation):
        return "", ""
    title = literal(conversation.chat_title)
    if not conversation.chat_link:
        return ("group", title) if title else ("", "")
    title = title or literal(queue.desk_text("desk_untitled_channel"))
    return "channel", f"[{title}](<{conversation.chat_link}>)"


async def _card_text(queue: Queue, handoff: Handoff, *, linked: str | None = None) -> str:
    await load_related(handoff, "user", "conversation")
    where, title = group_title(queue, handoff)
    recent = TranscriptMessage.filter(conversation_id=handoff.conversation_id)
    lines = await recent.order_by("-id").limit(_CARD_LINES)
    transcript = "\n".join(f"> {_who(queue, m)}: {_line(m)}" for m in reversed(lines))
    return queue.desk_text(
        "desk_card",
        id=handoff.id,
        user=literal(queue.user_name(handoff.user)),
        platform=handoff.user.platform,
        office=_office(queue, handoff.user.office),
        group=queue.desk_text(f"desk_card_{where}", title=title) if where else "",
        lang=handoff.language,
        priority=queue.priority_text(handoff.priority),
        team=handoff.team,
        question=literal(clip(handoff.question, _CARD_QUESTION_CHARS))
        or queue.desk_text("no_subject_person"),  # a bare request, nothing said since
        tried=", ".join(handoff.tried_articles) or queue.desk_text("desk_nothing_tried"),
        tickets=await _other_tickets(queue, handoff),
        linked=await also_reported(queue, handoff) if linked is None else linked,
        transcript=transcript,
    )


async def also_reported(queue: Queue, handoff: Handoff) -> str:
    """The card's line naming those whose outage reports joined this one ("Ann (#5)"), with
    how many reported it in all (`outages.py`); "" for none."""
    found = await also_reported_by([handoff.id], lambda user: literal(queue.user_name(user)))
    joined = found.get(handoff.id, ())
    if not joined:
        return ""
    users = ", ".join(joined[:_LINKED_NAMES]) + (", …" if len(joined) > _LINKED_NAMES else "")
    return "\n" + queue.desk_text("desk_card_linked", users=users, count=len(joined) + 1)


def _office(queue: Queue, office: str | None) -> str:
    """The card's office part: none for a user who chose no office, rather than "office -"
    (with no offices configured, the default, every card would carry an empty one)."""
    return queue.desk_text("desk_card_office", office=office) if office else ""


def _who(queue: Queue, message: TranscriptMessage) -> str:
    """Who wrote a transcript line, in the desk's words ("user", "bot", …), not the stored
    direction ("in", "out"): a Russian desk read "in:" on its cards."""
    return queue.desk_text(f"desk_line_{message.direction}")


def _line(message: TranscriptMessage) -> str:
    """A transcript line on one line of the card; what a user wrote, and notes, as typed (the
    bot's and the agents' lines are Markdown already)."""
    if message.direction not in MARKDOWN_LINES:
        return literal(one_line(message.text, _LINE_CHARS))
    return markdown_line(message.text, _LINE_CHARS)


async def _other_tickets(queue: Queue, handoff: Handoff) -> str:
    """The user's other unresolved tickets, and those resolved lately (marked so), as a line
    of the card ("" for none): each label ("#12 «subject»") shown as written, a "*" or "_"
    of the subject's too."""
    untitled = queue.desk_text("no_subject_person")
    found = await unresolved_labels(
        [handoff.user_id],
        untitled=untitled,
        besides=[handoff.ticket_id],
        recent=recently_resolved(queue),
    )
    labels = found.get(handoff.user_id)
    if not labels:
        return ""
    return "\n" + queue.desk_text("desk_card_tickets", tickets=", ".join(map(literal, labels)))
