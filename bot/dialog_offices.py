"""The user's office in the dialog: /office and its buttons pick it, and a handoff for a job on
site asks for it first (the office decides who goes there), waiting in the state
"office:<reason>" until the user answers.

Functions of the `Dialog` (bot/dialog.py), which holds the configured offices' names and
aliases (bot/office_names.py reads what the user typed).
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from bot.markdown import literal
from bot.office_names import office_among, office_called
from bot.turns import Choice, Decision, Handoff, Say, State, Turn

if TYPE_CHECKING:
    from bot.dialog import Dialog

__all__ = [
    "ASKING_OFFICE",
    "OFFICE_ANSWER",
    "ask_office",
    "needs_office",
    "office_for_handoff",
    "pick_office",
]

ASKING_OFFICE = "office:"  # the state's name while a handoff waits for the office, + reason
# The buttons of that question: they answer it alone (stale once it is not asked, as after
# /cancel), where /office's "office" buttons pick one at any time.
OFFICE_ANSWER = "office_answer"
_AGAIN = "again:"  # after ASKING_OFFICE: asked once more, after a request for a person


def needs_office(dialog: Dialog, turn: Turn, tried: tuple[str, ...]) -> bool:
    """A handoff about the last of `tried` waits for the office: the article is a job on
    site, and the user has not picked one of the configured offices."""
    article = dialog.articles.get(tried[-1]) if tried else None
    return bool(dialog.offices) and turn.office is None and article is not None and article.on_site


def ask_office(
    dialog: Dialog, turn: Turn, *, reason: str, question: str, tried: tuple[str, ...], words: str
) -> Decision:
    """ "Which office?", with a button for each and one to skip; the handoff waits in the
    state."""
    if words and words != question:  # kept for the request's urgency and the agent
        question = f"{question}\n{words}"
    skip = Choice(dialog.phrase(turn, "office_skip"), OFFICE_ANSWER)
    choices = (*_office_choices(dialog, OFFICE_ANSWER), skip)
    state = State(f"{ASKING_OFFICE}{reason}", turn.state.misses, question, tried)
    return Decision((Say(dialog.phrase(turn, "office_for_handoff"), choices),), state)


def office_for_handoff(dialog: Dialog, turn: Turn, answer: str) -> Decision:
    """The answer to "which office?" before a handoff for a job on site: an office's name
    (pressed or typed, or the one office named among typed words) is taken; anything else
    hands off without one (typed words are added to the question, so nothing the user
    wrote is lost)."""
    state = turn.state
    if turn.intent == "person" and not state.name.startswith(f"{ASKING_OFFICE}{_AGAIN}"):
        return _ask_again(dialog, turn)
    found = _office_named(dialog, answer)
    question = state.question
    if found is None and answer and turn.action is None:
        question = f"{question}\n{answer}"  # with the office it names, if one ("я в Мск")
        found = office_among(answer, dialog.offices, dialog.office_aliases)
    says = (Say(dialog.phrase(turn, "office_set", office=found)),) if found else ()
    reason = state.name.removeprefix(ASKING_OFFICE).removeprefix(_AGAIN)
    handoff = Handoff(reason, question, state.tried)
    return Decision(says, State(), handoff=handoff, office=found)


def _ask_again(dialog: Dialog, turn: Turn) -> Decision:
    """A request for a person ("hello?? anyone") at "which office?" is no answer to it: a
    person is coming, once the office says who; asked once more, then the handoff goes."""
    decision = ask_office(
        dialog, turn, reason="", question=turn.state.question, tried=turn.state.tried, words=""
    )
    reason = turn.state.name.removeprefix(ASKING_OFFICE)
    state = replace(turn.state, name=f"{ASKING_OFFICE}{_AGAIN}{reason}")
    say = replace(decision.says[0], text=dialog.phrase(turn, "office_for_person"))
    return replace(decision, says=(say,), state=state)


def pick_office(dialog: Dialog, turn: Turn, wanted: str) -> Decision:
    """/office lists the offices as buttons; /office <name> (or its button) picks one, and
    answers "which office?" when a job on site waits for it."""
    if not dialog.offices:
        return dialog.say(turn, "office_none")
    found = _office_named(dialog, wanted)
    if found is not None and turn.state.name.startswith(ASKING_OFFICE):
        return office_for_handoff(dialog, turn, wanted)  # "/office Berlin" answers "which?"
    if found is not None:
        return Decision(
            (Say(dialog.phrase(turn, "office_set", office=found)),), turn.state, office=found
        )
    current = turn.office or dialog.phrase(turn, "office_not_chosen")
    key = "office_unknown" if wanted else "office_choose"
    text = dialog.phrase(turn, key, office=current, name=literal(wanted[:64]))
    return Decision((Say(text, _office_choices(dialog)),), turn.state)


def _office_named(dialog: Dialog, name: str) -> str | None:
    return office_called(name, dialog.offices, dialog.office_aliases)


def _office_choices(dialog: Dialog, action: str = "office") -> tuple[Choice, ...]:
    return tuple(Choice(name, action, name) for name in dialog.offices)
