"""The web agents' desk: the /agent page and its JSON API over the core's `DeskPort`.

Who is an agent: a configured "web:<name>" of some team. The page logs in with the name and,
when `password` is set (HELPDESK_AGENT_PASSWORD), that secret; without a password only a
browser on this machine (a loopback address) may log in, and only when `trust_localhost`. A
reverse proxy on this machine passes everyone's requests on from a loopback address too, so a
request that shows a proxy (its forwarding headers, or a Host that is not this machine) is
not taken for a browser here.
The session cookie is the name signed with HMAC; every action is still checked by the core
against the handoff's team.
"""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
import secrets
from dataclasses import asdict, dataclass, field
from typing import Any, Final

from aiohttp import web

from bot.adapters.web.convert import (
    PLATFORM,
    WORKSPACE,
    BadPayload,
    parse_body,
    render_markdown,
)
from bot.adapters.web.limits import LIMITS, too_many
from bot.handoff.board import MARKDOWN_LINES, Card
from bot.handoff.desk_port import DeskAction, DeskPort
from bot.markdown import as_lines
from bot.markdown_blocks import plain
from bot.messages import UserRef

__all__ = ["AgentAuth", "mount_agent_desk"]

COOKIE: Final = "helpdesk_agent"
_DESK: Final = web.AppKey("agent_desk", DeskPort)
_AUTH: Final[web.AppKey[AgentAuth]] = web.AppKey("agent_auth")
_MAX_TEXT: Final = 8000
_TO_USER: Final = frozenset({"reply", "resolve"})  # the actions whose text the user reads
# What reverse proxies add to a request they pass on (nginx sets them when told to; Apache,
# Caddy and Traefik by default).
_PROXY_HEADERS: Final = ("Forwarded", "X-Forwarded-For", "X-Forwarded-Host", "X-Real-IP")


@dataclass(frozen=True)
class AgentAuth:
    """How web agents prove who they are; `key` signs the session cookie."""

    password: str | None = field(default=None, repr=False)
    trust_localhost: bool = True
    key: bytes = field(default_factory=lambda: secrets.token_bytes(32), repr=False)

    def may_log_in(self, password: str, *, here: bool) -> bool:
        """`here`: the request comes from a browser on this machine (`_from_this_machine`)."""
        if self.password:
            return hmac.compare_digest(password.encode(), self.password.encode())
        return self.trust_localhost and here

    def sign(self, name: str) -> str:
        mac = hmac.new(self.key, name.encode(), hashlib.sha256).hexdigest()
        return f"{name}.{mac}"

    def verify(self, cookie: str) -> str | None:
        name, _, _mac = cookie.rpartition(".")
        return name if name and hmac.compare_digest(self.sign(name), cookie) else None


def _from_this_machine(request: web.Request) -> bool:
    if any(name in request.headers for name in _PROXY_HEADERS):
        return False
    host = request.url.host or ""
    return _loopback(request.remote) and (host == "localhost" or _loopback(host))


def _loopback(address: str | None) -> bool:
    try:
        return address is not None and ipaddress.ip_address(address).is_loopback
    except ValueError:
        return False


def mount_agent_desk(app: web.Application, desk: DeskPort, auth: AgentAuth) -> None:
    """Add /agent and /api/agent/* to the web chat application."""
    app[_DESK], app[_AUTH] = desk, auth
    app.router.add_get("/api/agent/session", _session)
    app.router.add_post("/api/agent/login", _login)
    app.router.add_get("/api/agent/board", _board)
    app.router.add_post("/api/agent/act", _act)


def _agent(request: web.Request) -> UserRef | None:
    name = request.app[_AUTH].verify(request.cookies.get(COOKIE, ""))
    return UserRef(PLATFORM, WORKSPACE, name) if name else None


async def _session(request: web.Request) -> web.Response:
    """Whom this browser is logged in as (null: nobody). The page asks before it reads the
    board, so a visit before logging in sends no request the server refuses (each is an
    error in the browser's console)."""
    agent = _agent(request)
    return web.json_response({"agent": agent.user_id if agent else None})


async def _login(request: web.Request) -> web.Response:
    try:
        payload = parse_body(await request.read())
    except BadPayload as exc:
        return web.json_response({"error": exc.message}, status=exc.status)
    name, password = str(payload.get("name", "")).strip(), str(payload.get("password", ""))
    agent = UserRef(PLATFORM, WORKSPACE, name)
    auth, desk, failures = request.app[_AUTH], request.app[_DESK], request.app[LIMITS].logins
    if wait := failures.wait(request.remote or ""):  # guessing passwords takes its time
        return too_many(wait)
    if (
        not name
        or not auth.may_log_in(password, here=_from_this_machine(request))
        or not desk.is_agent(agent)
    ):
        failures.add(request.remote or "")
        return web.json_response({"error": "not a web agent of any team"}, status=403)
    response = web.json_response({"agent": name})
    response.set_cookie(
        COOKIE, auth.sign(name), path="/", httponly=True, samesite="Strict", secure=request.secure
    )
    return response


async def _board(request: web.Request) -> web.Response:
    agent = _agent(request)
    if agent is None:
        return web.json_response({"error": "log in first"}, status=401)
    desk = request.app[_DESK]
    board, tickets = await desk.board(agent), await desk.tickets(agent)
    return web.json_response(
        {
            "agent": agent.user_id,
            "cards": [_card_json(c) for c in board.cards],
            "tickets": [asdict(t) for t in tickets],
            "notices": [asdict(n) | {"text": plain(n.text)} for n in board.notices],
        }
    )


async def _act(request: web.Request) -> web.Response:
    agent = _agent(request)
    if agent is None:
        return web.json_response({"error": "log in first"}, status=401)
    try:
        action = _action(parse_body(await request.read()))
    except BadPayload as exc:
        return web.json_response({"error": exc.message}, status=exc.status)
    result = await request.app[_DESK].act(agent, action)
    # The desk's answer is Markdown (a chat desk's line): the page shows it rendered (html),
    # `text` is the same as plain text.
    html = render_markdown(result.text)
    return web.json_response({"ok": result.ok, "text": plain(result.text), "html": html})


def _card_json(card: Card) -> dict[str, Any]:
    """A card for the page; its lines in Markdown come with their sanitised HTML."""
    data = asdict(card)
    for line in data["lines"]:
        if line["direction"] in MARKDOWN_LINES:
            line["html"] = render_markdown(line["text"])
    return data


def _number(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _action(payload: Any) -> DeskAction:
    kind, handoff_id = payload.get("kind"), payload.get("handoff_id")
    text, team = payload.get("text", ""), payload.get("team", "")
    ticket_id = payload.get("ticket_id", 0)  # for "take" and "resolve": the ticket
    if not isinstance(kind, str) or not _number(handoff_id) or not _number(ticket_id):
        raise BadPayload('"kind" must be a string, "handoff_id" and "ticket_id" numbers')
    if not isinstance(text, str) or not isinstance(team, str):
        raise BadPayload('"text" and "team" must be strings')
    if len(text) > _MAX_TEXT:  # the page says "too long" for a 413
        raise BadPayload(f'"text" is longer than {_MAX_TEXT} characters', status=413)
    if kind in _TO_USER:  # the agent's Markdown, as chat lines: "# 1" is not a heading
        text = as_lines(text)
    return DeskAction(kind, handoff_id, text=text, team=team, ticket_id=ticket_id)
