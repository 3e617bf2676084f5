"""Pure translation between the web chat's JSON and the neutral message values.

Nothing here touches the network: a request body becomes an `IncomingMessage`, a list of
`Reply` values becomes the JSON the page renders, and Markdown becomes HTML that is safe to
put into the page with `innerHTML` (raw HTML is escaped, links are limited to safe schemes).
Each line the page shows carries the server's time of it (`"at"`, ISO 8601 in UTC), which the
page shows in the browser's own zone.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping, Sequence
from datetime import UTC, datetime
from typing import Any, Final

from markdown_it.token import Token

from bot.adapters.web.links import link_addresses
from bot.handoff.outbox_port import OutboxItem
from bot.markdown import WEB_SCHEMES, safe_markdown
from bot.messages import Button, ChatLine, IncomingMessage, Reply, UserRef

__all__ = [
    "MAX_TEXT_BYTES",
    "PLATFORM",
    "WORKSPACE",
    "BadPayload",
    "history_to_json",
    "locale_from_accept_language",
    "parse_body",
    "parse_id",
    "parse_receipts",
    "render_markdown",
    "replies_to_json",
    "to_incoming",
    "updates_to_json",
]

PLATFORM: Final = "web"
WORKSPACE: Final = "local"
MAX_TEXT_BYTES: Final = 100 * 1024
MAX_ID_CHARS: Final = 128
MAX_KEY_CHARS: Final = 256
MAX_ZONE_CHARS: Final = 64
MAX_RECEIPTS: Final = 100
MAX_ID_DIGITS: Final = 18  # an id in a BIGINT
SAFE_SCHEMES: Final = WEB_SCHEMES
LOCALES: Final = frozenset({"ru", "en"})


class BadPayload(Exception):
    """The client sent something we cannot take; `status` is the HTTP status to answer."""

    def __init__(self, message: str, *, status: int = 400) -> None:
        super().__init__(message)
        self.message = message
        self.status = status


def parse_body(body: bytes) -> Mapping[str, Any]:
    """Decode a request body into a JSON object, or raise `BadPayload`."""
    try:
        payload = json.loads(body)
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise BadPayload("the body must be a JSON object") from exc
    if not isinstance(payload, dict):
        raise BadPayload("the body must be a JSON object")
    return payload


def to_incoming(
    payload: Mapping[str, Any], *, user_id: str, accept_language: str | None = None
) -> IncomingMessage:
    """Turn `{"id", "text"}` or `{"id", "button", "text"}` into an `IncomingMessage`; an
    optional `"timezone"` is the browser's own (`Intl.DateTimeFormat`), a hint for the core.

    `user_id` comes from the session cookie, never from the body. The client's message id is
    prefixed with it so that two browsers can never collide on each other's dedup keys.
    """
    client_id = _string_field(payload, "id", limit=MAX_ID_CHARS)
    button = payload.get("button")
    if button is None:
        text = _text_field(payload, required=True)
    else:
        button = _string_field(payload, "button", limit=MAX_KEY_CHARS)
        text = _text_field(payload, required=False)
    return IncomingMessage(
        user=UserRef(platform=PLATFORM, workspace=WORKSPACE, user_id=user_id),
        chat_id=user_id,
        text=text,
        button=button,
        event_id=f"{user_id}:{client_id}",
        locale=locale_from_accept_language(accept_language),
        timezone=_zone_hint(payload),
    )


def _zone_hint(payload: Mapping[str, Any]) -> str | None:
    """The browser's time zone name, if it sent a short string (the core checks the name)."""
    value = payload.get("timezone")
    return value if isinstance(value, str) and 0 < len(value) <= MAX_ZONE_CHARS else None


def _string_field(payload: Mapping[str, Any], name: str, *, limit: int) -> str:
    value = payload.get(name)
    if value is None:
        raise BadPayload(f'the field "{name}" is missing')
    if not isinstance(value, str) or not value.strip():
        raise BadPayload(f'the field "{name}" must be a non-empty string')
    if len(value) > limit:
        raise BadPayload(f'the field "{name}" is longer than {limit} characters')
    return value


def _text_field(payload: Mapping[str, Any], *, required: bool) -> str:
    value = payload.get("text")
    if value is None and not required:
        return ""
    if value is None:
        raise BadPayload('the field "text" (or "button") is missing')
    if not isinstance(value, str):
        raise BadPayload('the field "text" must be a string')
    if len(value.encode("utf-8", "surrogatepass")) > MAX_TEXT_BYTES:
        raise BadPayload(f"the text is longer than {MAX_TEXT_BYTES} bytes", status=413)
    if required and not value.strip():
        raise BadPayload('the field "text" is empty')
    return value


def locale_from_accept_language(header: str | None) -> str | None:
    """`"ru-RU,ru;q=0.9,en;q=0.8"` → `"ru"`: the first tag, when it is one we speak."""
    if not header:
        return None
    first = header.split(",", 1)[0].split(";", 1)[0].strip().lower()
    language = first.split("-", 1)[0]
    return language if language in LOCALES else None


def replies_to_json(replies: Sequence[Reply], *, at: datetime) -> dict[str, Any]:
    """The page's view of the bot's replies to a message the server took `at` (their time,
    and the message's): sanitised HTML and buttons, in order."""
    when = _time(at)
    return {"replies": [_reply_json(r.text, r.buttons, when) for r in replies], "at": when}


def updates_to_json(items: Sequence[OutboxItem], *, upto: int) -> dict[str, Any]:
    """Messages from the outbox as replies, each with its id (the page's receipt for it), and
    the id up to which the page has them all (`"after"`: it names it in its next poll)."""
    return {"replies": items_to_json(items), "after": upto}


def items_to_json(items: Sequence[OutboxItem]) -> list[dict[str, Any]]:
    """Messages from the outbox as replies, each with its id (the page's receipt for it)."""
    return [_reply_json(i.text, i.buttons, _time(i.created_at)) | {"id": i.id} for i in items]


def history_to_json(lines: Sequence[ChatLine]) -> dict[str, Any]:
    """A chat's recent lines for a page that opens: the user's as text, the others as
    replies without their buttons (which were pressed is not known here; a score can still be
    typed), an agent's with its id (a poll may bring it too: shown once)."""
    return {"lines": [_line_json(line) for line in lines]}


def _line_json(line: ChatLine) -> dict[str, Any]:
    if line.author == "user":
        return {"author": "user", "text": line.text, "at": _time(line.at)}
    shown = _reply_json(line.text, (), _time(line.at)) | {"author": line.author}
    return shown if line.outbox_id is None else shown | {"id": line.outbox_id}


def _reply_json(text: str, buttons: Sequence[Button], at: str | None) -> dict[str, Any]:
    return {
        "html": render_markdown(text),
        "buttons": [{"label": b.label, "key": b.key} for b in buttons],
        "at": at,
    }


def _time(at: datetime | None) -> str | None:
    """`at` for the page: ISO 8601 in UTC, to the second (None: not known)."""
    return None if at is None else at.astimezone(UTC).isoformat(timespec="seconds")


def parse_receipts(value: str) -> list[int]:
    """`"12,13"` → `[12, 13]`: the ids of messages a page says it has shown (up to
    MAX_RECEIPTS of them); what is not an id is left out."""
    parts = value.split(",", MAX_RECEIPTS)[:MAX_RECEIPTS]
    return [n for p in parts if (n := parse_id(p)) is not None]


def parse_id(value: str) -> int | None:
    """`"12"` → 12: the id of a message a page names; None for what is not one."""
    is_id = value.isascii() and value.isdigit() and len(value) <= MAX_ID_DIGITS
    return int(value) if is_id else None


def render_markdown(text: str) -> str:
    """Markdown → HTML safe for `innerHTML`; links (bare addresses too, `links.py`) open in
    a new tab without an opener."""
    md = safe_markdown(SAFE_SCHEMES)
    tokens = md.parse(text)
    link_addresses(md, tokens)
    for token in tokens:
        if token.children:
            token.children = list(_images_as_links(token.children))
    for token in _walk(tokens):
        if token.type == "link_open":
            token.attrSet("target", "_blank")
            token.attrSet("rel", "noopener noreferrer")
    rendered: str = md.renderer.render(tokens, md.options, {})
    return rendered


def _images_as_links(tokens: Sequence[Token]) -> Iterator[Token]:
    """An image as a link to it, labelled with its text (else its address): an <img> would
    make the reader's browser fetch whatever address an agent or an answer names, unasked."""
    for token in tokens:
        if token.type != "image":
            yield token
            continue
        src = str(token.attrGet("src") or "")
        opened = Token("link_open", "a", 1, attrs={"href": src})
        label = Token("text", "", 0, content=token.content or src)
        yield from (opened, label, Token("link_close", "a", -1))


def _walk(tokens: Sequence[Token]) -> Iterator[Token]:
    for token in tokens:
        yield token
        if token.children:
            yield from _walk(token.children)
