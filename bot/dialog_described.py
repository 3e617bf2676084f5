"""What the user says the problem is, after a bare request for a person ("human please", no
question before it) became a ticket: the bot asked, and waits in the state
"describe:<ticket number>" for the next message that describes something (not a greeting,
a command or another intent). Words of urgency alone ("срочно!") may raise the ticket's
priority (`Decision.urged`) and the bot asks again. What it says becomes the ticket's
subject (`Decision.described`; the effects add it under the description of a ticket that
has one: the user asked for a person again while it was open), and is answered from the KB
like any question when the KB knows it. The engine drops the wait after `COMMENT_MINUTES`,
as it does the wait for what went wrong after a low rating (`bot/intake.py`).

It waits so too after a ticket was opened because the articles shown did not help (the
state keeps them as `tried`): what the user says next ("the display says paper jam") is a
detail of it, added to the ticket and never answered with those articles again; a question
another article answers is a new one, answered and not added.

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
    tried = turn.state.tried  # the articles that did not help before the ticket: none if asked
    if tried and turn.urgent_alone:  # "срочно!": as at any time (the newest ticket is this)
        return None
    if not turn.topic and not tried:  # "срочно!" raises it, as it raises a queued request
        return replace(dialog.say(turn, "describe_ticket"), urged=(number, turn.text))
    idle = replace(turn, state=State("idle", turn.state.misses))
    article, best = turn.matches[0] if turn.matches else (None, 0.0)
    if tried:  # a detail, never those articles again; unless another answers it: not the
        if article is not None and article.id not in tried and best >= dialog.answer_threshold:
            return dialog.decide(idle)  # ticket's problem, a question of its own
        best = 0.0
    if best >= dialog.suggest_threshold:
        decision = dialog.decide(idle)
    else:
        # a detail is no question of its own: "human" next is about the ticket as it is
        decision = Decision((), State("idle", question="" if tried else turn.text))
    return replace(decision, described=(number, turn.text))
