import { DateTime, IANAZone } from 'luxon';

/** Clock arithmetic for regulatory periods (reference/regulatory.md §3). All instants are epoch ms. */

export const HOUR_MS = 3_600_000;
export const DAY_MS = 24 * HOUR_MS;

const INSTANT =
  /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?(Z|([+-])(\d{2}):(\d{2}))$/;

/** Parses an ISO 8601 instant with an explicit offset; NaN when malformed. */
export function parseInstant(text: string): number {
  const m = INSTANT.exec(text);
  if (!m) return Number.NaN;
  const [, y, mo, d, h, mi, s, frac, , sign, oh, om] = m;
  const ms = frac ? Number(frac.slice(0, 3).padEnd(3, '0')) : 0;
  const utc = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s), ms);
  const check = new Date(utc);
  if (check.getUTCDate() !== Number(d) || check.getUTCMonth() !== Number(mo) - 1) return Number.NaN;
  if (Number(h) > 23 || Number(mi) > 59 || Number(s) > 59) return Number.NaN;
  const offset = sign ? (sign === '-' ? -1 : 1) * (Number(oh) * 60 + Number(om)) * 60_000 : 0;
  return utc - offset;
}

/** UTC instant with Z; milliseconds only when non-zero. */
export function toUtc(ms: number): string {
  const iso = new Date(ms).toISOString();
  return iso.endsWith('.000Z') ? `${iso.slice(0, 19)}Z` : iso;
}

/** Whether the IANA zone exists in the engine's tz database. */
export function isKnownTimeZone(zone: string): boolean {
  return IANAZone.isValidZone(zone);
}

/** §3.1: trigger instant plus N × 3600 s of elapsed time. */
export function addHours(startMs: number, hours: number): number {
  return startMs + hours * HOUR_MS;
}

/**
 * The first instant at which the local clock in `zone` shows `target`'s wall time or later.
 * Luxon resolves a wall time inside a spring-forward gap by moving it forward by the gap; the
 * clock, however, reaches that wall time at the transition instant itself, which keeps the
 * result monotone in the start instant. Ambiguous (autumn) wall times take the first occurrence.
 */
function resolveWallTime(target: DateTime, wall: DateTime): number {
  if (target.hour === wall.hour && target.minute === wall.minute && target.second === wall.second) {
    return target.toMillis();
  }
  const zone = target.zone;
  const wanted = Date.UTC(
    target.year,
    target.month - 1,
    target.day,
    wall.hour,
    wall.minute,
    wall.second,
    wall.millisecond,
  );
  const localMs = (t: number) => t + zone.offset(t) * 60_000;
  let lo = target.toMillis() - 6 * HOUR_MS;
  let hi = target.toMillis();
  while (hi - lo > 1) {
    const mid = Math.floor((lo + hi) / 2);
    if (localMs(mid) >= wanted) hi = mid;
    else lo = mid;
  }
  return hi;
}

/** Same local clock time N calendar days later in `zone`. */
export function sameLocalTimeDaysLater(startMs: number, days: number, zone: string): number {
  const from = DateTime.fromMillis(startMs, { zone });
  return resolveWallTime(from.plus({ days }), from);
}

/**
 * §3.2: the earlier of (a) the same local clock time N calendar days later in the entity's zone
 * and (b) N × 24 elapsed hours.
 */
export function addCalendarDays(startMs: number, days: number, zone: string): number {
  return Math.min(sameLocalTimeDaysLater(startMs, days, zone), startMs + days * DAY_MS);
}

/** §3.3: same local clock time on the same day of month, clamped to the month end. */
export function addCalendarMonths(startMs: number, months: number, zone: string): number {
  const from = DateTime.fromMillis(startMs, { zone });
  return resolveWallTime(from.plus({ months }), from);
}

/** Local view of an instant in a zone. */
export function local(ms: number, zone: string): DateTime {
  return DateTime.fromMillis(ms, { zone });
}

/** Short local description, e.g. "Sat 2026-05-09 01:30 (Europe/Berlin)". */
export function describeLocal(ms: number, zone: string): string {
  return `${local(ms, zone).toFormat('ccc yyyy-LL-dd HH:mm')} (${zone})`;
}
