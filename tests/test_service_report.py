"""The service-level report: requests for a person, first response, tickets and ratings."""

from __future__ import annotations

import json
import sqlite3
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot.config_tables import OfficeSettings
from bot.handoff import DeskAction, Policies, Policy
from bot.knowledge.base import KnowledgeBase
from bot.messages import Reply
from bot.service import compliance, levels
from bot.service_json import report_json, tickets_json
from bot.service_text import format_report, format_unresolved
from bot.storage import reports
from bot.storage.models import Handoff
from tests.handoff_support import NOON, World, agent, build_world
from tests.test_cli import run
from tests.test_handoff_pickup import take, timed_out


def _row(
    minutes: float | None, *, status: str = "closed", rating: int | None = None, **kw: str
) -> reports.HandoffRow:
    claimed = None if minutes is None else NOON + timedelta(minutes=minutes)
    values = {
        "team": "it",
        "priority": "normal",
        "reason": "asked_for_person",
        "agent": "memory:bob",
    }
    values |= kw
    return reports.HandoffRow(
        values["team"],
        values["priority"],
        status,
        values["reason"],
        values["agent"],
        NOON,
        claimed,
        rating,
    )


def test_levels_count_requests_waits_and_ratings() -> None:
    rows = [
        _row(1, rating=5),
        _row(2, rating=3),
        _row(10, status="claimed"),
        _row(None, status="ticketed", agent=""),
        _row(None, status="cancelled", agent=""),
        _row(None, status="waiting", agent=""),
        _row(0, reason="ticket", rating=4),  # a picked-up ticket: a chat, but no new request
    ]
    figures = levels(rows)
    assert (figures.requests, figures.taken, figures.ticketed, figures.left, figures.waiting) == (
        6,
        3,
        1,
        1,
        1,
    )
    assert figures.first_response == (2, 10)  # median and 90th percentile of 1, 2, 10 min
    assert figures.rating == (4.0, 3)  # its rating counts
    assert levels([]).first_response is None and levels([]).rating is None


@pytest.fixture
def world(db_url: str, knowledge: KnowledgeBase) -> World:
    return build_world(db_url, knowledge)


async def _served(world: World, user: str, text: str, *, wait: int, score: int) -> None:
    """`user` asks, Bob claims after `wait` minutes, closes, and the user rates `score`."""
    chat = world.chat(user)
    await chat.say(text)
    handoff = await Handoff.filter(conversation__chat_id=user).order_by("-id").first()
    assert handoff is not None
    world.clock.now += timedelta(minutes=wait)
    assert (await world.act("bob", "claim", handoff.id)).ok
    assert (await world.act("bob", "close", handoff.id)).ok
    bye = (await world.drain("memory", user))[-1]
    await chat.press(str(score), among=[Reply(bye.text, bye.buttons)])


async def test_the_report_from_real_conversations(world: World) -> None:
    await _served(world, "u1", "human", wait=3, score=5)
    await _served(world, "u2", "the server is down for everyone", wait=1, score=3)
    cancelled = world.chat("u3")
    await cancelled.say("human")
    await cancelled.say("/cancel")

    since = NOON - timedelta(days=1)
    text = format_report(
        await reports.handoffs_since(since),
        await reports.tickets_since(since),
        since=since,
        language="en",
    )
    lines = {line.split("  ")[0].strip(): line.split() for line in text.splitlines()}
    # asked, taken, ticket, left, waiting, first response median / 90%, rating (n)
    assert lines["all requests"][2:] == [  # waits of 3 and 1 minutes: median 2, 90% 3
        "3",
        "2",
        "0",
        "1",
        "0",
        "2",
        "min",
        "/",
        "3",
        "min",
        "4.0",
        "(2)",
    ]
    assert lines["team it"][2:7] == ["3", "2", "0", "1", "0"]
    assert lines["priority urgent"][2:] == [
        "1",
        "1",
        "0",
        "0",
        "0",
        "1",
        "min",
        "/",
        "1",
        "min",
        "3.0",
        "(1)",
    ]
    assert lines["memory:bob"][1:] == ["2", "0", "4.0", "(2)"]
    assert "tickets opened: 0 (none)" in text


async def test_a_ticket_picked_up_later_is_one_request_not_two(world: World) -> None:
    """Ann's request timed out into a ticket, which Bob then picked up, served and closed:
    Ann asked once (before, the report said asked 2, taken 1), Bob's chat counts for him and
    her rating of it counts."""
    number = await timed_out(world)
    assert (await take(world, "bob", number)).ok
    chat = await Handoff.filter(reason="ticket").get()
    assert (await world.act("bob", "close", chat.id)).ok
    bye = (await world.drain("memory", "u1"))[-1]
    await world.chats[0].press("4", among=[Reply(bye.text, bye.buttons)])

    since = NOON - timedelta(days=1)
    text = format_report(await reports.handoffs_since(since), [], since=since, language="en")
    lines = {line.split("  ")[0].strip(): line.split() for line in text.splitlines()}
    # asked, taken, ticket, left, waiting, first response, rating (n)
    assert lines["all requests"][2:] == ["1", "0", "1", "0", "0", "-", "4.0", "(1)"]
    assert lines["memory:bob"][1:] == ["1", "0", "4.0", "(1)"]


async def test_a_ticket_resolved_without_a_chat_counts_its_rating(world: World) -> None:
    """Carol resolved Ann's ticket with a note and Ann rated it 5; Bob's chat with Ben was
    rated 3: both ratings count for the team and in all, each for its own agent, and the
    ticket is no second request, nor a chat Carol closed."""
    number = await timed_out(world)
    desk = world.desk
    resolve = DeskAction("resolve", 0, ticket_id=number, text="Certificate renewed.")
    assert (await desk.act(agent("carol"), resolve)).ok
    told = (await world.drain("memory", "u1"))[-1]
    await world.chats[0].press("5", among=[Reply(told.text, told.buttons)])
    await _served(world, "u2", "human", wait=2, score=3)

    since = NOON - timedelta(days=1)
    text = format_report(
        await reports.handoffs_since(since),
        await reports.tickets_since(since),
        since=since,
        language="en",
    )
    requests = text.split("\ntickets opened")[0]  # not the SLA lines
    lines = {line.split("  ")[0].strip(): line.split() for line in requests.splitlines()}
    # asked, taken, ticket, left, waiting, first response median / 90%, rating (n)
    assert lines["all requests"][2:7] == ["2", "1", "1", "0", "0"]
    assert lines["all requests"][-2:] == lines["team it"][-2:] == ["4.0", "(2)"]
    assert lines["memory:bob"][1:] == ["1", "0", "3.0", "(1)"]
    assert lines["memory:carol"][1:] == ["0", "1", "5.0", "(1)"]


async def test_an_agent_who_only_resolved_tickets_has_them_counted(world: World) -> None:
    """Carol closed no chat but resolved two tickets with a note (one rated, one not): the
    report says so beside her closed chats, in text and JSON, rather than only "closed 0"
    (or nothing at all, had neither been rated)."""
    for user_id, score in (("u1", "5"), ("u2", None)):
        number = await timed_out(world, user_id)
        resolve = DeskAction("resolve", 0, ticket_id=number, text="Certificate renewed.")
        assert (await world.desk.act(agent("carol"), resolve)).ok
        told = (await world.drain("memory", user_id))[-1]
        if score is not None:
            await world.chat(user_id).press(score, among=[Reply(told.text, told.buttons)])

    since = NOON - timedelta(days=1)
    handoffs, tickets = await reports.handoffs_since(since), await reports.tickets_since(since)
    text = format_report(handoffs, tickets, since=since, language="en")
    lines = {line.split("  ")[0].strip(): line.split() for line in text.splitlines()}
    assert lines["agent"] == ["agent", "closed", "resolved", "rating"]
    assert lines["memory:carol"][1:] == ["0", "2", "5.0", "(1)"]
    figures = report_json(handoffs, tickets, since=since, now=NOON)
    assert figures["agents"] == {
        "memory:carol": {
            "name": None,
            "closed": 0,
            "resolved": 2,
            "rating": {"mean": 5, "count": 1},
        }
    }


def test_report_command_counts_a_scripted_chats_ticket(tmp_path: Path) -> None:
    chat = run(["chat"], tmp_path, stdin="vpn keeps dropping\n2\n")  # "Didn't help": a ticket
    assert chat.returncode == 0, chat.stderr
    result = run(["report", "--days", "1", "--lang", "en"], tmp_path)
    assert result.returncode == 0, result.stderr
    assert "tickets opened: 1 (normal 1); now open 1, in progress 0, resolved 0" in result.stdout
    assert f"since {datetime.now(UTC) - timedelta(days=1):%Y-%m-%d}" in result.stdout


def test_report_command_json_names_the_agents(tmp_path: Path) -> None:
    assert run(["chat"], tmp_path, stdin="vpn keeps dropping\n2\n").returncode == 0
    assert run(["tickets", "resolve", "1", "Renewed.", "--as", "lead"], tmp_path).returncode == 0
    with sqlite3.connect(tmp_path / "cli.sqlite3") as db:  # as a desk action would keep it
        db.execute(
            "INSERT INTO agents (key, name, updated_at) VALUES (?, ?, ?)",
            ("cli:lead", "Lena Lead", "2026-11-25 09:00:00+00:00"),
        )
    result = run(["report", "--days", "1", "--json"], tmp_path)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["agents"]["cli:lead"]["name"] == "Lena Lead"


def _ticket(
    priority: str, response: tuple[int, int | None], resolve: tuple[int, int | None]
) -> reports.TicketRow:
    """A ticket opened at NOON: (due, done) of each clock in hours after it (None: not yet)."""

    def at(hours: int | None) -> datetime | None:
        return None if hours is None else NOON + timedelta(hours=hours)

    return reports.TicketRow(
        "it",
        priority,
        "open",
        NOON,
        at(response[0]),
        at(response[1]),
        at(resolve[0]),
        at(resolve[1]),
    )


def test_sla_compliance_counts_met_missed_and_pending() -> None:
    pairs = [(NOON, NOON - timedelta(minutes=1)), (NOON, NOON + timedelta(minutes=1)), (NOON, None)]
    figures = compliance(pairs, NOON + timedelta(hours=1))
    assert (figures.met, figures.missed, figures.pending, figures.share) == (1, 2, 0, 1 / 3)
    assert compliance([(NOON, None), (None, None)], NOON - timedelta(hours=1)).pending == 1
    tickets = [
        _ticket("urgent", (1, 0), (4, 3)),
        _ticket("urgent", (1, 2), (4, None)),  # answered late; not resolved, overdue
        _ticket("normal", (6, None), (24, None)),  # not answered yet, not due yet
    ]
    text = format_report([], tickets, since=NOON, now=NOON + timedelta(hours=5), language="en")
    lines = {line[:28].strip(): " ".join(line[28:].split()) for line in text.splitlines()}
    both = "met 1, missed 1 (50%), pending 1"
    assert lines["all tickets"] == f"3 {both} {both}"
    assert lines["team it"] == lines["all tickets"]
    assert lines["priority urgent"].startswith("2 met 1, missed 1 (50%), pending 0 ")
    assert lines["priority normal"] == "1 met 0, missed 0, pending 1 met 0, missed 0, pending 1"
    no_due_times = reports.TicketRow("it", "low", "open", NOON)
    assert "SLA" not in format_report([], [no_due_times], since=NOON, language="en")


def test_a_share_with_a_miss_never_reads_100_percent() -> None:
    """199 first responses on time and 1 late read "missed 1 (100%)": the share, 99.5%,
    rounded up to a perfect score a lead could pass on to a client. A share that is not all
    (or none) now reads ">99%" (or "<1%"); the JSON keeps the exact share."""
    on_time = [_ticket("normal", (4, 1), (24, 2))] * 199
    late = [_ticket("normal", (4, 5), (24, 30))]
    text = format_report(
        [], on_time + late, since=NOON, now=NOON + timedelta(days=2), language="en"
    )
    lines = {line[:28].strip(): " ".join(line[28:].split()) for line in text.splitlines()}
    assert lines["all tickets"].startswith("200 met 199, missed 1 (>99%), pending 0 ")
    text = format_report(
        [], on_time[:1] + late * 199, since=NOON, now=NOON + timedelta(days=2), language="en"
    )
    lines = {line[:28].strip(): " ".join(line[28:].split()) for line in text.splitlines()}
    assert lines["all tickets"].startswith("200 met 1, missed 199 (<1%), pending 0 ")
    none = format_report([], late * 199, since=NOON, now=NOON + timedelta(days=2), language="en")
    assert "met 0, missed 199 (0%)" in none


def _client_tickets() -> list[reports.TicketRow]:
    """Two tickets of the Berlin office under its "gold" contract, one of nobody's office."""
    return [
        replace(_ticket("urgent", (1, 0), (4, 3)), office="Berlin", sla_policy="gold"),
        replace(_ticket("normal", (1, 2), (4, None)), office="Berlin", sla_policy="gold"),
        replace(_ticket("normal", (6, None), (24, None)), sla_policy="standard"),
    ]


def test_sla_compliance_per_office_and_policy_after_the_other_lines() -> None:
    text = format_report(
        [], _client_tickets(), since=NOON, now=NOON + timedelta(hours=5), language="en"
    )
    sla_lines = text.split("\nSLA of tickets")[1].splitlines()[1:]
    lines = {line[:28].strip(): " ".join(line[28:].split()) for line in sla_lines}
    assert list(lines) == [
        "all tickets",
        "team it",
        "priority urgent",
        "priority normal",
        "office -",
        "office Berlin",
        "policy gold",
        "policy standard",
    ]
    half = "met 1, missed 1 (50%), pending 0"
    assert lines["office Berlin"] == f"2 {half} {half}"
    assert lines["office -"] == "1 met 0, missed 0, pending 1 met 0, missed 0, pending 1"
    assert lines["policy gold"] == lines["office Berlin"]
    assert lines["policy standard"] == lines["office -"]


def test_the_report_as_json_names_every_figure() -> None:
    handoffs = [
        _row(1, rating=5),
        _row(3, rating=3, priority="urgent"),
        _row(None, status="waiting", agent=""),
    ]
    now = NOON + timedelta(hours=5)
    withdrawn = replace(_client_tickets()[0], status="withdrawn", office="Paris")
    tickets = [*_client_tickets(), withdrawn]
    figures = json.loads(json.dumps(report_json(handoffs, tickets, since=NOON, now=now)))
    assert (figures["since"], figures["until"]) == (NOON.isoformat(), now.isoformat())
    assert figures["requests"]["all"] == {
        "requests": 3,
        "taken": 2,
        "ticketed": 0,
        "left": 0,
        "waiting": 1,
        "first_response_minutes": {"median": 2, "p90": 3},
        "rating": {"mean": 4, "count": 2},
    }
    assert list(figures["requests"]["priority"]) == ["urgent", "normal"]
    assert figures["requests"]["team"]["it"] == figures["requests"]["all"]
    assert figures["agents"] == {
        "memory:bob": {"name": None, "closed": 2, "resolved": 0, "rating": {"mean": 4, "count": 2}}
    }
    assert figures["tickets"] == {
        "opened": 4,  # the withdrawn one too, but it has no SLA figures
        "priority": {"urgent": 2, "normal": 2},
        "now": {"open": 3, "in_progress": 0, "resolved": 0, "withdrawn": 1},
        "reopened": {"all": 0, "team": {}},  # none came back
    }
    half = {"met": 1, "missed": 1, "pending": 0, "share": 0.5}
    berlin = {"tickets": 2, "first_response": half, "resolution": half}
    waiting = {"met": 0, "missed": 0, "pending": 1, "share": None}
    elsewhere = {"tickets": 1, "first_response": waiting, "resolution": waiting}
    assert figures["sla"]["office"] == {"-": elsewhere, "Berlin": berlin}  # not "Paris"
    assert figures["sla"]["policy"] == {"gold": berlin, "standard": elsewhere}
    assert figures["sla"]["all"]["tickets"] == 3
    assert list(figures["sla"]) == ["all", "team", "priority", "office", "policy"]


async def test_the_report_reads_each_tickets_office_and_policy(
    db_url: str, knowledge: KnowledgeBase
) -> None:
    berlin = OfficeSettings(name="Berlin", timezone="Europe/Berlin")
    world = build_world(
        db_url, knowledge, sla=Policies((Policy("gold"),), "gold"), offices=(berlin,)
    )
    await world.chat("u1").say("/office berlin")
    await timed_out(world, "u1")
    await timed_out(world, "u2")  # no office
    tickets = await reports.tickets_since(NOON - timedelta(days=1))
    assert [(t.office, t.sla_policy) for t in tickets] == [("Berlin", "gold"), (None, "gold")]


def test_report_command_json_per_office_and_policy(tmp_path: Path) -> None:
    config = """
default_sla = "standard"
[[sla]]
name = "standard"
[[sla]]
name = "gold"
response = { normal = "2h" }
[[offices]]
name = "Berlin"
timezone = "Europe/Berlin"
sla = "gold"
"""
    stdin = "/office Berlin\nvpn keeps dropping\n2\n"  # "Didn't help": a ticket
    chat = run(["chat"], tmp_path, stdin=stdin, config=config)
    assert chat.returncode == 0, chat.stderr
    result = run(["report", "--days", "1", "--json"], tmp_path)  # the ticket keeps its policy
    assert result.returncode == 0, result.stderr
    sla = json.loads(result.stdout)["sla"]
    waiting = {"met": 0, "missed": 0, "pending": 1, "share": None}
    assert sla["office"] == {
        "Berlin": {"tickets": 1, "first_response": waiting, "resolution": waiting}
    }
    assert sla["policy"] == {"gold": sla["office"]["Berlin"]}


async def test_the_report_counts_a_timed_out_tickets_due_times(world: World) -> None:
    await timed_out(world)
    since = NOON - timedelta(days=1)
    tickets = await reports.tickets_since(since)
    text = format_report([], tickets, since=since, now=NOON + timedelta(hours=5), language="en")
    # Asked at 12:00 Moscow: the first response (4 h) was due at 16:00, and it is 17:00.
    assert "met 0, missed 1 (0%), pending 0" in text


def test_unresolved_tickets_due_first_with_due_times() -> None:
    tickets = [
        replace(_ticket("normal", (4, None), (24, None)), number=7, subject="VPN drops"),
        replace(_ticket("urgent", (1, None), (4, None)), number=9, subject="ERP is down"),
        replace(_ticket("high", (1, 0), (8, None)), number=8, subject="no mail"),  # answered
        replace(_ticket("low", (1, None), (8, None)), number=5, subject="new mouse"),
    ]
    lines = format_unresolved(tickets, now=NOON + timedelta(hours=2), language="en").splitlines()
    assert lines[0] == "open tickets: 4 (urgent 1, high 1, normal 1, low 1)"
    # What is due first, then the more urgent: as the desks list them.
    assert [line.split()[0] for line in lines[1:]] == ["#9", "#5", "#7", "#8"]
    assert "due 2026-11-25 10:00 UTC  OVERDUE  «ERP is down»" in lines[1]
    assert "due 2026-11-25 17:00 UTC  «no mail»" in lines[4]  # waits for resolution now
    assert format_unresolved([], now=NOON, language="en") == "no open tickets"


def test_tickets_command_lists_a_scripted_chats_ticket(tmp_path: Path) -> None:
    assert run(["chat"], tmp_path, stdin="vpn keeps dropping\n2\n").returncode == 0
    result = run(["tickets", "--lang", "en"], tmp_path)
    assert result.returncode == 0, result.stderr
    first, second = result.stdout.splitlines()
    assert first == "open tickets: 1 (normal 1)"
    assert second.startswith("#1 ") and "open" in second and "«vpn keeps dropping»" in second
    assert "OVERDUE" not in second  # the first response is due in 4 h


def test_unresolved_tickets_as_json_in_the_texts_order() -> None:
    tickets = [
        replace(_ticket("normal", (4, None), (24, None)), number=7, subject="VPN drops"),
        replace(_ticket("urgent", (1, None), (4, None)), number=9, subject="ERP is down"),
        replace(_ticket("high", (1, 0), (8, None)), number=8, subject="no mail"),  # answered
    ]
    rows = json.loads(json.dumps(tickets_json(tickets, now=NOON + timedelta(hours=2))))
    assert [row["number"] for row in rows] == [9, 7, 8]
    assert rows[0] == {
        "number": 9,
        "priority": "urgent",
        "status": "open",
        "team": "it",
        "office": None,
        "subject": "ERP is down",
        "created_at": "2026-11-25T09:00:00+00:00",
        "due": "2026-11-25T10:00:00+00:00",
        "overdue": True,
        "sla_policy": None,
    }
    assert rows[1]["due"] == "2026-11-25T13:00:00+00:00" and not rows[1]["overdue"]
    assert tickets_json([], now=NOON) == []


def test_tickets_command_json_lists_the_same_ticket(tmp_path: Path) -> None:
    assert run(["chat"], tmp_path, stdin="vpn keeps dropping\n2\n").returncode == 0
    result = run(["tickets", "--json"], tmp_path)
    assert result.returncode == 0, result.stderr
    [ticket] = json.loads(result.stdout)
    assert (ticket["number"], ticket["status"]) == (1, "open")
    assert ticket["subject"] == "vpn keeps dropping" and ticket["overdue"] is False


async def test_the_first_response_counts_from_the_request_across_a_transfer(world: World) -> None:
    await world.chat("u1").say("human")
    handoff = await Handoff.get()
    world.clock.now += timedelta(minutes=2)
    assert (await world.act("bob", "transfer", handoff.id, team="net")).ok
    world.clock.now += timedelta(minutes=3)
    assert (await world.act("dave", "claim", handoff.id)).ok
    [row] = await reports.handoffs_since(NOON - timedelta(days=1))
    assert levels([row]).first_response == (5, 5)  # minutes since "human", not the transfer


async def test_a_transferred_request_is_not_taken_until_claimed_again(world: World) -> None:
    await world.chat("u1").say("human")
    handoff = await Handoff.get()
    world.clock.now += timedelta(minutes=2)
    assert (await world.act("bob", "claim", handoff.id)).ok
    world.clock.now += timedelta(minutes=30)
    assert (await world.act("bob", "transfer", handoff.id, team="net")).ok
    since = NOON - timedelta(days=1)
    figures = levels(await reports.handoffs_since(since))
    assert (figures.taken, figures.waiting, figures.first_response) == (0, 1, None)
    world.clock.now += timedelta(minutes=3)
    assert (await world.act("dave", "claim", handoff.id)).ok
    figures = levels(await reports.handoffs_since(since))
    assert (figures.taken, figures.waiting, figures.first_response) == (1, 0, (35, 35))


async def test_a_request_counts_in_the_period_it_was_asked_in(world: World) -> None:
    """A transfer puts a request back in a queue; the report still counts it where it began."""
    await world.chat("u1").say("human")
    handoff = await Handoff.get()
    world.clock.now += timedelta(days=2)
    assert (await world.act("bob", "transfer", handoff.id, team="net")).ok
    assert await reports.handoffs_since(world.clock.now - timedelta(days=1)) == []
    [row] = await reports.handoffs_since(NOON - timedelta(days=1))
    assert row.created_at == NOON  # when the user asked


async def test_the_report_names_an_agent_beside_their_id(world: World) -> None:
    """An agent's row read "telegram:42": a lead had to know ids by heart. The name is the
    one the agent's platform gave on their last action; the row stays one per id."""
    number = await timed_out(world, "u1")
    resolve = DeskAction("resolve", 0, ticket_id=number, text="Renewed.", name="Carol King")
    assert (await world.desk.act(agent("carol"), resolve)).ok
    since = NOON - timedelta(days=1)
    handoffs, tickets = await reports.handoffs_since(since), await reports.tickets_since(since)
    text = format_report(
        handoffs, tickets, since=since, names=await reports.agent_names(), language="en"
    )
    [row] = [line for line in text.splitlines() if "memory:carol" in line]
    assert row.startswith("Carol King (memory:carol)") and row.split()[3:5] == ["0", "1"]
    # --json named her by id alone, so a dashboard had to know ids by heart as well
    names = await reports.agent_names()
    figures = report_json(handoffs, tickets, since=since, now=NOON, names=names)
    assert figures["agents"]["memory:carol"]["name"] == "Carol King"
    assert report_json(handoffs, tickets, since=since, now=NOON)["agents"]["memory:carol"] == {
        "name": None,
        "closed": 0,
        "resolved": 1,
        "rating": None,
    }


def test_a_chat_the_user_ended_after_an_agent_took_it_is_taken_not_left() -> None:
    """A user who ended the chat with /cancel while an agent helped counted as taken and as
    left too: "left" read as if they had given up waiting, twice as often as they did."""
    rows = [_row(3, status="cancelled"), _row(None, status="cancelled", agent="")]
    figures = levels(rows)
    assert (figures.requests, figures.taken, figures.left) == (2, 1, 1)


def test_a_configured_team_without_requests_has_its_row() -> None:
    """A lead tells "no work" from "team missing": each configured team gets its row."""
    tickets = [_ticket("normal", (1, 0), (4, 3))]  # team "it"
    text = format_report(
        [_row(1)], tickets, since=NOON, now=NOON, teams=("it", "network"), language="en"
    )
    assert " ".join(text.split("\nteam network")[1].splitlines()[0].split()) == "0 0 0 0 0 - -"
    sla_lines = text.split("\nSLA of tickets")[1]
    assert "team network" in sla_lines
    figures = report_json([_row(1)], tickets, since=NOON, now=NOON, teams=("it", "network"))
    assert figures["requests"]["team"]["network"] == {
        "requests": 0,
        "taken": 0,
        "ticketed": 0,
        "left": 0,
        "waiting": 0,
        "first_response_minutes": None,
        "rating": None,
    }
    nothing = {"met": 0, "missed": 0, "pending": 0, "share": None}
    assert figures["sla"]["team"]["network"] == {
        "tickets": 0,
        "first_response": nothing,
        "resolution": nothing,
    }


def test_report_command_lists_a_configured_team_with_no_requests(tmp_path: Path) -> None:
    config = (
        'default_team = "it"\n[[teams]]\nname = "it"\ndesk = "web"\nagents = ["web:ann"]\n'
        '[[teams]]\nname = "network"\ndesk = "web"\nagents = ["web:ann"]\n'
    )
    assert run(["db", "migrate"], tmp_path, config=config).returncode == 0
    text = run(["report", "--days", "1", "--lang", "en"], tmp_path, config=config)
    assert text.returncode == 0, text.stderr
    assert "team it" in text.stdout and "team network" in text.stdout
    result = run(["report", "--days", "1", "--json"], tmp_path, config=config)
    assert set(json.loads(result.stdout)["requests"]["team"]) == {"it", "network"}
