"""Messages from agents (and the queue's notices) to a web chat: the page asks for them at
/api/updates, and says in its next request which ones it has shown.

A poll's messages are leased to it for RECEIPT only, and recorded delivered when a later
poll of the chat names them in its `ack`: a poll cut off after the server took them (a tab
closed, a network blip, a proxy's time-out) loses nothing, its messages come again with a
poll after the lease. A message may so reach a page twice; the page shows each id once.
One that no page fetches and acknowledges within UNFETCHED (the visitor closed the tab and
never came back) is given up by housekeeping.

Every answer names the chat the browser's session cookie is of (`"chat"`, its user id; None
without one), as /api/messages does: a page showing another chat, whose session is gone
(the cookie cleared or expired), starts afresh instead of going on in a chat that ended.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Final

from aiohttp import web

from bot.adapters.web.convert import PLATFORM, parse_receipts, updates_to_json
from bot.adapters.web.pages import dumps
from bot.adapters.web.session import keep_session_cookie, session_id, user_id_for
from bot.handoff.outbox_port import PageOutbox

__all__ = ["RECEIPT", "UNFETCHED", "mount_updates"]

# Longer than the page takes to say it has shown a poll's messages (it polls every 1.5 s).
RECEIPT: Final = timedelta(seconds=10)
# How long a message waits for a page to fetch it: a visitor back after a weekend or a week
# away still gets an agent's late reply; after that it is given up (`handoff/unfetched.py`).
# Not the session cookie's year: the page keeps its log in the tab (a later visit starts
# empty), and the outbox's oldest-unfetched gauge would count a visitor's absence for a year.
UNFETCHED: Final = timedelta(days=7)
_BATCH: Final = 50


_OUTBOX: Final = web.AppKey("web_chat_outbox", PageOutbox)


def mount_updates(app: web.Application, outbox: PageOutbox | None) -> None:
    """/api/updates; without an outbox (no teams, no agents) it only names the chat."""
    if outbox is not None:
        app[_OUTBOX] = outbox
    app.router.add_get("/api/updates", _updates)


async def _updates(request: web.Request) -> web.Response:
    """What the page has shown is delivered; what is due for it now, it gets (with ids)."""
    sid = session_id(request)
    if sid is None:
        return web.json_response({"replies": [], "chat": None})
    response = web.json_response(await _due(request, user_id_for(sid)), dumps=dumps)
    keep_session_cookie(request, response, sid)  # a tab left open keeps its session too
    return response


async def _due(request: web.Request, chat: str) -> dict[str, object]:
    """The page's answer: `chat`'s messages due now, its receipts recorded first."""
    outbox = request.app.get(_OUTBOX)
    if outbox is None:
        return {"replies": [], "chat": chat}
    await outbox.received(PLATFORM, chat, parse_receipts(request.query.get("ack", "")))
    items = await outbox.claim(PLATFORM, chat_id=chat, limit=_BATCH, lease=RECEIPT)
    return updates_to_json(items) | {"chat": chat}
