"""Messages from agents (and the queue's notices) to a web chat: the page asks for them at
/api/updates, and says in its next request which ones it has shown.

A poll's messages are leased to it for RECEIPT only, and recorded delivered when a later
poll of the chat names them in its `ack`: a poll cut off after the server took them (a tab
closed, a network blip, a proxy's time-out) loses nothing, its messages come again with a
poll after the lease. A message may so reach a page twice; the page shows each id once.
One that no page fetches and acknowledges within UNFETCHED (the visitor closed the tab and
never came back) is given up by housekeeping.

A poll also names the id up to which the page has the chat's messages (`after`, as the
answer before said; none: the page starts from now, `PageOutbox.missed`), and gets those
after it that it was not handed, whatever their delivery: one another tab of the chat
fetched and showed (that tab passes on what it fetches, but a tab asleep then may not hear
it) and one given up while the tab slept for over a week. So a tab shows every message of
its chat once, and polls that find nothing read a few rows of its chat only.

A page that opens with no log of its own asks /api/history once, before it polls: the page
keeps its log in the tab (sessionStorage), so a second tab, or the browser started again,
began with an empty log while the conversation went on. It gets HISTORY lines at most:
enough for a question, its answers and a talk with an agent, which is what a person coming
back reads on; the whole conversation (months of it, every line sent again with each page
opened) is the desk's and the ticket's to show. The page's own log keeps up to 200
(chat-log.js), so a reload still shows more than a new tab.

Every answer names the chat the browser's session cookie is of (`"chat"`, its user id; None
without one), as /api/messages does: a page showing another chat, whose session is gone
(the cookie cleared or expired), starts afresh instead of going on in a chat that ended.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import timedelta
from functools import partial
from typing import Any, Final, Protocol

from aiohttp import web

from bot.adapters.web.convert import (
    PLATFORM,
    WORKSPACE,
    history_to_json,
    items_to_json,
    parse_id,
    parse_receipts,
    updates_to_json,
)
from bot.adapters.web.session import chat_json
from bot.handoff.outbox_port import PageOutbox
from bot.messages import ChatLine, UserRef

__all__ = ["HISTORY", "RECEIPT", "UNFETCHED", "History", "earlier", "mount_updates"]

# Longer than the page takes to say it has shown a poll's messages (it polls every 1.5 s).
RECEIPT: Final = timedelta(seconds=10)
# How long a message waits for a page to fetch it: a visitor back after a weekend or a week
# away gets an agent's late reply with the page's poll; after that it is given up
# (`handoff/unfetched.py`), the outbox's record that no page took it in time, so that the
# oldest-unfetched gauge stops counting the absence and housekeeping removes it with the
# rest. The visitor loses nothing by it: a page opened later shows it among the chat's
# recent lines (`storage/history.py`). Not the session cookie's year: the gauge would count
# an absence for a year, and a visitor who never comes back would keep their messages.
UNFETCHED: Final = timedelta(days=7)
_BATCH: Final = 50
HISTORY: Final = 50


class History(Protocol):
    async def __call__(self, user: UserRef, chat_id: str, *, limit: int) -> Sequence[ChatLine]:
        """`user`'s last `limit` lines in the chat `chat_id`, oldest first."""
        ...


_OUTBOX: Final = web.AppKey("web_chat_outbox", PageOutbox)
_HISTORY: Final = web.AppKey("web_chat_history", History)


def mount_updates(
    app: web.Application, outbox: PageOutbox | None, history: History | None = None
) -> None:
    """/api/updates and /api/history; without an outbox (no teams, no agents) or `history`
    they only name the chat."""
    if outbox is not None:
        app[_OUTBOX] = outbox
    if history is not None:
        app[_HISTORY] = history
    app.router.add_get("/api/updates", _updates)
    app.router.add_get("/api/history", _history)


async def _updates(request: web.Request) -> web.Response:
    """What the page has shown is delivered; what is due for it now, it gets (with ids), and
    what it missed after the id it names (`after`), and up to where it has them all."""
    return await chat_json(request, {"replies": []}, partial(_due, request))


async def _due(request: web.Request, chat: str) -> dict[str, object]:
    """`chat`'s messages due now, its receipts recorded first."""
    outbox = request.app.get(_OUTBOX)
    if outbox is None:
        return {"replies": []}
    await outbox.received(PLATFORM, chat, parse_receipts(request.query.get("ack", "")))
    items = await outbox.claim(PLATFORM, chat_id=chat, limit=_BATCH, lease=RECEIPT)
    after = parse_id(request.query.get("after", ""))
    missed = await outbox.missed(PLATFORM, chat, after=after, handed=[i.id for i in items])
    return updates_to_json(sorted(items + missed.items, key=lambda i: i.id), upto=missed.upto)


async def earlier(request: web.Request, chat: str) -> list[dict[str, Any]]:
    """`chat`'s messages due now, for the answer to a message of its user, ahead of the bot's
    replies: they were written first (an agent's claim a moment before the user's /cancel),
    and the page, polling, would show them after the replies. Handed out as a poll hands them
    (their receipts come with the page's next poll)."""
    outbox = request.app.get(_OUTBOX)
    if outbox is None:
        return []
    return items_to_json(await outbox.claim(PLATFORM, chat_id=chat, limit=_BATCH, lease=RECEIPT))


async def _history(request: web.Request) -> web.Response:
    """The chat's recent lines, for a page that opens with none of its own."""
    return await chat_json(request, {"lines": []}, partial(_lines, request))


async def _lines(request: web.Request, chat: str) -> dict[str, object]:
    history = request.app.get(_HISTORY)
    user = UserRef(platform=PLATFORM, workspace=WORKSPACE, user_id=chat)
    return history_to_json([] if history is None else await history(user, chat, limit=HISTORY))
