"""The SQLite file behind a `sqlite://` URL: its folder (made only for the default), and the
lock that keeps a second bot off it (SQLite mode is single-instance)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from bot.errors import ConfigError, StorageError
from bot.storage.database_url import SETTING, check_sqlite_file

__all__ = ["DEFAULT_URL", "only_instance", "single_instance", "sqlite_file", "sqlite_folder"]

DEFAULT_URL = "sqlite://data/helpdesk.sqlite3"  # the setting's default (config_settings.py)


def sqlite_file(url: str) -> Path | None:
    """The file of a SQLite URL (None for other databases and an in-memory one)."""
    if url.startswith("sqlite://") and url != "sqlite://:memory:":
        return Path(url.removeprefix("sqlite://").split("?", 1)[0])
    return None


def single_instance(url: str) -> bool:
    """Whether a bot on this database runs alone (SQLite: see `only_instance`)."""
    return url.startswith("sqlite:")


def sqlite_folder(url: str) -> Path | None:
    """The SQLite file of `url`, whose folder must exist: a typo in the path created folders
    and an empty database there (as root, /nonexistent/dir). Only the default's `data/` is
    made, so that the bot starts in a fresh checkout."""
    path = sqlite_file(url)
    if path is None:
        return None
    if path.parent.is_dir():
        check_sqlite_file(path)
        return path
    if url == DEFAULT_URL:
        path.parent.mkdir(parents=True, exist_ok=True)
        return path
    raise ConfigError(
        f"{SETTING}: the folder of the SQLite file, {path.parent}, does not exist: correct the"
        " path, or create the folder"
    )


@contextmanager
def only_instance(url: str) -> Iterator[None]:
    """While the bot runs on a SQLite file, no second bot may: instances share claims,
    time-outs and the outbox through row locks (SELECT … FOR UPDATE), which SQLite does not
    have, so two would take the same work (DESIGN: SQLite mode is single-instance and says
    so). An exclusive lock on
    `<file>.lock`, held for the bot's life (the system drops it when the process dies), makes
    a second one stop with the reason instead. Nothing to do for other databases (or where
    file locks are not available)."""
    path = sqlite_folder(url)
    try:
        import fcntl  # POSIX only
    except ImportError:
        path = None
    if path is None:
        yield
        return
    with open(f"{path}.lock", "a", encoding="utf-8") as lock:
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise StorageError(
                f"another bot is running on {path}: SQLite serves one instance; several "
                f"need PostgreSQL ({SETTING})"
            ) from None
        yield
