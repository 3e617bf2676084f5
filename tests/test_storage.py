"""Storage on SQLite and PostgreSQL: migrations keep data, models and migrations agree,
inbound events are unique."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from tortoise.context import TortoiseContext
from tortoise.migrations.autodetector import MigrationAutodetector
from tortoise.transactions import in_transaction

from bot.config import Settings
from bot.errors import StorageError
from bot.serving import serve_forever
from bot.storage import database, events, repo
from bot.storage.models import Conversation, InboundEvent, Ticket, User


async def test_migrate_again_keeps_the_data(db_url: str) -> None:
    user = await User.create(platform="web", workspace="local", external_id="u1", name="Ann")
    await Ticket.create(user=user, subject="VPN", description="vpn down")
    await database.close()
    await database.migrate(db_url)  # an upgrade run on an existing database
    await database.connect(db_url)
    assert await User.get(external_id="u1") == user
    assert (await Ticket.get()).description == "vpn down"


async def test_events_are_recorded_once(db_url: str) -> None:
    assert await events.accept("telegram", "bot1:100", {"text": "hi"})
    assert not await events.accept("telegram", "bot1:100", {"text": "hi"})
    assert await events.accept("slack", "bot1:100", {})
    assert await InboundEvent.all().count() == 2


async def test_a_clash_inside_a_transaction_keeps_the_transaction(db_url: str) -> None:
    await events.accept("telegram", "k", {})
    async with in_transaction():
        assert not await events.accept("telegram", "k", {})
        await User.create(platform="telegram", workspace="b", external_id="1")
    assert await User.all().count() == 1


async def test_claim_lets_one_handler_through(db_url: str) -> None:
    assert await events.accept("slack", "Ev1", {"text": "queued"})
    async with in_transaction():
        event = await events.claim("slack", "Ev1", {})
        assert event is not None and event.payload == {"text": "queued"}
        await events.mark_handled(event)
    async with in_transaction():
        assert await events.claim("slack", "Ev1", {}) is None


async def test_unhandled_finds_what_a_crash_left(db_url: str) -> None:
    await events.accept("slack", "Ev1", {"text": "lost?"})
    await events.accept("slack", "Ev2", {})
    await InboundEvent.filter(key="Ev2").update(handled_at=datetime.now(UTC))
    assert await events.unhandled("slack", older_than=timedelta(minutes=1)) == []
    [event] = await events.unhandled("slack", older_than=timedelta(0))
    assert event.key == "Ev1"


async def test_conversation_is_per_user_and_chat(db_url: str) -> None:
    one = await repo.conversation_for(
        platform="web", workspace="local", user_id="u", chat_id="c1", name="A", language="en"
    )
    same = await repo.conversation_for(
        platform="web", workspace="local", user_id="u", chat_id="c1", name="B", language="ru"
    )
    other = await repo.conversation_for(
        platform="web", workspace="local", user_id="u", chat_id="c2", name="B", language="ru"
    )
    assert one.id == same.id != other.id
    assert (await User.get()).name == "B"
    assert await Conversation.all().count() == 2


async def test_button_press_claims_the_whole_reply_once(db_url: str) -> None:
    conversation = await repo.conversation_for(
        platform="web", workspace="local", user_id="u", chat_id="c", name="", language="en"
    )
    keys = await repo.store_buttons(conversation, [("helped", "a"), ("not_helped", "a")])
    assert len(set(keys)) == 2 and all(1 <= len(k.encode()) <= 64 for k in keys)
    button = await repo.find_button(keys[1], conversation)
    assert button is not None and button.action == "not_helped"
    assert await repo.press_button(button) == "ok"
    assert await repo.press_button(await repo.find_button(keys[0], conversation)) == "used"
    assert await repo.find_button("nope", conversation) is None
    assert await repo.press_button(None) == "unknown"


async def test_a_button_is_its_users_in_any_of_their_chats_and_no_one_elses(db_url: str) -> None:
    def chat(user: str, chat_id: str) -> Any:
        return repo.conversation_for(
            platform="slack", workspace="T", user_id=user, chat_id=chat_id, name="", language="en"
        )

    channel, dm, eve = (
        await chat("U1", "C1/ephemeral"),
        await chat("U1", "DU1"),
        await chat("U2", "DU2"),
    )
    [key] = await repo.store_buttons(channel, [("rate", "1:5")])
    assert await repo.find_button(key, eve) is None
    button = await repo.find_button(key, dm)
    assert button is not None and button.argument == "1:5"
    assert await repo.press_button(button) == "ok"


async def test_models_and_migrations_agree(tmp_path: Path) -> None:
    """A model change without a migration fails here: run `tortoise makemigrations`."""
    config = database.tortoise_config(f"sqlite://{tmp_path}/agree.sqlite3")
    async with TortoiseContext() as context:
        await context.init(config=config)
        detector = MigrationAutodetector(context.apps, config["apps"])
        assert await detector.changes() == []


def test_one_bot_at_a_time_on_a_sqlite_file(tmp_path: Path) -> None:
    url = f"sqlite://{tmp_path}/helpdesk.sqlite3"
    with database.only_instance(url):
        busy = r"another bot is running on .*helpdesk\.sqlite3"
        with pytest.raises(StorageError, match=busy), database.only_instance(url):
            pass
        with database.only_instance(f"sqlite://{tmp_path}/other.sqlite3"):
            pass  # another file is another bot's
    with database.only_instance(url):
        pass  # free again once the first one stopped


def test_several_bots_may_share_postgresql() -> None:
    url = "postgres://postgres@127.0.0.1:5432/helpdesk"
    with database.only_instance(url), database.only_instance(url):
        pass


async def test_the_bot_refuses_to_start_beside_another_on_the_same_file(tmp_path: Path) -> None:
    url = f"sqlite://{tmp_path}/helpdesk.sqlite3"
    settings = Settings(database_url=url, http_port=0)
    with database.only_instance(url), pytest.raises(StorageError, match="SQLite serves one"):
        async with asyncio.timeout(60):  # without the check it would serve until stopped
            await serve_forever(settings)


async def test_connect_opens_the_connection_at_once(tmp_path: Path) -> None:
    """The connection is opened by `connect`, not by whichever query comes first: opened
    lazily by the housekeeping round, a stop that cancelled the round mid-connect left
    aiosqlite closing it after the event loop had (a traceback after "configuration error"),
    and a database out of reach was first heard of from that round."""
    unreachable = "postgres://postgres@127.0.0.1:1/none"
    with pytest.raises(StorageError, match="HELPDESK_DATABASE_URL"):
        await database.connect(unreachable)
    await database.close()
