"""The TOML file named by HELPDESK_CONFIG as editors save it."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from bot.config import load_settings


@pytest.fixture(autouse=True)
def clean_env(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in list(os.environ):
        if name.startswith(("HELPDESK_", "TELEGRAM_", "SLACK_")):
            monkeypatch.delenv(name)


def test_a_file_saved_with_a_byte_order_mark_is_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Windows' Notepad saved UTF-8 with a BOM, and the bot refused the file as "not valid
    TOML: Invalid statement (at line 1, column 1)", a line that looked right."""
    config = tmp_path / "helpdesk.toml"
    config.write_bytes('\ufeffhttp_port = 8081\r\ndefault_language = "en"\r\n'.encode())
    monkeypatch.setenv("HELPDESK_CONFIG", str(config))
    settings = load_settings()
    assert (settings.http_port, settings.default_language) == (8081, "en")
