// The board the agents' desk shows: the waiting requests with Claim, the tickets, the notices
// and the thread of the open request (one the agent owns), with what was typed for each; the
// pieces are drawn by agent-views.js, and agent.js talks to the server.
import { deskViews, el, takeOut } from "./agent-views.js";

const $ = (id) => document.getElementById(id);
const TAKEN = "taken";

// `t`: the page's texts; `desk.act(kind, handoffId, extra)`: send an action;
// `desk.refresh()`: ask for the board again.
export function deskBoard(t, desk) {
  const { cardView, noticeView, showWait, threadView, ticketView } = deskViews(t);
  let me = null; // the agent the board was drawn for
  let current = null; // the id of the request whose thread is open
  let owned = null; // the ids of the agent's own requests at the last refresh (none yet)
  let drawn = ""; // what the page shows now (the board's cards and tickets)
  let threadDrawn = ""; // and the thread's request
  // A request the agent just claimed or opened (TAKEN: the one a ticket picked up becomes):
  // its thread is scrolled to, and its message box takes the focus the pressed button had.
  let follow = null;
  let drafting = null; // the id of the request the message box's text is for
  const drafts = new Map(); // and what was typed for the agent's other requests
  let levelShown = ""; // the request and priority the priority list was set to
  const chosen = new Map(); // the level chosen in a ticket's list and not set yet, by number

  const mine = (card) => card.status === "claimed" && card.agent === me;

  function cardOf(card) {
    const claim = () => {
      follow = card.id;
      return desk.act("claim", card.id);
    };
    const open = () => {
      current = follow = card.id;
      desk.refresh();
    };
    return cardView(card, { shown: card.id === current, mine: mine(card), claim, open });
  }

  function ticketOf(ticket) {
    const pickUp = async () => {
      follow = TAKEN;
      await desk.act("take", 0, { ticket_id: ticket.number });
      if (follow === TAKEN) follow = null; // not picked up: no thread to go to
    };
    const { number } = ticket;
    return ticketView(ticket, {
      pickUp,
      resolve: () => resolveTicket(number),
      chosen: chosen.get(number),
      choose: (level) => chosen.set(number, level),
      setPriority: (level) => setTicketPriority(number, level),
    });
  }

  // The tickets are drawn anew with the level set: a keyboard's focus goes back to the
  // ticket's button (it would fall to the page).
  async function setTicketPriority(number, level) {
    if (await desk.act("priority", 0, { ticket_id: number, text: level })) chosen.delete(number);
    const lost = document.activeElement === null || document.activeElement === document.body;
    const again = `[data-number="${number}"] [data-testid="ticket-priority"]`;
    if (lost) $("tickets").querySelector(again)?.focus({ preventScroll: true });
  }

  // Resolve a ticket without a chat: the note for its user is the text typed in the box above
  // the tickets (the server refuses none), taken out of it once accepted.
  async function resolveTicket(number) {
    const note = $("ticket-note");
    const text = note.value;
    if (await desk.act("resolve", 0, { ticket_id: number, text })) takeOut(note, text);
  }

  // The request whose thread is shown: one the agent just took (claimed or picked up), else
  // the one chosen before, else their first.
  function pickCurrent(cards) {
    const own = cards.filter(mine);
    const taken = owned === null ? [] : own.filter((c) => !owned.has(c.id));
    owned = new Set(own.map((c) => c.id));
    const open = taken.at(-1) || own.find((c) => c.id === current) || own[0] || null;
    current = open ? open.id : null;
    if (follow === TAKEN && taken.length > 0) follow = current;
    return open;
  }

  // What the agent typed belongs to the request it was typed for: a thread opened in its place
  // (one just claimed, or Open) brings its own draft back, and the text waits for its request.
  function keepDraft(open) {
    const id = open ? open.id : null;
    if (id === drafting) return;
    const box = $("thread-input");
    if (drafting !== null && box.value) drafts.set(drafting, box.value);
    box.value = drafts.get(id) ?? "";
    drafts.delete(id);
    drafting = id;
  }

  // The board for `agent`, as the server sent it.
  function render(agent, cards, tickets, notices) {
    me = agent;
    $("notices").replaceChildren(...notices.map(noticeView));
    const open = pickCurrent(cards);
    keepDraft(open);
    // Drawn again only when something changed: a focused button or a thread the agent
    // scrolled back in stays where it is between polls. How long the waiting have waited
    // changes by the minute: that is written into the cards in place.
    const drawing = JSON.stringify([cards.map(({ waited, ...card }) => card), tickets, current]);
    if (drawing !== drawn) draw(cards, tickets, open);
    drawn = drawing;
    for (const card of cards) showWait(card, $("cards").querySelector(`[data-id="${card.id}"]`));
  }

  function draw(cards, tickets, open) {
    const empty = el("p", t.noRequests, { class: "chat-empty", "data-testid": "no-cards" });
    $("cards").replaceChildren(...(cards.length ? cards.map(cardOf) : [empty]));
    $("tickets").replaceChildren(...tickets.map(ticketOf));
    $("ticket-tools").hidden = tickets.length === 0;
    $("thread").hidden = open === null;
    const thread = JSON.stringify(open);
    if (open && thread !== threadDrawn) threadView(open, $("thread-title"), $("thread-log"));
    threadDrawn = thread;
    // The priority list shows the open request's level: for each request shown, and once its
    // level changed (a level chosen and not set yet stays through the polls).
    const level = open ? `${open.id} ${open.priority}` : "";
    if (open && level !== levelShown) $("priority-level").value = open.priority;
    levelShown = level;
    // On a phone the thread is below every card and ticket, out of sight of the card the
    // agent claimed or opened (a wide screen shows it beside them, chat.css). Brought into
    // view once, for that act only (a poll never moves the page).
    if (open && open.id === follow) {
      follow = null;
      $("thread").scrollIntoView({ block: "start" });
      // The pressed button was drawn anew (or is gone): the focus went with it to the page.
      const lost = document.activeElement === null || document.activeElement === document.body;
      if (lost) $("thread-input").focus({ preventScroll: true });
    }
  }

  // `current()`: the id of the request whose thread is open (null: none).
  return { render, current: () => current };
}
