"""The KB's gaps report: what the bot did not answer, near which article, what did not help."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot.adapters.memory import MemoryChat
from bot.engine import Engine
from bot.errors import KnowledgeError
from bot.gaps import by_article, frequent, labelling_template
from bot.gaps_text import format_gaps
from bot.knowledge.jsonl import load_queries
from bot.storage import reports
from bot.storage.models import UnansweredQuestion
from bot.storage.reports import MissedQuestion
from tests.test_cli import run

NOW = datetime(2026, 11, 26, 12, 0, tzinfo=UTC)


def _missed(text: str, reason: str, article: str | None, minutes_ago: int) -> MissedQuestion:
    at = NOW - timedelta(minutes=minutes_ago)
    return MissedQuestion(text, "en", reason, article, 0.3 if article else None, at)


async def test_the_report_counts_what_the_chat_did_not_answer(engine: Engine) -> None:
    chat = MemoryChat(engine.handle)
    await chat.say("заяц в париже завтра")  # no match: asked to rephrase
    await chat.say("vpn keeps dropping")
    await chat.press("Didn't help")
    colleague = MemoryChat(engine.handle, user_id="u2")  # the first's next words: its ticket's
    await colleague.say("впн не подключается")
    await colleague.press("Помогло")
    recent = await UnansweredQuestion.first()
    assert recent is not None
    old = await UnansweredQuestion.create(
        conversation_id=recent.conversation_id,
        text="asked long ago",
        language="en",
        reason="no_match",
    )
    await UnansweredQuestion.filter(id=old.id).update(created_at=NOW - timedelta(days=60))

    since = datetime.now(UTC) - timedelta(days=30)
    missed = await reports.missed_questions(since)
    feedback = await reports.feedback_counts(since)

    assert [(q.text, q.reason) for q in missed] == [
        ("vpn keeps dropping", "not_helped"),
        ("заяц в париже завтра", "no_match"),
    ]
    assert feedback == {"vpn-connect": (1, 1)}
    text = format_gaps(missed, feedback, since=since, language="en")
    counts = "no match 1, none of these 0, didn't help 1, agent sent 0"
    assert f"2 questions not answered ({counts}); 0 sent elsewhere; 2 answers rated" in text
    [row] = [line for line in text.splitlines() if line.startswith("vpn-connect")]
    assert row.split()[1:] == ["0", "0", "1", "0", "0", "1", "of", "2", "(50%)"]
    assert "asked long ago" not in text


def test_articles_with_most_misses_come_first_then_the_least_helpful() -> None:
    missed = [
        _missed("a", "no_match", None, 1),
        _missed("b", "no_match", None, 2),
        _missed("c", "not_helped", "vpn", 3),
    ]
    feedback = {"vpn": (9, 1), "printer": (1, 3), "mail": (4, 0)}
    order = [gap.article_id for gap in by_article(missed, feedback)]
    assert order == [None, "vpn", "printer", "mail"]


def test_a_question_that_came_near_no_article_is_no_gap_of_its_nearest() -> None:
    """ "кто выиграл матч вчера" scored 0.03 on file-restore, far below "did you mean", and the
    report counted it as a gap of file-restore."""
    far = MissedQuestion("кто выиграл матч вчера", "ru", "no_match", "file-restore", 0.03, NOW)
    close = MissedQuestion("restore my file pls", "en", "no_match", "file-restore", 0.2, NOW)
    counts = {gap.article_id: gap.missed.total() for gap in by_article([far, close], {}, near=0.15)}
    assert counts == {None: 1, "file-restore": 1}
    text = format_gaps([far], {}, since=NOW - timedelta(days=1), near=0.15, language="en")
    assert "1 question not answered" in text and "0 answers rated" in text
    assert [line.split()[:3] for line in text.splitlines()[2:3]] == [["(none", "near)", "1"]]
    assert "(no match; nearest file-restore 0.03)" in text  # the question's line still says


def test_the_same_question_in_any_case_or_spacing_counts_once_with_its_newest_asking() -> None:
    missed = [
        _missed("VPN  down", "no_match", "vpn", 1),
        _missed("printer jam", "no_match", None, 2),
        _missed("vpn down", "none_of_these", None, 3),
    ]
    [(count, first), (other, second)] = frequent(missed, limit=5)
    assert (count, first.text, first.reason) == (2, "VPN  down", "no_match")
    assert (other, second.text) == (1, "printer jam")
    assert frequent(missed, limit=1) == [(2, missed[0])]


def test_an_unlabelled_line_of_the_template_is_refused_by_kb_eval_until_filled_in(
    tmp_path: Path,
) -> None:
    """The template wrote `"expected": null` for a person to fill in, and kb eval read a line
    left as it was as "nothing should answer it" (null in the benchmark format): a question
    the KB should answer counted as one it rightly declined. Unfilled is now a marker, which
    kb eval refuses at its line, saying what to write and which article came nearest."""
    path = tmp_path / "gaps.jsonl"
    missed = [
        _missed("принтер дома", "no_match", "printer-add", 1),
        _missed("погода", "no_match", None, 2),
        _missed("wifi slow", "no_match", "wifi", 3),
    ]
    path.write_text("".join(line + "\n" for line in labelling_template(missed)), "utf-8")
    record = json.loads(path.read_text("utf-8").splitlines()[0])
    assert record["text"] == "принтер дома"
    assert record["expected"] == "?"
    assert (record["nearest"], record["reason"]) == ("printer-add", "no_match")
    with pytest.raises(KnowledgeError) as error:
        load_queries(path)
    assert str(error.value) == (
        f"{path}:1: 'expected' is not filled in (\"?\", as kb gaps wrote it): write the id of"
        " the article that should answer 'принтер дома' (the nearest was 'printer-add'), or"
        " null if no article should; also lines 2, 3"
    )
    labelled = path.read_text("utf-8").replace('"?"', '"printer-add"', 1).replace('"?"', "null")
    path.write_text(labelled, "utf-8")
    assert [q.expected for q in load_queries(path)] == [
        frozenset({"printer-add"}),
        frozenset(),
        frozenset(),
    ]


def test_kb_gaps_command_reports_a_scripted_chat_and_writes_the_template(tmp_path: Path) -> None:
    chat = run(["chat"], tmp_path, stdin="заяц в париже завтра\nvpn keeps dropping\n2\n")
    assert chat.returncode == 0, chat.stderr
    out = tmp_path / "gaps.jsonl"
    result = run(["kb", "gaps", "--days", "7", "--jsonl", str(out), "--lang", "en"], tmp_path)
    assert result.returncode == 0, result.stderr
    counts = "no match 1, none of these 0, didn't help 1, agent sent 0"
    assert f"2 questions not answered ({counts})" in result.stdout
    assert "'vpn keeps dropping'" in result.stdout
    assert f"2 questions written to {out}" in result.stdout
    assert [q["text"] for q in map(json.loads, out.read_text("utf-8").splitlines())] == [
        "vpn keeps dropping",
        "заяц в париже завтра",
    ]
    assert 'replace each "expected": "?" with the id of the article' in result.stdout
    evaluated = run(["kb", "eval", str(out), "--json"], tmp_path)
    assert (evaluated.returncode, evaluated.stdout) == (1, "")
    assert f"{out}:1: 'expected' is not filled in" in evaluated.stderr
    out.write_text(out.read_text("utf-8").replace('"?"', "null"), "utf-8")
    evaluated = run(["kb", "eval", str(out), "--json"], tmp_path)
    assert evaluated.returncode == 0, evaluated.stderr
    assert json.loads(evaluated.stdout)["n_queries"] == 2


def test_kb_gaps_counts_the_lines_it_wrote_not_the_askings(tmp_path: Path) -> None:
    """A question asked twice (any case or spacing) is one line of the template."""
    chat = run(["chat"], tmp_path, stdin="заяц в париже завтра\nЗаяц в  Париже завтра\n")
    assert chat.returncode == 0, chat.stderr
    out = tmp_path / "gaps.jsonl"
    result = run(["kb", "gaps", "--days", "7", "--jsonl", str(out), "--lang", "en"], tmp_path)
    assert result.returncode == 0, result.stderr
    assert "2 questions not answered" in result.stdout
    assert len(out.read_text("utf-8").splitlines()) == 1
    assert f"1 question written to {out}" in result.stdout


def test_kb_gaps_refuses_a_period_of_no_days(tmp_path: Path) -> None:
    result = run(["kb", "gaps", "--days", "0"], tmp_path)
    assert result.returncode == 2
    assert "--days" in result.stderr


def test_each_frequent_question_says_what_the_bot_did() -> None:
    missed = [
        _missed("home printer", "no_match", "printer-add", 1),
        _missed("vpn drops", "not_helped", "vpn-connect", 2),
        _missed("weather", "no_match", None, 3),
        _missed("mail", "none_of_these", None, 4),
    ]
    text = format_gaps(missed, {}, since=NOW - timedelta(days=1), language="en")
    assert "1× 'home printer'  (no match; nearest printer-add 0.30)" in text
    assert "1× 'vpn drops'  (didn't help: vpn-connect)" in text
    assert "1× 'weather'  (no match)" in text
    assert "1× 'mail'  (none of these)" in text


def test_questions_sent_elsewhere_are_counted_apart_and_are_no_gap() -> None:
    """An `elsewhere: true` article matched ("not for IT: ask HR") is not a gap of the KB: its
    row comes after the articles with misses, and each question says where it was sent."""
    missed = [
        _missed("vacation days", "elsewhere", "not-it-hr", 1),
        _missed("sick note", "elsewhere", "not-it-hr", 2),
        _missed("vpn?", "no_match", "vpn-connect", 3),
    ]
    assert [gap.article_id for gap in by_article(missed, {})] == ["vpn-connect", "not-it-hr"]
    text = format_gaps(missed, {}, since=NOW - timedelta(days=1), language="en")
    counts = "no match 1, none of these 0, didn't help 0, agent sent 0"
    assert f"1 question not answered ({counts}); 2 sent elsewhere; 0 answers rated" in text
    [row] = [line for line in text.splitlines() if line.startswith("not-it-hr")]
    assert row.split()[1:] == ["0", "0", "0", "0", "2", "-"]
    assert "1× 'sick note'  (sent elsewhere: not-it-hr)" in text


def test_a_helpful_share_short_of_all_never_reads_100_percent() -> None:
    """199 "Helped" and 1 "Didn't help" read "199 of 200 (100%)"; now ">99%"."""
    text = format_gaps(
        [], {"vpn-connect": (199, 1)}, since=datetime(2026, 11, 1, tzinfo=UTC), language="en"
    )
    assert "199 of 200 (>99%)" in text


def test_a_long_pasted_question_is_shown_shortened_on_one_line() -> None:
    """A user pasted a 3,000-character error log: "asked most often" printed all of it (and so
    did the agents' answers), a screenful for one line of the report. Each is shortened now,
    its whitespace made single spaces; `--jsonl` still writes the whole question."""
    log = "VPN error\n" + "at com.vpn.Client.connect(Client.java:42)\n" * 70
    missed = [
        _missed(log, "no_match", None, 1),
        _missed(log, "agent_article", "vpn-connect", 2),
    ]
    text = format_gaps(missed, {}, since=NOW - timedelta(days=1), language="en")
    asked = [line for line in text.splitlines() if line.startswith("    2× ")]
    assert asked and all(len(line) < 200 for line in text.splitlines())
    assert asked[0].startswith("    2× 'VPN error at com.vpn.Client.connect(Client.java:42) at")
    assert "…'" in asked[0]
    [line] = list(labelling_template(missed))
    assert json.loads(line)["text"] == log


async def test_none_of_these_counts_for_the_article_suggested_first(engine: Engine) -> None:
    """ "None of these" under "Did you mean" was kept with no article, so kb gaps counted it
    under "(none near)" and its labelling line had no `nearest`, though the bot had just
    offered articles near it: the gap is the first one offered's."""
    chat = MemoryChat(engine.handle)
    [suggested] = await chat.say("my wifi is dead lol")
    assert suggested.buttons[0].label == "Cannot connect to the office Wi-Fi"
    await chat.press("None of these")
    since = datetime.now(UTC) - timedelta(days=1)
    [missed] = await reports.missed_questions(since)
    assert (missed.reason, missed.article_id) == ("none_of_these", "wifi-connect")
    [gap] = by_article([missed], {})
    assert (gap.article_id, gap.missed["none_of_these"]) == ("wifi-connect", 1)
    [line] = labelling_template([missed])
    assert json.loads(line)["nearest"] == "wifi-connect"


def test_one_other_unlabelled_line_is_named_as_one(tmp_path: Path) -> None:
    """ "also lines 3" of a single line."""
    path = tmp_path / "gaps.jsonl"
    missed = [
        _missed("принтер дома", "no_match", "printer-add", 1),
        _missed("x", "no_match", None, 2),
    ]
    path.write_text("".join(line + "\n" for line in labelling_template(missed)), "utf-8")
    with pytest.raises(KnowledgeError) as error:
        load_queries(path)
    assert str(error.value).endswith("or null if no article should; also line 2")
