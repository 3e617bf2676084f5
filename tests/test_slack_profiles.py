"""users.info for a user's Slack profile (zone, language) is asked once per user, end to end
(signed events into the real slack-bolt code, the Web API faked): not again for Slack's
retries of an event, nor twice for two look-ups at the same time."""

from __future__ import annotations

import asyncio

from bot.adapters.slack.delivery import web_client
from bot.adapters.slack.profiles import Profile, Profiles
from bot.engine import Engine
from bot.storage.models import Ticket
from tests.fakes.slack_api import TOKEN, FakeSlackApi
from tests.test_slack import DM_EVENT, running_slack


async def test_a_retried_event_does_not_ask_for_the_profile_again(
    engine: Engine, db_url: str
) -> None:
    async with running_slack(engine, db_url) as slack:
        slow = slack.api.hold("users.info")  # Slack slow to answer: the ack is late, it retries
        event = DM_EVENT | {"text": "позовите человека"}
        assert (await slack.sender.event(event, event_id="EvSlow"))[0] == 200
        await slack.api.wait_for("users.info")
        for retry in (1, 2):
            assert (await slack.sender.event(event, event_id="EvSlow", retry=retry))[0] == 200
        slow.set()
        assert len(await slack.settle()) == 1
        assert len(slack.api.calls_to("users.info")) == 1
    assert await Ticket.all().count() == 1


async def test_look_ups_at_the_same_time_share_one_call() -> None:
    async with FakeSlackApi() as api:
        profiles = Profiles(web_client(TOKEN, base_url=api.api_url))
        api.timezones["U7"], api.locales["U7"] = "Europe/Berlin", "ru-RU"
        slow = api.hold("users.info")
        both = asyncio.gather(profiles.profile("U7"), profiles.profile("U7"))
        await api.wait_for("users.info")  # both look-ups have started by now
        slow.set()
        assert await both == [Profile("Europe/Berlin", "ru-RU")] * 2
        assert await profiles.profile("U7") == Profile("Europe/Berlin", "ru-RU")
        assert len(api.calls_to("users.info")) == 1
