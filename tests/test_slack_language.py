"""The user's language on Slack where a turn leaves the usual path, end to end (signed
requests into the real slack-bolt code, the Web API faked): the apology for a turn that
failed, and what a pressed message shows."""

from __future__ import annotations

from dataclasses import replace

import pytest

from bot.engine import Engine
from bot.handoff.port import HandoffRequest, HandoffResult
from bot.storage.models import Feedback, Ticket
from tests.fakes.slack_api import Call
from tests.fakes.slack_payloads import block_actions
from tests.test_slack import PHRASES, GatedCore, Slack, labels, running_slack, texts


class BrokenDesk:
    """A handoff port whose backend is down: "Didn't help" fails the turn."""

    async def hand_off(self, request: HandoffRequest) -> HandoffResult:
        raise ConnectionError("ticket backend down")


@pytest.mark.parametrize(
    ("deployment", "question", "language"),
    [("ru", "vpn keeps dropping", "en"), ("en", "впн не подключается", "ru")],
)
async def test_a_failed_press_is_apologised_for_in_the_conversations_language(
    engine: Engine, db_url: str, deployment: str, question: str, language: str
) -> None:
    broken = replace(
        engine,
        default_language=deployment,
        effects=replace(engine.effects, handoff=BrokenDesk()),
    )
    async with running_slack(broken, db_url) as slack:
        await slack.dm(question)
        [answer] = await slack.posts()
        assert labels(answer)[1] == PHRASES.get(language, "not_helped_button")
        await slack.press(answer, labels(answer)[1])
        await slack.settle()
    [apology] = [c for c in slack.api.calls_to("chat.postMessage") if c is not answer]
    assert texts(apology) == [PHRASES.get(language, "error")]
    assert slack.api.calls_to("chat.update") == []  # the buttons stay, to press again


async def test_the_adapters_own_apology_is_in_the_users_slack_language(
    engine: Engine, db_url: str
) -> None:
    core = GatedCore(engine, fail=True)
    core.gate.set()
    async with running_slack(engine, db_url, core=core) as slack:  # error_text: English
        slack.api.locales["U1"] = "ru-RU"
        await slack.dm("boom")
        [apology] = await slack.posts()
        await slack.dm("boom", user="U2")  # no locale: the deployment's
        [_, other] = await slack.posts(2)
    assert texts(apology) == [PHRASES.get("ru", "error")]
    assert texts(other) == [PHRASES.get("en", "error")]


def pressed_label(update: Call) -> str:
    """The note a pressed message shows instead of its buttons."""
    [note] = [b for b in update.args["blocks"] if b["type"] == "context"]
    return str(note["elements"][0]["text"])


async def test_a_second_press_of_used_buttons_leaves_the_first_ones_label(
    engine: Engine, db_url: str
) -> None:
    async with running_slack(engine, db_url) as slack:
        await second_press(slack)
    assert (await Feedback.get()).helpful and await Ticket.all().count() == 0


async def second_press(slack: Slack) -> None:
    await slack.dm("впн не подключается")
    answer = await slack.answered()
    assert labels(answer) == ["Помогло", "Не помогло"]
    await slack.press(answer, "Помогло")
    await slack.settle()
    await slack.press(answer, "Не помогло")  # Slack's copy still had the buttons
    sent = await slack.settle()
    [update] = [c for c in sent if c.method == "chat.update"]
    assert pressed_label(update) == "› Помогло" and update.buttons() == []
    replies = [texts(c) for c in sent if c.method == "chat.postMessage" and c is not answer]
    assert replies == [[PHRASES.get("ru", "helped")], [PHRASES.get("ru", "button_used")]]


async def test_a_retried_press_is_shown_once(engine: Engine, db_url: str) -> None:
    async with running_slack(engine, db_url) as slack:
        await retried_press(slack)
    assert await Ticket.all().count() == 1


async def retried_press(slack: Slack) -> None:
    await slack.dm("vpn keeps dropping")
    answer = await slack.answered()
    [button] = [b for b in answer.buttons() if b["text"]["text"] == "Didn't help"]
    [block] = [b for b in answer.args["blocks"] if button in b.get("elements", ())]
    payload = block_actions(answer, button, block, user="U1")
    for retry in (0, 1):
        assert (await slack.sender.interaction(payload, retry=retry))[0] == 200
    sent = await slack.settle()
    [update] = [c for c in sent if c.method == "chat.update"]
    assert pressed_label(update) == "› Didn't help"
    assert len([c for c in sent if c.method == "chat.postMessage"]) == 2  # answer, ticket
