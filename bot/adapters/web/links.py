"""Bare addresses in a text become links on the web page, as chat apps make them.

Telegram and Slack link "https://portal.example.com" and "hr@example.com" in a message by
themselves; a browser shows them as plain words. So the web chat links them when it renders
Markdown: http(s) URLs and e-mail addresses (mailto:), never inside a link or code, without
the punctuation that ends a sentence around them.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Final

from markdown_it import MarkdownIt
from markdown_it.token import Token

__all__ = ["link_addresses"]

# An e-mail address starts a word, and its parts are as long as RFC 5321 allows them (local
# part 64, a domain label 63): unbounded, each start in a long word without "@" scanned to its
# end, so a 100 KB message of one word took seven seconds to render, the event loop held.
_ADDRESS: Final = re.compile(
    r"(?P<url>https?://[^\s<>\"«»]+)"
    r"|(?P<mail>(?<![\w.+-])[\w.+-]{1,64}@[\w-]{1,63}(?:\.[\w-]{1,63})+)",
    re.IGNORECASE,
)
_TRAILING: Final = ".,;:!?'\"…"


def link_addresses(md: MarkdownIt, tokens: list[Token]) -> None:
    """Turn the bare addresses in `tokens`' inline text into links, in place."""
    for token in tokens:
        if token.type == "inline" and token.children:
            token.children = _linked(md, token.children)


def _linked(md: MarkdownIt, children: list[Token]) -> list[Token]:
    result: list[Token] = []
    depth = 0  # inside a link already: leave its text alone
    for child in children:
        depth += {"link_open": 1, "link_close": -1}.get(child.type, 0)
        if child.type == "text" and depth == 0:
            result.extend(_split(md, child.content))
        else:
            result.append(child)
    return result


def _split(md: MarkdownIt, text: str) -> Iterator[Token]:
    start = 0
    for match in _ADDRESS.finditer(text):
        address = _trimmed(match.group())
        href = address if match.group("url") else f"mailto:{address}"
        if not md.validateLink(href):
            continue
        yield Token("text", "", 0, content=text[start : match.start()])
        yield Token("link_open", "a", 1, attrs={"href": md.normalizeLink(href)})
        yield Token("text", "", 0, content=address)
        yield Token("link_close", "a", -1)
        start = match.start() + len(address)
    yield Token("text", "", 0, content=text[start:])


def _trimmed(address: str) -> str:
    """The address without what ends the sentence after it: "see https://a.example/x." or
    "(https://a.example)"; a bracket the address opened itself stays (…/Foo_(bar))."""
    while address and (
        address[-1] in _TRAILING or (address[-1] == ")" and address.count("(") < address.count(")"))
    ):
        address = address[:-1]
    return address
