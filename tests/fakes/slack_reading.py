"""What a person reads in Slack for a mrkdwn text: its characters, and those shown bold,
italic, struck or as code. A model of Slack's reading, for tests that check what an agent
sees, not the exact mrkdwn the bot chose:

- `&amp;`, `&lt;` and `&gt;` are the characters they stand for;
- `<!date^…^{format}|fallback>` with a format Slack does not know shows its fallback as
  plain text (https://api.slack.com/reference/surfaces/formatting#date-formatting);
  `<url|label>` shows the label, `<url>` the address;
- a mark (`*`, `_`, `~`, `` ` ``) opens after the start or a character that is not a letter
  or digit, before one that is not a space, and closes at the next same mark that follows
  a character that is not a space, whatever comes after it ("_this_text" is italic).
  That is as eager as Slack, or more: a text this model reads as plain, Slack does too.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Final

__all__ = ["Reading", "slack_reads"]

_MARKS: Final = "*_~`"
_ANGLE: Final = re.compile(r"<([^<>]*)>")
_ENTITIES: Final = {"&amp;": "&", "&lt;": "<", "&gt;": ">"}


@dataclass(frozen=True, slots=True)
class Reading:
    """The characters shown, and each run of them shown styled (bold, italic…)."""

    text: str
    styled: tuple[str, ...]


def slack_reads(mrkdwn: str) -> Reading:
    """What Slack shows for `mrkdwn`."""
    chars = _characters(mrkdwn)
    shown: list[str] = []
    styled: list[str] = []
    at = 0
    while at < len(chars):
        char, plain = chars[at]
        end = -1 if plain or char not in _MARKS else _closing(chars, at)
        if end < 0:
            shown.append(char)
            at += 1
            continue
        run = "".join(c for c, _ in chars[at + 1 : end])
        shown.append(run)
        styled.append(run)
        at = end + 1
    return Reading("".join(shown), tuple(styled))


def _closing(chars: list[tuple[str, bool]], at: int) -> int:
    """Where the mark at `at` closes, if it opens there (-1: it does not)."""
    mark = chars[at][0]
    before = chars[at - 1][0] if at else " "
    after, after_plain = chars[at + 1] if at + 1 < len(chars) else (" ", False)
    if before.isalnum() or after.isspace() or (after == mark and not after_plain):
        return -1
    for end in range(at + 2, len(chars)):
        char, plain = chars[end]
        if char == mark and not plain and not chars[end - 1][0].isspace():
            return end
    return -1


def _characters(mrkdwn: str) -> list[tuple[str, bool]]:
    """Each character shown, and whether it is plain whatever it is (a date's fallback)."""
    out: list[tuple[str, bool]] = []
    end = 0
    for found in _ANGLE.finditer(mrkdwn):
        out += [(c, False) for c in _decoded(mrkdwn[end : found.start()])]
        target, _, label = found[1].partition("|")
        plain = target.startswith("!date^")
        out += [(c, plain) for c in _decoded(label or target)]
        end = found.end()
    return out + [(c, False) for c in _decoded(mrkdwn[end:])]


def _decoded(text: str) -> str:
    return re.sub("&(amp|lt|gt);", lambda m: _ENTITIES[m[0]], text)
