"""How the web desk reads, in a real headless Chromium: which notices are warnings, what its
labels say, and where its thread starts."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import timedelta

import pytest
from playwright.async_api import expect

from bot.handoff import escalate_due
from bot.storage.models import Ticket
from tests.conftest import on_sqlite
from tests.desk_browser import (  # noqa: F401 - fixtures
    DeskSite,
    default_desk_language,
    default_desk_teams,
    desk_site,
    timed_out,
)
from tests.test_browser import ask, browser, chromium_path  # noqa: F401 - fixtures

pytestmark = [pytest.mark.browser, on_sqlite]

_LEFT_BORDER = "e => getComputedStyle(e).borderLeftColor"
RED = "rgb(179, 38, 30)"  # the desk's overdue and warning colour


async def test_only_a_warning_notice_is_marked_red(site: DeskSite) -> None:
    """The notice of a resolved ticket had the red left border of an SLA warning and read as
    an alarm: it is drawn calmly, and a missed SLA time keeps its red."""
    await timed_out(site.world, await site.page(), "the plotter jams, human please")
    site.world.clock.now += timedelta(hours=4)
    assert await escalate_due(site.world.desk.queue) == 1
    agent = await site.desk("alice")
    await agent.get_by_test_id("ticket-note").fill("Toner replaced")
    await agent.get_by_test_id("open-ticket").get_by_test_id("resolve").click()
    number = (await Ticket.get()).id
    notices = agent.get_by_test_id("notice")
    resolved = notices.filter(has_text=f"Ticket #{number} «the plotter jams")
    missed = notices.filter(has_text="missed its first-response time")
    await expect(resolved).to_be_visible()
    assert await missed.evaluate(_LEFT_BORDER) == RED
    assert await resolved.evaluate(_LEFT_BORDER) != RED


@pytest.mark.parametrize(
    ("desk_language", "button", "hint", "box"),
    [
        ("en", "Note for the team", "the user does not see it", "Note for the user, then"),
        ("ru", "Заметка для команды", "пользователь её не видит", "Заметка для пользователя"),
    ],
)
async def test_each_note_says_who_reads_it(
    site: DeskSite,
    desk_language: str,
    button: str,
    hint: str,
    box: str,
) -> None:
    """The thread's "Note" button (for the team only) and the box above the tickets ("A note
    for the user") were both a note: the button says now that it is the team's, and its hint
    that the user does not see it."""
    user = await site.page()
    await timed_out(site.world, user, "the plotter jams, human please")
    await ask(user, "and the scanner, human please")
    agent = await site.desk("alice")
    await agent.get_by_test_id("claim").click()
    note = agent.get_by_test_id("note")
    await expect(note).to_have_text(button)
    await expect(note).to_have_attribute("title", re.compile(hint))
    await expect(agent.get_by_test_id("ticket-note")).to_have_attribute(
        "placeholder", re.compile(f"^{box}")
    )


# How far below its title's text the thread's scrolling log begins, in pixels.
_BELOW_TITLE = """title => {
  const text = document.createRange();
  text.selectNodeContents(title);
  const log = document.querySelector('[data-testid="thread-log"]');
  return log.getBoundingClientRect().top - text.getBoundingClientRect().bottom;
}"""


@pytest.mark.parametrize("width", [375, 1280])
async def test_a_scrolled_thread_starts_a_little_below_its_title(
    site: DeskSite,
    width: int,
) -> None:
    """The thread's log began right under its title: scrolled to its end (as it opens), a
    long conversation was cut off against the title's text. There is room between them, and
    a line, as above the message box."""
    user = await site.page()
    await ask(user, "human please")
    agent = await site.desk("alice", width)
    await agent.get_by_test_id("claim").click()
    await ask(user, "\n".join(f"step {n}" for n in range(1, 41)))
    log = agent.get_by_test_id("thread-log")
    await expect(log.get_by_test_id("line").last).to_contain_text("step 40")
    assert await log.evaluate("log => log.scrollTop > 0")  # cut off at its top
    title = agent.get_by_test_id("thread-title")
    assert await title.evaluate(_BELOW_TITLE) >= 8
    assert await title.evaluate("e => getComputedStyle(e).borderBottomStyle") == "solid"


@pytest.mark.parametrize("desk_language", ["ru"])
async def test_the_russian_transfer_box_asks_for_a_support_team(site: DeskSite) -> None:
    """The box for where to transfer a request said "команда", which reads as "command" too:
    it asks for a support team, and its label for screen readers stays."""
    await ask(await site.page(), "human please")
    agent = await site.desk("alice", 375)
    await agent.get_by_test_id("claim").click()
    team = agent.get_by_test_id("transfer-team")
    await expect(team).to_have_attribute("placeholder", "команда поддержки")
    await expect(team).to_have_attribute("aria-label", "Команда, которой передать")


async def test_a_pasted_log_as_the_question_leaves_the_card_short(site: DeskSite) -> None:
    """A user pasted 400 lines of a log and asked for a person: the card showed all of them,
    7,000 pixels high on a phone, its Claim button (and every card after it) far below. The
    question keeps a few lines' height and scrolls; all of it is still there to read."""
    user = await site.page()
    log = "\n".join(f"10:{i % 60:02d} ERROR Outlook sync failed 0x8004010F" for i in range(400))
    await ask(user, f"Outlook does not sync:\n{log}")
    await expect(user.locator('[data-author="bot"]').last).to_contain_text("find an answer")
    await ask(user, "human please")
    await expect(user.locator('[data-author="bot"]').last).to_contain_text("queue")
    agent = await site.desk("alice", width=400)
    question = agent.get_by_test_id("card-question")
    await expect(question).to_contain_text("10:39 ERROR Outlook sync failed")
    await expect(agent.get_by_test_id("claim")).to_be_in_viewport()
    assert await question.evaluate("e => e.scrollHeight > e.clientHeight")


@pytest.mark.parametrize(
    ("desk_language", "authors"),
    [
        ("en", ["User", "Bot", "Agent", "Note for the team"]),
        ("ru", ["Пользователь", "Бот", "Специалист", "Заметка для команды"]),
    ],
)
async def test_a_screen_reader_hears_who_wrote_each_thread_line(
    site: DeskSite, desk_language: str, authors: list[str]
) -> None:
    """Who wrote a line was told by its colour alone: a screen reader read each line by its
    time ("09:00"), the user's words, the bot's, the agent's and the team's notes alike."""
    user = await site.page()
    await ask(user, "human please")
    agent = await site.desk("alice")
    await agent.get_by_test_id("claim").click()
    box = agent.get_by_test_id("thread-input")
    await box.fill("Is the VPN client open?")
    await box.press("Enter")
    await expect(box).to_have_value("")
    await box.fill("the user sounds upset")
    await agent.get_by_test_id("note").click()
    lines = agent.get_by_test_id("thread-log").get_by_test_id("line")
    await expect(lines).to_have_count(4)
    labels = [await line.get_attribute("aria-label") or "" for line in await lines.all()]
    assert [label.split(",")[0] for label in labels] == authors, labels


async def test_a_new_thread_line_is_added_to_those_shown(site: DeskSite) -> None:
    """The thread (a live log for a screen reader) was drawn anew for each new line: what
    was shown went and came back, to be read out again from its first line."""
    user = await site.page()
    await ask(user, "human please")
    agent = await site.desk("alice")
    await agent.get_by_test_id("claim").click()
    lines = agent.get_by_test_id("thread-log").get_by_test_id("line")
    await expect(lines).to_have_count(2)
    await lines.first.evaluate("line => { line.dataset.seen = 'yes'; }")
    await ask(user, "the VPN client says error 809")
    await expect(lines).to_have_count(3)
    await expect(lines.last).to_have_text("the VPN client says error 809")
    await expect(lines.first).to_have_attribute("data-seen", "yes")


async def test_a_card_says_the_group_and_a_thread_line_who_wrote_it_first(
    site: DeskSite,
) -> None:
    """A Telegram group's request and a message the user forwarded: the chat desks said so,
    the web desk showed neither (its lines come from the transcript)."""
    chat = site.world.chat("u1")
    in_group = {"group": True, "chat_title": "Branch <b>12</b>"}
    await chat.send(replace(chat.message("vpn is broken, I want a human"), **in_group))
    forwarded = replace(chat.message("error 809 again"), forwarded_from="Carol", **in_group)
    await chat.send(forwarded)
    agent = await site.desk("alice")
    card = agent.get_by_test_id("card")
    await expect(card.get_by_test_id("card-group")).to_have_text(
        "👥 Asked in the group «Branch <b>12</b>»: the replies go there, and everyone in it"
        " reads them."
    )
    await card.get_by_test_id("claim").click()
    said = agent.get_by_test_id("thread-log").locator('[data-author="user"]')
    await expect(said.last).to_contain_text("error 809 again")
    await expect(said.last.get_by_test_id("line-forwarded")).to_have_text("forwarded from Carol")
    await expect(agent.get_by_test_id("line-forwarded")).to_have_count(1)  # the user's own: none


async def test_a_card_says_the_user_asked_in_a_slack_channel(site: DeskSite) -> None:
    """A Slack channel thread's request: the agent's replies are public there, and the card
    said nothing (Slack's event names the channel by its id alone)."""
    chat = site.world.chat("u1")
    link = "https://slack.com/app_redirect?channel=C0GEN&team=T1"
    await chat.send(replace(chat.message("I want a human"), group=True, chat_link=link))
    agent = await site.desk("alice")
    await expect(agent.get_by_test_id("card").get_by_test_id("card-group")).to_have_text(
        "👥 Asked in a thread of a Slack channel: the replies go there, and everyone in the"
        " channel reads them."
    )
