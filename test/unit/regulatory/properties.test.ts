import fc from 'fast-check';
import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { applyDoraRelief } from '#domain/regulatory/dora.ts';
import { computeObligations } from '#domain/regulatory/index.ts';
import { addCalendarDays, addCalendarMonths, toUtc } from '#domain/regulatory/time.ts';
import type { Obligation } from '#domain/regulatory/types.ts';
import { factsArb, withEarlierAwareness } from './arbitraries.ts';

const key = (o: Obligation) => `${o.regime}|${o.report}|${o.recipient}|${o.recipientName ?? ''}`;

describe('properties', () => {
  it('every due time is at or after its clock start', () => {
    fc.assert(
      fc.property(factsArb(), (facts) => {
        for (const o of computeObligations(facts).obligations) {
          if (o.due !== null)
            expect(Date.parse(o.due)).toBeGreaterThanOrEqual(Date.parse(o.clockStart));
        }
      }),
      { numRuns: 1500 },
    );
  });

  /** Due times per obligation key, sorted (order statistics keep a pointwise order). */
  const duesByKey = (obligations: Obligation[]) => {
    const map = new Map<string, number[]>();
    for (const o of obligations) {
      if (o.due === null) continue;
      map.set(key(o), [...(map.get(key(o)) ?? []), Date.parse(o.due)]);
    }
    for (const v of map.values()) v.sort((a, b) => a - b);
    return map;
  };

  it('an earlier awareness never yields a later due time', () => {
    fc.assert(
      fc.property(
        factsArb({ monotoneOnly: true }),
        fc.integer({ min: 1, max: 400 * 3_600_000 }),
        (facts, shift) => {
          const later = duesByKey(computeObligations(facts).obligations);
          const earlier = duesByKey(
            computeObligations(withEarlierAwareness(facts, shift)).obligations,
          );
          for (const [k, dues] of earlier) {
            const ref = later.get(k);
            if (!ref || ref.length !== dues.length) continue;
            for (const [i, due] of dues.entries()) {
              expect(due).toBeLessThanOrEqual(ref[i] ?? Number.POSITIVE_INFINITY);
            }
          }
        },
      ),
      { numRuns: 1500 },
    );
  });

  const zones = [
    'Europe/Berlin',
    'Europe/London',
    'America/New_York',
    'America/Santiago',
    'Australia/Lord_Howe',
  ];
  it('day and month periods are monotone in their start, also across DST gaps and overlaps', () => {
    const transitionsArb = fc.integer({
      min: Date.parse('2026-01-01T00:00:00Z'),
      max: Date.parse('2029-12-31T00:00:00Z'),
    });
    fc.assert(
      fc.property(
        transitionsArb,
        fc.integer({ min: 1, max: 3 * 3_600_000 }),
        fc.constantFrom(...zones),
        fc.constantFrom(1, 2, 10, 15, 30, 60),
        (t, d, zone, n) => {
          expect(addCalendarDays(t, n, zone)).toBeGreaterThanOrEqual(
            addCalendarDays(t - d, n, zone),
          );
          // Two legal discontinuities of "same local clock time" (§3.3), excluded here:
          // month-end clamping (31 Jan -> 28 Feb), and a start inside a DST fold, where the later
          // instant (23:00, second time) has an earlier wall time than the one before the fold
          // (23:59, first time). Compare only starts whose wall times keep their order.
          const locals = [t, t - d].map((x) => DateTime.fromMillis(x, { zone }));
          const wall = (x: DateTime) => x.toMillis() + x.offset * 60_000;
          const [lt, ld] = locals as [DateTime, DateTime];
          if (locals.every((x) => x.day <= 28) && wall(lt) >= wall(ld)) {
            expect(addCalendarMonths(t, 1, zone)).toBeGreaterThanOrEqual(
              addCalendarMonths(t - d, 1, zone),
            );
          }
        },
      ),
      // The fold start CI once found (Santiago, 2029-04-08T03:00Z), kept as a fixed example.
      { numRuns: 3000, examples: [[Date.parse('2029-04-08T03:00:00Z'), 1, 'America/Santiago', 1]] },
    );
  });

  it('DST fold: a start in the repeated hour maps by its wall time (documented discontinuity)', () => {
    // Santiago leaves DST at 2029-04-08T03:00Z: 23:59:59.999 -03 is followed by 23:00 -04.
    const beforeFold = Date.parse('2029-04-08T02:59:59.999Z');
    const afterFold = Date.parse('2029-04-08T03:00:00Z');
    expect(toUtc(addCalendarMonths(afterFold, 1, 'America/Santiago'))).toBe('2029-05-08T03:00:00Z');
    expect(addCalendarMonths(beforeFold, 1, 'America/Santiago')).toBeGreaterThan(
      addCalendarMonths(afterFold, 1, 'America/Santiago'),
    );
  });

  it('DST gap: a wall time that does not exist resolves to the transition instant', () => {
    // 28 Mar 2026 02:30 CET + 1 day = 29 Mar 02:30, inside the spring-forward gap (01:00Z)
    expect(toUtc(addCalendarMonths(Date.parse('2026-02-28T01:30:00Z'), 1, 'Europe/Berlin'))).toBe(
      '2026-03-28T01:30:00Z',
    );
    expect(toUtc(addCalendarDays(Date.parse('2026-03-28T01:30:00Z'), 1, 'Europe/Berlin'))).toBe(
      '2026-03-29T01:00:00Z',
    );
  });

  it('documented exception: Art 5(4) relief is not monotone (Sun 23:00 moves past Mon 11:00)', () => {
    const sunday = applyDoraRelief(Date.parse('2026-06-07T21:00:00Z'), 'DE', 'Europe/Berlin').due;
    const monday = applyDoraRelief(Date.parse('2026-06-08T09:00:00Z'), 'DE', 'Europe/Berlin').due;
    expect(toUtc(sunday)).toBe('2026-06-08T10:00:00Z');
    expect(toUtc(monday)).toBe('2026-06-08T09:00:00Z');
    expect(sunday).toBeGreaterThan(monday);
  });
});
