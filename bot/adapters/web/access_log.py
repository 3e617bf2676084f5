"""The web server's access log without the pages' polls.

Every open chat tab asks `/api/updates` about once a second and every desk tab asks
`/api/agent/board` every 1.5 s, so aiohttp's access log (INFO) was almost nothing but those
lines: a few tabs wrote thousands an hour and buried the lines that mattered. A poll is
logged only when it goes wrong (a status of 400 or more); every other request as before.
"""

from __future__ import annotations

from typing import Final

from aiohttp.web_log import AccessLogger
from aiohttp.web_request import BaseRequest
from aiohttp.web_response import StreamResponse

__all__ = ["QuietPollsAccessLogger"]

# What pages and health checks ask again and again (GET only).
_POLLS: Final = frozenset({"/api/updates", "/api/agent/board", "/healthz"})


class QuietPollsAccessLogger(AccessLogger):
    """aiohttp's access log, less the polls that went well."""

    def log(self, request: BaseRequest, response: StreamResponse, time: float) -> None:
        """Log the request unless it is a poll answered with success."""
        if request.method == "GET" and request.path in _POLLS and response.status < 400:
            return
        super().log(request, response, time)
