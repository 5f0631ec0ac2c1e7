import Holidays from 'date-holidays';
import type { DateTime } from 'luxon';

/**
 * Holiday calendars from `date-holidays` (never hand-written): nationwide public holidays and
 * their substitute days. One library instance per country and one date set per country-year,
 * memoised at module scope (pure memoisation; no I/O).
 */

const instances = new Map<string, Holidays>();
const calendars = new Map<string, ReadonlyMap<string, string>>();

function instanceFor(country: string): Holidays {
  let inst = instances.get(country);
  if (inst === undefined) {
    inst = new Holidays(country);
    instances.set(country, inst);
  }
  return inst;
}

/** Local dates (yyyy-mm-dd) -> names of nationwide public holidays, incl. observed/substitute days. */
export function publicHolidays(country: string, year: number): ReadonlyMap<string, string> {
  const key = `${country}:${year}`;
  let calendar = calendars.get(key);
  if (!calendar) {
    const dates = new Map<string, string>();
    for (const h of instanceFor(country).getHolidays(year)) {
      if (h.type === 'public' || h.substitute === true) dates.set(h.date.slice(0, 10), h.name);
    }
    calendar = dates;
    calendars.set(key, calendar);
  }
  return calendar;
}

/** Whether a local date is a public holiday in the country (nationwide only). */
export function isPublicHoliday(day: DateTime, country: string): boolean {
  return publicHolidays(country, day.year).has(day.toISODate() ?? '');
}

/** Saturday, Sunday or a nationwide public holiday in the country (local date of `day`). */
export function isNonWorkingDay(day: DateTime, country: string): boolean {
  return day.weekday >= 6 || isPublicHoliday(day, country);
}

/** The holiday's name, for rule descriptions. */
export function holidayName(day: DateTime, country: string): string | undefined {
  return publicHolidays(country, day.year).get(day.toISODate() ?? '');
}
