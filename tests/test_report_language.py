"""The reports the `helpdesk-bot` commands print for people speak the deployment's language
(HELPDESK_DEFAULT_LANGUAGE, Russian by default) or their --lang; their JSON does not change."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import timedelta
from pathlib import Path

import pytest

from bot.report_words import report_texts, report_words
from bot.service_text import format_report, format_unresolved
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


def test_tickets_and_show_with_default_settings_are_in_russian(tmp_path: Path) -> None:
    assert run(["db", "migrate"], tmp_path).returncode == 0
    assert run(["tickets"], tmp_path).stdout == "открытых заявок нет\n"
    assert run(["chat"], tmp_path, stdin="vpn keeps dropping\n2\n").returncode == 0
    listed = run(["tickets"], tmp_path)
    assert listed.returncode == 0, listed.stderr
    first, second = listed.stdout.splitlines()
    assert first == "открытые заявки: 1 (обычный 1)"
    assert second.startswith("#1      обычный открыта      команда it           срок 20")
    assert second.endswith(" UTC  «vpn keeps dropping»")
    shown = run(["tickets", "show", "1"], tmp_path)
    assert shown.returncode == 0, shown.stderr
    lines = shown.stdout.splitlines()
    assert lines[0] == "заявка #1: открыта, обычный, команда it, офис -"
    assert lines[1].startswith("пользователь: ") and lines[2].startswith("открыта: 20")
    assert "\nтема: vpn keeps dropping\n" in shown.stdout
    transcript = shown.stdout.split("\nс момента открытия:\n")[1].splitlines()
    assert transcript[0].startswith("  20") and " UTC бот: " in transcript[0]  # in English:
    assert "I've recorded your question" in transcript[0]  # the user's language, as sent


@pytest.mark.parametrize(
    ("args", "config", "english"),
    [
        (["tickets", "--lang", "en"], None, True),
        (["tickets", "show", "1", "--lang", "en"], None, True),
        (["tickets", "--lang", "en", "show", "1"], None, True),
        (["tickets", "show", "1"], ENGLISH, True),
        (["tickets"], ENGLISH, True),
        (["tickets", "show", "1", "--lang", "ru"], ENGLISH, False),
        (["tickets", "--lang", "ru"], ENGLISH, False),
    ],
)
def test_tickets_speak_the_configured_language_or_lang(
    tmp_path: Path, args: list[str], config: str | None, english: bool
) -> None:
    assert run(["chat"], tmp_path, stdin="vpn keeps dropping\n2\n").returncode == 0
    result = run(args, tmp_path, config=config)
    assert result.returncode == 0, result.stderr
    first = result.stdout.splitlines()[0]
    english_first = "ticket #1: open, normal" if "show" in args else "open tickets: 1 (normal 1)"
    assert first.startswith(english_first) == english, first
    assert ("заяв" in first) != english, first


def test_tickets_json_is_the_same_in_either_language(tmp_path: Path) -> None:
    assert run(["chat"], tmp_path, stdin="vpn keeps dropping\n2\n").returncode == 0
    ru, en = (run(["tickets", "--json", "--lang", lang], tmp_path) for lang in ("ru", "en"))
    assert ru.returncode == en.returncode == 0, ru.stderr + en.stderr
    assert json.loads(ru.stdout) == json.loads(en.stdout)
    assert json.loads(ru.stdout)[0]["priority"] == "normal"


def test_russian_ticket_list_columns_line_up() -> None:
    tickets = [
        replace(_ticket("normal", (4, None), (24, None)), number=7, subject="VPN drops"),
        replace(_ticket("urgent", (1, None), (4, None)), number=9, subject="ERP is down"),
        replace(_ticket("low", (1, None), (8, None)), number=5, status="in_progress"),
    ]
    lines = format_unresolved(tickets, now=NOON + timedelta(hours=2), language="ru").splitlines()
    assert lines[0] == "открытые заявки: 3 (срочный 1, обычный 1, низкий 1)"
    assert "срок 2026-11-25 10:00 UTC  ПРОСРОЧЕНА  «ERP is down»" in lines[1]
    for word in ("команда", "срок"):
        assert len({line.index(word) for line in lines[1:]}) == 1, lines
    assert " низкий  в работе " in lines[2]
    assert format_unresolved([], now=NOON, language="ru") == "открытых заявок нет"


@pytest.mark.parametrize(
    ("count", "said"),
    [
        (1, "1 раз,"),
        (2, "2 раза,"),
        (5, "5 раз,"),
        (11, "11 раз,"),
        (21, "21 раз,"),
        (22, "22 раза,"),
    ],
)
def test_russian_counts_take_their_plural_form(count: int, said: str) -> None:
    line = report_words("ru", "ticket").count("reopened", count, at="2026-11-25 10:00 UTC")
    assert said in line
    english = report_words("en", "ticket").count("reopened", count, at="-")
    assert f"{count} time," in english if count == 1 else f"{count} times," in english
