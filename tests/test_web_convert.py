"""The web chat's pure converters: JSON in, IncomingMessage out; replies to safe HTML."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from typing import Any

import pytest

from bot.adapters.web.convert import (
    MAX_TEXT_BYTES,
    BadPayload,
    history_to_json,
    locale_from_accept_language,
    parse_body,
    render_markdown,
    replies_to_json,
    to_incoming,
    updates_to_json,
)
from bot.handoff.outbox_port import OutboxItem
from bot.messages import Button, ChatLine, IncomingMessage, Reply, UserRef
from bot.phrases import load_page_texts

NOON = datetime(2026, 11, 27, 12, 0, 5, 250_000, tzinfo=UTC)


def incoming(payload: dict[str, Any], accept_language: str | None = None) -> IncomingMessage:
    return to_incoming(payload, user_id="w123", accept_language=accept_language)


def test_text_message_becomes_incoming_message() -> None:
    message = incoming({"id": "m1", "text": "VPN не работает"}, "ru-RU,ru;q=0.9")

    assert message == IncomingMessage(
        user=UserRef(platform="web", workspace="local", user_id="w123"),
        chat_id="w123",
        text="VPN не работает",
        event_id="w123:m1",
        locale="ru",
    )


def test_button_press_carries_key_and_label() -> None:
    message = incoming({"id": "m2", "button": "kb:vpn:helped", "text": "Helped"})

    assert message.button == "kb:vpn:helped"
    assert message.text == "Helped"
    assert message.locale is None


def test_button_press_without_label_is_accepted() -> None:
    assert incoming({"id": "m3", "button": "k"}).text == ""


@pytest.mark.parametrize(
    ("payload", "words"),
    [
        ({}, '"id" is missing'),
        ({"text": "hi"}, '"id" is missing'),
        ({"id": "m1"}, '"text" (or "button") is missing'),
        ({"id": "m1", "text": "   "}, '"text" is empty'),
        ({"id": "m1", "text": 5}, '"text" must be a string'),
        ({"id": 7, "text": "hi"}, '"id" must be a non-empty string'),
        ({"id": "x" * 129, "text": "hi"}, '"id" is longer than 128'),
        ({"id": "m1", "button": ""}, '"button" must be a non-empty string'),
        ({"id": "m1", "button": ["k"]}, '"button" must be a non-empty string'),
    ],
)
def test_bad_payloads_name_the_field(payload: dict[str, Any], words: str) -> None:
    with pytest.raises(BadPayload) as caught:
        incoming(payload)

    assert caught.value.status == 400
    assert words in caught.value.message


def test_text_limit_is_100_kb_in_utf8_bytes() -> None:
    assert incoming({"id": "m", "text": "a" * MAX_TEXT_BYTES}).text
    with pytest.raises(BadPayload) as caught:
        incoming({"id": "m", "text": "я" * (MAX_TEXT_BYTES // 2 + 1)})

    assert caught.value.status == 413


@pytest.mark.parametrize("body", [b"", b"not json", b"[1, 2]", b'"text"', b"\xff\xfe"])
def test_body_must_be_a_json_object(body: bytes) -> None:
    with pytest.raises(BadPayload, match="JSON object"):
        parse_body(body)


@pytest.mark.parametrize(
    ("header", "locale"),
    [
        ("ru-RU,ru;q=0.9,en-US;q=0.8", "ru"),
        ("en-GB,en;q=0.9", "en"),
        ("RU", "ru"),
        ("en;q=0.8", "en"),
        ("de-DE,ru;q=0.9", None),
        ("*", None),
        ("", None),
        (None, None),
    ],
)
def test_locale_is_the_first_accept_language_tag(header: str | None, locale: str | None) -> None:
    assert locale_from_accept_language(header) == locale


def test_replies_become_html_and_buttons_in_order() -> None:
    replies = [
        Reply(text="**Restart** the router"),
        Reply(text="Did it help?", buttons=(Button("Helped", "h"), Button("Didn't help", "n"))),
    ]

    assert replies_to_json(replies, at=NOON) == {
        "replies": [
            {
                "html": "<p><strong>Restart</strong> the router</p>\n",
                "buttons": [],
                "at": "2026-11-27T12:00:05+00:00",
            },
            {
                "html": "<p>Did it help?</p>\n",
                "buttons": [{"label": "Helped", "key": "h"}, {"label": "Didn't help", "key": "n"}],
                "at": "2026-11-27T12:00:05+00:00",
            },
        ],
        "at": "2026-11-27T12:00:05+00:00",  # the time of the message they answer
    }


def test_every_line_for_the_page_has_the_servers_time_in_utc() -> None:
    """The page shows each line's time in the browser's zone: from the server's, in UTC."""
    moscow = NOON.astimezone(timezone(timedelta(hours=3)))
    item = OutboxItem(7, "web", "w1", "alice has joined", "notice", created_at=moscow)
    lines = [ChatLine("user", "hi", at=NOON), ChatLine("agent", "hello", 7, moscow)]

    [update] = updates_to_json([item], upto=7)["replies"]
    said, told = history_to_json(lines)["lines"]

    assert update["at"] == said["at"] == told["at"] == "2026-11-27T12:00:05+00:00"
    assert (update["id"], told["id"]) == (7, 7)


def test_markdown_renders_the_kb_subset() -> None:
    text = (
        "## VPN\n\n1. Open `FortiClient`\n2. Press **Connect**\n\n"
        "- one\n- two\n\n```\nping 10.0.0.1\n```"
    )
    html = render_markdown(text)

    assert "<h2>VPN</h2>" in html
    assert "<ol>\n<li>Open <code>FortiClient</code></li>" in html
    assert "<strong>Connect</strong>" in html
    assert "<ul>" in html
    assert "<pre><code>ping 10.0.0.1\n</code></pre>" in html


def test_single_newlines_are_line_breaks() -> None:
    assert render_markdown("line one\nline two") == "<p>line one<br />\nline two</p>\n"


@pytest.mark.parametrize(
    "text",
    [
        "<script>alert(1)</script>",
        "<img src=x onerror=alert(1)>",
        'hi <a href="javascript:alert(1)">x</a>',
        "```\n<script>alert(1)</script>\n```",
        "`<script>`",
    ],
)
def test_raw_html_is_escaped(text: str) -> None:
    html = render_markdown(text)

    assert "<script" not in html
    assert "<img" not in html
    assert "<a " not in html
    assert "&lt;" in html


@pytest.mark.parametrize(
    "url",
    [
        "javascript:alert(1)",
        "JavaScript:alert(1)",
        "vbscript:x",
        "data:text/html;base64,PHNjcmlwdD4=",
        "file:///etc/passwd",
        "/relative/path",
        "//evil.example/x",
    ],
)
def test_links_with_other_schemes_stay_text(url: str) -> None:
    for text in (f"[click]({url})", f"<{url}>", f"![pic]({url})"):
        html = render_markdown(text)
        assert "href=" not in html
        assert "src=" not in html


@pytest.mark.parametrize(
    "url", ["https://intranet.example/vpn", "http://wiki.local/x", "mailto:it@example.com"]
)
def test_safe_links_open_in_a_new_tab_without_opener(url: str) -> None:
    html = render_markdown(f"[guide]({url})")

    assert html == (f'<p><a href="{url}" target="_blank" rel="noopener noreferrer">guide</a></p>\n')


def test_bare_addresses_become_links_as_chat_apps_show_them() -> None:
    """Telegram and Slack link a bare URL or e-mail address themselves; the page must too."""
    html = render_markdown(
        "Portal https://hr.example/a, mail hr@example.com. See (https://w.example/a_(b)). "
        "[guide](https://g.example) `https://code.example` ftp://x.example"
    )

    blank = 'target="_blank" rel="noopener noreferrer"'
    assert f'<a href="https://hr.example/a" {blank}>https://hr.example/a</a>,' in html
    assert f'<a href="mailto:hr@example.com" {blank}>hr@example.com</a>.' in html
    assert f'(<a href="https://w.example/a_(b)" {blank}>https://w.example/a_(b)</a>).' in html
    assert f'<a href="https://g.example" {blank}>guide</a>' in html  # not linked twice
    assert "<code>https://code.example</code>" in html
    assert html.count("<a ") == 4


def test_an_address_is_linked_only_from_the_start_of_its_word() -> None:
    """E-mail addresses are found within RFC 5321's lengths, from the start of a word: a long
    word is not scanned again from each of its letters (a 100 KB message of one word held the
    event loop for seconds while it was rendered)."""
    local = "a" * 65  # one more than an address's local part may have
    html = render_markdown(f"{local}@example.com, ok.name+x@mail.example and x{'y' * 100_000}")

    assert f"mailto:{local}" not in html and "mailto:" + "a" * 64 not in html
    assert '<a href="mailto:ok.name+x@mail.example"' in html
    assert html.count("<a ") == 1


def test_an_image_is_a_link_the_reader_chooses_to_open() -> None:
    """`![x](https://…)` from an agent (or an answer) was an <img>: the user's browser
    fetched whatever address it named, unasked (a tracking pixel, their address in its log)."""
    html = render_markdown("see ![the error](https://example.com/shot.png) and ![](https://e.x/p)")

    assert "<img" not in html
    assert '<a href="https://example.com/shot.png" target="_blank"' in html
    assert ">the error</a>" in html and ">https://e.x/p</a>" in html


def test_the_chat_says_how_long_a_message_may_be() -> None:
    """A user whose pasted log was refused read "The message is too long." and no more: how
    much to cut was left to guessing (the desk's text gives its limit)."""
    size = MAX_TEXT_BYTES // 1024
    texts = load_page_texts()
    assert f"{size} KB" in texts["en"]["chat"]["tooLong"]
    assert f"{size} КБ" in texts["ru"]["chat"]["tooLong"]
