// The chat's log: the messages this tab shows and their buttons, with a copy of them kept in
// sessionStorage (chat-store.js) so a reload shows them again (with the buttons still to
// press). Reply HTML comes sanitised from the server; user text only ever goes in via
// textContent.

import {
  forgetAfter,
  saveAfter,
  savedAfter,
  savedShown,
  saveShown,
  switchedChat,
} from "./chat-store.js";
import { stamp } from "./chat-time.js";

// `t`: the page's texts; `press.send(key, label, event)`: send a press the buttons took (one
// made while a message is on its way goes after it, as a typed one does).
export function chatLog(log, t, press) {
  const shown = [];
  const ids = new Set(); // the ids of the messages from the outbox shown (each is shown once)
  const keys = new Map(); // each button's key: its group, itself and its message's entry
  let after = null; // see chat-store.js's AFTER (null: none yet, the server says where)

  function save() {
    saveShown(shown);
  }

  // Whether `chat`, the server's id of the browser's chat (null: it has none), is the one the
  // log shows. One whose session is gone (its cookie cleared or expired) ended: the log is
  // emptied for the new one, so no one writes on in a chat that no longer exists.
  function sameChat(chat) {
    if (!switchedChat(chat)) return true;
    clear();
    return false;
  }

  // The tab has every message of the chat up to the id `upto` (a number from the server).
  function caughtUp(upto) {
    if (!Number.isSafeInteger(upto)) return;
    after = upto;
    saveAfter(upto);
  }

  function clear() {
    shown.length = 0;
    ids.clear();
    keys.clear();
    after = null;
    save();
    forgetAfter();
    const empty = document.createElement("p");
    Object.assign(empty, { id: "chat-empty", className: "chat-empty", textContent: t.empty });
    empty.dataset.testid = "chat-empty";
    log.replaceChildren(empty);
  }

  // The tab's own log, shown again after a reload; whether it had any.
  function restore() {
    const entries = savedShown();
    if (entries === null) return false;
    for (const entry of entries) {
      if (entry.author === "user") addUserMessage(entry.text, entry.at, entry.unsent);
      else addBotMessage(entry, entry.author, entry.chosen);
    }
    scrollDown();
    caughtUp(Number(savedAfter() ?? newest()));
    return entries.length > 0;
  }

  // The newest message from the outbox the tab shows (NaN: none).
  function newest() {
    return ids.size > 0 ? Math.max(...ids) : NaN;
  }

  // The chat's recent lines from the server (/api/history), for a tab with no log of its
  // own; not once the log shows something (a message sent meanwhile is among them).
  function showHistory(lines) {
    if (shown.length > 0) return;
    for (const line of lines) {
      if (line.author === "user") addUserMessage(line.text, line.at);
      else addBotMessage(line, line.author);
    }
    scrollDown();
    caughtUp(newest()); // the newest is in the history, if any is (none: the poll says)
  }

  function addMessage(author) {
    document.getElementById("chat-empty")?.remove();
    const item = document.createElement("article");
    item.className = `msg msg-${author}`;
    item.dataset.testid = "message";
    item.dataset.author = author;
    item.setAttribute("aria-label", { user: t.you, agent: t.agent }[author] || t.bot);
    const body = document.createElement("div");
    body.className = "msg-body";
    item.append(body);
    log.append(item);
    return item;
  }

  // `at`: the server's time of it (none while it is on its way: see `delivered`); `unsent`:
  // what is to be sent for it, when it could not go yet (see `unsent()`).
  function addUserMessage(text, at, unsent) {
    const item = addMessage("user");
    item.querySelector(".msg-body").textContent = text;
    item.entry = { author: "user", text, at, unsent };
    stamp(item, at);
    shown.push(item.entry);
    save();
    scrollDown();
    return item;
  }

  // The server took the user's message `item` (added on its way) `at` that time.
  function delivered(item, at) {
    Object.assign(item.entry, { failed: false, unsent: undefined, at });
    stamp(item, at);
    save();
  }

  // `chosen`: a restored message whose buttons were used (the key pressed, or "" for none).
  function addBotMessage(reply, author = "bot", chosen = null) {
    const item = addMessage(author);
    // Safe: the server renders Markdown with raw HTML escaped and links limited to http(s)/mailto.
    item.querySelector(".msg-body").innerHTML = reply.html;
    const { html, buttons, id, at } = reply;
    const entry = { author, html, buttons, chosen, id, at };
    stamp(item, at);
    if (reply.id !== undefined) ids.add(reply.id);
    if (reply.buttons.length > 0) item.append(makeButtons(reply.buttons, entry));
    shown.push(entry);
    save();
    return item;
  }

  // New replies: the log goes down to them, but never past the first one's start, so a long
  // answer is read from its title rather than from its last line.
  function reveal(first) {
    const top = first.getBoundingClientRect().top - log.getBoundingClientRect().top + log.scrollTop;
    log.scrollTop = Math.min(log.scrollHeight, top - 12);
  }

  // The replies not shown yet (a message from the outbox may come again), shown; returned.
  function showReplies(replies, author = "bot") {
    const fresh = replies.filter((reply) => reply.id === undefined || !ids.has(reply.id));
    const items = fresh.map((reply) => addBotMessage(reply, author));
    if (items.length > 0) reveal(items[0]);
    return fresh;
  }

  // What the user said in another tab of the chat (chat-updates.js): their line (a press
  // uses up its buttons here too) and the bot's answers.
  function showSaid({ text, key, at, replies }) {
    const button = keys.get(key);
    if (button && button.entry.chosen === null) {
      choose(button.group, button.button);
      button.entry.chosen = key;
    }
    addUserMessage(text, at);
    showReplies(replies);
  }

  function makeButtons(buttons, entry) {
    const group = document.createElement("div");
    group.className = "msg-buttons";
    group.setAttribute("role", "group");
    for (const { label, key } of buttons) {
      const button = document.createElement("button");
      button.type = "button";
      button.className = "reply-button";
      button.dataset.testid = "reply-button";
      button.dataset.key = key;
      button.textContent = label;
      button.addEventListener("click", (event) => {
        choose(group, button);
        entry.chosen = key;
        press.send(key, button.textContent, event);
      });
      group.append(button);
      keys.set(key, { group, button, entry });
      if (entry.chosen !== null) choose(group, key === entry.chosen ? button : null);
    }
    return group;
  }

  // One answer per message: the buttons cannot be pressed twice.
  function choose(group, button) {
    for (const other of group.querySelectorAll("button")) other.disabled = true;
    if (button === null) return;
    button.classList.add("chosen");
    button.setAttribute("aria-pressed", "true");
  }

  // The user's messages the log shows that could not go yet: [{payload, bubble}], in order.
  function unsent() {
    const bubbles = [...log.querySelectorAll(".msg-user")].filter((item) => item.entry.unsent);
    return bubbles.map((bubble) => ({ payload: bubble.entry.unsent, bubble }));
  }

  function scrollDown() {
    log.scrollTop = log.scrollHeight;
  }

  return {
    addUserMessage,
    after: () => after,
    caughtUp,
    delivered,
    restore,
    sameChat,
    save,
    showHistory,
    showReplies,
    showSaid,
    unsent,
  };
}
