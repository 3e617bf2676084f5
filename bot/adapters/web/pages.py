"""The web chat's pages: the chat and the agents' desk, filled in from their templates and
texts, and their static files, with the headers every page and file is served with."""

from __future__ import annotations

import html
import json
import re
from functools import partial
from importlib import resources
from typing import Final

from aiohttp import web

from bot.phrases import PageTexts

__all__ = [
    "DEFAULT_TITLE",
    "SECURITY_HEADERS",
    "agent_page_html",
    "chat_page",
    "dumps",
    "favicon",
    "static",
]

DEFAULT_TITLE: Final = "IT helpdesk"
STATIC_FILES: Final = {
    "chat.js": "text/javascript",
    "chat-log.js": "text/javascript",
    "chat-post.js": "text/javascript",
    "chat-store.js": "text/javascript",
    "chat-updates.js": "text/javascript",
    "chat-time.js": "text/javascript",
    "chat.css": "text/css",
    "agent.js": "text/javascript",
    "agent-board.js": "text/javascript",
    "agent-views.js": "text/javascript",
    "favicon.svg": "image/svg+xml",
}
SECURITY_HEADERS: Final = {
    "Content-Security-Policy": (
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' https:; "
        "connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
    ),
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-cache",
}
_PLACEHOLDER: Final = re.compile(r"\{\{([\w.]+)\}\}")
dumps: Final = partial(json.dumps, ensure_ascii=False)  # JSON as the pages and the API send it


def _static_text(name: str) -> str:
    return resources.files(__package__).joinpath("static", name).read_text("utf-8")


def _page(name: str, values: dict[str, str], texts: object) -> str:
    """A page with its {{placeholders}} filled in (escaped), in one pass, and {{texts}} as
    JSON for its script ("<" escaped, so no text can close the script element)."""
    filled = {key: html.escape(text) for key, text in values.items()}
    filled["texts"] = dumps(texts).replace("<", "\\u003c")
    return _PLACEHOLDER.sub(lambda m: filled[m.group(1)], _static_text(name))


def chat_page(title: str, all_texts: PageTexts) -> str:
    """The chat: its texts in both languages, the script picks the browser's."""
    texts = {lang: pages["chat"] for lang, pages in all_texts.items()}
    no_script = " / ".join(dict.fromkeys(t["noScript"] for t in texts.values()))
    return _page("index.html", {"title": title, "noScript": no_script}, texts)


def agent_page_html(title: str, language: str, all_texts: PageTexts) -> str:
    """The agents' desk in `language` (English if there are no texts for it)."""
    lang = language if language in all_texts else "en"
    texts = all_texts[lang]["agent"]
    # The default title in the desk's language, as the chat shows it in the user's.
    name = all_texts[lang]["chat"]["title"] if title == DEFAULT_TITLE else title
    texts = texts | {"title": texts["title"].format(title=name)}
    values = {f"agent.{key}": text for key, text in texts.items()}
    return _page("agent.html", values | {"lang": lang}, texts)


async def favicon(request: web.Request) -> web.Response:
    raise web.HTTPMovedPermanently("/static/favicon.svg")


async def static(request: web.Request) -> web.Response:
    name = request.match_info["name"]
    content_type = STATIC_FILES.get(name)
    if content_type is None:
        raise web.HTTPNotFound()
    text = _static_text(name)
    return web.Response(text=text, content_type=content_type, headers=SECURITY_HEADERS)
