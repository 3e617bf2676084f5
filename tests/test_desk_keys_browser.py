"""The web desk in a real headless Chromium: the keys and the looks an agent works with."""

from __future__ import annotations

import asyncio

import pytest
from playwright.async_api import Page, Route, expect

from bot.phrases import load_phrases
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
PHRASES = load_phrases()


async def test_enter_sends_the_reply_and_shift_enter_starts_a_new_line(site: DeskSite) -> None:
    """As in the user's chat (and Slack, Telegram): Enter sends. The desk's box took Enter as
    a new line, so an agent who typed a reply and pressed Enter sent nothing while the user
    waited."""
    user = await site.page()
    await ask(user, "human please")
    agent = await site.desk("alice")
    await agent.get_by_test_id("claim").click()
    box = agent.get_by_test_id("thread-input")
    await box.fill("Is the VPN client open?")
    await box.press("Shift+Enter")
    await box.press_sequentially("Which error does it show?")
    await expect(box).to_have_value("Is the VPN client open?\nWhich error does it show?")
    await box.press("Enter")
    agent_lines = user.locator('[data-author="agent"]')
    await expect(agent_lines.last).to_contain_text("Which error does it show?")
    await expect(agent_lines.last).to_contain_text("Is the VPN client open?")
    await expect(box).to_have_value("")


async def test_the_desks_answers_read_as_written(site: DeskSite) -> None:
    """The desk's answers to an action come in the Markdown Slack and Telegram get: the page
    showed it raw, the closest articles as one run-on line of "• `onec-error`: …" with
    backticks, and the agent's own words with the backslashes that keep them literal (a
    typed path's every "\\" doubled)."""
    await ask(await site.page(), "human please")
    agent = await site.desk("alice")
    await agent.get_by_test_id("claim").click()
    box, status = agent.get_by_test_id("thread-input"), agent.get_by_test_id("status")
    await box.fill(r"C:\Temp\*.pst")
    await agent.get_by_test_id("kb").click()
    await expect(status).to_contain_text(r"«C:\Temp\*.pst»")

    await box.fill("password")  # several articles fit: the closest, to send by id
    await agent.get_by_test_id("kb").click()
    await expect(status).to_contain_text("nothing was sent")
    await expect(status).not_to_contain_text("`")
    options = status.locator("code")
    await expect(options.first).to_be_visible()
    shown = await status.inner_text()
    assert shown.count("\n•") == await options.count() > 1, shown


async def test_a_tickets_buttons_stand_apart(site: DeskSite) -> None:
    """Pick up and Resolve touched each other, one pill run into the next: easy to press
    the wrong one, and Resolve tells the user their ticket is done."""
    await timed_out(site.world, await site.page(), "the plotter jams, human please")
    agent = await site.desk("alice")
    ticket = agent.get_by_test_id("open-ticket")
    pick_up = await ticket.get_by_test_id("pick-up").bounding_box()
    resolve = await ticket.get_by_test_id("resolve").bounding_box()
    assert pick_up is not None and resolve is not None
    assert resolve["x"] - (pick_up["x"] + pick_up["width"]) >= 6


@pytest.mark.parametrize("desk_language", ["en", "ru"])
async def test_a_tickets_priority_is_set_from_its_card(site: DeskSite, desk_language: str) -> None:
    """A ticket had Pick up and Resolve only: its priority could be set over the HTTP API,
    not from the page. Its card has a list, at the ticket's level, labelled with its number,
    and a button reached by Tab from it; the focus stays on it, and a phone scrolls not."""
    await timed_out(site.world, await site.page(), "the plotter jams, human please")
    number = (await Ticket.get()).id
    agent = await site.desk("alice", 375)
    ticket = agent.get_by_test_id("open-ticket")
    label = {"en": f"New priority of ticket #{number}", "ru": f"Новый приоритет заявки #{number}"}
    level = ticket.get_by_role("combobox", name=label[desk_language])
    await expect(level).to_have_value("normal")
    assert await agent.evaluate("document.documentElement.scrollWidth") <= 375
    await level.select_option("urgent")
    await level.focus()
    await agent.keyboard.press("Tab")
    set_it = ticket.get_by_test_id("ticket-priority")
    await expect(set_it).to_be_focused()
    await agent.keyboard.press("Enter")
    urgent = {"en": "🔴 URGENT", "ru": "🔴 СРОЧНО"}[desk_language]
    await expect(ticket.locator("h2")).to_contain_text(urgent)
    assert (await Ticket.get()).priority == "urgent"
    await expect(level).to_have_value("urgent")
    await expect(set_it).to_be_focused()


async def test_a_claim_from_the_keyboard_leaves_the_focus_in_the_message_box(
    site: DeskSite,
) -> None:
    """The Claim button goes with the card drawn again: the focus went with it to the page's
    body, and a keyboard-only agent had to Tab through every card to answer the user."""
    user = await site.page()
    await ask(user, "human please")
    agent = await site.desk("alice")
    await agent.get_by_test_id("claim").focus()
    await agent.keyboard.press("Enter")
    box = agent.get_by_test_id("thread-input")
    await expect(box).to_be_focused()
    await agent.keyboard.type("Is the VPN client open?")
    await agent.keyboard.press("Enter")
    await expect(user.locator('[data-author="agent"]').last).to_contain_text("VPN client open")


async def test_a_ticket_picked_up_from_the_keyboard_leaves_the_focus_in_the_message_box(
    site: DeskSite,
) -> None:
    """As a claim: the thread of the ticket opens, the message box has the focus."""
    user = await site.page()
    await timed_out(site.world, user, "the plotter jams, human please")
    agent = await site.desk("alice")
    await agent.get_by_test_id("pick-up").focus()
    await agent.keyboard.press("Enter")
    await expect(agent.get_by_test_id("thread")).to_be_visible()
    await expect(agent.get_by_test_id("thread-input")).to_be_focused()


@pytest.mark.parametrize("act", ["close", "ticket"])
async def test_after_a_request_is_done_from_the_keyboard_the_focus_goes_to_what_is_next(
    site: DeskSite, act: str
) -> None:
    """Close (or To ticket) pressed from the keyboard: the focus stayed on the button, now
    under the agent's next request's thread, so the next Enter closed that one too; with no
    request of theirs left it fell to the page. Now: the next thread's message box, else the
    waiting request's Claim."""
    first, second, third = [await site.page() for _ in range(3)]
    for user, words in ((first, "human please"), (second, "operator please")):
        await ask(user, words)
    agent = await site.desk("alice")
    claims = agent.get_by_test_id("claim")
    for left in (1, 0):  # each claim answered before the next (a press meanwhile is not sent)
        await claims.first.click()
        await expect(claims).to_have_count(left)
    await ask(third, "a person please")
    await expect(claims).to_have_count(1)

    title = agent.get_by_test_id("thread-title")
    shown = await title.inner_text()
    await agent.get_by_test_id(act).focus()
    await agent.keyboard.press("Enter")
    await expect(title).not_to_have_text(shown)  # the other request's thread
    await expect(agent.get_by_test_id("thread-input")).to_be_focused()

    await agent.get_by_test_id(act).focus()
    await agent.keyboard.press("Enter")
    await expect(agent.get_by_test_id("thread")).to_be_hidden()
    await expect(claims).to_be_focused()


async def test_a_poll_that_brings_a_request_claimed_in_another_tab_leaves_the_focus_be(
    site: DeskSite,
) -> None:
    """Only the tab the agent acted in moves the focus to the message box."""
    user = await site.page()
    await timed_out(site.world, user, "the plotter jams, human please")  # a ticket's note box
    await ask(user, "human please")
    other = await site.desk("alice")
    agent = await site.desk("alice")
    await agent.get_by_test_id("ticket-note").focus()
    await other.get_by_test_id("claim").click()
    await expect(agent.get_by_test_id("thread")).to_be_visible()
    await expect(agent.get_by_test_id("ticket-note")).to_be_focused()


async def test_enter_in_the_team_box_transfers(site: DeskSite) -> None:
    """The team typed, Enter did nothing: the agent had to find the Transfer button."""
    user = await site.page()
    await ask(user, "human please")
    agent = await site.desk("alice")
    await agent.get_by_test_id("claim").click()
    await agent.get_by_test_id("transfer-team").fill("it")
    await agent.get_by_test_id("transfer-team").press("Enter")
    await expect(agent.get_by_test_id("thread")).to_be_hidden()
    told = user.locator('[data-author="agent"]').last
    await expect(told).to_contain_text("passed to the it team")


async def hold_first_act(agent: Page) -> tuple[list[Route], asyncio.Event]:
    """Hold the desk page's next action at the server's door (its answer slow to come): the
    held route, to continue, and an event set once it is held; later ones go through."""
    held: list[Route] = []
    arrived = asyncio.Event()

    async def hold(route: Route) -> None:
        if held:
            return await route.continue_()
        held.append(route)
        arrived.set()
        return None

    await agent.route("**/api/agent/act", hold)
    return held, arrived


async def test_what_is_typed_while_a_reply_is_on_its_way_stays_in_the_box(
    site: DeskSite,
) -> None:
    """The box was emptied when the server took the reply: what the agent had typed since
    (the server slow to answer) went with it, never sent."""
    user = await site.page()
    await ask(user, "human please")
    agent = await site.desk("alice")
    await agent.get_by_test_id("claim").click()
    held, arrived = await hold_first_act(agent)  # this reply's answer is slow to come
    box = agent.get_by_test_id("thread-input")
    await box.fill("Is the VPN client open?")
    await box.press("Enter")
    await arrived.wait()
    await box.press_sequentially(" And which error")
    await held[0].continue_()

    await expect(user.locator('[data-author="agent"]').last).to_contain_text("VPN client open?")
    await expect(agent.get_by_test_id("status")).to_contain_text("Sent")
    await expect(box).to_have_value("And which error")


async def test_a_note_typed_while_a_resolve_is_on_its_way_stays_in_the_box(
    site: DeskSite,
) -> None:
    """As the message box: the note box was emptied when the server took the resolve, and
    the note begun meanwhile for the next ticket went with it."""
    user = await site.page()
    await timed_out(site.world, user, "the plotter on floor 2 jams, human please")
    agent = await site.desk("alice")
    held, arrived = await hold_first_act(agent)  # the resolve's answer is slow to come
    note = agent.get_by_test_id("ticket-note")
    await note.fill("New fuser unit fitted")
    await agent.get_by_test_id("resolve").click()
    await arrived.wait()
    await note.press("End")
    await note.press_sequentially("\nToner for floor 3 ordered")
    await held[0].continue_()

    await expect(agent.get_by_test_id("open-ticket")).to_have_count(0)
    await expect(note).to_have_value("Toner for floor 3 ordered")


async def test_send_article_and_note_with_an_empty_box_say_what_to_type(site: DeskSite) -> None:
    """ "Send article" and "Note for the team" pressed with the box empty did nothing: no line
    said why, and the line of the action before stayed, as if it were their answer."""
    user = await site.page()
    await ask(user, "human please")
    agent = await site.desk("alice")
    await agent.get_by_test_id("claim").click()
    status = agent.get_by_test_id("status")
    await expect(status).to_contain_text("is taken by alice")
    await agent.get_by_test_id("kb").click()
    await expect(status).to_have_text(PHRASES.get("en", "desk_kb_usage"))
    await agent.get_by_test_id("thread-input").fill("   ")
    await agent.get_by_test_id("note").click()
    await expect(status).to_have_text(PHRASES.get("en", "desk_note_usage"))
