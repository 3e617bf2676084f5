// When a line of the chat was written, shown small beside it: the server's time of it (ISO
// 8601, "at") in the browser's own zone, "14:05"; with the day when it was not today
// ("27 Nov, 09:12"; and the year, when not this one).

// `item`: a line of the log; `at`: its time from the server (none yet: a line on its way).
export function stamp(item, at) {
  const date = new Date(at ?? NaN);
  if (Number.isNaN(date.getTime()) || item.dataset.time) return;
  const language = document.documentElement.lang || undefined;
  const now = new Date();
  const time = date.toLocaleTimeString(language, { hour: "2-digit", minute: "2-digit", hourCycle: "h23" });
  const day = date.toLocaleDateString(language, {
    day: "numeric",
    month: "short",
    year: date.getFullYear() === now.getFullYear() ? undefined : "numeric",
  });
  // Out of the line's text (CSS shows it): copying a message copies what was said.
  item.dataset.time = date.toDateString() === now.toDateString() ? time : `${day}, ${time}`;
  item.setAttribute("aria-label", `${item.getAttribute("aria-label")}, ${item.dataset.time}`);
}
