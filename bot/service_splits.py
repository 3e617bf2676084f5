"""How the service report groups its rows: a `Split` names a way ("team", "priority", …)
and orders its groups (priorities most urgent first)."""

from __future__ import annotations

from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from bot.priorities import rank

__all__ = ["TEAM", "Split", "grouped", "urgent_first"]

TEAM = "team"  # the split by team, whose configured teams are listed with requests or without

_R = TypeVar("_R")


@dataclass(frozen=True, slots=True)
class Split(Generic[_R]):
    """One way the report splits its rows ("team", "priority", …): each row's group in it,
    and the order the groups are listed in."""

    name: str
    group: Callable[[_R], str]
    order: Callable[[str], Any] = str

    def apply(self, rows: Sequence[_R], known: Collection[str] = ()) -> list[tuple[str, list[_R]]]:
        """Each group's name and rows, in order; each of the `known` groups (the configured
        teams) too, with no rows if none is in it."""
        names = sorted({*known, *(self.group(r) for r in rows)}, key=self.order)
        return [(name, [r for r in rows if self.group(r) == name]) for name in names]


def grouped(
    split: Split[_R], rows: Sequence[_R], teams: Collection[str]
) -> list[tuple[str, list[_R]]]:
    """`split`'s groups of `rows`; split by team, each of the configured `teams` too."""
    return split.apply(rows, teams if split.name == TEAM else ())


def urgent_first(priority: str) -> tuple[int, str]:
    """A priority's place in a listing: the most urgent first."""
    return -rank(priority), priority
