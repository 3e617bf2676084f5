"""The web chat's HTTP side: the message API, the page (`pages.py` builds it and serves its
static files) and a health check.

`create_web_app` builds an `aiohttp.web.Application` and leaves it open, so the composition
root can mount other routes (Slack events, the Telegram webhook) on the same application
before `serve` starts it.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from typing import Any, Final

from aiohttp import web

from bot.adapters.web.access_log import QuietPollsAccessLogger
from bot.adapters.web.agent import AgentAuth, mount_agent_desk
from bot.adapters.web.convert import (
    BadPayload,
    parse_body,
    replies_to_json,
    to_incoming,
)
from bot.adapters.web.health import Check, Metrics, mount_health
from bot.adapters.web.limits import LIMITS, WebLimits, too_many
from bot.adapters.web.pages import (
    DEFAULT_TITLE,
    SECURITY_HEADERS,
    agent_page_html,
    chat_page,
    dumps,
    favicon,
    static,
)
from bot.adapters.web.session import keep_session_cookie, new_session_id, session_id, user_id_for
from bot.adapters.web.updates import History, earlier, mount_updates
from bot.handoff.desk_port import DeskPort
from bot.handoff.outbox_port import PageOutbox
from bot.messages import IncomingMessage, Reply
from bot.phrases import load_page_texts

__all__ = ["DEFAULT_TITLE", "Handler", "bound_port", "create_web_app", "serve"]

Handler = Callable[[IncomingMessage], Awaitable[list[Reply]]]

_HANDLER: Final[web.AppKey[Handler]] = web.AppKey("web_chat_handler")
_PAGE: Final = web.AppKey("web_chat_page", str)
_AGENT_PAGE: Final = web.AppKey("web_agent_page", str)

log = logging.getLogger(__name__)


def create_web_app(
    handler: Handler,
    *,
    title: str = DEFAULT_TITLE,
    outbox: PageOutbox | None = None,
    desk: DeskPort | None = None,
    agent_auth: AgentAuth | None = None,
    desk_language: str = "en",
    health: Check | None = None,
    metrics: Metrics | None = None,
    limits: WebLimits | None = None,
    history: History | None = None,
) -> web.Application:
    """Build the web chat application around `handler` (one message in, replies out).

    With `outbox`, the page polls /api/updates for messages from agents (`updates.py`); with
    `desk`, the agents' page is at /agent, in `desk_language` (the language of the desk's messages);
    /healthz answers 503 while `health` fails, and /metrics shows `metrics` (`health.py`);
    `limits` bounds how often a caller may post (`limits.py`); a page that opens with an
    empty log shows the chat's recent lines from `history` (`updates.py`).
    """
    app = web.Application()
    app[_HANDLER], app[LIMITS] = handler, limits or WebLimits()
    texts = load_page_texts()
    app[_PAGE] = chat_page(title, texts)
    app.router.add_get("/", _index)
    mount_updates(app, outbox, history)
    if desk is not None:
        app[_AGENT_PAGE] = agent_page_html(title, desk_language, texts)
        app.router.add_get("/agent", _agent_page)
        mount_agent_desk(app, desk, agent_auth or AgentAuth())
    app.router.add_get("/static/{name}", static)
    app.router.add_get("/favicon.ico", favicon)  # asked for by browsers whatever the page says
    app.router.add_post("/api/messages", _messages)
    mount_health(app, health, metrics)
    return app


async def serve(app: web.Application, host: str, port: int) -> web.AppRunner:
    """Start `app` on host:port (0 picks a free port, see `bound_port`); stop with cleanup()."""
    runner = web.AppRunner(app, access_log_class=QuietPollsAccessLogger)
    await runner.setup()
    site = web.TCPSite(runner, host, port)
    await site.start()
    return runner


def bound_port(runner: web.AppRunner) -> int:
    """The port a started runner listens on (the real one when `serve` was given port 0)."""
    addresses = runner.addresses
    if not addresses:
        raise RuntimeError("the runner is not listening; call serve() first")
    return int(addresses[0][1])


async def _index(request: web.Request) -> web.Response:
    page = request.app[_PAGE]
    response = web.Response(text=page, content_type="text/html", headers=SECURITY_HEADERS)
    keep_session_cookie(request, response, session_id(request) or new_session_id())
    return response


async def _agent_page(request: web.Request) -> web.Response:
    page = request.app[_AGENT_PAGE]
    return web.Response(text=page, content_type="text/html", headers=SECURITY_HEADERS)


async def _messages(request: web.Request) -> web.Response:
    existing = session_id(request)
    if existing is not None and (wait := request.app[LIMITS].messages.take(existing)):
        return too_many(wait)
    sid = existing or new_session_id()
    status, payload = await _answer(request, sid)
    response = web.json_response(payload, status=status, dumps=dumps)
    keep_session_cookie(request, response, sid)
    return response


async def _answer(request: web.Request, sid: str) -> tuple[int, dict[str, Any]]:
    try:
        body = await request.read()
        message = to_incoming(
            parse_body(body),
            user_id=user_id_for(sid),
            accept_language=request.headers.get("Accept-Language"),
        )
    except web.HTTPRequestEntityTooLarge:
        return 413, {"error": "the request body is too large"}
    except BadPayload as exc:
        return exc.status, {"error": exc.message}
    at = datetime.now(UTC)
    replies = await _call_handler(request.app[_HANDLER], message)
    if replies is None:
        return 500, {"error": "the bot failed to answer; please try again"}
    answer = replies_to_json(replies, at=at) | {"chat": message.user.user_id}
    # What the chat was sent before them, if anything, goes first (`updates.earlier`).
    if replies and (before := await _earlier(request, message.chat_id)):
        answer["earlier"] = before
    return 200, answer


async def _earlier(request: web.Request, chat: str) -> list[dict[str, Any]]:
    # The turn is done: failing its answer now would lose its replies. Nothing was handed
    # out either (the claim's transaction rolled back): the page's next poll brings them.
    try:
        return await earlier(request, chat)
    except Exception:
        log.exception("web chat: the messages before the answer not read (chat=%s)", chat)
        return []


async def _call_handler(handler: Handler, message: IncomingMessage) -> list[Reply] | None:
    # The one place the web loop catches: log with context, answer politely, keep serving.
    try:
        return await handler(message)
    except Exception:
        log.exception("web chat handler failed (user=%s)", message.user.user_id)
        return None
