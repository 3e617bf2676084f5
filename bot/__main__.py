"""The `helpdesk-bot` command: run, chat, kb check, kb eval, kb gaps, report, tickets, db
migrate."""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import sys
from collections import Counter
from collections.abc import Awaitable, Callable, Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TypeVar

from bot import app, serving
from bot.adapters.console import run_console
from bot.config import Settings, load_settings
from bot.errors import ConfigError, HelpdeskError, KnowledgeError, StorageError
from bot.gaps import format_gaps, labelling_template
from bot.knowledge.base import load_knowledge_base
from bot.knowledge.eval_report import format_report
from bot.knowledge.evaluate import evaluate
from bot.knowledge.jsonl import load_queries
from bot.knowledge.loader import check_kb
from bot.service_json import report_json, tickets_json
from bot.service_text import format_report as format_service
from bot.service_text import format_unresolved
from bot.storage import database, reports

__all__ = ["main"]

_T = TypeVar("_T")
# What --help says first (the module's docstring is for readers of the code).
DESCRIPTION = "The IT helpdesk bot: run it, chat with it, check its knowledge base, see reports."


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="helpdesk-bot", description=DESCRIPTION)
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("run", help="start the bot (web chat and configured channels)")
    commands.add_parser("chat", help="chat with the bot in the terminal (or from stdin)")
    _kb_commands(commands.add_parser("kb", help="knowledge base tools"))
    tickets = commands.add_parser(
        "tickets", help="the open tickets, most urgent first, with due times"
    )
    tickets.add_argument("--json", action="store_true", help="print one JSON array")
    report = commands.add_parser("report", help="service levels: requests, waits, ratings")
    report.add_argument("--days", type=_days, default=30, help="how far back (default: 30)")
    report.add_argument("--json", action="store_true", help="print one JSON object")
    db = commands.add_parser("db", help="database tools").add_subparsers(
        dest="db_command", required=True
    )
    db.add_parser("migrate", help="create or upgrade the database schema")
    return parser


def _kb_commands(parser: argparse.ArgumentParser) -> None:
    kb = parser.add_subparsers(dest="kb_command", required=True)
    check = kb.add_parser("check", help="validate a KB folder, naming file and line")
    check.add_argument("directory", nargs="?", type=Path, help="default: HELPDESK_KB_DIR")
    ev = kb.add_parser("eval", help="measure matching on labelled questions")
    ev.add_argument("queries", type=Path, help="queries.jsonl: {text, expected}")
    ev.add_argument("--kb", type=Path, help="a KB folder or kb.jsonl (default: HELPDESK_KB_DIR)")
    ev.add_argument("--json", action="store_true", help="print one JSON object")
    gaps = kb.add_parser("gaps", help="questions the KB did not answer, by article")
    gaps.add_argument("--days", type=_days, default=30, help="how far back (default: 30)")
    gaps.add_argument("--jsonl", type=Path, help="also write them here, to label for kb eval")


_MAX_DAYS = 36500  # a hundred years: any more is past what a date can count back to


def _days(text: str) -> int:
    days = int(text) if text.strip().isdigit() else 0
    if not 1 <= days <= _MAX_DAYS:
        raise argparse.ArgumentTypeError(f"must be a whole number of days, 1 to {_MAX_DAYS}")
    return days


def _kb_check(settings: Settings, directory: Path | None) -> int:
    target = directory or settings.kb_dir
    result = check_kb(target)
    for problem in result.problems:
        print(problem)
    status = "problem(s)" if result.problems else "problems: the KB is valid"
    print(f"{target}: {len(result.articles)} articles, {len(result.problems)} {status}")
    return 1 if result.problems else 0


def _kb_eval(settings: Settings, queries: Path, kb: Path | None, as_json: bool) -> int:
    labelled = load_queries(queries)  # before the KB, which takes seconds to build
    if not labelled:
        raise KnowledgeError(f"{queries}: no questions (one JSON object a line)")
    knowledge = load_knowledge_base(kb or settings.kb_dir)
    answer, suggest = app.thresholds(settings)
    missing = Counter(i for q in labelled for i in q.expected if i not in knowledge.articles)
    if missing:
        named = ", ".join(f"'{ident}' ({count})" for ident, count in missing.most_common())
        print(f"{queries}: expected articles the KB does not have: {named}", file=sys.stderr)
    result = evaluate(
        knowledge.matcher,
        labelled,
        answer_threshold=answer,
        suggest_threshold=suggest,
        elsewhere=frozenset(a.id for a in knowledge.articles.values() if a.elsewhere),
    )
    print(json.dumps(result, ensure_ascii=False) if as_json else format_report(result))
    return 0


def _kb_gaps(settings: Settings, days: int, jsonl: Path | None) -> int:
    since = datetime.now(UTC) - timedelta(days=days)

    async def read() -> tuple[list[reports.MissedQuestion], dict[str, tuple[int, int]]]:
        return await reports.missed_questions(since), await reports.feedback_counts(since)

    missed, feedback = asyncio.run(_reading(settings, read))
    print(format_gaps(missed, feedback, since=since))
    if jsonl is not None:
        try:
            jsonl.write_text("".join(line + "\n" for line in labelling_template(missed)), "utf-8")
        except OSError as exc:
            print(f"error: cannot write {jsonl}: {exc.strerror}", file=sys.stderr)
            return 1
        print(f"{len(missed)} questions written to {jsonl}: fill in 'expected', then kb eval")
    return 0


def _report(settings: Settings, days: int, as_json: bool) -> int:
    now = datetime.now(UTC)
    since = now - timedelta(days=days)

    async def read() -> tuple[list[reports.HandoffRow], list[reports.TicketRow]]:
        return await reports.handoffs_since(since), await reports.tickets_since(since)

    handoffs, tickets = asyncio.run(_reading(settings, read))
    if as_json:
        figures = report_json(handoffs, tickets, since=since, now=now)
        print(json.dumps(figures, ensure_ascii=False))
    else:
        print(format_service(handoffs, tickets, since=since, now=now))
    return 0


def _tickets(settings: Settings, as_json: bool) -> int:
    rows, now = asyncio.run(_reading(settings, reports.unresolved_tickets)), datetime.now(UTC)
    if as_json:
        print(json.dumps(tickets_json(rows, now=now), ensure_ascii=False))
    else:
        print(format_unresolved(rows, now=now))
    return 0


async def _reading(settings: Settings, read: Callable[[], Awaitable[_T]]) -> _T:
    """Run a read-only report's queries on the (migrated) database; a SQLite file that is
    not there is an error, not an empty database made for the report."""
    path = database.sqlite_file(settings.database_url)
    if path is not None and not path.is_file():
        raise StorageError(
            f"no database at {path} (HELPDESK_DATABASE_URL): run this where the bot runs, "
            "or set HELPDESK_DATABASE_URL to the bot's database"
        )
    await database.migrate(settings.database_url)
    await database.connect(settings.database_url)
    try:
        return await read()
    finally:
        await database.close()


async def _chat(settings: Settings) -> None:
    async with app.running(settings) as engine:
        await run_console(engine.handle)


def _dispatch(args: argparse.Namespace, settings: Settings) -> int:
    if args.command == "run":
        asyncio.run(serving.serve_forever(settings))
    elif args.command == "chat":
        asyncio.run(_chat(settings))
    elif args.command == "report":
        return _report(settings, args.days, args.json)
    elif args.command == "tickets":
        return _tickets(settings, args.json)
    elif args.command == "db":
        asyncio.run(database.migrate(settings.database_url))
        print("database schema is up to date")
    elif args.kb_command == "check":
        return _kb_check(settings, args.directory)
    elif args.kb_command == "gaps":
        return _kb_gaps(settings, args.days, args.jsonl)
    else:
        return _kb_eval(settings, args.queries, args.kb, args.json)
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the console script; returns the exit code."""
    args = _parser().parse_args(argv)
    try:
        settings = load_settings()
        logging.basicConfig(
            level=settings.log_level,
            format="%(asctime)s %(levelname)s %(name)s: %(message)s",
            stream=sys.stderr,
        )
        if settings.log_level != "DEBUG":  # its INFO lines are connections opened and closed
            logging.getLogger("tortoise").setLevel(logging.WARNING)
        return _dispatch(args, settings)
    except ConfigError as exc:
        print(f"configuration error: {exc}", file=sys.stderr)
        return 2
    except HelpdeskError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
