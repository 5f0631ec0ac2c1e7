import { describe, expect, it } from 'vitest';
import { runDrill } from '#local/drill.ts';

/**
 * Drill `admin-export-leak` with the storefront down: Magento, its database, hosts and the
 * gateways refuse every connection, and the regulator workflow still drafts, gets the drill
 * compliance officer's approval through the task-token path and sends every notice on time.
 */
describe('drill admin-export-leak --storefront down: regulator notifications', () => {
  it('sends every authority notice before its due time and reports them in the drill JSON', async () => {
    const r = await runDrill('admin-export-leak', { storefront: 'down' });
    expect(r.failures).toEqual([]);
    expect(r.passed).toBe(true);
    const sent = (r.notifications ?? []).map((n) => `${n.regime}#${n.report}#${n.recipient}`);
    expect(sent.sort()).toEqual([
      'DORA-19#final#financial-supervisor',
      'DORA-19#initial#financial-supervisor',
      'DORA-19#intermediate#financial-supervisor',
      'GDPR-33#notification#supervisory-authority',
      'US-STATE-TX#notification#state-attorney-general',
    ]);
    for (const n of r.notifications ?? []) {
      expect(n.onTime, `${n.regime} ${n.report}`).toBe(true);
      expect(Date.parse(n.sentAt)).toBeLessThanOrEqual(Date.parse(n.due!));
      expect(n.approvedBy).toBe('drill compliance officer');
    }
    // DORA intermediate runs from the actual submission of the initial report.
    const initial = r.notifications!.find((n) => n.report === 'initial')!;
    const intermediate = r.notifications!.find((n) => n.report === 'intermediate')!;
    expect(Date.parse(intermediate.due!) - Date.parse(initial.sentAt)).toBe(72 * 3600_000);
    expect(r.obligations?.items?.every((o) => o.status === 'sent' && !o.missed)).toBe(true);
    expect(r.obligations?.regimes).toEqual(['DORA-19', 'GDPR-33', 'US-STATE-TX']);
  }, 120_000);
});
