"""How the service report groups its rows: a `Split` names a way ("team", "priority", …)
and orders its groups (priorities most urgent first)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from bot.priorities import rank

__all__ = ["Split", "urgent_first"]

_R = TypeVar("_R")


@dataclass(frozen=True, slots=True)
class Split(Generic[_R]):
    """One way the report splits its rows ("team", "priority", …): each row's group in it,
    and the order the groups are listed in."""

    name: str
    group: Callable[[_R], str]
    order: Callable[[str], Any] = str

    def apply(self, rows: Sequence[_R]) -> list[tuple[str, list[_R]]]:
        """Each group's name and rows, in order."""
        names = sorted({self.group(r) for r in rows}, key=self.order)
        return [(name, [r for r in rows if self.group(r) == name]) for name in names]


def urgent_first(priority: str) -> tuple[int, str]:
    """A priority's place in a listing: the most urgent first."""
    return -rank(priority), priority
