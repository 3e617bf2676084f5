// Messages from agents (and queue updates) arrive through the outbox; the page polls
// /api/updates for them. The server hands them to whichever of the browser's tabs of this
// chat asks first (they share the session cookie), so the tab that got them passes them on to
// the others. Each poll names the ones shown since (`receipts`): the server hands a message
// out again until then, so one whose poll was cut off on its way comes again (shown once:
// chat-log.js). Each poll also names the id up to which the tab has the chat's messages
// (`after`, as the server said): the server sends those after it that the tab missed, one
// another tab fetched (asleep, the tab was not passed it) or one given up after a week with
// no tab asking. What the user says in a tab, and the bot's answers, come back to that tab
// only: it passes them on too (`tell`), so every open tab of the chat reads the same.
const POLL_TIMEOUT = 8000; // ms: a poll stuck on the way (a proxy) gives way to the next
const EVERY = 1500; // ms between polls
const LOST_AFTER = 2; // polls in a row that did not reach the server: the page says so

// A tab that opens with no log of its own (a second tab, the browser started again) shows the
// chat's recent lines, asked for before the first poll, so what a poll brings comes after
// them (and one that is in both is shown once: chat-log.js). Without them it works on.
export async function loadHistory({ sameChat, showHistory }) {
  try {
    const response = await fetch("/api/history", {
      credentials: "same-origin",
      signal: AbortSignal.timeout(POLL_TIMEOUT),
    });
    if (!response.ok) return;
    const { lines = [], chat = null } = await response.json();
    if (sameChat(chat)) showHistory(lines);
  } catch {
    // The log starts empty, as before there was a history.
  }
}

// `chat`: the log's `sameChat`, `showReplies`, `showSaid`, `after` and `caughtUp`
// (chat-log.js); `ended()`: say that
// the chat shown has ended (its session is gone); `link.away()`: polls have not reached the
// server for a while (LOST_AFTER in a row), `link.back()`: a poll got through after one that
// did not (what the user wrote meanwhile can go). Polls at once, then every EVERY ms. Returns
// `tell(said)`: pass what the user said in this tab ({chat, text, key, at, replies}) to the
// others (a tab never gets its own: the channel leaves out the sender); and `take(replies)`:
// show messages of the outbox the server handed this tab with its answer to the user (those
// written before the answer, which a poll would bring after it), as a poll's.
export function pollUpdates({ sameChat, showReplies, showSaid, after, caughtUp }, ended, link) {
  const tabs = "BroadcastChannel" in window ? new BroadcastChannel("helpdesk-updates") : null;
  if (tabs) {
    tabs.onmessage = ({ data }) => {
      if (data.said === undefined) return showReplies(data.agent, "agent");
      if (!sameChat(data.said.chat)) ended();
      showSaid(data.said);
    };
  }
  let receipts = [];
  let polling = false; // one poll at a time: a slow one is not overtaken by the next
  let lost = 0; // how many polls in a row could not reach the server

  async function poll() {
    if (polling) return;
    polling = true;
    const told = receipts;
    try {
      const since = after() === null ? "" : `&after=${after()}`;
      const response = await fetch(`/api/updates?ack=${told.join(",")}${since}`, {
        credentials: "same-origin",
        signal: AbortSignal.timeout(POLL_TIMEOUT),
      });
      if (lost > 0) link.back();
      lost = 0;
      if (!response.ok) return;
      const { replies = [], chat = null, after: upto } = await response.json();
      if (sameChat(chat)) caughtUp(upto);
      else ended(); // `upto` went by the other chat's `after`: the next poll starts afresh
      receipts = receipts.filter((id) => !told.includes(id));
      take(replies);
    } catch (error) {
      // The next poll tries again; sending shows its own network errors.
      if (error instanceof TypeError || error.name === "TimeoutError") lost += 1;
      if (lost === LOST_AFTER) link.away();
    } finally {
      polling = false;
    }
  }

  // Shown, passed on to the other tabs, and named in the next poll's receipts.
  function take(replies) {
    receipts = receipts.concat(replies.map((r) => r.id));
    const fresh = showReplies(replies, "agent");
    if (fresh.length > 0) tabs?.postMessage({ agent: fresh });
  }

  poll(); // at once: a chat restored from before whose session is gone is not shown for long
  setInterval(poll, EVERY);
  return { tell: (said) => tabs?.postMessage({ said }), take };
}
