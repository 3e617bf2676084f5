"""The `helpdesk-bot` command: run, chat, kb check, kb eval, kb gaps, report, tickets (show,
reply, resolve), db migrate. The commands that read and print are in `bot/commands.py`."""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TypeVar

from bot import app, commands, logs, ticket_commands
from bot.adapters.console import run_console
from bot.config import Settings, load_settings, stray_variables
from bot.config_checks import unzoned_hours
from bot.errors import ConfigError, HelpdeskError
from bot.report_words import LANGUAGES
from bot.storage import database

__all__ = ["main"]

log = logging.getLogger("bot.settings")  # not "__main__", as `python -m bot` names it

_T = TypeVar("_T")
# What --help says first (the module's docstring is for readers of the code).
DESCRIPTION = "The IT helpdesk bot: run it, chat with it, check its knowledge base, see reports."


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="helpdesk-bot", description=DESCRIPTION)
    named = parser.add_subparsers(dest="command", required=True)
    named.add_parser("run", help="start the bot (web chat and configured channels)")
    named.add_parser("chat", help="chat with the bot in the terminal (or from stdin)")
    _kb_commands(named.add_parser("kb", help="knowledge base tools"))
    _ticket_commands(
        named.add_parser("tickets", help="the open tickets, due first, with due times")
    )
    report = named.add_parser("report", help="service levels: requests, waits, ratings")
    report.add_argument("--days", type=commands.days, default=30, help="how far back (default: 30)")
    report.add_argument("--json", action="store_true", help="print one JSON object")
    _lang_option(report)
    db = named.add_parser("db", help="database tools").add_subparsers(
        dest="db_command", required=True
    )
    db.add_parser("migrate", help="create or upgrade the database schema")
    _name_by_choices(named, db)
    return parser


def _name_by_choices(*commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """A missing command is named as it can be typed, "{check,eval,gaps}", in the error too
    (argparse names it by its `dest`, "kb_command", where no metavar is set)."""
    for command in commands:
        command.metavar = "{" + ",".join(command.choices) + "}"


def _lang_option(parser: argparse.ArgumentParser, dest: str = "lang") -> None:
    parser.add_argument(
        "--lang",
        dest=dest,
        choices=LANGUAGES,
        help="the language of the text (default: HELPDESK_DEFAULT_LANGUAGE); not of --json",
    )


def _ticket_commands(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--json", action="store_true", help="print one JSON array")
    _lang_option(parser)
    one = parser.add_subparsers(dest="ticket_command", metavar="{show,reply,resolve}")
    show = one.add_parser("show", help="one ticket: its fields and its chat since it opened")
    show.add_argument("number", type=commands.number, help="the ticket's number")
    _lang_option(show, "show_lang")  # after the number too: `tickets show 12 --lang en`
    for name, what, help in (
        ("reply", "text", "send the ticket's user a message in their chat, as IT"),
        ("resolve", "note", "resolve an open ticket; its user is told the note"),
    ):
        action = one.add_parser(name, help=help)
        action.add_argument("number", type=commands.number, help="the ticket's number")
        action.add_argument(what, help=f"the {what} the user reads")
        action.add_argument(
            "--as", dest="who", default="IT", help="the name the user sees (default: IT)"
        )


def _kb_commands(parser: argparse.ArgumentParser) -> None:
    kb = parser.add_subparsers(dest="kb_command", required=True)
    check = kb.add_parser("check", help="validate a KB folder or kb.jsonl, naming file and line")
    check.add_argument(
        "path",
        nargs="?",
        type=Path,
        help="a KB folder, one article (.md) or kb.jsonl (default: HELPDESK_KB_DIR)",
    )
    ev = kb.add_parser("eval", help="measure matching on labelled questions")
    ev.add_argument("queries", type=Path, help="queries.jsonl: {text, expected}")
    ev.add_argument("--kb", type=Path, help="a KB folder or kb.jsonl (default: HELPDESK_KB_DIR)")
    ev.add_argument("--json", action="store_true", help="print one JSON object")
    gaps = kb.add_parser("gaps", help="questions the KB did not answer, by article")
    gaps.add_argument("--days", type=commands.days, default=30, help="how far back (default: 30)")
    gaps.add_argument("--jsonl", type=Path, help="also write them here, to label for kb eval")
    _lang_option(gaps)
    _name_by_choices(kb)


async def _chat(settings: Settings) -> None:
    async with app.running(settings) as engine:
        await run_console(engine.handle)


def _dispatch(args: argparse.Namespace, settings: Settings) -> int:
    if args.command == "run":
        # Here, not at the top: the channels' SDKs take half a second to import, which every
        # other command (`tickets show` on an operator's terminal) would wait for.
        from bot import serving

        asyncio.run(serving.serve_forever(settings))
    elif args.command == "chat":
        asyncio.run(_chat(settings))
    elif args.command == "report":
        language = args.lang or settings.default_language
        return commands.report(settings, args.days, args.json, language=language)
    elif args.command == "tickets":
        return _tickets(args, settings)
    elif args.command == "db":
        asyncio.run(database.migrate(settings.database_url))
        print("database schema is up to date")
    elif args.kb_command == "check":
        return commands.kb_check(settings, args.path)
    elif args.kb_command == "gaps":
        language = args.lang or settings.default_language
        return commands.kb_gaps(settings, args.days, args.jsonl, language=language)
    else:
        return commands.kb_eval(settings, args.queries, args.kb, args.json)
    return 0


def _tickets(args: argparse.Namespace, settings: Settings) -> int:
    language = getattr(args, "show_lang", None) or args.lang or settings.default_language
    if args.ticket_command == "show":
        return ticket_commands.show(settings, args.number, language=language)
    if args.ticket_command == "reply":
        return ticket_commands.reply(settings, args.number, args.text, f"cli:{args.who}")
    if args.ticket_command == "resolve":
        return ticket_commands.resolve(settings, args.number, args.note, f"cli:{args.who}")
    return commands.tickets(settings, args.json, language=language)


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the console script; returns the exit code."""
    args = _parser().parse_args(argv)
    try:
        settings = load_settings()
        logs.configure(settings.log_level, settings.secrets())
        for line in [*stray_variables(), *unzoned_hours(settings)]:
            log.warning(line)
        code = _dispatch(args, settings)
        sys.stdout.flush()  # here, where a reader gone can be told apart (see below)
        return code
    except BrokenPipeError:
        return _reader_gone()
    except ConfigError as exc:
        print(f"configuration error: {exc}", file=sys.stderr)
        return 2
    except HelpdeskError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130


def _reader_gone() -> int:
    """The reader of our output has gone (`helpdesk-bot tickets | head`): stop quietly, with
    the exit code of a command SIGPIPE ended (128 + 13), not with a traceback; what is left
    to write goes nowhere, so Python's flush at exit cannot fail again."""
    os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    return 141


if __name__ == "__main__":
    sys.exit(main())
