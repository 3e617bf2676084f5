"""`bench/run.py --only PART` runs that part of the benchmark alone (`make bench` runs all)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

_ARTICLES = {
    "vpn": ["vpn is down", "cannot connect to the vpn", "vpn keeps dropping", "vpn password"],
    "printer": ["printer jammed", "cannot print", "printer is offline", "add a printer"],
    "mail": ["mailbox is full", "cannot send mail", "mail is slow", "shared mailbox"],
    "wifi": ["wifi is slow", "no wifi in the office", "wifi password", "wifi keeps dropping"],
}
_QUESTIONS = [
    ("my vpn is down", "vpn"),
    ("the printer jammed again", "printer"),
    ("my mailbox is full", "mail"),
    ("office wifi is slow", "wifi"),
    ("what is the weather", None),
    ("book a table for two", None),
]


@pytest.fixture
def data(tmp_path: Path) -> Path:
    """A tiny stand-in for the shared data sets: CLINC150 of 4 articles, 6 questions."""
    clinc = tmp_path / "clinc150"
    clinc.mkdir()
    kb = [{"id": ident, "title": ident, "questions": qs} for ident, qs in _ARTICLES.items()]
    queries = [{"text": text, "expected": expected} for text, expected in _QUESTIONS]
    for name, records in (("kb", kb), ("queries_val", queries), ("queries", queries)):
        lines = (json.dumps(record) + "\n" for record in records)
        (clinc / f"{name}.jsonl").write_text("".join(lines), "utf-8")
    return tmp_path


def bench(data: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """bench/run.py ARGS on the data sets in `data` (HELPDESK_BENCH_DATA)."""
    return subprocess.run(
        [sys.executable, str(ROOT / "bench/run.py"), *args],
        capture_output=True,
        text=True,
        env={**os.environ, "HELPDESK_BENCH_DATA": str(data)},
        timeout=300,
        check=False,
    )


def headings(output: str) -> list[str]:
    return [line for line in output.splitlines() if line.startswith(("==", "  scale:"))]


def test_only_scale_runs_the_speed_at_scale_step_alone(data: Path) -> None:
    result = bench(data, "--only", "scale")
    assert result.returncode == 0, result.stderr
    lines = headings(result.stdout)
    assert lines[0] == "== speed at scale (CLINC150 questions, copied)"
    assert lines[1].startswith("  scale: 4 articles, 16 questions: build ")
    assert lines[2].startswith("  scale: 28 articles, 112 questions: build ")
    assert len(lines) == 3  # no quality figures, no demo KB, no other domains


def test_only_clinc_runs_its_quality_figures_alone(data: Path) -> None:
    result = bench(data, "--only", "clinc")
    assert result.returncode == 0, result.stderr
    assert headings(result.stdout) == [
        "== clinc150 queries_val: 4 articles, 6 questions",
        "== clinc150 queries (test): 4 articles, 6 questions",
        "== clinc150 queries_val, KB cut to 10 per article: 4 articles, 6 questions",
        "== clinc150 queries_val, KB cut to 5 per article: 4 articles, 6 questions",
    ]
    assert "  rapidfuzz " in result.stdout  # the baselines tuned on validation


def test_help_lists_the_parts_and_an_unknown_one_is_refused(data: Path) -> None:
    result = bench(data, "--help")
    assert result.returncode == 0, result.stderr
    for part in ("clinc", "scale", "demo", "domains"):
        assert f"\n  {part} " in result.stdout, part
    wrong = bench(data, "--only", "speed")
    assert (wrong.returncode, wrong.stdout) == (2, "")
    assert "invalid choice: 'speed'" in wrong.stderr


@pytest.mark.parametrize("part", ["clinc", "scale"])
def test_without_clinc150_data_the_part_says_where_it_looked(tmp_path: Path, part: str) -> None:
    result = bench(tmp_path, "--only", part)
    assert result.returncode == 0, result.stderr
    assert result.stdout == f"no CLINC150 data at {tmp_path}/clinc150 (set HELPDESK_BENCH_DATA)\n"
