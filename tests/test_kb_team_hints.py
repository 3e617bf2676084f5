"""An article whose `team:` hint names no configured team is logged when the bot starts and
when the KB is reloaded (its handoffs go to the default team; a shared KB is not an error)."""

from __future__ import annotations

import asyncio
import logging
import shutil
from pathlib import Path

import pytest

from bot.app import build_engine, build_queue
from bot.config import Settings
from bot.phrases import load_phrases
from bot.serving import rounds, serve_forever

KB_DIR = Path(__file__).resolve().parents[1] / "kb"
TEAMS = [
    {"name": "it", "desk": "web", "agents": ["web:alice"]},
    {"name": "facilities", "desk": "web", "agents": ["web:bob"]},
]
WARNING = (
    "KB article access-request ({path}): team 'security' is not a configured team "
    "(it, facilities); its handoffs go to the default team 'it'"
)


def kb_with(folder: Path, *, team: str) -> Path:
    """A KB of two articles, access-request's team hint changed to `team`."""
    folder.mkdir(exist_ok=True)
    shutil.copy(KB_DIR / "vpn-connect.md", folder / "vpn-connect.md")
    text = (KB_DIR / "access-request.md").read_text("utf-8")
    assert "\nteam: it\n" in text
    (folder / "access-request.md").write_text(text.replace("\nteam: it\n", f"\nteam: {team}\n"))
    return folder


async def logged(caplog: pytest.LogCaptureFixture, text: str) -> None:
    async with asyncio.timeout(30):
        while text not in caplog.text:  # noqa: ASYNC110 - the bot's own rounds log it
            await asyncio.sleep(0.05)


async def test_helpdesk_bot_run_warns_of_a_team_nobody_configured(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    kb = kb_with(tmp_path / "kb", team="security")
    url = f"sqlite://{tmp_path}/helpdesk.sqlite3"
    settings = Settings(database_url=url, kb_dir=kb, http_port=0, teams=TEAMS)  # type: ignore[arg-type]
    caplog.set_level(logging.WARNING, logger="bot.app")
    running = asyncio.create_task(serve_forever(settings))
    try:
        await logged(caplog, WARNING.format(path=kb / "access-request.md"))
    finally:
        running.cancel()
        await asyncio.gather(running, return_exceptions=True)
    assert caplog.text.count("is not a configured team") == 1


async def test_a_reloaded_kb_is_checked_too(
    db_url: str, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    kb = kb_with(tmp_path / "kb", team="it")
    settings = Settings(database_url=db_url, kb_dir=kb, kb_reload_seconds=1, teams=TEAMS)  # type: ignore[arg-type]
    queue = build_queue(settings, load_phrases())
    engine = build_engine(settings, queue=queue)
    caplog.set_level(logging.WARNING, logger="bot.app")
    tasks = [asyncio.create_task(work) for work in rounds(settings, queue, engine)]
    try:
        kb_with(kb, team="security")
        await logged(caplog, WARNING.format(path=kb / "access-request.md"))
    finally:
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
