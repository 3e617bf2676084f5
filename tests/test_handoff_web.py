"""Web user ↔ web agent over HTTP: the chat API, /api/updates and the /agent desk API."""

from __future__ import annotations

import json
import logging
from collections.abc import AsyncIterator
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient, TestServer

from bot.adapters.web import AgentAuth, create_web_app
from bot.adapters.web.updates import RECEIPT
from bot.handoff import DeskAction, Team, Teams, escalate_due, expire_overdue
from bot.knowledge.base import KnowledgeBase
from bot.phrases import load_page_texts, load_phrases
from bot.storage.history import recent_lines
from bot.storage.models import Handoff, OutboxMessage, Ticket, TranscriptMessage, User
from tests.handoff_support import IT, NET, WEB_TEAMS, World, build_world
from tests.handoff_support import agent as agent_ref
from tests.test_handoff_pickup import timed_out
from tests.test_sla_escalation import moscow, policies

Client = TestClient[web.Request, web.Application]


@pytest.fixture
def world(db_url: str, knowledge: KnowledgeBase) -> World:
    return build_world(db_url, knowledge, teams=WEB_TEAMS)


def app_for(
    world: World, auth: AgentAuth | None = None, *, desk_language: str = "en", title: str = "Help"
) -> web.Application:
    return create_web_app(
        world.engine.handle,
        title=title,
        outbox=world.outbox,
        desk=world.desk,
        agent_auth=auth or AgentAuth(),
        desk_language=desk_language,
        history=recent_lines,
    )


@pytest.fixture
async def user(world: World) -> AsyncIterator[Client]:
    async with TestClient(TestServer(app_for(world))) as client:
        yield client


@pytest.fixture
async def agent(world: World) -> AsyncIterator[Client]:
    async with TestClient(TestServer(app_for(world))) as client:
        yield client


async def call(client: Client, method: str, url: str, body: Any = None) -> tuple[int, Any]:
    async with client.request(method, url, json=body) as response:
        return response.status, await response.json()


async def say(client: Client, text: str, msg_id: str) -> list[str]:
    status, data = await call(client, "POST", "/api/messages", {"id": msg_id, "text": text})
    assert status == 200, data
    return [reply["html"] for reply in data["replies"]]


async def updates(client: Client) -> list[str]:
    """What the page gets from its next poll, which says (as the page does) that it has shown
    what its poll before got."""
    shown = ",".join(str(n) for n in _shown.pop(id(client), []))
    status, data = await call(client, "GET", f"/api/updates?ack={shown}")
    assert status == 200
    _shown[id(client)] = [reply["id"] for reply in data["replies"]]
    return [reply["html"] for reply in data["replies"]]


_shown: dict[int, list[int]] = {}  # per client: the ids its last poll got


async def act(client: Client, kind: str, handoff_id: int, **extra: object) -> dict[str, Any]:
    body = {"kind": kind, "handoff_id": handoff_id, **extra}
    status, data = await call(client, "POST", "/api/agent/act", body)
    assert status == 200, data
    result: dict[str, Any] = data
    return result


async def test_web_user_served_from_the_web_desk(user: Client, agent: Client) -> None:
    assert (await call(agent, "GET", "/api/agent/board"))[0] == 401
    status, _ = await call(agent, "POST", "/api/agent/login", {"name": "alice"})
    assert status == 200
    [queued] = await say(user, "I need a human", "1")
    assert "number <strong>1</strong>" in queued

    status, board = await call(agent, "GET", "/api/agent/board")
    [card] = board["cards"]
    assert (card["status"], card["team"], card["platform"]) == ("waiting", "net", "web")
    assert card["question"] == "(no subject: asked for a person)"  # a bare request
    assert await Handoff.filter(outbox__status="pending").count() == 0  # the board delivered

    assert (await act(agent, "claim", card["id"]))["ok"]
    assert any("alice" in text for text in await updates(user))
    assert await say(user, "<b>VPN</b> error 809", "2") == []
    assert (await act(agent, "reply", card["id"], text="Try **again**"))["ok"]
    assert any("<strong>again</strong>" in text for text in await updates(user))
    assert (await act(agent, "reply", card["id"], text="# 1\n---\n- **ok**"))["ok"]
    [lines] = await updates(user)  # a chat's lines, not a heading, a rule and a list
    assert "# 1<br />\n---<br />\n- <strong>ok</strong>" in lines
    _, board = await call(agent, "GET", "/api/agent/board")
    lines = [line["text"] for line in board["cards"][0]["lines"]]
    assert "<b>VPN</b> error 809" in lines and "Try **again**" in lines

    assert (await act(agent, "close", card["id"]))["ok"]
    assert any("closed" in text for text in await updates(user))
    assert await updates(user) == []
    assert (await say(user, "forgot my password", "3"))[0]


async def test_an_agents_name_is_shown_as_typed(db_url: str, knowledge: KnowledgeBase) -> None:
    """A web agent's name is typed at login: a "*" or "_" in it is not formatting, in the
    user's chat, in the desk's answers, on the board and in its notices."""
    name = "*Ann*_B"
    teams = Teams((Team("net", desk="web", agents=frozenset({f"web:{name}"})),), "net")
    world = build_world(db_url, knowledge, teams=teams)
    async with (
        TestClient(TestServer(app_for(world))) as user,
        TestClient(TestServer(app_for(world))) as agent,
    ):
        await say(user, "I need a human", "1")
        assert (await call(agent, "POST", "/api/agent/login", {"name": name}))[0] == 200
        handoff_id = (await Handoff.get()).id
        claimed = await act(agent, "claim", handoff_id)
        assert claimed["text"] == f"Request #{handoff_id} is taken by {name}."
        assert any(f"{name} from IT has joined" in html for html in await updates(user))
        _, board = await call(agent, "GET", "/api/agent/board")
        assert board["cards"][0]["agent"] == name
        assert (await act(agent, "ticket", handoff_id))["ok"]
        number = (await Ticket.get()).id
        assert (await act(agent, "resolve", 0, ticket_id=number, text="Done"))["ok"]
        _, board = await call(agent, "GET", "/api/agent/board")
        [notice] = [n["text"] for n in board["notices"] if "resolved" in n["text"]]
        assert notice.endswith(f"resolved by {name}: Done")


async def test_a_page_says_what_it_has_shown(world: World, user: Client) -> None:
    """The server hands a chat's messages out again until the page's receipt for them (a
    poll cut off on its way loses nothing); a receipt counts for the page's own chat only."""
    await say(user, "I need a human", "1")
    await call(user, "POST", "/api/agent/login", {"name": "alice"})
    assert (await act(user, "claim", (await Handoff.get()).id))["ok"]
    _, data = await call(user, "GET", "/api/updates")
    [joined] = data["replies"]
    assert "alice" in joined["html"]
    assert (await call(user, "GET", "/api/updates"))[1]["replies"] == []  # leased to the first
    world.clock.now += RECEIPT
    again = (await call(user, "GET", "/api/updates"))[1]["replies"]
    assert again == [joined]  # that poll never said it got it
    async with TestClient(TestServer(app_for(world))) as other:
        await say(other, "hello", "1")
        await call(other, "GET", f"/api/updates?ack={joined['id']},x,-1,{'9' * 40}")
    world.clock.now += RECEIPT
    assert (await call(user, "GET", "/api/updates"))[1]["replies"] == [joined]
    assert (await call(user, "GET", f"/api/updates?ack={joined['id']}"))[1]["replies"] == []
    world.clock.now += RECEIPT
    assert (await call(user, "GET", "/api/updates"))[1]["replies"] == []
    assert (await OutboxMessage.get(id=joined["id"])).status == "sent"


async def test_refusals_on_the_web_desk(user: Client, agent: Client) -> None:
    await say(user, "human", "1")
    handoff = await Handoff.get()
    assert (await call(agent, "POST", "/api/agent/login", {"name": "mallory"}))[0] == 403
    agent.session.cookie_jar.update_cookies({"helpdesk_agent": "alice.forged"})
    assert (await call(agent, "GET", "/api/agent/board"))[0] == 401
    await call(agent, "POST", "/api/agent/login", {"name": "alice"})
    for body in (
        {"kind": "claim", "handoff_id": str(handoff.id)},
        {"kind": "claim", "handoff_id": True},
        {"kind": "reply", "handoff_id": handoff.id, "text": 5},
    ):
        assert (await call(agent, "POST", "/api/agent/act", body))[0] == 400
    assert not (await act(agent, "close", handoff.id))["ok"]  # not claimed by alice
    assert not (await act(agent, "claim", handoff.id + 100))["ok"]


async def test_an_empty_reply_or_note_is_refused_not_sent(user: Client, agent: Client) -> None:
    """The page sends no empty text, but its API took one: the user got a blank "alice:"
    line and the card an empty note."""
    await say(user, "human, the printer jams", "1")
    await call(agent, "POST", "/api/agent/login", {"name": "alice"})
    handoff = await Handoff.get()
    assert (await act(agent, "claim", handoff.id))["ok"]
    await updates(user)  # "alice has joined"
    phrases = load_phrases()
    for text in ("", "  \n "):
        refused = await act(agent, "reply", handoff.id, text=text)
        assert (refused["ok"], refused["text"]) == (False, phrases.get("en", "desk_reply_usage"))
        refused = await act(agent, "note", handoff.id, text=text)
        assert (refused["ok"], refused["text"]) == (False, phrases.get("en", "desk_note_usage"))
    assert await updates(user) == []
    assert await TranscriptMessage.filter(direction__in=("agent", "note")).count() == 0
    assert (await act(agent, "reply", handoff.id, text="Open the front cover"))["ok"]
    assert any("Open the front cover" in text for text in await updates(user))


async def test_a_transfer_to_the_requests_own_team_says_where_it_is(
    user: Client, agent: Client
) -> None:
    """It read "There is no team called net" of the team the request is with."""
    await say(user, "human, the printer jams", "1")
    await call(agent, "POST", "/api/agent/login", {"name": "alice"})
    handoff = await Handoff.get()
    refused = await act(agent, "transfer", handoff.id, team="net")
    assert (refused["ok"], refused["text"]) == (
        False,
        f"Request #{handoff.id} is already with team net.",
    )
    assert (await Handoff.get()).status == "waiting"
    assert (await act(agent, "transfer", handoff.id, team="it"))["ok"]


async def test_a_team_typed_with_spaces_around_it_is_found(user: Client, agent: Client) -> None:
    """The web desk's team box is typed in (or pasted into): "it " read "There is no team
    called it " there, while Slack's !transfer and Telegram's /transfer drop the spaces."""
    await say(user, "human, the printer jams", "1")
    await call(agent, "POST", "/api/agent/login", {"name": "alice"})
    handoff = await Handoff.get()
    assert (await act(agent, "transfer", handoff.id, team=" it "))["ok"]
    assert (await Handoff.get()).team == "it"


async def test_password_login(world: World) -> None:
    app = app_for(world, AgentAuth(password="s3cret"))
    async with TestClient(TestServer(app)) as agent:
        wrong = {"name": "alice", "password": "guess"}
        assert (await call(agent, "POST", "/api/agent/login", wrong))[0] == 403
        right = {"name": "alice", "password": "s3cret"}
        assert (await call(agent, "POST", "/api/agent/login", right))[0] == 200
        assert (await call(agent, "GET", "/api/agent/board"))[0] == 200


async def test_no_password_and_no_localhost_trust_refuses(world: World) -> None:
    app = app_for(world, AgentAuth(trust_localhost=False))
    async with TestClient(TestServer(app)) as agent:
        assert (await call(agent, "POST", "/api/agent/login", {"name": "alice"}))[0] == 403


@pytest.mark.parametrize(
    "headers",
    [
        {"X-Forwarded-For": "203.0.113.7"},  # Apache, Caddy, Traefik; nginx when told to
        {"X-Real-IP": "203.0.113.7"},
        {"Forwarded": "for=203.0.113.7;proto=https"},
        {"Host": "helpdesk.example.com"},  # nginx's proxy_set_header Host $host
    ],
)
async def test_a_browser_behind_a_proxy_on_this_machine_is_not_trusted_as_local(
    world: World, headers: dict[str, str]
) -> None:
    """A reverse proxy on this machine (as README's webhook set-up has it) passes everyone's
    requests on from 127.0.0.1: without a password, anyone on the internet logged in."""
    async with TestClient(TestServer(app_for(world))) as agent:
        login = {"name": "alice"}
        async with agent.post("/api/agent/login", json=login, headers=headers) as response:
            assert response.status == 403
        assert (await call(agent, "GET", "/api/agent/board"))[0] == 401
        assert (await call(agent, "POST", "/api/agent/login", login))[0] == 200  # a browser here
    app = app_for(world, AgentAuth(password="s3cret"))
    async with TestClient(TestServer(app)) as agent:
        right = {"name": "alice", "password": "s3cret"}
        async with agent.post("/api/agent/login", json=right, headers=headers) as response:
            assert response.status == 200  # with the password, from anywhere


async def test_web_agent_picks_up_an_open_ticket(world: World, user: Client, agent: Client) -> None:
    await say(user, "I need a human", "1")
    world.clock.now += timedelta(minutes=11)
    assert await expire_overdue(world.desk.queue) == 1
    await updates(user)
    await call(agent, "POST", "/api/agent/login", {"name": "alice"})
    _, board = await call(agent, "GET", "/api/agent/board")
    [ticket] = board["tickets"]
    assert ticket["team"] == "net" and ticket["subject"] == "(no subject: asked for a person)"
    bad = {"kind": "take", "handoff_id": 0, "ticket_id": "1"}
    assert (await call(agent, "POST", "/api/agent/act", bad))[0] == 400

    taken = await act(agent, "take", 0, ticket_id=ticket["number"])
    assert taken["ok"], taken
    told = await updates(user)
    assert any("picked up your ticket" in text for text in told), told
    _, board = await call(agent, "GET", "/api/agent/board")
    assert board["tickets"] == []
    [card] = board["cards"]
    assert (card["status"], card["agent"]) == ("claimed", "alice")
    assert await say(user, "still broken", "2") == []
    assert (await act(agent, "reply", card["id"], text="on it"))["ok"]
    assert any("on it" in text for text in await updates(user))
    assert (await act(agent, "close", card["id"]))["ok"]
    assert (await Ticket.get(id=ticket["number"])).status == "resolved"


async def test_a_web_visitor_has_a_short_name_on_the_desk(
    db_url: str, knowledge: KnowledgeBase
) -> None:
    """A web user gives no name: the desk named them by their id, a 33-character hash, on
    the card, in the thread's title, before each of their messages and in the ticket list."""
    world = build_world(db_url, knowledge, teams=WEB_TEAMS, desk_language="ru")
    async with TestClient(TestServer(app_for(world, desk_language="ru"))) as client:
        await say(client, "I need a human", "1")
        visitor = (await User.get(platform="web")).external_id
        name = f"Посетитель {visitor[1:5]}"
        await call(client, "POST", "/api/agent/login", {"name": "alice"})
        [card] = (await call(client, "GET", "/api/agent/board"))[1]["cards"]
        assert card["user"] == name
        assert (await act(client, "claim", card["id"]))["ok"]
        await say(client, "error 809", "2")
        assert (await act(client, "ticket", card["id"]))["ok"]
        [ticket] = (await call(client, "GET", "/api/agent/board"))[1]["tickets"]
        assert ticket["user"] == name
    said = [m.text for m in await OutboxMessage.filter(chat_id="desk:net").order_by("id")]
    assert name in said[0] and f"**{name}:** error 809" in said
    assert not any(visitor in text for text in said)


async def test_a_refusal_tells_the_requests_state_in_the_desk_language(
    db_url: str, knowledge: KnowledgeBase
) -> None:
    """A Russian desk was told "Запрос #1 в состоянии closed": the state as the code names it."""
    world = build_world(db_url, knowledge, teams=WEB_TEAMS, desk_language="ru")
    async with TestClient(TestServer(app_for(world, desk_language="ru"))) as client:
        await say(client, "I need a human", "1")
        await call(client, "POST", "/api/agent/login", {"name": "alice"})
        number = (await Handoff.get()).id
        assert (await act(client, "claim", number))["ok"]
        assert (await act(client, "close", number))["ok"]
        closed = f"Запрос #{number} закрыт; сейчас это сделать нельзя."
        html = f"<p>{closed}</p>\n"
        refused = {"ok": False, "text": closed, "html": html}
        assert await act(client, "reply", number, text="hi") == refused
        assert await act(client, "claim", number) == refused


async def test_a_board_card_shows_the_last_40_transcript_lines(world: World) -> None:
    await world.chat("u1").say("I need a human")
    handoff = await Handoff.get()
    for n in range(50):
        line = f"line {n}"
        await TranscriptMessage.create(
            conversation_id=handoff.conversation_id, direction="in", text=line
        )
    [card] = (await world.desk.board(agent_ref("alice", "web"))).cards
    assert [line.text for line in card.lines] == [f"line {n}" for n in range(10, 50)]


async def test_a_board_reads_the_lines_of_all_its_cards_at_once(
    world: World, caplog: pytest.LogCaptureFixture
) -> None:
    """One read of the transcripts for the whole board, not one per card (a busy queue's
    board is polled every few seconds by every desk page)."""
    for user in ("u1", "u2", "u3"):
        await world.chat(user).say("I need a human")
    handoffs = await Handoff.all().order_by("id")
    await TranscriptMessage.bulk_create(
        TranscriptMessage(conversation_id=h.conversation_id, direction="in", text=f"{h.id}: {n}")
        for h in handoffs
        for n in range(45)
    )
    with caplog.at_level(logging.DEBUG, logger="tortoise.db_client"):
        cards = (await world.desk.board(agent_ref("alice", "web"))).cards
    reads = [r.getMessage() for r in caplog.records if "transcript_messages" in r.getMessage()]
    assert len([r for r in reads if r.lstrip().upper().startswith("SELECT")]) == 1
    assert {card.id: [line.text for line in card.lines] for card in cards} == {
        h.id: [f"{h.id}: {n}" for n in range(5, 45)] for h in handoffs
    }


@pytest.mark.parametrize(
    ("language", "shown", "absent"),
    [("ru", ["Войти", "Имя специалиста", "Передать"], "Log in"), ("en", ["Log in"], "Войти")],
)
async def test_the_agent_page_speaks_the_desk_language(
    world: World, language: str, shown: list[str], absent: str
) -> None:
    """Texts come from bot/locales/web.yaml; a configured title cannot break out of the page."""
    title = "IT </script><script>alert(1)</script> & {{texts}}"
    app = app_for(world, desk_language=language, title=title)
    async with TestClient(TestServer(app)) as client, client.get("/agent") as response:
        page = await response.text()
    assert f'<html lang="{language}">' in page
    assert all(text in page for text in shown) and absent not in page
    assert "<script>alert(1)" not in page and "IT &lt;/script&gt;" in page
    texts = json.loads(page.split('type="application/json">')[1].split("</script>")[0])
    assert texts["claim"] == load_page_texts()[language]["agent"]["claim"]
    assert texts["title"].startswith("IT </script>")  # as JSON text, with "<" escaped in the page


async def test_the_default_title_is_shown_in_the_desk_language(world: World) -> None:
    app = create_web_app(world.engine.handle, desk=world.desk, desk_language="ru")
    async with TestClient(TestServer(app)) as client, client.get("/agent") as response:
        page = await response.text()
    assert "<title>IT-поддержка: специалисты</title>" in page


async def history(client: Client) -> list[tuple[str, str]]:
    """(author, text or html) of each line /api/history gives the browser's page."""
    status, data = await call(client, "GET", "/api/history")
    assert status == 200
    return [(line["author"], line.get("text") or line["html"]) for line in data["lines"]]


async def test_a_page_that_opens_shows_the_chats_recent_lines(
    world: World, user: Client, agent: Client
) -> None:
    """A second tab (or the browser started again) began with an empty log although the
    conversation went on: it shows what the user said, what the bot and the agent said, in
    order; what a poll has yet to bring too, with its id (the page shows it once), not the
    agents' notes, nor another browser's chat."""
    assert await history(user) == []  # nothing said yet
    await say(user, "I need a human", "1")
    await call(agent, "POST", "/api/agent/login", {"name": "alice"})
    handoff = (await Handoff.get()).id
    assert (await act(agent, "claim", handoff))["ok"]
    assert (await act(agent, "note", handoff, text="they sound upset"))["ok"]
    await updates(user)
    await updates(user)  # its receipt for "alice has joined"
    await say(user, "<b>VPN</b> error 809", "2")
    assert (await act(agent, "reply", handoff, text="Try **again**"))["ok"]

    lines = await history(user)

    assert [author for author, _ in lines] == ["user", "bot", "agent", "user", "agent"]
    assert lines[0] == ("user", "I need a human") and "number" in lines[1][1]
    assert "alice" in lines[2][1] and lines[3] == ("user", "<b>VPN</b> error 809")
    assert "<strong>again</strong>" in lines[4][1]
    assert not any("upset" in text for _, text in lines)
    _, data = await call(user, "GET", "/api/history")
    _, polled = await call(user, "GET", "/api/updates")
    assert [reply["id"] for reply in polled["replies"]] == [data["lines"][-1]["id"]]
    async with TestClient(TestServer(app_for(world))) as other:
        assert await history(other) == []


async def test_a_page_that_opens_shows_a_pressed_button_as_the_first_page_did(
    user: Client,
) -> None:
    """As its label ("Didn't help"), not as the transcript keeps it for the desk."""
    _, data = await call(user, "POST", "/api/messages", {"id": "1", "text": "vpn keeps dropping"})
    [button] = [b for r in data["replies"] for b in r["buttons"] if b["label"] == "Didn't help"]
    body = {"id": "2", "button": button["key"], "text": button["label"]}
    assert (await call(user, "POST", "/api/messages", body))[0] == 200
    lines = await history(user)
    assert [text for author, text in lines if author == "user"] == [
        "vpn keeps dropping",
        "Didn't help",
    ]
    assert (await TranscriptMessage.get(text="[Didn't help]")).pressed  # the desk's form


async def test_a_page_is_shown_the_last_50_lines(world: World, user: Client) -> None:
    """Bounded: what a person coming back reads on, not months of the chat with each page."""
    for n in range(30):
        await say(user, f"question number {n}", str(n))  # each: the question and a reply
    lines = await history(user)
    assert len(lines) == 50
    assert lines[0] == ("user", "question number 5") and lines[-2] == ("user", "question number 29")


async def test_a_poll_and_the_history_give_each_line_the_time_it_was_written(
    user: Client, agent: Client
) -> None:
    """The page shows it (in the browser's zone): from the server's records, in UTC."""
    await say(user, "I need a human", "1")
    await call(agent, "POST", "/api/agent/login", {"name": "alice"})
    assert (await act(agent, "claim", (await Handoff.get()).id))["ok"]
    joined = await OutboxMessage.get(text__contains="has joined")
    said = await TranscriptMessage.get(text="I need a human")

    _, polled = await call(user, "GET", "/api/updates")
    _, data = await call(user, "GET", "/api/history")

    [update] = polled["replies"]
    assert update["at"] == data["lines"][-1]["at"] == utc(joined.created_at)
    assert data["lines"][0]["at"] == utc(said.created_at)


def utc(at: datetime) -> str:
    return at.astimezone(UTC).isoformat(timespec="seconds")


async def test_a_board_card_says_the_group_and_who_wrote_a_forwarded_line(world: World) -> None:
    """A Telegram group's request and a forwarded message: the chat desks' cards and relays
    said so, the web desk's board did not (its lines come from the transcript)."""
    chat = world.chat("u1")
    in_group = {"group": True, "chat_title": "Branch *12*"}
    await chat.send(replace(chat.message("vpn is broken, I want a human"), **in_group))
    forwarded = replace(chat.message("error 809 again"), forwarded_from="Carol", **in_group)
    await chat.send(forwarded)
    await chat.send(replace(chat.message("and my own words"), **in_group))
    [card] = (await world.desk.board(agent_ref("alice", "web"))).cards
    assert card.group == "Branch *12*"
    said = [(line.text, line.forwarded) for line in card.lines if line.direction == "in"]
    assert said[-2:] == [("error 809 again", "Carol"), ("and my own words", "")]


async def test_a_board_card_says_the_channel_the_user_asked_in(world: World) -> None:
    chat = world.chat("u1")
    link = "https://slack.com/app_redirect?channel=C0GEN&team=T1"
    await chat.send(replace(chat.message("I want a human"), group=True, chat_link=link))
    [card] = (await world.desk.board(agent_ref("alice", "web"))).cards
    assert (card.group, card.group_link) == ("", link)


async def test_the_web_desk_sets_a_requests_and_a_tickets_priority(
    user: Client, agent: Client
) -> None:
    """Over HTTP, as the page's priority list does: the request moves up, and once it is a
    ticket, the ticket's priority is set by its number."""
    await say(user, "human, the printer jams", "1")
    await call(agent, "POST", "/api/agent/login", {"name": "alice"})
    handoff = await Handoff.get()
    done = await act(agent, "priority", handoff.id, text="urgent")
    assert (done["ok"], done["text"]) == (
        True,
        f"Request #{handoff.id}: priority set to 🔴 URGENT by alice (was normal).",
    )
    _, board = await call(agent, "GET", "/api/agent/board")
    assert [card["priority"] for card in board["cards"]] == ["urgent"]
    refused = await act(agent, "priority", handoff.id, text="asap")
    assert not refused["ok"] and refused["text"].startswith("Give the priority: low, normal")
    assert (await act(agent, "ticket", handoff.id))["ok"]
    ticket = await Ticket.get()
    lowered = await act(agent, "priority", 0, ticket_id=ticket.id, text="low")
    assert lowered["ok"] and "priority set to low by alice (was 🔴 URGENT)" in lowered["text"]
    assert (await Ticket.get()).priority == "low"


async def test_an_urgent_request_off_duty_is_an_alert_on_the_web_desk(
    db_url: str, knowledge: KnowledgeBase
) -> None:
    """Off duty a request is a ticket at once, with no card: an urgent one's line warns (as
    an SLA warning does), where a normal one's ticket is only in the board's list."""
    teams = Teams((replace(IT, desk="web"), NET), default="it")
    world = build_world(db_url, knowledge, teams=teams)
    world.clock.now += timedelta(hours=8, minutes=5)  # 20:05 in Moscow: "it" is off duty
    await world.chat("u1").say("the whole office has no internet")
    await world.chat("u2").say("human please")
    async with TestClient(TestServer(app_for(world))) as agent:
        await call(agent, "POST", "/api/agent/login", {"name": "alice"})
        _, board = await call(agent, "GET", "/api/agent/board")
    [notice] = board["notices"]
    assert notice["warning"] is True
    assert notice["text"].startswith("The team is off duty until 2026-11-26 09:00")
    assert "«the whole office has no internet» (priority 🔴 URGENT" in notice["text"]
    assert [t["priority"] for t in board["tickets"]] == ["urgent", "normal"]


async def test_an_sla_alert_of_a_chat_handed_back_to_its_ticket_is_no_notice(
    db_url: str, knowledge: KnowledgeBase
) -> None:
    """An SLA warning under an agent's chat of a picked-up ticket was said in its thread; the
    chat handed back to the ticket leaves the board, and the warning stays there with it (the
    notices show a ticket's off-duty alert only, which had no card)."""
    teams = Teams((replace(IT, desk="web"), NET), default="it")
    world = build_world(db_url, knowledge, teams=teams, sla=policies())
    number = await timed_out(world)
    alice = agent_ref("alice", "web")
    world.clock.now = moscow(25, 17, 5)
    assert (await world.desk.act(alice, DeskAction("take", 0, ticket_id=number))).ok
    world.clock.now = moscow(27, 13, 12)
    assert await escalate_due(world.desk.queue) == 1  # "due to be resolved", in its thread
    chat = await Handoff.get(ticket_id=number, status="claimed")
    assert (await world.desk.act(alice, DeskAction("ticket", chat.id))).ok
    notices = (await world.desk.board(alice)).notices
    assert not [n for n in notices if "due to be resolved" in n.text]
