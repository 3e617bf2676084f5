"""The browser session: a random id in an HttpOnly, SameSite=Lax cookie.

The cookie value is a bearer secret, so the user id the core sees (and may store, log or show
to agents) is a hash of it, never the value itself.
"""

from __future__ import annotations

import hashlib
import re
import secrets
from typing import Final

from aiohttp import web

__all__ = ["COOKIE_NAME", "new_session_id", "session_id", "set_session_cookie", "user_id_for"]

COOKIE_NAME: Final = "helpdesk_session"
COOKIE_MAX_AGE: Final = 60 * 60 * 24 * 365
# secrets.token_urlsafe(32) gives 43 characters of this alphabet.
_VALID_ID: Final = re.compile(r"[A-Za-z0-9_-]{32,64}")


def new_session_id() -> str:
    return secrets.token_urlsafe(32)


def session_id(request: web.Request) -> str | None:
    """The session id from the request's cookie, if it has a well-formed one."""
    value = request.cookies.get(COOKIE_NAME, "")
    return value if _VALID_ID.fullmatch(value) else None


def set_session_cookie(request: web.Request, response: web.StreamResponse, sid: str) -> None:
    response.set_cookie(
        COOKIE_NAME,
        sid,
        max_age=COOKIE_MAX_AGE,
        path="/",
        httponly=True,
        samesite="Lax",
        secure=request.secure,
    )


def user_id_for(sid: str) -> str:
    """The stable, non-secret user id of a session."""
    return "w" + hashlib.sha256(sid.encode("ascii")).hexdigest()[:32]
