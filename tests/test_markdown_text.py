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
