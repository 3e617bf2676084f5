// The agents' desk: logging in, the board from the server and the agent's actions on it; the
// board is drawn by agent-board.js.
import { deskBoard } from "./agent-board.js";
import { takeOut } from "./agent-views.js";

const $ = (id) => document.getElementById(id);
// The page's texts in the desk's language: bot/locales/web.yaml, put in the page by the server.
const t = JSON.parse($("texts").textContent);
const board = deskBoard(t, { act, refresh });
const REMEMBERED = "helpdesk-agent-name"; // sessionStorage: who logged in on this tab
const DONE_SHOWN_MS = 5000; // how long "Request #1 closed." stays before it fades
const FADE_MS = 600;
let me = null;
let acting = false; // an action is on its way: a second press of a button waits for it
let offline = false;
let relogged = null; // the login tried again after the server forgot the session, if any
let fading = null; // the timer that fades a green status line
let polling = null; // the board's poll: only while logged in (or the server is away)

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
// through (green). `html`: the server's answer rendered and sanitised ("text": the same as text).
// A green line fades after a while (it only confirms); a red one stays until the next message.
function say(text, done = false, html = "") {
  clearTimeout(fading);
  if (html) $("status").innerHTML = html;
  else $("status").textContent = text;
  $("status").hidden = !text;
  $("status").classList.toggle("done", done);
  $("status").classList.remove("fading");
  if (done && text) fading = setTimeout(fade, DONE_SHOWN_MS);
}

function fade() {
  $("status").classList.add("fading"); // chat.css: its opacity goes in FADE_MS
  fading = setTimeout(() => say(""), FADE_MS);
}

// Why a request failed, in the desk's language (the server's "error" is English, for API users).
const failure = (status) =>
  status === 0 ? t.offline : status === 413 ? t.tooLong : status >= 500 ? t.serverError : t.rejected;

async function refresh() {
  const { status, data } = await call("GET", "/api/agent/board");
  if (status === 0 || status >= 500) {
    offline = true;
    poll(true); // to see the server come back
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
  poll(true);
  board.render(me, data.cards, data.tickets || [], data.notices || []);
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
  poll(false); // the board would only be refused until the agent logs in
  $("desk").hidden = true;
  $("login").hidden = false;
}

function poll(on) {
  if (on && polling === null) polling = setInterval(refresh, 1500);
  if (!on && polling !== null) {
    clearInterval(polling);
    polling = null;
  }
}

// A visit: the desk if this browser is logged in already, else the login (or a login again
// under this tab's name, see loggedOut); the server away: the board's poll says so.
async function start() {
  const { status, data } = await call("GET", "/api/agent/session");
  if (status === 200 && !data.agent) return loggedOut();
  return refresh();
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
  else if (status === 200) say(data.text || "", data.ok === true, data.html);
  else say(failure(status));
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
// the typed text, taken out of the box once accepted. Enter in an empty box sends nothing;
// "Send article" or "Note" pressed on one is answered with what to type (it did nothing).
async function actWithText(kind) {
  const box = $("thread-input");
  const text = box.value;
  const current = board.current();
  if (current === null || (kind === "reply" && !text.trim())) return;
  if (await act(kind, current, { text })) takeOut(box, text);
}

$("thread-form").addEventListener("submit", (event) => {
  event.preventDefault();
  actWithText("reply");
});
// As in the user's chat: Enter sends, Shift+Enter is a new line, and Enter that ends an IME
// composition is not a send.
$("thread-input").addEventListener("keydown", (event) => {
  if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
    event.preventDefault();
    actWithText("reply");
  }
});
$("kb").addEventListener("click", () => actWithText("kb"));
$("note").addEventListener("click", () => actWithText("note"));
// The open request's buttons act on it (none is open: nothing to do). Transfer, To ticket and
// Close end the agent's part in it: the focus goes on to what is next (the button pressed
// would stay under the next request's thread, or with the thread hidden, fall to the page).
async function actOnOpen(kind, extra = {}) {
  const current = board.current();
  if (current === null || !(await act(kind, current, extra))) return;
  const next = board.current() !== null ? $("thread-input") : $("cards").querySelector("button");
  (next ?? $("cards")).focus({ preventScroll: true });
}

const transfer = () => actOnOpen("transfer", { team: $("transfer-team").value });
$("transfer").addEventListener("click", transfer);
// The team typed, Enter transfers, as Enter sends a reply.
$("transfer-team").addEventListener("keydown", (event) => {
  if (event.key === "Enter" && !event.isComposing) transfer();
});
// A priority set keeps the agent on the request (it may move in the queue, not away).
$("priority").addEventListener("click", () => {
  const current = board.current();
  if (current !== null) act("priority", current, { text: $("priority-level").value });
});
$("ticket").addEventListener("click", () => actOnOpen("ticket"));
$("close").addEventListener("click", () => actOnOpen("close"));

start();
