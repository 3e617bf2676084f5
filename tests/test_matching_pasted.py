"""Links, addresses, host and file names and paths pasted into a question: the KB's words in
them count, the rest of them does not (`normalize.pasted`, `normalize.unpasted`)."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.knowledge.loader import load_articles
from bot.knowledge.matcher import DEFAULT_ANSWER_THRESHOLD, Matcher
from bot.knowledge.normalize import pasted, unpasted
from bot.knowledge.synonyms import load_synonyms

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def demo() -> Matcher:
    return Matcher(load_articles(ROOT / "kb"), load_synonyms(ROOT / "kb/synonyms.yaml"))


@pytest.mark.parametrize(
    ("question", "article"),
    [
        ("vpn error https://vpn.acme.ru/+CSCOE+/logon.html", "vpn-connect"),  # was 0.11
        ("не открывается \\\\fs01\\share\\buh\\2026\\отчёт.xlsx", "shared-drive"),  # was 0.58
    ],
)
def test_a_question_with_a_pasted_link_is_answered_as_without_it(
    demo: Matcher, question: str, article: str
) -> None:
    """Before, each unknown part of the link ("acme", "cscoe", "buh") counted as a word of the
    question the KB does not know, so these were suggestions, not answers."""
    found = demo.match(question)[0]
    assert found.article_id == article
    assert found.confidence >= DEFAULT_ANSWER_THRESHOLD


def test_only_the_kb_s_words_of_a_pasted_word_are_kept() -> None:
    known = {"vpn", "portal"}.__contains__
    assert unpasted("не открывается https://portal.example.com/hr?id=7", known) == (
        "не открывается portal"
    )
    assert unpasted("vpn.corp.example.com, ivan@example.com и /var/log/syslog", known) == "vpn и"
    text = "нет доступа к папке 12/03/2019 и/или к диску"  # nothing pasted: left as it was
    assert unpasted(text, known) == text


@pytest.mark.parametrize(
    "word",
    [
        "https://x.example/a",
        "www.example.com",
        "portal.example.com,",
        "report.xlsx",
        "ivan@example.com",
        "@ivan",
        "/var/log/syslog",
        "C:\\Users\\ivan",
        "\\\\fs01\\share",
        "~/Documents",
        "hr/share/2026",
    ],
)
def test_pasted_words(word: str) -> None:
    assert pasted(word)


@pytest.mark.parametrize(
    "word",
    [
        "вход/выход",  # one slash is the writer's
        "and/or",
        "12/03/2019",  # a date
        "ghbdtn/",  # "привет." typed in the Latin layout
        "pfgecrf.ncz",  # "запускаются" in the Latin layout: "ю" is "."
        "e.g.",
        "т.е.",
        "v2.0",
        "wi-fi",
    ],
)
def test_words_that_are_not_pasted(word: str) -> None:
    assert not pasted(word)


def test_an_address_in_the_kb_s_examples_does_not_draw_pasted_links(demo: Matcher) -> None:
    """The demo KB's "дайте доступ к ящику hr@example.com" made "example" and "com" words of
    the shared mailbox's article, so "не открывается https://portal.example.com/hr/vacation"
    was offered that article and nothing else."""
    found = demo.match("не открывается https://portal.example.com/hr/vacation?id=12")
    assert found[0].article_id == "site-certificate"
    assert demo.match("нужен доступ к ящику info@acme.ru")[0].article_id == "shared-mailbox"


@pytest.mark.parametrize(
    ("text", "read"),
    [
        ("ящик hr@example.com", "ящик hr"),  # an address: its name
        ("https://vpn.corp.example.com/remote/login?x=1", "vpn corp remote login x 1"),
        ("www.google.com", "google"),
        ("portal.example.com:8443/login", "portal login"),
        ("\\\\fs01\\share\\buh", "fs01 share buh"),  # a path: all of it
        ("report.xlsx", "report xlsx"),
    ],
)
def test_a_pasted_word_s_domain_is_left_out(text: str, read: str) -> None:
    """The organisation's domain is in all its links and addresses: it tells nothing of any."""
    assert unpasted(text) == read
