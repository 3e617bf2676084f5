"""What the user says the problem is, after a bare request for a person ("human please", no
question before it) became a ticket: the bot asked, and waits in the state
"describe:<ticket number>" for the next message that describes something (not a greeting,
a command or another intent). It becomes the ticket's subject (`Decision.described`; the
effects add it only to a ticket that has none yet), and is answered from the KB like any
question when the KB knows it. The engine drops the wait after `COMMENT_MINUTES`, as it
does the wait for what went wrong after a low rating (`bot/intake.py`).

Functions of the `Dialog` (bot/dialog.py).
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from bot.turns import Decision, State, Turn

if TYPE_CHECKING:
    from bot.dialog import Dialog

__all__ = ["DESCRIBING", "described"]

DESCRIBING = "describe:"  # the state's name while the bot waits for the problem, + ticket


def described(dialog: Dialog, turn: Turn) -> Decision | None:
    """A message in the wait: kept as the ticket's subject if it says more than words of
    urgency or politeness (`Turn.topic`), and answered from the KB when it answers or
    suggests (a miss asks nothing more: the ticket has it now); "срочно!" alone is asked
    again what the problem is. None for what the dialog deals with as at any time (an
    intent, emoji, a file): the wait goes on."""
    if turn.intent is not None or not any(char.isalnum() for char in turn.text):
        return None
    if not turn.topic:
        return dialog.say(turn, "describe_ticket")
    number = int(turn.state.name.removeprefix(DESCRIBING) or 0)
    idle = replace(turn, state=replace(turn.state, name="idle"))
    best = turn.matches[0][1] if turn.matches else 0.0
    if best >= dialog.suggest_threshold:
        decision = dialog.decide(idle)
    else:
        decision = Decision((), State("idle", question=turn.text))
    return replace(decision, described=(number, turn.text))
