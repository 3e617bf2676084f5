// The web chat page: sends the user's text or button presses to /api/messages and shows the
// bot's replies in the log (chat-log.js); messages from agents come by polling (chat-updates.js).
import { chatLog } from "./chat-log.js";
import { post, sendingAgain } from "./chat-post.js";
import { loadHistory, pollUpdates } from "./chat-updates.js";

// Every string the page shows, per language: bot/locales/web.yaml, put in the page by the
// server.
const STRINGS = JSON.parse(document.getElementById("texts").textContent);
const lang = (navigator.language || "en").toLowerCase().startsWith("ru") ? "ru" : "en";
// The user's time zone ("Europe/Berlin"), so the bot tells times in it; the server checks it.
const timezone = (() => {
  try {
    return Intl.DateTimeFormat().resolvedOptions().timeZone || undefined;
  } catch {
    return undefined;
  }
})();
const t = STRINGS[lang];

const $ = (id) => document.getElementById(id);
const log = $("chat-log");
const form = $("chat-form");
const input = $("chat-input");
const send = $("chat-send");
const status = $("chat-status");
const retry = $("chat-retry");
let busy = false;
let away = false; // the status line says the connection is lost (polls do not get through)
// The user's messages not delivered yet, oldest first ({payload, bubble}): one that could not
// go (no connection, a server error) waits, and so do those written after it, so they reach
// the bot in the order they were written, with Retry or once the server is reachable again.
const waiting = [];
const chat = chatLog(log, t, { send: press });
const { addUserMessage, delivered, restore, sameChat, save, showHistory, showReplies, unsent } =
  chat;
let tell = () => {}; // pass what the user said to the chat's other tabs (chat-updates.js)
let take = (replies) => showReplies(replies, "agent"); // show what came before an answer

function applyStrings() {
  document.documentElement.lang = lang;
  // A title configured on the server wins; the default one is shown in the user's language.
  if (document.body.dataset.title === STRINGS.en.title) {
    $("chat-title").textContent = t.title;
    document.title = t.title;
  }
  input.placeholder = t.placeholder;
  $("chat-input-label").textContent = t.inputLabel;
  send.textContent = t.send;
  retry.textContent = t.retry;
  $("chat-empty").textContent = t.empty;
}

function newId() {
  if (crypto.randomUUID) return crypto.randomUUID();
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}

function press(key, label, event) {
  // A press from the keyboard (no pointer: detail 0) leaves the focus in the message box,
  // not on the button it just disabled.
  if (event.detail === 0) input.focus();
  queue({ id: newId(), button: key, text: label }, addUserMessage(label));
}

function setBusy(value) {
  busy = value;
  log.setAttribute("aria-busy", String(value));
}

function showStatus(text, canRetry) {
  away = false;
  $("chat-status-text").textContent = text;
  retry.hidden = !canRetry;
  status.hidden = false;
}

function hideStatus() {
  away = false;
  status.hidden = true;
  retry.hidden = true;
}

function queue(payload, bubble) {
  waiting.push({ payload, bubble });
  flush();
}

// Send the waiting messages in order. One that fails for a reason that may pass stops the
// rest behind it; one the server refuses as it is (too long) is left out, the rest go on.
async function flush() {
  if (busy) return;
  hideStatus();
  setBusy(true);
  try {
    while (waiting.length > 0) {
      const { payload, bubble } = waiting[0];
      const outcome = await deliver(payload, bubble);
      if (outcome.error !== undefined && outcome.retry) {
        for (const later of waiting) fail(later.payload, later.bubble, outcome);
        again.later(outcome);
        return;
      }
      again.sent();
      waiting.shift();
      if (outcome.error !== undefined) fail(payload, bubble, outcome);
    }
  } finally {
    setBusy(false);
  }
}

// The message sent and its answer shown; or what went wrong ({error, retry}).
async function deliver(payload, bubble) {
  bubble.classList.remove("msg-failed");
  const outcome = await post(payload, t, timezone);
  if (!outcome.replies) return outcome;
  if (!sameChat(outcome.chat ?? null)) showStatus(t.chatEnded, false);
  // The chat shown had ended (a poll may have seen it first): the message began a new one.
  const { chat = null, at, replies } = outcome;
  if (bubble.isConnected) delivered(bubble, at);
  else addUserMessage(payload.text, at);
  take(outcome.earlier ?? []); // the chat's messages written before the replies
  showReplies(replies);
  tell({ chat, text: payload.text, key: payload.button, at, replies });
  return {};
}

function fail(payload, bubble, outcome) {
  bubble.classList.add("msg-failed");
  // One that may go later is kept over a reload, to go then; a refused one is not shown again.
  if (outcome.retry) bubble.entry.unsent = payload;
  else bubble.entry.failed = true;
  save();
  // A rejected text goes back into the box so the user can shorten or fix it.
  if (!outcome.retry && payload.button === undefined && input.value === "") {
    input.value = payload.text;
  }
  showStatus(outcome.error, outcome.retry);
}

function submit() {
  const text = input.value;
  if (text.trim() === "") return;
  input.value = "";
  fitInput();
  // Sent with the Send button (pressed or clicked): the focus goes back to the box for the
  // next message, which may be written while this one is on its way (it waits behind it).
  input.focus();
  queue({ id: newId(), text }, addUserMessage(text));
}

function fitInput() {
  // The box grows with Shift+Enter lines up to its CSS max-height.
  input.style.height = "auto";
  input.style.height = `${input.scrollHeight + 2}px`;
}

form.addEventListener("submit", (event) => {
  event.preventDefault();
  submit();
});
input.addEventListener("keydown", (event) => {
  // Enter sends; Shift+Enter is a new line; Enter that ends an IME composition is not a send.
  if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
    event.preventDefault();
    submit();
  }
});
input.addEventListener("input", fitInput);
// The retry sends the same message ids, so the server can drop a duplicate.
retry.addEventListener("click", flush);
// The connection is back (a poll got through again): what waits goes without a Retry.
const resend = () => waiting.length > 0 && flush();
const again = sendingAgain(resend); // after a server error or a 429, by itself
window.addEventListener("online", resend);
// Polls do not reach the server: said, unless the line says something already (a message
// that did not go), and taken back when they do again.
const link = {
  away() {
    if (!status.hidden) return;
    showStatus(t.offline, false);
    away = true;
  },
  back() {
    if (away) hideStatus();
    resend();
  },
};

applyStrings();
input.focus();
if (!restore()) await loadHistory({ sameChat, showHistory });
waiting.push(...unsent()); // kept over a reload: they go now
resend();
({ tell, take } = pollUpdates(chat, () => showStatus(t.chatEnded, false), link));
