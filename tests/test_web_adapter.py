"""The web chat over HTTP: aiohttp's test server on an ephemeral port, a fake handler."""

from __future__ import annotations

import io
import json
import logging
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import Any

import aiohttp
import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient, TestServer

from bot.adapters.web import bound_port, create_web_app, serve
from bot.adapters.web.convert import MAX_TEXT_BYTES
from bot.adapters.web.session import COOKIE_MAX_AGE, COOKIE_NAME, RENEWED, user_id_for
from bot.messages import Button, IncomingMessage, Reply

Client = TestClient[web.Request, web.Application]


@dataclass
class EchoBot:
    """Answers text with Markdown and a button, a button press with its key; records input."""

    received: list[IncomingMessage] = field(default_factory=list)
    fail: bool = False

    async def __call__(self, message: IncomingMessage) -> list[Reply]:
        self.received.append(message)
        if self.fail:
            raise RuntimeError("the core broke")
        if message.button is not None:
            return [Reply(text=f"Pressed `{message.button}`")]
        return [
            Reply(text=f"You said: {message.text}"),
            Reply(text="**Try** this", buttons=(Button("Helped", "kb:1:yes"),)),
        ]


def text_message(text: str, msg_id: str = "m1") -> dict[str, Any]:
    return {"id": msg_id, "text": text}


@pytest.fixture
def bot() -> EchoBot:
    return EchoBot()


@pytest.fixture
async def client(bot: EchoBot) -> AsyncIterator[Client]:
    async with TestClient(TestServer(create_web_app(bot))) as test_client:
        yield test_client


async def post(client: Client, payload: Any, **kwargs: Any) -> tuple[int, dict[str, Any]]:
    async with client.post("/api/messages", json=payload, **kwargs) as response:
        assert response.content_type == "application/json"
        return response.status, await response.json()


async def test_page_is_served_and_sets_the_session_cookie(client: Client) -> None:
    async with client.get("/") as response:
        page = await response.text()
        cookie = response.cookies[COOKIE_NAME]

    assert response.status == 200
    assert response.content_type == "text/html"
    assert 'data-testid="chat-input"' in page
    assert 'src="/static/chat.js"' in page
    assert "<title>IT helpdesk</title>" in page
    assert len(cookie.value) >= 32
    assert cookie["httponly"] is True
    assert cookie["samesite"] == "Lax"
    assert cookie["path"] == "/"
    assert "script-src 'self'" in response.headers["Content-Security-Policy"]


async def test_second_visit_keeps_the_session(client: Client) -> None:
    async with client.get("/") as first:
        assert COOKIE_NAME in first.cookies
    async with client.get("/") as second:
        assert COOKIE_NAME not in second.cookies


async def cookie_set_by(client: Client, method: str, path: str) -> str | None:
    """The session cookie a request to `path` set (its value), if it set one."""
    payload = text_message("hi", msg_id=path) if method == "POST" else None
    async with client.request(method, path, json=payload) as response:
        assert response.status == 200
        cookie = response.cookies.get(COOKIE_NAME)
    if cookie is None:
        return None
    assert cookie["max-age"] == str(COOKIE_MAX_AGE)
    return cookie.value


@pytest.mark.parametrize(
    ("method", "path"), [("GET", "/"), ("POST", "/api/messages"), ("GET", "/api/updates")]
)
async def test_a_visitor_back_a_day_later_keeps_the_session_a_year_longer(
    client: Client, method: str, path: str
) -> None:
    """The cookie ended a year after the first visit, however often the visitor came. Now a
    request a day after it was set (the short RENEWED cookie gone) sets it again, the same
    session for a year from then; one within the day sets nothing (no write per poll)."""
    session = await cookie_set_by(client, "GET", "/")
    assert session is not None
    assert await cookie_set_by(client, method, path) is None
    client.session.cookie_jar.clear(lambda cookie: cookie.key == RENEWED)  # a day on
    assert await cookie_set_by(client, method, path) == session
    assert await cookie_set_by(client, method, path) is None


async def test_title_is_escaped_into_the_page(bot: EchoBot) -> None:
    app = create_web_app(bot, title="<b>Acme</b> IT")
    async with TestClient(TestServer(app)) as client, client.get("/") as response:
        page = await response.text()

    assert "<b>Acme" not in page
    assert "<title>&lt;b&gt;Acme&lt;/b&gt; IT</title>" in page


@pytest.mark.parametrize(
    ("name", "content_type"),
    [
        ("chat.js", "text/javascript"),
        ("chat-log.js", "text/javascript"),
        ("chat-post.js", "text/javascript"),
        ("chat-store.js", "text/javascript"),
        ("chat-updates.js", "text/javascript"),
        ("chat-time.js", "text/javascript"),
        ("agent.js", "text/javascript"),
        ("agent-board.js", "text/javascript"),
        ("chat.css", "text/css"),
        ("favicon.svg", "image/svg+xml"),
    ],
)
async def test_static_files_are_served(client: Client, name: str, content_type: str) -> None:
    async with client.get(f"/static/{name}") as response:
        assert response.status == 200
        assert response.content_type == content_type
        assert len(await response.text()) > 100


async def test_the_pages_have_an_icon(client: Client) -> None:
    """Browsers asked for /favicon.ico on every visit and got 404 (a log line each time)."""
    async with client.get("/") as page:
        assert '<link rel="icon" href="/static/favicon.svg"' in await page.text()
    async with client.get("/favicon.ico", allow_redirects=False) as icon:
        assert (icon.status, icon.headers["Location"]) == (301, "/static/favicon.svg")


@pytest.mark.parametrize(
    "path", ["/static/nope.js", "/static/__init__.py", "/static/%2e%2e%2fserver.py"]
)
async def test_only_the_page_files_are_static(client: Client, path: str) -> None:
    async with client.get(path) as response:
        assert response.status == 404


async def test_healthz(client: Client) -> None:
    async with client.get("/healthz") as response:
        assert response.status == 200
        assert await response.json() == {"status": "ok"}


async def test_message_round_trip(client: Client, bot: EchoBot) -> None:
    async with client.get("/") as response:
        session = response.cookies[COOKIE_NAME].value

    status, body = await post(client, text_message("VPN"), headers={"Accept-Language": "ru-RU,ru"})

    assert status == 200
    at = body.pop("at")  # the server's time of the message, and so of its replies
    assert [reply.pop("at") for reply in body["replies"]] == [at, at]
    assert body == {
        "replies": [
            {"html": "<p>You said: VPN</p>\n", "buttons": []},
            {
                "html": "<p><strong>Try</strong> this</p>\n",
                "buttons": [{"label": "Helped", "key": "kb:1:yes"}],
            },
        ],
        "chat": user_id_for(session),  # the page notices when its chat is not this one
    }
    [message] = bot.received
    assert message.user.platform == "web"
    assert message.user.workspace == "local"
    assert message.user.user_id == user_id_for(session)
    assert session not in message.user.user_id
    assert message.chat_id == message.user.user_id
    assert message.event_id == f"{message.user.user_id}:m1"
    assert message.locale == "ru"


async def test_button_round_trip(client: Client, bot: EchoBot) -> None:
    await post(client, text_message("VPN"))
    status, body = await post(client, {"id": "m2", "button": "kb:1:yes", "text": "Helped"})

    assert status == 200
    assert [reply.pop("at") for reply in body["replies"]] == [body["at"]]
    assert body["replies"] == [{"html": "<p>Pressed <code>kb:1:yes</code></p>\n", "buttons": []}]
    first, second = bot.received
    assert (second.button, second.text) == ("kb:1:yes", "Helped")
    assert second.user == first.user


async def test_api_starts_a_session_without_a_page_visit(client: Client, bot: EchoBot) -> None:
    async with client.post("/api/messages", json=text_message("hi")) as response:
        cookie = response.cookies[COOKIE_NAME]

    assert cookie["httponly"] is True
    assert bot.received[0].user.user_id == user_id_for(cookie.value)


async def test_each_browser_is_its_own_user(client: Client, bot: EchoBot) -> None:
    await post(client, text_message("one"))
    async with TestClient(TestServer(create_web_app(bot))) as other:
        other.session.cookie_jar.update_cookies(
            {COOKIE_NAME: "forged-but-well-formed-value-0123456789abcdef"}
        )
        await post(other, text_message("two"))

    first, second = bot.received
    assert first.user.user_id != second.user.user_id


async def test_script_in_user_text_is_escaped(client: Client) -> None:
    _, body = await post(client, text_message("<script>alert(1)</script>"))

    html = body["replies"][0]["html"]
    assert "<script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


async def test_script_in_a_reply_is_escaped() -> None:
    async def evil(message: IncomingMessage) -> list[Reply]:
        return [
            Reply(text="<script>alert(1)</script> [x](javascript:alert(1)) <img src=x onerror=y>")
        ]

    async with TestClient(TestServer(create_web_app(evil))) as client:
        _, body = await post(client, text_message("hi"))

    html = body["replies"][0]["html"]
    assert "<script" not in html
    assert "<img" not in html
    assert "href" not in html


async def test_text_up_to_100_kb_is_accepted(client: Client) -> None:
    status, _ = await post(client, text_message("a" * MAX_TEXT_BYTES))
    assert status == 200


async def test_text_over_100_kb_is_refused(client: Client, bot: EchoBot) -> None:
    status, body = await post(client, text_message("a" * (MAX_TEXT_BYTES + 1)))

    assert status == 413
    assert "longer than" in body["error"]
    assert bot.received == []


async def test_huge_body_is_refused_as_json(client: Client) -> None:
    body = io.BytesIO(json.dumps(text_message("a" * (2 * 1024 * 1024))).encode())
    headers = {"Content-Type": "application/json"}
    async with client.post("/api/messages", data=body, headers=headers) as response:
        assert response.status == 413
        assert await response.json() == {"error": "the request body is too large"}


@pytest.mark.parametrize(
    ("payload", "words"),
    [
        ({"text": "hi"}, '"id" is missing'),
        ({"id": "m1"}, '"text" (or "button") is missing'),
        ([1, 2], "JSON object"),
    ],
)
async def test_bad_requests_get_a_clear_400(client: Client, payload: Any, words: str) -> None:
    status, body = await post(client, payload)

    assert status == 400
    assert words in body["error"]


async def test_non_json_body_gets_400(client: Client) -> None:
    async with client.post("/api/messages", data=b"text=hi") as response:
        assert response.status == 400
        assert "JSON object" in (await response.json())["error"]


async def test_handler_failure_is_logged_and_answered_politely(
    client: Client, bot: EchoBot, caplog: pytest.LogCaptureFixture
) -> None:
    bot.fail = True
    with caplog.at_level(logging.ERROR, logger="bot.adapters.web.server"):
        status, body = await post(client, text_message("hi"))

    assert status == 500
    assert "try again" in body["error"]
    assert "web chat handler failed" in caplog.text
    bot.fail = False
    status, _ = await post(client, text_message("again", "m2"))
    assert status == 200


async def test_serve_on_port_zero_reports_the_bound_port(bot: EchoBot) -> None:
    runner = await serve(create_web_app(bot), "127.0.0.1", 0)
    try:
        port = bound_port(runner)
        assert port > 0
        async with (
            aiohttp.ClientSession() as session,
            session.get(f"http://127.0.0.1:{port}/healthz") as response,
        ):
            assert await response.json() == {"status": "ok"}
    finally:
        await runner.cleanup()


async def test_the_access_log_leaves_out_the_polls_that_went_well(
    bot: EchoBot, caplog: pytest.LogCaptureFixture
) -> None:
    """Each open tab polls about once a second: the access log was nearly all polls, and the
    lines that mattered (a page loaded, a message posted, a poll that failed) drowned."""
    caplog.set_level(logging.INFO, logger="aiohttp.access")
    runner = await serve(create_web_app(bot), "127.0.0.1", 0)
    base = f"http://127.0.0.1:{bound_port(runner)}"
    try:
        async with aiohttp.ClientSession() as session:
            for path in ("/", "/healthz", "/healthz", "/api/agent/board", "/static/chat.css"):
                async with session.get(base + path) as response:
                    await response.read()
    finally:
        await runner.cleanup()
    logged = [r.getMessage() for r in caplog.records if r.name == "aiohttp.access"]
    assert any('"GET / HTTP' in line for line in logged), logged
    assert not any("/healthz" in line for line in logged), logged
    assert any('"GET /api/agent/board HTTP/1.1" 404' in line for line in logged), logged


async def test_other_adapters_can_mount_routes_on_the_app(bot: EchoBot) -> None:
    app = create_web_app(bot)

    async def slack_events(request: web.Request) -> web.Response:
        return web.json_response({"ok": True})

    app.router.add_post("/slack/events", slack_events)
    async with TestClient(TestServer(app)) as client:
        async with client.post("/slack/events") as response:
            assert await response.json() == {"ok": True}
        async with client.get("/healthz") as response:
            assert response.status == 200
