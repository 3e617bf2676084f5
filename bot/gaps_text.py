"""The KB's gaps report as text (`helpdesk-bot kb gaps`), in Russian or English: what the
bot did not answer, per article and per reason, its helpful share, the questions asked most
often and those agents answered with an article (the figures are `bot/gaps.py`'s)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator, Sequence
from datetime import datetime
from pathlib import Path

from bot.gaps import REASONS, ArticleGap, by_article, frequent, question_key
from bot.handoff.articles import AGENT_ARTICLE
from bot.handoff.text import one_line
from bot.knowledge.jsonl import UNLABELLED
from bot.report_words import Words, report_words
from bot.shares import percent
from bot.storage.reports import MissedQuestion
from bot.turns import ELSEWHERE

__all__ = ["format_gaps", "written"]

_SHOWN_CHARS = 100  # of a question in a line of the report (a pasted log is thousands)
_LABEL = 28  # the width of an article's id, at least
_COUNT = 13  # the width of a reason's count, at least


def format_gaps(
    missed: Sequence[MissedQuestion],
    feedback: dict[str, tuple[int, int]],
    *,
    since: datetime,
    language: str,
    top: int = 15,
    near: float = 0.0,
) -> str:
    """The report as text, in `language`'s words (`near`: see `gaps.by_article`)."""
    words = report_words(language, "gaps")
    lines = [_summary(words, missed, feedback, since)]
    gaps = by_article(missed, feedback, near=near)
    if gaps:
        lines.append(_heading(words))
    lines += [_gap_line(words, gap) for gap in gaps]
    asked = frequent(missed, top)
    if asked:
        lines.append(words("asked_most"))
    for count, question in asked:
        lines.append(f"  {count:>3}× {_shown(question.text)}  ({_what_happened(words, question)})")
    lines.extend(_agents_answers(words, missed, top))
    return "\n".join(lines)


def written(count: int, path: Path, *, language: str) -> str:
    """What `kb gaps --jsonl` says after writing `count` questions to `path`."""
    words = report_words(language, "gaps")
    return words.count("written", count, path=path, unlabelled=UNLABELLED)


def _summary(
    words: Words,
    missed: Sequence[MissedQuestion],
    feedback: dict[str, tuple[int, int]],
    since: datetime,
) -> str:
    """The first line: how many were not answered, by reason, and how many answers rated."""
    reasons = Counter(q.reason for q in missed)
    per_reason = ", ".join(
        f"{words(f'reason_{key}')} {reasons[key]}" for key in REASONS if key != ELSEWHERE
    )
    return words(
        "since",
        since=f"{since:%Y-%m-%d %H:%M}",
        questions=words.count("questions", len(missed) - reasons[ELSEWHERE]),
        reasons=per_reason,
        elsewhere=reasons[ELSEWHERE],
        answers=words.count("answers", sum(h + n for h, n in feedback.values())),
    )


def _widths(words: Words) -> tuple[int, list[int]]:
    """The width of the articles' column and of each reason's, as their words need."""
    label = max(_LABEL, len(words("article")) + 1, len(words("no_article")) + 1)
    return label, [words.width(f"reason_{key}", _COUNT, pad=0) for key in REASONS]


def _heading(words: Words) -> str:
    label, widths = _widths(words)
    reasons = "  ".join(
        f"{words(f'reason_{key}'):>{width}}" for key, width in zip(REASONS, widths, strict=True)
    )
    return f"{words('article'):<{label}}{reasons}  {words('rated_helpful')}"


def _gap_line(words: Words, gap: ArticleGap) -> str:
    label, widths = _widths(words)
    counts = "  ".join(
        f"{gap.missed[key]:>{width}}" for key, width in zip(REASONS, widths, strict=True)
    )
    share = gap.helpful_share
    helpful = (
        "-"
        if share is None
        else words(
            "helpful", helped=gap.helped, rated=gap.helped + gap.not_helped, share=percent(share)
        )
    )
    return f"{gap.article_id or words('no_article'):<{label}}{counts}  {helpful}"


def _agents_answers(words: Words, missed: Sequence[MissedQuestion], top: int) -> Iterator[str]:
    """Per article, the questions agents answered with it (newest first, each once): the
    bot should have found it, so they are candidates for its example questions."""
    answered: dict[str, dict[str, str]] = {}
    for question in missed:
        if question.reason == AGENT_ARTICLE and question.article_id:
            texts = answered.setdefault(question.article_id, {})
            texts.setdefault(question_key(question.text), question.text)
    if answered:
        yield words("agents_answers")
    for article, texts in sorted(answered.items(), key=lambda item: (-len(item[1]), item[0])):
        shown = ", ".join(_shown(text) for text in list(texts.values())[:top])
        more = f" ({words('more', count=len(texts) - top)})" if len(texts) > top else ""
        yield f"  {article}: {shown}{more}"


def _shown(text: str) -> str:
    """A question as a line of the report quotes it: on one line, shortened."""
    return repr(one_line(text, _SHOWN_CHARS))


def _what_happened(words: Words, question: MissedQuestion) -> str:
    reason = question.reason
    label = words(f"reason_{reason}") if reason in REASONS else reason
    if question.article_id is None:
        return label
    if reason in ("not_helped", AGENT_ARTICLE, ELSEWHERE):
        return words("happened_article", reason=label, article=question.article_id)
    confidence = "" if question.confidence is None else f" {question.confidence:.2f}"
    return words(
        "happened_nearest", reason=label, article=question.article_id, confidence=confidence
    )
