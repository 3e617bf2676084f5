// The agents' desk's pieces: a request's card, an open ticket, a request's thread and a
// notice, drawn from the board's JSON. Everything users wrote goes in via textContent only.
import { stamp } from "./chat-time.js";

const AUTHORS = { in: "user", out: "bot", agent: "agent", note: "note" };
// The priorities, each with the key of its name in a list (bot/locales/web.yaml).
const LEVELS = {
  low: "priorityLow",
  normal: "priorityNormal",
  high: "priorityHigh",
  urgent: "priorityUrgent",
};

const fill = (text, values) => text.replace(/\{(\w+)\}/g, (_, key) => String(values[key] ?? ""));

export function el(tag, text, attrs = {}) {
  const node = document.createElement(tag);
  if (text !== undefined) node.textContent = text;
  for (const [name, value] of Object.entries(attrs)) node.setAttribute(name, value);
  return node;
}

// The `text` a box held when it was sent, taken out of it once the server took it: what was
// typed after it while it was on its way stays (and so does another text the box shows by
// then, such as another request's draft).
export function takeOut(box, text) {
  if (box.value.startsWith(text)) box.value = box.value.slice(text.length).trimStart();
}

// `t`: the page's texts in the desk's language.
export function deskViews(t) {
  const priority = (name) => t[`priority_${name}`] ?? name;
  const button = (text, testId, onClick) => {
    const node = el("button", text, { type: "button", class: "reply-button", "data-testid": testId });
    node.addEventListener("click", onClick);
    return node;
  };

  // `shown`: its thread is the one open; `mine`: the agent's own chat; `claim()` / `open()`:
  // what its buttons do.
  function cardView(card, { shown, mine, claim, open }) {
    const item = el("article", undefined, { class: "desk-card", "data-testid": "card" });
    item.dataset.id = String(card.id);
    item.dataset.status = card.status;
    const owner = card.agent ? ` · ${card.agent}` : "";
    // A user who chose no office: no office part, as on a chat desk's card.
    const where = card.office ? fill(t.where, { platform: card.platform, office: card.office }) : card.platform;
    const head = `#${card.id} · ${card.user} (${where}, ${card.language}, ${priority(card.priority)})`;
    const status = t[`status_${card.status}`] ?? card.status;
    const title = el("h2", `${head} · ${card.team} · `);
    // A waiting one says for how long (`showWait`, at each poll), a taken one by whom.
    if (card.waited == null) title.append(`${status}${owner}`);
    else title.append(el("span", undefined, { "data-testid": "card-waiting" }));
    item.append(title);
    item.append(el("p", card.question, { class: "desk-question", "data-testid": "card-question" }));
    // Asked in a group or a channel's thread others read: the agent's replies are public there.
    const asked = groupLine(card);
    if (asked) item.append(el("p", asked, { "data-testid": "card-group" }));
    if (card.ticket) item.append(el("p", fill(t.ticket, { number: card.ticket })));
    if (card.due) item.append(dueView(card, "card-due"));
    if (card.tried.length) item.append(el("p", fill(t.tried, { articles: card.tried.join(", ") })));
    if (card.other_tickets.length) {
      const tickets = fill(t.otherTickets, { tickets: card.other_tickets.join(", ") });
      item.append(el("p", tickets, { "data-testid": "card-tickets" }));
    }
    // An outage others reported too: their requests joined this one and have no card.
    if (card.also_reported.length) {
      const also = fill(t.alsoReported, {
        users: card.also_reported.join(", "),
        count: card.also_reported.length + 1,
      });
      item.append(el("p", also, { "data-testid": "card-also-reported" }));
    }
    if (card.status === "waiting") {
      item.append(button(t.claim, "claim", claim));
    } else if (shown) {
      item.classList.add("open");
      item.setAttribute("aria-current", "true");
    } else if (mine) {
      // Another of the agent's chats: its thread opens in place of the one shown.
      item.append(button(t.open, "open", open));
    }
    return item;
  }

  // A channel is named by its title, else (Slack's events give none) by the desk's words.
  function groupLine(card) {
    if (card.group_link) return fill(t.channel, { title: card.group || t.untitledChannel });
    return card.group ? fill(t.group, { title: card.group }) : "";
  }

  // How long a waiting card's user has waited ("waiting 12 min", "waiting 1 h 5 min"), put in
  // the card in place, so a poll that changes only this leaves the cards (and a focus) be.
  function showWait(card, node) {
    const where = node?.querySelector('[data-testid="card-waiting"]');
    if (!where || card.waited == null) return;
    const [hours, minutes] = [Math.floor(card.waited / 60), card.waited % 60];
    const values = { hours, minutes: card.waited < 1 ? "<1" : minutes };
    where.textContent = fill(hours ? t.waitingHours : t.waiting, values);
  }

  function dueView(item, testId) {
    const text = fill(item.overdue ? t.overdue : t.due, { due: item.due });
    return el("p", text, { "data-testid": testId, class: item.overdue ? "overdue" : "" });
  }

  // `pickUp()`, `resolve()`, `setPriority(level)`: what its buttons do; `chosen`: a level
  // chosen in its list and not set yet, `choose(level)` keeps it.
  function ticketView(ticket, { pickUp, resolve, ...levels }) {
    const item = el("article", undefined, { class: "desk-card", "data-testid": "open-ticket" });
    item.dataset.number = String(ticket.number);
    const number = fill(t.ticket, { number: ticket.number });
    const head = `${number} · ${ticket.user} (${ticket.platform}, ${priority(ticket.priority)})`;
    // When it was opened as its due time is shown: in the team's zone, which it names.
    item.append(el("h2", `${head} · ${ticket.team} · ${ticket.opened}`));
    item.append(el("p", ticket.subject, { class: "desk-question", "data-testid": "ticket-subject" }));
    if (ticket.due) item.append(dueView(ticket, "ticket-due"));
    // Its user reopened it after a resolution: the problem came back, the fix did not hold.
    if (ticket.reopens) {
      const text = fill(t.reopened, { count: ticket.reopens });
      item.append(el("p", text, { "data-testid": "ticket-reopened" }));
    }
    const buttons = el("div", undefined, { class: "desk-card-buttons" }); // spaced apart
    buttons.append(button(t.pickUp, "pick-up", pickUp), button(t.resolve, "resolve", resolve));
    buttons.append(...priorityControl(ticket, levels));
    item.append(buttons);
    return item;
  }

  // A ticket's priority: a list at its level (or the one chosen before the list was drawn
  // anew), named with its number for a screen reader, and the button that sets it.
  function priorityControl(ticket, { chosen, choose, setPriority }) {
    const label = fill(t.ticketPriorityLabel, { number: ticket.number });
    const testId = "ticket-priority-level";
    const list = el("select", undefined, { class: "chat-input", "aria-label": label, "data-testid": testId });
    for (const [level, name] of Object.entries(LEVELS)) {
      list.append(el("option", t[name], { value: level }));
    }
    list.value = chosen ?? ticket.priority;
    list.addEventListener("change", () => choose(list.value));
    return [list, button(t.setPriority, "ticket-priority", () => setPriority(list.value))];
  }

  // The thread of `card`: the lines shown already stay (a screen reader reads out only what
  // is added to the live log), those that left the card's last lines go, the new ones come.
  function threadView(card, title, log) {
    title.textContent = fill(t.threadTitle, { id: card.id, user: card.user });
    const keys = card.lines.map((line) => JSON.stringify(line));
    const shown = log.dataset.request === String(card.id) ? [...log.children] : [];
    let kept = Math.min(shown.length, keys.length);
    while (kept > 0 && !shown.slice(-kept).every((node, i) => node.key === keys[i])) kept--;
    if (kept === 0) log.replaceChildren();
    for (const node of shown.slice(0, shown.length - kept)) node.remove();
    log.dataset.request = String(card.id);
    card.lines.slice(kept).forEach((line, i) => log.append(lineView(line, keys[kept + i])));
    log.scrollTop = log.scrollHeight;
  }

  function lineView(line, key) {
    const author = AUTHORS[line.direction] || "bot";
    const item = el("article", undefined, { class: `msg msg-${author}`, "data-testid": "line" });
    item.dataset.author = author;
    item.key = key;
    item.setAttribute("aria-label", t[`line_${author}`]); // the colour says it on the screen
    // A message the user passed on (a forward) is someone else's words: whose, first.
    if (line.forwarded) {
      const from = fill(t.forwarded, { author: line.forwarded });
      item.append(el("div", from, { class: "msg-forwarded", "data-testid": "line-forwarded" }));
    }
    const body = el("div", undefined, { class: "msg-body" });
    // The bot's and the agents' Markdown comes rendered and sanitised from the server (as
    // the user sees it); what users wrote stays text.
    if (line.html) body.innerHTML = line.html;
    else body.textContent = line.text;
    item.append(body);
    // On the agent's own clock, as the user's chat shows its lines ("14:05", the day too
    // when not today): a chat reads by the reader's clock. The desk's notices and tickets
    // name the team's zone instead, as a chat desk writes them.
    stamp(item, line.at);
    return item;
  }

  // A notice, its time as the server wrote it: in its team's zone, named, as a card's times.
  // A warning (an SLA time near or missed) is marked red; the others only inform.
  function noticeView(notice) {
    const attrs = { "data-testid": "notice", class: notice.warning ? "warning" : "" };
    return el("p", `${notice.when} · ${notice.text}`, attrs);
  }

  return { cardView, noticeView, showWait, threadView, ticketView };
}
