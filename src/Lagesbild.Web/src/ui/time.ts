import { m } from "../i18n";

// Stockholm time everywhere, so people on a call read the same clock off the log.
const timeZone = "Europe/Stockholm";
const clock = new Intl.DateTimeFormat(m.locale, { timeZone, hour: "2-digit", minute: "2-digit", second: "2-digit" });
const dateTime = new Intl.DateTimeFormat(m.locale, {
  timeZone, year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit",
});

/**
 * Milliseconds since the epoch of a protocol time. .NET writes up to seven decimals of a
 * second; not every browser parses more than three, so the rest are dropped.
 */
export function parseTime(iso: string): number {
  return Date.parse(iso.replace(/(\.\d{3})\d+/, "$1"));
}

/**
 * A formatter's words for each second (or minute) it has been asked about. Formatting is slow next to a lookup, and
 * a replay at 60× shows some twenty loggbok entries a frame, most of them in the same second as the one before.
 * Stockholm is a whole number of hours from UTC, so a UTC second or minute is one in Stockholm too.
 */
function remembered(format: Intl.DateTimeFormat, unitMs: number): (time: Date | string) => string {
  const texts = new Map<number, string>();
  return (time) => {
    const ms = typeof time === "string" ? parseTime(time) : time.getTime();
    const unit = Math.floor(ms / unitMs);
    let text = texts.get(unit);
    if (text === undefined) {
      if (texts.size >= 1000) texts.clear();
      texts.set(unit, (text = format.format(ms)));
    }
    return text;
  };
}

/** HH:MM:SS */
export const formatClock = remembered(clock, 1000);

/** YYYY-MM-DD HH:MM (in Swedish order) */
export const formatDateTime = remembered(dateTime, 60_000);

/** "för 3 min sedan" */
export function formatAgo(ms: number): string {
  const s = Math.max(0, Math.floor(ms / 1000));
  if (s < 5) return m.freshness.justNow;
  if (s < 60) return m.freshness.seconds(s);
  if (s < 3600) return m.freshness.minutes(Math.floor(s / 60));
  if (s < 86400) return m.freshness.hours(Math.floor(s / 3600));
  return m.freshness.days(Math.floor(s / 86400));
}

/** An ISO time as the value of an <input type="datetime-local"> in Stockholm time. */
export function toLocalInput(iso: string): string {
  const parts = new Intl.DateTimeFormat("sv-SE", {
    timeZone, year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit", hourCycle: "h23",
  }).formatToParts(parseTime(iso));
  const get = (type: string) => parts.find((p) => p.type === type)?.value ?? "00";
  return `${get("year")}-${get("month")}-${get("day")}T${get("hour")}:${get("minute")}`;
}

/** The value of an <input type="datetime-local">, read as Stockholm time, as ISO UTC. */
export function fromLocalInput(value: string): string {
  // Guess the offset from UTC, then correct it by what that instant reads as in Stockholm.
  const asUtc = new Date(`${value}:00Z`);
  const shown = new Date(`${toLocalInput(asUtc.toISOString())}:00Z`);
  return new Date(asUtc.getTime() - (shown.getTime() - asUtc.getTime())).toISOString();
}
