"""The Slack adapter's pure conversions: payloads to messages, replies to Block Kit."""

from __future__ import annotations

import re
from typing import Any

import pytest

from bot.adapters.slack.convert import (
    Target,
    from_slack_text,
    mentions_of,
    message_from_command,
    message_from_event,
    press_from_action,
    pressed_blocks,
    reply_to_messages,
    target_for,
    with_names,
)
from bot.adapters.slack.mrkdwn import (
    markdown_to_mrkdwn,
    mrkdwn_to_markdown,
    styles_of,
    unmarked,
)
from bot.adapters.slack.split import split_text
from bot.markdown import literal
from bot.messages import Attachment, Button, Reply, UserRef
from tests.fakes.slack_reading import Reading, slack_reads

BOT = "U0BOT"
STAR = "<!date^00000000^{_}|*>"  # a "*" Slack shows as itself (a date's fallback text)
SHOT_URL = "https://files.slack.com/files-pri/T1-F1/download/shot.png"


def envelope(**event: Any) -> dict[str, Any]:
    return {"team_id": "T1", "event_id": "Ev1", "event": {"ts": "1.1", **event}}


def action(**overrides: Any) -> dict[str, Any]:
    body = {
        "type": "block_actions",
        "user": {"id": "U1", "team_id": "T1", "name": "ann"},
        "container": {"type": "message", "channel_id": "C1", "message_ts": "5.5"},
        "trigger_id": "trig",
        "response_url": "https://hooks.example/1",
        "message": {"ts": "5.5", "thread_ts": "4.4", "blocks": [{"type": "section"}]},
        "actions": [
            {
                "action_id": "helpdesk.k1",
                "value": "k1",
                "block_id": "helpdesk:U1:0",
                "text": {"type": "plain_text", "text": "Helped"},
            }
        ],
    }
    return body | overrides


@pytest.mark.parametrize(
    ("markdown", "expected"),
    [
        ("**bold** and _em_ and ~~gone~~", "*bold* and _em_ and ~gone~"),
        ("# Title **x**\ntext", "*Title x*\n\ntext"),
        ("- a\n- b", "• a\n• b"),
        ("3. a\n4. b", "3. a\n4. b"),
        ("`a<b>&c`", "`a&lt;b&gt;&amp;c`"),
        ("```\nx < y\n```", "```\nx &lt; y\n```"),
        ("<!channel> <@U1> <!here|here>", "&lt;!channel&gt; &lt;@U1&gt; &lt;!here|here&gt;"),
        ("<b>html</b>", "&lt;b&gt;html&lt;/b&gt;"),
        ("[the wiki](https://w.example/a?b=1&c=2)", "<https://w.example/a?b=1&amp;c=2|the wiki>"),
        ("[mail us](mailto:it@example.com)", "<mailto:it@example.com|mail us>"),
        ("[https://good.example](https://evil.example)", "<https://evil.example>"),
        ("[it@good.example](mailto:x@evil.example)", "<mailto:x@evil.example>"),
        ("[a|b>c](https://x.example/p|q)", "<https://x.example/p%7Cq|a|b&gt;c>"),
        ("[run](javascript:alert(1))", "[run](javascript:alert(1))"),
        ("go to https://portal.example.com.", "go to <https://portal.example.com>."),
        ("see https://p.example/?a=1&b=2.", "see <https://p.example/?a=1&amp;b=2>."),
        (
            "https://evil.example/x|https://good.example",
            "<https://evil.example/x>|<https://good.example>",
        ),
        ("> quoted", "> quoted"),
    ],
)
def test_markdown_to_mrkdwn(markdown: str, expected: str) -> None:
    assert markdown_to_mrkdwn(markdown) == expected


def test_nothing_unescaped_reaches_slack() -> None:
    text = markdown_to_mrkdwn(
        "**<!channel>** [<@U1>](https://x.example) `<!here>` <https://e.example>"
    )
    links = re.findall(r"<[^>]*>", text)
    assert links == ["<https://x.example|&lt;@U1&gt;>", "<https://e.example>"]


def test_split_text_keeps_limits_entities_and_code_blocks() -> None:
    text = "```\n" + "\n".join("x &amp; <https://a.example|y> " * 20 for _ in range(40)) + "\n```"
    pieces = split_text(text, 3000)
    assert len(pieces) > 1
    assert all(len(p) <= 3000 for p in pieces)
    assert all(p.startswith("```") and p.endswith("```") for p in pieces)
    joined = "".join(p.removeprefix("```").removesuffix("```") for p in pieces)
    assert joined.count("&amp;") == text.count("&amp;")


def test_a_line_too_long_is_cut_outside_entities() -> None:
    pieces = split_text("&amp;" * 1000, 3000)
    assert all(len(p) <= 3000 and p.count("&amp;") * 5 == len(p) for p in pieces)


def test_reply_to_block_kit_within_limits() -> None:
    buttons = (Button("x" * 100, "k1"), Button("No", "k2"))
    messages = reply_to_messages(Reply("word " * 40_000, buttons), owner="U1")
    assert len(messages) > 1
    assert all(len(m.blocks) <= 50 for m in messages)
    sections = [b for m in messages for b in m.blocks if b["type"] == "section"]
    assert all(0 < len(b["text"]["text"]) <= 3000 and b["text"]["verbatim"] for b in sections)
    [actions] = [b for b in messages[-1].blocks if b["type"] == "actions"]
    assert actions["block_id"].startswith("helpdesk:U1:")
    first, second = actions["elements"]
    assert len(first["text"]["text"]) == 75 and first["text"]["type"] == "plain_text"
    assert (second["action_id"], second["value"]) == ("helpdesk.k2", "k2")
    assert all(len(m.text) <= 300 for m in messages)


def test_pressed_blocks_drop_the_buttons() -> None:
    blocks = reply_to_messages(Reply("hi", (Button("<!channel>", "k"),)), owner="U1")[0].blocks
    updated = pressed_blocks(blocks, "<!channel>")
    assert [b["type"] for b in updated] == ["section", "context"]
    assert updated[-1]["elements"][0]["text"] == "› &lt;!channel&gt;"


def test_direct_message() -> None:
    body = envelope(
        type="message",
        channel_type="im",
        channel="D1",
        user="U1",
        text="a &lt;b&gt;",
        files=[
            {
                "id": "F1",
                "name": "shot.png",
                "mimetype": "image/png",
                "size": 2048,
                "url_private_download": SHOT_URL,
            }
        ],
    )
    message = message_from_event(body, bot_user_id=BOT)
    assert message is not None
    assert (message.user, message.chat_id) == (UserRef("slack", "T1", "U1"), "D1")
    assert (message.text, message.event_id, message.attachments) == (
        "a <b>",
        "event:Ev1",
        (Attachment("slack", "photo", "shot.png", "image/png", 2048, SHOT_URL),),
    )


@pytest.mark.parametrize(
    "event",
    [
        {"type": "message", "channel_type": "im", "channel": "D1", "user": BOT},
        {"type": "message", "channel_type": "im", "channel": "D1", "user": "U1", "bot_id": "B2"},
        {"type": "message", "channel_type": "im", "channel": "D1", "subtype": "message_changed"},
        {
            "type": "message",
            "channel_type": "im",
            "channel": "D1",
            "user": "U1",
            "subtype": "bot_message",
        },
        {"type": "message", "channel_type": "channel", "channel": "C1", "user": "U1"},
        {"type": "app_mention", "channel": "D1", "user": "U1"},
        {"type": "reaction_added", "user": "U1"},
    ],
)
def test_events_the_bot_does_not_answer(event: dict[str, Any]) -> None:
    assert message_from_event(envelope(**event), bot_user_id=BOT) is None


def test_mention_starts_or_continues_a_thread() -> None:
    text = f"<@{BOT}> vpn <https://x.example|link> <#C2|general> <@U3>"
    top = message_from_event(
        envelope(type="app_mention", channel="C1", user="U1", text=text), bot_user_id=BOT
    )
    shown = "vpn link (https://x.example) #general @U3"
    assert top is not None and (top.chat_id, top.text) == ("C1/1.1", shown)
    reply = message_from_event(
        envelope(type="app_mention", channel="C1", user="U1", text="x", thread_ts="0.9"),
        bot_user_id=BOT,
    )
    assert reply is not None and reply.chat_id == "C1/0.9"


def test_a_reply_in_a_thread_without_a_mention_is_unaddressed() -> None:
    reply = {"type": "message", "channel": "C1", "user": "U1", "text": "still fails"}
    for kind in ("channel", "group", "mpim"):  # a group DM is served like a channel
        found = message_from_event(
            envelope(**reply, channel_type=kind, thread_ts="0.9"), bot_user_id=BOT
        )
        assert found is not None
        assert (found.chat_id, found.text, found.unaddressed) == ("C1/0.9", "still fails", True)
    mentioned = message_from_event(envelope(type="app_mention", channel="C1", user="U1"))
    assert mentioned is not None and not mentioned.unaddressed


@pytest.mark.parametrize(
    ("event", "bot"),
    [
        ({"text": f"<@{BOT}> still fails"}, BOT),  # taken from its `app_mention`
        ({"text": f"ok <@{BOT}|helpdesk>"}, BOT),
        ({"text": "still fails"}, None),  # a mention could not be told apart
        ({"text": "still fails", "thread_ts": "1.1"}, BOT),  # the thread's own first message
        ({"text": "still fails", "thread_ts": None}, BOT),  # the top of the channel
        ({"text": "edited", "subtype": "message_changed"}, BOT),
        ({"text": "still fails", "channel_type": "mpim", "thread_ts": None}, BOT),
    ],
)
def test_thread_messages_the_bot_does_not_take(event: dict[str, Any], bot: str | None) -> None:
    reply = {"type": "message", "channel_type": "channel", "channel": "C1", "user": "U1"}
    assert (
        message_from_event(envelope(**(reply | {"thread_ts": "0.9"} | event)), bot_user_id=bot)
        is None
    )


def test_slash_command() -> None:
    body = {
        "user_id": "U1",
        "team_id": "T1",
        "channel_id": "C1",
        "text": " ",
        "trigger_id": "t1",
        "user_name": "ann",
    }
    message = message_from_command(body)
    assert (message.chat_id, message.text, message.event_id) == (
        "C1/ephemeral",
        "/help",
        "command:t1",
    )
    body["text"] = "a &lt;b&gt; <@U2|bob>"
    assert message_from_command(body).text == "a <b> @bob"
    assert target_for(message, response_url="https://r") == Target(
        "C1", ephemeral_user="U1", response_url="https://r"
    )


def test_button_press_in_a_thread() -> None:
    press = press_from_action(action())
    assert press is not None and press.by_owner and not press.ephemeral
    message = press.message
    assert (message.chat_id, message.button, message.text, message.event_id) == (
        "C1/4.4",
        "k1",
        "Helped",
        "action:trig",
    )
    assert target_for(message) == Target("C1", thread_ts="4.4")
    other = press_from_action(action(user={"id": "U2", "team_id": "T1"}))
    assert other is not None and not other.by_owner


def test_button_press_on_an_ephemeral_message() -> None:
    body = action(container={"channel_id": "C1", "message_ts": "5.5", "is_ephemeral": True})
    press = press_from_action(body | {"message": None})
    assert press is not None and press.ephemeral and press.message.chat_id == "C1/ephemeral"


def test_foreign_actions_are_not_ours() -> None:
    body = action(actions=[{"action_id": "other", "value": "k1"}])
    assert press_from_action(body) is None


@pytest.mark.parametrize(
    ("text", "plain"),
    [
        ("<mailto:a@b.example|a@b.example> &amp;", "a@b.example &"),
        ("<!channel> hi", "@channel hi"),
        ("<!subteam^S1|@it-team> help", "@it-team help"),
        ("<#C0NET|net>, <!date^1392734382^{date_short}|Feb 18, 2014>", "#net, Feb 18, 2014"),
        # a link Slack made of an address typed or pasted shows the address, as typed
        ("see <https://portal.example.com/hr|portal.example.com/hr>", "see portal.example.com/hr"),
        ("<https://vpn.example.com>", "https://vpn.example.com"),
        # a link under words of the user's keeps its address: the agent needs where it goes
        (
            "the <https://portal.example.com/hr/form?id=7|HR form> gives error 500",
            "the HR form (https://portal.example.com/hr/form?id=7) gives error 500",
        ),
    ],
)
def test_from_slack_text(text: str, plain: str) -> None:
    assert from_slack_text(text, bot_user_id=BOT) == plain


ALL_STYLES = ("bold", "italic", "strike")


@pytest.mark.parametrize(
    ("typed", "styles", "words"),
    [
        ("*done*, _really_ ~not~", ALL_STYLES, "done, really not"),
        ("*done*, _really_ ~not~", ("bold",), "done, _really_ ~not~"),
        ("*done*, _really_ ~not~", (), "*done*, _really_ ~not~"),  # typed so: no blocks
        ("*_both_*", ALL_STYLES, "both"),
        ("2*3*4 file_name_here, 5 * 6, *.pst", ALL_STYLES, "2*3*4 file_name_here, 5 * 6, *.pst"),
        ("__init__ and **x**", ALL_STYLES, "__init__ and **x**"),
        ("`x *y*` and ```\n*z*\n```", ALL_STYLES, "`x *y*` and ```\n*z*\n```"),
        ("*one\ntwo*", ALL_STYLES, "*one\ntwo*"),  # Slack's marks do not cross lines
    ],
)
def test_what_slack_formatted_is_read_without_its_marks(
    typed: str, styles: tuple[str, ...], words: str
) -> None:
    assert unmarked(typed, styles) == words


def test_the_styles_slack_gave_are_read_from_the_blocks() -> None:
    bold = {"type": "text", "text": "a", "style": {"bold": True, "code": True}}
    struck = {"type": "text", "text": "b", "style": {"strike": True, "italic": False}}
    quote = {"type": "rich_text_quote", "elements": [struck]}
    section = {"type": "rich_text_section", "elements": [bold, {"type": "text", "text": "c"}]}
    blocks = [{"type": "rich_text", "elements": [section, quote]}]
    assert styles_of(blocks) == {"bold", "strike"}


def test_mentions_by_id_are_named_once_their_names_are_known() -> None:
    text = f"<@U0ANN> and <@{BOT}> and <@U0ANN>, <@U0BO>"
    assert mentions_of(text, bot_user_id=BOT) == ("U0ANN", "U0BO")
    plain = from_slack_text(text, bot_user_id=BOT)
    assert with_names(plain, {"U0ANN": "Ann Lee"}) == "@Ann Lee and  and @Ann Lee, @U0BO"
    assert with_names("@U0ANNA", {"U0ANN": "Ann Lee"}) == "@U0ANNA"


@pytest.mark.parametrize(
    ("typed", "shown"),
    [
        ("*done*, _really_ ~not~", "*done*, _really_ ~not~"),
        ("*_both_*", "_*both*_"),
        ("2*3*4 file_name_here, 5 * 6", "2*3*4 file_name_here, 5 * 6"),
        (r"\\fs01\share\*.pst", rf"\\fs01\share\{STAR}.pst"),  # shows as typed
        ("`C:\\x *y*` and ```\nline *1*\n```", "`C:\\x *y*` and\n\n```\nline *1*\n```"),
        ("[it](https://x.example) # no heading", "[it](<https://x.example>) # no heading"),
    ],
)
def test_what_a_slack_agent_typed_shows_as_in_slack(typed: str, shown: str) -> None:
    """Slack mrkdwn → Markdown → Slack mrkdwn again: what the agent saw is what the user sees."""
    assert markdown_to_mrkdwn(mrkdwn_to_markdown(typed)) == shown


@pytest.mark.parametrize(
    "typed",
    ["*.pst", "a * b * c", "_init_", "~/docs", "<b>", "&amp;", "a *b* c", "`ls`", "~a~ _b_"],
)
def test_what_a_user_typed_shows_as_typed_in_slack(typed: str) -> None:
    """Slack's marks in a user's words were sent as they are: "_init_" showed as an italic
    "init", "a *b* c" with a bold "b" (mrkdwn has no escape for them)."""
    assert slack_reads(markdown_to_mrkdwn(literal(typed))) == Reading(typed, ())
    said = markdown_to_mrkdwn(f"**Ann:** {literal(typed)}")
    assert slack_reads(said) == Reading(f"Ann: {typed}", ("Ann:",))
    bold = markdown_to_mrkdwn(f"**{literal(typed)}**")  # within a span of ours: it ends it not
    assert slack_reads(bold) == Reading(typed, (typed,))
