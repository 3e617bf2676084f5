"""The KB's gaps, for support leads (`helpdesk-bot kb gaps`).

The questions the KB did not answer (no match, "none of these", "didn't help", and those an
agent then answered with an article, `!kb`), counted by the article they came nearest to, that
did not help, or that the agent sent; each article's "Helped" / "Didn't help" tally; and the
questions asked most often. `labelling_template` writes the questions as lines of `kb eval`'s
format, to be labelled and kept as a test set for the KB: where an agent sent an article, it
is already filled in as the expected one (and a good new example question for it).
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime

from bot.handoff.articles import AGENT_ARTICLE
from bot.handoff.text import one_line
from bot.knowledge.jsonl import UNLABELLED
from bot.shares import percent
from bot.storage.reports import MissedQuestion
from bot.turns import ELSEWHERE

__all__ = ["ArticleGap", "by_article", "format_gaps", "frequent", "labelling_template"]

REASONS = (
    ("no_match", "no match"),
    ("none_of_these", "none of these"),
    ("not_helped", "didn't help"),
    (AGENT_ARTICLE, "agent sent"),
    (ELSEWHERE, "sent elsewhere"),
)
_NO_ARTICLE = "(none near)"
_SHOWN_CHARS = 100  # of a question in a line of the report (a pasted log is thousands)


@dataclass(slots=True)
class ArticleGap:
    """One article's misses by reason and its feedback."""

    article_id: str | None
    missed: Counter[str] = field(default_factory=Counter)
    helped: int = 0
    not_helped: int = 0

    @property
    def helpful_share(self) -> float | None:
        rated = self.helped + self.not_helped
        return self.helped / rated if rated else None


def by_article(
    missed: Sequence[MissedQuestion], feedback: dict[str, tuple[int, int]], *, near: float = 0.0
) -> list[ArticleGap]:
    """Articles with misses or feedback: most misses first, then the least helpful. A question
    with no match counts for its nearest article only if it came `near` (the suggest
    threshold): "кто выиграл матч вчера" at 0.03 is no gap of the article it happened to
    score highest on."""
    gaps: dict[str | None, ArticleGap] = {}
    for question in missed:
        article = _near(question, near)
        gap = gaps.setdefault(article, ArticleGap(article))
        gap.missed[question.reason] += 1
    for article, (helped, not_helped) in feedback.items():
        gap = gaps.setdefault(article, ArticleGap(article))
        gap.helped, gap.not_helped = helped, not_helped

    def order(gap: ArticleGap) -> tuple[int, int, float, str]:
        share = gap.helpful_share
        missed = gap.missed.total() - gap.missed[ELSEWHERE]  # sent elsewhere: not a gap
        return (
            -missed,
            -gap.missed[ELSEWHERE],
            1.0 if share is None else share,
            gap.article_id or "",
        )

    return sorted(gaps.values(), key=order)


def _near(question: MissedQuestion, near: float) -> str | None:
    """The article a missed question counts for (None: none came near)."""
    weak = question.reason == "no_match" and (question.confidence or 0.0) < near
    return None if weak else question.article_id


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}" if number == 1 else f"{number} {noun}s"


def frequent(missed: Sequence[MissedQuestion], limit: int) -> list[tuple[int, MissedQuestion]]:
    """The questions asked most often (same words, any case or spacing), each with its count
    and its newest asking; ties go to the newer."""
    counts: Counter[str] = Counter()
    newest: dict[str, MissedQuestion] = {}
    for question in missed:  # newest first
        key = _key(question.text)
        counts[key] += 1
        newest.setdefault(key, question)
    keys = sorted(counts, key=lambda k: (-counts[k], -newest[k].at.timestamp()))
    return [(counts[k], newest[k]) for k in keys[:limit]]


def format_gaps(
    missed: Sequence[MissedQuestion],
    feedback: dict[str, tuple[int, int]],
    *,
    since: datetime,
    top: int = 15,
    near: float = 0.0,
) -> str:
    """The report as text (`near`: see `by_article`)."""
    reasons = Counter(q.reason for q in missed)
    rated = sum(h + n for h, n in feedback.values())
    per_reason = ", ".join(f"{label} {reasons[key]}" for key, label in REASONS if key != ELSEWHERE)
    lines = [
        f"since {since:%Y-%m-%d %H:%M} UTC: {_count(len(missed) - reasons[ELSEWHERE], 'question')}"
        f" not answered ({per_reason}); {reasons[ELSEWHERE]} sent elsewhere;"
        f" {_count(rated, 'answer')} rated"
    ]
    gaps = by_article(missed, feedback, near=near)
    if gaps:
        header = "  ".join(f"{label:>13}" for _, label in REASONS)
        lines.append(f"{'article':<28}{header}  rated helpful")
    for gap in gaps:
        counts = "  ".join(f"{gap.missed[key]:>13}" for key, _ in REASONS)
        share = gap.helpful_share
        helpful = (
            "-"
            if share is None
            else f"{gap.helped} of {gap.helped + gap.not_helped} ({percent(share)})"
        )
        lines.append(f"{gap.article_id or _NO_ARTICLE:<28}{counts}  {helpful}")
    asked = frequent(missed, top)
    if asked:
        lines.append("asked most often:")
    for count, question in asked:
        lines.append(f"  {count:>3}× {_shown(question.text)}  ({_what_happened(question)})")
    lines.extend(_agents_answers(missed, top))
    return "\n".join(lines)


def _agents_answers(missed: Sequence[MissedQuestion], top: int) -> Iterator[str]:
    """Per article, the questions agents answered with it (newest first, each once): the
    bot should have found it, so they are candidates for its example questions."""
    answered: dict[str, dict[str, str]] = {}
    for question in missed:
        if question.reason == AGENT_ARTICLE and question.article_id:
            texts = answered.setdefault(question.article_id, {})
            texts.setdefault(_key(question.text), question.text)
    if answered:
        yield "answered by agents with an article (add them to its example questions):"
    for article, texts in sorted(answered.items(), key=lambda item: (-len(item[1]), item[0])):
        shown = ", ".join(_shown(text) for text in list(texts.values())[:top])
        more = f" (+{len(texts) - top} more)" if len(texts) > top else ""
        yield f"  {article}: {shown}{more}"


def labelling_template(missed: Sequence[MissedQuestion]) -> Iterator[str]:
    """One `kb eval` line per question (the same words once), with what the bot did.
    `expected` is the article an agent sent for it, if one did (several: a list); else
    `UNLABELLED`, for a person to replace with the id of the article that should answer it (or
    null if none should: null left for them would read as that), `nearest` their hint."""
    sent: dict[str, set[str]] = {}
    for question in missed:
        if question.reason == AGENT_ARTICLE and question.article_id:
            sent.setdefault(_key(question.text), set()).add(question.article_id)
    written: set[str] = set()
    for question in missed:  # newest first: each question's newest asking is written
        key = _key(question.text)
        if key in written:
            continue
        written.add(key)
        ids = sorted(sent.get(key, []))
        yield json.dumps(
            {
                "text": question.text,
                "expected": (ids[0] if len(ids) == 1 else ids) if ids else UNLABELLED,
                "reason": question.reason,
                "nearest": question.article_id,
                "confidence": question.confidence,
                "language": question.language,
                "at": question.at.isoformat(),
            },
            ensure_ascii=False,
        )


def _shown(text: str) -> str:
    """A question as a line of the report quotes it: on one line, shortened."""
    return repr(one_line(text, _SHOWN_CHARS))


def _key(text: str) -> str:
    """The same words, whatever their case or spacing."""
    return " ".join(text.casefold().split())


def _what_happened(question: MissedQuestion) -> str:
    label = dict(REASONS).get(question.reason, question.reason)
    if question.article_id is None:
        return label
    if question.reason in ("not_helped", AGENT_ARTICLE, ELSEWHERE):
        return f"{label}: {question.article_id}"
    confidence = "" if question.confidence is None else f" {question.confidence:.2f}"
    return f"{label}; nearest {question.article_id}{confidence}"
