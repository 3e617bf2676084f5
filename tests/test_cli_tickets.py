"""With no agents' desk, IT works tickets from the command line: `helpdesk-bot tickets show`,
`reply` and `resolve`, run as a process on the bot's database; the user hears through the
outbox, as from an agent, on the platform they wrote from."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

from aiohttp.test_utils import TestClient, TestServer

from bot.adapters.memory import MemoryChat
from bot.channels import build_web_app
from bot.config import Settings
from bot.engine import Engine
from bot.handoff import DbOutbox, OutboxItem
from bot.handoff.tickets import withdraw_ticket
from bot.messages import Reply
from bot.phrases import load_phrases
from bot.storage import reports
from bot.storage.models import OutboxMessage, Ticket, TranscriptMessage, User
from bot.ticket_commands import format_ticket
from tests.conftest import KB_DIR
from tests.test_cli import run
from tests.test_ticket_status import shown

PHRASES = load_phrases()
DESK = "ru"  # HELPDESK_DEFAULT_LANGUAGE's default: the language of the command's lines
REPLY = "Please restart the router:\nthe VPN comes back in a minute."
NOTE = "New router fitted."
SUBJECT = "my vpn is broken"  # the request for a person is not in it
TEAM_IT = 'default_team = "it"\n[[teams]]\nname = "it"\ndesk = "web"\nagents = ["web:bob"]\n'


async def ticket_from_telegram(engine: Engine) -> int:
    """A Telegram user (chat 42) asks for a person: with no desk, a ticket at once."""
    chat = MemoryChat(engine.handle, platform="telegram", user_id="42", locale="en")
    await chat.say("my vpn is broken, I want a human")
    ticket = await Ticket.get()
    await received()  # what the turn itself left there
    return ticket.id


async def received() -> list[OutboxItem]:
    """What the Telegram channel's sender takes next for chat 42, as sent."""
    outbox = DbOutbox()
    items = await outbox.claim("telegram", chat_id="42")
    for item in items:
        await outbox.sent(item)
    return items


async def test_it_answers_and_resolves_a_ticket_from_the_command_line(
    engine: Engine, db_url: str, tmp_path: Path
) -> None:
    number = await ticket_from_telegram(engine)

    shown = run(["tickets", "show", str(number), "--lang", "en"], tmp_path, database_url=db_url)
    assert shown.returncode == 0, shown.stderr
    assert f"ticket #{number}: open, " in shown.stdout
    assert "user: Test User (telegram, id 42), language en" in shown.stdout
    assert SUBJECT in shown.stdout

    replied = run(["tickets", "reply", str(number), REPLY], tmp_path, database_url=db_url)
    assert replied.returncode == 0, replied.stderr
    waiting = run(["tickets", "show", str(number), "--lang", "en"], tmp_path, database_url=db_url)
    assert "to the user's chat: 1 waiting to be sent (by `helpdesk-bot run`), 0 given up on" in (
        waiting.stdout
    )  # until the bot runs and its Telegram sender takes it
    [told] = await received()
    assert told.text == PHRASES.get("en", "handoff_agent_says", agent="IT", text=REPLY)
    ticket = await Ticket.get(id=number)
    assert ticket.status == "open" and ticket.first_response_at is not None  # answered
    delivered = run(
        ["tickets", "show", str(number), "--lang", "en"], tmp_path, database_url=db_url
    ).stdout
    assert "IT: Please restart the router:" in delivered and "to the user's chat" not in delivered

    args = ["tickets", "resolve", str(number), NOTE, "--as", "Ann"]
    resolved = run(args, tmp_path, database_url=db_url)
    assert resolved.returncode == 0, resolved.stderr
    [done] = await received()
    subject = SUBJECT
    assert done.text == PHRASES.get(
        "en", "ticket_resolved", number=number, subject=subject, note=NOTE
    )
    await OutboxMessage.filter(id=done.id).update(status="failed")  # the sender gave up
    lost = run(
        ["tickets", "show", str(number), "--lang", "en"], tmp_path, database_url=db_url
    ).stdout
    assert "to the user's chat: 0 waiting to be sent (by `helpdesk-bot run`), 1 given up" in lost
    ticket = await Ticket.get(id=number)
    assert ticket.status == "resolved" and ticket.resolved_at is not None
    assert ticket.next_alert_at is None  # its SLA warnings stop
    lines = await TranscriptMessage.filter(direction="agent").order_by("id")
    assert [line.text for line in lines] == [REPLY, NOTE]
    listed = run(["tickets", "--lang", "en"], tmp_path, database_url=db_url)
    assert listed.stdout == "no open tickets\n"


async def test_the_user_rates_a_ticket_resolved_from_the_command_line(
    engine: Engine, db_url: str, tmp_path: Path
) -> None:
    """The resolution reaches the user with the buttons 1–5 (and "Still not solved": it may
    be reopened, tests/test_ticket_reopening.py); their press is kept on the
    ticket, and the report counts it for the IT person who resolved it."""
    number = await ticket_from_telegram(engine)
    args = ["tickets", "resolve", str(number), NOTE, "--as", "Ann"]
    assert run(args, tmp_path, database_url=db_url).returncode == 0
    [done] = await received()
    assert [b.label for b in done.buttons] == ["1", "2", "3", "4", "5", "Still not solved"]

    chat = MemoryChat(engine.handle, platform="telegram", user_id="42", locale="en")
    [thanks] = await chat.press("5", among=[Reply(done.text, done.buttons)])

    assert thanks.text == PHRASES.get("en", "rated")
    ticket = await Ticket.get(id=number)
    assert (ticket.rating, ticket.resolved_by) == (5, "cli:Ann")
    report = run(["report", "--days", "1", "--json"], tmp_path, database_url=db_url)
    assert report.returncode == 0, report.stderr
    figures = json.loads(report.stdout)
    assert figures["agents"] == {
        "cli:Ann": {"name": None, "closed": 0, "resolved": 1, "rating": {"mean": 5, "count": 1}}
    }
    assert figures["requests"]["all"]["rating"] == {"mean": 5, "count": 1}


async def test_wrong_ticket_commands_are_refused_with_the_reason(
    engine: Engine, db_url: str, tmp_path: Path
) -> None:
    number = await ticket_from_telegram(engine)

    def refused(*args: str) -> str:
        result = run(["tickets", *args], tmp_path, database_url=db_url)
        assert (result.returncode, result.stdout) == (1, ""), args
        return result.stderr

    def said(key: str, **params: object) -> str:
        return f"error: {PHRASES.get(DESK, key, **params)}\n"

    assert refused("show", "99") == said("desk_ticket_not_found", number=99)
    assert refused("reply", "99", "hello") == said("desk_ticket_not_found", number=99)
    assert refused("resolve", "99", NOTE) == said("desk_ticket_not_found", number=99)
    assert refused("reply", str(number), "  ") == said("desk_reply_usage")
    assert refused("resolve", str(number), "") == said("desk_resolve_usage")
    assert await received() == []  # nothing reached the user
    assert (await Ticket.get(id=number)).status == "open"

    assert (
        run(["tickets", "resolve", str(number), NOTE], tmp_path, database_url=db_url).returncode
        == 0
    )
    assert refused("resolve", str(number), NOTE) == said("desk_ticket_was_resolved", number=number)
    assert refused("reply", str(number), "hello") == (  # the status in the desk's words
        f"error: Заявка #{number} решена: отсюда можно ответить только по открытой заявке.\n"
    )
    assert len(await received()) == 1  # the resolution, once

    bad = run(["tickets", "show", "x"], tmp_path, database_url=db_url)
    assert bad.returncode == 2 and "not a ticket number: 'x'" in bad.stderr


async def test_a_web_user_gets_its_reply_and_resolution_with_no_desk(
    engine: Engine, db_url: str, tmp_path: Path
) -> None:
    """The web chat of a bot with no teams polls for messages from IT like one with a desk:
    a reply or a resolution from the command line reaches the browser."""
    app = build_web_app(Settings(database_url=db_url, kb_dir=KB_DIR), engine, None)
    async with TestClient(TestServer(app)) as browser:
        body = {"id": "m1", "text": "my vpn is broken, I want a human"}
        async with browser.post("/api/messages", json=body) as response:
            assert response.status == 200
        number = (await Ticket.get()).id
        for args in (["reply", str(number), REPLY], ["resolve", str(number), NOTE]):
            done = run(["tickets", *args], tmp_path, database_url=db_url)
            assert done.returncode == 0, done.stderr
        async with browser.get("/api/updates") as response:
            assert response.status == 200
            shown = [reply["html"] for reply in (await response.json())["replies"]]
    assert len(shown) == 2
    assert "Please restart the router:" in shown[0] and NOTE in shown[1]


async def test_show_names_a_web_user_as_the_desks_do(
    engine: Engine, db_url: str, tmp_path: Path
) -> None:
    """A web chat's visitor gives no name: `show` calls them what the desks do ("Web
    visitor 3f2a", in the desk's language), their 33-character id only beside it."""
    app = build_web_app(Settings(database_url=db_url, kb_dir=KB_DIR), engine, None)
    async with TestClient(TestServer(app)) as browser:
        body = {"id": "m1", "text": "my vpn is broken, I want a human"}
        async with browser.post("/api/messages", json=body) as response:
            assert response.status == 200
    ticket = await Ticket.get().prefetch_related("user")
    ident = ticket.user.external_id
    assert len(ident) == 33 and not ticket.user.name

    shown = run(["tickets", "show", str(ticket.id), "--lang", "en"], tmp_path, database_url=db_url)

    assert shown.returncode == 0, shown.stderr
    name = PHRASES.get(DESK, "desk_web_visitor", tag=ident[1:5])
    assert f"user: {name} (web, id {ident}), language en\n" in shown.stdout


async def test_a_reply_to_a_user_who_blocked_the_bot_is_refused(
    engine: Engine, db_url: str, tmp_path: Path
) -> None:
    """IT is told the words would reach nobody, rather than have them sit in the outbox
    until the Telegram sender gives up; the ticket can still be resolved."""
    number = await ticket_from_telegram(engine)
    await User.filter(external_id="42").update(unreachable=True)  # they blocked the bot

    refused = run(["tickets", "reply", str(number), REPLY], tmp_path, database_url=db_url)

    assert (refused.returncode, refused.stdout) == (1, "")
    reason = PHRASES.get(DESK, "desk_ticket_user_unreachable", number=number)
    assert refused.stderr == f"error: {reason}\n"
    assert await received() == [] and not await TranscriptMessage.exists(direction="agent")
    assert (await Ticket.get(id=number)).first_response_at is None
    resolved = run(["tickets", "resolve", str(number), NOTE], tmp_path, database_url=db_url)
    assert resolved.returncode == 0, resolved.stderr


async def test_with_teams_a_resolution_from_the_command_line_reaches_the_desk_too(
    engine: Engine, db_url: str, tmp_path: Path
) -> None:
    """With teams the command acts as an agent's /resolve: the team's desk gets its line."""
    number = await ticket_from_telegram(engine)  # a ticket of no team: the default team's

    args = ["tickets", "resolve", str(number), NOTE, "--as", "Ann"]
    resolved = run(args, tmp_path, database_url=db_url, config=TEAM_IT)

    assert resolved.returncode == 0, resolved.stderr
    line = PHRASES.get(
        DESK, "desk_ticket_resolved", number=number, subject=SUBJECT, agent="Ann", note=NOTE
    )
    assert resolved.stdout == line + "\n"
    [desk] = await DbOutbox().claim("web", chat_id="desk:it")
    assert desk.text == line
    [told] = await received()
    assert told.text == PHRASES.get(
        "en", "ticket_resolved", number=number, subject=SUBJECT, note=NOTE
    )


async def test_with_teams_a_reply_from_the_command_line_reaches_the_desk_too(
    engine: Engine, db_url: str, tmp_path: Path
) -> None:
    """The team's desk gets a line (who answered, the words on one line): its agents see
    that the user has heard from IT. A ticket of a team no longer configured has no desk."""
    number = await ticket_from_telegram(engine)  # a ticket of no team: the default team's
    args = ["tickets", "reply", str(number), REPLY, "--as", "Ann"]

    replied = run(args, tmp_path, database_url=db_url, config=TEAM_IT)

    assert replied.returncode == 0, replied.stderr
    done = PHRASES.get(DESK, "desk_ticket_replied", number=number, platform="telegram")
    assert replied.stdout == done + "\n"
    [desk] = await DbOutbox().claim("web", chat_id="desk:it")
    words = "Please restart the router: the VPN comes back in a minute."
    assert desk.text == PHRASES.get(
        DESK, "desk_ticket_answered", number=number, subject=SUBJECT, agent="Ann", text=words
    )
    [told] = await received()
    assert told.text == PHRASES.get("en", "handoff_agent_says", agent="Ann", text=REPLY)

    await Ticket.filter(id=number).update(team="gone")  # its team taken out of the config
    again = run(args, tmp_path, database_url=db_url, config=TEAM_IT)
    assert again.returncode == 0, again.stderr
    assert len(await received()) == 1
    assert await OutboxMessage.filter(kind="notice").count() == 1  # the first reply's line


async def test_words_from_the_command_line_reach_the_user_and_the_desk_as_typed(
    engine: Engine, db_url: str, tmp_path: Path
) -> None:
    """A shell's argument is plain text, not Markdown: a path's backslashes, stars and
    underscores reach the user, and the team's desk line, as IT typed them."""
    number = await ticket_from_telegram(engine)
    typed = r"Map \\fs01\buh\ as Z:, then copy *.pst_old there"
    for command in ("reply", "resolve"):
        args = ["tickets", command, str(number), typed, "--as", "Ann"]
        done = run(args, tmp_path, database_url=db_url, config=TEAM_IT)
        assert done.returncode == 0, done.stderr

    told = [shown(item.text) for item in await received()]
    assert told[0] == f"Ann: {typed}"
    assert f"is resolved: {typed}" in told[1]
    lines = [shown(item.text) for item in await DbOutbox().claim("web", chat_id="desk:it")]
    assert [line.rpartition(": ")[2] for line in lines] == [typed, typed]


async def test_what_the_commands_print_is_text_as_typed(
    engine: Engine, db_url: str, tmp_path: Path
) -> None:
    """The desk's lines and IT's words are kept as Markdown, but a terminal shows text: the
    commands print them as a reader sees them, not with the backslashes that escape them."""
    subject = r"human: \\fs01\buh\*.pst_old is gone"
    await MemoryChat(engine.handle, platform="telegram", user_id="42").say(subject)
    first = await Ticket.get()
    typed = r"Map \\fs01\buh\ as Z:, then copy *.pst_old there"
    args = ["tickets", "reply", str(first.id), typed]
    assert run(args, tmp_path, database_url=db_url).returncode == 0
    shown = run(
        ["tickets", "show", str(first.id), "--lang", "en"], tmp_path, database_url=db_url
    ).stdout
    asked = subject.removeprefix("human: ")  # the subject: what it says besides "human"
    assert f" IT: {typed}\n" in shown and f"subject: {asked}\n" in shown

    for language in ("en", "ru"):  # the command's line, in the desk's language
        ticket = await Ticket.create(
            user_id=first.user_id, conversation_id=first.conversation_id, subject=subject
        )
        args = ["tickets", "resolve", str(ticket.id), typed, "--as", "Ann"]
        config = f'default_language = "{language}"\n'
        resolved = run(args, tmp_path, database_url=db_url, config=config)
        line = PHRASES.get(
            language,
            "desk_ticket_resolved",
            number=ticket.id,
            subject=subject,
            agent="Ann",
            note=typed,
        )
        assert resolved.stdout == f"{line}\n", resolved.stderr


async def test_show_gives_a_withdrawn_ticket_no_due_time(
    engine: Engine, db_url: str, tmp_path: Path
) -> None:
    """A ticket its user withdrew read "due: … OVERDUE" once its due time had passed, as if
    IT still owed it an answer."""
    number = await ticket_from_telegram(engine)
    ticket = await Ticket.get(id=number)
    withdrawal, _ = await withdraw_ticket(number, user_id=ticket.user_id)
    assert withdrawal.done
    printed = run(
        ["tickets", "show", str(number), "--lang", "en"], tmp_path, database_url=db_url
    ).stdout
    assert f"ticket #{number}: withdrawn, " in printed and "; due: -\n" in printed
    view = await reports.ticket_view(number)
    later = format_ticket(
        view, now=datetime.now(UTC) + timedelta(days=30), user_name="Ann", language="en"
    )
    assert "OVERDUE" not in later


async def test_the_users_answer_to_it_goes_into_the_ticket(
    engine: Engine, db_url: str, tmp_path: Path
) -> None:
    """IT asked a question with `tickets reply`; the user's answer went to the KB as a new
    question ("I couldn't find an answer… shall I record a ticket?") and IT never saw it
    but in the transcript. Within the usual 10 minutes it is added to the ticket now."""
    number = await ticket_from_telegram(engine)
    asked = "Does the VPN client show an error number?"
    assert (
        run(["tickets", "reply", str(number), asked], tmp_path, database_url=db_url).returncode == 0
    )
    await received()
    chat = MemoryChat(engine.handle, platform="telegram", user_id="42", locale="en")
    [told] = await chat.say("yes, a grey elephant 809 appears")
    assert told.text == PHRASES.get("en", "ticket_described", number=number)
    ticket = await Ticket.get(id=number)
    assert "grey elephant 809" in ticket.description and ticket.subject == SUBJECT
    [welcome] = await chat.say("thank you")  # politeness is answered, not added
    assert (
        "grey elephant" not in welcome.text
        and "thank you" not in (await Ticket.get(id=number)).description
    )
