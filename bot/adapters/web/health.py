"""GET /healthz: whether this instance can serve, for a load balancer or a service manager.

With a `check` (the composition root gives the database's), the answer is 200 only while the
check passes within `TIMEOUT` seconds, and 503 otherwise, so a balancer stops sending users
to an instance that has lost its database. What failed is logged, not shown: the address may
be public.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from typing import Final

from aiohttp import web

__all__ = ["TIMEOUT", "Check", "mount_health"]

Check = Callable[[], Awaitable[None]]  # raises when the instance cannot serve
TIMEOUT: Final = 3.0
_CHECK: Final[web.AppKey[Check | None]] = web.AppKey("health_check")

log = logging.getLogger(__name__)


def mount_health(app: web.Application, check: Check | None) -> None:
    app[_CHECK] = check
    app.router.add_get("/healthz", _healthz)


async def _healthz(request: web.Request) -> web.Response:
    check = request.app[_CHECK]
    if check is not None:
        try:
            async with asyncio.timeout(TIMEOUT):
                await check()
        except Exception as exc:  # whatever it is, this instance cannot serve now
            log.warning("health check failed: %s: %s", type(exc).__name__, exc)
            return web.json_response({"status": "unavailable"}, status=503)
    return web.json_response({"status": "ok"})
