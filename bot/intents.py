"""Messages that are not questions for the KB (a greeting, a request for a person, an
outage, a status request…), recognised by the trigger phrases of bot/locales/intents.yaml and
a deployment's own file."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from bot.intents_file import read_own_intents
from bot.intents_words import compared, key, marks, recover, simplify
from bot.phrases import read_locale

__all__ = ["HEAD_CHARS", "Intents", "load_intents", "simplify"]

# A request for a person by one word is a short message; in a long one "agent" or
# "специалист" is more likely part of a question for the KB. A phrase of several words
# ("I want a human") says it in a longer one too ("the share won't open, I want a human").
HEAD_CHARS = 200  # an intent is told from a message's start
_PERSON_MAX_WORDS = 8
_PERSON_PHRASE_MAX_WORDS = 20
_TICKETS_OTHER_WORDS = 4  # besides the phrase, in a request for the status of one's tickets
_PUNCTUATION = " ,.;:!?-–—"  # taken off the ends of what a request for a person says besides
_EXACT = frozenset({"tickets"})  # intents whose phrases keep their word forms (see Intents)


@dataclass(frozen=True, slots=True)
class Intents:
    """Trigger phrases of the messages that are not KB questions.

    Messages and phrases are compared word by word (`reading`), Russian words as stems, so
    "человека" and "человеку" are one word (English ones as they are: "humans" is no request
    for a "human"). Requests for the status of one's tickets keep their word forms: "моя
    заявка" asks how it stands, "добавить файл в мою заявку" is a question.

    A word no phrase uses is read, if that gives a word one does, in the other keyboard
    layout ("jgthfnjh" → "оператор") or with one typo fixed ("опертор"; words of at least six
    letters only, so short words never turn into other short words).
    Transliteration is not tried: it reads English words as Russian ones ("aware" →
    "аваре", an "авария")."""

    phrases: dict[str, frozenset[str]]  # each phrase as its `reading`
    words: frozenset[str]  # the phrases' words as written (lower case): typos are fixed to them
    signs: dict[str, frozenset[str]] = field(default_factory=dict)  # emoji such as 👍, per intent
    vocabulary: frozenset[str] = field(init=False)  # how the words are compared (`key`)
    longest_first: dict[str, tuple[str, ...]] = field(init=False)  # each intent's phrases

    def __post_init__(self) -> None:
        object.__setattr__(self, "vocabulary", frozenset(map(key, self.words)))
        ordered = {k: tuple(sorted(v, key=len, reverse=True)) for k, v in self.phrases.items()}
        object.__setattr__(self, "longest_first", ordered)

    def classify(self, text: str) -> str | None:
        """The intent of `text` ("outage", "greeting", "thanks", "help", "ok", "person",
        "tickets", "accept", "decline", "not_helped"), or None for an ordinary question; told
        from the text's start (small talk is short, a pasted log is not)."""
        words = self._recover(text[:HEAD_CHARS])
        simple = " ".join(key(word) for word in words)
        if not simple:
            return self._sign(text[:HEAD_CHARS])
        padded = f" {simple} "
        if self._outage(padded):
            return "outage"
        if found := [p for p in self.phrases.get("person", ()) if f" {p} " in padded]:
            longest = max(len(p.split()) for p in found)
            most = _PERSON_MAX_WORDS if longest == 1 else _PERSON_PHRASE_MAX_WORDS
            return "person" if len(words) <= most else None
        if self._alone(padded, "presence", besides="greeting"):
            return "person"  # "anyone there?" with nothing else: someone to talk to
        if self._asks_about_tickets(f" {' '.join(words)} "):
            return "tickets"
        for intent in ("help", "greeting", "thanks", "ok"):
            if not self._without(padded, intent).strip():
                return intent
        # "понятно, спасибо": thanks with an acknowledgement is thanks
        if not self._without(self._without(padded, "thanks"), "ok").strip():
            return "thanks"
        # "привет, у меня вопрос": a greeting that asks for help is greeted (what problem?)
        if not self._without(self._without(padded, "help"), "greeting").strip():
            return "greeting"
        # "да", "нет, спасибо": an answer to the bot's offer of a person, typed; "(нет,) не
        # помогло": to an answer, its "Didn't help"
        answers = ("accept", "decline")
        if answer := next((i for i in answers if not self._without(padded, i).strip()), None):
            return answer
        rest = self._without(self._without(padded, "not_helped"), "decline")
        return "not_helped" if self._contains(padded, "not_helped") and not rest.strip() else None

    def topic(self, text: str) -> str:
        """What a request for a person says besides asking ("the plotter jams, human
        please": "the plotter jams"): `text` without its `person`, `presence`, `not_urgent`
        and `urgent` phrases and the `person_filler` words at the ends of the rest, as
        written; "" when nothing is left ("can I talk to a real person pls", "срочно!",
        "anyone there?"), or
        only `not_helped` words ("не помогло, позовите человека" is about the question before
        it; "still not working: the printer, human please" keeps its words)."""
        found = self._topic(text, ("person", "presence", "not_urgent", "urgent"))
        return found if self._topic(found, ("not_helped",)) else ""

    def said(self, text: str, intent: str) -> str | None:
        """What `text` says besides the phrases of `intent` (as `topic` tells it) if it has
        one ("" when nothing else), else None."""
        if not self._contains(f" {self.reading(text)} ", intent):
            return None
        return self._topic(text, (intent,))

    def _topic(self, text: str, asking: tuple[str, ...]) -> str:
        """`text` without the phrases of the `asking` intents and the fillers at its ends."""
        tokens = text.split()
        keys = [[key(word) for word in self._recover(token)] for token in tokens]
        flat = [(each, at) for at, found in enumerate(keys) for each in found]
        asked: set[int] = set()
        for phrase in (p for intent in asking for p in self.longest_first.get(intent, ())):
            words = phrase.split()
            for start in range(len(flat) - len(words) + 1):
                if [each for each, _ in flat[start : start + len(words)]] == words:
                    asked |= {at for _, at in flat[start : start + len(words)]}
        filler = self.phrases.get("person_filler", frozenset())
        kept = [at for at in range(len(tokens)) if at not in asked]
        while kept and set(keys[kept[0]]) <= filler:  # punctuation alone has no words
            kept.pop(0)
        while kept and set(keys[kept[-1]]) <= filler:
            kept.pop()
        return " ".join(tokens[at] for at in kept).strip(_PUNCTUATION)

    def _without(self, padded: str, intent: str) -> str:
        """`padded` with the phrases of `intent` taken out, longest first (each as often as
        it is there: " anyone anyone " shares a space that one `replace` would keep)."""
        for phrase in self.longest_first.get(intent, ()):
            while f" {phrase} " in padded:
                padded = padded.replace(f" {phrase} ", " ")
        return padded

    def _alone(self, padded: str, intent: str, *, besides: str) -> bool:
        """Whether `padded` has a phrase of `intent` and nothing else but those of `besides`."""
        rest = self._without(self._without(padded, intent), besides)
        return self._contains(padded, intent) and not rest.strip()

    def _sign(self, text: str) -> str | None:
        """The intent of a message of emoji only ("👍", "🙏🙏"), if they are all its signs."""
        signed = marks(text)
        found = [intent for intent, signs in self.signs.items() if signed and signed <= signs]
        return found[0] if found else None

    def urgency(self, text: str) -> str | None:
        """The priority `text` asks for by its words: "urgent" for an outage, "high" for an
        urgent request, None when it says nothing of the kind."""
        padded = f" {self.reading(text)} "
        if self._outage(padded):
            return "urgent"
        said = self._without(padded, "not_urgent")  # "не срочно" asks for nothing
        return "high" if self._contains(said, "urgent") else None

    def reading(self, text: str) -> str:
        """`text` as it is compared with the phrases (but `tickets`): its recovered words,
        Russian ones as stems."""
        return " ".join(key(word) for word in self._recover(text))

    def _recover(self, text: str) -> list[str]:
        return recover(text, words=self.words, vocabulary=self.vocabulary)

    def _asks_about_tickets(self, padded: str) -> bool:
        """A `tickets` phrase and at most a few other words ("what is the status of my
        ticket"): "can't attach a file to my ticket" is a question, not a status request."""
        found = [p for p in self.phrases.get("tickets", ()) if f" {p} " in padded]
        if not found:
            return False
        rest = padded.replace(f" {max(found, key=len)} ", " ", 1)
        return len(rest.split()) <= _TICKETS_OTHER_WORDS

    def _outage(self, padded: str) -> bool:
        """An `outage` phrase, or many people (`many_people`) with something down
        (`not_working`): either alone is a question of one user, or no problem at all, and
        so is one that says the others are fine (`only_me`). Many people whom something is
        for (`audience`: "рассылка на весь офис") are not the ones affected, and nothing is
        an outage if it is down for some only (`some_only`: "но не у всех", "only my laptop";
        "не только у меня", `not_only_me`, says the opposite)."""
        padded = self._without(padded, "audience")
        if self._contains(self._without(padded, "not_only_me"), "some_only"):
            return False
        if self._contains(padded, "outage"):
            return True
        many = self._contains(padded, "many_people") and self._contains(padded, "not_working")
        return many and not self._contains(padded, "only_me")

    def _contains(self, padded: str, intent: str) -> bool:
        return any(f" {p} " in padded for p in self.phrases.get(intent, ()))


def load_intents(extra: Path | None = None) -> Intents:
    """Read bot/locales/intents.yaml, and add the phrases of the deployment's own file
    `extra` (the same lists; ValueError says what is wrong with it). A phrase of emoji only
    ("👍") is a sign of its intent."""
    lists = {k: set(v) for k, v in read_locale("intents.yaml").items()}
    own = read_own_intents(extra, known=frozenset(lists)) if extra is not None else {}
    for intent, phrases in own.items():
        lists[intent] |= phrases
    simple = {k: {simplify(p) for p in v} - {""} for k, v in lists.items()}
    signs = {k: frozenset(marks("".join(v))) for k, v in lists.items()}
    words = {word for phrases in simple.values() for p in phrases for word in p.split()}
    return Intents(
        {k: frozenset(compared(p, exact=k in _EXACT) for p in v) for k, v in simple.items()},
        frozenset(words),
        {k: v for k, v in signs.items() if v},
    )
