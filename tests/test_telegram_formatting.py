"""A Telegram agent's formatting (entities beside the text) as the Markdown the user reads."""

from __future__ import annotations

import pytest
from telegram import MessageEntity

from bot.adapters.telegram.formatting import entities_markdown
from bot.markdown_blocks import plain


def entity(kind: str, offset: int, length: int, url: str | None = None) -> MessageEntity:
    return MessageEntity(kind, offset, length, url=url)


@pytest.mark.parametrize(
    ("text", "entities", "markdown"),
    [
        ("plain *.pst", [], r"plain \*.pst"),
        ("hello world", [entity("bold", 0, 11), entity("italic", 6, 5)], "**hello** ***world***"),
        ("run ls -la now", [entity("code", 4, 6)], "run `ls -la` now"),
        ("a `b` c", [entity("code", 2, 3)], "a `` `b` `` c"),
        ("x\nline 1\nline 2", [entity("pre", 2, 13)], "x\n\n```\nline 1\nline 2\n```\n"),
        ("ok 🙂 done", [entity("strikethrough", 6, 4)], "ok 🙂 ~~done~~"),  # UTF-16
        (
            "see guide",
            [entity("text_link", 4, 5, "https://x.example/g")],
            "see guide (https://x.example/g)",
        ),
        ("u s", [entity("underline", 0, 1), entity("spoiler", 2, 1)], "u s"),
        ("# 1 bold", [entity("bold", 4, 4)], r"\# 1 **bold**"),
    ],
)
def test_entities_become_marks_and_the_rest_stays_typed(
    text: str, entities: list[MessageEntity], markdown: str
) -> None:
    assert entities_markdown(text, entities) == markdown


def test_what_the_markdown_shows_is_what_the_agent_wrote() -> None:
    text = "# 1 bold *.pst ~/a_b_c"
    assert plain(entities_markdown(text, [entity("bold", 4, 4)])) == text


def test_a_lone_surrogate_is_kept_for_the_core_to_mend() -> None:
    """Telegram may send half of a pair (bot/wellformed.py mends it): it failed the reply."""
    assert entities_markdown("a \ud800 b", [entity("bold", 4, 1)]) == "a \ud800 **b**"
