"""The terminal chat (`helpdesk-bot chat`)."""

from bot.adapters.console.chat import run_console

__all__ = ["run_console"]
