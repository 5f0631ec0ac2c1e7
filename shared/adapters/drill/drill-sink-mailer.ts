import type { BulkMailer } from '#ports/notify.ts';
import { NonRetryableError } from '#runtime/errors.ts';

/**
 * Customer notices of a drill incident: every entry of a bulk send goes to one of the drill
 * sink addresses (the SES mailbox simulator or a drill mailbox of ours; in turn, by position)
 * instead of the customer, without the customer's name, tagged `drill=true`. Suppression,
 * claims and totals stay those of the real send path, so a drill counts what production would.
 */
export class DrillSinkMailer implements BulkMailer {
  constructor(
    private readonly inner: BulkMailer,
    private readonly recipients: readonly string[],
  ) {
    if (recipients.length === 0)
      throw new NonRetryableError('drill notices: no drill sink address configured');
  }

  async sendBulk(input: Parameters<BulkMailer['sendBulk']>[0]) {
    const sinks = this.recipients;
    const entries = input.entries.map((e, i) => ({
      ref: e.ref,
      to: sinks[i % sinks.length]!,
      data: Object.fromEntries(Object.keys(e.data).map((k) => [k, 'Drill'])),
    }));
    // Never a customer: every address is one of the configured sinks.
    if (entries.some((e) => !sinks.includes(e.to)))
      throw new NonRetryableError('drill notices: refusing an address outside the drill sink');
    return this.inner.sendBulk({ ...input, entries, tags: { ...input.tags, drill: 'true' } });
  }
}
