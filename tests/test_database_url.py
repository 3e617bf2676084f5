"""HELPDESK_DATABASE_URL as admins write it for PostgreSQL: libpq's `?sslmode=` (what managed
services hand out), a parameter the bot does not know, a URL without its database."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tests.test_cli import environment, run


@pytest.mark.postgres
@pytest.mark.parametrize("parameter", ["sslmode=disable", "ssl=disable"])
def test_the_tls_mode_is_taken_as_libpq_writes_it(
    tmp_path: Path, pg_url: str | None, parameter: str
) -> None:
    """`?sslmode=disable` ended in asyncpg's TypeError traceback; `?ssl=disable` was read as
    a yes (tortoise casts it to bool) and asked a server without TLS for it."""
    if pg_url is None:
        pytest.skip("needs TEST_DATABASE_URL")
    result = run(["db", "migrate"], tmp_path, database_url=f"{pg_url}?{parameter}")
    assert result.returncode == 0, result.stderr
    assert result.stdout == "database schema is up to date\n"


@pytest.mark.parametrize(
    ("query", "error"),
    [
        (
            "?sslmod=require&timeout=5",
            "'sslmod' is no parameter the bot takes; for TLS write ?sslmode= one of disable,"
            " allow, prefer, require, verify-ca, verify-full",
        ),
        (
            "?sslmode=on",
            "sslmode must be one of disable, allow, prefer, require, verify-ca, verify-full",
        ),
    ],
)
def test_a_parameter_the_bot_does_not_take_is_named(tmp_path: Path, query: str, error: str) -> None:
    url = f"postgres://helpdesk:s3cret@127.0.0.1:1/helpdesk{query}"
    result = run(["db", "migrate"], tmp_path, database_url=url)
    assert result.returncode == 2
    assert result.stderr == f"configuration error: HELPDESK_DATABASE_URL: {error}\n"


@pytest.mark.parametrize("end", ["", "/"])
def test_a_url_without_its_database_is_refused(tmp_path: Path, end: str) -> None:
    """PostgreSQL takes the user's name for a database left out: `postgres://postgres@host`
    made the bot's tables in the server's `postgres` database."""
    url = f"postgres://helpdesk:s3cret@127.0.0.1:1{end}"
    result = run(["db", "migrate"], tmp_path, database_url=url)
    assert result.returncode == 2
    assert result.stderr == (
        "configuration error: HELPDESK_DATABASE_URL: no database named: write"
        " postgres://user:password@host:5432/DATABASE\n"
    )


@pytest.mark.parametrize(
    ("command", "what"),
    [
        (["db", "migrate"], "a text file"),
        (["tickets"], "a text file"),
        (["db", "migrate"], "a folder"),
    ],
)
def test_a_sqlite_path_that_is_no_database_is_named(
    tmp_path: Path, command: list[str], what: str
) -> None:
    """A path to a file that is no SQLite database (a backup's archive, a log) or to
    a folder: the command waited for ever (tortoise keeps its connection's lock when the
    connection fails), and `run` never started nor ended."""
    path = tmp_path / "helpdesk.sqlite3"
    if what == "a folder":
        path.mkdir()
    else:
        path.write_text("not a database, but long enough for SQLite to read its header\n" * 3)
    env = environment(tmp_path) | {"HELPDESK_DATABASE_URL": f"sqlite://{path}"}
    result = subprocess.run(
        [sys.executable, "-m", "bot", *command],
        capture_output=True,
        text=True,
        env=env,
        cwd=tmp_path,
        timeout=60,
        check=False,
    )
    assert result.returncode == 2
    assert result.stderr == (
        f"configuration error: HELPDESK_DATABASE_URL: {path} is not a SQLite database\n"
    )


@pytest.mark.parametrize("mark", ["/", "#", "?"])
def test_a_password_that_breaks_the_url_is_told_to_be_encoded(tmp_path: Path, mark: str) -> None:
    """`openssl rand -base64` passwords hold a "/": the URL then ends its host there, and the
    admin read "Port is not an integer" of a URL whose port was 5432."""
    url = f"postgres://helpdesk:s3{mark}cret@127.0.0.1:5432/helpdesk"
    result = run(["db", "migrate"], tmp_path, database_url=url)
    assert result.returncode == 2
    assert result.stderr == (
        "configuration error: HELPDESK_DATABASE_URL: Port is not an integer (a password with"
        " '/', '#' or '?' in it must be written %-encoded there: %2F, %23, %3F)\n"
    )
