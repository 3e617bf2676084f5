"""Which of the bot's buttons a user's action is about (`intake.turn_for`): the one pressed,
or the one a typed answer presses ("да" to the offer of a person, "нет" under "Did you mean"
one article, "не помогло" under an answer; a score under the rating buttons is
`buttons.typed_rating`'s), and, for a button of the dialog's own questions (an answer's
Helped / Didn't help, a "Did you mean" pick, the offer of a person) pressed once the dialog
has moved on, what the user had asked when it came.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Final

from bot.handoff.port import REOPEN
from bot.ratings import RATINGS
from bot.storage import repo
from bot.storage.models import ButtonAction, Conversation
from bot.turns import OFFERED, State, Turn

__all__ = ["ANSWERS_ONLY", "pressed_turn", "typed_answer"]

_FEEDBACK: Final = ("helped", "not_helped")  # an answer's buttons: about its question
_SUGGESTIONS: Final = ("show", "none_of_these")  # "Did you mean"'s: about its question
_OFFER: Final = ("person", "decline")  # the offer of a person's: about the question missed
# The buttons of the dialog's own questions: any of them sent later, the dialog moved on
_DIALOG: Final = ("helped", "not_helped", "show", "none_of_these", "person", "decline")
# A typed answer to the bot's question: its intent, and the button it presses (the offer of
# a person's; "Did you mean" one article's)
_ANSWERS: Final = {"accept": "person", "ok": "person", "decline": "decline"}
_SUGGESTED: Final = {"accept": "show", "decline": "none_of_these"}
ANSWERS_ONLY: Final = ("accept", "decline", "not_helped")  # no intent of their own


async def pressed_turn(
    base: Turn,
    conversation: Conversation,
    button: ButtonAction | None,
    *,
    typed: bool,
    pressed: bool,
) -> Turn | None:
    """The turn of a press of `button` (None: a key of no button of the user's), or of a typed
    answer that presses it (`typed`); `pressed`: counted already. None for a button already
    used; typed again once used, "rated_again"."""
    status = "ok" if pressed else await repo.press_button(button)
    if status == "used" and not _asks_only(button):
        return replace(base, action="rated_again") if typed else None
    if button is None:
        return replace(base, action="unknown")
    served = button.action in RATINGS and await repo.has_open_request(conversation.user_id)
    asked = await _asked(button, base.state) if button.action in _DIALOG else None
    if asked is not None and button.action in _OFFER:  # not the answers shown since
        shown = await repo.shown_after(button)
        tried = tuple(a for a in base.state.tried if a not in shown)
        base = replace(base, state=replace(base.state, tried=tried))
    return replace(base, action=button.action, argument=button.argument, served=served, asked=asked)


async def _asked(button: ButtonAction, state: State) -> str | None:
    """What the user had asked when the reply with `button` came (an answer, "Did you mean",
    the offer of a person), if the dialog is no longer at that reply (None: it is, and
    `state.question` is that question): another question was asked since, or the
    conversation was handed off. An offer came after the missed question that asked it."""
    if button.action in _FEEDBACK:
        at_it = state.name == "idle" and state.tried[-1:] == (button.argument,)
    else:
        at_it = state.name == (OFFERED if button.action in _OFFER else "idle")
    if at_it and not await repo.followed(button, _DIALOG):
        return None
    return await repo.asked_before(button)


async def typed_answer(
    conversation: Conversation, state: State, intent: str | None
) -> ButtonAction | None:
    """The button a typed answer presses: the offer of a person's, "да", "ок" (`accept`,
    `ok`) its "Yes", "нет" (`decline`) its "No, thanks", while the bot waits for that
    answer; under "Did you mean" one article, "да" that article and "нет" "None of these";
    "не помогло" (`not_helped`) the "Didn't help" of the answer the conversation is at (the
    latest shown, nothing asked or handed off since). Each among the newest buttons only."""
    if intent == "not_helped" and state.name == "idle" and state.tried:
        button = await repo.typed_answer(conversation, "not_helped")
        return button if button is not None and button.argument == state.tried[-1] else None
    suggested = state.name == "idle" and state.question  # not after a handoff: it is moot
    answers = _ANSWERS if state.name == OFFERED else _SUGGESTED if suggested else {}
    action = answers.get(intent or "")
    return None if action is None else await repo.typed_answer(conversation, action)


def _asks_only(button: ButtonAction | None) -> bool:
    """A ticket list's "Withdraw #12": it only asks (or says why the ticket cannot be
    withdrawn), so it works after another button of its list was pressed: each says how its
    own ticket stands now, never "already used" for a ticket nothing was done to. So does a
    resolved ticket's "Still not solved" ("Reopen #12"), after its rating was pressed: the
    problem may come back days later, and a second press finds it open already."""
    return button is not None and button.action in ("withdraw", REOPEN)
