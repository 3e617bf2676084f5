"""The desk quotes a long text by its start on one line (a resolve note, IT's reply, a
transcript line), still Markdown: no escape cut in two, no mark left open. A resolve note
longer than the user is sent is cut the same way, its lines kept."""

from __future__ import annotations

import pytest

from bot.handoff import DeskAction
from bot.handoff.text import markdown_clip, markdown_line
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


@pytest.mark.parametrize(
    ("tail", "shows"),
    [  # the note cut at 2,000 characters as typed ends in "\\", or in "**" left open
        (literal("x" * 1973 + "*" * 40), "x" * 1973 + "*" * 9),
        ("**" + "y" * 2000 + "**", "y" * 1982),
    ],
)
async def test_a_long_resolve_note_reaches_the_user_cut_by_what_it_shows(
    world: World, tail: str, shows: str
) -> None:
    number = await _ticket(world, "the plotter prints blank pages")
    note = "Replaced:\n- the **drum**\n\n" + tail
    done = await world.desk.act(agent("bob"), DeskAction("resolve", 0, ticket_id=number, text=note))
    assert done.ok
    told = [item.text for item in await world.drain("memory", "u1")][-1]
    cut = told.partition("is resolved: ")[2].partition("\n\nHow was the help?")[0]
    assert cut.startswith("Replaced:\n- the **drum**\n\n")  # its lines kept as written
    assert shown(cut) == "Replaced:\n- the drum\n\n" + shows + "…"


@pytest.mark.parametrize(
    ("markdown", "limit", "expected"),
    [
        ("  kept *as*\n\n  written  ", 14, "kept *as*\n\n  written"),
        ("1. **one**\n   two\n\nthree **four five**", 14, "1. **one**\n   two\n\nthree **f**…"),
        ("a\nb\\\nc **d\ne** f", 6, "a\nb\nc **d**…"),
        ("run:\n\n```sh\nnet use\nnet view\n```\nok", 14, "run:\n\n```sh\nnet use\nne\n```\n…"),
    ],
)
def test_markdown_clip_cuts_what_it_shows_and_keeps_lines(
    markdown: str, limit: int, expected: str
) -> None:
    assert markdown_clip(markdown, limit) == expected
