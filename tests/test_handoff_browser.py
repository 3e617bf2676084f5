"""The web agent page in a real headless Chromium: claim, reply, close, with a web user."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import timedelta

import pytest
from playwright.async_api import Page, Route, expect

from bot.handoff import Teams, escalate_due
from bot.storage.models import Handoff, OutboxMessage, Ticket
from bot.zones import local_time
from tests.conftest import on_sqlite
from tests.desk_browser import (  # noqa: F401 - fixtures
    DONE,
    DeskSite,
    default_desk_language,
    default_desk_teams,
    desk_site,
    timed_out,
)
from tests.handoff_support import IT, NET
from tests.test_browser import ask, browser, chromium_path  # noqa: F401 - fixtures

pytestmark = [pytest.mark.browser, on_sqlite]


async def test_agent_claims_replies_and_closes(site: DeskSite) -> None:
    user = await site.page()
    agent = await site.desk("alice")

    await ask(user, "<img src=x onerror=alert(1)> human please")
    card = agent.get_by_test_id("card")
    await expect(card.get_by_test_id("card-question")).to_contain_text("<img src=x")
    await card.get_by_test_id("claim").click()
    await expect(agent.get_by_test_id("thread")).to_be_visible()
    agent_lines = user.locator('[data-author="agent"]')
    await expect(agent_lines.first).to_contain_text("alice from IT has joined")

    await agent.get_by_test_id("thread-input").fill("Please restart the VPN client")
    await agent.get_by_test_id("thread-send").click()
    await expect(agent_lines.nth(1)).to_contain_text("Please restart the VPN client")
    await agent.get_by_test_id("thread-input").fill("vpn-connect")  # a KB article, by id
    await agent.get_by_test_id("kb").click()
    await expect(agent_lines.nth(2)).to_contain_text(
        "alice sent you an article: VPN does not connect"
    )
    await expect(agent.get_by_test_id("thread-input")).to_have_value("")
    await ask(user, "done, it works")
    thread = agent.get_by_test_id("thread-log").locator('[data-author="user"]')
    await expect(thread.last).to_have_text("done, it works")

    await agent.get_by_test_id("close").click()
    await expect(agent.get_by_test_id("thread")).to_be_hidden()
    await expect(agent.get_by_test_id("status")).to_have_class(DONE)  # not in error red
    await expect(agent_lines.nth(3)).to_contain_text("closed the chat")
    scores = agent_lines.nth(3).get_by_test_id("reply-button")
    await expect(scores).to_have_text(["1", "2", "3", "4", "5"])
    await scores.nth(4).click()
    await expect(user.locator('[data-author="bot"]').last).to_contain_text(
        "Thank you for the rating"
    )
    assert (await Handoff.get()).rating == 5
    await user.screenshot(path="/tmp/webchat-handoff-user.png")  # noqa: S108
    await agent.screenshot(path="/tmp/webchat-handoff-agent.png")  # noqa: S108
    assert await agent.locator(".desk-card img").count() == 0


async def test_a_card_names_the_users_open_ticket(site: DeskSite) -> None:
    user = await site.page()
    await timed_out(site.world, user, "the <b>plotter</b> jams, human please")
    await ask(user, "human please")
    agent = await site.desk("alice")
    tickets = agent.get_by_test_id("card").get_by_test_id("card-tickets")
    await expect(tickets).to_have_text("The user's other tickets: #1 «the <b>plotter</b> jams»")


async def test_an_outage_card_names_who_else_reported_it(site: DeskSite) -> None:
    """Two visitors report one outage: one card, which names the second (no card of its own)."""
    await ask(await site.page(), "VPN is down for everyone")
    await ask(await site.page(), "VPN is down for everyone <b>here</b>")
    agent = await site.desk("alice")
    await expect(agent.get_by_test_id("card")).to_have_count(1)
    also = agent.get_by_test_id("card").get_by_test_id("card-also-reported")
    await expect(also).to_have_text(
        re.compile(r"^🔗 Also reported by Web visitor \w+ \(#2\): 2 reports in all$")
    )


async def test_agent_picks_up_an_open_ticket(site: DeskSite) -> None:
    user = await site.page()
    await timed_out(site.world, user, "<img src=x onerror=alert(1)> human please")
    agent = await site.desk("alice")
    ticket = agent.get_by_test_id("open-ticket")
    await expect(ticket.get_by_test_id("ticket-subject")).to_contain_text("<img src=x")
    # When it was opened, as its due time: in the team's zone, named. The database stamps
    # a new ticket with the wall clock's time, not the test's clock (as `due` is): any date.
    opened = re.compile(r" · net · \d{4}-\d\d-\d\d \d\d:\d\d \(UTC\)$")
    await expect(ticket.locator("h2")).to_have_text(opened)
    due = ticket.get_by_test_id("ticket-due")  # normal: a first response in 4 h, 24/7
    await expect(due).to_have_text("Due by 2026-11-25 13:00 (UTC)")
    site.world.clock.now += timedelta(hours=4)  # the desk page polls: it turns overdue
    await expect(due).to_have_text("⚠️ Overdue since 2026-11-25 13:00 (UTC)")
    await expect(due).to_have_class("overdue")
    assert await escalate_due(site.world.desk.queue) == 1  # the breach, for the web desk too
    notice = agent.get_by_test_id("notice")
    number = (await Ticket.get()).id
    await expect(notice).to_contain_text(f"Ticket #{number} (normal")
    await expect(notice).to_contain_text("missed its first-response time")
    await ticket.get_by_test_id("pick-up").click()
    await expect(agent.get_by_test_id("thread")).to_be_visible()
    await expect(agent.get_by_test_id("open-ticket")).to_have_count(0)
    # Answered now: its card shows the resolution's due time (24 h, around the clock).
    await expect(agent.get_by_test_id("card-due")).to_have_text("Due by 2026-11-26 09:00 (UTC)")
    agent_lines = user.locator('[data-author="agent"]')
    await expect(agent_lines.last).to_contain_text("alice from IT picked up your ticket")
    await agent.get_by_test_id("thread-input").fill("On it")
    await agent.get_by_test_id("thread-send").click()
    await expect(agent_lines.last).to_contain_text("On it")
    assert await agent.locator(".desk-card img").count() == 0


async def test_a_press_after_an_answer_is_not_lost_while_the_board_reloads(site: DeskSite) -> None:
    """An action's answer is shown, then the board is fetched again: a button pressed in
    between (the refusal read, the note typed, Resolve again) goes, it is not dropped as a
    double click. A slow board (a busy server) made the second press do nothing."""
    user = await site.page()
    await timed_out(site.world, user, "the plotter on floor 2 jams, human please")
    agent = await site.desk("alice")
    held: list[Route] = []
    await agent.route("**/api/agent/board", lambda route: held.append(route))  # it waits
    ticket = agent.get_by_test_id("open-ticket")
    await ticket.get_by_test_id("resolve").click()  # no note: refused
    await expect(agent.get_by_test_id("status")).to_contain_text("Add a short note")
    await agent.get_by_test_id("ticket-note").fill("fuser unit fitted")
    await ticket.get_by_test_id("resolve").click()
    await expect(agent.get_by_test_id("status")).to_have_class(DONE)
    assert held, "the board was not held back"
    await agent.unroute("**/api/agent/board")  # the held requests go on
    assert (await Ticket.get()).status == "resolved"


@pytest.mark.parametrize(
    "desk_teams", [Teams((IT, replace(NET, timezone="Asia/Tokyo")), default="net")], ids=["tokyo"]
)
async def test_agent_resolves_an_open_ticket_with_a_note(site: DeskSite) -> None:
    user = await site.page()
    await timed_out(site.world, user, "the plotter on floor 2 jams, human please")
    number = (await Ticket.get()).id
    agent = await site.desk("alice")
    ticket = agent.get_by_test_id("open-ticket")
    await ticket.get_by_test_id("resolve").click()  # no note yet: refused, nothing done
    await expect(agent.get_by_test_id("status")).to_contain_text("Add a short note")
    await expect(agent.get_by_test_id("status")).not_to_have_class(DONE)
    note = agent.get_by_test_id("ticket-note")
    await note.fill("<b>New</b> fuser unit fitted")
    await ticket.get_by_test_id("resolve").click()
    await expect(agent.get_by_test_id("status")).to_have_class(DONE)
    await expect(agent.get_by_test_id("open-ticket")).to_have_count(0)
    await expect(note).to_have_value("")
    await expect(agent.get_by_test_id("notice")).to_contain_text(
        f"Ticket #{number} «the plotter on floor 2 jams» resolved by alice: "
        "<b>New</b> fuser unit fitted"
    )
    # Its time as a ticket's are shown: in the team's zone, named (it was the browser's
    # clock with no zone, "11/27/26, 8:40 AM"). The database stamps a notice with the wall
    # clock's time, not the test's clock.
    made = await OutboxMessage.filter(kind="notice").order_by("-id").first()
    assert made is not None
    when = re.escape(local_time(made.created_at, "Asia/Tokyo"))
    await expect(agent.get_by_test_id("notice")).to_have_text(re.compile(f"^{when} · ☑️ Ticket"))
    await expect(user.locator('[data-author="agent"]').last).to_contain_text(
        f"Your ticket #{number} «the plotter on floor 2 jams» is resolved: "
        "<b>New</b> fuser unit fitted"
    )
    assert (await Ticket.get()).status == "resolved"
    assert await agent.locator(".desk-card b, #notices b").count() == 0


# Whether a box's placeholder shows whole: laid out in the box's own width, font and padding
# (wrapped, as a textarea wraps it), it needs no more height than the box has.
_PLACEHOLDER_FITS = """box => {
  const style = getComputedStyle(box);
  const probe = document.createElement("div");
  probe.textContent = box.placeholder;
  for (const name of ["font", "letterSpacing", "lineHeight", "padding", "border", "boxSizing"]) {
    probe.style[name] = style[name];
  }
  const shape = box.getBoundingClientRect();
  const width = `${shape.width}px`;
  Object.assign(probe.style, { position: "absolute", visibility: "hidden", width });
  document.body.append(probe);
  const needed = probe.getBoundingClientRect().height;
  probe.remove();
  return shape.width > 0 && needed <= shape.height + 0.5;
}"""


@pytest.mark.parametrize(("desk_language", "width"), [("en", 375), ("ru", 375), ("ru", 320)])
async def test_the_resolve_note_box_shows_its_hint_whole_on_a_phone(
    site: DeskSite,
    desk_language: str,
    width: int,
) -> None:
    """At 375 pixels (a phone) the box for a ticket's note showed its Russian hint cut off
    (one line of "Заметка для пользователя, затем «Ре"): it wraps now, whole, in either
    language, on the narrowest phones too."""
    user = await site.page()
    await timed_out(site.world, user, "the plotter on floor 2 jams, human please")
    agent = await site.desk("alice", width)
    note = agent.get_by_test_id("ticket-note")
    await expect(note).to_be_visible()
    assert await note.evaluate(_PLACEHOLDER_FITS), await note.get_attribute("placeholder")
    assert await agent.evaluate("document.documentElement.scrollWidth") <= width
    await note.fill("Toner replaced\nand the tray cleaned")  # a note of two lines
    await agent.get_by_test_id("open-ticket").get_by_test_id("resolve").click()
    await expect(agent.get_by_test_id("open-ticket")).to_have_count(0)
    assert (await Ticket.get()).status == "resolved"


# How a box looks: what the page's text boxes share (its font, border, corners, colours).
_LOOK = """box => {
  const style = getComputedStyle(box);
  const names = ["fontFamily", "fontSize", "borderTopWidth", "borderTopColor",
                 "borderTopLeftRadius", "backgroundColor", "color"];
  return Object.fromEntries(names.map(name => [name, style[name]]));
}"""
# Whether an input's placeholder fits on its one line, in the box's font, inside its padding.
_ONE_LINE_FITS = """box => {
  const style = getComputedStyle(box);
  const probe = document.createElement("span");
  probe.textContent = box.placeholder;
  Object.assign(probe.style, { font: style.font, letterSpacing: style.letterSpacing,
                               position: "absolute", visibility: "hidden", whiteSpace: "pre" });
  document.body.append(probe);
  const needed = probe.getBoundingClientRect().width;
  probe.remove();
  const room = box.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
  return needed <= room;
}"""


@pytest.mark.parametrize("desk_language", ["en", "ru"])
async def test_the_transfer_team_box_is_styled_as_the_pages_other_boxes(
    site: DeskSite,
    desk_language: str,
) -> None:
    """The box for the team to transfer to, beside the Transfer button, was a bare input (the
    browser's small font and grey frame): on a phone (375 pixels) it looks as the reply box
    above it does, shows its hint whole, and the page does not scroll sideways."""
    user = await site.page()
    await ask(user, "human please")
    agent = await site.desk("alice", 375)
    await agent.get_by_test_id("claim").click()
    team = agent.get_by_test_id("transfer-team")
    await expect(team).to_be_visible()
    reply_box = await agent.get_by_test_id("thread-input").evaluate(_LOOK)
    assert await team.evaluate(_LOOK) == reply_box
    assert await team.evaluate(_ONE_LINE_FITS), await team.get_attribute("placeholder")
    button = await agent.get_by_test_id("transfer").bounding_box()
    box = await team.bounding_box()
    assert box is not None and button is not None
    assert box["height"] <= button["height"] + 1  # as low as the button beside it
    assert await agent.evaluate("document.documentElement.scrollWidth") <= 375


async def test_the_login_boxes_are_styled_as_the_pages_other_boxes(site: DeskSite) -> None:
    """The login form's name and password boxes were bare inputs (the browser's small font and
    grey frame, the password's beside its label, the name's under it) on a styled page: they
    look as the page's other text boxes do, one under the other, as wide as each other."""
    agent = await site.page("/agent")
    name, password = agent.get_by_test_id("login-name"), agent.get_by_test_id("login-password")
    await expect(name).to_be_visible()
    reply_box = await agent.get_by_test_id("thread-input").evaluate(_LOOK)  # hidden yet
    assert await name.evaluate(_LOOK) == reply_box
    assert await password.evaluate(_LOOK) == reply_box
    shapes = [await box.bounding_box() for box in (name, password)]
    assert shapes[0] is not None and shapes[1] is not None
    assert (shapes[0]["x"], shapes[0]["width"]) == (shapes[1]["x"], shapes[1]["width"])
    await agent.screenshot(path="/tmp/webdesk-login.png")  # noqa: S108


@pytest.mark.parametrize("desk_language", ["ru"])
async def test_a_russian_desk_shows_its_page_in_russian(site: DeskSite) -> None:
    agent = await site.page("/agent")
    await expect(agent.get_by_test_id("login-submit")).to_have_text("Войти")
    await agent.get_by_test_id("login-password").fill("wrong")
    await agent.get_by_test_id("login-name").fill("mallory")
    await agent.get_by_test_id("login-submit").click()
    await expect(agent.get_by_test_id("status")).to_contain_text("не принадлежат")
    await expect(agent.get_by_test_id("status")).not_to_have_class(DONE)
    await agent.get_by_test_id("login-name").fill("alice")
    await agent.get_by_test_id("login-submit").click()
    await expect(agent.get_by_test_id("no-cards")).to_have_text("Ожидающих запросов нет.")

    user = await site.page()
    await ask(user, "human please")
    card = agent.get_by_test_id("card")
    await expect(card.get_by_test_id("claim")).to_have_text("Взять")
    await expect(card.locator("h2")).to_contain_text("(web, ")
    await expect(card.locator("h2")).not_to_contain_text("офис")  # the user chose none
    await expect(card.locator("h2")).to_contain_text("обычный приоритет")
    await expect(card.locator("h2")).to_contain_text("· ждёт")
    await card.get_by_test_id("claim").click()
    await expect(agent.get_by_test_id("close")).to_have_text("Закрыть")
    await expect(agent.get_by_test_id("kb")).to_have_text("Отправить статью")
    await expect(card.locator("h2")).to_contain_text("· в работе · alice")
    await expect(agent.get_by_test_id("thread-title")).to_contain_text("Запрос #1")


async def test_an_outage_is_listed_first_and_marked_urgent(site: DeskSite) -> None:
    await ask(await site.page(), "human please")
    await ask(await site.page(), "nobody can log in to the CRM")
    agent = await site.desk("alice")
    cards = agent.get_by_test_id("card")
    await expect(cards).to_have_count(2)
    await expect(cards.first.get_by_test_id("card-question")).to_have_text(
        "nobody can log in to the CRM"
    )
    await expect(cards.first.locator("h2")).to_contain_text("🔴 URGENT")
    await expect(cards.nth(1).locator("h2")).to_contain_text("normal priority")


async def test_the_agent_sets_the_priority_of_the_open_request(site: DeskSite) -> None:
    """Beside Transfer, a list of priorities and "Set priority": an "outage" that is none
    goes back to normal (it showed no such control: only the user's words set it)."""
    await ask(await site.page(), "nobody can log in to the CRM")
    agent = await site.desk("alice")
    await agent.get_by_test_id("claim").click()
    level, button = agent.get_by_test_id("priority-level"), agent.get_by_test_id("priority")
    await expect(level).to_have_value("urgent")
    # the list stands no taller than a button, which it would stretch, as the buttons of a
    # row without it (KB's) show
    shapes = [await box.bounding_box() for box in (level, button, agent.get_by_test_id("kb"))]
    heights = [shape["height"] for shape in shapes if shape is not None]
    assert len(heights) == 3 and max(heights) <= heights[2] + 1, heights
    await level.select_option("normal")
    await button.click()
    status = agent.get_by_test_id("status")
    await expect(status).to_contain_text("priority set to normal by alice (was 🔴 URGENT)")
    await expect(agent.get_by_test_id("card").locator("h2")).to_contain_text("normal priority")


async def test_the_priority_list_shows_the_open_requests_own_level(site: DeskSite) -> None:
    """The list beside "Set priority" showed "Priority…" whatever the request was: an agent
    who pressed Set priority then sent no level. It shows the open request's level, for each
    thread shown; a level chosen but not set yet stays through the board's polls."""
    await ask(await site.page(), "nobody can log in to the CRM")
    agent = await site.desk("alice")
    await agent.get_by_test_id("claim").click()
    level = agent.get_by_test_id("priority-level")
    await expect(level).to_have_value("urgent")
    await ask(await site.page(), "human please, the scanner")
    await agent.locator('[data-status="waiting"]').get_by_test_id("claim").click()
    await expect(agent.get_by_test_id("thread-title")).to_contain_text("#2")
    await expect(level).to_have_value("normal")
    await agent.locator('[data-id="1"]').get_by_test_id("open").click()
    await expect(agent.get_by_test_id("thread-title")).to_contain_text("#1")
    await expect(level).to_have_value("urgent")
    await level.select_option("high")  # chosen, not set yet: the polls leave it be
    await polled(agent)
    await expect(level).to_have_value("high")
    await agent.get_by_test_id("priority").click()
    await expect(agent.get_by_test_id("status")).to_contain_text("priority set to high by alice")
    await expect(level).to_have_value("high")


async def test_the_thread_follows_the_request_the_agent_claims(site: DeskSite) -> None:
    """An agent with two chats answers the one they just claimed, and opens the other at will
    (the thread used to stay on the first chat, and the reply went to its user)."""
    first, second = await site.page(), await site.page()
    await ask(first, "human please, the printer")
    agent = await site.desk("alice")
    await agent.get_by_test_id("claim").click()
    title = agent.get_by_test_id("thread-title")
    await expect(title).to_contain_text("#1")
    await ask(second, "human please, the scanner")
    await agent.locator('[data-status="waiting"]').get_by_test_id("claim").click()
    await expect(title).to_contain_text("#2")
    await agent.get_by_test_id("thread-input").fill("Is the scanner on?")
    await agent.get_by_test_id("thread-send").click()
    await expect(second.locator('[data-author="agent"]').last).to_contain_text("Is the scanner on?")
    await expect(agent.locator('[aria-current="true"]')).to_have_attribute("data-id", "2")

    await agent.locator('[data-id="1"]').get_by_test_id("open").click()
    await expect(title).to_contain_text("#1")
    await expect(agent.get_by_test_id("thread-log")).to_contain_text("the printer")
    await expect(agent.locator('[data-id="2"]').get_by_test_id("open")).to_be_visible()
    lines = first.locator('[data-author="agent"]')
    await expect(lines).to_have_count(1)  # "alice has joined", nothing of the scanner
    await expect(lines).not_to_contain_text("scanner")


async def test_a_double_click_claims_once(site: DeskSite) -> None:
    """The second click of a double click is not sent (it came back as "already taken by
    alice", in red, to alice herself)."""
    await ask(await site.page(), "human please")
    agent = await site.desk("alice")
    acts: list[str] = []
    agent.on("request", lambda r: acts.append(r.url) if r.url.endswith("/act") else None)
    await agent.get_by_test_id("claim").dblclick()
    await expect(agent.get_by_test_id("thread")).to_be_visible()
    await expect(agent.get_by_test_id("status")).to_have_class(DONE)
    await expect(agent.get_by_test_id("status")).to_contain_text("is taken by alice")
    assert len(acts) == 1


async def test_a_green_status_line_fades_and_a_red_one_stays(site: DeskSite) -> None:
    await ask(await site.page(), "human please")
    agent = await site.desk("alice", clock=True)
    status = agent.get_by_test_id("status")
    await agent.get_by_test_id("claim").click()
    await expect(status).to_have_class(DONE)
    await agent.clock.run_for(6000)
    await expect(status).to_be_hidden()
    await agent.route("**/api/agent/act", lambda route: route.abort())
    await agent.get_by_test_id("close").click()
    await expect(status).to_have_text("Could not reach the server.")
    await agent.clock.run_for(6000)
    await expect(status).to_have_text("Could not reach the server.")


async def test_the_desk_comes_back_after_the_server_was_away(site: DeskSite) -> None:
    """The line "Could not reach the server" goes once the server answers again, and a session the
    server forgot (a restart without a password) is logged in again under the same name."""
    agent = await site.desk("alice")
    await agent.route("**/api/agent/board", lambda route: route.abort())
    status = agent.get_by_test_id("status")
    await expect(status).to_have_text("Could not reach the server.")
    await agent.get_by_test_id("no-cards").wait_for()
    await agent.unroute("**/api/agent/board")
    await agent.context.clear_cookies()  # what a restart does to the signed session
    await expect(status).to_be_hidden()
    await expect(agent.get_by_test_id("login")).to_be_hidden()
    await expect(agent.get_by_test_id("desk-who")).to_have_text("alice")
    await ask(await site.page(), "human please")
    await expect(agent.get_by_test_id("card")).to_have_count(1)


async def test_the_desk_reads_no_board_before_the_agent_logs_in(site: DeskSite) -> None:
    """A visit before logging in sends nothing the server refuses (each refusal is an error
    in the browser's console); the board's poll starts with the login."""
    context = await site.browser.new_context(locale="en-US")
    agent = await context.new_page()
    boards: list[str] = []
    refused: list[str] = []
    agent.on("request", lambda r: boards.append(r.url) if "/board" in r.url else None)
    agent.on("response", lambda r: refused.append(r.url) if r.status == 401 else None)
    await agent.goto(f"{site.url}/agent")
    await expect(agent.get_by_test_id("login")).to_be_visible()
    await agent.get_by_test_id("login-name").fill("mallory")  # no agent: a round trip
    await agent.get_by_test_id("login-submit").click()
    await expect(agent.get_by_test_id("status")).to_be_visible()
    assert (boards, refused) == ([], [])
    await agent.get_by_test_id("login-name").fill("alice")
    await agent.get_by_test_id("login-submit").click()
    await expect(agent.get_by_test_id("desk-who")).to_have_text("alice")
    await polled(agent)
    assert refused == []


async def polled(page: Page, times: int = 2) -> None:
    """Wait until the desk page has read the board `times` more times."""
    for _ in range(times):
        async with page.expect_response("**/api/agent/board"):
            pass


async def test_a_poll_leaves_the_focus_where_it_was(site: DeskSite) -> None:
    """The desk is drawn again only when the board changed: a keyboard user's focus on a
    Claim button stays there (each poll drew the cards anew and dropped it to the page)."""
    await ask(await site.page(), "human please")
    agent = await site.desk("alice")
    await agent.get_by_test_id("claim").focus()
    await polled(agent)
    focused = await agent.evaluate("document.activeElement.dataset.testid")
    assert focused == "claim"


async def test_the_thread_shows_answers_as_the_user_saw_them_and_fits_a_phone(
    site: DeskSite,
) -> None:
    """The bot's Markdown is rendered in the thread (it showed "**1**" and ran its lines
    together), a user's lines keep their breaks, a 320-pixel screen needs no sideways
    scrolling, with the page's panel as long as its content, and the thread scrolls on its
    own, staying where the agent scrolled it."""
    user = await site.page()
    await ask(user, "human please")
    agent = await site.desk("alice", 320)
    await agent.get_by_test_id("claim").click()
    await ask(user, "<b>line one</b>\nline two")
    thread = agent.get_by_test_id("thread-log")
    await expect(thread.locator('[data-author="bot"] strong')).to_have_text("1")
    said = thread.locator('[data-author="user"]').last
    await expect(said).to_have_text("<b>line one</b>\nline two")
    assert await said.evaluate("e => e.getBoundingClientRect().height > 40")  # two lines
    wide = await agent.evaluate("document.documentElement.scrollWidth")
    assert wide <= 320
    panel = await agent.evaluate(
        "document.querySelector('.desk').getBoundingClientRect().height"
        " >= document.documentElement.scrollHeight - 1"
    )
    assert panel, "the desk's content runs out of its panel"
    assert await thread.locator("b").count() == 0
    await ask(user, "\n".join(f"step {n}" for n in range(1, 41)))  # a long message
    await expect(thread.locator('[data-author="user"]').last).to_contain_text("step 40")
    await thread.evaluate("log => { log.scrollTop = 0; }")  # back to the question
    assert await thread.evaluate("log => log.scrollHeight > log.clientHeight")
    await polled(agent)
    assert await thread.evaluate("log => log.scrollTop") == 0  # not pulled to the end


async def test_the_desk_is_told_when_the_user_ends_the_chat(site: DeskSite) -> None:
    """The user's /cancel takes the agent's thread off the page: a notice says why. The thread
    went without a word (the desk's notice was marked read and never shown), and the agent
    was left with a stale "Sent to the user." under an empty page."""
    user = await site.page()
    agent = await site.desk("alice")
    await ask(user, "human please")
    await agent.get_by_test_id("card").get_by_test_id("claim").click()
    await expect(agent.get_by_test_id("thread")).to_be_visible()
    number = (await Handoff.get()).id
    await ask(user, "/cancel")
    await expect(agent.get_by_test_id("thread")).to_be_hidden()
    await expect(agent.get_by_test_id("notice")).to_contain_text(
        f"The user ended the chat (/cancel): request #{number} cancelled."
    )
    await ask(user, "human please")  # a new request; the ended one's notice stays, once
    await expect(agent.get_by_test_id("card").get_by_test_id("claim")).to_be_visible()
    await ask(user, "/cancel")
    await expect(agent.get_by_test_id("notice")).to_have_count(2)
    await expect(agent.get_by_test_id("notice").first).to_contain_text(
        f"The user left the queue: request #{number + 1} cancelled."
    )


@pytest.mark.parametrize("desk_language", ["ru"])
async def test_a_russian_desk_is_told_of_a_withdrawn_ticket_without_a_doubled_noun(
    site: DeskSite,
) -> None:
    """A web user is "Посетитель 3f2a" on a Russian desk: the notice read "Пользователь
    Посетитель 3f2a отозвал заявку…" (and "отозвал" of every user, whoever they are)."""
    user = await site.page()
    await timed_out(site.world, user, "the plotter jams, human please")
    number = (await Ticket.get()).id
    await ask(user, "/tickets")
    await user.get_by_role("button", name=f"Withdraw #{number}").click()
    await user.get_by_role("button", name="Yes, withdraw").click()
    await expect(user.locator('[data-author="bot"]').last).to_contain_text("is withdrawn")
    agent = await site.desk("alice")
    notice = agent.get_by_test_id("notice").filter(has_text="отозвана")
    await expect(notice).to_contain_text(
        f"✖️ Заявка #{number} «the plotter jams» отозвана пользователем: Посетитель "
    )


async def test_an_action_s_result_is_shown_where_the_agent_is(site: DeskSite) -> None:
    """The line saying what came of an action was the page's last element, below every card
    and the thread: on a phone, after claiming one of several requests, it was off screen and
    the agent could not tell whether the claim went through. It stays at the screen's foot."""
    for question in ("human please", "printer jams, human please", "vpn down, a person"):
        await ask(await site.page(), question)
    agent = await site.desk("alice", 375)
    await expect(agent.get_by_test_id("card")).to_have_count(3)
    await agent.get_by_test_id("claim").first.click()
    status = agent.get_by_test_id("status")
    await expect(status).to_have_class(DONE)
    await expect(status).to_be_in_viewport()


async def test_the_thread_of_a_request_the_agent_claims_is_scrolled_to(site: DeskSite) -> None:
    """The thread opens below every card and ticket: with several requests waiting, on a
    phone, the agent who claimed one saw nothing happen where they were and had to scroll
    down to talk to the user."""
    agent = await claimed_first_of(site, 6, 375)
    await expect(agent.get_by_test_id("thread-title")).to_be_in_viewport()


async def claimed_first_of(site: DeskSite, requests: int, width: int) -> Page:
    """The desk, `width` pixels wide, once alice claimed the first of `requests` waiting."""
    for number in range(requests):
        await ask(await site.page(), f"human please, request {number}")
    agent = await site.desk("alice", width)
    await expect(agent.get_by_test_id("card")).to_have_count(requests)
    await agent.get_by_test_id("claim").first.click()
    return agent


async def test_a_wide_desk_shows_the_list_and_the_thread_side_by_side(site: DeskSite) -> None:
    """On a wide screen the thread opened below every card and ticket, as on a phone: the
    agent scrolled between the list and the user. The list is on the left and the thread on
    the right now, each scrolling on its own, and the page itself no longer scrolls."""
    agent = await claimed_first_of(site, 8, 1280)
    thread, title = agent.get_by_test_id("thread"), agent.get_by_test_id("thread-title")
    await expect(title).to_contain_text("#1")
    cards, shown = (
        await agent.get_by_test_id("cards").bounding_box(),
        await thread.bounding_box(),
    )
    assert cards is not None and shown is not None
    assert shown["x"] >= cards["x"] + cards["width"], (cards, shown)  # beside, not below
    assert await agent.evaluate("document.documentElement.scrollHeight <= innerHeight")
    await expect(agent.get_by_test_id("thread-input")).to_be_in_viewport()
    listed = agent.get_by_test_id("desk-list")
    assert await listed.evaluate("list => list.scrollHeight > list.clientHeight")
    await listed.evaluate("list => { list.scrollTop = list.scrollHeight; }")  # the last card
    await expect(agent.get_by_test_id("card").last).to_be_in_viewport()
    await expect(title).to_be_in_viewport()  # the thread stays where it was
    await agent.screenshot(path="/tmp/webdesk-wide.png")  # noqa: S108


async def test_a_wide_desk_says_an_action_s_result_at_the_foot_of_the_thread(
    site: DeskSite,
) -> None:
    """Side by side, the line saying what came of an action was a bar under both columns: it
    cut the foot off the list as well, and pushed both up while it showed. It is the foot of
    the thread's column now, below its tools, the list as high as the screen."""
    agent = await claimed_first_of(site, 8, 1280)
    status = agent.get_by_test_id("status")
    await expect(status).to_have_class(DONE)
    await expect(agent.get_by_test_id("thread-title")).to_contain_text("#1")
    shown, thread, listed, tools = [
        await agent.get_by_test_id(name).bounding_box()
        for name in ("status", "thread", "desk-list", "ticket")
    ]
    assert shown and thread and listed and tools
    assert shown["x"] >= thread["x"] and shown["width"] <= thread["width"] + 1, (shown, thread)
    assert shown["y"] >= tools["y"] + tools["height"], (shown, tools)  # covers none of it
    height = await agent.evaluate("innerHeight")
    assert abs(listed["y"] + listed["height"] - height) <= 1, (listed, height)
    assert abs(shown["y"] + shown["height"] - height) <= 1, (shown, height)
    await agent.screenshot(path="/tmp/webdesk-wide-status.png")  # noqa: S108


async def test_a_reopened_ticket_is_marked_in_the_list(site: DeskSite) -> None:
    user = await site.page()
    await timed_out(site.world, user, "the plotter jams, human please")
    agent = await site.desk("alice")
    ticket = agent.get_by_test_id("open-ticket")
    await expect(ticket.get_by_test_id("ticket-due")).to_be_visible()
    await expect(ticket.get_by_test_id("ticket-reopened")).to_have_count(0)
    await Ticket.filter(id=(await Ticket.get()).id).update(reopens=2)  # the page polls
    await expect(ticket.get_by_test_id("ticket-reopened")).to_have_text(
        "🔁 Reopened by the user (2×): the problem came back after a resolution"
    )
