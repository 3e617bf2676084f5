"""`kb check`: every problem named with file and line; the demo KB is valid."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bot.__main__ import main
from bot.errors import InvalidKB
from bot.knowledge.base import load_knowledge_base
from bot.knowledge.files import MAX_FILE_BYTES
from bot.knowledge.jsonl import load_kb_jsonl
from bot.knowledge.loader import check_kb, load_articles
from bot.knowledge.matcher import Matcher

GOOD = """---
id: {id}
title:
  ru: Заголовок
  en: Title
questions:
  ru:
    - {q_ru}
  en:
    - {q_en}
tags: [x]
---
## ru
Ответ.

## en
Answer.
"""


def write(directory: Path, name: str, text: str) -> Path:
    path = directory / name
    path.write_text(text, encoding="utf-8")
    return path


def good(ident: str, q_ru: str = "вопрос", q_en: str = "question") -> str:
    return GOOD.format(id=ident, q_ru=q_ru, q_en=q_en)


def test_demo_kb_is_valid_and_large_enough() -> None:
    result = check_kb(Path(__file__).resolve().parents[1] / "kb")
    assert result.problems == []
    assert len(result.articles) >= 40
    for article in result.articles:
        for language in ("ru", "en"):
            assert len(article.questions[language]) >= 6, (article.id, language)
            assert article.answer[language].strip()


def test_good_article_loads(tmp_path: Path) -> None:
    write(tmp_path, "a.md", good("a"))
    [article] = load_articles(tmp_path)
    assert article.id == "a"
    assert article.questions == {"ru": ("вопрос",), "en": ("question",)}
    assert article.answer == {"ru": "Ответ.", "en": "Answer."}


def test_malformed_yaml_names_file_and_line(tmp_path: Path) -> None:
    text = good("a").replace("tags: [x]", "tags: [x")
    path = write(tmp_path, "a.md", text)
    [problem] = check_kb(tmp_path).problems
    assert problem.startswith(f"{path}:")
    assert "malformed YAML" in problem
    line = int(problem.split(":")[1])
    assert 11 <= line <= 13  # around the broken `tags` line (line 11 of the file)


def test_missing_fields_and_language(tmp_path: Path) -> None:
    text = good("a").replace("  en: Title\n", "").replace("## en\nAnswer.\n", "")
    path = write(tmp_path, "a.md", text)
    problems = check_kb(tmp_path).problems
    assert f"{path}:3: 'title' is missing language 'en'" in problems
    assert any("missing the answer in 'en'" in p for p in problems)


def test_a_missing_or_empty_title_or_questions_says_so(tmp_path: Path) -> None:
    """Not "'title' must map languages" for a key the author never wrote."""
    path = write(tmp_path, "a.md", "---\nid: a\ntags: [x]\n---\n## ru\nОтвет.\n## en\nAnswer.\n")
    assert check_kb(tmp_path).problems == [
        f"{path}:1: no 'title': add the title per language (ru, en)",
        f"{path}:1: no 'questions': add example questions per language (ru, en)",
    ]
    text = good("a").replace("  ru: Заголовок\n  en: Title\n", "")
    write(tmp_path, "a.md", text)
    assert check_kb(tmp_path).problems == [
        f"{path}:3: 'title' is empty: add the title per language"
    ]


def test_missing_id(tmp_path: Path) -> None:
    path = write(tmp_path, "a.md", good("a").replace("id: a\n", ""))
    problems = check_kb(tmp_path).problems
    assert any(p.startswith(f"{path}:") and "'id'" in p for p in problems)


def test_duplicate_id_and_question(tmp_path: Path) -> None:
    write(tmp_path, "a.md", good("same", q_ru="впн не работает"))
    second = write(tmp_path, "b.md", good("same", q_ru="другой", q_en="other"))
    third = write(tmp_path, "c.md", good("c", q_ru="Впн не работает ", q_en="third"))
    load = check_kb(tmp_path)
    assert load.problems == [f"{second}:2: duplicate id 'same' (also in {tmp_path / 'a.md'})"]
    assert load.warnings == [  # the articles tie on it: the bot still starts
        f"{third}:8: warning: example question 'Впн не работает' of 'c' is also under 'same' "
        f"({tmp_path / 'a.md'}:8)"
    ]


def test_no_front_matter(tmp_path: Path) -> None:
    path = write(tmp_path, "a.md", "# just markdown\n")
    assert check_kb(tmp_path).problems == [
        f"{path}:1: expected YAML front matter starting with '---'"
    ]


def test_load_articles_raises_with_every_problem(tmp_path: Path) -> None:
    write(tmp_path, "a.md", "no front matter")
    write(tmp_path, "b.md", good("b").replace("tags: [x]", "priority: asap"))
    with pytest.raises(InvalidKB) as caught:
        load_articles(tmp_path)
    assert len(caught.value.problems) == 2
    assert "'priority' must be one of low, normal, high, urgent" in str(caught.value)


def test_cli_exit_codes(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write(tmp_path, "a.md", good("a"))
    assert main(["kb", "check", str(tmp_path)]) == 0
    assert "1 article, 0 problems" in capsys.readouterr().out
    write(tmp_path, "b.md", good("a", q_ru="другой", q_en="another"))
    assert main(["kb", "check", str(tmp_path)]) == 1
    out = capsys.readouterr().out
    assert "duplicate id 'a'" in out
    assert "1 article, 1 problem(s)" in out  # b.md, which repeats the id, is not one


def test_a_mistake_in_synonyms_fails_the_check_as_it_stops_the_bot(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """`kb check` passing a KB the bot then refuses to start on is no check at all."""
    write(tmp_path, "a.md", good("a"))
    write(tmp_path, "synonyms.yaml", "- [vpn, впн]\n- [vpn2]\n")
    assert main(["kb", "check", str(tmp_path)]) == 1
    out = capsys.readouterr().out
    assert f"{tmp_path}/synonyms.yaml:2: a group is a list of at least two words" in out
    assert "1 article, 1 problem(s)" in out
    with pytest.raises(InvalidKB, match=r"synonyms\.yaml:2"):
        load_knowledge_base(tmp_path)


def test_a_no_break_space_in_synonyms_is_named_at_its_line(tmp_path: Path) -> None:
    """Pasted with a group from a web page, it made YAML name the next line ("could not find
    expected ':'"); a CRLF file's line ends are no such space."""
    write(tmp_path, "a.md", good("a"))
    synonyms = "- [vpn, впн]\r\n\r\n-\u00a0[wifi, вайфай]\r\n- [принтер, printer]\r\n"
    (tmp_path / "synonyms.yaml").write_bytes(synonyms.encode())
    assert check_kb(tmp_path).problems == [
        f"{tmp_path}/synonyms.yaml:3: an invisible no-break space (U+00A0) where YAML needs a"
        " plain space (pasted from a web page or a document?): type a space instead"
    ]


def test_a_line_break_an_editor_does_not_show_is_named_at_its_line(tmp_path: Path) -> None:
    """A line separator (U+2028) or a form feed pasted with a text: Python and YAML break the
    line there, an editor does not. In a question it was cut in two, and YAML named a line
    further on ("could not find expected ':'"); in an answer, every later problem was named
    a line off. Each is named at the line an editor shows it on."""
    text = good("a", q_en="vpn\u2028is down").replace("Ответ.", "Шаг 1.\fШаг 2.\n## EN")
    write(tmp_path, "a.md", text)
    assert check_kb(tmp_path).problems == [
        f"{tmp_path}/a.md:10: an invisible line separator (U+2028) in the line (pasted from a"
        " web page or a document?): YAML breaks the line there; delete it"
    ]
    write(tmp_path, "a.md", text.replace("\u2028", " "))
    assert check_kb(tmp_path).problems == [
        f"{tmp_path}/a.md:15: '## EN' is no answer section: they are '## ru' and '## en'"
    ]
    write(tmp_path, "a.md", text.replace("\u2028", " ").replace("## EN", ""))
    [article] = load_articles(tmp_path)
    assert article.answer["ru"] == "Шаг 1.\nШаг 2."  # a break in the answer, as it was


def test_every_mistake_in_synonyms_is_named(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """`kb check` named the first mistake in synonyms.yaml only, though it names every one
    of the articles': fixing three groups took three runs."""
    write(tmp_path, "a.md", good("a"))
    write(
        tmp_path,
        "synonyms.yaml",
        "- [vpn, впн]\n- [wifi]\n- [принтер, printer]\n- [сканер, vpn]\n- [мышь, и]\n",
    )
    assert main(["kb", "check", str(tmp_path)]) == 1
    synonyms = f"{tmp_path}/synonyms.yaml"
    assert capsys.readouterr().out.splitlines() == [
        f"{synonyms}:2: a group is a list of at least two words or phrases",
        f"{synonyms}:4: 'vpn' is already in the group on line 1",
        f"{synonyms}:5: 'и' has only stop words or punctuation",
        f"{tmp_path}: 1 article, 3 problem(s)",
    ]
    with pytest.raises(InvalidKB) as raised:
        load_knowledge_base(tmp_path)
    assert len(raised.value.problems) == 3


def test_a_group_that_repeats_a_groups_first_member_is_warned_of(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A word or phrase may belong to one group only (the file's own rule), but a second group
    that starts with an earlier group's first member was merged into it without a word: the
    author of line 3 never learned that line 1 has 'vpn' already. Both groups keep working
    (the bot still starts), and `kb check` says which lines to make one."""
    write(tmp_path, "a.md", good("a"))
    write(
        tmp_path,
        "synonyms.yaml",
        "- [vpn, впн]\n- [wifi, вайфай]\n- [VPN, вэпээн, випиэн]\n",
    )
    assert main(["kb", "check", str(tmp_path)]) == 0
    synonyms = f"{tmp_path}/synonyms.yaml"
    assert capsys.readouterr().out.splitlines() == [
        f"{synonyms}:3: warning: 'VPN' starts the group on line 1 too: the two are one group"
        " (a word or phrase belongs to one group only); move this line's members there",
        f"{tmp_path}: 1 article, 0 problems, 1 warning(s): the KB is valid",
    ]
    kb = load_knowledge_base(tmp_path)
    assert kb.matcher.terms("вэпээн") == kb.matcher.terms("впн") == {"vpn"}


def test_a_byte_order_mark_is_not_part_of_the_file(tmp_path: Path) -> None:
    """Windows editors (Notepad) start a UTF-8 file with one; the front matter is still first."""
    (tmp_path / "a.md").write_bytes(b"\xef\xbb\xbf" + good("a").replace("\n", "\r\n").encode())
    (tmp_path / "synonyms.yaml").write_bytes("\ufeff- [vpn, впн]\n".encode())
    load = check_kb(tmp_path)
    assert load.problems == []
    assert load.articles[0].answer == {"ru": "Ответ.", "en": "Answer."}


def test_a_file_not_in_utf8_names_the_line_to_fix(tmp_path: Path) -> None:
    (tmp_path / "a.md").write_bytes(good("a").encode("cp1251"))
    assert check_kb(tmp_path).problems == [
        f"{tmp_path}/a.md:4: not UTF-8 text (byte 0xc7); save the file as UTF-8"
    ]


@pytest.mark.parametrize(
    ("edit", "problem"),
    [
        (("  en: Title\n", "  en: Title\n  de: Titel\n"), "a.md:6: 'title.de': the KB's languages"),
        (("## en\nAnswer.", "## en\nAnswer.\n\n## de\nAntwort."), "a.md:19: '## de' is no answer"),
        (("## en", "## EN"), "a.md:16: '## EN' is no answer section: they are '## ru' and '## en'"),
        (("## en", "##en"), "a.md:16: '##en' is no answer section: they are '## ru' and '## en'"),
        (("## en", "# en"), "a.md:16: '# en' is no answer section"),
        (("## en", "## en:"), "a.md:16: '## en:' is no answer section"),
        (("  en: Title", "  en: [a, b]"), "a.md:5: 'title.en' must be text"),
        (
            ("    - вопрос", "    - ''\n    - '  '"),
            "a.md:7: 'questions.ru' has only empty questions",
        ),
        (("tags: [x]", 'on_site: "no"'), "a.md:11: 'on_site' must be true or false"),
        (("tags: [x]", "on_site: да"), "a.md:11: 'on_site' must be true or false"),
        (("tags: [x]", "elsewhere: yes please"), "a.md:11: 'elsewhere' must be true or false"),
        (("tags: [x]", "team: [it, hr]"), "a.md:11: 'team' must be the name of one team"),
        (("tags: [x]", "priority: high\npriority: low"), "a.md:12: 'priority' is given twice"),
        (
            ("  en:\n    - question", "  en:\n    - question\n  ru:\n    - ещё вопрос"),
            "a.md:11: 'questions.ru' is given twice",
        ),
        (("  en: Title\n", "  en: Title\n  ru: Другой\n"), "a.md:6: 'title.ru' is given twice"),
        (("  ru:\n", "\tru:\n"), "a.md:7: malformed YAML: found character '\\t' that cannot start"),
    ],
)
def test_front_matter_mistakes_yaml_lets_pass(
    tmp_path: Path, edit: tuple[str, str], problem: str
) -> None:
    """What YAML reads without complaint but the author did not mean: a third language, a
    list for a title, "no" in quotes (true to Python), a key written twice."""
    write(tmp_path, "a.md", good("a").replace(*edit, 1))
    problems = check_kb(tmp_path).problems
    assert any(p.startswith(f"{tmp_path}/{problem}") for p in problems), problems


def test_unknown_keys_that_yaml_reads_as_numbers_are_named_not_a_crash(tmp_path: Path) -> None:
    """`2:` is a number to YAML; next to a misspelt key, ordering them crashed the check."""
    write(tmp_path, "a.md", good("a").replace("tags: [x]", "tags: [x]\n2: b\ntag: y", 1))
    assert [p.split("a.md:", 1)[1] for p in check_kb(tmp_path).problems] == [
        "12: unknown key '2': an article's keys are id, title, questions, tags, priority, team,"
        " on_site, elsewhere",
        "13: unknown key 'tag': did you mean 'tags'?",
    ]


def test_a_tab_and_an_empty_file_say_what_to_do(tmp_path: Path) -> None:
    write(tmp_path, "a.md", good("a").replace("  ru:\n", "\tru:\n", 1))
    write(tmp_path, "b.md", "\n")
    assert [p.split(": ", 1)[1] for p in check_kb(tmp_path).problems] == [
        "malformed YAML: found character '\\t' that cannot start any token (a tab: indent with"
        " spaces)",
        "the file is empty",
    ]


@pytest.mark.parametrize(
    ("edit", "problem"),
    [
        (
            ("  ru: Заголовок", '  ru: "Заголовок'),
            "a.md:4: malformed YAML: the quote opened on this line is not closed (YAML: found"
            " unexpected end of stream on line 11)",
        ),
        (
            ("  en: Title", "  en: [Title, Titel"),
            "a.md:5: malformed YAML: the '[' on this line is not closed by ']' (YAML: expected"
            " ',' or ']', but got ':' on line 6)",
        ),
    ],
)
def test_an_unclosed_quote_or_bracket_is_named_where_it_opened(
    tmp_path: Path, edit: tuple[str, str], problem: str
) -> None:
    """YAML notices it lines later (at the next key, or the end of the front matter): the
    author was sent to a line with nothing wrong on it."""
    write(tmp_path, "a.md", good("a").replace(*edit, 1))
    assert check_kb(tmp_path).problems == [f"{tmp_path}/{problem}"]


def test_brackets_nested_too_deeply_are_a_problem_not_a_crash(tmp_path: Path) -> None:
    """PyYAML reads nesting by recursion: a few thousand "[" (pasted junk) ended `kb check`
    with a RecursionError traceback, and a running bot's reload logged one."""
    write(tmp_path, "a.md", good("a").replace("  en: Title", "  en: " + "[" * 5000, 1))
    write(tmp_path, "b.md", good("b"))
    assert check_kb(tmp_path).problems == [
        f"{tmp_path}/a.md:2: malformed YAML: brackets or indents nested too deeply to read"
    ]


def test_an_unclosed_bracket_in_synonyms_is_named_where_it_opened(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write(tmp_path, "a.md", good("a"))
    write(tmp_path, "synonyms.yaml", "- [vpn, впн\n- [wifi, вайфай]\n")
    assert main(["kb", "check", str(tmp_path)]) == 1
    assert capsys.readouterr().out.splitlines()[0] == (
        f"{tmp_path}/synonyms.yaml:1: not valid YAML: the '[' on this line is not closed by"
        " ']' (YAML: expected ',' or ']', but got '[' on line 2)"
    )


def test_an_article_the_bot_would_not_read_is_named(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Put in a sub-folder, or saved as .MD or .markdown, an article was left out without a
    word: `kb check` said the KB was valid, and its questions went unanswered."""
    write(tmp_path, "a.md", good("a"))
    write(tmp_path, "B.MD", good("b", "б", "b"))
    write(tmp_path, "c.markdown", good("c", "в", "c"))
    (tmp_path / "network").mkdir()
    write(tmp_path / "network", "d.md", good("d", "г", "d"))
    write(tmp_path / "network", "README.md", "# How we sort articles\n")
    (tmp_path / "_drafts").mkdir()  # left out on purpose, as a `_x.md` file is
    write(tmp_path / "_drafts", "e.md", good("e", "д", "e"))
    write(tmp_path, "notes.txt", "not an article, and not meant as one\n")
    assert main(["kb", "check", str(tmp_path)]) == 1
    assert capsys.readouterr().out.splitlines() == [
        f"{tmp_path}/B.MD: not read as an article: an article's file name ends in '.md' (lower"
        " case): rename it",
        f"{tmp_path}/c.markdown: not read as an article: an article's file name ends in '.md'"
        " (lower case): rename it",
        f"{tmp_path}/network/d.md: not read as an article: articles are the .md files directly"
        f" in {tmp_path}: move it there",
        f"{tmp_path}: 1 article, 3 problem(s)",
    ]


def test_hidden_files_an_editor_or_a_mac_leaves_are_not_articles(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Emacs keeps a lock `.#a.md` (a link to nowhere) while an edit is unsaved, and a Mac
    packs a `._a.md` of its own bytes beside each file: both were read as articles, so the
    KB had a problem in a file `ls` does not show ("cannot read", "not UTF-8"), `kb check`
    failed and the bot would not start, or not reload, until it was gone."""
    write(tmp_path, "a.md", good("a"))
    (tmp_path / ".#a.md").symlink_to("support@helpdesk.4242:1764000000")
    (tmp_path / "._a.md").write_bytes(b"\x00\x05\x16\x07\x00\x02\x00\x00Mac OS X\xff\xfe")
    write(tmp_path, ".a.md.orig", "a backup\n")
    assert main(["kb", "check", str(tmp_path)]) == 0
    assert capsys.readouterr().out.splitlines() == [
        f"{tmp_path}: 1 article, 0 problems: the KB is valid"
    ]
    assert [article.id for article in load_articles(tmp_path)] == ["a"]


@pytest.mark.parametrize("name", ["synonyms.yml", "Synonyms.yaml", "synonym.yaml"])
def test_a_misnamed_synonyms_file_is_named_as_it_stops_the_bot(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], name: str
) -> None:
    """Its slang went unmatched without a word: the bot reads only `synonyms.yaml`."""
    write(tmp_path, "a.md", good("a"))
    write(tmp_path, name, "- [vpn, впн]\n")
    assert main(["kb", "check", str(tmp_path)]) == 1
    assert capsys.readouterr().out.splitlines() == [
        f"{tmp_path}/{name}: not read: the synonyms file must be named 'synonyms.yaml'",
        f"{tmp_path}: 1 article, 1 problem(s)",
    ]
    with pytest.raises(InvalidKB, match=name):
        load_knowledge_base(tmp_path)


@pytest.mark.parametrize("name", ["synonyms.yml", "Synonyms.yaml"])
def test_a_misnamed_synonyms_file_beside_a_kb_jsonl_is_named_as_it_stops_the_bot(
    tmp_path: Path, name: str
) -> None:
    """A `kb.jsonl` KB reads the `synonyms.yaml` beside it: a misnamed one is refused as in
    a KB folder, not left unread without a word."""
    record = {"id": "a", "title": "A", "questions": ["vpn is down"]}
    dataset = write(tmp_path, "kb.jsonl", json.dumps(record) + "\n")
    write(tmp_path, name, "- [vpn, впн]\n")
    with pytest.raises(InvalidKB) as raised:
        load_knowledge_base(dataset)
    assert raised.value.problems == (
        f"{tmp_path}/{name}: not read: the synonyms file must be named 'synonyms.yaml'",
    )


def test_a_file_too_big_to_be_an_article_is_named_with_its_size(tmp_path: Path) -> None:
    """A 200 MB article took 8 s and 1 GB to check (and a running bot's reload as much).
    Files people write may hold MAX_FILE_BYTES; the data sets of `kb eval` have no limit."""
    text = good("a")
    write(tmp_path, "a.md", text + "x" * (MAX_FILE_BYTES - len(text.encode())))
    big = write(tmp_path, "b.md", good("b", "б", "b") + "x" * MAX_FILE_BYTES)
    synonyms = write(tmp_path, "synonyms.yaml", "- [vpn, впн]\n" + "#" * MAX_FILE_BYTES)
    load = check_kb(tmp_path)
    assert [a.id for a in load.articles] == ["a"]  # at the limit: still an article
    assert load.problems == [
        f"{big}: too big: 1.0 MB; it may hold at most 1 MB (is it the right file?)",
        f"{synonyms}: too big: 1.0 MB; it may hold at most 1 MB (is it the right file?)",
    ]
    record = {"id": "a", "title": "A" * MAX_FILE_BYTES, "questions": ["how do I"]}
    dataset = write(tmp_path, "kb.jsonl", json.dumps(record) + "\n")
    assert [a.id for a in load_kb_jsonl(dataset)] == ["a"]


def test_problems_are_listed_in_file_order(tmp_path: Path) -> None:
    """By file, then line, as an author goes through them: not in the order the checks ran
    (title before priority, the questions two articles share after every other file)."""
    text = good("a").replace("id: a\n", "id: a\npriority: asap\n").replace("  en: Title\n", "")
    write(tmp_path, "a.md", text)
    write(tmp_path, "b.md", good("b", q_ru="впн", q_en="b").replace("tags: [x]", "tags: x"))
    write(tmp_path, "c.md", good("c", q_ru="впн", q_en="c").replace("## en\nAnswer.", ""))
    assert [p.removeprefix(f"{tmp_path}/") for p in check_kb(tmp_path).listing] == [
        "a.md:3: 'priority' must be one of low, normal, high, urgent",
        "a.md:4: 'title' is missing language 'en'",
        "b.md:11: 'tags' must be a list",
        f"c.md:8: warning: example question 'впн' of 'c' is also under 'b' ({tmp_path}/b.md:8)",
        "c.md:13: missing the answer in 'en' ('## en')",
    ]


def test_an_empty_answer_section_is_named_at_its_heading(tmp_path: Path) -> None:
    """`## en` written with nothing under it, after a long Russian answer: the problem was
    named at the first line of the answers (`## ru`), not where the English text goes; and
    "missing the answer in 'en' ('## en')" sent the author to add a heading already there."""
    answer = "## ru\n" + "Шаг.\n" * 20 + "\n## en\n\n"
    write(tmp_path, "a.md", good("a").split("## ru")[0] + answer)
    assert check_kb(tmp_path).problems == [
        f"{tmp_path}/a.md:35: the '## en' section is empty: write the answer in 'en' under it"
    ]


def test_an_answer_written_without_its_heading_is_one_problem(tmp_path: Path) -> None:
    """An answer of ten lines with no '## ru' above it was ten problems, one per line,
    burying the others; it is one, at its first line."""
    answer = "Откройте панель управления.\n\n" + "1. Шаг.\n" * 9 + "## en\nAnswer.\n"
    write(tmp_path, "a.md", good("a").split("## ru")[0] + answer)
    assert check_kb(tmp_path).problems == [
        f"{tmp_path}/a.md:13: text before the first '## ru'/'## en'",
        f"{tmp_path}/a.md:13: missing the answer in 'ru' ('## ru')",
    ]


def test_a_broken_article_is_not_counted_as_one(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The summary counts the articles that would load: not one whose answer, title or
    priority is wrong (the bot refuses the KB until it is fixed)."""
    write(tmp_path, "a.md", good("a"))
    write(tmp_path, "b.md", good("b", "б", "b").replace("## en\nAnswer.", ""))
    write(tmp_path, "c.md", good("c", "в", "c").replace("tags: [x]", "priority: asap"))
    write(tmp_path, "d.md", good("d", "г", "d"))
    assert main(["kb", "check", str(tmp_path)]) == 1
    assert f"{tmp_path}: 2 articles, 2 problem(s)" in capsys.readouterr().out
    assert [a.id for a in check_kb(tmp_path).articles] == ["a", "d"]


def test_kb_check_checks_a_kb_jsonl_as_loading_it_does(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """`kb check kb.jsonl` answered "not a directory", and loading one stopped at its first
    problem: every line's problem is named, and the synonyms beside it, as in a KB folder."""
    lines = [
        '{"id": "vpn", "title": "VPN", "questions": ["vpn is down"]}',
        '{"id": "printer", "questions": ["printer jammed"',
        '{"title": "Mail", "questions": ["mailbox is full"]}',
        '{"id": "wifi", "title": "Wi-Fi"}',
        '{"id": "disk", "questions": ["disk is full", " "]}',
        '["phone"]',
        "",
        '{"id": "mail", "title": ["Mail"], "questions": ["mail is slow"]}',
        '{"id": "phone", "questions": []}',
        '{"id": "", "questions": ["who am i"]}',
        '{"id": "phone", "questions": ["phone is dead"]}',
    ]
    dataset = write(tmp_path, "kb.jsonl", "\n".join(lines) + "\n")
    write(tmp_path, "synonyms.yaml", "- [vpn, впн]\n- [vpn2]\n")
    write(tmp_path, "synonyms.yml", "- [mail, почта]\n")
    assert main(["kb", "check", str(dataset)]) == 1
    assert capsys.readouterr().out.splitlines() == [
        f"{dataset}:2: not JSON at column 49: Expecting ',' delimiter (a line is one JSON"
        " object: its keys and texts in double quotes, no comma after the last value)",
        f"{dataset}:3: needs a string 'id' and a list 'questions'",
        f"{dataset}:4: needs a string 'id' and a list 'questions'",
        f"{dataset}:5: warning: 1 empty question(s) left out: the article is matched by its"
        " other questions",
        f"{dataset}:6: expected a JSON object",
        f"{dataset}:8: 'title' must be text",
        f"{dataset}:9: warning: no example questions: the article is matched by its title alone",
        f"{dataset}:10: needs a string 'id' and a list 'questions'",
        f"{dataset}:11: warning: id 'phone' again (first at {dataset}:9): questions merged",
        f"{tmp_path}/synonyms.yaml:2: a group is a list of at least two words or phrases",
        f"{tmp_path}/synonyms.yml: not read: the synonyms file must be named 'synonyms.yaml'",
        f"{dataset}: 3 articles, 8 problem(s), 3 warning(s)",  # vpn, disk and phone
    ]
    with pytest.raises(InvalidKB) as raised:  # the bot, kb eval and the benchmark alike
        load_knowledge_base(dataset)
    assert list(raised.value.problems) == check_kb(dataset).problems
    with pytest.raises(InvalidKB):
        load_kb_jsonl(dataset)


def test_empty_questions_of_a_kb_jsonl_are_left_out_with_a_warning(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """A benchmark set written elsewhere is measured as it is: a blank example question, which
    would match nothing, is left out (said in the log), not a reason to refuse the whole set."""
    dataset = write(
        tmp_path,
        "kb.jsonl",
        '{"id": "disk", "questions": ["disk is full", " "]}\n'
        '{"id": "phone", "title": "Desk phone", "questions": []}\n',
    )
    articles = load_kb_jsonl(dataset)
    assert [(a.id, a.questions["en"]) for a in articles] == [
        ("disk", ("disk is full",)),
        ("phone", ()),
    ]
    assert Matcher(articles).match("my desk phone", 1)[0].article_id == "phone"  # by its title
    assert [r.getMessage() for r in caplog.records] == [
        f"{dataset}:1: warning: 1 empty question(s) left out: the article is matched by its"
        " other questions",
        f"{dataset}:2: warning: no example questions: the article is matched by its title alone",
    ]


def test_a_valid_kb_jsonl_passes_the_check(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    dataset = write(
        tmp_path,
        "kb.jsonl",
        '{"id": "vpn", "title": "VPN", "questions": ["vpn is down"]}\n'
        '{"id": "printer", "questions": ["printer jammed"]}\n'
        '{"id": "vpn", "questions": ["cannot connect to the vpn"]}\n',  # merged, as loaded
    )
    write(tmp_path, "synonyms.yaml", "- [vpn, впн]\n")
    assert main(["kb", "check", str(dataset)]) == 0
    assert capsys.readouterr().out == (
        f"{dataset}:3: warning: id 'vpn' again (first at {dataset}:1): questions merged\n"
        f"{dataset}: 2 articles, 0 problems, 1 warning(s): the KB is valid\n"
    )
    assert [len(a.questions["en"]) for a in check_kb(dataset).articles] == [2, 1]
    dataset.write_text("\n")
    assert check_kb(dataset).problems == [f"{dataset}: no articles (one JSON object a line)"]
    missing = tmp_path / "none.jsonl"
    assert check_kb(missing).problems == [f"{missing}: cannot read: No such file or directory"]


def test_an_example_question_given_twice_in_one_article_is_a_warning(tmp_path: Path) -> None:
    """A question pasted twice (the copy meant to become another question) was accepted
    without a word: the way people ask that the author meant to add was missing, and the
    article counted one question twice. Written apart only by case or punctuation too."""
    questions = "    - закончился тонер\n    - принтер бледно печатает\n    - Закончился тонер?\n"
    write(tmp_path, "a.md", good("a").replace("    - вопрос\n", questions))
    load = check_kb(tmp_path)
    assert load.problems == []
    assert load.warnings == [
        f"{tmp_path}/a.md:10: warning: example question 'Закончился тонер?' of 'a' is given"
        " twice (also at line 8): keep one, or write another way people ask"
    ]


def test_an_example_question_in_two_languages_is_not_given_twice(tmp_path: Path) -> None:
    """The same one-word question in the `ru` and `en` lists ("outlook") was "given twice";
    so it would be for one that only adds a stop word ("как подключить vpn"). Each is a way
    people ask in its language: only the same text again in one language is a copy."""
    ru = "    - outlook\n    - как подключить vpn\n    - подключить vpn\n"
    en = "    - Outlook\n    - outlook!\n"
    text = good("a").replace("    - вопрос\n", ru).replace("    - question\n", en)
    write(tmp_path, "a.md", text)
    load = check_kb(tmp_path)
    assert load.problems == []
    assert load.warnings == [
        f"{tmp_path}/a.md:13: warning: example question 'outlook!' of 'a' is given twice"
        " (also at line 12): keep one, or write another way people ask"
    ]


def test_an_unknown_key_says_which_key_was_meant(tmp_path: Path) -> None:
    """Saying "unknown key 'priorty'" left a newcomer to guess the fix; a misspelt or
    capitalised key names the one meant, and another names the keys an article has."""
    text = good("a").replace("tags: [x]", "tags: [x]\npriorty: high\nTeam: it\nauthor: me", 1)
    write(tmp_path, "a.md", text)
    assert [p.split("a.md:", 1)[1] for p in check_kb(tmp_path).problems] == [
        "12: unknown key 'priorty': did you mean 'priority'?",
        "13: unknown key 'Team': did you mean 'team'?",
        "14: unknown key 'author': an article's keys are id, title, questions, tags, priority,"
        " team, on_site, elsewhere",
    ]


def test_a_language_written_with_nothing_under_it_is_named_at_its_line(tmp_path: Path) -> None:
    """`ru:` written and left empty was "'questions' is missing language 'ru'" at the
    `questions:` line: the author looked for a missing `ru:` and found it there."""
    text = good("a").replace("  ru:\n    - вопрос\n", "  ru:\n").replace("  en: Title", "  en:")
    write(tmp_path, "a.md", text)
    assert [p.split("a.md:", 1)[1] for p in check_kb(tmp_path).problems] == [
        "5: 'title.en' is empty: add the title",
        "7: 'questions.ru' is empty: add example questions",
    ]


def test_a_synonym_group_written_without_its_brackets_says_how_to_write_it(
    tmp_path: Path,
) -> None:
    """`- тонер, toner` (the brackets forgotten) or `- [тонер; toner]` is one text to YAML,
    and "a group is a list of at least two words or phrases" did not say what was wrong
    with a line that plainly lists three: it shows the group as it should be written."""
    write(tmp_path, "a.md", good("a"))
    groups = "- тонер, toner, краска\n- [бейдж; badge]\n- {мышь, mouse}\n- [vpn2]\n"
    write(tmp_path, "synonyms.yaml", groups)
    synonyms = f"{tmp_path}/synonyms.yaml"
    assert check_kb(tmp_path).problems == [
        f"{synonyms}:1: a group is a list of at least two words or phrases: write it in"
        " brackets, members apart by commas: - [тонер, toner, краска]",
        f"{synonyms}:2: a group is a list of at least two words or phrases: write it in"
        " brackets, members apart by commas: - [бейдж, badge]",
        f"{synonyms}:3: a group is a list of at least two words or phrases: write it in"
        " brackets, members apart by commas: - [мышь, mouse]",
        f"{synonyms}:4: a group is a list of at least two words or phrases",
    ]


def test_a_title_that_starts_with_a_hash_says_to_quote_it(tmp_path: Path) -> None:
    """`ru: #1 Потерял пропуск`: YAML reads the title as a comment, and the check said the
    title was missing (or empty) though the author had written it; kb/README.md promises
    that a title starting with '#' unquoted is named as such."""
    write(tmp_path, "a.md", good("a").replace("  ru: Заголовок", "  ru: #1 Заголовок", 1))
    assert [p.split("a.md:", 1)[1] for p in check_kb(tmp_path).problems] == [
        "4: 'title.ru' starts with '#', which YAML reads as a comment: put the whole text in quotes"
    ]


def test_a_language_of_questions_that_starts_with_a_hash_asks_for_a_list(
    tmp_path: Path,
) -> None:
    """`questions:` → `ru: # не подключается впн`: YAML reads a comment, and the check said to
    put the whole text in quotes, though `questions.ru` wants a list, not one text."""
    text = good("a").replace("  ru:\n    - вопрос\n", "  ru: # не подключается впн\n")
    write(tmp_path, "a.md", text)
    assert [p.split("a.md:", 1)[1] for p in check_kb(tmp_path).problems] == [
        "7: 'questions.ru' starts with '#', which YAML reads as a comment: write its example"
        " questions under it, one '- ' line each"
    ]


def test_a_text_cut_short_by_a_hash_is_a_warning(tmp_path: Path) -> None:
    """`- не печатает принтер #3`: YAML reads ' #3' and the rest as a comment, and the
    question (or title) was kept cut short without a word. A key's comment is no text."""
    text = (
        good("a", q_ru="не печатает принтер #3 на втором этаже", q_en="'printer #3'  # quoted")
        .replace("  en: Title", "  en: Printer #3   # the one by the lift")
        .replace("id: a", "id: a  # stable")
    )
    write(tmp_path, "a.md", text)
    load = check_kb(tmp_path)
    assert load.problems == []
    assert [p.split("a.md:", 1)[1] for p in load.warnings] == [
        "5: warning: 'title.en' is read as 'Printer': from ' #' on, YAML takes the line for a"
        " comment; put the whole text in quotes",
        "8: warning: 'questions.ru' is read as 'не печатает принтер': from ' #' on, YAML takes"
        " the line for a comment; put the whole text in quotes",
    ]


def test_a_synonym_member_yaml_reads_otherwise_says_what_it_was_read_as(tmp_path: Path) -> None:
    """`- [тонер: toner, краска]` was "a group member must be a non-empty word or phrase",
    of a member plainly written: YAML read 'тонер: toner' as a key and a value."""
    write(tmp_path, "a.md", good("a"))
    write(tmp_path, "synonyms.yaml", "- [тонер: toner, краска]\n- [мышь, [mouse, мышка]]\n")
    synonyms = f"{tmp_path}/synonyms.yaml"
    assert check_kb(tmp_path).problems == [
        f"{synonyms}:1: 'тонер: toner' is read as a key and a value (a ': ' in it): put a ','"
        " for the ':', or the member in quotes",
        f"{synonyms}:2: a group member is a word or phrase, not a list: write the group as one"
        " list, - [vpn, впн]",
    ]


def test_a_member_of_another_group_first_in_a_group_is_still_a_problem_only(
    tmp_path: Path,
) -> None:
    """'впн' names a group of its own, not line 1's: the problem it was, and no warning."""
    write(tmp_path, "a.md", good("a"))
    write(tmp_path, "synonyms.yaml", "- [vpn, впн]\n- [впн, вэпээн]\n")
    load = check_kb(tmp_path)
    assert load.problems == [f"{tmp_path}/synonyms.yaml:2: 'впн' is already in the group on line 1"]
    assert load.warnings == []
