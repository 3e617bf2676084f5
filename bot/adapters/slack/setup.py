"""What a `SlackChannel` is built from besides the bot's token: the desk's set-up (`DeskSetup`,
from the composition root), the outbox sender every channel runs, and the agents' desk."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

from bot.adapters.slack.convert import PLATFORM
from bot.adapters.slack.delivery import Sender
from bot.adapters.slack.desk import SlackDesk
from bot.adapters.slack.files import SlackFiles
from bot.adapters.slack.profiles import Profiles
from bot.adapters.slack.relay import OutboxSender, outbox_client
from bot.files import FileSource, FileSources
from bot.handoff.desk_port import DeskPort
from bot.handoff.inbox import DeskInbox
from bot.handoff.outbox import DbOutbox
from bot.handoff.outbox_port import Outbox
from bot.pacing import Pace

__all__ = ["DeskSetup", "desk_for", "outbox_sender"]


@dataclass(frozen=True, slots=True)
class DeskSetup:
    """Live-agent handoff on Slack: the outbox to deliver, and the desk channels (ids) with
    the core's desk and the command syntax shown to agents; with `inbox`, agents' events are
    recorded before the ack."""

    outbox: Outbox
    port: DeskPort | None = None
    channels: frozenset[str] = frozenset()
    usage: str = ""
    every: timedelta = timedelta(seconds=1)
    files: FileSource | None = None  # fetches other platforms' files (Slack's own if None)
    inbox: DeskInbox | None = None


def outbox_sender(
    setup: DeskSetup | None, token: str, api_url: str, own: SlackFiles, pacer: Pace
) -> OutboxSender:
    """The desk's outbox sender; without a desk, one for the bot's replies only."""
    setup = setup or DeskSetup(DbOutbox())
    client = outbox_client(token, base_url=api_url)
    files = setup.files or FileSources({PLATFORM: own})
    return OutboxSender(setup.outbox, client, every=setup.every, files=files, pacer=pacer)


def desk_for(
    setup: DeskSetup | None,
    sender: Sender,
    wake: Callable[[], None],
    *,
    profiles: Profiles | None = None,
) -> SlackDesk | None:
    """The agents' desk in the set-up's channels; None without a desk port or channels.
    `profiles`: where agents' names come from (else they are named by their ids)."""
    if setup is None or setup.port is None or not setup.channels:
        return None
    return SlackDesk(
        setup.port,
        sender,
        desks=setup.channels,
        usage=setup.usage,
        wake=wake,
        inbox=setup.inbox,
        profiles=profiles,
    )
