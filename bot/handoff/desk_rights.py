"""Who may do what to a request on the desk: an agent of its team, and for most actions on
an active request its owner (any of the team's agents may correct its priority). A refusal
is what the desk shows the agent.
"""

from __future__ import annotations

from tortoise.expressions import Q

from bot.handoff.agents import agent_name
from bot.handoff.cards import CARD
from bot.handoff.desk_port import DeskAction
from bot.handoff.queue import Queue, desk_address
from bot.storage.models import ACTIVE_HANDOFF, Handoff, OutboxMessage

__all__ = ["refusal_of"]


async def refusal_of(
    queue: Queue, handoff: Handoff | None, who: str, action: DeskAction
) -> str | None:
    """Why agent `who` may not do `action` on `handoff` (None: they may): no such request,
    another team's, no longer active, or another agent's."""
    t = queue.desk_text
    if handoff is None:
        return t("desk_not_found")
    team = queue.teams.named(handoff.team)
    if team is None or not team.serves(who):
        return await _not_theirs(queue, handoff)
    if action.kind == "claim" or action.kind == "note":
        return None
    if handoff.status not in ACTIVE_HANDOFF:
        return queue.wrong_state(handoff)
    # a priority is the team's judgement, not the chat's: any of its agents may correct it
    owner_only = action.kind in ("reply", "kb", "close") or handoff.status == "claimed"
    owner_only = owner_only and action.kind != "priority"
    if owner_only and handoff.agent != who:
        if handoff.agent is None:
            return queue.wrong_state(handoff)
        return t("desk_not_yours", id=handoff.id, agent=await agent_name(handoff.agent))
    return None


async def _not_theirs(queue: Queue, handoff: Handoff) -> str:
    """Refused to an agent of another team: one pressing the card a transfer left on their
    desk is told where the request went."""
    if await _moved_away(handoff):
        return queue.desk_text("desk_not_agent_moved", id=handoff.id, team=handoff.team)
    return queue.desk_text("desk_not_agent")


async def _moved_away(handoff: Handoff) -> bool:
    """Whether `handoff` had a card on a desk other than its own now: a transfer moved it."""
    platform, chat = desk_address(handoff.desk, handoff.team)
    here = Q(platform=platform, chat_id=chat)
    return await OutboxMessage.filter(~here, handoff_id=handoff.id, kind=CARD).exists()
