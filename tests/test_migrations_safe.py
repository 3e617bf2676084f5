"""Every migration step applies to a database that has rows: a column it adds to a table is
either nullable or has a database default (a Python `default` is not one)."""

from __future__ import annotations

import importlib
import pkgutil

import pytest

import bot.storage.migrations as migrations


def _added_columns() -> list[tuple[str, str, object]]:
    added = []
    for info in pkgutil.iter_modules(migrations.__path__):
        module = importlib.import_module(f"{migrations.__name__}.{info.name}")
        for operation in module.Migration.operations:
            if type(operation).__name__ == "AddField":
                added.append((info.name, f"{operation.model_name}.{operation.name}", operation))
    return added


@pytest.mark.parametrize(("step", "column", "operation"), _added_columns())
def test_a_column_added_to_a_table_with_rows_gets_a_value(
    step: str, column: str, operation: object
) -> None:
    """Each such step is also run on rows in tests/test_upgrade.py where one was missed once:
    0017's `pressed` had a Python default only, and PostgreSQL and SQLite refused the column
    on a transcript with lines. This catches the next one before any database does."""
    field = operation.field  # type: ignore[attr-defined]
    assert field.null or field.has_db_default(), f"{step}: {column} needs null=True or db_default"
