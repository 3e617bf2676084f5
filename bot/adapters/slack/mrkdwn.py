"""CommonMark (the KB's and the bot's texts) → Slack mrkdwn, escaped and split within limits;
and back, for what a Slack agent types (`mrkdwn_to_markdown`).

Everything that came from a user or the KB is escaped (`&`, `<`, `>`), so `<!channel>`,
`<@U…>` or `<https://evil|https://good>` written in a text arrive as harmless characters,
and Slack's marks in a text (`*.pst`, `_init_`, `~/docs`) show as typed, not as bold,
italic or struck text (`_as_typed`). The only `<…>` sequences in the result are those this
module builds itself: links, only for http, https and mailto targets (a link whose label
looks like another address shows its real target instead;
https://api.slack.com/reference/surfaces/formatting#escaping), a channel for Slack's own link
to it (`<#C123>`, its name), and the marks kept as typed.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from typing import Any, Final
from urllib.parse import quote

from markdown_it.token import Token

from bot.markdown import WEB_SCHEMES, literal, safe_markdown
from bot.markdown_blocks import BlockWriter, Style

__all__ = ["escape", "markdown_to_mrkdwn", "mrkdwn_to_markdown", "styles_of", "unmarked"]

_INLINE_MARKS: Final = {"strong": "*", "em": "_", "s": "~"}
# In escaped text: `&` is "&amp;" (a query's), and `|` ends it (Slack reads the rest as the label).
_BARE_URL: Final = re.compile(r"\bhttps?://(?:[^\s<>&|]|&amp;)*[^\s<>&|.,;:!?)\]'\"]")
_ADDRESS_LIKE: Final = re.compile(
    r"(://|^www\.|[\w.+-]+@[\w-]+(\.[\w-]+)+|^[\w-]+(\.[\w-]+)+(/|$))", re.IGNORECASE
)
# `targets.CHANNEL_LINK`: the channel's id, which `<#C123>` shows as its name, to each reader.
_CHANNEL_LINK: Final = re.compile(
    r"https://slack\.com/app_redirect\?channel=([CG][A-Z0-9]+)(?:&team=\w+)?"
)
_FENCE: Final = "```"
_SLACK_MARK: Final = re.compile(r"[*_~`]")  # in text, each one a user (or the KB) typed
# Those of them that may open a span: after no letter or digit, before no space ("*.pst",
# "_init_"; not "2*3", "file_name" or "a * b"); any backtick.
_OPENING_MARK: Final = re.compile(r"(?<![^\W_])[*_~](?!\s)|`")
_SLACK_CODE: Final = re.compile(r"```(.+?)```|`[^`\n]+`", re.DOTALL)
# Slack's marks and what they are in CommonMark; each is one once `literal` escaped it
# ("\\*done\\*"), opening after a space or punctuation and closing before one, as Slack reads it.
_SLACK_MARKS: Final = {
    mark: (re.compile(rf"(?<![\w\\])\\{mark}(?!\s)(.+?)(?<![\s\\])\\{mark}(?!\w)"), ours)
    for mark, ours in ((re.escape("*"), "**"), ("_", "*"), ("~", "~~"))
}

# The same spans in plain text, within a line, as Slack reads them (not "__init__" or "**").
_PLAIN_SPANS: Final = {
    style: re.compile(rf"(?<![\w\\{m}]){m}(?![\s{m}])([^\n]+?)(?<![\s\\{m}]){m}(?![\w{m}])")
    for style, m in (("bold", re.escape("*")), ("italic", "_"), ("strike", "~"))
}


def escape(text: str) -> str:
    """The three characters Slack reads as markup, as the entities Slack expects."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _url(href: str) -> str:
    """A link target safe inside `<…|…>`: no `|`, `<`, `>`, spaces; `&` as an entity."""
    return escape(quote(href, safe="/:@?#=&%+~;,!$'()*[]-._"))


def _link(href: str, label: str) -> str:
    channel = _CHANNEL_LINK.fullmatch(href)
    if channel:  # Slack's link to a channel: shown as Slack shows one, by its name
        return f"<#{channel[1]}>"
    url = _url(href)
    plain_href = href.removeprefix("mailto:").rstrip("/").casefold()
    plain_label = label.strip().removeprefix("mailto:").rstrip("/").casefold()
    if not plain_label or plain_label in (plain_href, escape(plain_href)):
        return f"<{url}>"
    if _ADDRESS_LIKE.search(plain_label):  # a label that names another address misleads
        return f"<{url}>"
    return f"<{url}|{label}>"


def _text(content: str, *, inside: bool) -> str:
    """Plain text: escaped, with bare web addresses made clickable (verbatim sections), and
    Slack's marks in it shown as typed: those that could open a span, and within a span of
    ours (`inside`) every one (it could close ours)."""
    marks = _SLACK_MARK if inside else _OPENING_MARK
    escaped, parts, end = escape(content), [], 0
    for url in _BARE_URL.finditer(escaped):
        parts += [marks.sub(_as_typed, escaped[end : url.start()]), f"<{url[0]}>"]
        end = url.end()
    return "".join([*parts, marks.sub(_as_typed, escaped[end:])])


def _as_typed(mark: re.Match[str]) -> str:
    """A character Slack would read as a mark, shown as itself: mrkdwn has no escape, but a
    date with a format Slack does not know shows its fallback text, unformatted
    (https://api.slack.com/reference/surfaces/formatting#date-formatting; the way of
    https://github.com/yhatt/jsx-slack/blob/main/docs/about-escape-and-exact-mode.md)."""
    return f"<!date^00000000^{{_}}|{mark[0]}>"


def _inline(tokens: Sequence[Token], *, marks: bool = True) -> str:
    """The inline children of one block: emphasis, code, links and text."""
    stack: list[tuple[str, list[str]]] = [("", [])]
    spans = 0 if marks else 1  # of ours open (a heading's text is bold)
    for token in tokens:
        kind, _, edge = token.type.rpartition("_")
        out = stack[-1][1]
        if token.type == "text" and len(stack) == 1:
            out.append(_text(token.content, inside=spans > 0))
        elif token.type == "text":  # a link's label
            out.append(escape(token.content))
        elif token.type in ("softbreak", "hardbreak"):
            out.append("\n")
        elif token.type == "code_inline":
            out.append(f"`{escape(token.content)}`")
        elif token.type == "image":
            out.append(_link(str(token.attrGet("src") or ""), escape(token.content)))
        elif token.type == "link_open":
            stack.append((str(token.attrGet("href") or ""), []))
        elif token.type == "link_close" and len(stack) > 1:
            href, label = stack.pop()
            stack[-1][1].append(_link(href, "".join(label)))
        elif kind in _INLINE_MARKS and edge in ("open", "close") and marks:
            out.append(_INLINE_MARKS[kind])
            spans += 1 if edge == "open" else -1
    return "".join(part for _, parts in stack for part in parts)


_MRKDWN = Style(
    inline=lambda tokens, marks: _inline(tokens, marks=marks),
    heading=lambda text: f"*{text}*",
    code=lambda text: f"{_FENCE}\n{escape(text)}\n{_FENCE}",
    bullet="• ",
)


def markdown_to_mrkdwn(text: str) -> str:
    """Render Markdown as Slack mrkdwn; every character of `text` is escaped."""
    return BlockWriter(_MRKDWN).render(safe_markdown(WEB_SCHEMES).parse(text))


def mrkdwn_to_markdown(text: str) -> str:
    """What a person typed in Slack (its `<…>` and entities already read) as Markdown that
    shows it as Slack did: `*bold*`, `_italic_`, `~strike~` and code as marks, everything
    else as typed (a path's backslashes, a lone `*`), not as CommonMark would read it."""
    parts, end = [], 0
    for code in _SLACK_CODE.finditer(text):
        parts += [_marks(literal(text[end : code.start()])), _code(code)]
        end = code.end()
    return "".join([*parts, _marks(literal(text[end:]))])


def _marks(escaped: str) -> str:
    for pattern, ours in _SLACK_MARKS.values():
        escaped = pattern.sub(rf"{ours}\1{ours}", escaped)
    return escaped


def _code(found: re.Match[str]) -> str:
    """Slack's code as CommonMark's: a block of several lines on lines of its own."""
    block = found[1]
    if block is None or "\n" not in block:
        return found[0]
    return f"\n{_FENCE}\n{block.strip(chr(10))}\n{_FENCE}\n"


def styles_of(blocks: Iterable[Any]) -> frozenset[str]:
    """The styles ("bold", "italic", "strike") Slack's client gave some of a message's
    words, by its rich_text `blocks`."""
    found: set[str] = set()
    pending = list(blocks)
    while pending:
        item = pending.pop()
        if not isinstance(item, Mapping):
            continue
        elements, style = item.get("elements"), item.get("style")
        pending.extend(elements if isinstance(elements, list) else ())
        if isinstance(style, Mapping):
            found |= {name for name in _PLAIN_SPANS if style.get(name)}
    return frozenset(found)


def unmarked(text: str, styles: Iterable[str]) -> str:
    """What a user typed in Slack (its `<…>` and entities already read) as the words Slack
    showed: the spans of `styles` (those its blocks say Slack formatted: `styles_of`)
    without their marks, which a desk elsewhere would show as stray stars; code keeps its
    backticks, and everything else stays as typed ("~/docs", "*.pst", "__init__")."""
    spans = [_PLAIN_SPANS[style] for style in styles if style in _PLAIN_SPANS]
    parts, end = [], 0
    for code in _SLACK_CODE.finditer(text):
        parts += [_unmark(text[end : code.start()], spans), code[0]]
        end = code.end()
    return "".join([*parts, _unmark(text[end:], spans)])


def _unmark(text: str, spans: Sequence[re.Pattern[str]]) -> str:
    for span in spans:
        text = span.sub(r"\1", text)
    return text
