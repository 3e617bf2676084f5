"""The language a user's message is in, as the engine takes it in (`bot/intake.py`): of the
text typed, told from its letters and words, with what the KB and the intents found in it
deciding Latin text of no common word."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from bot.dialog_commands import is_command
from bot.intents import Intents
from bot.knowledge.article import Article
from bot.knowledge.base import MAX_QUERY_CHARS
from bot.knowledge.language import detect_language, reads_russian_in
from bot.messages import IncomingMessage, locale_language

__all__ = ["fallback_language", "found_in", "language_of", "matched_as_russian"]


def language_of(
    message: IncomingMessage,
    *,
    understood: Callable[[str], bool] | None = None,
    russian: Callable[[str], bool] | None = None,
) -> str | None:
    """The language of a typed question; None for buttons, commands and emoji.

    `understood(text)`: whether the KB or the intents found anything in the text (see
    `found_in`). Latin text with no common word of either language has a language by its
    letters alone: Russian when they read as Russian in the other layout ("ghbdtn" is a
    greeting, "asdfgh" keyboard mashing), else English ("qwerty zxcv"); only when they found
    something. Else it has no language, and the conversation's, or for a new one the
    platform's hint (the browser's), is kept: an English visitor's "asdfgh" was answered in
    Russian, a Russian visitor's "qwerty zxcv" in English. A first line in Russian over more
    lines is Russian, whatever follows (an English log pasted under the question).
    `russian(text)`: whether the KB's match reads Latin text as transliterated Russian
    (`matched_as_russian`): then it is Russian, whatever its letters alone say."""
    if message.button is not None or is_command(message.text):
        return None
    text = message.text[:MAX_QUERY_CHARS]
    first, _, rest = text.strip().partition("\n")
    if rest and detect_language(first, guess=False) == "ru":
        return "ru"  # a Russian question over a pasted English log: its words, not the log's
    if understood is None:
        return detect_language(text)
    read = detect_language(text, guess=False)
    if read != "ru" and russian is not None and russian(text) and understood(text):
        return "ru"  # "poteryal propusk": no common word, but the KB read it in Russian
    return detect_language(text) if read is None and understood(text) else read


def found_in(
    matches: Sequence[object], intents: Intents, *, names: Sequence[str] = ()
) -> Callable[[str], bool]:
    """Whether the KB (`matches`: the articles found in any reading of the text) or `intents`
    found anything in a text; the intents asked only when the KB found nothing. One of
    `names` alone (an office's, typed as its button says it: "Berlin") finds nothing: a
    name is no word of a language, whatever the KB made of its letters."""
    named = {name.casefold() for name in names}
    return lambda text: (
        text.strip().casefold() not in named
        and (bool(matches) or intents.classify(text) is not None)
    )


def matched_as_russian(matches: Sequence[tuple[Article, float]]) -> Callable[[str], bool]:
    """Whether the best of `matches` (the KB's articles for a text) reads the text as
    transliterated Russian (`reads_russian_in`); never when nothing matched."""
    return lambda text: bool(matches) and reads_russian_in(text, matches[0][0])


def fallback_language(message: IncomingMessage, default: str) -> str:
    """A new conversation's language when the message has none: the platform's hint."""
    language = locale_language(message.locale)
    return language if language in ("ru", "en") else default
