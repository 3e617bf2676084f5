"""A page of the web chat shows every message of its chat it has not shown yet, whatever
its delivery: one another tab of the chat fetched and showed, one given up because no page
fetched it within UNFETCHED (the tab was left asleep for a week); each once."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta

from bot.adapters.web.updates import UNFETCHED
from bot.serving import housekeeping
from tests.handoff_support import World
from tests.test_handoff_web import Client, act, agent, call, user, world  # noqa: F401 - fixtures
from tests.test_web_unfetched import joined, served, to_visitor


@dataclass
class Tab:
    """A page of the chat, as chat-updates.js polls: it says which messages it has shown
    (`ack`) and up to which one it has the chat's (`after`, from the answer before)."""

    client: Client
    shown: list[int] = field(default_factory=list)
    after: int | None = None

    async def poll(self) -> list[str]:
        """What the next poll brings the page (its text)."""
        query = f"ack={','.join(map(str, self.shown))}"
        if self.after is not None:
            query += f"&after={self.after}"
        status, data = await call(self.client, "GET", f"/api/updates?{query}")
        assert status == 200
        self.shown = [reply["id"] for reply in data["replies"]]
        self.after = data.get("after")
        return [reply["html"] for reply in data["replies"]]


async def test_a_tab_asleep_past_the_window_shows_the_reply_given_up(
    world: World,  # noqa: F811
    user: Client,  # noqa: F811
    agent: Client,  # noqa: F811
) -> None:
    """Its poll took pending messages only: a tab left open (asleep) for over a week never
    showed the agent's reply given up as unfetched meanwhile."""
    handoff = await served(user, agent)
    tab = Tab(user)
    [greeting] = await tab.poll()
    assert "has joined" in greeting and await tab.poll() == []  # and its receipt
    assert (await act(agent, "reply", handoff, text="Try again"))["ok"]
    world.clock.now = late = (await joined()).created_at + UNFETCHED + timedelta(hours=1)
    await housekeeping(late)
    assert await to_visitor().filter(status="failed").count() == 1

    [late_reply] = await tab.poll()

    assert "Try again" in late_reply
    assert await tab.poll() == []  # once
    assert await to_visitor().filter(status="failed").count() == 1  # still given up


async def test_a_tab_shows_what_another_tab_of_the_chat_fetched(
    world: World,  # noqa: F811
    user: Client,  # noqa: F811
    agent: Client,  # noqa: F811
) -> None:
    """The tab that fetched a message passes it on to the others (chat-updates.js); a tab
    asleep then, or whose passing-on got lost, never showed it: its poll did not bring it."""
    handoff = await served(user, agent)
    awake, asleep = Tab(user), Tab(user)
    assert len(await awake.poll()) == 1  # "has joined"
    assert await asleep.poll() == []  # leased to the awake tab, which shows it
    assert (await act(agent, "reply", handoff, text="Try again"))["ok"]
    [reply] = await awake.poll()  # its receipt for "has joined" too: delivered

    [greeting] = await asleep.poll()  # the reply is the awake tab's for now: not yet

    assert "has joined" in greeting
    assert await awake.poll() == []  # its receipt for the reply
    assert await asleep.poll() == [reply]
    assert await asleep.poll() == [] and await awake.poll() == []  # each once
    assert set(await to_visitor().values_list("status", flat=True)) == {"sent"}
