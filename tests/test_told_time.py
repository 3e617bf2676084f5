"""How a user is told a time: on its day or the next in their zone, by the words for them."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from bot.phrases import load_phrases
from bot.zones import told_time

NOW = datetime(2026, 11, 25, 9, 0, tzinfo=UTC)  # 12:00 on Wednesday in Moscow


@pytest.mark.parametrize(
    ("moment", "language", "told"),
    [
        (datetime(2026, 11, 25, 13, tzinfo=UTC), "en", "16:00 today (Europe/Moscow)"),
        (datetime(2026, 11, 25, 13, tzinfo=UTC), "ru", "16:00 сегодня (Europe/Moscow)"),
        (datetime(2026, 11, 26, 6, tzinfo=UTC), "en", "09:00 tomorrow (Europe/Moscow)"),
        (datetime(2026, 11, 26, 6, tzinfo=UTC), "ru", "09:00 завтра (Europe/Moscow)"),
        # Wednesday 22:00 UTC is already Thursday in Moscow: tomorrow there.
        (datetime(2026, 11, 25, 22, tzinfo=UTC), "en", "01:00 tomorrow (Europe/Moscow)"),
        # A later day, or one gone by, by its date.
        (datetime(2026, 11, 27, 15, tzinfo=UTC), "en", "2026-11-27 18:00 (Europe/Moscow)"),
        (datetime(2026, 11, 24, 15, tzinfo=UTC), "ru", "2026-11-24 18:00 (Europe/Moscow)"),
    ],
)
def test_a_time_today_or_tomorrow_is_told_so(moment: datetime, language: str, told: str) -> None:
    assert told_time(moment, "Europe/Moscow", load_phrases().days(language, NOW)) == told


def test_today_is_the_users_day_not_utcs() -> None:
    """At 23:30 UTC on Wednesday it is Thursday morning in Moscow: 11:00 there is today."""
    late = datetime(2026, 11, 25, 23, 30, tzinfo=UTC)
    days = load_phrases().days("en", late)
    assert told_time(datetime(2026, 11, 26, 8, tzinfo=UTC), "Europe/Moscow", days) == (
        "11:00 today (Europe/Moscow)"
    )
    assert told_time(datetime(2026, 11, 26, 8, tzinfo=UTC), "UTC", days) == "08:00 tomorrow (UTC)"
