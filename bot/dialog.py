"""The conversation engine's decisions: what to say next, given one turn.

`Dialog.decide` is pure: it takes the conversation's state, the user's text or pressed button
and the KB's matches, and returns a `Decision` (what to say, the next state, what to record).
`bot/engine.py` loads the state, performs the decision's effects and stores the new state.

States: "idle" (ready for a question), "rephrase" (the last question found nothing and the
user was asked to put it differently), "offered" (a person was offered after a second miss),
"office:<reason>" (a handoff for a job on site waits for the user to say which office they
are in: the office decides who goes there), "comment:<rating>" (after a low rating, the bot
asked what went wrong), "describe:<ticket>" (a bare request for a person became a ticket, and
the bot asked what the problem is: `dialog_described.py`).

Typed questions are decided here, and so is passing the conversation to a person; a pressed
button in `dialog_buttons.py` (a rating, and what went wrong, in `dialog_ratings.py`), a
command ("/lang", "/office", …) in `dialog_commands.py`, and the user's office (picked, or
asked for before a job on site) in `dialog_offices.py`. Those are functions of the `Dialog`,
which holds what they all read.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace

from bot.dialog_buttons import pressed
from bot.dialog_commands import command, is_command
from bot.dialog_described import DESCRIBING, described
from bot.dialog_offices import ASKING_OFFICE, ask_office, needs_office, office_for_handoff
from bot.dialog_ratings import COMMENTING, commented
from bot.knowledge.article import Article
from bot.phrases import Phrases
from bot.turns import ELSEWHERE, OFFERED, Choice, Decision, Handoff, Record, Say, State, Turn

__all__ = ["Dialog"]


@dataclass(frozen=True, slots=True)
class Dialog:
    """Decides each turn; thresholds split answer / did-you-mean / no match."""

    phrases: Phrases
    articles: Mapping[str, Article]
    answer_threshold: float
    suggest_threshold: float
    max_suggestions: int = field(default=3)
    offices: tuple[str, ...] = ()  # the configured offices' names, for /office
    office_aliases: Mapping[str, str] = field(default_factory=dict)  # alias → office's name

    def decide(self, turn: Turn) -> Decision:
        """The decision for one turn."""
        if turn.action is not None:
            return pressed(self, turn)
        if is_command(turn.text):
            return command(self, turn)
        if turn.state.name.startswith(ASKING_OFFICE) and turn.intent != "outage":
            return office_for_handoff(self, turn, turn.text.strip())  # an outage goes alone
        if turn.state.name.startswith(COMMENTING):
            return commented(self, turn)
        if turn.state.name.startswith(DESCRIBING) and (told := described(self, turn)):
            return told
        if not any(char.isalnum() for char in turn.text) and (
            turn.attachments or turn.intent is None  # emoji alone may be an intent ("👍")
        ):
            return self.say(turn, "attachment" if turn.attachments else "empty")
        if turn.intent == "person":  # about what the request says besides asking, else the
            # question being dealt with (its tried articles); neither: "" (the bot asks)
            question = turn.topic or turn.state.question
            follow_up = not turn.topic and turn.state.name in ("rephrase", OFFERED)
            return self.handoff(
                turn, "asked_for_person", question, words=turn.text, follow_up=follow_up
            )
        if turn.intent == "outage":  # many people affected: straight to the queue, urgent,
            # about this message alone: not an article shown earlier (its team, on site)
            return Decision((), State(), handoff=Handoff("outage", turn.text, ()))
        if turn.intent in ("greeting", "thanks", "help", "ok"):
            return self.say(turn, turn.intent)
        if turn.intent == "tickets":
            return Decision((), turn.state, tickets=True)
        if turn.urgent_alone:  # "срочно!": their newest open ticket is raised (the effects
            # find it, and say how it stands or ask what is urgent)
            return Decision((), turn.state, urged=(0, turn.text))
        return self.question(turn)

    def phrase(self, turn: Turn, key: str, **params: object) -> str:
        """Phrase `key` in the turn's language."""
        return self.phrases.get(turn.language, key, **params)

    def say(self, turn: Turn, key: str, state: State | None = None) -> Decision:
        """Say phrase `key`; the state stays as it is unless `state` is given."""
        return Decision((Say(self.phrase(turn, key)),), state or turn.state)

    # Questions -----------------------------------------------------------------------------

    def question(self, turn: Turn) -> Decision:
        """A typed question: the answer, "Did you mean", or a miss."""
        best = turn.matches[0] if turn.matches else None
        if best is not None and best[1] >= self.answer_threshold:
            decision = self.answer(turn, best[0], best[1], question=turn.text)
        elif best is not None and best[1] >= self.suggest_threshold:
            decision = self._suggest(turn)
        else:
            decision = self._miss(turn, best)
        if turn.truncated:
            notice = Say(self.phrase(turn, "long_message"))
            decision = replace(decision, says=(notice, *decision.says))
        return decision

    def answer(self, turn: Turn, article: Article, confidence: float, *, question: str) -> Decision:
        """The article's answer, with "Helped" / "Didn't help"; it becomes the latest tried."""
        if article.elsewhere:
            return self._elsewhere(turn, article, confidence, question)
        text = f"{_shown(turn, article)}\n\n{self.phrase(turn, 'answer_footer')}"
        choices = (
            Choice(self.phrase(turn, "helped_button"), "helped", article.id),
            Choice(self.phrase(turn, "not_helped_button"), "not_helped", article.id),
        )
        state = State("idle", turn.state.misses, question, _last(turn.state.tried, article.id))
        return Decision((Say(text, choices, answered=(article.id, confidence)),), state)

    def _elsewhere(
        self, turn: Turn, article: Article, confidence: float, question: str
    ) -> Decision:
        """A question that is not for this desk: the article says where to go. Nothing to
        rate, no miss counted, and the article is not one tried (a handoff's hints are the
        IT articles'); recorded, so the KB's gaps report shows what was sent elsewhere."""
        text = _shown(turn, article)
        record = Record(
            "unanswered", question, reason=ELSEWHERE, article_id=article.id, confidence=confidence
        )
        state = State("idle", turn.state.misses, question, turn.state.tried)
        say = Say(text, answered=(article.id, confidence))
        return Decision((say,), state, records=(record,))

    def _suggest(self, turn: Turn) -> Decision:
        candidates = [a for a, c in turn.matches if c >= self.suggest_threshold]
        choices = tuple(
            Choice(a.title_in(turn.language), "show", a.id)
            for a in candidates[: self.max_suggestions]
        )
        first = candidates[0].id if candidates else ""  # a gap of the KB's, "None of these"
        choices += (Choice(self.phrase(turn, "none_of_these"), "none_of_these", first),)
        state = State("idle", turn.state.misses, turn.text, turn.state.tried)
        return Decision((Say(self.phrase(turn, "did_you_mean"), choices),), state)

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
            return Decision((Say(self.phrase(turn, "rephrase")),), state, records=(record,))
        question = f"{turn.state.question}\n{turn.text}".strip()
        return Decision(
            (Say(self.phrase(turn, "offer_person"), self._person_choices(turn)),),
            State(OFFERED, turn.state.misses + 1, question, turn.state.tried),
            records=(record,),
        )

    def _person_choices(self, turn: Turn) -> tuple[Choice, ...]:
        return (
            Choice(self.phrase(turn, "talk_to_person"), "person"),
            Choice(self.phrase(turn, "no_thanks"), "decline"),
        )

    # A person ------------------------------------------------------------------------------

    def handoff(
        self,
        turn: Turn,
        reason: str,
        question: str,
        *,
        about: str = "",
        words: str = "",
        follow_up: bool = False,
    ) -> Decision:
        """The port's reply (a ticket number today) is added by the engine. The handoff is
        about the article last shown, or `about` (the one whose "didn't help" was pressed).
        A job on site for a user who has not named their office waits for the office."""
        tried = _last(turn.state.tried, about) if about else turn.state.tried
        question = question or turn.state.question
        if needs_office(self, turn, tried):
            return ask_office(
                self, turn, reason=reason, question=question, tried=tried, words=words
            )
        handoff = Handoff(reason, question, tried, words, follow_up=follow_up)
        return Decision((), State(), handoff=handoff)


def _shown(turn: Turn, article: Article) -> str:
    """The article as the user reads it: its title in bold, then its answer."""
    return f"**{article.title_in(turn.language)}**\n\n{article.answer_in(turn.language)}"


def _last(tried: tuple[str, ...], article: str) -> tuple[str, ...]:
    """The articles shown, with `article` moved (or added) to the end: the latest."""
    return (*(a for a in tried if a != article), article)
