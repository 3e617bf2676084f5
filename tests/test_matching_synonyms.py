"""The synonyms file: expansion of words and phrases, and errors that name file and line."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.errors import KnowledgeError
from bot.knowledge.normalize import terms
from bot.knowledge.synonyms import Synonyms, load_synonyms

ROOT = Path(__file__).resolve().parents[1]


def rewrite(synonyms: Synonyms, text: str) -> list[str]:
    return synonyms.rewrite(terms(text))


def test_words_and_phrases_become_the_group_term() -> None:
    synonyms = Synonyms.from_groups(
        [["интернет", "инет", "internet"], ["не работает", "не пашет", "глючит"]]
    )
    net, broken = terms("интернет")[0], "_".join(terms("не работает"))
    assert rewrite(synonyms, "инет не пашет") == [net, broken]
    assert rewrite(synonyms, "Internet глючит") == [net, broken]
    assert rewrite(synonyms, "не работает интернет") == [broken, net]
    assert rewrite(synonyms, "не могу") == ["не", "мог"]  # a phrase needs all its words


def test_longest_phrase_wins() -> None:
    synonyms = Synonyms.from_groups([["teams", "тимс", "ms teams"], ["microsoft", "ms"]])
    assert rewrite(synonyms, "ms teams") == ["team"]
    assert rewrite(synonyms, "ms office") == ["microsoft", "offic"]


def test_shipped_file_loads_and_covers_slang() -> None:
    synonyms = load_synonyms(ROOT / "kb/synonyms.yaml")
    assert len(synonyms) >= 100
    assert rewrite(synonyms, "впн") == rewrite(synonyms, "VPN")
    assert rewrite(synonyms, "комп") == rewrite(synonyms, "ноутбук") == rewrite(synonyms, "PC")
    assert rewrite(synonyms, "вайфай") == rewrite(synonyms, "Wi-Fi") == rewrite(synonyms, "wifi")
    assert rewrite(synonyms, "не пашет") == rewrite(synonyms, "не работает")
    assert rewrite(synonyms, "1c") == rewrite(synonyms, "1с")


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "synonyms.yaml"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("text", "line", "message"),
    [
        ("# header\n- [vpn, впн]\n- [инет\n", 3, "not valid YAML"),  # where it opened
        ("- " + "[" * 5000, 1, "nested too deeply"),  # PyYAML's RecursionError
        ("vpn: впн\n", 1, "expected a list of groups"),
        ("- [vpn, впн]\n- just-one-word\n", 2, "at least two"),
        ("- [vpn, впн]\n- [комп]\n", 2, "at least two"),
        ("- [vpn, впн]\n- [комп, [пк]]\n", 2, "not a list"),
        ("- [vpn, впн]\n- [комп, '']\n", 2, "non-empty word"),
        ("- [vpn, впн]\n- [пк, и]\n", 2, "only stop words"),
        ("- [vpn, впн]\n\n- [впн, vpn-клиент]\n", 3, "already in the group on line 1"),
    ],
)
def test_errors_name_file_and_line(tmp_path: Path, text: str, line: int, message: str) -> None:
    path = write(tmp_path, text)
    with pytest.raises(KnowledgeError) as caught:
        load_synonyms(path)
    assert str(caught.value).startswith(f"{path}:{line}: ")
    assert message in str(caught.value)


def test_empty_file_means_no_synonyms(tmp_path: Path) -> None:
    assert len(load_synonyms(write(tmp_path, "# nothing yet\n"))) == 0


def test_missing_file_is_a_knowledge_error(tmp_path: Path) -> None:
    with pytest.raises(KnowledgeError, match=r"nope\.yaml: cannot read: No such file"):
        load_synonyms(tmp_path / "nope.yaml")
