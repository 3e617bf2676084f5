"""The reports the `helpdesk-bot` commands print for people speak the deployment's language
(HELPDESK_DEFAULT_LANGUAGE, Russian by default) or their --lang; their JSON does not change."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot.gaps_text import format_gaps
from bot.report_words import report_texts, report_words
from bot.service_text import format_report, format_unresolved
from bot.storage.reports import MissedQuestion
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
    sla_header = next(x for x in lines if x.startswith("SLA заявок"))
    resolution = sla_header.index("решение")
    sla_rows = [x for x in lines if x.startswith(("все заявки", "приоритет "))][-3:]
    assert len(sla_rows) == 3  # all tickets, urgent, normal: their Russian is longer than 36
    for row in sla_rows:
        assert row[resolution - 2 : resolution + 7] == "  в срок ", (sla_header, row)


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


def test_kb_gaps_with_default_settings_is_in_russian(tmp_path: Path) -> None:
    chat = run(["chat"], tmp_path, stdin="заяц в париже завтра\nvpn keeps dropping\n2\n")
    assert chat.returncode == 0, chat.stderr
    out = tmp_path / "gaps.jsonl"
    result = run(["kb", "gaps", "--days", "7", "--jsonl", str(out)], tmp_path)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    counts = "нет совпадения 1, «Ничего из этого» 0, не помогло 1, прислал специалист 0"
    assert lines[0].startswith("с ")
    assert f" UTC: без ответа 2 вопроса ({counts}); перенаправлено 0; оценено 1 ответ" in lines[0]
    assert lines[1].startswith("статья ")
    assert "чаще всего спрашивали:" in lines
    assert "'vpn keeps dropping'  (не помогло: vpn-connect)" in result.stdout
    assert f"Записано вопросов: 2, в {out}: замените" in result.stdout
    assert out.read_text("utf-8").count('"expected": "?"') == 2  # the file is as it was


@pytest.mark.parametrize(
    ("args", "config", "first"),
    [
        (["--lang", "en"], None, "since "),
        ([], ENGLISH, "since "),
        (["--lang", "ru"], ENGLISH, "с "),
    ],
)
def test_kb_gaps_speaks_the_configured_language_or_lang(
    tmp_path: Path, args: list[str], config: str | None, first: str
) -> None:
    assert run(["db", "migrate"], tmp_path).returncode == 0
    result = run(["kb", "gaps", *args], tmp_path, config=config)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith(first)


def test_russian_gaps_columns_line_up_under_their_headings() -> None:
    now = datetime(2026, 11, 26, 12, 0, tzinfo=UTC)
    missed = [
        MissedQuestion("vpn?", "ru", "no_match", "vpn-connect", 0.3, now),
        MissedQuestion("впн", "ru", "not_helped", "vpn-connect", 0.9, now),
        MissedQuestion("больничный", "ru", "elsewhere", "not-it-hr", 0.9, now),
        MissedQuestion("погода", "ru", "no_match", None, None, now),
    ]
    text = format_gaps(missed, {"vpn-connect": (3, 1)}, since=now, language="ru")
    lines = text.splitlines()
    header = lines[1]
    heads = ["нет совпадения", "«Ничего из этого»", "не помогло", "прислал специалист"]
    heads.append("перенаправлено")
    vpn = next(line for line in lines if line.startswith("vpn-connect"))
    _columns_end_together(header, vpn, heads, ["1", "0", "1", "0", "0"])
    hr = next(line for line in lines if line.startswith("not-it-hr"))
    _columns_end_together(header, hr, heads, ["0", "0", "0", "0", "1"])
    assert vpn[header.index("полезна") :] == "3 из 4 (75%)"
    assert any(line.startswith("(ни одной близкой) ") for line in lines)
