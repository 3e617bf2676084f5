// The agents' desk: waiting requests with Claim, and the thread of the request the agent
// owns; the pieces are drawn by agent-views.js.
import { deskViews, el } from "./agent-views.js";

const $ = (id) => document.getElementById(id);
// The page's texts in the desk's language: bot/locales/web.yaml, put in the page by the server.
const t = JSON.parse($("texts").textContent);
const { cardView, noticeView, threadView, ticketView } = deskViews(t);
const REMEMBERED = "helpdesk-agent-name"; // sessionStorage: who logged in on this tab
let me = null;
let current = null; // the id of the request whose thread is open
let owned = null; // the ids of the agent's own requests at the last refresh (none yet)
let acting = false; // an action is on its way: a second press of a button waits for it
let drawn = ""; // what the page shows now (the board's cards and tickets)
let threadDrawn = ""; // and the thread's request
let offline = false;
let relogged = null; // the login tried again after the server forgot the session, if any
let drafting = null; // the id of the request the message box's text is for
const drafts = new Map(); // and what was typed for the agent's other requests

// The server's answer, or status 0 when it could not be reached.
async function call(method, url, body) {
  let response;
  try {
    response = await fetch(url, {
      method,
      headers: body ? { "Content-Type": "application/json" } : {},
      credentials: "same-origin",
      body: body ? JSON.stringify(body) : undefined,
    });
  } catch {
    return { status: 0, data: {} };
  }
  const data = await response.json().catch(() => ({}));
  return { status: response.status, data };
}

// A message under the desk: a refusal or an error (red), or `done` for an action that went
// through (green).
function say(text, done = false) {
  $("status").textContent = text;
  $("status").hidden = !text;
  $("status").classList.toggle("done", done);
}

// Why a request failed, in the desk's language (the server's "error" is English, for API users).
const failure = (status) =>
  status === 0 ? t.offline : status === 413 ? t.tooLong : status >= 500 ? t.serverError : t.rejected;

const mine = (card) => card.status === "claimed" && card.agent === me;

function cardOf(card) {
  const claim = () => act("claim", card.id);
  const open = () => {
    current = card.id;
    refresh();
  };
  return cardView(card, { shown: card.id === current, mine: mine(card), claim, open });
}

function ticketOf(ticket) {
  const pickUp = () => act("take", 0, { ticket_id: ticket.number });
  return ticketView(ticket, { pickUp, resolve: () => resolveTicket(ticket.number) });
}

// Resolve a ticket without a chat: the note for its user is the text typed in the box above
// the tickets (the server refuses none), cleared once accepted.
async function resolveTicket(number) {
  const note = $("ticket-note");
  if (await act("resolve", 0, { ticket_id: number, text: note.value })) note.value = "";
}

// The request whose thread is shown: one the agent just took (claimed or picked up), else
// the one chosen before, else their first.
function pickCurrent(cards) {
  const own = cards.filter(mine);
  const taken = owned === null ? [] : own.filter((c) => !owned.has(c.id));
  owned = new Set(own.map((c) => c.id));
  const open = taken.at(-1) || own.find((c) => c.id === current) || own[0] || null;
  current = open ? open.id : null;
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

function render(cards, tickets, notices) {
  $("notices").replaceChildren(...notices.map(noticeView));
  const open = pickCurrent(cards);
  keepDraft(open);
  // Drawn again only when something changed: a focused button or a thread the agent
  // scrolled back in stays where it is between polls.
  const drawing = JSON.stringify([cards, tickets, current]);
  if (drawing === drawn) return;
  drawn = drawing;
  const empty = el("p", t.noRequests, { class: "chat-empty", "data-testid": "no-cards" });
  $("cards").replaceChildren(...(cards.length ? cards.map(cardOf) : [empty]));
  $("tickets").replaceChildren(...tickets.map(ticketOf));
  $("ticket-tools").hidden = tickets.length === 0;
  $("thread").hidden = open === null;
  const thread = JSON.stringify(open);
  if (open && thread !== threadDrawn) threadView(open, $("thread-title"), $("thread-log"));
  threadDrawn = thread;
}

async function refresh() {
  const { status, data } = await call("GET", "/api/agent/board");
  if (status === 0 || status >= 500) {
    offline = true;
    return say(t.offline);
  }
  if (offline) say(""); // the server is back: the line no longer holds
  offline = false;
  if (status === 401) return loggedOut();
  if (status !== 200) return say(failure(status));
  relogged = null;
  me = data.agent;
  $("desk-who").textContent = me;
  $("login").hidden = true;
  $("desk").hidden = false;
  render(data.cards, data.tickets || [], data.notices || []);
}

// The session is gone (a restart forgets sessions unless a password is set): log in again
// under the name this tab used, once; a login that needs the password shows the form.
// Two refreshes that find the session gone (the poll's and an action's) share one login.
async function loggedOut() {
  const name = sessionStorage.getItem(REMEMBERED);
  if (name && !relogged) {
    relogged = call("POST", "/api/agent/login", { name, password: "" });
    if ((await relogged).status === 200) return refresh();
  } else if (relogged && (await relogged).status === 200) return;
  if (me !== null) say(t.loggedOut);
  me = null;
  $("login-name").value ||= name || "";
  showLogin();
}

function showLogin() {
  $("desk").hidden = true;
  $("login").hidden = false;
}

// One action at a time: a double click, or a second button pressed before the first one's
// answer, is not sent again. Once the answer is in, the next press goes (the board redrawn
// after it does not hold it back).
async function act(kind, handoffId, extra = {}) {
  if (acting) return false;
  acting = true;
  let answer;
  try {
    const body = { kind, handoff_id: handoffId, ...extra };
    answer = await call("POST", "/api/agent/act", body);
  } finally {
    acting = false;
  }
  const { status, data } = answer;
  // Logged out (the server restarted): not done; refresh logs in again or shows the form.
  if (status === 401) say(t.notDone);
  else say(status === 200 ? data.text || "" : failure(status), data.ok === true);
  await refresh();
  return data.ok === true;
}

$("login").addEventListener("submit", async (event) => {
  event.preventDefault();
  const body = { name: $("login-name").value.trim(), password: $("login-password").value };
  const { status, data } = await call("POST", "/api/agent/login", body);
  const refused = { 403: t.loginFailed, 429: t.tooManyLogins }[status];
  if (status !== 200) return say(refused || failure(status));
  sessionStorage.setItem(REMEMBERED, body.name);
  say("");
  await refresh();
});

// A reply to the user, a KB article for them (the text finds it) or a note for the team:
// the typed text, cleared once accepted.
async function actWithText(kind) {
  const text = $("thread-input").value;
  if (current === null || !text.trim()) return;
  if (await act(kind, current, { text })) $("thread-input").value = "";
}

$("thread-form").addEventListener("submit", (event) => {
  event.preventDefault();
  actWithText("reply");
});
$("kb").addEventListener("click", () => actWithText("kb"));
$("note").addEventListener("click", () => actWithText("note"));
$("transfer").addEventListener("click", () => current !== null && act("transfer", current, { team: $("transfer-team").value }));
$("ticket").addEventListener("click", () => current !== null && act("ticket", current));
$("close").addEventListener("click", () => current !== null && act("close", current));

refresh();
setInterval(refresh, 1500);
