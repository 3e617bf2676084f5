"""A lock on a name, held until the current transaction ends, shared by every instance.

On PostgreSQL it is a transaction-level advisory lock (`pg_advisory_xact_lock`) on the name's
hash: another instance's transaction asking for the same name waits until this one commits or
rolls back, and then reads what it wrote. Two names of one hash only wait for each other. A
SQLite database needs none: SQLite mode is a single instance, and tortoise runs its
transactions on the file one at a time.
"""

from __future__ import annotations

from tortoise.backends.base.client import BaseDBAsyncClient

__all__ = ["hold_until_commit"]


async def hold_until_commit(connection: BaseDBAsyncClient, name: str) -> None:
    """Inside a transaction (`connection`, from `in_transaction()`): lock `name` until the
    outermost transaction ends (a savepoint's end releases nothing)."""
    if connection.capabilities.dialect == "postgres":
        await connection.execute_query("SELECT pg_advisory_xact_lock(hashtext($1))", [name])
