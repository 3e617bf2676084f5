"""Read the neutral benchmark format (`kb.jsonl`, `queries.jsonl`) of shared/bench-data."""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from bot.errors import InvalidKB, KnowledgeError
from bot.knowledge.article import Article
from bot.knowledge.files import read_text
from bot.knowledge.frontmatter import Problems
from bot.knowledge.shared import Example, shared_examples

__all__ = ["UNLABELLED", "LabelledQuery", "check_kb_jsonl", "load_kb_jsonl", "load_queries"]

log = logging.getLogger(__name__)

# `expected` of a question nobody has labelled yet (`kb gaps --jsonl`): null would read as
# "nothing should answer it", so a line left as written would count as a right refusal
UNLABELLED = "?"


@dataclass(frozen=True, slots=True)
class LabelledQuery:
    """A test question; `expected` is the set of right article ids, empty when none is."""

    text: str
    expected: frozenset[str]
    line: int = 0  # its line in the file (0: not from a file)


# What a line written by hand most often lacks: Python's quotes, an id left bare, a comma
# after the last value
_JSON_HINT = (
    " (a line is one JSON object: its keys and texts in double quotes, no comma after the last"
    " value)"
)


def _objects(text: str) -> Iterator[tuple[int, dict[str, object] | str]]:
    """Each line's JSON object, or what is wrong with the line; blank lines are skipped."""
    for number, line in enumerate(text.split("\n"), start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            yield number, f"not JSON at column {exc.colno}: {exc.msg}{_JSON_HINT}"
            continue
        yield number, record if isinstance(record, dict) else "expected a JSON object"


def _records(path: Path) -> list[tuple[int, dict[str, object]]]:
    """The file's JSON objects; KnowledgeError at the first line that is not one."""
    records = []
    for number, record in _objects(read_text(path, limit=None)):
        if isinstance(record, str):
            raise KnowledgeError(f"{path}:{number}: {record}")
        records.append((number, record))
    return records


def _article(record: dict[str, object]) -> tuple[str, object, tuple[str, ...]] | str:
    """A kb.jsonl line's id, title and questions, or what is wrong with it."""
    ident, title, questions = record.get("id"), record.get("title"), record.get("questions")
    if not isinstance(ident, str) or not ident.strip() or not isinstance(questions, list):
        return "needs a string 'id' and a list 'questions'"
    if not all(isinstance(q, str) for q in questions):  # null would be a question "None"
        return "'questions' must be a list of strings"
    if title is not None and not isinstance(title, str):
        return "'title' must be text"
    return ident, title, tuple(questions)


def check_kb_jsonl(path: Path, problems: Problems, *, language: str = "en") -> list[Article]:
    """The articles of a `kb.jsonl`: `{"id", "title", "questions"}` per line, one language;
    each line's problem is added to `problems` (its article left out), as `kb check` lists
    them.

    Lines that repeat an id add their questions to that article (with a warning): kept
    apart, two halves of one article would tie and never be answered. Empty questions, which
    would match nothing, are left out with a warning, not refused: a benchmark set written
    elsewhere is measured as it is (an article with none is matched by its title)."""
    try:
        text = read_text(path, limit=None)
    except KnowledgeError as exc:
        problems.worded(path, 0, str(exc))
        return []
    articles: dict[str, Article] = {}
    examples: list[Example] = []
    for number, record in _objects(text):
        fields = record if isinstance(record, str) else _article(record)
        if isinstance(fields, str):
            problems.add(path, number, fields)
            continue
        ident, title, given = fields
        texts = tuple(text for text in given if text.strip())
        examples += (Example(ident, text, str(path), number) for text in texts)
        if len(texts) < len(given) or not given:  # a data set written elsewhere: not refused
            empty = f"{len(given) - len(texts)} empty question(s) left out" if given else ""
            by = "its other questions" if texts else "its title alone"
            problems.warn(
                path, number, f"{empty or 'no example questions'}: the article is matched by {by}"
            )
        first = articles.get(ident)
        if first is not None:
            problems.warn(
                path, number, f"id {ident!r} again (first at {first.source}): questions merged"
            )
            texts = first.questions[language] + texts
        articles[ident] = Article(
            id=ident,
            title=first.title if first else {language: str(title or ident)},
            questions={language: texts},
            source=first.source if first else f"{path}:{number}",
        )
    if not articles and not problems.items:
        problems.add(path, 0, "no articles (one JSON object a line)")
    shared_examples(examples, problems)
    return list(articles.values())


def load_kb_jsonl(path: Path, *, language: str = "en") -> list[Article]:
    """The articles of a valid `kb.jsonl` (see `check_kb_jsonl`), its warnings logged;
    InvalidKB listing every problem otherwise."""
    problems = Problems()
    articles = check_kb_jsonl(path, problems, language=language)
    if problems.items:
        raise InvalidKB(problems.in_file_order())
    for warning in problems.warnings():
        log.warning("%s", warning)
    return articles


def load_queries(path: Path) -> list[LabelledQuery]:
    """Labelled questions: `expected` is an id, a list of ids, or null (must not answer);
    KnowledgeError at the first line still `UNLABELLED`, naming the others."""
    records = _records(path)
    _refuse_unlabelled(path, [(n, r) for n, r in records if r.get("expected") == UNLABELLED])
    queries = []
    for number, record in records:
        text, expected = record.get("text"), record.get("expected")
        if not isinstance(text, str):
            raise KnowledgeError(f"{path}:{number}: needs a string 'text'")
        if "expected" not in record and (other := sorted(set(record) - {"text"})):
            # a misspelt label ("expectd") would count a question the KB answers as out of
            # scope; a line of its text alone is one (as the format had it before)
            raise KnowledgeError(
                f"{path}:{number}: no 'expected' (an id, a list of ids, or null for a question "
                f"nothing should answer), but {', '.join(map(repr, other))}: misspelt?"
            )
        ids = _expected(expected, f"{path}:{number}")
        queries.append(LabelledQuery(text=text, expected=ids, line=number))
    return queries


def _refuse_unlabelled(path: Path, unlabelled: list[tuple[int, dict[str, object]]]) -> None:
    if not unlabelled:
        return
    (number, record), rest = unlabelled[0], [str(n) for n, _ in unlabelled[1:]]
    nearest = record.get("nearest")
    hint = f" (the nearest was {nearest!r})" if isinstance(nearest, str) else ""
    also = (
        f"; also line{'s' if len(rest) > 1 else ''} {', '.join(rest[:10])}"
        + (", …" if len(rest) > 10 else "")
        if rest
        else ""
    )
    raise KnowledgeError(
        f"{path}:{number}: 'expected' is not filled in ({json.dumps(UNLABELLED)}, as kb gaps "
        f"wrote it): write the id of the article that should answer {record.get('text')!r}"
        f"{hint}, or null if no article should{also}"
    )


def _expected(value: object, where: str) -> frozenset[str]:
    """The ids of an 'expected' label: an id, a list of ids, or null (nothing should answer).
    Anything else in a list is refused: `[null]` read as an article 'None', or `[42]` as '42',
    would count as a question for an article no KB has."""
    if value is None:
        return frozenset()
    ids = value if isinstance(value, list) else [value]
    for ident in ids:
        if ident is None:
            raise KnowledgeError(
                f"{where}: 'expected' lists null: a list holds article ids; for a question "
                'nothing should answer write "expected": null, not in a list'
            )
        if not isinstance(ident, str) or not ident.strip():
            raise KnowledgeError(
                f"{where}: 'expected' must be an article id (text), a list of ids or null, "
                f"not {json.dumps(ident, ensure_ascii=False)}"
            )
    return frozenset(ids)
