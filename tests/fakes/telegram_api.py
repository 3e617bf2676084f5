"""A fake Telegram Bot API server: aiohttp on an ephemeral port, recording every call.

It follows the documented shapes (https://core.telegram.org/bots/api): results wrapped in
{"ok": true, "result": ...}, errors as {"ok": false, "error_code", "description",
"parameters"}; Message objects with `date` in seconds, a `chat` and a `from` with `is_bot`;
getUpdates confirming by `offset` and long-polling for `timeout` seconds; sendMessage checking
the HTML (allowed tags, balanced, escaped) and the 4096-character limit. Tests inject updates
(`push`), script failures (`fail_next`, `blocked`, `migrated`) or keep a method waiting
(`hold`, perhaps after letting some through; `AS_USUAL` in a script lets a call through
first), and wait on recorded calls.
Files: `add_file` puts one where getFile and the file URL (`/file/bot<token>/<path>`) find
it, as Telegram keeps what users send; sendPhoto, sendDocument… take a known file_id or an
upload (multipart), and an upload becomes a file of its own (`uploads` keeps the bytes).
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections import defaultdict, deque
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from aiohttp import ClientSession, web
from aiohttp.test_utils import TestServer
from aiohttp.web_request import FileField

from tests.fakes.telegram_wire import (
    BAD_GATEWAY,
    BLOCKED,
    TOKEN,
    check_html,
    check_markup,
    error,
    ok,
    read_params,
    too_many_requests,
)

__all__ = ["AS_USUAL", "BAD_GATEWAY", "BLOCKED", "Call", "FakeBotAPI", "error", "too_many_requests"]

DOWNLOAD_LIMIT = 20 * 1024 * 1024  # getFile refuses bigger files to bots
AS_USUAL = None  # in `fail_next`: this call is answered as it would be without a script
MEDIA = {
    "sendPhoto": "photo",
    "sendDocument": "document",
    "sendVoice": "voice",
    "sendVideo": "video",
    "sendAudio": "audio",
    "sendSticker": "sticker",
    "sendAnimation": "animation",
    "sendVideoNote": "video_note",
}


@dataclass(frozen=True)
class _Hold:
    """A method kept waiting (`FakeBotAPI.hold`) until `event` is set."""

    event: asyncio.Event
    chat: str | None  # only calls to this chat (None: all)
    shown: bool  # the call is carried out at once; only its answer waits


@dataclass(frozen=True, slots=True)
class Call:
    """One request the bot made, and the HTTP status the fake answered."""

    method: str
    params: dict[str, Any]
    status: int
    at: float  # time.monotonic() of the answer


class FakeBotAPI:
    """The Bot API for one bot; `base_url` is what python-telegram-bot's `base_url` takes."""

    def __init__(self, *, token: str = TOKEN, username: str = "helpdesk_bot") -> None:
        self.token = token
        self.me = {"id": int(token.split(":")[0]), "is_bot": True, "first_name": "Helpdesk"}
        self.me |= {"username": username, "can_join_groups": True}
        self.calls: list[Call] = []
        self.chats: dict[int, dict[str, Any]] = {}
        self.messages: dict[tuple[int, int], dict[str, Any]] = {}
        self.blocked: set[int] = set()
        self.migrated: dict[int, int] = {}
        self.webhook: dict[str, Any] = {}
        self.confirmed = 0  # every update below this id was confirmed by an offset
        self.files: dict[str, tuple[bytes, int]] = {}  # file_id: (bytes, size Telegram says)
        self.uploads: dict[str, tuple[str, bytes]] = {}  # file_id: (file name, bytes)
        self._updates: list[dict[str, Any]] = []
        self._script: dict[str, deque[tuple[int, dict[str, Any]] | None]] = defaultdict(deque)
        self.held: dict[str, _Hold] = {}  # methods taken on (or answered) once it is set
        self._let_through: dict[str, int] = {}  # calls of a held method answered at once
        self.arrived: dict[str, int] = defaultdict(int)  # calls of held methods that came
        self._changed = asyncio.Event()
        self._next_update = 1000
        self._next_message = 1
        self._server: TestServer | None = None

    async def __aenter__(self) -> FakeBotAPI:
        app = web.Application()
        app.router.add_route("*", "/bot{token}/{method}", self._endpoint)
        app.router.add_get("/file/bot{token}/{path:.+}", self._download)
        self._server = TestServer(app, host="127.0.0.1", port=0)
        await self._server.start_server(access_log=None)  # its lines hold the token
        return self

    async def __aexit__(self, *exc: object) -> None:
        assert self._server is not None
        for gate in self.held.values():
            gate.event.set()
        await self._server.close()

    @property
    def base_url(self) -> str:
        assert self._server is not None
        return f"http://127.0.0.1:{self._server.port}/bot"

    # --- what tests do -------------------------------------------------------------------

    def next_update_id(self) -> int:
        self._next_update += 1
        return self._next_update

    def push(self, update: dict[str, Any]) -> None:
        """Queue an update for getUpdates (as Telegram does when a user writes)."""
        self._updates.append(update)
        self._notify()

    def add_file(self, file_id: str, data: bytes, *, size: int | None = None) -> None:
        """A file Telegram holds (a user sent it); `size` may claim more than `data` has."""
        self.files[file_id] = (data, len(data) if size is None else size)

    def fail_next(self, method: str, *responses: tuple[int, dict[str, Any]] | None) -> None:
        """Answer the next calls of `method` with these errors (`AS_USUAL`: normally), then
        normally."""
        self._script[method].extend(responses)

    def hold(
        self, method: str, *, after: int = 0, chat: int | None = None, shown: bool = False
    ) -> asyncio.Event:
        """Keep the calls of `method` (to `chat`, if given) waiting, untouched, until the event
        returned is set (Telegram taking its time), all but the first `after` (answered at
        once); `arrived` counts them as they come. `shown`: carry each call out at once (the
        message is in the chat, with its id, for users to see and answer) and hold back only
        its answer, as a Bot API slow to answer a message it already delivered."""
        self._let_through[method] = after
        where = None if chat is None else str(chat)
        return self.held.setdefault(method, _Hold(asyncio.Event(), where, shown)).event

    def sent(self, chat_id: int) -> list[dict[str, Any]]:
        """The messages the bot sent to a chat (those the fake accepted), in order."""
        return [m for (chat, _), m in sorted(self.messages.items()) if chat == chat_id]

    def called(self, method: str, status: int | None = 200) -> list[Call]:
        return [c for c in self.calls if c.method == method and status in (None, c.status)]

    async def until(self, check: Callable[[], object]) -> None:
        """Wait (at most 10 s) until `check()` holds; checked after every call and push."""
        async with asyncio.timeout(10):
            while not check():
                await self._wait_change()

    async def wait_for(
        self, method: str, count: int = 1, *, status: int | None = 200
    ) -> list[Call]:
        """Wait until `method` was called `count` times with `status`; those calls."""
        await self.until(lambda: len(self.called(method, status)) >= count)
        return self.called(method, status)

    async def post_webhook(
        self, server: str, update: dict[str, Any], *, secret: str | None = ""
    ) -> int:
        """POST `update` as Telegram would to the webhook's path on `server` (our local
        server stands in for the public host); `secret` "" sends the registered one."""
        headers = {}
        secret = self.webhook.get("secret_token") if secret == "" else secret
        if secret is not None:
            headers["X-Telegram-Bot-Api-Secret-Token"] = secret
        url = server + urlsplit(self.webhook["url"]).path
        async with ClientSession() as session, session.post(url, json=update, headers=headers) as r:
            return r.status

    # --- the server --------------------------------------------------------------------

    def _notify(self) -> None:
        self._changed.set()
        self._changed = asyncio.Event()

    async def _wait_change(self) -> None:
        await self._changed.wait()

    async def _endpoint(self, request: web.Request) -> web.Response:
        method = request.match_info["method"]
        if request.match_info["token"] != self.token:
            return self._respond(method, {}, *error(401, "Unauthorized"))
        params = await read_params(request)
        held = self._held(method, params)
        if held is not None and not held.shown:
            await held.event.wait()
        status, body = await self._answer(method, params)
        if held is not None and held.shown:
            self._notify()  # on show (stored), its answer still to come
            await held.event.wait()
        return self._respond(method, params, status, body)

    def _held(self, method: str, params: dict[str, Any]) -> _Hold | None:
        """The hold this call waits on, if any (counted in `arrived` as it comes)."""
        hold = self.held.get(method)
        if hold is None or (hold.chat is not None and str(params.get("chat_id")) != hold.chat):
            return None
        self.arrived[method] += 1
        self._notify()
        return hold if self.arrived[method] > self._let_through[method] else None

    async def _answer(self, method: str, params: dict[str, Any]) -> tuple[int, Any]:
        scripted = self._script[method].popleft() if self._script[method] else AS_USUAL
        if scripted is not AS_USUAL:
            return scripted
        handler = getattr(self, f"_api_{method}", None)
        if method in MEDIA:
            return self._media(MEDIA[method], params)
        if handler is None:
            return error(404, "Not Found")
        status, body = await handler(params)
        return status, body

    def _respond(self, method: str, params: dict[str, Any], status: int, body: Any) -> web.Response:
        self.calls.append(Call(method, params, status, time.monotonic()))
        self._notify()
        return web.json_response(body, status=status)

    async def _api_getMe(self, params: dict[str, Any]) -> tuple[int, Any]:
        return ok(self.me)

    async def _api_getUpdates(self, params: dict[str, Any]) -> tuple[int, Any]:
        if self.webhook.get("url"):
            return error(409, "Conflict: can't use getUpdates method while webhook is active")
        offset = int(params.get("offset") or 0)
        self.confirmed = max(self.confirmed, offset)
        self._notify()
        self._updates = [u for u in self._updates if u["update_id"] >= offset]
        deadline = time.monotonic() + float(params.get("timeout") or 0)
        while not self._updates and (left := deadline - time.monotonic()) > 0:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wait_change(), left)
        return ok(self._updates[: int(params.get("limit") or 100)])

    async def _api_sendMessage(self, params: dict[str, Any]) -> tuple[int, Any]:
        chat_id = int(params["chat_id"])
        if chat_id in self.blocked:
            return BLOCKED
        if chat_id in self.migrated:
            description = "Bad Request: group chat was upgraded to a supergroup chat"
            return error(400, description, migrate_to_chat_id=self.migrated[chat_id])
        if chat_id not in self.chats:
            return error(400, "Bad Request: chat not found")
        return _refusal(params) or ok(self._store(chat_id, params))

    def _store(
        self, chat_id: int, params: dict[str, Any], content: dict[str, Any] | None = None
    ) -> dict[str, Any]:
        self._next_message += 1
        message = {"message_id": self._next_message, "from": self.me, "date": int(time.time())}
        message |= {"chat": self.chats[chat_id]} | (content or {"text": params["text"]})
        if params.get("reply_markup"):
            message["reply_markup"] = params["reply_markup"]
        under = (params.get("reply_parameters") or {}).get("message_id")
        if under is not None and (chat_id, int(under)) in self.messages:
            # Telegram nests the replied-to message without its own reply_to_message.
            replied = self.messages[chat_id, int(under)]
            message["reply_to_message"] = {
                k: v for k, v in replied.items() if k != "reply_to_message"
            }
        self.messages[chat_id, self._next_message] = message
        return message

    async def _api_getFile(self, params: dict[str, Any]) -> tuple[int, Any]:
        file_id = str(params.get("file_id") or "")
        if file_id not in self.files:
            return error(400, "Bad Request: wrong file_id or the file is temporarily unavailable")
        size = self.files[file_id][1]
        if size > DOWNLOAD_LIMIT:
            return error(400, "Bad Request: file is too big")
        result = {"file_id": file_id, "file_unique_id": f"u{file_id}", "file_size": size}
        return ok(result | {"file_path": f"documents/{file_id}.bin"})

    async def _download(self, request: web.Request) -> web.Response:
        path = request.match_info["path"]
        file_id = path.removeprefix("documents/").removesuffix(".bin")
        if request.match_info["token"] != self.token or file_id not in self.files:
            return web.Response(status=404)
        self.calls.append(Call("download", {"path": path}, 200, time.monotonic()))
        self._notify()
        return web.Response(body=self.files[file_id][0])

    def _media(self, kind: str, params: dict[str, Any]) -> tuple[int, Any]:
        """sendPhoto, sendDocument…: a known file_id, or an upload that becomes a file."""
        chat_id = int(params["chat_id"])
        if chat_id in self.blocked:
            return BLOCKED
        if chat_id not in self.chats:
            return error(400, "Bad Request: chat not found")
        media = params.get(kind)
        if isinstance(media, FileField):
            file_id, data = f"up{len(self.uploads) + 1}", media.file.read()
            self.uploads[file_id] = (media.filename, data)
            self.files[file_id] = (data, len(data))
            name = media.filename
        elif isinstance(media, str) and media in self.files:
            file_id, name = media, ""
        else:
            return error(400, "Bad Request: wrong file identifier/HTTP URL specified")
        file = {"file_id": file_id, "file_unique_id": f"u{file_id}"}
        file |= {"file_size": self.files[file_id][1]} | ({"file_name": name} if name else {})
        content = {kind: [file | {"width": 90, "height": 90}] if kind == "photo" else file}
        return ok(self._store(chat_id, params, content))

    async def _api_editMessageReplyMarkup(self, params: dict[str, Any]) -> tuple[int, Any]:
        if "inline_message_id" in params:
            return ok(True)
        key = (int(params["chat_id"]), int(params["message_id"]))
        message = self.messages.get(key)
        if message is None:
            return error(400, "Bad Request: message to edit not found")
        markup = params.get("reply_markup")
        if markup == message.get("reply_markup") or (not markup and "reply_markup" not in message):
            return error(400, "Bad Request: message is not modified")
        message = {k: v for k, v in message.items() if k != "reply_markup"}
        message |= {"edit_date": int(time.time())} | ({"reply_markup": markup} if markup else {})
        self.messages[key] = message
        return ok(message)

    async def _api_editMessageText(self, params: dict[str, Any]) -> tuple[int, Any]:
        key = (int(params["chat_id"]), int(params["message_id"]))
        message = self.messages.get(key)
        if message is None:
            return error(400, "Bad Request: message to edit not found")
        if refused := _refusal(params):
            return refused
        markup = params.get("reply_markup") or None
        if params["text"] == message["text"] and markup == message.get("reply_markup"):
            return error(400, "Bad Request: message is not modified")
        message = {k: v for k, v in message.items() if k != "reply_markup"}
        message |= {"text": params["text"], "edit_date": int(time.time())}
        self.messages[key] = message | ({"reply_markup": markup} if markup else {})
        return ok(self.messages[key])

    async def _api_answerCallbackQuery(self, params: dict[str, Any]) -> tuple[int, Any]:
        return ok(True) if params.get("callback_query_id") else error(400, "Bad Request: no id")

    async def _api_setMyCommands(self, params: dict[str, Any]) -> tuple[int, Any]:
        return ok(True)

    async def _api_setWebhook(self, params: dict[str, Any]) -> tuple[int, Any]:
        self.webhook = {"url": params["url"], "secret_token": params.get("secret_token")}
        return ok(True)

    async def _api_deleteWebhook(self, params: dict[str, Any]) -> tuple[int, Any]:
        self.webhook = {}
        return ok(True)


def _refusal(params: dict[str, Any]) -> tuple[int, Any] | None:
    """Telegram's 400 for a text or keyboard it would not take, if there is something wrong."""
    problem = check_html(params.get("text", ""), params.get("parse_mode"))
    problem = problem or check_markup(params.get("reply_markup"))
    return error(400, f"Bad Request: {problem}") if problem else None
