"""The reports the `helpdesk-bot` commands print for people speak the deployment's language
(HELPDESK_DEFAULT_LANGUAGE, Russian by default) or their --lang; their JSON does not change."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path

import pytest

from bot.report_words import report_texts
from bot.service_text import format_report
from tests.handoff_support import NOON
from tests.test_cli import run
from tests.test_service_report import _row, _ticket

ENGLISH = 'default_language = "en"\n'


def test_every_report_word_exists_in_both_languages() -> None:
    texts = report_texts()
    assert set(texts) == {"ru", "en"}
    assert set(texts["ru"]) == set(texts["en"])
    for report in texts["en"]:
        assert set(texts["ru"][report]) == set(texts["en"][report]), report
        assert all(text.strip() for lang in texts for text in texts[lang][report].values())


def test_report_with_default_settings_is_in_russian(tmp_path: Path) -> None:
    assert run(["chat"], tmp_path, stdin="vpn keeps dropping\n2\n").returncode == 0
    result = run(["report", "--days", "1"], tmp_path)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].startswith("с ") and lines[0].endswith(" UTC")
    assert lines[1].startswith("запросы к специалисту")
    assert any(line.startswith("все запросы ") for line in lines)
    assert "открыто заявок: 1 (обычный 1); сейчас открыты 1, в работе 0" in result.stdout
    assert "since" not in result.stdout and "tickets" not in result.stdout


@pytest.mark.parametrize(
    ("args", "config", "first"),
    [
        (["--lang", "en"], None, "since "),
        ([], ENGLISH, "since "),
        (["--lang", "ru"], ENGLISH, "с "),
    ],
)
def test_report_speaks_the_configured_language_or_lang(
    tmp_path: Path, args: list[str], config: str | None, first: str
) -> None:
    assert run(["db", "migrate"], tmp_path).returncode == 0
    result = run(["report", "--days", "1", *args], tmp_path, config=config)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith(first)


def test_report_json_is_the_same_in_either_language(tmp_path: Path) -> None:
    assert run(["chat"], tmp_path, stdin="vpn keeps dropping\n2\n").returncode == 0
    ru, en = (run(["report", "--json", "--lang", lang], tmp_path) for lang in ("ru", "en"))
    assert ru.returncode == en.returncode == 0, ru.stderr + en.stderr
    ru_figures, en_figures = json.loads(ru.stdout), json.loads(en.stdout)
    for figures in (ru_figures, en_figures):
        del figures["since"], figures["until"]  # a second apart
    assert ru_figures == en_figures
    assert ru_figures["tickets"]["priority"] == {"normal": 1}  # as stored, not "обычный"


def _columns_end_together(header: str, row: str, headings: list[str], values: list[str]) -> None:
    """Each heading's last letter is above its number's last digit."""
    for heading, value in zip(headings, values, strict=True):
        end = header.index(heading) + len(heading)
        assert row[end - len(value) : end] == value, (heading, header, row)
        assert row[end - len(value) - 1] == " ", (heading, header, row)


def test_russian_report_columns_line_up_under_their_headings() -> None:
    handoffs = [_row(3, rating=5), _row(1), _row(None, status="waiting", agent="")] * 4
    tickets = [_ticket("urgent", (1, 0), (4, 3)), _ticket("normal", (6, None), (24, None))]
    text = format_report(
        handoffs, tickets, since=NOON, now=NOON + timedelta(hours=5), language="ru"
    )
    lines = text.splitlines()
    header, everything = lines[1], next(x for x in lines if x.startswith("все запросы"))
    heads = ["всего", "взяли", "заявка", "ушли", "ждут"]
    figures = everything.removeprefix("все запросы").split()[:5]
    assert figures == ["12", "8", "0", "0", "4"]
    _columns_end_together(header, everything, heads, figures)
    assert everything[header.index("первый ответ") :].startswith("2 мин / 3 мин")
    agents = next(x for x in lines if x.startswith("специалист"))
    bob = next(x for x in lines if x.startswith("memory:bob"))
    _columns_end_together(agents, bob, ["закрыл", "решил"], bob.split()[1:3])
    rating = agents.index("оценка")
    assert bob[rating:].startswith("5.0 (4)")
    assert "приоритет срочный" in text and "команда it" in text
    assert "в срок 1, просрочено 0 (100%), срок не истёк 0" in text
