"""A fake Slack: the Web API (on an ephemeral port) and signed requests into our server.

`FakeSlackApi` records every call and answers what Slack answers (`auth.test` with `user_id`
and `bot_id`, `chat.postMessage` with `ts`, `channel` and `message`, `chat.postEphemeral`
(to its `user`, in a thread with `thread_ts`) with `message_ts`, …), including its checks
(the token, Block Kit limits); a test can script the next answers of a method (a 429 with
Retry-After, `{"ok": false, "error": "channel_not_found"}`, a str for a plain-text body as
in an outage, or `AS_USUAL` to let one call through first) or of "response_url", or
`hold` a method's answers back (a slow Slack). Tests wait on recorded calls (`wait_for`),
never on time. Files: `add_file` makes one a user shared (its
`url_private_download` answers only with the bot token, else a redirect to the login page,
as Slack does without files:read); files.getUploadURLExternal, the upload URL and
files.completeUploadExternal (what `files_upload_v2` calls) keep what the bot uploaded in
`uploads`. `SlackSender` plays Slack's side of the Events API,
interactivity and slash commands: correctly (or wrongly) signed requests.
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import itertools
import json
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

import aiohttp
from aiohttp import web

TEAM = "T0TEAM"
BOT_USER = "U0BOT"
BOT_ID = "B0BOT"
TOKEN = "xoxb-test-token"
APP_TOKEN = "xapp-test-token"
SECRET = "test-signing-secret"
WAIT_SECONDS = 10  # a bound for a test that would otherwise hang; never a pause
AS_USUAL = None  # in `script`: this call is answered as it would be without a script


@dataclass
class Call:
    """One request the bot made: the method (or "response_url"), its arguments."""

    method: str
    args: dict[str, Any]
    response: Any = None

    @property
    def text(self) -> str:
        """Everything the message would show: the fallback text and every block's text."""
        return json.dumps([self.args.get("text"), self.args.get("blocks")], ensure_ascii=False)

    def buttons(self) -> list[dict[str, Any]]:
        blocks = self.args.get("blocks") or []
        return [e for b in blocks if b.get("type") == "actions" for e in b["elements"]]


@dataclass
class _Script:
    status: int
    body: Any
    headers: dict[str, str] = field(default_factory=dict)


class FakeSlackApi:
    """The Slack Web API and response_url endpoints, recording every call."""

    def __init__(self) -> None:
        self.calls: list[Call] = []
        self.scripts: dict[str, list[_Script | None]] = {}
        self.gone: set[str] = set()  # channels that answer channel_not_found
        self.files: dict[str, bytes] = {}  # files users shared, by id
        self.uploads: list[dict[str, Any]] = []  # name, data, channel, thread_ts
        self._pending: dict[str, tuple[str, bytes]] = {}  # upload id: (name, bytes)
        self.timezones: dict[str, str] = {}  # users' profile time zones (users.info tz)
        self.locales: dict[str, str] = {}  # their Slack languages (users.info locale)
        self.names: dict[str, str] = {}  # their full names (users.info real_name, profile)
        self.held: dict[str, asyncio.Event] = {}  # methods answered once their event is set
        self._held_in: dict[str, str | None] = {}  # the channel whose calls wait (None: all)
        self._changed = asyncio.Condition()
        self._ts = itertools.count(1)
        self._runner: web.AppRunner | None = None
        self._sockets: list[web.WebSocketResponse] = []
        self.url = ""

    @property
    def api_url(self) -> str:
        return f"{self.url}/api/"

    def response_url(self, name: str) -> str:
        return f"{self.url}/hooks/{name}"

    async def start(self) -> None:
        app = web.Application()
        app.router.add_post("/api/{method}", self._api)
        app.router.add_get("/api/{method}", self._api)  # users.info and other reads
        app.router.add_post("/hooks/{name}", self._hook)
        app.router.add_get("/files-pri/{key}/download/{name}", self._download)
        app.router.add_post("/upload/{file_id}", self._upload)
        app.router.add_get("/socket", self._socket)
        self._runner = web.AppRunner(app)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        self.url = f"http://127.0.0.1:{self._runner.addresses[0][1]}"

    async def close(self) -> None:
        for gate in self.held.values():
            gate.set()
        for socket in self._sockets:
            await socket.close()
        if self._runner is not None:
            await self._runner.cleanup()

    async def __aenter__(self) -> FakeSlackApi:
        await self.start()
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.close()

    def script(self, method: str, *answers: tuple[int, Any, dict[str, str]] | None) -> None:
        """The next answers of `method`, in order (status, JSON body, headers; `AS_USUAL`)."""
        scripts = self.scripts.setdefault(method, [])
        scripts.extend(AS_USUAL if a is AS_USUAL else _Script(*a) for a in answers)

    def hold(self, method: str, *, channel: str | None = None) -> asyncio.Event:
        """Keep back the answers of `method` (to `channel`, if given) until the event
        returned is set (each call is recorded, and shows, when it comes): Slack taking its
        time."""
        self._held_in[method] = channel
        return self.held.setdefault(method, asyncio.Event())

    def add_file(self, name: str, data: bytes, mimetype: str, **extra: Any) -> dict[str, Any]:
        """A file a user shared: its object as events carry it (`extra` may claim a size)."""
        file_id = f"F{len(self.files) + 1:04d}"
        self.files[file_id] = data
        url = f"{self.url}/files-pri/{TEAM}-{file_id}/download/{name}"
        file = {"id": file_id, "name": name, "title": name, "mimetype": mimetype}
        return file | {"size": len(data), "url_private_download": url, "mode": "hosted"} | extra

    async def _download(self, request: web.Request) -> web.Response:
        file_id = request.match_info["key"].removeprefix(f"{TEAM}-")
        await self._record(Call("download", {"file": file_id}))
        if request.headers.get("Authorization") != f"Bearer {TOKEN}":
            raise web.HTTPFound("/login")  # what Slack does for a token without files:read
        if file_id not in self.files:
            return web.Response(status=404, text="file_not_found")
        return web.Response(body=self.files[file_id], content_type="application/octet-stream")

    async def _upload(self, request: web.Request) -> web.Response:
        file_id = request.match_info["file_id"]
        if file_id not in self._pending:
            return web.Response(status=404)
        self._pending[file_id] = (self._pending[file_id][0], await request.read())
        return web.Response(text=f"OK - {len(self._pending[file_id][1])}")

    def _files_api(self, method: str, args: Mapping[str, Any]) -> dict[str, Any]:
        if method == "files.getUploadURLExternal":
            if not args.get("filename") or not str(args.get("length") or "").isdigit():
                return {"ok": False, "error": "invalid_arguments"}
            file_id = f"FU{len(self._pending) + 1:03d}"
            self._pending[file_id] = (str(args["filename"]), b"")
            return {"ok": True, "upload_url": f"{self.url}/upload/{file_id}", "file_id": file_id}
        files = json.loads(str(args.get("files") or "[]"))
        if not files or any(f.get("id") not in self._pending for f in files):
            return {"ok": False, "error": "invalid_arguments"}
        channel, thread = args.get("channel_id"), args.get("thread_ts")
        for file in files:
            name, data = self._pending[file["id"]]
            self.uploads.append({"name": name, "data": data, "channel": channel, "thread": thread})
        return {"ok": True, "files": [{"id": f["id"], "title": f.get("title")} for f in files]}

    def calls_to(self, *methods: str) -> list[Call]:
        return [c for c in self.calls if c.method in methods]

    async def wait_for(self, *methods: str, count: int = 1) -> list[Call]:
        """The calls to `methods` once there are at least `count` of them (fails after 10 s)."""
        async with asyncio.timeout(WAIT_SECONDS), self._changed:
            await self._changed.wait_for(lambda: len(self.calls_to(*methods)) >= count)
        return self.calls_to(*methods)

    async def wait_until(self, found: Callable[[Call], bool]) -> Call:
        """The first recorded call for which `found` holds, once there is one (fails after 10 s)."""
        async with asyncio.timeout(WAIT_SECONDS), self._changed:
            await self._changed.wait_for(lambda: any(found(c) for c in self.calls))
        return next(c for c in self.calls if found(c))

    async def _record(self, call: Call) -> None:
        async with self._changed:
            self.calls.append(call)
            self._changed.notify_all()

    async def _api(self, request: web.Request) -> web.Response:
        method = request.match_info["method"]
        args = await _arguments(request)
        scripted = self.scripts.get(method)
        answer = scripted.pop(0) if scripted else AS_USUAL
        if answer is AS_USUAL:
            answer = self._usual(request, method, args)
        await self._record(Call(method, args, answer.body))
        if method in self.held and self._held_in[method] in (None, args.get("channel")):
            await self.held[method].wait()
        if isinstance(answer.body, str):  # what Slack's edge answers in an outage
            return web.Response(text=answer.body, status=answer.status, headers=answer.headers)
        return web.json_response(answer.body, status=answer.status, headers=answer.headers)

    def _usual(self, request: web.Request, method: str, args: Mapping[str, Any]) -> _Script:
        """The answer to a call nothing was scripted for."""
        if method == "apps.connections.open":
            authorized = request.headers.get("Authorization") == f"Bearer {APP_TOKEN}"
            url = f"ws{self.url.removeprefix('http')}/socket"
            body = (
                {"ok": True, "url": url} if authorized else {"ok": False, "error": "invalid_auth"}
            )
            return _Script(200, body)
        if request.headers.get("Authorization") != f"Bearer {TOKEN}":
            return _Script(200, {"ok": False, "error": "invalid_auth"})
        return _Script(200, self._answer(method, args))

    async def push(self, envelope: dict[str, Any]) -> None:
        """Send a Socket Mode envelope over the connection the bot opened."""
        async with asyncio.timeout(WAIT_SECONDS), self._changed:
            await self._changed.wait_for(lambda: bool(self._sockets))
        await self._sockets[-1].send_json(envelope)

    async def _socket(self, request: web.Request) -> web.WebSocketResponse:
        socket = web.WebSocketResponse()
        await socket.prepare(request)
        await socket.send_json({"type": "hello", "num_connections": 1})
        async with self._changed:
            self._sockets.append(socket)
            self._changed.notify_all()
        async for frame in socket:
            await self._record(Call("socket", json.loads(frame.data)))
        return socket

    async def _hook(self, request: web.Request) -> web.Response:
        scripted = self.scripts.get("response_url")
        answer = scripted.pop(0) if scripted else None
        await self._record(Call("response_url", await request.json(), answer and answer.body))
        if answer is not None:
            return web.Response(status=answer.status, text=str(answer.body))
        problem = _block_problem(await request.json())
        return web.Response(status=400 if problem else 200, text=problem or "ok")

    def _answer(self, method: str, args: Mapping[str, Any]) -> dict[str, Any]:
        if method == "auth.test":
            return {
                "ok": True,
                "url": "https://test.slack.com/",
                "team": "Test",
                "user": "helpdesk",
                "team_id": TEAM,
                "user_id": BOT_USER,
                "bot_id": BOT_ID,
                "is_enterprise_install": False,
            }
        if method == "users.info":
            return self._user(
                str(args.get("user") or ""),
                locale=str(args.get("include_locale")) in ("1", "true", "True"),
            )
        if method in ("files.getUploadURLExternal", "files.completeUploadExternal"):
            return self._files_api(method, args)
        if method == "conversations.open":
            return {"ok": True, "channel": {"id": f"D{args.get('users', 'X')}"}}
        if method not in ("chat.postMessage", "chat.update", "chat.postEphemeral"):
            return {"ok": False, "error": "unknown_method"}
        if not args.get("channel") or not (args.get("text") or args.get("blocks")):
            return {"ok": False, "error": "no_text" if args.get("channel") else "channel_not_found"}
        if args["channel"] in self.gone:
            return {"ok": False, "error": "channel_not_found"}
        if method == "chat.postEphemeral" and not args.get("user"):
            return {"ok": False, "error": "invalid_arguments"}  # `user` is required
        if problem := _block_problem(args):
            return {"ok": False, "error": "invalid_blocks", "errors": [problem]}
        ts = args.get("ts") or f"1700000000.{next(self._ts):06d}"
        if method == "chat.postEphemeral":
            return {"ok": True, "message_ts": ts}
        message = {
            "type": "message",
            "user": BOT_USER,
            "bot_id": BOT_ID,
            "ts": ts,
            "text": args.get("text", ""),
            "blocks": args.get("blocks", []),
        }
        if args.get("thread_ts"):
            message["thread_ts"] = args["thread_ts"]
        return {"ok": True, "channel": args["channel"], "ts": ts, "message": message}

    def _user(self, user_id: str, *, locale: bool) -> dict[str, Any]:
        """users.info: a person, with `tz` and a full name when the test gave them, and
        `locale` when asked for (include_locale) and given."""
        if not user_id.startswith("U"):
            return {"ok": False, "error": "user_not_found"}
        user: dict[str, Any] = {"id": user_id, "team_id": TEAM, "name": user_id.lower()}
        if user_id in self.timezones:
            user["tz"] = self.timezones[user_id]
        if locale and user_id in self.locales:
            user["locale"] = self.locales[user_id]
        if user_id in self.names:  # Slack gives display_name "" for one never set
            user["real_name"] = self.names[user_id]
            user["profile"] = {"real_name": self.names[user_id], "display_name": ""}
        return {"ok": True, "user": user}


async def _arguments(request: web.Request) -> dict[str, Any]:
    if request.method == "GET":
        return dict(request.query)
    if request.content_type == "application/json":
        return dict(await request.json())
    args: dict[str, Any] = dict(await request.post()) | dict(request.query)
    if isinstance(args.get("blocks"), str):
        args["blocks"] = json.loads(args["blocks"])
    return args


def _block_problem(args: Mapping[str, Any]) -> str | None:
    """What Slack would refuse in the blocks (its documented limits), or None."""
    blocks = args.get("blocks") or []
    if len(blocks) > 50:
        return "no more than 50 items allowed [json-pointer:/blocks]"
    for block in blocks:
        text = (block.get("text") or {}).get("text", "")
        if block.get("type") == "section" and not 0 < len(text) <= 3000:
            return "must be between 1 and 3000 characters [json-pointer:/blocks/text]"
        for element in block.get("elements", []) if block.get("type") == "actions" else []:
            if len(element["text"]["text"]) > 75 or len(element["action_id"]) > 255:
                return "button text or action_id too long"
    return None


class SlackSender:
    """Slack's side of the requests to our POST /slack/events, signed with `secret`."""

    def __init__(self, url: str, *, secret: str = SECRET) -> None:
        self.url = url
        self.secret = secret
        self.session = aiohttp.ClientSession()
        self._ids = itertools.count(1)

    async def close(self) -> None:
        await self.session.close()

    def next_id(self) -> str:
        return f"{next(self._ids):06d}"

    async def post(
        self, body: bytes, content_type: str, *, secret: str | None = None, retry: int = 0
    ) -> tuple[int, str]:
        timestamp = str(int(time.time()))
        base = f"v0:{timestamp}:".encode() + body
        digest = hmac.new((secret or self.secret).encode(), base, hashlib.sha256).hexdigest()
        headers = {
            "Content-Type": content_type,
            "X-Slack-Request-Timestamp": timestamp,
            "X-Slack-Signature": f"v0={digest}",
        }
        if retry:
            headers |= {"X-Slack-Retry-Num": str(retry), "X-Slack-Retry-Reason": "http_timeout"}
        async with self.session.post(self.url, data=body, headers=headers) as response:
            return response.status, await response.text()

    async def event(self, event: dict[str, Any], **options: Any) -> tuple[int, str]:
        """An Events API callback around `event`; `event_id` may be given to redeliver."""
        event_id = options.pop("event_id", None) or f"Ev{self.next_id()}"
        envelope = {
            "token": "legacy",
            "team_id": TEAM,
            "api_app_id": "A0APP",
            "type": "event_callback",
            "event_id": event_id,
            "event_time": int(time.time()),
            "authorizations": [{"team_id": TEAM, "user_id": BOT_USER, "is_bot": True}],
            "event": event,
        }
        return await self.post(json.dumps(envelope).encode(), "application/json", **options)

    async def interaction(self, payload: dict[str, Any], **options: Any) -> tuple[int, str]:
        body = urlencode({"payload": json.dumps(payload)}).encode()
        return await self.post(body, "application/x-www-form-urlencoded", **options)

    async def command(self, fields: dict[str, str], **options: Any) -> tuple[int, str]:
        body = urlencode(fields).encode()
        return await self.post(body, "application/x-www-form-urlencoded", **options)
