"""The dialog's decisions as pure values (no database, no matcher)."""

from __future__ import annotations

from dataclasses import replace

from bot.dialog import Dialog, State, Turn
from bot.knowledge.article import Article
from bot.phrases import load_phrases

VPN = Article(
    id="vpn",
    title={"ru": "VPN", "en": "VPN"},
    questions={"ru": ("впн",), "en": ("vpn",)},
    answer={"ru": "Перезапустите клиент.", "en": "Restart the client."},
)
MAIL = Article(
    id="mail",
    title={"ru": "Почта", "en": "Mail"},
    questions={"ru": ("почта",), "en": ("mail",)},
    answer={"ru": "Проверьте ящик.", "en": "Check the mailbox."},
)
HR = Article(
    id="hr",
    title={"ru": "Не к IT: отпуск", "en": "Not for IT: leave"},
    questions={"ru": ("отпуск",), "en": ("leave",)},
    answer={"ru": "Это отдел кадров.", "en": "Ask HR."},
    elsewhere=True,
)
DIALOG = Dialog(load_phrases(), {"vpn": VPN, "mail": MAIL, "hr": HR}, 0.7, 0.4)


def turn(
    text: str = "",
    *,
    state: State | None = None,
    matches: tuple[tuple[Article, float], ...] = (),
    action: str | None = None,
    argument: str = "",
) -> Turn:
    return Turn(
        state=state or State(),
        language="en",
        text=text,
        matches=matches,
        action=action,
        argument=argument,
    )


def test_confident_match_answers_with_feedback_buttons() -> None:
    decision = DIALOG.decide(turn("vpn down", matches=((VPN, 0.9), (MAIL, 0.2))))
    [say] = decision.says
    assert "Restart the client." in say.text
    assert [(c.action, c.argument) for c in say.choices] == [
        ("helped", "vpn"),
        ("not_helped", "vpn"),
    ]
    assert say.answered == ("vpn", 0.9)
    assert decision.state.tried == ("vpn",)


def test_middle_band_suggests_up_to_three_and_none_of_these() -> None:
    decision = DIALOG.decide(turn("hmm", matches=((VPN, 0.5), (MAIL, 0.45))))
    [say] = decision.says
    assert [c.action for c in say.choices] == ["show", "show", "none_of_these"]
    assert decision.handoff is None


def test_no_match_asks_to_rephrase_once_then_offers_a_person() -> None:
    first = DIALOG.decide(turn("blah", matches=((VPN, 0.1),)))
    assert first.state.name == "rephrase"
    assert first.records[0].reason == "no_match"
    second = DIALOG.decide(turn("blah blah", state=first.state, matches=((VPN, 0.1),)))
    assert second.state.name == "offered"
    assert [c.action for c in second.says[0].choices] == ["person", "decline"]


def test_not_helped_hands_off_with_the_tried_article() -> None:
    state = State("idle", 0, "vpn down", ("vpn",))
    decision = DIALOG.decide(turn(state=state, action="not_helped", argument="vpn"))
    assert decision.handoff is not None
    assert decision.handoff.tried == ("vpn",)
    assert decision.records[0].kind == "not_helped"


def test_none_of_these_after_a_rephrase_hands_off() -> None:
    state = State("idle", 1, "something", ())
    decision = DIALOG.decide(turn(state=state, action="none_of_these"))
    assert decision.handoff is not None and decision.handoff.reason == "none_of_these"


def test_language_command() -> None:
    decision = DIALOG.decide(turn("/lang ru"))
    assert decision.language == "ru"
    assert decision.says[0].text == "Язык: русский."
    assert DIALOG.decide(turn("/lang xx")).language is None


def test_office_is_decided_without_side_effects() -> None:
    offices = replace(DIALOG, offices=("Berlin", "New York"))
    waiting = State("offered", 2, "vpn down", ("vpn",))
    [listed] = offices.decide(turn("/office", state=waiting)).says
    assert [(c.label, c.action, c.argument) for c in listed.choices] == [
        ("Berlin", "office", "Berlin"),
        ("New York", "office", "New York"),
    ]
    picked = offices.decide(turn("/office new york", state=waiting))
    assert (picked.office, picked.state) == ("New York", waiting)  # the dialog goes on
    assert offices.decide(turn(action="office", argument="Berlin")).office == "Berlin"
    assert offices.decide(turn("/office Paris")).office is None
    assert offices.decide(turn(action="office", argument="Paris")).office is None
    assert DIALOG.decide(turn("/office Berlin")).office is None  # no offices configured


def test_a_question_for_elsewhere_says_where_to_go_with_nothing_to_rate() -> None:
    """No "Helped" / "Didn't help", no miss counted, not a tried article (a handoff after it
    takes its hints from the IT articles), and recorded as sent elsewhere."""
    state = State("rephrase", 1, "vpn?", ("vpn",))
    decision = DIALOG.decide(turn("leave days", state=state, matches=((HR, 0.9), (VPN, 0.1))))
    [say] = decision.says
    assert say.text == "**Not for IT: leave**\n\nAsk HR."
    assert say.choices == ()
    assert decision.state == State("idle", 1, "leave days", ("vpn",))
    [record] = decision.records
    assert (record.kind, record.reason, record.article_id) == ("unanswered", "elsewhere", "hr")
    shown = DIALOG.decide(turn(state=decision.state, action="show", argument="hr"))
    assert shown.says[0].choices == ()  # picked from "Did you mean": the same
