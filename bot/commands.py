"""What the `helpdesk-bot` commands that read and print do: kb check, kb eval, kb gaps,
report and tickets (`bot/__main__.py` parses the command line and calls them). Each returns
the exit code."""

from __future__ import annotations

import argparse
import asyncio
import difflib
import json
import sys
from collections.abc import Awaitable, Callable, Collection
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TypeVar

from bot import app
from bot.config import Settings
from bot.errors import KnowledgeError, StorageError
from bot.gaps import labelling_template
from bot.gaps_text import format_gaps, written
from bot.knowledge.base import load_knowledge_base
from bot.knowledge.eval_report import format_report
from bot.knowledge.evaluate import evaluate
from bot.knowledge.jsonl import LabelledQuery, load_queries
from bot.knowledge.loader import check_article, check_kb
from bot.service_json import report_json, tickets_json
from bot.service_text import format_report as format_service
from bot.service_text import format_unresolved
from bot.storage import database, reports

__all__ = ["days", "kb_check", "kb_eval", "kb_gaps", "number", "on_database", "report", "tickets"]

_T = TypeVar("_T")

_MAX_DAYS = 36500  # a hundred years: any more is past what a date can count back to


def days(text: str) -> int:
    days = int(text) if text.strip().isdigit() else 0
    if not 1 <= days <= _MAX_DAYS:
        raise argparse.ArgumentTypeError(f"must be a whole number of days, 1 to {_MAX_DAYS}")
    return days


def number(text: str) -> int:
    """A ticket's number on the command line."""
    if not text.strip().isdigit() or not 1 <= int(text) < 2**31:  # a database integer
        raise argparse.ArgumentTypeError(f"not a ticket number: {text!r}")
    return int(text)


def kb_check(settings: Settings, path: Path | None) -> int:
    target = path or app.kb_path(settings)
    one = target.exists() and not target.is_dir() and target.suffix != ".jsonl"
    result = check_article(target, kb=settings.kb_dir) if one else check_kb(target)
    for line in result.listing:
        print(line)
    warned = f", {len(result.warnings)} warning(s)" if result.warnings else ""
    valid = ": the article is valid" if one else ": the KB is valid"
    status = f"problem(s){warned}" if result.problems else f"problems{warned}{valid}"
    articles = f"{len(result.articles)} article" + ("" if len(result.articles) == 1 else "s")
    print(f"{target}: {articles}, {len(result.problems)} {status}")
    return 1 if result.problems else 0


def kb_eval(settings: Settings, queries: Path, kb: Path | None, as_json: bool) -> int:
    labelled = load_queries(queries)  # before the KB, which takes seconds to build
    if not labelled:
        raise KnowledgeError(f"{queries}: no questions (one JSON object a line)")
    knowledge = load_knowledge_base(kb or app.kb_path(settings))
    answer, suggest = app.thresholds(settings)
    for warning in _unknown(queries, labelled, knowledge.articles):
        print(warning, file=sys.stderr)
    result = evaluate(
        knowledge.matcher,
        labelled,
        answer_threshold=answer,
        suggest_threshold=suggest,
        elsewhere=frozenset(a.id for a in knowledge.articles.values() if a.elsewhere),
    )
    print(json.dumps(result, ensure_ascii=False) if as_json else format_report(result))
    return 0


def _unknown(queries: Path, labelled: list[LabelledQuery], known: Collection[str]) -> list[str]:
    """Each expected article the KB does not have, named at its first line, in file order,
    with the other lines that expect it (the first ten) and the id it nearly spells."""
    lines: dict[str, list[int]] = {}
    for query in labelled:  # in file order
        for ident in sorted(query.expected):
            if ident not in known:
                lines.setdefault(ident, []).append(query.line)
    warnings = []
    for ident, at in lines.items():  # by first line
        also = ", ".join(map(str, at[1:11])) + (", …" if len(at) > 11 else "")
        more = f" (also line{'s' if len(at) > 2 else ''} {also})" if also else ""
        near = difflib.get_close_matches(ident.lower(), known, n=1, cutoff=0.8)
        meant = f": did you mean '{near[0]}'?" if near else ""
        warnings.append(
            f"{queries}:{at[0]}: expected article '{ident}' is not in the KB{more}{meant}"
        )
    return warnings


def kb_gaps(settings: Settings, days: int, jsonl: Path | None, *, language: str) -> int:
    since = datetime.now(UTC) - timedelta(days=days)

    async def read() -> tuple[list[reports.MissedQuestion], dict[str, tuple[int, int]]]:
        return await reports.missed_questions(since), await reports.feedback_counts(since)

    missed, feedback = asyncio.run(on_database(settings, read))
    near = app.thresholds(settings)[1]
    print(format_gaps(missed, feedback, since=since, language=language, near=near))
    if jsonl is not None:
        lines = list(labelling_template(missed))  # a question asked again is one line
        try:
            jsonl.write_text("".join(line + "\n" for line in lines), "utf-8")
        except OSError as exc:
            print(f"error: cannot write {jsonl}: {exc.strerror}", file=sys.stderr)
            return 1
        print(written(len(lines), jsonl, language=language))
    return 0


def report(settings: Settings, days: int, as_json: bool, *, language: str) -> int:
    now = datetime.now(UTC)
    since = now - timedelta(days=days)

    async def read() -> tuple[
        list[reports.HandoffRow], list[reports.TicketRow], dict[str, str], dict[str, int]
    ]:
        handoffs, tickets = await reports.handoffs_since(since), await reports.tickets_since(since)
        return handoffs, tickets, await reports.agent_names(), await reports.reopened_since(since)

    handoffs, tickets, names, reopened = asyncio.run(on_database(settings, read))
    teams = [team.name for team in settings.teams]
    if as_json:
        figures = report_json(
            handoffs, tickets, since=since, now=now, names=names, teams=teams, reopened=reopened
        )
        print(json.dumps(figures, ensure_ascii=False))
    else:
        text = format_service(
            handoffs,
            tickets,
            since=since,
            language=language,
            now=now,
            names=names,
            teams=teams,
            reopened=reopened,
        )
        print(text)
    return 0


def tickets(settings: Settings, as_json: bool, *, language: str) -> int:
    rows, now = asyncio.run(on_database(settings, reports.unresolved_tickets)), datetime.now(UTC)
    if as_json:
        print(json.dumps(tickets_json(rows, now=now), ensure_ascii=False))
    else:
        print(format_unresolved(rows, now=now, language=language))
    return 0


async def on_database(settings: Settings, read: Callable[[], Awaitable[_T]]) -> _T:
    """Run a command's queries on the database, which must be migrated to this version's
    schema (`database.check_schema`: a command never migrates it); a SQLite file that is not
    there is an error, not an empty database made for the command."""
    path = database.sqlite_file(settings.database_url)
    if path is not None and not path.is_file():
        raise StorageError(
            f"no database at {path} (HELPDESK_DATABASE_URL): run this where the bot runs, "
            "or set HELPDESK_DATABASE_URL to the bot's database"
        )
    await database.connect(settings.database_url)
    try:
        await database.check_schema()
        return await read()
    finally:
        await database.close()
