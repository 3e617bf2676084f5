"""The values a dialog turn is made of: what the user did, what the bot decided."""

from __future__ import annotations

from dataclasses import dataclass

from bot.knowledge.article import Article

__all__ = [
    "ELSEWHERE",
    "OFFERED",
    "Choice",
    "Decision",
    "Handoff",
    "Record",
    "Say",
    "State",
    "Turn",
]

ELSEWHERE = "elsewhere"  # a Record's reason: matched an article for what is not this desk's job
OFFERED = "offered"  # a State's name: a person was offered (after a second miss)


@dataclass(frozen=True, slots=True)
class Choice:
    """A button before it gets a key: what pressing it does."""

    label: str
    action: str
    argument: str = ""


@dataclass(frozen=True, slots=True)
class Say:
    """One message of the bot, with its buttons."""

    text: str
    choices: tuple[Choice, ...] = ()
    answered: tuple[str, float] | None = None  # (article id, confidence) of a KB answer


@dataclass(frozen=True, slots=True)
class State:
    """What the dialog remembers between turns (stored on the conversation)."""

    name: str = "idle"
    misses: int = 0
    question: str = ""
    tried: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Turn:
    """One user action: `text`, or a pressed button's (`action`, `argument`)."""

    state: State
    language: str
    text: str = ""
    action: str | None = None
    argument: str = ""
    matches: tuple[tuple[Article, float], ...] = ()
    intent: str | None = None
    truncated: bool = False
    attachments: int = 0
    office: str | None = None  # the user's office, as they picked it
    served: bool = False  # a rating pressed while a request of the user is with people
    # what it says besides asking for a person, urging (`Intents.topic`); read for a request
    # for a person, a message while the bot waits for a description, and words of urgency
    topic: str = ""
    urgent_alone: bool = False  # words of urgency and nothing else ("срочно!", "urgent!!")
    # A button of a reply the dialog has moved on from (another question since, a handoff):
    # an answer's "Helped" / "Didn't help", a "Did you mean" pick, the offer of a person:
    # what the user had asked when it came (the transcript's); None while the dialog is at
    # that reply (`state.question` is its question)
    asked: str | None = None


@dataclass(frozen=True, slots=True)
class Record:
    """Something to store: feedback on an article, a question the KB did not answer, or the
    user's rating of an agent's help (and what went wrong, after a low one)."""

    kind: str  # "helped" | "not_helped" | "unanswered" | a rating's action (bot/ratings.py)
    question: str
    reason: str = ""
    article_id: str | None = None
    confidence: float | None = None
    rating: tuple[int, int] | None = None  # (handoff id, or RATE_TICKET: number; 1–5)
    about: tuple[str, int] | None = None  # a comment's rating: (its action, its number)


@dataclass(frozen=True, slots=True)
class Handoff:
    """The conversation needs a person: the handoff port decides how (today: a ticket)."""

    reason: str
    question: str
    tried: tuple[str, ...]  # the articles shown, oldest first; the last is the one it is about
    words: str = ""  # the user's own message that asked for a person, if one did
    # A bare request after a message the KB knew nothing of (`question`, written since the
    # last handoff): with a ticket open, it is more about that one (`open_duplicate`)
    follow_up: bool = False


@dataclass(frozen=True, slots=True)
class Decision:
    """What the dialog decided for one turn."""

    says: tuple[Say, ...]
    state: State
    records: tuple[Record, ...] = ()
    handoff: Handoff | None = None
    language: str | None = None  # a new per-user override: "ru", "en" or "auto"
    office: str | None = None  # the office the user picked (one of the configured names)
    tickets: bool = False  # tell the user how their tickets stand
    confirm_withdraw: int | None = None  # the ticket the user asks to withdraw: ask first
    withdraw: int | None = None  # the ticket the user withdraws, as they confirmed
    reopen: int | None = None  # the resolved ticket the user reopens: their problem is back
    refused: bool = False  # a press not taken (its button is stale): said to the presser alone
    described: tuple[int, str] | None = None  # (ticket, what the problem is): its subject
    urged: tuple[int, str] | None = None  # (ticket, words of urgency alone): may raise it
