"""An office as users type it: its name or one of its aliases (`[[offices]] aliases`), in any
letter case, with ё for е and any spacing; a Latin name also in Cyrillic letters ("берлин"
for Berlin), as a Russian user types it. The dialog picks offices with `office_called`; the
settings refuse two offices one word would name (`name_key`)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from bot.knowledge.layout import to_cyrillic

__all__ = ["name_key", "office_called"]


def name_key(text: str) -> str:
    """What an office's name or alias is, whatever the case, ё or spacing it is typed with."""
    return " ".join(text.casefold().replace("ё", "е").split())


def office_called(text: str, names: Sequence[str], aliases: Mapping[str, str]) -> str | None:
    """The office (its configured name) `text` names: a name, an alias (`aliases`: alias →
    name), or a Latin name in Cyrillic letters; None if none."""
    wanted = name_key(text)
    if not wanted:
        return None
    called = {name_key(alias): name for alias, name in aliases.items()}
    called.update((name_key(name), name) for name in names)  # a name wins over an alias
    found = called.get(wanted)
    if found is None:  # "берлин": Berlin as spelt in Cyrillic ("москва" is not "Moscow")
        found = next((name for name in names if to_cyrillic(name_key(name)) == wanted), None)
    return found
