"""A delivery whose handling keeps failing is retried a few times, then given up on."""

from __future__ import annotations

from datetime import timedelta

import pytest

from bot.dialog import Dialog
from bot.engine import Engine
from bot.messages import IncomingMessage, UserRef
from bot.phrases import load_phrases
from bot.storage import events
from bot.turns import Decision, Turn

USER = UserRef("telegram", "bot1", "42")


def delivery(event_id: str, text: str) -> IncomingMessage:
    return IncomingMessage(user=USER, chat_id="42", text=text, event_id=event_id)


async def test_a_poison_delivery_is_retried_then_dropped(
    engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    decide = Dialog.decide

    def breaks_on_poison(self: Dialog, turn: Turn) -> Decision:
        if "poison" in turn.text:
            raise RuntimeError("a bug this message triggers")
        return decide(self, turn)

    monkeypatch.setattr(Dialog, "decide", breaks_on_poison)
    error = load_phrases().get("en", "error")
    poison = delivery("u1", "poison vpn question")
    assert await engine.accept(poison)
    for _ in range(events.MAX_FAILURES):
        [found] = await engine.pending("telegram", older_than=timedelta(0))
        assert found.event_id == "u1"
        [reply] = await engine.handle(found)
        assert reply.text == error
    assert await engine.pending("telegram", older_than=timedelta(0)) == []

    fine = delivery("u2", "vpn does not connect")
    assert await engine.accept(fine)
    replies = await engine.handle(fine)
    assert replies and replies[0].text != error
    assert await engine.pending("telegram", older_than=timedelta(0)) == []
