"""A deployment's own intent phrases (HELPDESK_INTENTS_FILE) add to the built-in lists."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.adapters.memory import MemoryChat
from bot.app import build_engine, build_intents
from bot.config import Settings
from bot.errors import ConfigError
from bot.knowledge.base import KnowledgeBase
from bot.knowledge.files import MAX_FILE_BYTES
from bot.storage.models import Ticket

OWN = """
outage: [ERP is dead, 1С лежит]
urgent: [горим]
person: [🆘]
"""


def settings(tmp_path: Path, text: str, db_url: str = "sqlite://:memory:") -> Settings:
    path = tmp_path / "intents.yaml"
    path.write_text(text, encoding="utf-8")
    return Settings(database_url=db_url, intents_file=path, default_language="en")


def test_own_phrases_add_to_the_built_in_lists(tmp_path: Path) -> None:
    intents = build_intents(settings(tmp_path, OWN))
    assert intents.classify("the ERP is dead again!") == "outage"
    assert intents.classify("1с лежит") == "outage"
    assert intents.classify("сервер упал") == "outage"  # built in, still there
    assert intents.urgency("горим, сбросьте пароль") == "high"
    assert build_intents(Settings()).classify("the ERP is dead again!") is None
    assert intents.classify("🆘🆘") == "person"  # a sign of its own
    assert build_intents(Settings()).classify("🆘") is None


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("outages: [ERP is dead]", "intents.yaml:1: unknown list 'outages'"),
        ("outage: ERP is dead", "intents.yaml:1: 'outage' must be a list of phrases"),
        (
            "outage: [ERP is dead]\nurgent: [горим, 911]\n",
            "intents.yaml:2: 'urgent': 911 is not a phrase (text): put it in quotes",
        ),
        (
            "urgent:\n  - горим\n  - да: нет\n  -\n",
            "intents.yaml:3: 'urgent': да: нет is not a phrase (text): put it in quotes",
        ),
        ("urgent:\n  - горим\n  -\n", "intents.yaml:3: 'urgent': an empty item is not a phrase"),
        ("# ours\n[ERP is dead]", "intents.yaml:2: must map lists"),
        ("outage: [ERP is dead", "intents.yaml:1: not valid YAML"),  # the YAML error says where
        (
            "outage: [1С лежит\nurgent: [горим]\n",
            "intents.yaml:1: not valid YAML: the '[' on this line is not closed by ']'",
        ),
        ("urgent:\n\t- горим\n", "intents.yaml:2: not valid YAML: found character '\\t'"),
        # a no-break space pasted into the indent: YAML named line 3 ("could not find ':'")
        ("urgent:\n\u00a0 - горим\noutage: [ERP]\n", "intents.yaml:2: an invisible no-break"),
        ("urgent: " + "[" * 5000, "intents.yaml:1: not valid YAML: brackets or indents nested"),
        ("urgent: [горим]\n" + "#" * MAX_FILE_BYTES, "intents.yaml: too big: 1.0 MB; it may hold"),
    ],
)
def test_a_wrong_file_names_the_setting_and_the_problem(
    tmp_path: Path, text: str, says: str
) -> None:
    with pytest.raises(ConfigError) as raised:
        build_intents(settings(tmp_path, text))
    assert str(raised.value).startswith("HELPDESK_INTENTS_FILE")
    assert says in str(raised.value)


def test_a_file_in_a_windows_encoding_is_named_with_its_line(tmp_path: Path) -> None:
    """Saved in Windows-1251, it stopped the bot with Python's codec message: no file, no line."""
    path = tmp_path / "intents.yaml"
    path.write_bytes("outage: [ERP is dead]\nurgent: [горим]\n".encode("cp1251"))
    with pytest.raises(ConfigError) as raised:
        build_intents(Settings(intents_file=path))
    assert str(raised.value) == (
        "HELPDESK_INTENTS_FILE (or 'intents_file' in the config file): "
        f"{path}:2: not UTF-8 text (byte 0xe3); save the file as UTF-8"
    )


def test_a_missing_file_is_named(tmp_path: Path) -> None:
    missing = Settings(intents_file=tmp_path / "nope.yaml")
    with pytest.raises(ConfigError, match=r"nope\.yaml"):
        build_intents(missing)


async def test_an_own_outage_phrase_skips_self_help(
    db_url: str, knowledge: KnowledgeBase, tmp_path: Path
) -> None:
    engine = build_engine(settings(tmp_path, OWN, db_url), knowledge)
    [reply] = await MemoryChat(engine.handle).say("ERP is dead for the whole floor")
    ticket = await Ticket.get()
    assert ticket.priority == "urgent" and f"#{ticket.id}" in reply.text
