"""An outage's first report ended unsolved (its user left the queue, blocked the bot, or
withdrew its ticket), but the outage is still there: the earliest report that joined it
(`outages.py`) takes its place, and the others join that one. On duty it queues, with a card
of its own; off duty it becomes a ticket, as a request does then.
"""

from __future__ import annotations

from tortoise.transactions import in_transaction

from bot.handoff.desk_card import post_card
from bot.handoff.outages import hold_outage
from bot.handoff.queue import Queue, load_related, serving_order
from bot.handoff.ticket_notice import off_hours_ticket
from bot.storage.models import LINKED, Handoff

__all__ = ["hand_over", "hand_over_ticket"]


async def hand_over(queue: Queue, gone: Handoff, *, was_waiting: bool = False) -> bool:
    """Request `gone` ended unsolved (its user left: /cancel, or blocked the bot), but the
    outage it reported is still there: the earliest report joined to it queues in its stead
    (a card naming the others, now joined to it), its user told so; those waiting behind
    are told what changed for them. False: nobody had joined it."""
    heir = await _heir(queue, gone, "waiting")
    if heir is None:
        return False
    await post_card(queue, heir)
    if was_waiting:  # one left and one came in: only those between the two moved up
        before = serving_order(heir)
        await queue.announce_places(heir.team, after=gone, before=before)
    else:
        await queue.announce_places(heir.team, after=heir)  # those it came in ahead of
    place = await queue.place(heir)
    minutes = await queue.minutes(heir.team, place)
    await queue.tell_wait(heir, "outage_handed_over", place=place, minutes=minutes)
    return True


async def hand_over_ticket(queue: Queue, number: int) -> None:
    """Ticket `number` was withdrawn by its user: the reports joined to its first request
    take it over (queued while the team is on duty, else a ticket of their own)."""
    joined = Handoff.filter(linked_to__ticket_id=number, status=LINKED)
    report = await joined.order_by("id").first()
    if report is None or report.linked_to_id is None:
        return
    gone = await Handoff.get(id=report.linked_to_id)
    team = queue.teams.named(gone.team)
    if team is not None and team.is_open(queue.clock()):
        await hand_over(queue, gone)
        return
    heir = await _heir(queue, gone, LINKED)  # not "waiting": it takes no place on its way
    if heir is None:
        return
    ticket, notice = await off_hours_ticket(queue, heir, team)
    await queue.tell_user(heir, "outage_handed_over_ticket", number=ticket.id, times=notice.times)


async def _heir(queue: Queue, gone: Handoff, status: str) -> Handoff | None:
    """The earliest report joined to `gone`, on its own now (with `status`, in the queue
    from now), the other reports joined to it; None: nobody had joined `gone`."""
    async with in_transaction() as transaction:  # a new report of it waits for the heir
        await load_related(gone, "user")  # reports joined it by its user's office
        await hold_outage(transaction, office=gone.user.office, team=gone.team)
        reports = await Handoff.filter(linked_to_id=gone.id, status=LINKED).order_by("id")
        if not reports:
            return None
        heir = reports[0]
        heir.status, heir.linked_to_id, heir.created_at = status, None, queue.clock()
        await heir.save(update_fields=["status", "linked_to_id", "created_at"])
        await Handoff.filter(id__in=[r.id for r in reports[1:]]).update(linked_to_id=heir.id)
        return heir
