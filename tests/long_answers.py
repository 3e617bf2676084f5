"""A KB of one long article, for the tests of answers sent as several platform messages."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

__all__ = ["SLACK_PARAGRAPHS", "STEPS", "long_guide_kb"]

LONG_ARTICLE = """---
id: long-guide
title:
  ru: Длинная инструкция
  en: Long guide
questions:
  ru: [длинная инструкция по настройке, как всё настроить, полная настройка рабочего места,
       настройка с нуля, инструкция для новичка, пошаговая настройка]
  en: [long setup guide, how to set everything up, full workplace setup, setup from scratch,
       guide for beginners, step by step setup]
tags: [setup]
---
## ru
{answer}

## en
{answer}
"""

# Over 5,000 characters, with markup to balance and escape: several Telegram messages.
STEPS = [f"**Шаг {n}.** Откройте `app-{n}` & проверьте <настройки> " * 3 for n in range(45)]
# A section each (two would pass Slack's 3,000 characters), and more than a message's 50
# blocks: two Slack messages.
SLACK_PARAGRAPHS = [f"Step {n:02d}: " + "check the settings " * 84 for n in range(60)]


def long_guide_kb(folder: Path, paragraphs: Sequence[str] = STEPS) -> Path:
    """A KB in `folder` whose one article ("длинная инструкция по настройке", "long setup
    guide") answers with `paragraphs`, in Russian and in English."""
    kb = folder / "kb"
    kb.mkdir()
    answer = "\n\n".join(paragraphs)
    (kb / "long-guide.md").write_text(LONG_ARTICLE.format(answer=answer), "utf-8")
    return kb
