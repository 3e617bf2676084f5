"""The Slack adapter: slack-bolt's AsyncApp over HTTP (Events API) or Socket Mode.

`SlackChannel(core, ...)` is built by the composition root from the settings; `mount` adds
POST /slack/events to the web server, `start` connects. Conversion lives in `convert.py`
(pure), sending in `delivery.py`, the work after each acknowledgement in `dispatch.py`.
"""

from __future__ import annotations

from bot.adapters.slack.bolt import COMMAND
from bot.adapters.slack.channel import EVENTS_PATH, SlackChannel
from bot.adapters.slack.desk_convert import COMMAND_MARK
from bot.adapters.slack.setup import DeskSetup

__all__ = ["COMMAND", "COMMAND_MARK", "EVENTS_PATH", "DeskSetup", "SlackChannel"]
