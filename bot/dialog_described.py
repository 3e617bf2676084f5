"""What the user says the problem is, after a bare request for a person ("human please", no
question before it) became a ticket: the bot asked, and waits in the state
"describe:<ticket number>" for the next message that describes something (not a greeting,
a command or another intent). Words of urgency alone ("срочно!") may raise the ticket's
priority (`Decision.urged`) and the bot asks again. What it says becomes the ticket's
subject (`Decision.described`; the effects add it under the description of a ticket that
has one: the user asked for a person again while it was open), and is answered from the KB
like any question when the KB knows it. The engine drops the wait after `COMMENT_MINUTES`,
as it does the wait for what went wrong after a low rating (`bot/intake.py`).

Functions of the `Dialog` (bot/dialog.py).
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from bot.turns import Decision, State, Turn
from bot.waits import DESCRIBING

if TYPE_CHECKING:
    from bot.dialog import Dialog

__all__ = ["DESCRIBING", "described"]


def described(dialog: Dialog, turn: Turn) -> Decision | None:
    """A message in the wait: kept as the ticket's subject if it says more than words of
    urgency or politeness (`Turn.topic`), and answered from the KB when it answers or
    suggests (a miss asks nothing more: the ticket has it now); "срочно!" alone is asked
    again what the problem is. None for what the dialog deals with as at any time (an
    intent, emoji, a file): the wait goes on."""
    if turn.intent is not None or not any(char.isalnum() for char in turn.text):
        return None
    number = int(turn.state.name.removeprefix(DESCRIBING) or 0)
    if not turn.topic:  # "срочно!" raises the ticket, as it raises a request in the queue
        return replace(dialog.say(turn, "describe_ticket"), urged=(number, turn.text))
    idle = replace(turn, state=replace(turn.state, name="idle"))
    best = turn.matches[0][1] if turn.matches else 0.0
    if best >= dialog.suggest_threshold:
        decision = dialog.decide(idle)
    else:
        decision = Decision((), State("idle", question=turn.text))
    return replace(decision, described=(number, turn.text))
