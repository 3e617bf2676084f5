// Sending one of the user's messages to /api/messages (chat.js), and when to send it again if
// the server could not take it.

// The answer ({chat, at, replies, earlier}), or what went wrong: {error, retry}, with
// `after` (seconds) when the page itself should send it again: a server error or "too many
// requests" passes by itself, while polls still get through (so nothing else would send it);
// no connection is noticed by the polls (chat-updates.js) instead.
export async function post(payload, t, timezone) {
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
  const failed = { error: t.serverError, retry: true, after: 0 };
  if (response.ok) return response.json().catch(() => failed);
  if (response.status >= 500) return failed;
  if (response.status === 429) {
    return { error: t.tooFast, retry: true, after: Number(response.headers.get("Retry-After")) || 0 };
  }
  return { error: response.status === 413 ? t.tooLong : t.rejected, retry: false };
}

const LONGEST_PAUSE = 30; // seconds

// Runs `send` again after a failure that asks for it: after the server's Retry-After, or a
// pause doubled at each failure in a row (1, 2, 4 … 30 s); `sent()` after one that went.
export function sendingAgain(send) {
  let pause = 1;
  let timer;
  return {
    later(outcome) {
      if (outcome.after === undefined) return;
      clearTimeout(timer);
      timer = setTimeout(send, Math.max(outcome.after, pause) * 1000);
      pause = Math.min(pause * 2, LONGEST_PAUSE);
    },
    sent() {
      pause = 1;
    },
  };
}
