"""What a command decides: /start, /help, /cancel, /lang, /office and /tickets; any other
"/word …" is told it is no command of ours and pointed at /help. A text that only starts with
a slash ("/etc/hosts is empty") is no command: it is a question like any other.

Functions of the `Dialog` (bot/dialog.py).
"""

from __future__ import annotations

import re
from dataclasses import replace
from typing import TYPE_CHECKING

from bot.dialog_offices import OFFICE_ANSWER, pick_office
from bot.handoff.port import REOPEN, TAKEOVER_COMMANDS
from bot.ratings import RATINGS
from bot.turns import Decision, State, Turn

if TYPE_CHECKING:
    from bot.dialog import Dialog

__all__ = ["OWN_BUTTONS", "USER_COMMANDS", "command", "is_command", "is_own_command"]

# The commands a user may type (/stop is the handoff's: it ends a chat, as /cancel does).
USER_COMMANDS = ("start", "help", "cancel", "stop", "lang", "office", "tickets")

# A command's shape, as Telegram's (bot/adapters/telegram/convert.py): "/name", then a space
# or nothing; "/etc/hosts" or "/ vpn" are not commands.
_COMMAND = re.compile(r"/\w+(?:\s.*)?", re.DOTALL)

# The buttons under the answers to the bot's own commands (an office to pick, a ticket to
# withdraw) are the bot's even while a person has the chat (see `is_own_command`), and so
# is a rating of an earlier chat or ticket, or its "Still not solved" (pressed late, while a
# new request waits).
OWN_BUTTONS = frozenset(
    {"office", OFFICE_ANSWER, "withdraw", "withdraw_confirmed", "withdraw_kept", REOPEN, *RATINGS}
)


def is_command(text: str) -> bool:
    """Whether `text` is a command ("/name …") rather than a question."""
    return _COMMAND.fullmatch(text.strip()) is not None


def is_own_command(text: str) -> bool:
    """Whether `text` is one of the bot's own commands (/help, /lang, /office, /tickets) or
    one it does not know ("/foo"): it answers them itself while the user waits for or talks
    to an agent, instead of relaying them to the desk (an agent would read a stray "/foo";
    the user is told it is no command, as at any other time). /cancel, /stop and /start
    are not among them: the handoff takes them (`TAKEOVER_COMMANDS`: /cancel leaves the
    queue or the chat, /start is told which of them they are in, never greeted as if
    nothing were going on); none is relayed."""
    return is_command(text) and _split(text)[0] not in TAKEOVER_COMMANDS


def _split(text: str) -> tuple[str, str]:
    """A command's name (case-folded) and what follows it, from "/name rest"."""
    name, _, rest = text.strip()[1:].partition(" ")
    return name.casefold(), rest.strip()


def command(dialog: Dialog, turn: Turn) -> Decision:
    """The decision for a text that starts with "/"."""
    name, rest = _split(turn.text)
    argument = rest.casefold()
    if name == "start":
        return dialog.say(turn, "welcome", State())
    if name == "help":
        return dialog.say(turn, "help")
    if name == "cancel":
        key = "nothing_to_cancel" if turn.state == State() else "cancelled"
        return dialog.say(turn, key, State())
    if name == "lang":
        return _language(dialog, turn, argument)
    if name == "office":
        return pick_office(dialog, turn, rest)
    if name == "tickets":  # the list comes from the database: effects adds it
        return Decision((), turn.state, tickets=True)
    # Not a question: the KB is never searched for a command (see Engine._matches), so taking
    # it as one would only count a miss and a KB gap for a mistyped command.
    return dialog.say(turn, "unknown_command")


def _language(dialog: Dialog, turn: Turn, argument: str) -> Decision:
    if argument not in ("ru", "en", "auto"):
        return dialog.say(turn, "language_usage")
    if argument == "auto":
        return replace(dialog.say(turn, "language_auto"), language="auto")
    shown = replace(turn, language=argument)
    return replace(dialog.say(shown, "language_set"), language=argument)
