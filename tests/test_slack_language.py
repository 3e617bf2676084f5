"""The user's language on Slack where a turn leaves the usual path, end to end (signed
requests into the real slack-bolt code, the Web API faked): the apology for a turn that
failed, and what a pressed message shows."""

from __future__ import annotations

from dataclasses import replace

import pytest

from bot.engine import Engine
from bot.handoff.port import HandoffRequest, HandoffResult
from tests.test_slack import PHRASES, GatedCore, labels, running_slack, texts


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
