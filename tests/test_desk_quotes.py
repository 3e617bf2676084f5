"""The desk quotes a long text by its start on one line (a resolve note, IT's reply, a
transcript line), still Markdown: no escape cut in two, no mark left open."""

from __future__ import annotations

import pytest

from bot.handoff import DeskAction
from bot.handoff.text import markdown_line
from bot.knowledge.base import KnowledgeBase
from bot.markdown import literal
from tests.handoff_support import World, agent, build_world
from tests.test_card_tickets import _ticket
from tests.test_ticket_status import shown

STARS = "x" * 198 + "*.pst_old files"  # the cut falls between "\" and the "*" it escapes
BOLD = "Reset **" + "the password " * 20 + "now** and log in"


@pytest.fixture
def world(db_url: str, knowledge: KnowledgeBase) -> World:
    return build_world(db_url, knowledge)


@pytest.mark.parametrize(
    ("note", "quoted"),
    [
        (literal(STARS), STARS[:199] + "…"),
        (BOLD, ("Reset " + "the password " * 20)[:199].rstrip() + "…"),
    ],
)
async def test_a_long_resolve_note_is_quoted_by_its_start(
    world: World, note: str, quoted: str
) -> None:
    number = await _ticket(world, "the plotter prints blank pages")
    done = await world.desk.act(agent("bob"), DeskAction("resolve", 0, ticket_id=number, text=note))
    assert done.ok and shown(done.text).endswith(f"resolved by bob: {quoted}")


@pytest.mark.parametrize(
    ("markdown", "limit", "expected"),
    [
        ("short *and* kept\nas  one line", 50, "short *and* kept as one line"),
        (literal(r"C:\*.pst"), 5, r"C:\\\*…"),
        ("a **bold _and em_ words**", 12, "a **bold _and_**…"),
        ("see [the guide](https://x.org/g) now", 8, "see [the](https://x.org/g)…"),
        ("run `net use *` then", 10, "run `net u`…"),
    ],
)
def test_markdown_line_cuts_what_it_shows(markdown: str, limit: int, expected: str) -> None:
    assert markdown_line(markdown, limit) == expected
