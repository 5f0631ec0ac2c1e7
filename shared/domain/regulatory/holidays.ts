import Holidays from 'date-holidays';
import type { DateTime } from 'luxon';

/**
 * Holiday calendars from `date-holidays` (never hand-written): nationwide public holidays and
 * their substitute days. One library instance per country and one date set per country-year,
 * memoised at module scope (pure memoisation; no I/O).
 */

const instances = new Map<string, Holidays | null>();
const dateSets = new Map<string, ReadonlySet<string>>();

function instanceFor(country: string): Holidays | null {
  let inst = instances.get(country);
  if (inst === undefined) {
    inst = new Holidays(country);
    instances.set(country, inst);
  }
  return inst;
}

/** Local dates (yyyy-mm-dd) of nationwide public holidays, incl. observed/substitute days. */
export function publicHolidayDates(country: string, year: number): ReadonlySet<string> {
  const key = `${country}:${year}`;
  let set = dateSets.get(key);
  if (!set) {
    const inst = instanceFor(country);
    const dates = new Set<string>();
    for (const h of inst?.getHolidays(year) ?? []) {
      if (h.type === 'public' || h.substitute === true) dates.add(h.date.slice(0, 10));
    }
    set = dates;
    dateSets.set(key, set);
  }
  return set;
}

/** Whether a local date is a public holiday in the country (nationwide only). */
export function isPublicHoliday(day: DateTime, country: string): boolean {
  return publicHolidayDates(country, day.year).has(day.toISODate() ?? '');
}

/** Saturday, Sunday or a nationwide public holiday in the country (local date of `day`). */
export function isNonWorkingDay(day: DateTime, country: string): boolean {
  return day.weekday >= 6 || isPublicHoliday(day, country);
}

/** The holiday's name, for rule descriptions. */
export function holidayName(day: DateTime, country: string): string | undefined {
  const inst = instanceFor(country);
  const iso = day.toISODate();
  if (!inst || !iso) return undefined;
  const found = inst
    .getHolidays(day.year)
    .find((h) => h.date.startsWith(iso) && (h.type === 'public' || h.substitute === true));
  return found?.name;
}
