"""The text `helpdesk-bot kb eval` prints for an `evaluate` result (`evaluate.py` says what
each figure means)."""

from __future__ import annotations

from typing import Any

__all__ = ["format_report"]


def _show(value: object) -> str:
    if value is None:
        return "n/a"
    if isinstance(value, float):
        return f"{value:.3f}"
    return str(value)


def format_report(result: dict[str, Any], *, verbose: bool = True) -> str:
    """A human-readable report of an `evaluate` result, with what each confidence band meant;
    `verbose` adds the threshold sweep and the most confident wrong answers."""
    lines = _summary(result)
    if verbose:
        lines.extend(_trade_offs(result))
    return "\n".join(lines)


def _summary(result: dict[str, Any]) -> list[str]:
    bands = result["bands"]
    calibration = ", ".join(
        f"{band['from']:.1f}+ {_show(band['right'])} ({band['questions']})"
        for band in result["calibration"]
    )
    return [
        f"questions: {result['n_queries']} "
        f"({result['n_answerable']} answerable, {result['n_out_of_scope']} out of scope)",
        f"top-1 accuracy: {_show(result['top1'])}   MRR: {_show(result['mrr'])}",
        f"at answer ≥ {result['answer_threshold']:.2f}, suggest ≥ "
        f"{result['suggest_threshold']:.2f}:",
        f"  in-scope accuracy: {_show(result['inscope_accuracy'])}"
        f"   out-of-scope recall: {_show(result['oos_recall'])}{_elsewhere(result)}",
        f"  abstention precision: {_show(result['abstain_precision'])}"
        f"   recall: {_show(result['abstain_recall'])}",
        f"  bands: answer {bands['answer']}, suggest {bands['suggest']}, none {bands['none']}",
        f"time per question: p50 {result['p50_ms']:.2f} ms, p99 {result['p99_ms']:.2f} ms",
        f"right at each confidence: {calibration}",
        *_by_language(result.get("by_language", {})),
    ]


def _questions(count: int) -> str:
    return f"{count} question" if count == 1 else f"{count} questions"


def _by_language(parts: dict[str, dict[str, Any]]) -> list[str]:
    """A line per language of a set in both, under a heading; nothing for one language."""
    lines = [
        f"  {language}: {_questions(part['n_queries'])}, top-1 {_show(part['top1'])},"
        f" in-scope accuracy {_show(part['inscope_accuracy'])},"
        f" out-of-scope recall {_show(part['oos_recall'])}"
        for language, part in parts.items()
    ]
    return ["by language:", *lines] if lines else []


def _elsewhere(result: dict[str, Any]) -> str:
    sent = result.get("sent_elsewhere", 0)
    return f" ({sent} of them sent elsewhere)" if sent else ""


def _trade_offs(result: dict[str, Any]) -> list[str]:
    """The threshold sweep and the most confident wrong answers."""
    lines = ["other answer thresholds (in-scope accuracy, out-of-scope recall, wrong):"]
    lines.extend(
        f"  {row['threshold']:.2f}: {_show(row['inscope_accuracy'])}"
        f"  {_show(row['oos_recall'])}  {row['wrong_answers']}"
        for row in result["sweep"]
    )
    if result["mistakes"]:
        lines.append("most confident wrong answers:")
        lines.extend(
            f"  {m['confidence']:.2f} {m['answered']} ← {m['text']!r}"
            f" (expected: {', '.join(m['expected']) or 'no answer'})"
            for m in result["mistakes"]
        )
    return lines
