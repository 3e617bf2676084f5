"""The bot's log on stderr, whose lines never show a secret of the settings nor a password a
user pasted. At HELPDESK_LOG_LEVEL=DEBUG the libraries log what they send and receive: PTB
the Bot API's URL (with the token), setWebhook's parameters (with the secret) and every
update as it came (with what the user typed, before our redaction). Each line is cleaned as
it is written, tracebacks included, whichever library wrote it."""

from __future__ import annotations

import logging
import sys
from collections.abc import Iterable

from bot.redact import redact

__all__ = ["configure"]

FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"


class _Cleaned(logging.Formatter):
    """Formats a record, then puts each secret's name for its value ("<TELEGRAM_BOT_TOKEN>")
    and masks the passwords users paste, as `redact` does before anything is stored."""

    def __init__(self, secrets: Iterable[tuple[str, str]]) -> None:
        super().__init__(FORMAT)
        # The longest first: a secret that holds another is named as itself.
        self._secrets = sorted(
            ((name, value) for name, value in secrets if value), key=lambda pair: -len(pair[1])
        )

    def format(self, record: logging.LogRecord) -> str:
        text = super().format(record)
        for name, value in self._secrets:
            text = text.replace(value, f"<{name}>")
        return redact(text)


def configure(level: str, secrets: Iterable[tuple[str, str]]) -> None:
    """Log at `level` to stderr; `secrets` are (a setting's name, a value never shown)."""
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(_Cleaned(secrets))
    logging.basicConfig(level=level, handlers=[handler])
    if level != "DEBUG":  # its INFO lines are connections opened and closed
        logging.getLogger("tortoise").setLevel(logging.WARNING)
