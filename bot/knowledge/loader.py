"""Load the Markdown knowledge base (`kb/*.md`), or a neutral `kb.jsonl`, and report every
problem with file and line.

A file is YAML front matter between `---` lines, then one answer section per language, each
opened by a line that is exactly `## ru` or `## en` (see kb/README.md).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from bot.errors import InvalidKB, KnowledgeError
from bot.knowledge.article import LANGUAGES, Article
from bot.knowledge.files import read_text
from bot.knowledge.folder import SYNONYMS_FILE, counts, misnamed_synonyms, not_read
from bot.knowledge.frontmatter import Problems, parse_front_matter
from bot.knowledge.jsonl import check_kb_jsonl
from bot.knowledge.synonyms import Synonyms, load_synonyms

__all__ = ["SYNONYMS_FILE", "KBLoad", "check_kb", "load_articles"]

_SECTION = re.compile(r"^##\s+(ru|en)\s*$")
_LOOKS_LIKE_SECTION = re.compile(r"^##\s+[A-Za-z]{2}\s*$")  # "## EN", "## de"
# "##en", "# en", "## en:": the author meant a section; taken as text, the English answer
# would be added to the Russian one
_MISTYPED_SECTION = re.compile(r"^#{1,6}\s*(ru|en)\s*[:.]?\s*$", re.IGNORECASE)


@dataclass(slots=True)
class KBLoad:
    """The articles that loaded without a problem, and the problems found on the way (in
    file order)."""

    articles: list[Article] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    lines: dict[tuple[str, str], int] = field(default_factory=dict)
    synonyms: Synonyms | None = None  # the KB's synonyms.yaml (in or beside it), if it has one


def _split(path: Path, text: str, problems: Problems) -> tuple[str, int, list[str]] | None:
    lines = text.splitlines()
    if not text.strip():
        problems.add(path, 1, "the file is empty")
        return None
    if lines[0].strip() != "---":
        problems.add(path, 1, "expected YAML front matter starting with '---'")
        return None
    for end, line in enumerate(lines[1:], start=1):
        if line.strip() == "---":
            return "\n".join(lines[1:end]), end + 1, lines[end + 1 :]
    problems.add(path, 1, "front matter is not closed by a '---' line")
    return None


def _answers(path: Path, body: list[str], first_line: int, problems: Problems) -> dict[str, str]:
    sections: dict[str, list[str]] = {}
    current: list[str] | None = None
    for offset, line in enumerate(body):
        found = _SECTION.match(line)
        if found:
            language = found.group(1)
            if language in sections:
                problems.add(path, first_line + offset, f"second '## {language}' section")
            current = sections.setdefault(language, [])
        elif _LOOKS_LIKE_SECTION.match(line) or _MISTYPED_SECTION.match(line):
            problems.add(
                path,
                first_line + offset,
                f"'{line.strip()}' is no answer section: they are '## ru' and '## en'",
            )
        elif current is not None:
            current.append(line)
        elif line.strip():
            problems.add(path, first_line + offset, "text before the first '## ru'/'## en'")
    answers = {lang: "\n".join(text).strip() for lang, text in sections.items()}
    for language in LANGUAGES:
        if not answers.get(language):
            problems.add(path, first_line, f"missing the answer in '{language}' ('## {language}')")
    return answers


def _load_file(path: Path, problems: Problems, load: KBLoad) -> Article | None:
    try:
        text = read_text(path)
    except KnowledgeError as exc:
        problems.worded(path, 0, str(exc))
        return None
    split = _split(path, text, problems)
    if split is None:
        return None
    front, body_line, body = split
    parsed = parse_front_matter(path, front, problems)
    answers = _answers(path, body, body_line + 1, problems)
    if parsed is None:
        return None
    meta, lines = parsed
    for key, line in lines.items():
        load.lines[(str(path), key)] = line
    return Article(answer=answers, source=str(path), **meta)


def _cross_check(load: KBLoad, problems: Problems) -> None:
    """Duplicate ids and the same example question under two articles."""
    ids: dict[str, str] = {}
    seen: dict[str, str] = {}
    for article in load.articles:
        where = article.source
        if article.id in ids:
            line = load.lines.get((where, "id"), 1)
            problems.add(where, line, f"duplicate id '{article.id}' (also in {ids[article.id]})")
        ids.setdefault(article.id, where)
        for question in {q.casefold().strip() for qs in article.questions.values() for q in qs}:
            other = seen.setdefault(question, article.id)
            if other != article.id:
                line = load.lines.get((where, "q:" + question), 1)
                problems.add(where, line, f"example question {question!r} is also under '{other}'")


def _check_synonyms(path: Path, problems: Problems, load: KBLoad) -> None:
    """The synonyms file is part of the KB: a mistake there stops the bot as well."""
    if not path.is_file():
        return
    try:
        load.synonyms = load_synonyms(path)
    except KnowledgeError as exc:
        problems.worded(path, 0, str(exc))


def check_kb(path: Path) -> KBLoad:
    """Load every article of the KB folder or `kb.jsonl` at `path`, and the synonyms.yaml
    in or beside it, collecting problems instead of stopping."""
    problems = Problems()
    load = KBLoad()
    if path.suffix == ".jsonl" and not path.is_dir():  # one not there: "cannot read" it
        load.articles = check_kb_jsonl(path, problems)
        misnamed_synonyms(path.parent, problems)
        _check_synonyms(path.parent / SYNONYMS_FILE, problems, load)
    elif not path.is_dir():
        problems.add(path, 0, "not a directory")
    else:
        _check_folder(path, problems, load)
    broken = problems.files()
    load.articles = [article for article in load.articles if article.source not in broken]
    load.problems = problems.in_file_order()
    return load


def _check_folder(directory: Path, problems: Problems, load: KBLoad) -> None:
    for path in filter(counts, sorted(directory.glob("*.md"))):
        article = _load_file(path, problems, load)
        if article is not None:
            load.articles.append(article)
    not_read(directory, problems)
    if not load.articles and not problems.items:
        problems.add(directory, 0, "no articles (*.md files)")
    _check_synonyms(directory / SYNONYMS_FILE, problems, load)
    _cross_check(load, problems)  # broken articles too: their ids and questions are taken


def load_articles(directory: Path) -> list[Article]:
    """The articles of a valid KB; raises InvalidKB listing every problem otherwise."""
    load = check_kb(directory)
    if load.problems:
        raise InvalidKB(load.problems)
    return load.articles
