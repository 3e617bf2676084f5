"""The conversation engine's decisions: what to say next, given one turn.

`Dialog.decide` is pure: it takes the conversation's state, the user's text or pressed button
and the KB's matches, and returns a `Decision` (what to say, the next state, what to record).
`bot/engine.py` loads the state, performs the decision's effects and stores the new state.

States: "idle" (ready for a question), "rephrase" (the last question found nothing and the
user was asked to put it differently), "offered" (a person was offered after a second miss),
"office:<reason>" (a handoff for a job on site waits for the user to say which office they
are in: the office decides who goes there).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace

from bot.knowledge.article import Article
from bot.phrases import Phrases
from bot.turns import Choice, Decision, Handoff, Record, Say, State, Turn

__all__ = ["Dialog"]

_ASKING_OFFICE = "office:"  # the state's name while a handoff waits for the office, + reason


@dataclass(frozen=True, slots=True)
class Dialog:
    """Decides each turn; thresholds split answer / did-you-mean / no match."""

    phrases: Phrases
    articles: Mapping[str, Article]
    answer_threshold: float
    suggest_threshold: float
    max_suggestions: int = field(default=3)
    offices: tuple[str, ...] = ()  # the configured offices' names, for /office

    def decide(self, turn: Turn) -> Decision:
        """The decision for one turn."""
        if turn.action is not None:
            return self._pressed(turn)
        if turn.text.startswith("/"):
            return self._command(turn)
        if turn.state.name.startswith(_ASKING_OFFICE):
            return self._office_for_handoff(turn, turn.text.strip())
        if not any(char.isalnum() for char in turn.text):
            return self._say(turn, "attachment" if turn.attachments else "empty")
        if turn.intent == "person":  # about the question being dealt with (its tried articles)
            question = turn.state.question or turn.text
            return self._handoff(turn, "asked_for_person", question, words=turn.text)
        if turn.intent == "outage":  # many people affected: straight to the queue, urgent
            return self._handoff(turn, "outage", turn.text)
        if turn.intent in ("greeting", "thanks", "help"):
            return self._say(turn, turn.intent)
        if turn.intent == "tickets":
            return Decision((), turn.state, tickets=True)
        return self._question(turn)

    def _t(self, turn: Turn, key: str, **params: object) -> str:
        return self.phrases.get(turn.language, key, **params)

    def _say(self, turn: Turn, key: str, state: State | None = None) -> Decision:
        return Decision((Say(self._t(turn, key)),), state or turn.state)

    # Questions -----------------------------------------------------------------------------

    def _question(self, turn: Turn) -> Decision:
        best = turn.matches[0] if turn.matches else None
        if best is not None and best[1] >= self.answer_threshold:
            decision = self._answer(turn, best[0], best[1], question=turn.text)
        elif best is not None and best[1] >= self.suggest_threshold:
            decision = self._suggest(turn)
        else:
            decision = self._miss(turn, best)
        if turn.truncated:
            notice = Say(self._t(turn, "long_message"))
            decision = replace(decision, says=(notice, *decision.says))
        return decision

    def _answer(
        self, turn: Turn, article: Article, confidence: float, *, question: str
    ) -> Decision:
        text = (
            f"**{article.title_in(turn.language)}**\n\n{article.answer_in(turn.language)}"
            f"\n\n{self._t(turn, 'answer_footer')}"
        )
        choices = (
            Choice(self._t(turn, "helped_button"), "helped", article.id),
            Choice(self._t(turn, "not_helped_button"), "not_helped", article.id),
        )
        state = State("idle", turn.state.misses, question, _last(turn.state.tried, article.id))
        return Decision((Say(text, choices, answered=(article.id, confidence)),), state)

    def _suggest(self, turn: Turn) -> Decision:
        candidates = [a for a, c in turn.matches if c >= self.suggest_threshold]
        choices = tuple(
            Choice(a.title_in(turn.language), "show", a.id)
            for a in candidates[: self.max_suggestions]
        )
        choices += (Choice(self._t(turn, "none_of_these"), "none_of_these"),)
        state = State("idle", turn.state.misses, turn.text, turn.state.tried)
        return Decision((Say(self._t(turn, "did_you_mean"), choices),), state)

    def _miss(self, turn: Turn, best: tuple[Article, float] | None) -> Decision:
        record = Record(
            "unanswered",
            turn.text,
            reason="no_match",
            article_id=best[0].id if best else None,
            confidence=best[1] if best else None,
        )
        if turn.state.misses == 0:
            state = State("rephrase", 1, turn.text, turn.state.tried)
            return Decision((Say(self._t(turn, "rephrase")),), state, records=(record,))
        question = f"{turn.state.question}\n{turn.text}".strip()
        return Decision(
            (Say(self._t(turn, "offer_person"), self._person_choices(turn)),),
            State("offered", turn.state.misses + 1, question, turn.state.tried),
            records=(record,),
        )

    def _person_choices(self, turn: Turn) -> tuple[Choice, ...]:
        return (
            Choice(self._t(turn, "talk_to_person"), "person"),
            Choice(self._t(turn, "no_thanks"), "decline"),
        )

    def _handoff(
        self, turn: Turn, reason: str, question: str, *, about: str = "", words: str = ""
    ) -> Decision:
        """The port's reply (a ticket number today) is added by the engine. The handoff is
        about the article last shown, or `about` (the one whose "didn't help" was pressed).
        A job on site for a user who has not named their office waits for the office."""
        tried = _last(turn.state.tried, about) if about else turn.state.tried
        question = question or turn.state.question
        if self._needs_office(turn, tried):
            if words and words != question:  # kept for the request's urgency and the agent
                question = f"{question}\n{words}"
            choices = (*self._office_choices(), Choice(self._t(turn, "office_skip"), "office"))
            state = State(f"{_ASKING_OFFICE}{reason}", turn.state.misses, question, tried)
            return Decision((Say(self._t(turn, "office_for_handoff"), choices),), state)
        return Decision((), State(), handoff=Handoff(reason, question, tried, words))

    def _needs_office(self, turn: Turn, tried: tuple[str, ...]) -> bool:
        article = self.articles.get(tried[-1]) if tried else None
        return (
            bool(self.offices) and turn.office is None and article is not None and article.on_site
        )

    def _office_for_handoff(self, turn: Turn, answer: str) -> Decision:
        """The answer to "which office?" before a handoff for a job on site: an office's name
        (pressed or typed) is taken; anything else hands off without one (typed words are
        added to the question, so nothing the user wrote is lost)."""
        state = turn.state
        found = self._office_named(answer)
        question = state.question
        if found is None and answer and turn.action is None:
            question = f"{question}\n{answer}"
        says = (Say(self._t(turn, "office_set", office=found)),) if found else ()
        handoff = Handoff(state.name.removeprefix(_ASKING_OFFICE), question, state.tried)
        return Decision(says, State(), handoff=handoff, office=found)

    # Buttons and commands ------------------------------------------------------------------

    def _pressed(self, turn: Turn) -> Decision:
        action, argument, state = turn.action or "", turn.argument, turn.state
        article = self.articles.get(argument)
        if action in ("show", "helped", "not_helped") and article is None:
            return self._say(turn, "button_unknown")
        if action == "show" and article is not None:
            return self._answer(turn, article, 1.0, question=state.question)
        if action == "helped":
            record = Record("helped", state.question, article_id=argument)
            return Decision((Say(self._t(turn, "helped")),), State(), records=(record,))
        if action == "not_helped":
            record = Record("not_helped", state.question, reason="not_helped", article_id=argument)
            decision = self._handoff(turn, "not_helped", state.question, about=argument)
            return replace(decision, records=(record,))
        if action == "none_of_these":
            return self._none_of_these(turn)
        if action == "person":
            return self._handoff(turn, "no_answer", state.question)
        if action == "decline":
            return self._say(turn, "declined", State())
        if action == "office" and state.name.startswith(_ASKING_OFFICE):
            return self._office_for_handoff(turn, argument)
        if action == "office":
            return self._office(turn, argument)
        if action == "rate":
            return self._rate(turn, argument)
        if action.startswith("withdraw") and argument.isdigit():  # stored with the button
            return self._withdraw(turn, action, int(argument))
        return self._say(turn, "button_unknown")

    def _withdraw(self, turn: Turn, action: str, number: int) -> Decision:
        """The ticket list's "Withdraw #12" asks first (the effects ask, with "Yes, withdraw"
        and "Keep it", if it is still open): a mis-tap must not lose a ticket."""
        if action == "withdraw":
            return Decision((), turn.state, confirm_withdraw=number)
        if action == "withdraw_confirmed":
            return Decision((), turn.state, withdraw=number)
        if action == "withdraw_kept":
            return Decision((Say(self._t(turn, "ticket_kept", number=number)),), turn.state)
        return self._say(turn, "button_unknown")

    def _rate(self, turn: Turn, argument: str) -> Decision:
        """A press of 1–5 under "the agent closed the chat"; the argument is "handoff:score",
        stored with the button (never sent by the client)."""
        handoff, _, score = argument.partition(":")
        if not (handoff.isdigit() and score.isdigit() and 1 <= int(score) <= 5):
            return self._say(turn, "button_unknown")
        record = Record("rated", "", rating=(int(handoff), int(score)))
        return Decision((Say(self._t(turn, "rated")),), turn.state, records=(record,))

    def _none_of_these(self, turn: Turn) -> Decision:
        record = Record("unanswered", turn.state.question, reason="none_of_these")
        if turn.state.misses == 0:
            state = State("rephrase", 1, turn.state.question, turn.state.tried)
            return Decision((Say(self._t(turn, "rephrase")),), state, records=(record,))
        decision = self._handoff(turn, "none_of_these", turn.state.question)
        return replace(decision, records=(record,))

    def _command(self, turn: Turn) -> Decision:
        name, _, rest = turn.text[1:].partition(" ")
        name, argument = name.casefold(), rest.strip().casefold()
        if name == "start":
            return self._say(turn, "welcome", State())
        if name == "help":
            return self._say(turn, "help")
        if name == "cancel":
            key = "nothing_to_cancel" if turn.state == State() else "cancelled"
            return self._say(turn, key, State())
        if name == "lang":
            return self._language(turn, argument)
        if name == "office":
            return self._office(turn, rest.strip())
        if name == "tickets":  # the list comes from the database: effects adds it
            return Decision((), turn.state, tickets=True)
        return self._question(replace(turn, text=turn.text[1:]))

    def _language(self, turn: Turn, argument: str) -> Decision:
        if argument not in ("ru", "en", "auto"):
            return self._say(turn, "language_usage")
        if argument == "auto":
            return replace(self._say(turn, "language_auto"), language="auto")
        shown = replace(turn, language=argument)
        return replace(self._say(shown, "language_set"), language=argument)

    def _office(self, turn: Turn, wanted: str) -> Decision:
        """/office lists the offices as buttons; /office <name> (or its button) picks one."""
        if not self.offices:
            return self._say(turn, "office_none")
        found = self._office_named(wanted)
        if found is not None:
            return Decision(
                (Say(self._t(turn, "office_set", office=found)),), turn.state, office=found
            )
        current = turn.office or self._t(turn, "office_not_chosen")
        key = "office_unknown" if wanted else "office_choose"
        text = self._t(turn, key, office=current, name=wanted[:64])
        return Decision((Say(text, self._office_choices()),), turn.state)

    def _office_named(self, name: str) -> str | None:
        return next((o for o in self.offices if o.casefold() == name.casefold()), None)

    def _office_choices(self) -> tuple[Choice, ...]:
        return tuple(Choice(name, "office", name) for name in self.offices)


def _last(tried: tuple[str, ...], article: str) -> tuple[str, ...]:
    """The articles shown, with `article` moved (or added) to the end: the latest."""
    return (*(a for a in tried if a != article), article)
