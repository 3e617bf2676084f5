"""users.info for a user's Slack profile (zone, language) is asked once per user, end to end
(signed events into the real slack-bolt code, the Web API faked): not again for Slack's
retries of an event, nor twice for two look-ups at the same time."""

from __future__ import annotations

import asyncio
from datetime import timedelta

from bot.adapters.slack.delivery import web_client
from bot.adapters.slack.profiles import Profile, Profiles
from bot.engine import Engine
from bot.messages import IncomingMessage, Reply
from bot.storage.models import Ticket
from tests.fakes.slack_api import TOKEN, FakeSlackApi
from tests.test_slack import DM_EVENT, GatedCore, running_slack


class DiesBeforeItsTurn(GatedCore):
    """The engine, but the instance stops after the first message's ack, before its turn;
    the texts of the turns it runs are kept."""

    def __init__(self, engine: Engine) -> None:
        super().__init__(engine)
        self.texts: list[str] = []

    async def handle(self, message: IncomingMessage, *, durable: bool = False) -> list[Reply]:
        if not self.gate.is_set():
            self.gate.set()
            raise asyncio.CancelledError
        self.texts.append(message.text)
        return await self.engine.handle(message, durable=durable)


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


async def test_a_message_recovered_after_a_crash_names_the_people_it_mentions(
    engine: Engine, db_url: str
) -> None:
    """Slack sends a mention as "<@U0CAROL>": the turn recovered after a crash reads
    "@Carol Jones", as the turn run at once does, not "@U0CAROL"."""
    core = DiesBeforeItsTurn(engine)
    async with running_slack(engine, db_url, core=core) as slack:
        slack.api.names["U0CAROL"] = "Carol Jones"
        assert (await slack.dm("<@U0CAROL> has the same vpn problem"))[0] == 200
        assert await slack.settle() == []  # acknowledged, then the instance died
        assert await slack.channel.recover(older_than=timedelta(0)) == 1
        await slack.settle()
    assert core.texts == ["@Carol Jones has the same vpn problem"]
