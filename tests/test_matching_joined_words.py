"""Words the KB writes as one that users split ("глобал протект" for "глобалпротект")."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.knowledge.article import Article
from bot.knowledge.loader import load_articles
from bot.knowledge.matcher import Matcher
from bot.knowledge.speller import Speller
from bot.knowledge.synonyms import load_synonyms

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def demo() -> Matcher:
    return Matcher(load_articles(ROOT / "kb"), load_synonyms(ROOT / "kb/synonyms.yaml"))


@pytest.mark.parametrize(
    "question",
    [
        "не работает глобал протект",  # "протект" alone is one typo from "проектор"
        "глобал протекта не подключается",
        "ukj,fk ghjntrn yt hf,jnftn",  # the first, typed in the wrong layout
    ],
)
def test_a_split_brand_name_reaches_its_article(demo: Matcher, question: str) -> None:
    """The demo KB writes "глобалпротект" and "GlobalProtect": read as two words, "глобал
    протект" was the meeting-room projector, answered at confidence 0.95."""
    assert demo.match(question)[0].article_id == "vpn-connect"


def test_another_layout_s_reading_is_joined_before_it_is_weighed() -> None:
    """ "dfq afq" is "вай фай" typed in the QWERTY layout; "office" is known as typed, so the
    reading in the other layout must know more of the question to be matched at all, and it
    only does with "вай фай" read as one word."""
    matcher = Matcher(
        [
            _article("wifi", ["не работает вайфай", "пропал вайфай в офисе"]),
            _article("printer", ["принтер не печатает", "printer in the office is jammed"]),
        ]
    )
    assert matcher.match("dfq afq office")[0].article_id == "wifi"


def _article(ident: str, questions: list[str]) -> Article:
    return Article(
        id=ident, title={"ru": questions[0]}, questions={"ru": tuple(questions)}, answer={"ru": "…"}
    )


def test_unknown_words_are_joined_into_the_word_they_spell() -> None:
    speller = Speller(["глобалпротект", "forticlient"])
    assert speller.join(["не", "работает", "глобал", "протекта"]) == [
        "не",
        "работает",
        "глобалпротекта",  # an ending on the last word is fine
    ]
    assert speller.join(["for", "ti", "client", "vpn"]) == ["forticlient", "vpn"]
    assert speller.join(["глобал", "и", "протект"]) == ["глобал", "и", "протект"]  # stop word


def test_words_the_kb_knows_are_never_joined() -> None:
    """The KB's one "непечатает" does not turn every "не печатает" into it."""
    speller = Speller(["принтер", "не", "печатает", "непечатает"])
    assert speller.join(["принтер", "не", "печатает"]) == ["принтер", "не", "печатает"]


def test_a_join_is_held_to_the_whole_word_not_its_stem() -> None:
    """A Russian stem is the word's first 7 letters: "глобалпоиск" has GlobalProtect's."""
    speller = Speller(["глобалпротект"])
    assert speller.correct("глобалпоиск") is not None
    assert speller.join(["глобал", "поиск"]) == ["глобал", "поиск"]
    assert speller.join(["глобал", "протеккт"]) == ["глобалпротеккт"]  # one typo in the whole
