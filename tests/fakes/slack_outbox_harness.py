"""A fixture for the Slack tests of what the outbox sends later, `slack_outbox`: the database
outbox on a clock the test moves, spied on, and the channel's setup that runs its sender
every 0.05 s with no desk (for `running_slack`'s `desk=`). Loaded with `pytest_plugins`; the
name says Slack, as loaded plugins share one namespace with the Telegram harnesses'
`outbox`. Tests import nothing from it (pytest then rewrites its asserts): the fixture's
type, `OutboxSide`, is in `slack_harness.py`."""

from __future__ import annotations

from datetime import timedelta

import pytest

from bot.adapters.slack import DeskSetup
from bot.handoff import DbOutbox
from tests.fakes.outbox import AheadClock, SpyOutbox
from tests.fakes.slack_harness import OutboxSide

__all__ = ["slack_outbox"]


@pytest.fixture
def slack_outbox() -> OutboxSide:
    clock = AheadClock()
    outbox = SpyOutbox(DbOutbox(clock=clock))
    return OutboxSide(clock, outbox, DeskSetup(outbox, every=timedelta(seconds=0.05)))
