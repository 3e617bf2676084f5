"""`kb check` on one file (an article, or a file that is no KB), and the same example question
under two articles: a warning naming both, in a KB folder and a kb.jsonl alike."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from bot.__main__ import main
from bot.knowledge.base import load_knowledge_base
from bot.knowledge.loader import check_kb
from tests.test_kb_check import good, write


def run_check(path: Path, capsys: pytest.CaptureFixture[str]) -> tuple[int, list[str]]:
    code = main(["kb", "check", str(path)])
    return code, capsys.readouterr().out.splitlines()


def test_one_article_is_checked_alone_and_against_its_folder(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """An author checks the article they edited: it answered "not a directory". Its own
    problems are named, and an id or example question another article of its folder has;
    the other articles' own problems are not this one's."""
    write(tmp_path, "a.md", good("a", q_ru="впн не работает", q_en="vpn is down"))
    write(tmp_path, "b.md", good("b", q_ru="бэ", q_en="b").replace("## en\nAnswer.", ""))
    edited = write(tmp_path, "c.md", good("c", q_ru="вэ", q_en="c"))
    valid = f"{edited}: 1 article, 0 problems: the article is valid"
    assert run_check(edited, capsys) == (0, [valid])
    write(tmp_path, "c.md", good("a", q_ru="вэ", q_en="c").replace("## ru\nОтвет.", ""))
    assert run_check(edited, capsys) == (
        1,
        [
            f"{edited}:2: duplicate id 'a' (also in {tmp_path / 'a.md'})",
            f"{edited}:13: missing the answer in 'ru' ('## ru')",
            f"{edited}: 0 articles, 2 problem(s)",
        ],
    )


def test_an_article_in_a_sub_folder_of_the_kb_is_judged_as_the_kb_judges_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """`kb check kb/network/x.md` said "the article is valid" of a file `kb check kb` does not
    read (articles are the files directly in the KB's folder): the author thought it live."""
    monkeypatch.setenv("HELPDESK_KB_DIR", str(tmp_path))
    write(tmp_path, "a.md", good("a"))
    (tmp_path / "network").mkdir()
    (tmp_path / "_drafts").mkdir()
    nested = write(tmp_path / "network", "x.md", good("x", q_ru="сеть", q_en="network"))
    why = (
        f"not read as an article: articles are the .md files directly in {tmp_path}: move it there"
    )
    assert run_check(tmp_path, capsys) == (
        1,
        [f"{nested}: {why}", f"{tmp_path}: 1 article, 1 problem(s)"],
    )
    assert run_check(nested, capsys) == (
        1,
        [f"{nested}: {why}", f"{nested}: 0 articles, 1 problem(s)"],
    )
    other = write(tmp_path / "network", "y.markdown", good("y"))
    assert run_check(other, capsys)[1][0] == f"{other}: {why}"
    draft = write(tmp_path / "_drafts", "d.md", good("d", q_ru="черновик", q_en="draft"))
    valid = f"{draft}: 1 article, 0 problems: the article is valid"
    assert run_check(draft, capsys) == (0, [valid])  # a draft folder is not read: checked alone


@pytest.mark.parametrize(
    ("name", "why"),
    [
        ("notes.txt", "not a KB: `kb check` takes a KB folder, one article (.md) or a kb.jsonl"),
        ("vpn.markdown", "not read as an article: an article's file name ends in '.md'"),
        ("README.md", "not an article: README and files named '_…' or '.…' are not read"),
        ("_draft.md", "not an article: README and files named '_…' or '.…' are not read"),
        (".#vpn.md", "not an article: README and files named '_…' or '.…' are not read"),
    ],
)
def test_a_file_that_is_no_article_says_what_kb_check_takes(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], name: str, why: str
) -> None:
    path = write(tmp_path, name, good("a"))
    code, out = run_check(path, capsys)
    assert (code, len(out)) == (1, 2)
    assert out[0].startswith(f"{path}: {why}")


def test_a_path_that_is_not_there_is_named_so(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    missing = tmp_path / "kb"
    assert run_check(missing, capsys) == (
        1,
        [f"{missing}: no such folder or file", f"{missing}: 0 articles, 1 problem(s)"],
    )
    assert check_kb(missing).problems == [f"{missing}: no such folder or file"]
    notes = write(tmp_path, "notes.txt", "hello\n")
    assert check_kb(notes).problems == [f"{notes}: not a KB folder or kb.jsonl"]


def test_an_example_question_under_two_articles_is_a_warning_naming_both(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], caplog: pytest.LogCaptureFixture
) -> None:
    """Written apart by case, spaces or a question mark, it is still one question for the
    matcher: the two articles tie on it. A warning (the bot still starts), at the later one,
    naming the first one's file and line."""
    first = write(tmp_path, "a.md", good("a", q_ru="впн не работает", q_en="VPN is down?"))
    write(tmp_path, "b.md", good("b", q_ru="бэ", q_en="b"))
    later = write(tmp_path, "c.md", good("c", q_ru="Впн  не работает!", q_en="vpn is down"))
    assert run_check(tmp_path, capsys) == (
        0,
        [
            f"{later}:8: warning: example question 'Впн  не работает!' of 'c' is also under "
            f"'a' ({first}:8)",
            f"{later}:10: warning: example question 'vpn is down' of 'c' is also under 'a' "
            f"({first}:10)",
            f"{tmp_path}: 3 articles, 0 problems, 2 warning(s): the KB is valid",
        ],
    )
    with caplog.at_level(logging.WARNING):
        assert len(load_knowledge_base(tmp_path).articles) == 3  # the bot starts on it
    assert [r.getMessage() for r in caplog.records] == check_kb(tmp_path).warnings
    assert run_check(later, capsys)[1][0].startswith(f"{later}:8: warning: ")  # alone too


def test_an_example_question_under_two_articles_of_a_kb_jsonl_is_a_warning(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    dataset = write(
        tmp_path,
        "kb.jsonl",
        '{"id": "vpn", "questions": ["vpn is down", "cannot connect"]}\n'
        '{"id": "wifi", "questions": ["no wifi"]}\n'
        '{"id": "net", "questions": ["No WiFi", "VPN is down!"]}\n'
        '{"id": "vpn", "questions": ["vpn is down"]}\n',  # the same article: merged, no warning
    )
    assert run_check(dataset, capsys) == (
        0,
        [
            f"{dataset}:3: warning: example question 'No WiFi' of 'net' is also under 'wifi' "
            f"({dataset}:2)",
            f"{dataset}:3: warning: example question 'VPN is down!' of 'net' is also under "
            f"'vpn' ({dataset}:1)",
            f"{dataset}:4: warning: id 'vpn' again (first at {dataset}:1): questions merged",
            f"{dataset}: 3 articles, 0 problems, 3 warning(s): the KB is valid",
        ],
    )


def test_every_warning_about_a_kb_jsonl_is_listed_and_counted(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], caplog: pytest.LogCaptureFixture
) -> None:
    """An id twice and empty example questions went to the log only: the summary line said
    "0 problems: the KB is valid" with no warning, over lines the author never saw."""
    dataset = write(
        tmp_path,
        "kb.jsonl",
        '{"id": "vpn", "questions": ["vpn is down", " "]}\n'
        '{"id": "phone", "title": "Desk phone", "questions": []}\n'
        '{"id": "vpn", "questions": ["cannot connect"]}\n',
    )
    caplog.set_level(logging.WARNING)
    assert run_check(dataset, capsys) == (
        0,
        [
            f"{dataset}:1: warning: 1 empty question(s) left out: the article is matched by its"
            " other questions",
            f"{dataset}:2: warning: no example questions: the article is matched by its title"
            " alone",
            f"{dataset}:3: warning: id 'vpn' again (first at {dataset}:1): questions merged",
            f"{dataset}: 2 articles, 0 problems, 3 warning(s): the KB is valid",
        ],
    )
    assert caplog.records == []  # said once, where the author reads it


@pytest.mark.parametrize(
    ("edit", "problem"),
    [
        (
            ("  en: Title", "  en: VPN: not working"),
            "a.md:5: malformed YAML: mapping values are not allowed here (a ': ' in a text:"
            " put the whole text in quotes)",
        ),
        (
            ("  en: Title", "    en: Title"),
            "a.md:5: malformed YAML: mapping values are not allowed here (indented more than the"
            " key above it?)",
        ),
        (
            ("    - question", "    - @printer is jammed"),
            "a.md:10: malformed YAML: found character '@' that cannot start any token (a text"
            " that starts with @ or `: put the whole text in quotes)",
        ),
        (
            ("    - question", '    - "Print" is greyed out'),
            "a.md:10: malformed YAML: expected <block end>, but found '<scalar>' (a text that"
            " starts with a quote ends with it: put the whole text in the other quotes,"
            """ '"Print" is greyed out')""",
        ),
        (
            ("    - question", "    - error: printer is jammed"),
            "a.md:10: 'questions.en': 'error: printer is jammed' is read as a key and a value"
            " (a ': ' in it): put the question in quotes",
        ),
        (
            ("  en: Title", "\u00a0 en: Title"),  # pasted from a wiki: YAML named line 6
            "a.md:5: an invisible no-break space (U+00A0) where YAML needs a plain space"
            " (pasted from a web page or a document?): type a space instead",
        ),
        (
            ("    - question", "    -\u00a0printer is jammed"),  # YAML named line 11
            "a.md:10: an invisible no-break space (U+00A0) where YAML needs a plain space"
            " (pasted from a web page or a document?): type a space instead",
        ),
        (
            ("    - question", "    - #1 printer is jammed"),
            "a.md:10: 'questions.en' has an empty '-' line, or one that starts with '#' (a"
            " comment to YAML): put the question in quotes",
        ),
        (  # YAML named the next line, with "could not find expected ':'" alone
            ("  en: Title", "  en Title"),
            "a.md:5: malformed YAML: this line is not 'key: text' nor a '- ' item: put a ':'"
            " after its key, or '- ' before a list item (YAML: could not find expected ':' on"
            " line 6)",
        ),
        (
            ("tags: [x]", "tags x"),
            "a.md:11: malformed YAML: this line is not 'key: text' nor a '- ' item: put a ':'"
            " after its key, or '- ' before a list item (YAML: could not find expected ':')",
        ),
        (  # it said "indented more than the key above it?" of the line below
            ("id: a", "id a"),
            "a.md:3: malformed YAML: mapping values are not allowed here (no ':' after the key"
            " on the line above?)",
        ),
        (
            ("  en: Title", "  en: %Title"),
            "a.md:5: malformed YAML: found character '%' that cannot start any token (a text"
            " that starts with %: put the whole text in quotes)",
        ),
        (
            ("  en: Title", "  en: *VPN* is down"),
            "a.md:5: malformed YAML: expected alphabetic or numeric character, but found '*'"
            " (a text that starts with *: put the whole text in quotes)",
        ),
        (
            ("  en: Title", "  en: !important"),
            "a.md:5: malformed YAML: could not determine a constructor for the tag '!important'"
            " (a text that starts with !: put the whole text in quotes)",
        ),
        (
            ("  en: Title", "  en: > Title"),
            "a.md:5: malformed YAML: expected a comment or a line break, but found 'T' (a text"
            " that starts with >: put the whole text in quotes)",
        ),
        (
            ("    - question", "    - [urgent] printer is jammed"),
            "a.md:10: malformed YAML: expected <block end>, but found '<scalar>' (a text that"
            " starts with [: put the whole text in quotes)",
        ),
        (
            ("tags: [x]", "tags: [x"),
            "a.md:11: malformed YAML: the '[' on this line is not closed by ']' (YAML: expected"
            " ',' or ']', but got '<stream end>')",
        ),
        (
            ("  en: Title", "  en: Title\n en: Title"),
            "a.md:6: malformed YAML: expected <block end>, but found '<block mapping start>'"
            " (this line's indent does not fit: line it up, with spaces, with the lines it"
            " goes with)",
        ),
        (  # it said "this line's indent does not fit" of a bracket too many
            ("tags: [x]", "tags: [x]]"),
            "a.md:11: malformed YAML: expected <block end>, but found ']' (a ']' too many on"
            " this line: each '[' is closed by one ']')",
        ),
        (
            ("tags: [x]", "tags: [x], y"),
            "a.md:11: malformed YAML: expected <block end>, but found ',' (something after the"
            " closing bracket on this line: put it inside the brackets, or delete it)",
        ),
        (
            ("    - question", "    - question\n  - another"),
            "a.md:11: malformed YAML: expected <block end>, but found '-' (this line's indent"
            " does not fit: line it up, with spaces, with the lines it goes with)",
        ),
    ],
)
def test_a_yaml_mistake_a_support_person_makes_says_how_to_fix_it(
    tmp_path: Path, edit: tuple[str, str], problem: str
) -> None:
    """A ': ' in a title, a question starting with @ or with a quoted word: what YAML says
    ("mapping values are not allowed here") tells an author nothing; the fix is quotes."""
    write(tmp_path, "a.md", good("a").replace(*edit, 1))
    assert check_kb(tmp_path).problems == [f"{tmp_path}/{problem}"]


def test_a_no_break_space_inside_a_text_is_no_problem(tmp_path: Path) -> None:
    """Only where YAML needs a plain space is one named: in a title or question it is text."""
    text = good("a", q_en="error:\u00a0printer\u00a0jammed").replace("Title", "VPN:\u00a0down")
    write(tmp_path, "a.md", text)
    assert check_kb(tmp_path).problems == []


def test_each_example_question_yaml_does_not_read_as_text_is_named_at_its_own_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """In a list of example questions, `- error: …`, an empty `-`, `- 404` or `- yes` were
    named at the `questions:` line, the first of them only: the author had to hunt through
    the list for it. Each is named at its line, with how YAML read it."""
    questions = "\n".join(
        [
            "    - printer is jammed",
            "    - error: printer is jammed",  # line 11
            "    - printer shows an error",
            "    -",  # line 13
            "    - 404",  # line 14
            "    - yes",  # line 15
            "    - [paper, jam]",  # line 16
        ]
    )
    article = write(tmp_path, "a.md", good("a").replace("    - question", questions, 1))
    where = f"{article}:"
    assert run_check(article, capsys) == (
        1,
        [
            f"{where}11: 'questions.en': 'error: printer is jammed' is read as a key and a"
            " value (a ': ' in it): put the question in quotes",
            f"{where}13: 'questions.en' has an empty '-' line, or one that starts with '#'"
            " (a comment to YAML): put the question in quotes",
            f"{where}14: 'questions.en': 404 is not text to YAML (a number, a date, yes/no or"
            " a list): put the question in quotes",
            f"{where}15: 'questions.en': yes is not text to YAML (a number, a date, yes/no or"
            " a list): put the question in quotes",
            f"{where}16: 'questions.en': [paper, jam] is not text to YAML (a number, a date,"
            " yes/no or a list): put the question in quotes",
            f"{article}: 0 articles, 5 problem(s)",
        ],
    )


def test_an_example_question_with_no_word_to_match_on_is_a_warning(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """An example "?" or "как сделать что-то" (only punctuation and words the matcher
    skips) matched nothing, and `kb check` called the KB valid without a word. A warning at
    its line; it ties with no other article's such question."""
    article = write(tmp_path, "a.md", good("a", q_ru="как сделать что-то", q_en='"?"'))
    write(tmp_path, "b.md", good("b", q_ru="как сделать что-то", q_en="printer"))
    skipped = "(only punctuation, or words the bot skips, such as 'как', 'please'): it never"
    assert run_check(tmp_path, capsys) == (
        0,
        [
            f"{article}:8: warning: example question 'как сделать что-то' of 'a' has no word to"
            f" match on {skipped} matches; write it as people ask",
            f"{article}:10: warning: example question '?' of 'a' has no word to match on"
            f" {skipped} matches; write it as people ask",
            f"{tmp_path}/b.md:8: warning: example question 'как сделать что-то' of 'b' has no"
            f" word to match on {skipped} matches; write it as people ask",
            f"{tmp_path}: 2 articles, 0 problems, 3 warning(s): the KB is valid",
        ],
    )
