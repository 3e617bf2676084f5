"""The browser session: a random id in an HttpOnly, SameSite=Lax cookie.

The cookie value is a bearer secret, so the user id the core sees (and may store, log or show
to agents) is a hash of it, never the value itself.

The cookie lasts COOKIE_MAX_AGE from the visitor's last day with the chat, not from the
first: `keep_session_cookie` sets it anew when a request comes without the second, short
cookie (RENEWED, a day long) that says it was set lately. So a daily user keeps their chat
for good, and it is set once a day, not with every message and poll (every 1.5 s).
"""

from __future__ import annotations

import hashlib
import re
import secrets
from collections.abc import Awaitable, Callable, Mapping
from typing import Final

from aiohttp import web

from bot.adapters.web.pages import dumps

__all__ = [
    "COOKIE_NAME",
    "RENEWED",
    "chat_json",
    "keep_session_cookie",
    "new_session_id",
    "session_id",
    "user_id_for",
]

COOKIE_NAME: Final = "helpdesk_session"
COOKIE_MAX_AGE: Final = 60 * 60 * 24 * 365
RENEWED: Final = "helpdesk_session_renewed"  # present: the session cookie was set lately
RENEW_EVERY: Final = 60 * 60 * 24
# secrets.token_urlsafe(32) gives 43 characters of this alphabet.
_VALID_ID: Final = re.compile(r"[A-Za-z0-9_-]{32,64}")


def new_session_id() -> str:
    return secrets.token_urlsafe(32)


def session_id(request: web.Request) -> str | None:
    """The session id from the request's cookie, if it has a well-formed one."""
    value = request.cookies.get(COOKIE_NAME, "")
    return value if _VALID_ID.fullmatch(value) else None


def keep_session_cookie(request: web.Request, response: web.StreamResponse, sid: str) -> None:
    """Give the browser the cookie of session `sid` for COOKIE_MAX_AGE from now, unless the
    request came with it and it was set within RENEW_EVERY."""
    if session_id(request) == sid and RENEWED in request.cookies:
        return
    for name, value, max_age in ((COOKIE_NAME, sid, COOKIE_MAX_AGE), (RENEWED, "1", RENEW_EVERY)):
        response.set_cookie(
            name,
            value,
            max_age=max_age,
            path="/",
            httponly=True,
            samesite="Lax",
            secure=request.secure,
        )


def user_id_for(sid: str) -> str:
    """The stable, non-secret user id of a session."""
    return "w" + hashlib.sha256(sid.encode("ascii")).hexdigest()[:32]


async def chat_json(
    request: web.Request,
    empty: Mapping[str, object],
    answer: Callable[[str], Awaitable[Mapping[str, object]]],
) -> web.Response:
    """A page's request about its chat, answered in JSON naming the chat (`"chat"`, None
    without a session: `empty` then): `answer(chat)` for the session's chat, its cookie kept."""
    sid = session_id(request)
    if sid is None:
        return web.json_response({**empty, "chat": None})
    chat = user_id_for(sid)
    response = web.json_response({**await answer(chat), "chat": chat}, dumps=dumps)
    keep_session_cookie(request, response, sid)  # a tab left open keeps its session too
    return response
