"""What `helpdesk-bot tickets show|reply|resolve` do: an IT person at the command line sees
one ticket, answers its user and resolves it, through the core's own steps (the user hears
on their platform through the outbox, which the running bot delivers). With no agents' desk
(no teams) this is the only way anyone answers a ticket. Each returns the exit code.

A shell's words are plain text, as a Telegram agent's are: made Markdown here (`literal`),
so a Windows path's backslashes, or a `*`, reach the user and the desk as IT typed them.
What the commands print is plain text again (`plain`): a terminal shows no Markdown, and
an escaped "\\*" is to read as the "*" it stands for."""

from __future__ import annotations

import asyncio
import sys
from datetime import UTC, datetime

from tortoise.exceptions import DoesNotExist

from bot import app
from bot.commands import on_database
from bot.config import Settings
from bot.handoff.board import MARKDOWN_LINES
from bot.handoff.resolution import resolve_by_hand
from bot.handoff.sla import due_now
from bot.handoff.ticket_reply import reply_by_hand
from bot.markdown import literal
from bot.markdown_blocks import plain
from bot.report_words import Words, report_words, utc_time
from bot.storage import reports
from bot.storage.models import WITHDRAWN, TranscriptMessage

__all__ = ["format_ticket", "reply", "resolve", "show"]


def show(settings: Settings, number: int, *, language: str) -> int:
    """Print ticket `number`: its fields and its conversation since it was opened, in
    `language`'s words (a ticket not found is said in the desk's, as `reply` says it)."""

    async def read() -> reports.TicketView | None:
        try:
            return await reports.ticket_view(number)
        except DoesNotExist:
            return None

    found, queue = asyncio.run(on_database(settings, read)), app.build_operator_queue(settings)
    if found is None:
        return _outcome((False, queue.desk_text("desk_ticket_not_found", number=number)))
    name = queue.user_name(found.ticket.user)  # as the desks name them
    print(format_ticket(found, now=datetime.now(UTC), user_name=name, language=language))
    return 0


def reply(settings: Settings, number: int, text: str, who: str) -> int:
    """Send `text` as IT person `who` to the user of ticket `number`."""
    queue, text = app.build_operator_queue(settings), literal(text)  # typed, as a shell's
    return _outcome(
        asyncio.run(on_database(settings, lambda: reply_by_hand(queue, who, number, text)))
    )


def resolve(settings: Settings, number: int, note: str, who: str) -> int:
    """Resolve ticket `number` as IT person `who`, telling its user `note`."""
    queue, note = app.build_operator_queue(settings), literal(note)
    return _outcome(
        asyncio.run(on_database(settings, lambda: resolve_by_hand(queue, who, number, note)))
    )


def _outcome(result: tuple[bool, str]) -> int:
    done, text = result
    text = plain(text)  # a desk line: Markdown
    print(text if done else f"error: {text}", file=sys.stdout if done else sys.stderr)
    return 0 if done else 1


def format_ticket(view: reports.TicketView, *, now: datetime, user_name: str, language: str) -> str:
    """A ticket as `show` prints it (times in UTC), its user called `user_name`, in
    `language`'s words."""
    words, ticket, lines = report_words(language, "ticket"), view.ticket, view.lines
    due = due_now(ticket) if ticket.status != WITHDRAWN else None  # nobody owes it a thing
    late = f"  {words('overdue')}" if due is not None and due < now else ""
    user = ticket.user
    head = [
        words(
            "head",
            number=ticket.id,
            status=words.value("status", ticket.status),
            priority=words.value("priority", ticket.priority),
            team=ticket.team or "-",
            office=ticket.office or "-",
        ),
        words(
            "user",
            name=user_name,
            platform=user.platform,
            id=user.external_id,
            language=user.language or ticket.language,
        ),
        words("opened", opened=utc_time(ticket.created_at), due=utc_time(due), late=late),
    ]
    if ticket.reopens:  # the problem came back
        head.append(words.count("reopened", ticket.reopens, at=utc_time(ticket.reopened_at)))
    if view.waiting or view.undelivered:  # IT's words may not have reached the user
        head.append(words("outbox", waiting=view.waiting, undelivered=view.undelivered))
    head += [words("subject", subject=ticket.subject or "-"), ""]
    head.append(ticket.description or ticket.subject or "-")
    if lines:
        head += ["", words("since_opened")]
        head += [_line(words, m) for m in lines]
    return "\n".join(head)


def _line(words: Words, message: TranscriptMessage) -> str:
    """One line of the transcript, its own lines indented under it."""
    text = plain(message.text) if message.direction in MARKDOWN_LINES else message.text
    text = text.replace("\n", "\n    ")
    who = words.value("who", message.direction)
    return f"  {utc_time(message.created_at)} {who}: {text}"
