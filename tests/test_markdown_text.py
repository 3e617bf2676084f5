"""Markdown as plain text (`markdown_blocks.plain`), for a terminal."""

from __future__ import annotations

import pytest

from bot.markdown import literal
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
