"""An office as users type it: its name or one of its aliases (`[[offices]] aliases`), in any
letter case, with ё for е and any spacing; a Latin name also in Cyrillic letters ("берлин"
for Berlin), as a Russian user types it. The dialog picks offices with `office_called`; the
settings refuse two offices one word would name (`name_key`)."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

from bot.knowledge.layout import to_cyrillic
from bot.knowledge.normalize import is_cyrillic, stem

__all__ = ["name_key", "office_among", "office_called"]

_AROUND = ".,;:!?…\"'«»()[] "  # what people type around a name ("Berlin.", "мск!")


def name_key(text: str) -> str:
    """What an office's name or alias is, whatever the case, ё or spacing it is typed with."""
    return " ".join(text.casefold().replace("ё", "е").split())


def office_called(text: str, names: Sequence[str], aliases: Mapping[str, str]) -> str | None:
    """The office (its configured name) `text` names: a name, an alias (`aliases`: alias →
    name), or a Latin name in Cyrillic letters; None if none."""
    wanted = name_key(text).strip(_AROUND)
    if not wanted:
        return None
    called = {name_key(alias): name for alias, name in aliases.items()}
    called.update((name_key(name), name) for name in names)  # a name wins over an alias
    found = called.get(wanted)
    if found is None:  # "берлин": Berlin as spelt in Cyrillic ("москва" is not "Moscow")
        found = next((name for name in names if to_cyrillic(name_key(name)) == wanted), None)
    return found


def office_among(text: str, names: Sequence[str], aliases: Mapping[str, str]) -> str | None:
    """The one office whose name, alias or Cyrillic spelling is among the words of `text`,
    in any word form ("я в Берлине", "I'm in the Berlin office, room 4"); None when none is,
    or two are ("Berlin or Moscow")."""
    words = _words(text)
    spelt = {to_cyrillic(name_key(name)): name for name in names}
    named = {**aliases, **spelt, **{name: name for name in names}}
    found = {office for key, office in named.items() if _within(_words(key), words)}
    return found.pop() if len(found) == 1 else None


def _words(text: str) -> list[str]:
    """Words as they are compared: a Russian word by its stem ("берлине" is "берлин")."""
    words = re.findall(r"\w+", name_key(text))
    return [stem(word) if is_cyrillic(word) else word for word in words]


def _within(part: list[str], words: list[str]) -> bool:
    size = len(part)
    return size > 0 and any(words[i : i + size] == part for i in range(len(words) - size + 1))
