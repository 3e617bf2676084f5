"""Load the Markdown knowledge base (`kb/*.md`), or a neutral `kb.jsonl`, and report every
problem with file and line.

A file is YAML front matter between `---` lines, then one answer section per language, each
opened by a line that is exactly `## ru` or `## en` (see kb/README.md; sections.py splits it).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from bot.errors import InvalidKB, KnowledgeError
from bot.knowledge.article import Article
from bot.knowledge.files import read_text
from bot.knowledge.folder import (
    SYNONYMS_FILE,
    counts,
    misnamed_synonyms,
    nested_in,
    not_directly_in,
    not_read,
)
from bot.knowledge.frontmatter import Problems, parse_front_matter
from bot.knowledge.jsonl import check_kb_jsonl
from bot.knowledge.sections import answer_sections, split_article
from bot.knowledge.shared import Example, shared_examples
from bot.knowledge.synonyms import Synonyms, check_synonyms

__all__ = ["SYNONYMS_FILE", "KBLoad", "check_article", "check_kb", "load_articles"]

_NOT_THERE = "no such folder or file"
_NOT_READ = "not an article: README and files named '_…' or '.…' are not read"


@dataclass(slots=True)
class KBLoad:
    """The articles that loaded without a problem, and the problems found on the way (in
    file order)."""

    articles: list[Article] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)  # they do not stop the bot
    listing: list[str] = field(default_factory=list)  # problems and warnings, in file order
    lines: dict[tuple[str, str], int] = field(default_factory=dict)
    synonyms: Synonyms | None = None  # the KB's synonyms.yaml (in or beside it), if it has one


def _load_file(path: Path, problems: Problems, load: KBLoad) -> Article | None:
    try:
        text = read_text(path)
    except KnowledgeError as exc:
        problems.worded(path, 0, str(exc))
        return None
    split = split_article(path, text, problems)
    if split is None:
        return None
    front, body_line, body = split
    parsed = parse_front_matter(path, front, problems)
    answers = answer_sections(path, body, body_line + 1, problems)
    if parsed is None:
        return None
    meta, lines = parsed
    for key, line in lines.items():
        load.lines[(str(path), key)] = line
    return Article(answer=answers, source=str(path), **meta)


def _cross_check(load: KBLoad, problems: Problems) -> None:
    """Duplicate ids, and the same example question under two articles (a warning)."""
    ids: dict[str, str] = {}
    for article in load.articles:
        where = article.source
        if article.id in ids:
            line = load.lines.get((where, "id"), 1)
            problems.add(where, line, f"duplicate id '{article.id}' (also in {ids[article.id]})")
        ids.setdefault(article.id, where)
    examples = [
        Example(article.id, text, article.source, load.lines.get((article.source, "q:" + text), 1))
        for article in load.articles
        for texts in article.questions.values()
        for text in texts
    ]
    shared_examples(examples, problems)


def _check_synonyms(path: Path, problems: Problems, load: KBLoad) -> None:
    """The synonyms file is part of the KB: a mistake there stops the bot as well."""
    if path.is_file():
        load.synonyms = check_synonyms(path, problems)


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
        problems.add(path, 0, "not a KB folder or kb.jsonl" if path.exists() else _NOT_THERE)
    else:
        _check_folder(path, problems, load)
    return _done(load, problems)


def _done(load: KBLoad, problems: Problems) -> KBLoad:
    broken = problems.files()
    load.articles = [article for article in load.articles if article.source not in broken]
    load.problems = problems.in_file_order()
    load.warnings = problems.warnings()
    load.listing = problems.listing()
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


def check_article(path: Path, *, kb: Path | None = None) -> KBLoad:
    """One article's file, as `kb check` of its folder finds it: its own problems, and an id
    or example question another article of the folder has (their own problems are theirs).
    A file in a sub-folder of the KB at `kb` is the problem `kb check` of the KB names."""
    problems = Problems()
    why = _not_an_article(path, kb)
    if why:
        problems.add(path, 0, why)
        return _done(KBLoad(), problems)
    everything, found = KBLoad(), Problems()
    for other in filter(counts, sorted(path.parent.glob("*.md"))):
        if other.name != path.name:
            _append(everything, _load_file(other, found, everything))
    load = KBLoad()
    _append(load, _load_file(path, problems, load))
    everything.articles += load.articles  # last: what it repeats is named at it
    everything.lines.update(load.lines)
    _cross_check(everything, found)
    problems.take(found, path)
    return _done(load, problems)


def _not_an_article(path: Path, kb: Path | None) -> str | None:
    if not path.exists():
        return _NOT_THERE
    if kb is not None and path.suffix.lower() in (".md", ".markdown") and nested_in(path, kb):
        return not_directly_in(kb) if counts(path) else _NOT_READ
    if path.suffix.lower() not in (".md", ".markdown"):
        return "not a KB: `kb check` takes a KB folder, one article (.md) or a kb.jsonl"
    if not counts(path):
        return _NOT_READ
    if path.suffix != ".md":
        return "not read as an article: an article's file name ends in '.md' (lower case)"
    return None


def _append(load: KBLoad, article: Article | None) -> None:
    if article is not None:
        load.articles.append(article)


def load_articles(directory: Path) -> list[Article]:
    """The articles of a valid KB; raises InvalidKB listing every problem otherwise."""
    load = check_kb(directory)
    if load.problems:
        raise InvalidKB(load.problems)
    return load.articles
