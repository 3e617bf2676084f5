"""Whether two reports of an outage are about the same thing, so that the second joins the
first (`bot/handoff/outages.py`) rather than queueing on its own.

By the KB's reading of each (`Knowledge.terms`: spelling corrected, synonyms as one term, so
"почта", "e-mail" and "mail" are one), without the words every outage report has: the
phrases that say many are affected, that something is down, how urgent it is ("у всех",
"не работает", "is down for everyone", "срочно"), from the intents' lists as written in
bot/locales/intents.yaml (a deployment's own intents file adds none here). What is left
names the thing that is down: two reports are one outage when they share such a term ("почта
не работает у всех", "the whole office is without email"), or when neither names anything
("у всех всё упало"). A report that names something joins no other: two cards, rather than
the internet's outage closed as fixed along with the mail's.
"""

from __future__ import annotations

from collections.abc import Callable

from bot.intents import HEAD_CHARS
from bot.knowledge.base import Knowledge
from bot.phrases import read_locale

__all__ = ["FOLLOW_UPS", "outage_follow_up", "same_outage"]

# What a user whose report joined a colleague's may say of it later: lists of intents.yaml
FOLLOW_UPS = ("outage_still", "outage_asks")

# The intents' lists whose phrases every outage report may have, whatever is down
_GENERIC = (
    *("outage", "many_people", "not_working", "urgent", "not_urgent", "audience"),
    *("some_only", "only_me", "not_only_me"),
)
# `not_working` phrases that name what is down ("нет интернета", "without email"): only
# their first word is generic
_NAMING = ("нет ", "без ", "no ", "without ", "lost ", "has no ", "have no ")


def same_outage(knowledge: Knowledge) -> Callable[[str, str], bool]:
    """`same(first, second)`: whether the two reports are of the same outage (see above)."""
    named = _named(knowledge)

    def same(first: str, second: str) -> bool:
        one, other = named(first), named(second)
        return bool(one & other) if one or other else True

    return same


def _named(knowledge: Knowledge) -> Callable[[str], frozenset[str]]:
    """`named(text)`: the KB's terms of `text` besides the generic ones (see above)."""
    lists = read_locale("intents.yaml")
    phrases = [str(p).lower() for name in _GENERIC for p in lists.get(name, ())]
    first_words = [p.split()[0] if p.startswith(_NAMING) else p for p in phrases]
    read: list[tuple[object, frozenset[str]]] = []  # the generic terms, and the KB they are of

    def generic() -> frozenset[str]:  # by the KB in use: its spelling, its synonyms
        kb = getattr(knowledge, "current", knowledge)  # a LiveKnowledge's swaps at a reload
        if not read or read[0][0] is not kb:
            read[:] = [(kb, frozenset().union(*(knowledge.terms(p) for p in first_words)))]
        return read[0][1]

    return lambda text: knowledge.terms(text) - generic()


def outage_follow_up(
    knowledge: Knowledge, said: Callable[[str, str], str | None]
) -> Callable[[str], Callable[[str], str | None] | None]:
    """`follow_up(text)`: None when `text` neither asks after an outage nor says it is still
    down (no query is needed to know); else `of(first)`: what it says of the outage reported
    as `first` by a colleague whose report `text`'s user joined: "outage_still" (it is still
    down: "всё ещё не работает", "still no email"), "outage_asks" (any news: "есть
    новости?"), or None: it names another thing ("принтер так и не работает"), or another
    besides ("still no email, and the printer is jammed": the bot's to answer). Told from
    the text's start, as the other intents are (a pasted log is no news of the outage).
    `said(text, list)`: `Intents.said`."""
    named = _named(knowledge)

    def of(kind: str, rest: str) -> Callable[[str], str | None]:
        # nothing named but the outage's generic words and what the first one names
        return lambda first: kind if named(rest) <= named(first) else None

    def follow_up(text: str) -> Callable[[str], str | None] | None:
        found = ((kind, said(text[:HEAD_CHARS], kind)) for kind in FOLLOW_UPS)
        return next((of(kind, rest) for kind, rest in found if rest is not None), None)

    return follow_up
