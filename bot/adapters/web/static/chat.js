// The web chat page: sends the user's text or button presses to /api/messages and shows the
// bot's replies. Reply HTML comes sanitised from the server; user text only ever goes in via
// textContent.
"use strict";

(() => {
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
  let failed = null; // the payload of the last message that could not be delivered
  // What this tab shows, kept in sessionStorage so a reload shows it again (with the buttons
  // still to press): {author, text | html, buttons, chosen}. The tab's own, gone with it.
  const SAVED = "helpdesk-chat";
  const MAX_SAVED = 200;
  const shown = [];

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

  function save() {
    try {
      sessionStorage.setItem(SAVED, JSON.stringify(shown.filter((m) => !m.failed).slice(-MAX_SAVED)));
    } catch {
      // Storage full or off: the chat works on, a reload just starts empty.
    }
  }

  function restore() {
    let saved = [];
    try {
      saved = JSON.parse(sessionStorage.getItem(SAVED) || "[]");
    } catch {
      return;
    }
    for (const entry of Array.isArray(saved) ? saved : []) {
      if (entry.author === "user") addUserMessage(entry.text);
      else addBotMessage(entry, entry.author, entry.chosen);
    }
    scrollDown();
  }

  function addMessage(author) {
    $("chat-empty")?.remove();
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

  function addUserMessage(text) {
    const item = addMessage("user");
    item.querySelector(".msg-body").textContent = text;
    item.entry = { author: "user", text };
    shown.push(item.entry);
    save();
    scrollDown();
    return item;
  }

  // `chosen`: a restored message whose buttons were used (the key pressed, or "" for none).
  function addBotMessage(reply, author = "bot", chosen = null) {
    const item = addMessage(author);
    // Safe: the server renders Markdown with raw HTML escaped and links limited to http(s)/mailto.
    item.querySelector(".msg-body").innerHTML = reply.html;
    const entry = { author, html: reply.html, buttons: reply.buttons, chosen };
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

  function showReplies(replies, author = "bot") {
    const items = replies.map((reply) => addBotMessage(reply, author));
    if (items.length > 0) reveal(items[0]);
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
      button.addEventListener("click", (event) => press(group, button, entry, event));
      group.append(button);
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

  function press(group, button, entry, event) {
    if (busy) return;
    const { key } = button.dataset;
    choose(group, button);
    entry.chosen = key;
    // A press from the keyboard (no pointer: detail 0) leaves the focus in the message box,
    // not on the button it just disabled.
    if (event.detail === 0) input.focus();
    deliver({ id: newId(), button: key, text: button.textContent }, addUserMessage(button.textContent));
  }

  function scrollDown() {
    log.scrollTop = log.scrollHeight;
  }

  function setBusy(value) {
    busy = value;
    send.disabled = value;
    log.setAttribute("aria-busy", String(value));
  }

  function showStatus(text, canRetry) {
    $("chat-status-text").textContent = text;
    retry.hidden = !canRetry;
    status.hidden = false;
  }

  function hideStatus() {
    status.hidden = true;
    retry.hidden = true;
  }

  async function deliver(payload, bubble) {
    failed = null;
    hideStatus();
    setBusy(true);
    bubble.classList.remove("msg-failed");
    try {
      const outcome = await post(payload);
      if (outcome.replies) {
        bubble.entry.failed = false;
        showReplies(outcome.replies);
      } else fail(payload, bubble, outcome);
    } finally {
      setBusy(false);
    }
  }

  async function post(payload) {
    let response;
    try {
      response = await fetch("/api/messages", {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        credentials: "same-origin",
        body: JSON.stringify({ ...payload, timezone }),
      });
    } catch {
      return { error: t.networkError, retry: true };
    }
    if (response.ok) return response.json().catch(() => ({ error: t.serverError, retry: true }));
    if (response.status >= 500) return { error: t.serverError, retry: true };
    if (response.status === 429) return { error: t.tooFast, retry: true };
    return { error: response.status === 413 ? t.tooLong : t.rejected, retry: false };
  }

  function fail(payload, bubble, outcome) {
    bubble.classList.add("msg-failed");
    bubble.entry.failed = true; // not shown again after a reload: it never arrived
    save();
    // The retry sends the same message id, so the server can drop a duplicate.
    failed = outcome.retry ? { payload, bubble } : null;
    // A rejected text goes back into the box so the user can shorten or fix it.
    if (!outcome.retry && payload.button === undefined && input.value === "") {
      input.value = payload.text;
    }
    showStatus(outcome.error, outcome.retry);
  }

  function submit() {
    const text = input.value;
    if (busy || text.trim() === "") return;
    input.value = "";
    fitInput();
    deliver({ id: newId(), text }, addUserMessage(text));
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
  retry.addEventListener("click", () => {
    if (failed && !busy) deliver(failed.payload, failed.bubble);
  });

  // Messages from agents (and queue updates) arrive through the outbox; poll for them.
  async function poll() {
    try {
      const response = await fetch("/api/updates", { credentials: "same-origin" });
      if (response.ok) {
        const data = await response.json();
        showReplies(data.replies || [], "agent");
      }
    } catch {
      // The next poll tries again; sending shows its own network errors.
    }
  }

  applyStrings();
  restore();
  input.focus();
  setInterval(poll, 1500);
})();
