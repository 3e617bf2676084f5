"""Offices: the `[[offices]]` settings, /office, the office on the desk card, and "when work
starts" told in the user's own time zone (their platform's, else their office's, else the
team's)."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from bot.adapters.memory import MemoryChat
from bot.app import build_engine, build_offices, build_queue
from bot.config import Settings, load_settings
from bot.engine import Engine
from bot.errors import ConfigError
from bot.handoff import DbOutbox, Office, expire_overdue
from bot.handoff.board import board
from bot.knowledge.base import KnowledgeBase
from bot.phrases import load_phrases
from bot.storage.models import Handoff, Ticket, User
from tests.handoff_support import Clock

TEAMS: list[dict[str, Any]] = [
    {
        "name": "it",
        "desk": "web",
        "agents": ["web:alice"],
        "timezone": "Europe/Moscow",
        "hours": "mon-fri 09:00-18:00",
    },
    {
        "name": "apac",
        "desk": "web",
        "agents": ["web:kenji"],
        "timezone": "Asia/Tokyo",
        "hours": "mon-fri 09:00-18:00",
    },
    {"name": "berlin-admin", "desk": "web", "agents": ["web:hans"], "timezone": "Europe/Berlin"},
]
OFFICES: list[dict[str, Any]] = [
    {"name": "Berlin", "timezone": "Europe/Berlin", "on_site_team": "berlin-admin"},
    {"name": "Moscow", "timezone": "Europe/Moscow", "aliases": ["Москва", "Мск"]},
    {"name": "Tokyo", "timezone": "Asia/Tokyo", "team": "apac"},
]
OFF_HOURS = timedelta(hours=10)  # Wednesday 22:00 in Moscow; "it" starts Thursday 09:00 MSK
CONFIG = """
default_team = "it"
[[teams]]
name = "it"
desk = "web"
agents = ["web:alice"]
timezone = "Europe/Moscow"
[[offices]]
name = "Moscow"
timezone = "Europe/Moscow"
aliases = ["Мск"]
team = "it"
[[offices]]
name = "Berlin"
timezone = "Europe/Berlin"
"""


@dataclass
class Desk:
    engine: Engine
    clock: Clock

    def chat(self, user_id: str, **options: Any) -> MemoryChat:
        return MemoryChat(self.engine.handle, user_id=user_id, **options)


def build(
    db_url: str,
    knowledge: KnowledgeBase,
    *,
    offices: list[dict[str, Any]],
    teams: list[dict[str, Any]] = TEAMS,
) -> Desk:
    settings = Settings(
        database_url=db_url,
        default_language="en",
        default_team="it",
        teams=teams,  # type: ignore[arg-type]  # pydantic validates the tables
        offices=offices,  # type: ignore[arg-type]
    )
    clock = Clock()
    queue = build_queue(settings, load_phrases())
    assert queue is not None and queue.offices == build_offices(settings)
    engine = build_engine(settings, knowledge, queue=replace(queue, clock=clock))
    return Desk(engine, clock)


@pytest.fixture
def desk(db_url: str, knowledge: KnowledgeBase) -> Desk:
    return build(db_url, knowledge, offices=OFFICES)


async def user_of(chat: MemoryChat) -> User:
    return await User.get(platform=chat.user.platform, external_id=chat.user.user_id)


# Settings -------------------------------------------------------------------------------------


@pytest.fixture
def load(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Any:
    import os

    for name in list(os.environ):
        if name.startswith(("HELPDESK_", "TELEGRAM_", "SLACK_")):
            monkeypatch.delenv(name)

    def load(text: str) -> Settings:
        config = tmp_path / "helpdesk.toml"
        config.write_text(text, encoding="utf-8")
        monkeypatch.setenv("HELPDESK_CONFIG", str(config))
        return load_settings()

    return load


def test_offices_become_plain_values(load: Any) -> None:
    offices = build_offices(load(CONFIG))
    assert offices.names == ("Moscow", "Berlin")
    assert offices.named("berlin") == Office("Berlin", "Europe/Berlin")
    assert offices.team_of("Moscow") == "it" and offices.team_of("Berlin") is None
    assert offices.named("Paris") is None and offices.team_of(None) is None
    assert offices.aliases == {"Мск": "Moscow"}
    assert build_offices(load("")).names == ()  # offices are optional


@pytest.mark.parametrize(
    ("change", "key"),
    [
        (('timezone = "Europe/Berlin"', 'timezone = "Europe/Bärlin"'), r"offices\[1\].timezone"),
        (('timezone = "Europe/Berlin"', ""), r"offices\[1\].timezone"),
        (('\nteam = "it"', '\nteam = "ops"'), r"offices\[0\].team"),
        (('\nteam = "it"', '\non_site_team = "ops"'), r"offices\[0\].on_site_team"),
        (('name = "Berlin"', 'name = "moscow"'), "two offices have the same name"),
        (('name = "Berlin"', 'name = ""'), r"offices\[1\].name"),
        (('name = "Berlin"', 'name = "Berlin"\ncity = "x"'), r"offices\[1\].city"),
        (('name = "Berlin"', 'name = "Berlin"\naliases = [" "]'), r"offices\[1\].aliases.0"),
        (
            ('name = "Berlin"', 'name = "Berlin"\naliases = ["Берлин", "мск"]'),
            r'offices\[1\].aliases\[1\]: "мск" is also offices\[0\].aliases\[0\] \("Мск"\)',
        ),
        (
            ('name = "Berlin"', 'name = "Berlin"\naliases = [" moscow "]'),
            r'offices\[1\].aliases\[0\]: " moscow " is also offices\[0\].name \("Moscow"\)',
        ),
    ],
)
def test_wrong_office_settings_name_the_key(load: Any, change: tuple[str, str], key: str) -> None:
    with pytest.raises(ConfigError, match=key):
        load(CONFIG.replace(*change))


# /office -------------------------------------------------------------------------------------


async def test_office_lists_the_offices_and_a_button_picks_one(desk: Desk) -> None:
    chat = desk.chat("u1")
    [choose] = await chat.say("/office")
    assert "Now: not chosen" in choose.text
    assert [b.label for b in choose.buttons] == ["Berlin", "Moscow", "Tokyo"]
    [done] = await chat.press("Berlin")
    assert "**Berlin**" in done.text
    assert (await user_of(chat)).office == "Berlin"
    [again] = await chat.say("/office")
    assert "Now: Berlin" in again.text


async def test_office_with_a_name_picks_it_in_any_case(desk: Desk) -> None:
    chat = desk.chat("u1")
    [done] = await chat.say("/office  moscow ")
    assert "**Moscow**" in done.text
    assert (await user_of(chat)).office == "Moscow"  # the configured spelling


async def test_an_office_typed_in_cyrillic_is_known_by_its_aliases(desk: Desk) -> None:
    """A Russian user typed their office as they say it ("москва", "Мск", "берлин") and was
    not understood: the office's `aliases` are its names too (any case, ё as е), and a
    Latin name is known in Cyrillic letters ("берлин" for Berlin)."""
    chat = desk.chat("u1", locale="ru")
    for typed, office in (
        ("/office москва", "Moscow"),
        ("/office  МСК ", "Moscow"),
        ("/office берлин", "Berlin"),
    ):
        [done] = await chat.say(typed)
        assert done.text == load_phrases().get("ru", "office_set", office=office), typed
        assert (await user_of(chat)).office == office  # the configured name
    [refused] = await chat.say("/office токио")  # "tokio": no alias, not its Latin spelling
    assert "токио" in refused.text and len(refused.buttons) == 3
    asked = desk.chat("u2", locale="ru")
    await asked.say("экран ноутбука треснул")
    await asked.press("Не помогло")
    [set_to, *_] = await asked.say("Мск")
    assert set_to.text == load_phrases().get("ru", "office_set", office="Moscow")
    handoff = await Handoff.filter(conversation__chat_id="u2").get()
    assert handoff.question == "экран ноутбука треснул"  # the office is no words of the question
    assert (await User.get(external_id="u2")).office == "Moscow"


async def test_unknown_office_is_refused_with_the_choices(desk: Desk) -> None:
    chat = desk.chat("u1")
    [refused] = await chat.say("/office Paris")
    assert "Paris" in refused.text and len(refused.buttons) == 3
    assert (await user_of(chat)).office is None


async def test_office_in_russian(desk: Desk) -> None:
    chat = desk.chat("u1", locale="ru")
    [choose] = await chat.say("/office")
    assert "В каком офисе" in choose.text and "не выбран" in choose.text


async def test_without_offices_office_says_so(db_url: str, knowledge: KnowledgeBase) -> None:
    chat = build(db_url, knowledge, offices=[]).chat("u1")
    [reply] = await chat.say("/office Berlin")
    assert "No offices" in reply.text and not reply.buttons
    assert (await user_of(chat)).office is None


# The desk card and the user's time zone ------------------------------------------------------


def test_the_readme_says_a_card_without_an_office_leaves_it_out() -> None:
    """README promised an office "-" on the card of a user who chose none; the card (above)
    leaves the office out, and an admin reading the README looked for a "-" that never came."""
    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
    said = " ".join(readme.split("The desk card shows the user's office", 1)[1].split()[:12])
    assert '"-"' not in said, said
    assert "left out" in said, said


async def test_the_card_shows_the_office(desk: Desk) -> None:
    """A user who chose no office gets no office part on the card (not "office -")."""
    berlin, nowhere = desk.chat("u1", name="Ann"), desk.chat("u2", name="Bo")
    await berlin.say("/office Berlin")
    await berlin.say("human")
    await nowhere.say("human")
    first, second = await Handoff.all().order_by("id")
    cards = {i.handoff_id: i.text for i in await DbOutbox().claim("web", limit=50)}
    assert "(memory, office Berlin, en," in cards[first.id]
    assert "(memory, en," in cards[second.id] and "office" not in cards[second.id]
    named = lambda user: user.name  # noqa: E731 - how the desk names users is not the point
    web_desk = await board(["it"], "web:alice", now=desk.clock(), name=named)  # the web page's view
    assert [card.office for card in web_desk] == ["Berlin", ""]


async def test_off_hours_start_in_the_office_zone(desk: Desk) -> None:
    desk.clock.now += OFF_HOURS
    chat = desk.chat("42", platform="telegram")  # Telegram tells no time zone
    await chat.say("/office Berlin")
    [reply] = await chat.say("human")
    assert "07:00 tomorrow (Europe/Berlin)" in reply.text  # 09:00 in Moscow
    ticket = await Ticket.get()
    assert (ticket.office, ticket.team, ticket.reason) == ("Berlin", "it", "off_hours")


async def test_the_platforms_zone_wins_over_the_office(desk: Desk) -> None:
    desk.clock.now += OFF_HOURS
    chat = desk.chat("u1", timezone="America/New_York")
    await chat.say("/office Berlin")
    [reply] = await chat.say("human")
    assert "01:00 tomorrow (America/New_York)" in reply.text
    assert (await user_of(chat)).timezone == "America/New_York"


async def test_without_zone_or_office_the_teams_zone(desk: Desk) -> None:
    desk.clock.now += OFF_HOURS
    chat = desk.chat("u1", timezone="Mars/Olympus_Mons")  # not a zone: ignored
    [reply] = await chat.say("human")
    assert "09:00 tomorrow (Europe/Moscow)" in reply.text
    assert (await user_of(chat)).timezone is None


async def test_a_later_zone_replaces_the_stored_one(desk: Desk) -> None:
    chat = desk.chat("u1", timezone="Europe/Berlin")
    await chat.say("hello")
    chat.timezone = "Asia/Tokyo"
    await chat.say("hello")
    chat.timezone = None  # a message without a hint keeps what is known
    await chat.say("hello")
    assert (await user_of(chat)).timezone == "Asia/Tokyo"


async def test_time_out_after_hours_tells_the_users_zone(desk: Desk) -> None:
    desk.clock.now += timedelta(hours=5, minutes=55)  # 17:55 in Moscow: still on duty
    chat = desk.chat("u1", timezone="Asia/Kolkata")
    [queued] = await chat.say("human")
    assert "number **1**" in queued.text
    desk.clock.now += timedelta(minutes=10)  # 18:05: the team has gone home
    queue = desk.engine.effects.handoff
    assert await expire_overdue(queue.queue) == 1  # type: ignore[attr-defined]
    told = await DbOutbox(clock=desk.clock).claim("memory", chat_id="u1", limit=10)
    assert any("11:30 tomorrow (Asia/Kolkata)" in item.text for item in told)


async def test_the_offices_team_takes_its_handoffs(desk: Desk) -> None:
    chat = desk.chat("u1")
    await chat.say("/office tokyo")
    [reply] = await chat.say("human")  # 18:00 in Tokyo on Wednesday: "apac" is off duty
    assert "09:00 tomorrow (Asia/Tokyo)" in reply.text  # the office's zone
    handoff = await Handoff.get()
    assert handoff.team == "apac"


# On-site jobs --------------------------------------------------------------------------------


async def _handed_off(chat: MemoryChat, question: str, expected: str) -> Handoff:
    [answer] = await chat.say(question)
    assert answer.text.startswith(f"**{expected}**"), answer.text
    await chat.press("Didn't help")
    handoff = await Handoff.filter(conversation__chat_id=chat.chat_id).order_by("-id").first()
    assert handoff is not None
    return handoff


async def test_a_job_that_needs_hands_on_site_goes_to_the_offices_local_admins(
    desk: Desk,
) -> None:
    chat, colleague = desk.chat("u1"), desk.chat("u2")
    await chat.say("/office Berlin")
    await colleague.say("/office Berlin")
    handoff = await _handed_off(
        chat,
        "my laptop screen is cracked",
        "Broken hardware — cracked screen, keyboard, liquid spill",
    )
    assert handoff.team == "berlin-admin"
    other = await _handed_off(colleague, "vpn does not connect", "VPN does not connect")
    assert other.team == "it"  # remote work stays with the office's usual team


async def test_an_earlier_answer_to_another_question_does_not_route_the_handoff(
    desk: Desk,
) -> None:
    """A conversation may go on to another question without rating the first answer: the
    handoff goes where the article it is about says, not where an earlier one would."""
    chat = desk.chat("u1")
    await chat.say("/office Berlin")
    [cracked] = await chat.say("my laptop screen is cracked")
    assert cracked.text.startswith("**Broken hardware")
    handoff = await _handed_off(chat, "vpn does not connect", "VPN does not connect")
    assert (handoff.team, handoff.priority) == ("it", "normal")
    assert len(handoff.tried_articles) == 2  # the card lists both
    # "Didn't help" under the earlier answer hands off about that one.
    other = desk.chat("u2")
    await other.say("/office Berlin")
    [cracked] = await other.say("my laptop screen is cracked")
    await other.say("vpn does not connect")
    await other.press("Didn't help", among=[cracked])
    again = await Handoff.filter(conversation__chat_id="u2").get()
    assert (again.team, again.priority) == ("berlin-admin", "high")


async def test_local_admins_off_duty_are_named_not_the_it_team(
    db_url: str, knowledge: KnowledgeBase
) -> None:
    """The ticket waits for the office's local admins: the user was told "The IT team isn't
    working right now", another team, which may well be at work."""
    teams = [*TEAMS[:2], {**TEAMS[2], "hours": "mon-fri 09:00-18:00"}]
    desk = build(db_url, knowledge, offices=OFFICES, teams=teams)
    desk.clock.now += OFF_HOURS  # 20:00 in Berlin
    chat, colleague = desk.chat("u1"), desk.chat("u2")
    for user in (chat, colleague):
        await user.say("/office Berlin")
    await chat.say("my laptop screen is cracked")
    [answer] = await colleague.say("my laptop screen is cracked")
    await colleague.say("/lang ru")
    [told] = await chat.press("Didn't help")
    assert told.text.startswith(
        "Your office's local admins aren't working right now, so I've opened ticket **#1** "
        "for them."
    )
    [russian] = await colleague.press("Didn't help", among=[answer])
    assert russian.text.startswith(
        "Сейчас местные администраторы вашего офиса не работают, поэтому я открыл для них "
        "заявку **№2**."
    )
    [remote] = await desk.chat("u3").say("human")  # not on site: the usual team, off too
    assert remote.text.startswith("The IT team isn't working right now")


async def test_without_local_admins_an_on_site_job_goes_to_the_usual_team(desk: Desk) -> None:
    moscow, nowhere = desk.chat("u1"), desk.chat("u2")
    await moscow.say("/office Moscow")
    assert (
        await _handed_off(
            moscow,
            "my laptop screen is cracked",
            "Broken hardware — cracked screen, keyboard, liquid spill",
        )
    ).team == "it"
    [answer] = await nowhere.say("my laptop screen is cracked")
    assert answer.text.startswith("**Broken hardware")
    [asked] = await nowhere.press("Didn't help")
    assert asked.text == "This needs someone on site. Which office are you in?"
    await nowhere.press("Not in an office")
    handoff = await Handoff.filter(conversation__chat_id=nowhere.chat_id).get()
    assert handoff.team == "it"
    assert (await User.get(external_id=nowhere.chat_id)).office is None


async def test_a_job_on_site_asks_for_the_office_first(desk: Desk) -> None:
    """Who goes there depends on where the user is: a user who has not named their office is
    asked before the handoff, and the office they pick is kept."""
    chat = desk.chat("u1")
    await chat.say("my laptop screen is cracked")
    [asked] = await chat.press("Didn't help")
    assert [b.label for b in asked.buttons] == ["Berlin", "Moscow", "Tokyo", "Not in an office"]
    assert not await Handoff.exists()
    replies = await chat.press("Berlin")
    assert replies[0].text == "Your office: **Berlin**."
    handoff = await Handoff.get()
    assert (handoff.team, handoff.reason) == ("berlin-admin", "not_helped")
    assert (await User.get(external_id="u1")).office == "Berlin"  # not asked again


async def test_the_office_can_be_typed_and_other_words_are_kept(desk: Desk) -> None:
    typed, other = desk.chat("u1"), desk.chat("u2")
    await typed.say("my laptop screen is cracked")
    await typed.say("срочно позовите оператора")  # the words count for the priority
    await typed.say("berlin")
    first = await Handoff.filter(conversation__chat_id="u1").get()
    assert (first.team, first.priority) == ("berlin-admin", "high")
    assert first.question == "my laptop screen is cracked\nсрочно позовите оператора"

    await other.say("my laptop screen is cracked")
    await other.press("Didn't help")
    await other.say("I am at home, in Riga")
    second = await Handoff.filter(conversation__chat_id="u2").get()
    assert second.team == "it"
    assert second.question == "my laptop screen is cracked\nI am at home, in Riga"


async def test_an_office_typed_as_it_is_named_keeps_the_users_language(desk: Desk) -> None:
    """A Russian user typed "Berlin" as the button says it: "Your office: Berlin." and the
    queue's message came in English (the name was read as an English word)."""
    chat = desk.chat("u1")
    await chat.say("экран ноутбука треснул")
    await chat.press("Не помогло")
    replies = await chat.say("Berlin")
    assert replies[0].text == load_phrases().get("ru", "office_set", office="Berlin")
    assert (await Handoff.get()).team == "berlin-admin"
    [reply] = await chat.say("Moscow")  # and at any other time: passed on to the desk
    assert reply.text == load_phrases().get("ru", "handoff_passed_on", place=1, minutes=5)


async def test_an_outage_after_an_answer_for_a_job_on_site_is_not_about_that_job(
    desk: Desk,
) -> None:
    """An outage goes straight to a person, about what it says: an answer shown earlier for
    another question (a cracked screen, on site) neither holds it back with "Which office?"
    nor sends it to that job's local admins, nor names that article on the card."""
    chat, colleague = desk.chat("u1"), desk.chat("u2")
    [cracked] = await chat.say("my laptop screen is cracked")
    assert cracked.text.startswith("**Broken hardware")
    [queued] = await chat.say("the whole office has no wifi")
    assert "number **1** in the queue" in queued.text
    first = await Handoff.filter(conversation__chat_id="u1").get()
    assert (first.team, first.priority, first.tried_articles) == ("it", "urgent", [])

    await colleague.say("/office Berlin")
    await colleague.say("my laptop screen is cracked")
    await colleague.say("у всех в офисе не работает интернет")
    second = await Handoff.filter(conversation__chat_id="u2").get()
    assert (second.team, second.priority, second.tried_articles) == ("it", "urgent", [])


async def test_the_office_questions_buttons_are_stale_after_cancel(desk: Desk) -> None:
    """The question was for a handoff the user cancelled: its office buttons, still on the
    page, no longer set an office; they are refused as any stale button is."""
    chat = desk.chat("u1")
    await chat.say("my laptop screen is cracked")
    [asked] = await chat.press("Didn't help")
    await chat.say("/cancel")
    [refused] = await chat.press("Berlin", among=[asked])
    assert refused.text == load_phrases().get("en", "button_unknown") and refused.refusal
    assert (await User.get(external_id="u1")).office is None
    assert not await Handoff.exists()


async def test_asking_for_a_person_at_the_office_question_asks_it_once_more(desk: Desk) -> None:
    """ "hello?? anyone" at "Which office are you in?" is no answer "not in an office": the
    bot says a person is coming once it knows the office and asks again; asked twice, it
    goes without one."""
    chat = desk.chat("u1")
    await chat.say("my laptop screen is cracked")
    await chat.say("I want to talk to a human")
    [again] = await chat.say("hello?? anyone there")
    assert again.text == load_phrases().get("en", "office_for_person")
    assert [b.label for b in again.buttons] == ["Berlin", "Moscow", "Tokyo", "Not in an office"]
    assert not await Handoff.exists()
    await chat.press("Berlin", among=[again])
    assert (await Handoff.get()).team == "berlin-admin"


async def test_office_typed_as_a_command_at_the_office_question_answers_it(desk: Desk) -> None:
    """Asked "Which office are you in?", a user typed "/office Berlin": the bot said "Your
    office: Berlin." and nothing more, and the job on site waited for nobody (no request,
    until the user happened to write again); the command answers the question as the name
    or its button would, and the request goes to the office's local admins."""
    chat = desk.chat("u1", locale="ru")
    await chat.say("в переговорке не работает проектор")
    [asked] = await chat.press("Не помогло")
    assert asked.text == load_phrases().get("ru", "office_for_handoff")
    replies = await chat.say("/office Berlin")
    assert replies[0].text == load_phrases().get("ru", "office_set", office="Berlin")
    handoff = await Handoff.get()
    assert handoff.team == "berlin-admin"
    assert handoff.question == "в переговорке не работает проектор"
    assert len(replies) == 2 and "**1**" in replies[1].text  # told their place in the queue


async def _desk_items(handoff_id: int | None = None) -> list[str]:
    """The web desks' outbox items (of one request), marked sent as the channel would."""
    outbox, told = DbOutbox(), []
    for item in await outbox.claim("web", limit=50):
        await outbox.sent(item, message_id=f"m{item.id}")
        told += [item.text] if handoff_id in (None, item.handoff_id) else []
    return told


async def test_an_office_changed_while_a_request_waits_is_told_to_its_desk(desk: Desk) -> None:
    """A user in the queue with a job on site corrected their office ("/office Berlin", they
    had picked Moscow by mistake): the bot said "Your office: Berlin." and the desk never
    heard of it, so whoever went would go to the wrong building. The desk is told under the
    request, with the office it was, and the card (read from the user) shows the new one;
    the office chosen with the request itself tells the desk nothing more."""
    chat = desk.chat("u1")
    await chat.say("/office Moscow")
    await _handed_off(
        chat,
        "my laptop screen is cracked",
        "Broken hardware — cracked screen, keyboard, liquid spill",
    )
    await _desk_items()  # the card
    [reply] = await chat.say("/office Berlin")
    assert reply.text == load_phrases().get("en", "office_set", office="Berlin")
    handoff = await Handoff.get()
    told = load_phrases().get(
        "en", "desk_office_changed", id=handoff.id, office="Berlin", was="Moscow"
    )
    assert await _desk_items(handoff.id) == [told]
    named = lambda user: user.name  # noqa: E731 - how the desk names users is not the point
    [card] = await board(["it"], "web:alice", now=desk.clock(), name=named)
    assert card.office == "Berlin"
    await chat.say("/office Berlin")  # the same again: nothing new for the desk
    assert await _desk_items() == []
    other = desk.chat("u2")
    await other.say("my laptop screen is cracked")
    await other.press("Didn't help")
    await other.press("Berlin")
    [card_text] = await _desk_items()  # the card alone
    assert "office Berlin" in card_text


@pytest.mark.parametrize(
    ("typed", "office", "words"),
    [
        ("Berlin.", "Berlin", ""),
        ("мск!", "Moscow", ""),
        ("я в Берлине", "Berlin", "\nя в Берлине"),
        ("в Москве, 3 этаж, переговорка 4", "Moscow", "\nв Москве, 3 этаж, переговорка 4"),
        ("I'm in the Berlin office, room 4", "Berlin", "\nI'm in the Berlin office, room 4"),
    ],
)
async def test_an_office_named_among_other_words_answers_the_office_question(
    desk: Desk, typed: str, office: str, words: str
) -> None:
    """Asked "Which office are you in?", people answer as they talk ("я в Берлине",
    "Berlin.", "I'm in the Berlin office, room 4"): only the bare name was understood, so the
    job on site went to the usual team with no office, past the local admins. One office
    named among the words (in any word form) is the answer; the words go with the request."""
    chat = desk.chat("u1")
    await chat.say("my laptop screen is cracked")
    await chat.press("Didn't help")
    await chat.say(typed)
    assert (await User.get(external_id="u1")).office == office
    handoff = await Handoff.get()
    assert handoff.team == ("berlin-admin" if office == "Berlin" else "it")
    assert handoff.question == f"my laptop screen is cracked{words}"


@pytest.mark.parametrize("typed", ["I am at home, in Riga", "Berlin or Moscow, I travel a lot"])
async def test_no_office_or_two_among_the_words_leave_without_one(desk: Desk, typed: str) -> None:
    chat = desk.chat("u1")
    await chat.say("my laptop screen is cracked")
    await chat.press("Didn't help")
    await chat.say(typed)
    assert (await User.get(external_id="u1")).office is None
    assert (await Handoff.get()).team == "it"


async def test_an_outage_at_the_office_question_goes_about_what_it_says(desk: Desk) -> None:
    """Asked "Which office are you in?" for a cracked screen, the user reported that the
    whole office had no internet: the outage went as the screen's request ("экран ноутбука
    треснул\\nу всех в офисе не работает интернет", to whom the screen would go). An outage
    goes straight to a person about what it says, as at any other time."""
    chat = desk.chat("u1", locale="ru")
    await chat.say("экран ноутбука треснул")
    await chat.press("Не помогло")
    [queued] = await chat.say("у всех в офисе не работает интернет")
    assert "**1**" in queued.text
    handoff = await Handoff.get()
    assert (handoff.question, handoff.priority, handoff.reason, handoff.tried_articles) == (
        "у всех в офисе не работает интернет",
        "urgent",
        "outage",
        [],
    )
