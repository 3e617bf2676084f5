"""The Slack desk's pure conversions: outbox items to Block Kit and targets, agents' presses
and thread messages to desk actions."""

from __future__ import annotations

from typing import Any

import pytest

from bot.adapters.slack.convert import Target
from bot.adapters.slack.desk_convert import (
    DESK_PREFIX,
    channel_action,
    desk_message,
    desk_press,
    item_messages,
    item_target,
    thread_action,
)
from bot.handoff import DeskAction, OutboxItem
from bot.messages import Button, UserRef

DESKS = frozenset({"C0DESK"})


def item(chat_id: str, kind: str = "relay", **extra: Any) -> OutboxItem:
    return OutboxItem(1, "slack", chat_id, "Hi <!channel>", kind, handoff_id=7, **extra)


def test_a_card_has_a_claim_button_routed_to_the_desk() -> None:
    card = item("C0DESK", "card", buttons=(Button("Claim", "handoff:claim:7"),))
    [message] = item_messages(card)
    [actions] = [b for b in message.blocks if b["type"] == "actions"]
    [button] = actions["elements"]
    assert button["action_id"] == f"{DESK_PREFIX}handoff:claim:7"
    assert button["value"] == "handoff:claim:7"
    assert "&lt;!channel&gt;" in message.text  # whatever the user wrote is harmless


@pytest.mark.parametrize(
    ("chat_id", "kind", "thread", "target"),
    [
        ("DU1", "relay", "1700.1", Target("DU1")),  # a user's DM: never the desk's thread
        ("C1/1699.5", "relay", None, Target("C1", thread_ts="1699.5")),  # a mention thread
        ("C1/ephemeral", "relay", None, None),  # /helpdesk: Slack has no private way back
        ("C0DESK", "card", "1700.1", Target("C0DESK")),
        ("C0DESK", "notice", "1700.1", Target("C0DESK", thread_ts="1700.1")),
        ("C0DESK", "relay", None, None),  # its card is not posted yet
    ],
)
def test_where_items_go(chat_id: str, kind: str, thread: str | None, target: Target) -> None:
    assert item_target(item(chat_id, kind), thread=thread) == target


@pytest.mark.parametrize(
    ("text", "action"),
    [
        ("!take 12", DeskAction("take", 0, ticket_id=12)),
        ("!TAKE #7 ", DeskAction("take", 0, ticket_id=7)),
        ("!tickets", DeskAction("tickets", 0)),
        (" !Tickets", DeskAction("tickets", 0)),
        ("!take", None),
        ("!resolve 12 New toner", DeskAction("resolve", 0, ticket_id=12, text="New toner")),
        ("!Resolve #7 two\nlines", DeskAction("resolve", 0, ticket_id=7, text="two\nlines")),
        ("!resolve 7", DeskAction("resolve", 0, ticket_id=7)),  # the core asks for a note
        ("!resolve toner", None),
        ("!priority 12 urgent", DeskAction("priority", 0, ticket_id=12, text="urgent")),
        ("!Priority #7  высокий ", DeskAction("priority", 0, ticket_id=7, text="высокий")),
        ("!priority 7", DeskAction("priority", 0, ticket_id=7)),  # the core gives the levels
        ("!priority high", None),  # a request's, in its thread
        ("!tickets please", None),
        ("tickets", None),
    ],
)
def test_commands_at_the_top_of_the_desk(text: str, action: DeskAction | None) -> None:
    assert channel_action(text) == action


def test_a_notice_of_no_request_goes_to_the_top_of_the_desk() -> None:
    """An SLA warning about an open ticket belongs to no card: it has no thread to wait for."""
    notice = OutboxItem(1, "slack", "C0DESK", "⏰ Ticket #3", "notice", handoff_id=None)
    assert item_target(notice, thread=None) == Target("C0DESK")


@pytest.mark.parametrize(
    ("text", "action"),
    [
        ("Try restarting", DeskAction("reply", 7, text="Try restarting")),
        ("!close", DeskAction("close", 7)),
        ("!CLOSE ", DeskAction("close", 7)),
        ("!note old router", DeskAction("note", 7, text="old router")),
        ("!transfer net", DeskAction("transfer", 7, team="net")),
        ("!ticket", DeskAction("ticket", 7)),
        ("!priority high", DeskAction("priority", 7, text="high")),
        ("!Priority  низкий ", DeskAction("priority", 7, text="низкий")),
        ("!priority", DeskAction("priority", 7)),  # the core gives the levels
        ("!note", None),
        ("!transfer", None),
        ("!dance", None),
        ("   ", None),
    ],
)
def test_thread_commands(text: str, action: DeskAction | None) -> None:
    assert thread_action(text, 7) == action


def _event(**fields: Any) -> dict[str, Any]:
    event = {"type": "message", "channel": "C0DESK", "user": "U0BOB", "ts": "1700.9"}
    return {"team_id": "T1", "event_id": "Ev1", "event": {**event, **fields}}


def test_a_thread_message_in_a_desk_channel() -> None:
    work = desk_message(_event(thread_ts="1700.1", text="hi <@U0BOT>"), desks=DESKS)
    assert work is not None
    assert work.agent == UserRef("slack", "T1", "U0BOB")
    assert (work.channel, work.thread_ts, work.event_id) == ("C0DESK", "1700.1", "event:Ev1")


@pytest.mark.parametrize(
    "fields",
    [
        {},  # not in a thread
        {"thread_ts": "1700.1", "channel": "C0OTHER"},
        {"thread_ts": "1700.1", "bot_id": "B1"},
        {"thread_ts": "1700.1", "subtype": "message_changed"},
        {"thread_ts": "1700.1", "type": "app_mention"},  # the same message comes as "message"
    ],
)
def test_other_messages_are_not_the_desks(fields: dict[str, Any]) -> None:
    assert desk_message(_event(**fields), desks=DESKS) is None


def test_a_claim_press() -> None:
    body = {
        "user": {"id": "U0BOB", "team_id": "T1"},
        "container": {"channel_id": "C0DESK", "message_ts": "1700.1"},
        "message": {"ts": "1700.1", "text": "Request #7", "blocks": [{"type": "actions"}]},
        "trigger_id": "tr1",
        "actions": [{"action_id": f"{DESK_PREFIX}handoff:claim:7", "value": "handoff:claim:7"}],
    }
    press = desk_press(body)
    assert press is not None and press.action == DeskAction("claim", 7)
    assert (press.channel, press.thread_ts, press.event_id) == ("C0DESK", "1700.1", "action:tr1")
    body["actions"] = [{"value": "handoff:claim:x"}]
    assert desk_press(body) is None
