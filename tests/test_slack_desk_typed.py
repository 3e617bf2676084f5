"""What a user types reaches the agents on a Slack desk as typed: a wildcard `*.pst`,
"press *", `_init_` or a path `~/docs` is not turned bold, italic or struck (mrkdwn has no
escape for its marks), and `<b>` or `&amp;` shows as those characters. End to end: the
composition root's Slack branch, the real slack-bolt stack and the fake Slack Web API;
`slack_reads` says what an agent reads in Slack."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from bot.adapters.slack.mrkdwn import escape
from bot.knowledge.base import KnowledgeBase
from tests.fakes.slack_api import Call
from tests.fakes.slack_desk import (
    DESK,
    DeskSide,
    claimed_thread,
    posted_in,
    running_desk,
    team_settings,
)
from tests.fakes.slack_reading import Reading, slack_reads

TYPED = (
    "*.pst",
    "a * b * c",
    "_init_",
    "~/docs",
    "<b>",
    "&amp;",
    "press *twice*",
    "copy ~/docs and ~/tmp~",
    "x_y_z and `ls`",
)


@pytest.fixture
async def desk(db_url: str, knowledge: KnowledgeBase) -> AsyncIterator[DeskSide]:
    async with running_desk(db_url, knowledge, team_settings()) as running:
        yield running


def reading(call: Call) -> Reading:
    """What the message's blocks show, one section a line."""
    sections = [b["text"]["text"] for b in call.args["blocks"] if b["type"] == "section"]
    return slack_reads("\n".join(sections))


def test_the_reading_model_sees_what_slack_formats() -> None:
    """The model the tests below rely on reads Slack's marks as Slack does."""
    assert slack_reads("*Ann:* a *b* c").styled == ("Ann:", "b")
    assert slack_reads("_init_ ~/docs and ~/tmp~").styled == ("init", "/docs and ~/tmp")
    assert slack_reads("x_y_z *.pst a * b * c &lt;b&gt;") == Reading(
        "x_y_z *.pst a * b * c <b>", ()
    )
    assert slack_reads("<!date^00000000^{_}|*>b*") == Reading("*b*", ())


async def test_a_users_words_reach_the_desks_thread_as_typed(desk: DeskSide) -> None:
    thread = await claimed_thread(desk)
    for typed in TYPED:
        await desk.dm(escape(typed))  # as Slack sends what its user typed

        def relayed(call: Call, typed: str = typed) -> bool:
            in_thread = posted_in(call, DESK) and call.args.get("thread_ts") == thread
            return in_thread and reading(call).text.endswith(f": {typed}")

        shown = reading(await desk.api.wait_until(relayed))
        name = shown.text.removesuffix(f" {typed}")
        assert shown.styled == (name,), typed  # the user's name is bold; their words plain


async def test_a_cards_question_shows_as_typed(desk: DeskSide) -> None:
    await desk.dm(escape("_init_ fails on *.pst and *.ost files, I want a human"))
    card = reading(await desk.card())
    assert "_init_ fails on *.pst and *.ost files" in card.text
    assert not any("init" in run or "pst" in run for run in card.styled), card.styled
