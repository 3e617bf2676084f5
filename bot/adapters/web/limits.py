"""How often the web pages' API may be called, per caller, in this process.

Every message is a database transaction and a match, and the agents' page invites password
guessing, so `WebLimits` holds two sliding windows: messages per browser session (no person
writes 30 a minute) and failed agent logins per address. Behind a reverse proxy every caller
has the proxy's address, so the login limit then holds for all callers together (10 failed
logins a minute). Requests without a session cookie, each making a new web user, are not
limited here: behind a proxy that would refuse a whole office at once; limit them at the
proxy if the chat is public. With several instances each keeps its own counts.
"""

from __future__ import annotations

import math
import time
from collections import OrderedDict, deque
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Final

from aiohttp import web

__all__ = ["LIMITS", "WebLimits", "Window", "too_many"]

_KEYS = 10_000  # callers remembered per window; the least recently seen are forgotten first


class Window:
    """At most `count` events per key in any `seconds` (a sliding window)."""

    def __init__(
        self, count: int, seconds: float = 60.0, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.count, self.seconds, self.clock = count, seconds, clock
        self._events: OrderedDict[str, deque[float]] = OrderedDict()

    def wait(self, key: str) -> float:
        """0 when `key` may act now, else the seconds until it may; nothing is counted."""
        now = self.clock()
        events = self._recent(key, now)
        return 0.0 if len(events) < self.count else events[0] + self.seconds - now

    def add(self, key: str) -> None:
        """Count one event of `key`."""
        now = self.clock()
        self._recent(key, now).append(now)

    def take(self, key: str) -> float:
        """`wait`, and when it is 0, count the event too."""
        wait = self.wait(key)
        if not wait:
            self.add(key)
        return wait

    def _recent(self, key: str, now: float) -> deque[float]:
        """The events of `key` still in the window at `now`; `key` is now the one seen last."""
        events = self._events.setdefault(key, deque())
        self._events.move_to_end(key)
        while len(self._events) > _KEYS:
            self._events.popitem(last=False)
        while events and events[0] <= now - self.seconds:
            events.popleft()
        return events


@dataclass(frozen=True)
class WebLimits:
    """The web API's limits (see the module's docstring)."""

    messages: Window = field(default_factory=lambda: Window(30))  # per session, a minute
    logins: Window = field(default_factory=lambda: Window(10))  # failed ones per address


LIMITS: Final[web.AppKey[WebLimits]] = web.AppKey("web_limits")


def too_many(wait: float) -> web.Response:
    """429 with Retry-After: the caller may try again in `wait` seconds."""
    headers = {"Retry-After": str(max(1, math.ceil(wait)))}
    return web.json_response(
        {"error": "too many requests: wait and try again"}, status=429, headers=headers
    )
