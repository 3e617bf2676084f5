"""A KB edited while the bot runs goes live without a restart; a broken edit does not."""

from __future__ import annotations

import asyncio
import logging
import shutil
import threading
from collections.abc import Callable
from pathlib import Path

import pytest

from bot.adapters.memory import MemoryChat
from bot.app import build_engine
from bot.config import Settings
from bot.engine import Engine
from bot.knowledge.live import LiveKnowledge
from bot.serving import rounds

KB_DIR = Path(__file__).resolve().parents[1] / "kb"
FIRST = ("vpn-connect.md", "printer-add.md", "synonyms.yaml")
PASSWORD_ANSWER = "passwords.example.com"  # in password-forgotten's answer (checked below)


def _small_kb(folder: Path) -> Path:
    folder.mkdir()
    for name in FIRST:
        shutil.copy(KB_DIR / name, folder / name)
    return folder


def _engine(db_url: str, kb: Path, **settings: object) -> Engine:
    return build_engine(Settings(database_url=db_url, kb_dir=kb, **settings))  # type: ignore[arg-type]


async def _answer(engine: Engine, text: str, user: str) -> str:
    replies = await MemoryChat(engine.handle, user_id=user).say(text)
    return replies[0].text


async def test_an_added_article_answers_after_a_reload(db_url: str, tmp_path: Path) -> None:
    assert PASSWORD_ANSWER in (KB_DIR / "password-forgotten.md").read_text(encoding="utf-8")
    kb = _small_kb(tmp_path / "kb")
    engine = _engine(db_url, kb)
    live = engine.knowledge
    assert isinstance(live, LiveKnowledge)
    assert PASSWORD_ANSWER not in await _answer(engine, "забыл пароль", "u1")
    assert not live.reload_if_changed()  # nothing changed yet

    shutil.copy(KB_DIR / "password-forgotten.md", kb / "password-forgotten.md")
    assert live.reload_if_changed()
    assert PASSWORD_ANSWER in await _answer(engine, "забыл пароль", "u2")
    assert "password-forgotten" in live.articles and len(live.articles) == 3
    assert not live.reload_if_changed()


async def test_a_broken_edit_is_logged_and_the_old_kb_stays(
    db_url: str, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    kb = _small_kb(tmp_path / "kb")
    engine = _engine(db_url, kb)
    live = engine.knowledge
    assert isinstance(live, LiveKnowledge)
    good = (kb / "vpn-connect.md").read_text(encoding="utf-8")
    (kb / "vpn-connect.md").write_text(good.replace("---\n", "", 1), encoding="utf-8")

    with caplog.at_level(logging.ERROR, logger="bot.knowledge.live"):
        assert not live.reload_if_changed()
    assert f"{kb / 'vpn-connect.md'}:1: expected YAML front matter" in caplog.text
    assert "VPN" in await _answer(engine, "не подключается впн", "u1")  # the old KB answers
    assert not live.reload_if_changed()  # not retried until the files change again

    (kb / "vpn-connect.md").write_text(good + "\n", encoding="utf-8")
    assert live.reload_if_changed()
    assert "VPN" in await _answer(engine, "не подключается впн", "u2")


async def test_the_running_bot_picks_up_an_edit(db_url: str, tmp_path: Path) -> None:
    kb = _small_kb(tmp_path / "kb")
    engine = _engine(db_url, kb, kb_reload_seconds=1)
    settings = Settings(database_url=db_url, kb_dir=kb, kb_reload_seconds=1)
    tasks = [asyncio.create_task(work) for work in rounds(settings, None, engine)]
    try:
        shutil.copy(KB_DIR / "password-forgotten.md", kb / "password-forgotten.md")
        async with asyncio.timeout(20):
            # The bot's own timer does the reload (in a thread): nothing to await but the result.
            while "password-forgotten" not in engine.knowledge.articles:  # noqa: ASYNC110
                await asyncio.sleep(0.05)
    finally:
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
    assert PASSWORD_ANSWER in await _answer(engine, "забыл пароль", "u1")
    async with asyncio.timeout(5):  # the stopped round lets its thread go
        while any(t.name.startswith("kb-reload") for t in threading.enumerate()):  # noqa: ASYNC110
            await asyncio.sleep(0.05)


@pytest.mark.parametrize(
    ("add", "says"),
    [
        (lambda kb: (kb / "gone.md").symlink_to(kb / "nowhere.md"), "gone.md: cannot read"),
        (
            lambda kb: shutil.copytree(KB_DIR, kb / "network", ignore=_all_but_one),
            "network/wifi-connect.md: not read as an article",
        ),
        (
            lambda kb: shutil.copy(KB_DIR / "synonyms.yaml", kb / "synonyms.yml"),
            "synonyms.yml: not read: the synonyms file must be named 'synonyms.yaml'",
        ),
    ],
    ids=["dangling symlink", "sub-folder", "synonyms.yml"],
)
def test_a_file_the_check_names_is_noticed_when_it_is_added(
    tmp_path: Path, caplog: pytest.LogCaptureFixture, add: Callable[[Path], object], says: str
) -> None:
    """A dangling symlink, a sub-folder of articles, a misnamed synonyms file: `kb check`
    names each, but the reload looked only at the folder's own `*.md` files that could be
    read, and went on until another file changed."""
    kb = _small_kb(tmp_path / "kb")
    live = LiveKnowledge(kb)
    add(kb)
    with caplog.at_level(logging.ERROR, logger="bot.knowledge.live"):
        assert not live.reload_if_changed()  # not taken: but seen, and its problem named
    assert says in caplog.text
    assert len(live.articles) == 2


def test_a_misnamed_synonyms_file_beside_a_kb_jsonl_is_noticed(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    dataset = tmp_path / "kb.jsonl"
    dataset.write_text('{"id": "a", "title": "A", "questions": ["vpn is down"]}\n', "utf-8")
    live = LiveKnowledge(dataset)
    shutil.copy(KB_DIR / "synonyms.yaml", tmp_path / "synonyms.yml")
    with caplog.at_level(logging.ERROR, logger="bot.knowledge.live"):
        assert not live.reload_if_changed()
    assert "synonyms.yml: not read: the synonyms file must be named 'synonyms.yaml'" in caplog.text


def _all_but_one(folder: str, names: list[str]) -> list[str]:
    return [name for name in names if name != "wifi-connect.md"]
