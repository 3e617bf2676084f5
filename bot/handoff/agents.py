"""How texts name an agent: by the name their platform shows ("Bob Smith"), kept from their
last desk action, and by their id only while no name is known.

Who may act is decided on the agent's id ("platform:user id"); a name is for the texts
alone, so a wrong or missing one never grants or denies anything.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime, timedelta
from typing import Final

from bot.markdown import literal
from bot.storage.models import Agent

__all__ = ["agent_label", "agent_labels", "agent_name", "remember_name"]

_NAME_CHARS: Final = 200  # the column's size
_REFRESH: Final = timedelta(hours=1)  # well within a retention period (whole days)


async def remember_name(agent: str, name: str) -> None:
    """Keep `name` as agent `agent`'s. Written only when it is new or changed, or was written
    over _REFRESH ago (retention keeps a name while its agent acts, by `updated_at`): every
    desk action passes the name, and on SQLite each write takes the database's lock. The
    write is one statement, so two first actions at once agree."""
    name = " ".join(name.split())[:_NAME_CHARS]
    if not name:
        return
    kept = await Agent.filter(key=agent).first().values_list("name", "updated_at")
    if kept is not None and kept[0] == name and kept[1] > datetime.now(UTC) - _REFRESH:
        return
    await Agent.bulk_create(
        [Agent(key=agent, name=name)], on_conflict=["key"], update_fields=["name", "updated_at"]
    )


async def agent_name(agent: str | None) -> str:
    """How agent `agent` is named in a phrase, which is Markdown: their name as typed (a
    "*" or "_" in it stays one)."""
    return literal((await agent_labels([agent]))[agent] if agent else "-")


async def agent_labels(agents: Iterable[str]) -> dict[str, str]:
    """Each agent's name as plain text (a board's card, a note's line), else their id."""
    wanted = set(agents)
    found = dict(await Agent.filter(key__in=wanted).values_list("key", "name")) if wanted else {}
    return {agent: str(found.get(agent) or agent_label(agent)) for agent in wanted}


def agent_label(agent: str | None) -> str:
    """An agent's id as plain text, for one whose name is not known: "42" of "telegram:42"
    (the web desk's agents log in with their name, which is their id)."""
    return (agent or "").partition(":")[2] or "-"
