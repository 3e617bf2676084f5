"""The user's rating of the help (buttons 1–5, see `bot/ratings.py`) in the dialog, and what
went wrong after a low one: the bot asks, and waits in the state "comment:<action>:<number>"
for the next message, kept with the rating unless it is something else the bot deals with
(a question the KB answers, a request for a person, a greeting…). The engine drops the wait
after `COMMENT_MINUTES` (`bot/intake.py`).

Functions of the `Dialog` (bot/dialog.py).
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from bot.ratings import LOW_RATING
from bot.turns import Decision, Record, Say, Turn

if TYPE_CHECKING:
    from bot.dialog import Dialog

__all__ = ["COMMENTING", "COMMENT_MINUTES", "RATING_COMMENT", "commented", "rate"]

COMMENTING = "comment:"  # the state's name while the bot waits for what went wrong, + rating
COMMENT_MINUTES = 10  # how long a message is taken as that (then a new question)
RATING_COMMENT = "rating_comment"  # a Record's kind: `about` is the rating's (action, number)


def rate(dialog: Dialog, turn: Turn, action: str, argument: str) -> Decision | None:
    """A press of 1–5 under "the agent closed the chat" or "your ticket is resolved":
    recorded under its action; the argument is "number:score", stored with the button
    (never sent by the client). None for an argument that is not one. Pressed late, while
    a new request of the user waits for or is with an agent (`Turn.served`), it is thanked
    for and nothing is asked: the user's next message is that request's."""
    number, _, score = argument.partition(":")
    if not (number.isdigit() and score.isdigit() and 1 <= int(score) <= 5):
        return None
    record = Record(action, "", rating=(int(number), int(score)))
    state, key = turn.state, "rated"
    if turn.served:  # what they write next goes to the agent: it could be no comment
        key = "rated_in_request"
    elif int(score) <= LOW_RATING and state.name == "idle":
        state, key = replace(state, name=f"{COMMENTING}{action}:{number}"), "rated_low"
    return Decision((Say(dialog.phrase(turn, key)),), state, records=(record,))


def commented(dialog: Dialog, turn: Turn) -> Decision:
    """The message after "What went wrong?": kept with the rating, unless the bot has
    something else to do with it (then it is that, and the bot waits no more). A message
    that names the agent ("оператор отвечал долго") is kept: only one that asks for a person
    and says nothing else is a request."""
    state = replace(turn.state, name="idle")
    best = turn.matches[0][1] if turn.matches else 0.0
    # "the agent was slow and rude" names a person without asking for one: what is left
    # besides the person word (`Turn.topic`) says so; "I want a human" leaves nothing
    about_one = turn.intent == "person" and bool(turn.topic)
    answered = (turn.intent is not None and not about_one) or best >= dialog.answer_threshold
    if answered or not any(char.isalnum() for char in turn.text):  # that, or emoji only
        return dialog.decide(replace(turn, state=state))
    action, _, number = turn.state.name.removeprefix(COMMENTING).partition(":")
    record = Record(RATING_COMMENT, turn.text, about=(action, int(number or 0)))
    return Decision((Say(dialog.phrase(turn, "rating_comment_kept")),), state, records=(record,))
