"""An upgrade adds columns to tables that already have rows: it must not fail on them; one
that fixes rows fixes them."""

from __future__ import annotations

import asyncio
import os
import sys
from asyncio.subprocess import PIPE
from collections.abc import AsyncIterator, Sequence
from datetime import UTC, datetime
from pathlib import Path

import pytest
from tortoise import Tortoise, connections
from tortoise.backends.base.executor import EXECUTOR_CACHE
from tortoise.migrations.api import migrate
from tortoise.migrations.recorder import MigrationRecorder

from bot.storage import database
from bot.storage.database import tortoise_config
from bot.storage.models import Handoff, InboundEvent, OutboxMessage, Ticket, TranscriptMessage
from tests.conftest import BACKENDS, PG_URL, ROOT, _admin
from tests.test_cli import environment, run

# The schema before the columns that came with a default (InboundEvent.failures in 0005,
# Ticket.sla_alerts in 0007, OutboxMessage.parts_sent in 0011), and rows of that time, in
# SQL both databases take.
BEFORE = "models.0004_outbox_attachment"
ROWS = (
    "INSERT INTO users (platform, workspace, external_id, name, unreachable, created_at) "
    "VALUES ('web', 'local', 'u1', 'Ann', false, CURRENT_TIMESTAMP)",
    "INSERT INTO tickets (user_id, subject, description, status, priority, language, reason, "
    "created_at, updated_at) VALUES (1, 'VPN', 'vpn down', 'open', 'normal', 'en', '', "
    "CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)",
    "INSERT INTO inbound_events (platform, key, payload, received_at) "
    "VALUES ('web', 'k1', '{}', CURRENT_TIMESTAMP)",
    "INSERT INTO outbox_messages (platform, chat_id, kind, text, buttons, status, attempts, "
    "available_at, created_at) VALUES ('web', 'u1', 'relay', 'hi', '[]', 'pending', 1, "
    "CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)",
)
# Before a transfer cleared the claim (0009): one handoff claimed at 09:10, transferred at
# 09:30 and waiting since; one transferred at 09:30 and claimed again at 09:40.
BEFORE_UNCLAIM = "models.0008_handoff_asked_at"
TRANSFERRED = (
    ROWS[0],
    "INSERT INTO conversations (user_id, chat_id, state, language, last_question, "
    "tried_articles, misses, created_at, updated_at) VALUES (1, 'c1', 'handoff', 'en', '', "
    "'[]', 0, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)",
    "INSERT INTO handoffs (conversation_id, user_id, team, status, question, tried_articles, "
    "language, priority, reason, desk, created_at, claimed_at) VALUES (1, 1, 'net', 'waiting', "
    "'', '[]', 'en', 'normal', '', 'web', '2026-11-25 09:30:00+00:00', "
    "'2026-11-25 09:10:00+00:00')",
    "INSERT INTO handoffs (conversation_id, user_id, team, status, question, tried_articles, "
    "language, priority, reason, desk, created_at, claimed_at) VALUES (1, 1, 'net', 'claimed', "
    "'', '[]', 'en', 'normal', '', 'web', '2026-11-25 09:30:00+00:00', "
    "'2026-11-25 09:40:00+00:00')",
)
# How long a `helpdesk-bot` process here may take: a new Python that imports the bot and reads
# every migration step, about a second on an idle machine, but CPU-bound, so a busy one
# stretches it (at a load of 17 on 2 cores: one process up to 30 s, four at once up to 52 s,
# which came near the 120 s allowed before). The waits only keep a hung process from holding
# the run; pytest's timeout (300 s a test) stays the cap.
ONE_RUN = 120
FOUR_RUNS = 240


@pytest.fixture(params=BACKENDS)
async def empty_url(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[str]:
    """A database with no schema at all."""
    EXECUTOR_CACHE.clear()
    if request.param == "sqlite":
        yield f"sqlite://{tmp_path}/old.sqlite3"
        return
    assert PG_URL is not None
    name = f"helpdesk_upgrade_{os.getpid()}"
    drop = f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'
    await _admin(PG_URL, drop, f'CREATE DATABASE "{name}"')
    yield f"{PG_URL.rpartition('/')[0]}/{name}"
    await _admin(PG_URL, drop)


async def _old(url: str, target: str, rows: Sequence[str]) -> None:
    """A database migrated up to `target` only, with `rows` of that time."""
    await migrate(config=tortoise_config(url), target=target)
    await Tortoise.init(config=tortoise_config(url))
    for statement in rows:
        await connections.get("default").execute_query(statement)
    await Tortoise.close_connections()


async def test_an_upgrade_keeps_rows_and_fills_new_columns(empty_url: str) -> None:
    await _old(empty_url, BEFORE, ROWS)

    await database.migrate(empty_url)  # failed on the rows above before `db_default`

    await database.connect(empty_url)
    try:
        ticket, event = await Ticket.get(), await InboundEvent.get()
        assert (ticket.description, ticket.sla_alerts, ticket.response_due) == ("vpn down", 0, None)
        assert (ticket.reopens, ticket.reopened_at) == (0, None)  # 0023: never reopened
        assert (event.key, event.failures) == ("k1", 0)
        message = await OutboxMessage.get()
        assert (message.text, message.attempts, message.parts_sent) == ("hi", 1, 0)
    finally:
        await database.close()


async def test_an_upgrade_marks_the_lines_already_kept_as_typed(empty_url: str) -> None:
    """0017 added `pressed` to the transcript, which every deployment has lines in: without a
    database default PostgreSQL refused the column ("contains null values")."""
    conversation = (
        "INSERT INTO conversations (user_id, chat_id, state, language, last_question, "
        "tried_articles, misses, created_at, updated_at) VALUES (1, 'c1', 'idle', 'en', '', "
        "'[]', 0, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)"
    )
    line = (
        "INSERT INTO transcript_messages (conversation_id, direction, text, truncated, "
        "created_at) VALUES (1, 'in', '[Helped]', false, CURRENT_TIMESTAMP)"
    )
    await _old(empty_url, "models.0016_outbox_chat_index", (ROWS[0], conversation, line))

    await database.migrate(empty_url)

    await database.connect(empty_url)
    try:
        kept = await TranscriptMessage.get()
        assert (kept.text, kept.pressed) == ("[Helped]", False)
    finally:
        await database.close()


async def test_an_upgrade_indexes_what_the_ticket_rounds_read(empty_url: str) -> None:
    """The SLA rounds read tickets by next_alert_at; /metrics (each scrape), reports and the
    desk's list by status, counted or ranked by priority."""
    await _old(empty_url, BEFORE, ROWS)

    await database.migrate(empty_url)

    await database.connect(empty_url)
    try:
        indexed = await _indexes("tickets", sqlite=empty_url.startswith("sqlite"))
    finally:
        await database.close()
    assert "(next_alert_at)" in indexed
    assert "(status, priority)" in indexed


async def test_an_upgrade_indexes_the_rows_a_user_action_reads_by_their_owner(
    empty_url: str,
) -> None:
    """Neither engine indexes a foreign key unasked, and these tables gain rows with every
    message, reply or request: a user's /tickets reads their tickets; a Slack thread reply
    joins its conversation's handoffs, and telling a ticket's user finds the ticket's last
    one; a request's card (and each poll of the web desk) reads its conversation's last
    lines, and a card's edit that card's outbox rows; a press uses up its reply's buttons (by
    group), and a typed score looks for the conversation's newest."""
    await _old(empty_url, BEFORE, ROWS)

    await database.migrate(empty_url)

    await database.connect(empty_url)
    sqlite = empty_url.startswith("sqlite")
    try:
        tables = ("tickets", "handoffs", "transcript_messages", "outbox_messages", "button_actions")
        indexed = {table: await _indexes(table, sqlite=sqlite) for table in tables}
    finally:
        await database.close()
    assert "(user_id)" in indexed["tickets"]
    assert {"(conversation_id)", "(ticket_id)"} <= indexed["handoffs"]
    assert "(conversation_id)" in indexed["transcript_messages"]
    assert "(handoff_id)" in indexed["outbox_messages"]
    assert {"(conversation_id)", "(group)"} <= indexed["button_actions"]


async def _indexes(table: str, *, sqlite: bool) -> set[str]:
    """The column lists of `table`'s indexes, as "(a, b)"."""
    if sqlite:
        query = "SELECT sql FROM sqlite_master WHERE type = 'index' AND tbl_name = ?"
    else:
        query = "SELECT indexdef AS sql FROM pg_indexes WHERE tablename = $1"
    _, rows = await connections.get("default").execute_query(query, [table])
    definitions = [str(row["sql"] or "").replace('"', "") for row in rows]
    return {d[d.rindex("(") :] for d in definitions if d.endswith(")")}


async def test_an_upgrade_unclaims_what_a_transfer_left_claimed(empty_url: str) -> None:
    await _old(empty_url, BEFORE_UNCLAIM, TRANSFERRED)

    await database.migrate(empty_url)

    await database.connect(empty_url)
    try:
        claims = await Handoff.all().order_by("id").values_list("status", "claimed_at")
        assert claims == [("waiting", None), ("claimed", datetime(2026, 11, 25, 9, 40, tzinfo=UTC))]
    finally:
        await database.close()


async def test_a_database_a_newer_version_upgraded_is_refused_with_the_reason(
    empty_url: str, tmp_path: Path
) -> None:
    """Rolled back after a newer version migrated (an older image, an old instance
    restarted mid-rollout), the bot started as if the schema were its own, and would fail on
    what it does not know later, mid-message."""
    latest = max(p.stem for p in (ROOT / "bot/storage/migrations").glob("0*.py"))
    newer = (
        "INSERT INTO tortoise_migrations (app, name, applied_at) "
        "VALUES ('models', '9999_from_a_newer_version', CURRENT_TIMESTAMP)"
    )
    await _old(empty_url, f"models.{latest}", (newer,))
    env = environment(tmp_path) | {"HELPDESK_DATABASE_URL": empty_url}
    for command in (["db", "migrate"], ["tickets"]):
        done = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "bot", *command, env=env, stderr=PIPE, stdout=PIPE
        )
        _, err = await asyncio.wait_for(done.communicate(), ONE_RUN)
        assert done.returncode == 1
        assert err.decode() == (
            "error: the database (HELPDESK_DATABASE_URL) was upgraded by a newer helpdesk-bot:"
            " its schema has 9999_from_a_newer_version, which this version does not know. Run"
            " that version (or a later one), or restore the database from before the upgrade\n"
        )


@pytest.mark.parametrize("behind", ["one step", "never migrated"])
async def test_the_reports_refuse_a_database_behind_this_version_and_leave_it_as_it_was(
    empty_url: str, tmp_path: Path, behind: str
) -> None:
    """The reports migrated before they read: an operator's newer `tickets` upgraded the
    schema under the running older instances, which then refused to restart."""
    steps = sorted(p.stem for p in (ROOT / "bot/storage/migrations").glob("0*.py"))
    if behind == "one step":
        await _old(empty_url, f"models.{steps[-2]}", ())
        lacks = steps[-1]
    else:  # an empty database: a PostgreSQL one made for the bot, an empty SQLite file
        if (path := database.sqlite_file(empty_url)) is not None:
            path.touch()
        lacks = f"{len(steps)} steps, {steps[0]} to {steps[-1]}"
    before = await _schema(empty_url)
    for command in (["tickets"], ["tickets", "show", "1"], ["report"], ["kb", "gaps"]):
        result = run(command, tmp_path, database_url=empty_url)
        assert (result.returncode, result.stdout) == (1, ""), command
        assert result.stderr == (
            "error: the database (HELPDESK_DATABASE_URL) is behind this helpdesk-bot: its"
            f" schema lacks {lacks}. Run `helpdesk-bot db migrate` (or start the bot) first;"
            " this command reads the database and does not change its schema\n"
        ), command
    assert await _schema(empty_url) == before


async def _schema(url: str) -> tuple[list[str], list[str]]:
    """The tables of a database and the steps its migrations table records."""
    if url.startswith("sqlite"):
        query = "SELECT name FROM sqlite_master WHERE type = 'table'"
    else:
        query = "SELECT tablename AS name FROM pg_tables WHERE schemaname = 'public'"
    await Tortoise.init(config=tortoise_config(url))
    try:
        _, tables = await connections.get("default").execute_query(query)
        steps = await MigrationRecorder(connections.get("default")).applied_migrations()
    finally:
        await Tortoise.close_connections()
    return sorted(row["name"] for row in tables), sorted(key.name for key in steps)


@pytest.mark.postgres
@pytest.mark.skipif(PG_URL is None, reason="needs TEST_DATABASE_URL")
@pytest.mark.parametrize("empty_url", ["postgres"], indirect=True)
@pytest.mark.parametrize("start", [None, BEFORE], ids=["new", "upgrade"])
async def test_instances_started_together_migrate_once(
    empty_url: str, start: str | None, tmp_path: Path
) -> None:
    """Four `helpdesk-bot db migrate` (as four instances' `run` do at start) on one database,
    new or a few steps behind, at once: all end well and each step is recorded once. Without
    the lock, all but one stopped with tortoise's IntegrityError."""
    if start is not None:
        await _old(empty_url, start, ())
    env = environment(tmp_path) | {"HELPDESK_DATABASE_URL": empty_url}
    runs = [
        await asyncio.create_subprocess_exec(
            sys.executable, "-m", "bot", "db", "migrate", env=env, stderr=PIPE, stdout=PIPE
        )
        for _ in range(4)
    ]
    ended = await asyncio.wait_for(asyncio.gather(*(r.communicate() for r in runs)), FOUR_RUNS)
    assert [r.returncode for r in runs] == [0] * 4, [err.decode()[-500:] for _, err in ended]
    await Tortoise.init(config=tortoise_config(empty_url))
    try:
        _, rows = await connections.get("default").execute_query(
            "SELECT name, count(*) AS times FROM tortoise_migrations GROUP BY name"
        )
    finally:
        await Tortoise.close_connections()
    steps = sorted(p.stem for p in (ROOT / "bot/storage/migrations").glob("0*.py"))
    assert sorted(row["name"] for row in rows) == steps
    assert {row["times"] for row in rows} == {1}
