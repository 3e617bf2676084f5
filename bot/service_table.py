"""The service report's table of requests for a person (`bot/service_text.py`): its
columns as wide as their headings need in the report's language, so that a Cyrillic heading
longer than an English one still stands above its numbers."""

from __future__ import annotations

from bot.report_words import Words
from bot.service import Levels

__all__ = ["LABEL", "RequestsTable", "rating"]

LABEL = 28  # the width of a row's name, at least
# The columns of the requests' rows: each heading's key and the width of its numbers.
_COUNTS = (("asked", 6), ("taken", 7), ("ticketed", 8), ("left", 6), ("waiting", 9))


class RequestsTable:
    """The table of requests for a person, its columns as wide as their headings need."""

    def __init__(self, words: Words) -> None:
        self.words = words
        self.label = words.width("requests_heading", LABEL)
        self.counts = [(key, words.width(key, at_least)) for key, at_least in _COUNTS]
        self.response = words.width("first_response_heading", 30, pad=0)

    def header(self) -> str:
        words = self.words
        counts = "".join(f"{words(key):>{width}}" for key, width in self.counts)
        return (
            f"{words('requests_heading'):<{self.label}}{counts}"
            f"  {words('first_response_heading'):<{self.response}}  {words('rating')}"
        )

    def row(self, name: str, figures: Levels) -> str:
        response = figures.first_response
        shown = (
            "-"
            if response is None
            else f"{self._minutes(response[0])} / {self._minutes(response[1])}"
        )
        values = (figures.requests, figures.taken, figures.ticketed, figures.left, figures.waiting)
        counts = "".join(f"{v:>{w}}" for v, (_, w) in zip(values, self.counts, strict=True))
        return f"{name:<{self.label}}{counts}  {shown:<{self.response}}  {rating(figures)}"

    def _minutes(self, value: float) -> str:
        if value < 1:
            return self.words("under_a_minute")
        return self.words("minutes", minutes=f"{value:.0f}")


def rating(figures: Levels) -> str:
    """Such as "4.5 (12)": the mean rating and how many rated; "-" if none did."""
    return "-" if figures.rating is None else f"{figures.rating[0]:.1f} ({figures.rating[1]})"
