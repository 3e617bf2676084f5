"""What a pressed button decides: an answer's "Helped" / "Didn't help", a "Did you mean"
choice or "None of these", a person offered or declined, an office, a rating of the help,
withdrawing a ticket from the user's list (asked first), and reopening a resolved one.

A button's action and argument were stored with it when the bot sent it, and the engine
found them by the pressed key: nothing here comes from the client. Functions of the
`Dialog` (bot/dialog.py).
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from bot.dialog_offices import ASKING_OFFICE, OFFICE_ANSWER, office_for_handoff, pick_office
from bot.dialog_ratings import rate
from bot.handoff.port import REOPEN
from bot.ratings import RATINGS
from bot.turns import Decision, Record, Say, State, Turn

if TYPE_CHECKING:
    from bot.dialog import Dialog

__all__ = ["pressed"]


def pressed(dialog: Dialog, turn: Turn) -> Decision:
    """The decision for a pressed button; one it does not know (or whose article is gone) is
    said to be so, as a refusal."""
    action, argument, state = turn.action or "", turn.argument, turn.state
    article = dialog.articles.get(argument)
    if action in ("show", "helped", "not_helped") and article is None:
        return _stale(dialog, turn)
    asked = state.question if turn.asked is None else turn.asked  # the question it came for
    if action == "show" and article is not None:
        return dialog.answer(turn, article, 1.0, question=asked)
    if action in ("helped", "not_helped"):
        return _feedback(dialog, turn, action == "helped")
    if action == "none_of_these":
        return _none_of_these(dialog, turn, asked, article.id if article else None)
    if action == "person":
        return dialog.handoff(turn, "no_answer", asked)
    if action == "decline":  # an earlier offer's: the newer question stands
        return dialog.say(turn, "declined", State() if turn.asked is None else state)
    if action in ("office", OFFICE_ANSWER) and state.name.startswith(ASKING_OFFICE):
        return office_for_handoff(dialog, turn, argument)
    if action == "office":
        return pick_office(dialog, turn, argument)
    if action in RATINGS:
        return rate(dialog, turn, action, argument) or _stale(dialog, turn)
    if action == "rated_again":  # a score typed under rating buttons already used
        return dialog.say(turn, "rated_again")
    if action.startswith("withdraw") and argument.isdigit():  # stored with the button
        return _withdraw(dialog, turn, action, int(argument))
    if action == REOPEN and argument.isdigit():  # the effects reopen it, if it may be
        return Decision((), turn.state, reopen=int(argument))
    return _stale(dialog, turn)


def _feedback(dialog: Dialog, turn: Turn, helped: bool) -> Decision:
    """An answer's "Helped" / "Didn't help": about the question it answered. Under an
    earlier answer (the user asked something else since), "Helped" leaves the newer
    question as it stands, and "Didn't help" hands off that answer's question, not it."""
    state, article = turn.state, turn.argument
    question = state.question if turn.asked is None else turn.asked
    if helped:
        record = Record("helped", question, article_id=article)
        earlier = question != state.question
        return Decision(
            (Say(dialog.phrase(turn, "helped")),), state if earlier else State(), records=(record,)
        )
    record = Record("not_helped", question, reason="not_helped", article_id=article)
    decision = dialog.handoff(turn, "not_helped", question, about=article)
    return replace(decision, records=(record,))


def _stale(dialog: Dialog, turn: Turn) -> Decision:
    """The press is not taken: what its button did is not known any more (a key the core
    does not have, an article taken out of the KB since). Told to the presser alone, like a
    button pressed again: nothing in a group is about it."""
    return replace(dialog.say(turn, "button_unknown"), refused=True)


def _withdraw(dialog: Dialog, turn: Turn, action: str, number: int) -> Decision:
    """The ticket list's "Withdraw #12" asks first (the effects ask, with "Yes, withdraw"
    and "Keep it", if it is still open): a mis-tap must not lose a ticket."""
    if action == "withdraw":
        return Decision((), turn.state, confirm_withdraw=number)
    if action == "withdraw_confirmed":
        return Decision((), turn.state, withdraw=number)
    if action == "withdraw_kept":
        return Decision((Say(dialog.phrase(turn, "ticket_kept", number=number)),), turn.state)
    return _stale(dialog, turn)


def _none_of_these(dialog: Dialog, turn: Turn, question: str, offered: str | None) -> Decision:
    """`offered`: the first article "Did you mean" offered, if the KB still has it."""
    record = Record("unanswered", question, reason="none_of_these", article_id=offered)
    if turn.state.misses == 0:
        state = State("rephrase", 1, question, turn.state.tried)
        return Decision((Say(dialog.phrase(turn, "rephrase")),), state, records=(record,))
    decision = dialog.handoff(turn, "none_of_these", question)
    return replace(decision, records=(record,))
