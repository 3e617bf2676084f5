"""What a check of the KB found: problems (the bot refuses the KB) and warnings, each at
its file and line."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

__all__ = ["Problems"]


@dataclass(slots=True)
class Problems:
    """Problems as "file:line: message" strings, in the order found; `in_file_order` sorts
    them by file and line, as an author fixes them (checks find them in their own order).
    Warnings (`warn`) are kept apart: they do not stop the bot."""

    items: list[str] = field(default_factory=list)
    _where: list[tuple[str, int]] = field(default_factory=list)
    _warnings: list[tuple[tuple[str, int], str]] = field(default_factory=list)

    def add(self, path: Path | str, line: int, message: str) -> None:
        self.worded(path, line, f"{path}:{line}: {message}" if line else f"{path}: {message}")

    def worded(self, path: Path | str, line: int, text: str) -> None:
        """A problem already worded with its file and line (a KnowledgeError's)."""
        self.items.append(text)
        self._where.append((str(path), line))

    def warn(self, path: Path | str, line: int, message: str) -> None:
        self._warnings.append(((str(path), line), f"{path}:{line}: warning: {message}"))

    def warnings(self) -> list[str]:
        return [text for _, text in sorted(self._warnings, key=lambda w: w[0])]

    def take(self, other: Problems, path: Path | str) -> None:
        """The problems and warnings `other` found in the file at `path`."""
        self.items += [
            t for w, t in zip(other._where, other.items, strict=True) if w[0] == str(path)
        ]
        self._where += [w for w in other._where if w[0] == str(path)]
        self._warnings += [w for w in other._warnings if w[0][0] == str(path)]

    def listing(self) -> list[str]:
        """The problems and the warnings, in file order (what `kb check` prints)."""
        both = [*zip(self._where, self.items, strict=True), *self._warnings]
        return [text for _, text in sorted(both, key=lambda item: item[0])]

    def files(self) -> set[str]:
        """The files (and folders) with a problem."""
        return {path for path, _ in self._where}

    def in_file_order(self) -> list[str]:
        order = sorted(range(len(self.items)), key=self._where.__getitem__)
        return [self.items[i] for i in order]
