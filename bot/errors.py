"""The one exception tree of the bot.

    HelpdeskError
    ├── ConfigError          a setting is missing or wrong (names the setting, never a secret)
    ├── KnowledgeError       the knowledge base cannot be loaded
    │   └── InvalidKB        `kb check` found problems; carries them
    ├── StorageError         the database is unreachable or its schema is behind
    └── DeliveryError        a platform refused or failed to take a message
        ├── Unreachable      the user blocked the bot or left; do not retry
        └── FileUnavailable  a file cannot be fetched or passed on (too large, deleted,
                             refused); say so instead, do not retry

SDK errors are translated into these at the adapter boundary.
"""

from __future__ import annotations

from collections.abc import Sequence

__all__ = [
    "ConfigError",
    "DeliveryError",
    "FileUnavailable",
    "HelpdeskError",
    "InvalidKB",
    "KnowledgeError",
    "StorageError",
    "Unreachable",
]


class HelpdeskError(Exception):
    """Base of every error the bot raises on purpose."""


class ConfigError(HelpdeskError):
    """A setting is missing or wrong."""


class KnowledgeError(HelpdeskError):
    """The knowledge base cannot be loaded."""


class InvalidKB(KnowledgeError):
    """The knowledge base has problems; `problems` lists them as "file:line: message"."""

    def __init__(self, problems: Sequence[str]) -> None:
        self.problems = tuple(problems)
        count = len(self.problems)
        super().__init__(f"the knowledge base has {count} problem(s):\n" + "\n".join(problems))


class StorageError(HelpdeskError):
    """The database is unreachable or not migrated."""


class DeliveryError(HelpdeskError):
    """A platform failed to take a message."""


class Unreachable(DeliveryError):
    """The user cannot be reached (blocked the bot, left); retrying will not help."""


class FileUnavailable(DeliveryError):
    """A file cannot be passed on: too large for the platforms, deleted, or refused; the
    reader is told so instead, and retrying will not help."""
