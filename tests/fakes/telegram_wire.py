"""The Bot API on the wire: how it reads requests and `parse_mode=HTML` text, and how it answers.

https://core.telegram.org/bots/api#html-style: only the listed tags, properly nested and
closed; every `<`, `>` and `&` that is not part of a tag or an entity must be escaped; the
message's visible text is at most 4096 characters (UTF-16 code units).
"""

from __future__ import annotations

import contextlib
import json
import re
from html.parser import HTMLParser
from typing import Any

from aiohttp import web

__all__ = [
    "BAD_GATEWAY",
    "BLOCKED",
    "TOKEN",
    "check_html",
    "check_markup",
    "error",
    "ok",
    "read_params",
    "too_many_requests",
    "visible_text",
]

TOKEN = "123456:fake-token"
JSON_FIELDS = frozenset(
    {"chat_id", "message_id", "offset", "limit", "timeout", "reply_markup", "allowed_updates"}
    | {"commands", "link_preview_options", "show_alert", "drop_pending_updates"}
    | {"reply_parameters"}
)


def error(code: int, description: str, **parameters: int) -> tuple[int, dict[str, Any]]:
    """An error response as the Bot API sends it."""
    body: dict[str, Any] = {"ok": False, "error_code": code, "description": description}
    if parameters:
        body["parameters"] = parameters
    return code, body


def too_many_requests(retry_after: int) -> tuple[int, dict[str, Any]]:
    return error(429, f"Too Many Requests: retry after {retry_after}", retry_after=retry_after)


BLOCKED = error(403, "Forbidden: bot was blocked by the user")
BAD_GATEWAY = error(502, "Bad Gateway")

ALLOWED_TAGS = frozenset(
    {"b", "strong", "i", "em", "u", "ins", "s", "strike", "del", "span", "tg-spoiler", "a"}
    | {"tg-emoji", "code", "pre", "blockquote"}
)
_RAW_AMP = re.compile(r"&(?!(?:lt|gt|amp|quot|#\d+|#x[0-9a-fA-F]+);)")
_RAW_LT = re.compile(r"<(?!/?[a-zA-Z])")


class _Reader(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[str] = []
        self.text: list[str] = []
        self.problem: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in ALLOWED_TAGS:
            self.problem = self.problem or f'can\'t parse entities: Unsupported start tag "{tag}"'
        self.stack.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if not self.stack or self.stack.pop() != tag:
            self.problem = self.problem or f'can\'t parse entities: Unexpected end tag "{tag}"'

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def _read(text: str) -> _Reader:
    reader = _Reader()
    reader.feed(text)
    reader.close()
    return reader


def visible_text(text: str) -> str:
    """What the user sees of an HTML message."""
    return "".join(_read(text).text)


def check_html(text: str, parse_mode: str | None) -> str | None:
    """The Bot API's complaint about a message text, or None if it would be accepted."""
    if parse_mode == "HTML":
        if _RAW_AMP.search(text) or _RAW_LT.search(text):
            return "can't parse entities: unescaped & or <"
        reader = _read(text)
        if reader.problem or reader.stack:
            return reader.problem or f"can't parse entities: Can't find end tag for {reader.stack}"
        shown = "".join(reader.text)
    else:
        shown = text
    if not shown.strip():
        return "message text is empty"
    if len(shown.encode("utf-16-le")) // 2 > 4096:
        return "message is too long"
    return None


def ok(result: Any) -> tuple[int, dict[str, Any]]:
    return 200, {"ok": True, "result": result}


def check_markup(markup: Any) -> str | None:
    rows = markup.get("inline_keyboard", []) if isinstance(markup, dict) else []
    for button in (b for row in rows for b in row):
        if not 1 <= len(button.get("callback_data", "").encode()) <= 64:
            return "BUTTON_DATA_INVALID"
    return None


async def read_params(request: web.Request) -> dict[str, Any]:
    """The call's parameters: a JSON body or form fields (JSON-encoded where not strings)."""
    if request.content_type == "application/json":
        body = await request.json()
        return dict(body) if isinstance(body, dict) else {}
    params: dict[str, Any] = dict(await request.post()) | dict(request.query)
    for name in JSON_FIELDS & params.keys():
        with contextlib.suppress(ValueError, TypeError):
            params[name] = json.loads(params[name])
    return params
