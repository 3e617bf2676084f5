"""GET /healthz: whether this instance can serve, for a load balancer or a service manager;
and GET /metrics, when the composition root gives what to show there (Prometheus' format).

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

__all__ = ["TIMEOUT", "Check", "Metrics", "mount_health"]

Check = Callable[[], Awaitable[None]]  # raises when the instance cannot serve
Metrics = Callable[[], Awaitable[bytes]]  # the metrics in Prometheus' text format
_TEXT_FORMAT: Final = "text/plain; version=0.0.4; charset=utf-8"
TIMEOUT: Final = 3.0
_CHECK: Final[web.AppKey[Check | None]] = web.AppKey("health_check")
_METRICS: Final[web.AppKey[Metrics]] = web.AppKey("metrics")

log = logging.getLogger(__name__)


def mount_health(app: web.Application, check: Check | None, metrics: Metrics | None) -> None:
    app[_CHECK] = check
    app.router.add_get("/healthz", _healthz)
    if metrics is not None:
        app[_METRICS] = metrics
        app.router.add_get("/metrics", _metrics)


async def _metrics(request: web.Request) -> web.Response:
    body = await request.app[_METRICS]()
    return web.Response(body=body, headers={"Content-Type": _TEXT_FORMAT})


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
