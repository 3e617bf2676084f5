"""A share as the reports print it, in whole percent."""

from __future__ import annotations

__all__ = ["percent"]


def percent(share: float) -> str:
    """Such as "75%"; a share that is not all (or not none) never reads "100%" (or "0%"):
    199 of 200 met is ">99%", so one miss never shows as a perfect score."""
    shown = f"{share:.0%}"
    if shown == "100%" and share < 1:
        return ">99%"
    if shown == "0%" and share > 0:
        return "<1%"
    return shown
