// When a line of the chat was written, shown small beside it: the server's time of it (ISO
// 8601, "at") in the browser's own zone, "14:05"; with the day when it was not today
// ("27 Nov, 09:12"; and the year, when not this one).

// The browser's own variant of the page's language, which says how it writes a day ("en-GB":
// "27 Nov"; "en-US": "Nov 27"); the page's language alone when the browser names none.
function locale() {
  const page = document.documentElement.lang || "en";
  return (navigator.languages || []).find((tag) => tag.toLowerCase().split("-")[0] === page) || page;
}

// `item`: a line of the log; `at`: its time from the server (none yet: a line on its way).
export function stamp(item, at) {
  const date = new Date(at ?? NaN);
  if (Number.isNaN(date.getTime()) || item.dataset.time) return;
  const language = locale();
  const now = new Date();
  const time = date.toLocaleTimeString(language, { hour: "2-digit", minute: "2-digit", hourCycle: "h23" });
  const day = date.toLocaleDateString(language, {
    day: "numeric",
    month: "short",
    year: date.getFullYear() === now.getFullYear() ? undefined : "numeric",
  });
  // Out of the line's text (CSS shows it): copying a message copies what was said.
  item.dataset.time = date.toDateString() === now.toDateString() ? time : `${day}, ${time}`;
  const label = item.getAttribute("aria-label"); // who wrote it
  item.setAttribute("aria-label", label ? `${label}, ${item.dataset.time}` : item.dataset.time);
}
