"""Markdown as plain text (`markdown_blocks.plain`), for a terminal."""

from __future__ import annotations

import pytest

from bot.markdown import literal, safe_markdown
from bot.markdown_blocks import plain

TYPED = r"\\fs01\buh\*.pst_old from *backup* <now> [x]"


@pytest.mark.parametrize(
    ("markdown", "expected"),
    [
        (literal(TYPED), TYPED),
        (
            "**IT:** see [the guide](https://x.org/g) or <https://x.org>",
            "IT: see the guide (https://x.org/g) or https://x.org",
        ),
        ("1. one\n2. *two*\n\n- a\n- `b*`", "1. one\n2. two\n\n- a\n- b*"),
        (
            "# Printer\n\n> quoted\n\n```\nnet use \\\\fs01\n```",
            "Printer\n\n> quoted\n\nnet use \\\\fs01",
        ),
    ],
)
def test_plain_shows_what_a_reader_sees(markdown: str, expected: str) -> None:
    assert plain(markdown) == expected


def test_typed_html_entities_are_shown_as_typed() -> None:
    """ "&copy;" typed by a user or an agent reached the reader as "©", "AT&amp;T" as "AT&T"."""
    typed = "AT&amp;T &copy; 2026 &#169; R&D"
    assert plain(literal(typed)) == typed
    assert safe_markdown().renderInline(literal(typed)) == typed.replace("&", "&amp;")


@pytest.mark.parametrize(
    "typed",
    [
        "# 1\n## 2\n---\n===\n+ a\n- b\n2) c\n3. d\n> e\n| f | g |\n|---|---|\nh | i\n--- | ---",
        "#1 and #2\n-5 °C\n3.5 kg\n2)c",
    ],
)
def test_typed_lines_stay_lines(typed: str) -> None:
    """A line that starts like a heading, a rule, a list, a quote or a table is a line of
    chat as typed; one that only looks a little like one ("#1", "-5") is not escaped."""
    assert plain(literal(typed)) == typed
    assert literal("#1 and -5") == "#1 and -5"
