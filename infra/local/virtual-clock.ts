import type { Clock } from '#ports/clock.ts';

/**
 * Virtual time for the local runtime: real time plus an offset that Wait states and schedules
 * advance, so multi-day regulatory clocks run in milliseconds.
 */
export class VirtualClock implements Clock {
  private offsetMs = 0;
  /** Called after every advance (the Scheduler stand-in fires due schedules). */
  readonly listeners: Array<(now: Date) => void> = [];
  constructor(readonly start?: Date) {
    if (start) this.offsetMs = start.getTime() - Date.now();
  }
  now(): Date {
    return new Date(Date.now() + this.offsetMs);
  }
  advance(ms: number): void {
    if (ms > 0) this.offsetMs += ms;
    if (ms > 0) for (const l of this.listeners) l(this.now());
  }
  advanceTo(t: Date): void {
    this.advance(t.getTime() - this.now().getTime());
  }
}
