// The tab's copy of its chat log in sessionStorage (chat-log.js), so a reload shows it again:
// what it shows, the chat that is of, and how far it has the chat's messages. Storage full or
// off: the chat works on, a reload just starts empty.

// What this tab shows: {author, text | html, buttons, chosen, id, at}. The tab's own, gone with
// it.
const SAVED = "helpdesk-chat";
const MAX_SAVED = 200;
// And the chat they are of: the server's id of the browser's session (absent: not known yet).
const CHAT = "helpdesk-chat-id";
// And the id up to which the tab has every message of the chat from the outbox (the server
// says it with each poll: chat-updates.js), so a reload goes on from there.
const AFTER = "helpdesk-chat-after";

// Keep the log's entries (the newest ones, not those the server refused). One that could not
// go yet keeps what is to be sent (`unsent`), so it goes after a reload.
export function saveShown(shown) {
  try {
    sessionStorage.setItem(SAVED, JSON.stringify(shown.filter((m) => !m.failed).slice(-MAX_SAVED)));
  } catch {
    // Storage full or off.
  }
}

// The entries kept (null: storage off, or what it kept unreadable).
export function savedShown() {
  try {
    const saved = JSON.parse(sessionStorage.getItem(SAVED) || "[]");
    return Array.isArray(saved) ? saved : [];
  } catch {
    return null;
  }
}

// Keep `chat` (null: the browser has none) as the tab's chat; whether the tab was showing
// another one (storage off: it cannot tell, and a reload shows nothing of the old chat anyway).
export function switchedChat(chat) {
  let known = null;
  try {
    known = sessionStorage.getItem(CHAT);
    if (chat === null) sessionStorage.removeItem(CHAT);
    else sessionStorage.setItem(CHAT, chat);
  } catch {
    return false;
  }
  return known !== null && known !== chat;
}

// See AFTER: `upto` kept, read back (null: none kept), forgotten.
export function saveAfter(upto) {
  try {
    sessionStorage.setItem(AFTER, String(upto));
  } catch {
    // Storage off: the tab goes on from it while it is open.
  }
}

export function savedAfter() {
  return sessionStorage.getItem(AFTER);
}

export function forgetAfter() {
  try {
    sessionStorage.removeItem(AFTER);
  } catch {
    // Storage off: nothing kept.
  }
}
