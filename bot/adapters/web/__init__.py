"""The local web chat adapter: a browser page and a JSON API around the core's handler.

`create_web_app(handler)` builds the aiohttp application (other adapters may add routes to
it); `serve(app, host, port)` starts it and `bound_port(runner)` tells where it listens.
"""

from __future__ import annotations

from bot.adapters.web.agent import AgentAuth
from bot.adapters.web.server import DEFAULT_TITLE, Handler, bound_port, create_web_app, serve

__all__ = ["DEFAULT_TITLE", "AgentAuth", "Handler", "bound_port", "create_web_app", "serve"]
